"""Every public event handler is on the reviewed list, and the list names no handler that is
gone: a new handler fails here until it has a hostile payload in tests/security/handlers.py."""

from __future__ import annotations

from tests.security.handlers import REVIEWED, public_handlers


def test_every_public_handler_has_been_reviewed():
    found = public_handlers()
    assert sorted(set(found) - set(REVIEWED)) == [], "new handlers: review them in handlers.py"
    assert sorted(set(REVIEWED) - set(found)) == [], "handlers gone: remove them from the list"


def test_no_state_has_automatic_setters():
    """With state_auto_setters off, setvar reaches nothing but Reflex's own is_hydrated."""
    import reflex as rx

    import companion.companion  # noqa: F401

    def walk(cls):
        yield cls
        for sub in cls.get_substates():
            yield from walk(sub)

    setters = {
        f"{cls.__name__}.{name}"
        for cls in walk(rx.State)
        for name in dir(cls)
        if name.startswith("set_") and name != "set_is_hydrated"
    }
    assert setters == set()
