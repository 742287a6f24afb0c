"""Share links: tokens as hashes, every invalid case alike, passcodes, locks and ownership."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from companion.data import shares
from companion.data.db import utcnow
from companion.data.shares import ShareLink, ShareView
from companion.security import sharing
from companion.ui.state.share import ShareState
from tests.conftest import make_link
from tests.state_helpers import make_state


def test_token_is_random_and_stored_only_as_its_sha256(session, patient):
    made = make_link(session, patient)
    assert len(made.token) >= 43
    stored = session.exec(select(ShareLink)).one()
    assert stored.token_hash == hashlib.sha256(made.token.encode()).hexdigest()
    assert made.token not in stored.token_hash
    assert sharing.find_usable(session, made.token).id == stored.id
    assert made.link.expires_at - made.link.created_at == timedelta(days=30)


@pytest.mark.parametrize(
    ("choices", "words"),
    [
        ({"expiry_days": 14}, "7, 30 or 90"),
        ({"expiry_days": "forever"}, "7, 30 or 90"),
        ({"period": "365d"}, "period"),
        ({"passcode": "abc"}, "4 to 64"),
        ({"passcode": "x" * 65}, "4 to 64"),
        ({"passcode": 1234}, "text"),
    ],
)
def test_bad_choices_create_nothing(session, patient, choices, words):
    args = {"expiry_days": 30, "period": "30d", "include_notes": False, "passcode": ""}
    args.update(choices)
    made = sharing.create_share_link(session, patient.id, **args)
    assert made.link is None and words in made.message
    assert session.exec(select(ShareLink)).all() == []


def test_expired_revoked_locked_unknown_and_malformed_are_all_unusable(session, patient):
    made = make_link(session, patient, expiry_days=7)
    assert sharing.find_usable(session, made.token) is not None
    later = utcnow() + timedelta(days=7, seconds=1)
    assert sharing.find_usable(session, made.token, now=later) is None
    for bad in ["", "short", "x" * 43, made.token + "x", None, 12345]:
        assert sharing.find_usable(session, bad) is None
    assert sharing.revoke(session, patient.id, made.link.id)
    assert sharing.find_usable(session, made.token) is None


def test_five_wrong_passcodes_lock_until_the_patient_unlocks(session, patient):
    made = make_link(session, patient, passcode="blue heron")
    link = sharing.find_usable(session, made.token)
    for tries_left in (4, 3, 2, 1):
        opening = sharing.open_link(session, link, "Chrome on Windows", "Dr Lee", "wrong")
        assert opening.view is None and f"{tries_left} tr" in opening.message
    opening = sharing.open_link(session, link, "Chrome on Windows", "Dr Lee", "wrong")
    assert "locked" in opening.message
    assert sharing.find_usable(session, made.token) is None
    outcomes = [v.outcome for v in session.exec(select(ShareView)).all()]
    assert outcomes == ["wrong_passcode"] * 5
    assert sharing.unlock(session, patient.id, made.link.id)
    link = sharing.find_usable(session, made.token)
    opening = sharing.open_link(session, link, "Chrome on Windows", "Dr Lee", "blue heron")
    assert opening.view is not None and opening.grant
    assert link.view_count == 1 and link.failed_attempts == 0
    assert sharing.grant_allows(session, link, opening.grant)
    assert not sharing.grant_allows(session, link, None)
    assert not sharing.grant_allows(session, link, opening.grant, now=utcnow() + timedelta(hours=3))


def test_passcodes_are_hashed_with_argon2id(session, patient):
    make_link(session, patient, passcode="blue heron")
    stored = session.exec(select(ShareLink)).one()
    assert (
        stored.passcode_hash.startswith("$argon2id$") and "blue heron" not in stored.passcode_hash
    )


def test_patients_cannot_touch_each_others_links(session, patient, other_patient):
    made = make_link(session, patient)
    assert not sharing.revoke(session, other_patient.id, made.link.id)
    assert not sharing.unlock(session, other_patient.id, made.link.id)
    state = make_state(ShareState, other_patient.token)
    state.load()
    assert state.links == []
    state.revoke(made.link.id)
    assert state.error == "That link was not found."
    assert sharing.find_usable(session, made.token) is not None


def test_share_page_creates_lists_and_revokes(session, patient):
    state = make_state(ShareState, patient.token)
    state.load()
    state.create({"expiry_days": "90", "period": "all", "include_notes": "on", "passcode": ""})
    assert "/s/" in state.new_url and state.new_qr.startswith("data:image/svg+xml")
    [item] = state.links
    assert (item.status, item.period, item.notes, item.views) == ("Active", "All data", True, 0)
    token = state.new_url.split("#")[0].rsplit("/", 1)[-1]
    link = sharing.find_usable(session, token)
    opening = sharing.open_link(session, link, "Firefox on macOS")
    shares.set_viewer_name(session, link, opening.view.id, "Dr Ada Lee")
    session.commit()
    state.load()
    [item] = state.links
    assert item.views == 1 and item.last_viewed != "never"
    assert [(v.name, v.outcome) for v in item.log] == [("Dr Ada Lee", "Opened")]
    state.revoke(item.id)
    assert state.links[0].status == "Revoked"
    session.expire_all()
    assert sharing.find_usable(session, token) is None


def test_forged_share_choices_are_refused(session, patient):
    state = make_state(ShareState, patient.token)
    state.load()
    for form in ({"expiry_days": "365", "period": "30d"}, {"period": "ALL"}, "link please"):
        state.create(form)
        assert state.error and state.new_url == ""
    assert session.exec(select(ShareLink)).all() == []


def test_a_late_on_load_does_not_hide_the_link_just_created(session, patient, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr("time.time", lambda: clock[0])
    state = make_state(ShareState, patient.token)
    # A fast tap on "Create link" can reach the server before the page's own on_load.
    state.create({"expiry_days": "30", "period": "30d"})
    shown = state.new_url
    assert "/s/" in shown
    clock[0] += 1
    state.load()
    assert state.new_url == shown and state.status.startswith("Link created")
    # A later visit to /share does not show it again: only its hash is kept.
    clock[0] += 60
    state.load()
    assert state.new_url == "" and state.status == ""
    assert len(state.links) == 1
