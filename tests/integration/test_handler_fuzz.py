"""Every public event handler of the app, driven with what a hostile or broken client can send:
wrong types, NaN, huge and negative numbers, unicode, lone surrogates, NUL and extra keys.

None may raise (a raise is what Reflex would answer with its generic "An error occurred"), and
none may write anything a refused payload asked for. The handlers are called as the websocket
would call them, on a state tree whose router carries the patient's session."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
from typing import Any

import pytest
import reflex as rx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from companion.data.tables import metadata
from tests.conftest import make_link, send_entry
from tests.security.handlers import PAGES
from tests.state_helpers import make_state


def app_handlers() -> list[tuple[type[rx.State], str]]:
    """(state class, handler name) for every handler the app itself defines."""
    import companion.companion  # noqa: F401 - registers every page's state

    found: list[tuple[type[rx.State], str]] = []

    def walk(cls: type[rx.State]) -> None:
        if cls.__module__.startswith("companion."):
            found.extend((cls, name) for name in cls.event_handlers if name != "setvar")
        for sub in cls.get_substates():
            walk(sub)

    walk(rx.State)
    return sorted(found, key=lambda pair: (pair[0].__name__, pair[1]))


HANDLERS = app_handlers()

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()  # NaN and infinities included
    | st.text(max_size=40)
    | st.sampled_from(
        [
            *("\ud800", "a\x00b", "", " ", "-1", "1e308", "NaN", "2026-02-30", "99999-01-01"),
            *("phq9", "gad7", "All", "1M", "7", "0", "90", "all", "03:00", "Asia/Tokyo"),
            "how-ketamine-works",
        ]
    )
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
FORM_KEYS = st.sampled_from(
    [
        "expiry_days",
        "period",
        "passcode",
        "include_notes",
        "include_safety_plan",
        "timezone",
        "clinic_name",
        "clinic_phone",
        "crisis_country",
        "current_password",
        "new_password",
        "reminder_time",
        "extra",
        "patient_id",
    ]
)
FORMS = st.dictionaries(FORM_KEYS | st.text(max_size=10), VALUES, max_size=6)


def _parameters(cls: type[rx.State], name: str) -> list[str]:
    return list(inspect.signature(cls.event_handlers[name].fn).parameters)[1:]


def _await(awaitable: Any) -> Any:
    """Run a handler's coroutine on a loop of its own: the browser tests' Playwright keeps an
    event loop running in this thread, where asyncio.run() refuses to start another."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, awaitable).result(timeout=60)


def _run(cls: type[rx.State], name: str, token: str, arguments: dict[str, Any]) -> rx.State:
    state = make_state(cls, token, PAGES.get(cls.__name__, "/"))
    result = cls.event_handlers[name].fn(state, **arguments)
    if inspect.iscoroutine(result):
        result = _await(result)
    elif inspect.isasyncgen(result):

        async def drain(gen):
            return [item async for item in gen]

        result = _await(drain(result))
    elif inspect.isgenerator(result):
        result = list(result)
    return state


def _counts(session) -> dict[str, int]:
    session.expire_all()
    return {
        table.name: int(session.execute(select(func.count()).select_from(table)).scalar_one())
        for table in metadata.sorted_tables
    }


def _texts(session) -> list[str]:
    """Every text value stored anywhere, to find what a payload smuggled in."""
    found: list[str] = []
    for table in metadata.sorted_tables:
        for row in session.execute(select(table)).all():
            found.extend(value for value in row if isinstance(value, str))
    return found


@pytest.fixture
def patient_with_data(session, patient):
    send_entry(patient, "infusion", {"date": "2026-01-05", "time": "09:00", "route": "iv"})
    send_entry(patient, "checkin", {"day": "2026-01-06", "mood": 5})
    make_link(session, patient)
    return patient


def test_every_handler_of_the_app_is_fuzzed():
    names = {f"{cls.__name__}.{name}" for cls, name in HANDLERS}
    assert {"ShareState.create", "SettingsState.save_profile", "CheckInState.open_day"} <= names
    assert len(names) >= 30


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_payload_to_any_handler_gets_an_answer_not_an_error(session, patient_with_data, data):
    cls, name = data.draw(st.sampled_from(HANDLERS), label="handler")
    arguments = {
        parameter: data.draw(FORMS if parameter == "form" else VALUES, label=parameter)
        for parameter in _parameters(cls, name)
    }
    before = _counts(session)
    state = _run(cls, name, patient_with_data.token, arguments)  # raises: the test fails
    after = _counts(session)
    # Nothing refused was half written: no text a database must not hold got in.
    assert not any("\x00" in text for text in _texts(session))
    said = {
        field: value
        for field in type(state).base_vars
        if field.endswith(("error", "message", "status")) and field != "is_hydrated"
        for value in [getattr(state, field, "")]
        if isinstance(value, str) and value
    }
    assert not any("error occurred" in text.lower() for text in said.values()), said
    refused = [text for field, text in said.items() if field.endswith("error")]
    if refused:
        # A wrong current password is counted (the lockout's own table); nothing else moves.
        before.pop("login_failure", None), after.pop("login_failure", None)
        assert after == before, (cls.__name__, name, arguments, refused)
