"""The page frame: header with "Get help now", a main landmark, and the tab bar on phones."""

from __future__ import annotations

import reflex as rx

from companion import routes

TABS: tuple[tuple[str, str, str], ...] = (
    ("Today", routes.TODAY, "house"),
    ("Check-in", routes.CHECKIN, "circle-check-big"),
    ("Trends", routes.TRENDS, "chart-line"),
    ("Learn", routes.LEARN, "book-open"),
    ("Share", routes.SHARE, "share-2"),
)


def _nav_link(label: str, href: str, active: str, *children: rx.Component) -> rx.Component:
    return rx.link(
        *children,
        href=href,
        underline="none",
        aria_current="page" if href == active else None,
    )


def help_link() -> rx.Component:
    """The crisis page, one tap away on every page, signed in or not."""
    return rx.link(
        rx.icon("life-buoy", size=18, aria_hidden="true"),
        "Get help now",
        href=routes.HELP,
        underline="none",
        class_name="help-link",
    )


def _header(active: str, signed_in: bool) -> rx.Component:
    return rx.el.header(
        rx.link(
            rx.el.img(src="/icon-192.png", alt="", width="28", height="28"),
            rx.el.span("Ketamine Companion", class_name="app-brand-name"),
            href=routes.TODAY if signed_in else routes.LOGIN,
            underline="none",
            class_name="app-brand",
            aria_label="Ketamine Companion home",
        ),
        rx.el.nav(
            *[_nav_link(label, href, active, rx.el.span(label)) for label, href, _icon in TABS],
            class_name="top-nav",
            aria_label="Main",
        )
        if signed_in
        else rx.fragment(),
        rx.el.div(class_name="header-spacer"),
        help_link(),
        rx.link(
            rx.icon("settings", size=22, aria_hidden="true"),
            href=routes.SETTINGS,
            class_name="icon-link",
            aria_label="Settings",
            aria_current="page" if active == routes.SETTINGS else None,
        )
        if signed_in
        else rx.fragment(),
        class_name="app-header",
    )


def _tab_bar(active: str) -> rx.Component:
    return rx.el.nav(
        *[
            _nav_link(label, href, active, rx.icon(icon, size=22, aria_hidden="true"), label)
            for label, href, icon in TABS
        ],
        class_name="tab-bar",
        aria_label="Tabs",
    )


def page_shell(
    *children: rx.Component,
    title: str,
    active: str = "",
    signed_in: bool = True,
    wide: bool = False,
) -> rx.Component:
    """Wrap a page: skip link, header, one <main> with the page's h1, and the tab bar."""
    return rx.fragment(
        rx.el.a("Skip to content", href="#main", class_name="skip-link"),
        _header(active, signed_in),
        rx.el.main(
            rx.heading(title, as_="h1", size="7", margin_bottom="16px"),
            *children,
            id="main",
            class_name="app-main wide" if wide else "app-main",
            tab_index=-1,
        ),
        _tab_bar(active) if signed_in else rx.fragment(),
    )
