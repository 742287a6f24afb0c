"""/share: make a read-only link for a clinician, and see and control every link made."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.security.sharing import DEFAULT_EXPIRY_DAYS, EXPIRY_DAYS, PERIODS
from companion.ui.components.shell import page_shell
from companion.ui.state.share import LinkItem, ShareState, ViewItem


def _select(label: str, name: str, options: list[tuple[str, str]], default: str) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=f"share-{name}"),
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in options],
            id=f"share-{name}",
            name=name,
            default_value=default,
            class_name="native-select",
        ),
        class_name="field",
    )


def _create_form() -> rx.Component:
    return rx.el.section(
        rx.heading("New link", as_="h2", size="5"),
        rx.text(
            "The link opens a read-only summary without an account. Send it to your clinician; "
            "if you add a passcode, tell them the passcode another way (by phone, say).",
            size="2",
            class_name="muted",
        ),
        rx.form(
            rx.el.div(
                _select(
                    "Expires after",
                    "expiry_days",
                    [(str(d), f"{d} days") for d in EXPIRY_DAYS],
                    str(DEFAULT_EXPIRY_DAYS),
                ),
                _select(
                    "Period covered",
                    "period",
                    [(key, label) for key, (label, _days) in PERIODS.items()],
                    "30d",
                ),
                rx.el.label(
                    rx.el.input(type="checkbox", name="include_notes", value="on"),
                    "Include notes",
                    class_name="choice",
                ),
                rx.el.label(
                    rx.el.input(type="checkbox", name="include_safety_plan", value="on"),
                    "Include my safety plan",
                    class_name="choice",
                ),
                rx.el.div(
                    rx.el.label("Passcode (optional)", html_for="share-passcode"),
                    rx.el.input(
                        id="share-passcode",
                        name="passcode",
                        type="text",
                        auto_complete="off",
                        class_name="native-input",
                        aria_describedby="share-passcode-hint",
                    ),
                    rx.text(
                        "4 to 64 characters. Five wrong tries lock the link until you unlock it.",
                        id="share-passcode-hint",
                        size="2",
                        class_name="muted",
                    ),
                    class_name="field",
                ),
                rx.cond(
                    ShareState.error != "",
                    rx.el.p(ShareState.error, role="alert", class_name="form-error"),
                ),
                rx.button("Create link", type="submit", size="3"),
                class_name="stack",
            ),
            key=ShareState.form_key,
            on_submit=ShareState.create,
            reset_on_submit=False,
        ),
        class_name="card stack",
    )


def _new_link() -> rx.Component:
    return rx.cond(
        ShareState.new_url != "",
        rx.el.section(
            rx.heading("Your new link", as_="h2", size="5"),
            rx.el.p("Link to send", class_name="field-caption"),
            rx.el.p(ShareState.new_url, class_name="link-plain", id="share-new-url"),
            rx.button(
                "Copy link",
                type="button",
                size="3",
                custom_attrs={
                    "data-kc-copy": "share-new-url",
                    "data-kc-copy-status": "share-copy-status",
                },
            ),
            rx.el.p(id="share-copy-status", role="status", class_name="form-status"),
            rx.text(
                "It is also a SMART Health Link: a clinic's health record system can import "
                "your PHQ-9 and GAD-7 results from it, as they are today.",
                size="2",
                class_name="muted",
            ),
            rx.el.figure(
                rx.el.img(
                    src=ShareState.new_qr,
                    alt="QR code of the link, for the clinician to scan",
                    class_name="qr",
                    width="200",
                    height="200",
                ),
                rx.el.figcaption(
                    "Or let your clinician scan this with their phone's camera.",
                    class_name="muted qr-caption",
                ),
                class_name="qr-figure",
            ),
            class_name="card stack-tight new-link",
        ),
    )


def _view_row(view: ViewItem) -> rx.Component:
    return rx.el.tr(
        rx.el.td(view.at), rx.el.td(view.outcome), rx.el.td(view.name), rx.el.td(view.device)
    )


def _link_card(link: LinkItem) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(link.status, class_name="phase-badge"),
            rx.cond(link.passcode, rx.el.span("Passcode", class_name="planned-badge")),
            class_name="badges",
        ),
        rx.el.dl(
            rx.el.dt("Created"),
            rx.el.dd(link.created),
            rx.el.dt("Expires"),
            rx.el.dd(link.expires),
            rx.el.dt("Covers"),
            rx.el.dd(
                link.period,
                rx.cond(link.notes, ", with notes", ", without notes"),
                rx.cond(link.safety_plan, ", with your safety plan", ""),
            ),
            rx.el.dt("Views"),
            rx.el.dd(link.views),
            rx.el.dt("Last viewed"),
            rx.el.dd(link.last_viewed),
            class_name="facts",
        ),
        rx.cond(
            link.log.length() > 0,
            rx.el.details(
                rx.el.summary("Who opened it"),
                rx.el.div(
                    rx.el.table(
                        rx.el.thead(
                            rx.el.tr(
                                rx.el.th("When", scope="col"),
                                rx.el.th("What", scope="col"),
                                rx.el.th("Name given", scope="col"),
                                rx.el.th("Device", scope="col"),
                            )
                        ),
                        rx.el.tbody(rx.foreach(link.log, _view_row)),
                        class_name="data-table",
                    ),
                    class_name="table-scroll",
                    tab_index=0,
                    role="group",
                    aria_label="Who opened this link",
                ),
            ),
        ),
        rx.hstack(
            rx.cond(
                link.active | link.locked,
                rx.button(
                    "Revoke",
                    size="3",
                    color_scheme="red",
                    variant="soft",
                    on_click=ShareState.revoke(link.id),
                ),
            ),
            rx.cond(
                link.locked,
                rx.button(
                    "Unlock",
                    size="3",
                    variant="soft",
                    on_click=ShareState.unlock(link.id),
                ),
            ),
            wrap="wrap",
        ),
        class_name="card stack-tight",
        aria_label="Link created " + link.created,
    )


def share_page() -> rx.Component:
    return page_shell(
        rx.el.div(
            rx.cond(
                ShareState.status != "",
                rx.el.p(ShareState.status, role="status", class_name="form-status"),
            ),
            _new_link(),
            _create_form(),
            rx.heading("Your links", as_="h2", size="5"),
            rx.text(
                "A link is shown only once, when you make it. The app keeps neither the link "
                "nor the key that unlocks its health-record file, so it cannot show an earlier "
                "link again: to share again, make a new link.",
                size="2",
                class_name="muted",
                id="share-once-note",
            ),
            rx.cond(
                ShareState.links.length() > 0,
                rx.el.ul(rx.foreach(ShareState.links, _link_card), class_name="plain-list"),
                rx.text("No links yet.", class_name="muted"),
            ),
            rx.text(
                "Also in Settings: export all your data, a calendar feed, delete your account.",
                size="2",
                class_name="muted",
            ),
            rx.link("Settings", href=routes.SETTINGS),
            class_name="stack",
        ),
        title="Share with your clinician",
        active=routes.SHARE,
    )
