"""The help page kept for offline use, and the service worker that keeps it: what each shows,
to whom, and that a new release makes browsers take a new worker."""

from __future__ import annotations

import re
from datetime import timedelta

from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from companion import routes
from companion.api import help_page
from companion.assets import versioned
from companion.clinical import validate_safety_plan
from companion.data import accounts, safety, safety_plans
from companion.data.db import utcnow
from companion.security import auth
from companion.summary import SAFETY_CARD_FOR, build_today


def _client() -> TestClient:
    app = Starlette(
        routes=[
            Route(routes.HELP_OFFLINE, help_page.offline_help),
            Route(routes.SERVICE_WORKER, help_page.service_worker),
        ]
    )
    return TestClient(app, base_url="http://localhost:3000")


def test_signed_out_the_page_has_the_lines_anyone_can_use(engine):
    page = _client().get(routes.HELP_OFFLINE)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    for text in ("Call 988", "tel:911", "Text HOME to 741741", "findahelpline.com"):
        assert text in page.text
    assert "Nobody watches your entries in real time." in page.text
    # Self-contained: its styles inline; its only scripts are the app's own files, which send
    # entries still kept on the phone once the connection is back.
    assert 'rel="stylesheet"' not in page.text
    assert re.findall(r"<script[^>]*>", page.text) == [
        f'<script src="{versioned("connection.js")}">',
        f'<script src="{versioned("outbox.js")}" defer>',
    ]


def test_signed_in_it_has_their_country_clinic_and_plan_all_escaped(session, patient):
    accounts.update_profile(
        session,
        patient.id,
        timezone="Europe/Dublin",
        clinic_name="<b>Clinic</b>",
        clinic_phone="01 555 0100",
    )
    safety_plans.save_plan(
        session,
        patient.id,
        validate_safety_plan(
            {"coping": "Walk to the <river>", "helper_name_1": "Aoife", "helper_phone_1": "087 1"}
        ),
    )
    session.commit()
    client = _client()
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    page = client.get(routes.HELP_OFFLINE).text
    assert "Call Samaritans on 116 123" in page and 'href="tel:112"' in page
    assert "Call your clinic: 01 555 0100" in page and "&lt;b&gt;Clinic&lt;/b&gt;" in page
    assert "Walk to the &lt;river&gt;" in page and "Call Aoife" in page
    assert "<river>" not in page and "<b>Clinic" not in page


def test_the_worker_carries_this_release_version_and_is_never_cached(engine):
    worker = _client().get(routes.SERVICE_WORKER)
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert "__VERSION__" not in worker.text
    assert 'const HELP = "/help/offline"' in worker.text
    # Only page loads are handled; every other request goes to the network untouched.
    assert 'if (request.mode !== "navigate") return;' in worker.text


def test_today_leads_with_help_for_72_hours_after_a_safety_answer(session, patient):
    event = safety.record_safety_event(
        session, patient.id, utcnow().date(), "suicidal_thoughts_passing", "checkin", 1
    )
    session.commit()
    recorded = event.recorded_at
    assert build_today(session, patient.id, now=recorded + SAFETY_CARD_FOR).safety_recent
    later = recorded + SAFETY_CARD_FOR + timedelta(minutes=1)
    assert not build_today(session, patient.id, now=later).safety_recent
