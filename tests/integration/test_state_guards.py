"""Handlers check the session cookie on the server; a forged call without one changes nothing."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from companion.data.accounts import Patient
from companion.security import auth
from companion.ui.state.auth import AuthFormState
from companion.ui.state.base import AppState
from companion.ui.state.calendar import CalendarState
from companion.ui.state.checkin import CheckInState
from companion.ui.state.help import HelpState
from companion.ui.state.infusions import InfusionsState
from companion.ui.state.settings import SettingsState
from companion.ui.state.setup import SetupState
from companion.ui.state.share import ShareState
from companion.ui.state.trends import NO_FIGURE, TrendsState
from tests.state_helpers import events_text, make_state, over_socket

PASSWORD = "a long enough password"


def _token(session, email="pat@example.com"):
    result = auth.sign_up(session, email, PASSWORD, "UTC", "c", "d")
    session.commit()
    return result.token


def test_require_patient_reads_the_cookie_header(session):
    token = _token(session)
    assert make_state(AppState, token)._require_patient() is not None
    assert make_state(AppState, None)._require_patient() is None
    assert make_state(AppState, "forged-token")._require_patient() is None


def test_guard_redirects_signed_out_visitors_to_login(session):
    assert "/login" in events_text(make_state(AppState, None).guard())
    assert make_state(AppState, _token(session)).guard() is None


def test_settings_handlers_refuse_without_a_session(session):
    token = _token(session)
    state = make_state(SettingsState, None)
    result = state.save_profile(
        {"timezone": "Asia/Tokyo", "clinic_name": "Evil", "clinic_phone": "1"}
    )
    assert "/login" in events_text(result)
    session.expire_all()
    assert session.exec(select(Patient)).one().timezone == "UTC"
    # Someone else's session changes only their own row.
    other = _token(session, "other@example.com")
    make_state(SettingsState, other).save_profile(
        {"timezone": "Asia/Tokyo", "clinic_name": "", "clinic_phone": ""}
    )
    session.expire_all()
    mine = session.exec(select(Patient).where(Patient.email == "pat@example.com")).one()
    assert mine.timezone == "UTC"
    assert make_state(SettingsState, token).load() is None


def test_settings_validate_on_the_server(session):
    token = _token(session)
    state = make_state(SettingsState, token)
    for form, message in [
        ({"timezone": "Nowhere/Place"}, "time zone"),
        ({"timezone": "UTC", "clinic_phone": "<script>"}, "phone"),
        ({"timezone": "UTC", "clinic_name": "x" * 121}, "120"),
        ({"timezone": "UTC", "summary_name": "x" * 81}, "at most 80"),
        ({"timezone": "UTC", "summary_name": ["Alex"]}, "at most 80"),
        ({"timezone": "UTC", "summary_name": "Alex\u202eevil"}, "at most 80"),
        ("not a dict", "time zone"),
    ]:
        state.save_profile(form)
        assert message in state.profile_error
    session.expire_all()
    assert session.exec(select(Patient)).one().timezone == "UTC"
    state.save_profile(
        {
            "timezone": "America/Chicago",
            "clinic_name": "Lakeside",
            "clinic_phone": "+1 (312) 555-0100",
            "summary_name": "  Alex M.  ",
        }
    )
    assert state.profile_message == "Saved."
    session.expire_all()
    saved = session.exec(select(Patient)).one()
    assert (saved.timezone, saved.clinic_name, saved.summary_name) == (
        "America/Chicago",
        "Lakeside",
        "Alex M.",
    )


def test_help_shows_clinic_only_to_its_patient(session):
    token = _token(session)
    make_state(SettingsState, token).save_profile(
        {"timezone": "UTC", "clinic_name": "Lakeside", "clinic_phone": "555 0100"}
    )
    mine = make_state(HelpState, token)
    mine.load()
    assert mine.clinic_phone == "555 0100"
    anonymous = make_state(HelpState, None)
    anonymous.load()
    assert anonymous.clinic_phone == ""


def test_signed_in_visitor_to_the_forms_goes_on_and_messages_come_by_code(session):
    token = _token(session)
    assert "/checkin" in events_text(
        make_state(AuthFormState, token, "/login", "next=%2Fcheckin").open_form()
    )
    state = make_state(AuthFormState, None, "/login", "error=credentials")
    assert state.open_form() is None
    assert state.error == auth.BAD_CREDENTIALS
    forged = make_state(AuthFormState, None, "/login", "error=%3Cscript%3E")
    forged.open_form()
    assert forged.error == ""


def test_forged_choices_get_a_message_and_change_nothing(session, patient):
    trends = make_state(TrendsState, patient.token)
    trends.load()
    for forged in ["10Y", 7, None, ["1M"]]:
        trends.choose_range(forged)
        assert trends.error == "Choose one of the ranges: 2W, 1M, 3M, 1Y, All."
        assert trends.range_key == "1M"
    trends.choose_range("3M")
    assert (trends.error, trends.range_key) == ("", "3M")
    # Exploring a chart: a name not of a chart shown closes any, draws nothing, and no figure
    # reaches the tab.
    for forged in ["../mood", 7, None, ["mood"], {"name": "mood"}, "mood"]:
        trends.explore(forged)
        assert (trends.exploring, trends.explored_figure) == ("", NO_FIGURE)

    checkin = make_state(CheckInState, patient.token)
    checkin.load()
    today = checkin.day_iso  # the example in the message is the patient's own today
    for forged in [5, ["2026-01-01"], {"day": 1}, "not a day"]:
        checkin.open_day(forged)
        assert checkin.error == f"The day must be a date like {today}."
        assert checkin.day_iso == today

    infusions_state = make_state(InfusionsState, patient.token)
    infusions_state.load()
    for forged in ["1", 1.0, True, None]:
        infusions_state.ask_delete(forged)
        assert infusions_state.error == "That infusion was not found."
        assert infusions_state.confirm_delete_id == -1


def _saved_and_made_feed(session, monkeypatch) -> tuple[list[float], str, Any, Any]:
    """A stopped clock, a patient's session, and their settings saved and calendar feed made
    over the first socket."""
    clock = [1_000_000.0]
    monkeypatch.setattr("time.time", lambda: clock[0])
    token = _token(session)
    settings = make_state(SettingsState, token)
    settings.save_profile({"timezone": "UTC", "clinic_name": "Lakeside"})
    calendar = make_state(CalendarState, token)
    calendar.make_feed({"reminder_time": "21:15"})
    return clock, token, settings, calendar


def test_late_on_loads_keep_what_the_visit_just_showed(session, monkeypatch):
    """Reflex may run on_load after a fast first action of the same visit."""
    clock, _, settings, calendar = _saved_and_made_feed(session, monkeypatch)
    url = calendar.new_url
    clock[0] += 1
    settings.load()
    calendar.load()
    assert settings.profile_message == "Saved." and calendar.new_url == url != ""
    # A later visit starts clean; the calendar address stays until it is revoked.
    clock[0] += 60
    settings.load()
    calendar.load()
    assert settings.profile_message == "" and calendar.new_url == url and calendar.exists
    assert calendar.status == ""


def test_a_page_opened_anew_right_after_an_action_starts_clean(session, monkeypatch):
    """A second later, but over a new websocket (a reload, a link, another tab): not the same
    visit, so nothing the last one showed is shown again (a share link above all)."""
    clock, token, settings, calendar = _saved_and_made_feed(session, monkeypatch)
    setup = make_state(SetupState, token)
    setup.load()
    setup.go(2)
    share = make_state(ShareState, token)
    share.create({"expiry_days": "30", "period": "30d"})
    assert settings.profile_message == "Saved." and calendar.status and share.new_url
    clock[0] += 1
    for state in (settings, calendar, setup, share):
        over_socket(state, "reloaded-socket")
        state.load()
    assert settings.profile_message == ""
    assert calendar.status == "" and calendar.exists  # the address stays until revoked
    assert setup.step == 0
    assert share.new_url == "" and share.new_qr == "" and share.status == ""
    assert len(share.links) == 1
