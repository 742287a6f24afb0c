"""The page frame: header with "Get help now", a main landmark, and the tab bar on phones.

`signed_in` is a plain bool for pages that are only ever one or the other, or a state var
for a public page (/help) that shows the signed-in navigation when a patient opens it.
"""

from __future__ import annotations

import reflex as rx

from companion import routes

SignedIn = bool | rx.Var[bool]

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


def help_link_content() -> rx.Component:
    return rx.fragment(rx.icon("life-buoy", size=18, aria_hidden="true"), "Get help now")


def help_link() -> rx.Component:
    """The crisis page, one tap away on every page, signed in or not. A plain link (a full page
    load, not the app's own routing): with no connection the service worker answers it with
    the help page it keeps (assets/js/sw.js)."""
    return rx.link(
        help_link_content(),
        href=routes.HELP,
        reload_document=True,
        underline="none",
        class_name="help-link",
    )


def _if_signed_in(signed_in: SignedIn, component: rx.Component) -> rx.Component:
    """The component for a signed-in visitor, nothing otherwise."""
    if isinstance(signed_in, rx.Var):
        return rx.cond(signed_in, component, rx.fragment())
    return component if signed_in else rx.fragment()


def _home(signed_in: SignedIn) -> str | rx.Var[str]:
    if isinstance(signed_in, rx.Var):
        return rx.cond(signed_in, routes.TODAY, routes.LOGIN)
    return routes.TODAY if signed_in else routes.LOGIN


def _header(active: str, signed_in: SignedIn) -> rx.Component:
    return rx.el.header(
        rx.link(
            rx.el.img(src="/icon-192.png", alt="", width="28", height="28"),
            rx.el.span("Ketamine Companion", class_name="app-brand-name"),
            href=_home(signed_in),
            underline="none",
            class_name="app-brand",
            aria_label="Ketamine Companion home",
        ),
        _if_signed_in(
            signed_in,
            rx.el.nav(
                *[_nav_link(label, href, active, rx.el.span(label)) for label, href, _ in TABS],
                class_name="top-nav",
                aria_label="Main",
            ),
        ),
        rx.el.div(class_name="header-spacer"),
        help_link(),
        _if_signed_in(
            signed_in,
            rx.link(
                rx.icon("settings", size=22, aria_hidden="true"),
                href=routes.SETTINGS,
                class_name="icon-link",
                aria_label="Settings",
                aria_current="page" if active == routes.SETTINGS else None,
            ),
        ),
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


def save_bar(label: str, class_name: str = "save-bar") -> rx.Component:
    """The form's Save, pinned above the tab bar ("save-bar"; "save-row" in the page's flow),
    with the line that says Saving…, Saved, Not sent yet or what to fix (assets/js/outbox.js)."""
    return rx.el.div(
        rx.el.div(
            rx.el.p(
                role="status",
                class_name="form-status",
                custom_attrs={"data-kc-status": ""},
            ),
            class_name="save-status",
        ),
        rx.button(label, type="submit", size="3", min_width="120px"),
        class_name=class_name,
    )


def refresh_button(handler: rx.event.EventHandler, *kinds: str) -> rx.Component:
    """An unseen button outbox.js clicks once an entry of these kinds is saved: the page then
    loads what it shows again."""
    return rx.el.button(
        type="button",
        on_click=handler,
        hidden=True,
        tab_index=-1,
        aria_hidden="true",
        custom_attrs={"data-kc-refresh": " ".join(kinds)},
    )


def page_shell(
    *children: rx.Component,
    title: str,
    active: str = "",
    signed_in: SignedIn = True,
    wide: bool = False,
) -> rx.Component:
    """Wrap a page: skip link, header, one <main> with the page's h1, and the tab bar.

    With a state var for `signed_in`, the page first shows the signed-out frame until the var
    turns true, so a signed-out visitor never sees navigation they cannot use.
    """
    return rx.fragment(
        rx.el.a("Skip to content", href="#main", class_name="skip-link"),
        _header(active, signed_in),
        # The app's own connection line (assets/js/connection.js): empty while all is well.
        rx.el.div(
            id="kc-connection",
            role="status",
            aria_live="polite",
            class_name="connection-line",
            hidden=True,
        ),
        rx.el.main(
            rx.heading(title, as_="h1", size="7", margin_bottom="16px"),
            *children,
            id="main",
            class_name="app-main wide" if wide else "app-main",
            tab_index=-1,
        ),
        _if_signed_in(signed_in, _tab_bar(active)),
    )
