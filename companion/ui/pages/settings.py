"""/settings: time zone, clinic contact, appearance, password, sign out."""

from __future__ import annotations

import reflex as rx
from reflex_base.style import color_mode, set_color_mode

from companion import routes
from companion.clinical import COUNTRY_CHOICES
from companion.ui.components.forms import form_error, posted_form, text_field
from companion.ui.components.shell import page_shell
from companion.ui.components.zone import zone_detector, zone_picker
from companion.ui.state.calendar import CalendarState
from companion.ui.state.settings import SettingsState


def _status(message: rx.Var[str]) -> rx.Component:
    return rx.el.p(message, role="status", class_name="form-status")


def _profile_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.div(
                rx.el.label("Time zone", html_for="field-timezone"),
                # This phone's zone first when it is not the saved one, the saved one picked.
                zone_picker(SettingsState.timezone, SettingsState.timezone_label, False),
                rx.text('"Today" follows this time zone.', size="2", class_name="muted"),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label("Crisis numbers for", html_for="field-crisis_country"),
                rx.el.select(
                    rx.el.option(
                        "Where my time zone is (", SettingsState.zone_country, ")", value=""
                    ),
                    *[rx.el.option(name, value=code) for code, name in COUNTRY_CHOICES],
                    id="field-crisis_country",
                    name="crisis_country",
                    default_value=SettingsState.crisis_country,
                    key=SettingsState.crisis_country,
                    class_name="native-select",
                    aria_describedby="crisis-country-hint",
                ),
                rx.text(
                    "Which crisis line and emergency number every crisis screen shows first.",
                    id="crisis-country-hint",
                    size="2",
                    class_name="muted",
                ),
                class_name="field",
            ),
            text_field(
                "Clinic name",
                "clinic_name",
                default_value=SettingsState.clinic_name,
                key=SettingsState.clinic_name,
                max_length=120,
            ),
            text_field(
                "Clinic phone",
                "clinic_phone",
                type_="tel",
                default_value=SettingsState.clinic_phone,
                key=SettingsState.clinic_phone,
                max_length=40,
                hint="Shown with the crisis numbers on Get help now and on every crisis screen.",
            ),
            text_field(
                "Name on shared summaries",
                "summary_name",
                default_value=SettingsState.summary_name,
                key=SettingsState.summary_name,
                max_length=80,
                auto_complete="name",
                hint=(
                    "Optional. Shown at the top of summaries you share, so your clinician knows "
                    "they are yours. Leave empty to share without a name."
                ),
            ),
            rx.cond(SettingsState.profile_error != "", form_error(SettingsState.profile_error)),
            rx.cond(SettingsState.profile_message != "", _status(SettingsState.profile_message)),
            rx.button("Save settings", type="submit", size="3"),
            spacing="4",
            width="100%",
        ),
        on_submit=SettingsState.save_profile,
        reset_on_submit=False,
    )


def _appearance() -> rx.Component:
    def choice(label: str, value: str) -> rx.Component:
        return rx.button(
            label,
            type="button",
            size="3",
            variant=rx.cond(color_mode == value, "solid", "soft"),
            color_scheme=rx.cond(color_mode == value, "teal", "gray"),
            aria_pressed=rx.cond(color_mode == value, "true", "false"),
            on_click=set_color_mode(value),  # type: ignore[arg-type]
        )

    return rx.el.div(
        rx.el.p("Appearance", id="appearance-label", class_name="field-caption"),
        rx.hstack(
            choice("System", "system"),
            choice("Light", "light"),
            choice("Dark", "dark"),
            role="group",
            aria_labelledby="appearance-label",
            wrap="wrap",
        ),
        class_name="field",
    )


def _password_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_field(
                "Current password",
                "current_password",
                type_="password",
                auto_complete="current-password",
            ),
            text_field(
                "New password",
                "new_password",
                type_="password",
                auto_complete="new-password",
                hint="At least 10 characters.",
            ),
            rx.cond(SettingsState.password_error != "", form_error(SettingsState.password_error)),
            rx.cond(SettingsState.password_message != "", _status(SettingsState.password_message)),
            rx.button("Change password", type="submit", size="3"),
            spacing="4",
            width="100%",
        ),
        on_submit=SettingsState.change_password,
        reset_on_submit=True,
    )


def _your_data() -> rx.Component:
    return rx.el.div(
        rx.text(
            "Download everything stored about you (every entry, infusion, link and signed-in "
            "device) as one JSON file. The spreadsheet version holds the same data in one table."
        ),
        rx.el.div(
            # Only the complete export's name contains "Export my data", so it names one control.
            rx.link(
                "Export my data",
                href="/api/export.json",
                download=True,
                reload_document=True,
                class_name="download",
            ),
            rx.link(
                "Export as a spreadsheet (CSV)",
                href="/api/export.csv",
                download=True,
                reload_document=True,
                class_name="download",
            ),
            class_name="downloads",
        ),
        rx.heading("Delete my account", as_="h3", size="4", margin_top="16px"),
        rx.text(
            "This erases your account and every entry, infusion, questionnaire and share link at "
            "once. Links you shared stop working. It cannot be undone.",
        ),
        posted_form(
            text_field(
                "Your password, to confirm",
                "delete_password",
                type_="password",
                auto_complete="current-password",
                name_override="password",
            ),
            submit=rx.button("Delete my account", type="submit", size="3", color_scheme="red"),
            action=routes.AUTH_DELETE,
            error=SettingsState.delete_error,
            busy="Deleting…",
        ),
        class_name="stack",
    )


# Set-up steps per calendar, checked against each one's own help pages (Apple's iPhone User
# Guide, Google Calendar Help "Subscribe to someone's calendar", ICSx⁵'s usage page).
CALENDAR_STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "iPhone or iPad",
        (
            "On this phone, tap “Subscribe on this device” above, then Subscribe, then Add.",
            "Or copy the link, open the Calendar app and tap Calendars, then Add Calendar, "
            "then Add Subscription Calendar.",
            "Paste the link, tap Subscribe, then Add.",
        ),
    ),
    (
        "Google Calendar",
        (
            "Copy the link. Google Calendar's phone app cannot add a link, so use a computer.",
            "Open calendar.google.com and sign in.",
            "On the left, next to “Other calendars”, click + and choose “From URL”.",
            "Paste the link and click “Add calendar”.",
            "It then shows in Google Calendar on your phone too. Google fetches it again only "
            "every few hours, so changes can take up to a day to appear.",
        ),
    ),
    (
        "Android with ICSx⁵",
        (
            "Install ICSx⁵ from F-Droid or Google Play.",
            "Tap “Subscribe on this device” above and choose ICSx⁵, or copy the link, open "
            "ICSx⁵ and tap +.",
            "In “Add subscription”, paste the link if it is not there already, leave user name "
            "and password empty and tap Next.",
            "Keep the title Ketamine Companion, pick a colour and confirm.",
            "Open your phone's calendar app: the Ketamine Companion calendar is in its list. "
            "Turn it on there if it is hidden.",
        ),
    ),
)


def _calendar_steps() -> rx.Component:
    return rx.el.div(
        rx.el.p("How to add it", class_name="field-caption"),
        *[
            rx.el.details(
                rx.el.summary(name),
                rx.el.ol(*[rx.el.li(step) for step in steps], class_name="bullets"),
            )
            for name, steps in CALENDAR_STEPS
        ],
        class_name="stack-tight",
    )


def _calendar_link() -> rx.Component:
    return rx.el.div(
        rx.el.p(CalendarState.status, role="status", class_name="form-status"),
        rx.el.p(
            "Your calendar link (private: anyone with it sees these events)",
            class_name="field-caption",
        ),
        rx.el.p(CalendarState.new_url, class_name="link-plain", id="calendar-url"),
        rx.button(
            "Copy calendar link",
            type="button",
            size="3",
            custom_attrs={
                "data-kc-copy": "calendar-url",
                "data-kc-copy-status": "calendar-copy-status",
            },
        ),
        rx.el.p(id="calendar-copy-status", role="status", class_name="form-status"),
        rx.el.a("Subscribe on this device", href=CalendarState.webcal_url, class_name="download"),
        _calendar_steps(),
        class_name="stack-tight",
    )


def calendar_section() -> rx.Component:
    return rx.el.div(
        rx.text(
            "Subscribe from your phone's calendar to see planned infusions, post-infusion "
            "checks, questionnaires due and a daily check-in reminder at your own local time. "
            "The link stays here until you stop the feed; make a new one to stop an old one "
            "working."
        ),
        rx.cond(
            CalendarState.exists,
            rx.text(
                "Your calendar feed has been on since ",
                CalendarState.created,
                ".",
                size="2",
                class_name="muted",
            ),
        ),
        rx.cond(
            CalendarState.new_url != "",
            _calendar_link(),
            rx.cond(
                CalendarState.exists,
                rx.text(
                    "This link was made before links could be shown again: make a new "
                    "one to see it here.",
                    size="2",
                ),
            ),
        ),
        rx.form(
            rx.el.div(
                rx.el.div(
                    rx.el.label("Daily reminder at", html_for="field-reminder_time"),
                    rx.el.input(
                        id="field-reminder_time",
                        name="reminder_time",
                        type="time",
                        default_value=CalendarState.reminder_time,
                        key=CalendarState.reminder_time,
                        class_name="native-input",
                    ),
                    class_name="field",
                ),
                rx.cond(CalendarState.error != "", form_error(CalendarState.error)),
                rx.button(
                    rx.cond(
                        CalendarState.exists, "Make a new calendar link", "Create calendar link"
                    ),
                    type="submit",
                    size="3",
                ),
                class_name="stack",
            ),
            on_submit=CalendarState.make_feed,
            reset_on_submit=False,
        ),
        rx.cond(
            CalendarState.exists,
            rx.button(
                "Stop the calendar feed",
                type="button",
                size="3",
                variant="soft",
                color_scheme="gray",
                on_click=CalendarState.stop_feed,
            ),
        ),
        rx.cond(
            (CalendarState.status != "") & ~CalendarState.exists,
            rx.el.p(CalendarState.status, role="status", class_name="form-status"),
        ),
        class_name="stack",
    )


def _section(title: str, *children: rx.Component) -> rx.Component:
    return rx.el.section(
        rx.heading(title, as_="h2", size="5", margin_bottom="12px"),
        *children,
        class_name="card",
        margin_bottom="16px",
    )


def settings_page() -> rx.Component:
    return page_shell(
        rx.text("Signed in as ", rx.text.strong(SettingsState.email), margin_bottom="16px"),
        # Its fields take the saved values when they arrive: shown only then, so nothing typed
        # into an empty form is wiped by the values loading.
        _section(
            "Your details",
            rx.cond(SettingsState.email != "", rx.fragment(_profile_form(), zone_detector())),
        ),
        _section(
            "Set-up",
            rx.text("Clinic, reminder, infusions and baseline PHQ-9, one step at a time."),
            rx.link("Open the set-up steps", href=routes.SETUP),
        ),
        _section("Appearance", _appearance()),
        _section("Password", _password_form()),
        _section(
            "My safety plan",
            rx.text(
                "What helps and who to call when things get hard, in your own words. It shows "
                "on every crisis screen."
            ),
            rx.link("Open my safety plan", href=routes.SAFETY_PLAN),
        ),
        _section("Calendar", calendar_section()),
        _section("Your data", _your_data()),
        _section(
            "Sign out",
            rx.text("Signing out ends this session on the server.", margin_bottom="12px"),
            posted_form(
                submit=rx.button("Sign out", type="submit", size="3", variant="outline"),
                action=routes.AUTH_SIGNOUT,
                busy="Signing out…",
            ),
        ),
        title="Settings",
        active=routes.SETTINGS,
    )
