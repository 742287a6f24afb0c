"""The Trends mood chart image: the signed-in patient's own mood for a valid range, or a refusal."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from companion import routes
from companion.api import trends_chart
from companion.clinical.checkin import validate_checkin
from companion.clinical.infusion_input import validate_infusion
from companion.data import checkins, infusions
from companion.data.db import utcnow
from companion.localtime import local_today, zone
from companion.security import auth
from companion.summary import build_trends
from companion.ui.state.trends import NO_FIGURE, TrendsState
from tests.conftest import make_patient
from tests.state_helpers import make_state


@pytest.fixture
def client(engine):
    return TestClient(Starlette(routes=[Route(routes.TRENDS_CHART_SVG, trends_chart.chart_image)]))


def _log(session, patient_id: int, moods: list[int]) -> None:
    today = local_today("UTC")
    for offset, mood in enumerate(moods):
        day = (today - timedelta(days=offset)).isoformat()
        checkins.save_checkin(
            session, patient_id, validate_checkin({"day": day, "mood": mood}, today)
        )
    session.commit()


def test_my_chart_is_the_trends_mood_chart_for_the_range(client, session, patient):
    _log(session, patient.id, [7, 6, 5, 4, 3, 8, 2, 6, 7, 5, 4, 9, 3, 6, 5, 6, 7, 8, 9, 1])
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    for key, dots in [("2W", 14), ("1M", 20)]:
        answer = client.get(routes.TRENDS_MOOD_SVG, params={"range": key, "width": "300"})
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("image/svg+xml")
        assert answer.headers["cache-control"] == "no-store"
        body = answer.text
        assert body.startswith("<svg") and 'viewBox="0 0 300 ' in body
        # The same one-sentence summary as the Trends card, and one dot per logged day shown.
        summary = build_trends(session, patient.id, key).mood.summary
        assert f'<desc id="kc-mood-by-day-300-desc">{escape(summary, quote=False)}</desc>' in body
        assert _dots(body) == dots
    wide = client.get(routes.TRENDS_MOOD_SVG, params={"range": "1M", "width": "640"})
    assert 'viewBox="0 0 640 ' in wide.text


def _dots(body: str) -> int:
    """Mood dots drawn: every circle but the legend's one key."""
    return body.count("<circle") - 1


def test_signed_out_gets_no_chart(client, session, patient):
    _log(session, patient.id, [7, 6, 5])
    answer = client.get(routes.TRENDS_MOOD_SVG, params={"range": "1M"})
    # Refused as an empty image (the page's HTML asks for it before it knows who is there):
    # a blank card, not a broken image, and nothing drawn.
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert answer.headers["cache-control"] == "no-store"
    assert "<title>Please sign in.</title>" in answer.text
    for drawn in ("<circle", "<line", "<path", "<polyline", "<rect", "<text"):
        assert drawn not in answer.text
    client.cookies.set(auth.SESSION_COOKIE, "not-a-session")
    stranger = client.get(routes.TRENDS_MOOD_SVG)
    assert stranger.status_code == 401 and "<circle" not in stranger.text


def test_the_session_decides_whose_chart(client, session, patient):
    _log(session, patient.id, [9, 9, 9, 9, 9, 9, 9])
    other = make_patient(session, "other@example.com")
    client.cookies.set(auth.SESSION_COOKIE, other.token)
    # No patient id is read from the request: asking for someone else's still draws mine (none).
    body = client.get(routes.TRENDS_MOOD_SVG, params={"range": "1M", "patient": patient.id}).text
    assert "No data in this period" in body
    assert _dots(body) == 0
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    assert "No data in this period" not in client.get(routes.TRENDS_MOOD_SVG).text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"range": "5Y"}, "Choose one of the ranges: 2W, 1M, 3M, 1Y, All."),
        ({"range": ""}, "Choose one of the ranges: 2W, 1M, 3M, 1Y, All."),
        ({"range": "1M", "width": "99999"}, "Choose one of the widths: 300, 460, 640."),
    ],
)
def test_bad_range_or_width_is_refused_with_a_message(client, session, patient, params, message):
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    answer = client.get(routes.TRENDS_MOOD_SVG, params=params)
    assert answer.status_code == 400
    assert answer.text == message


def _infusion(session, patient_id: int, days_from_now: int) -> None:
    when = utcnow() + timedelta(days=days_from_now)
    entry = {"date": when.date().isoformat(), "time": "10:00", "route": "iv"}
    infusions.add_infusion(session, patient_id, validate_infusion(entry, utcnow(), zone("UTC")))
    session.commit()


def test_trends_page_reserves_each_drawings_own_height(client, session, patient):
    _log(session, patient.id, [5, 6, 7])
    # A given and a planned infusion: the narrow drawing's legend wraps to a second row.
    _infusion(session, patient.id, -1)
    _infusion(session, patient.id, 3)
    trends = make_state(TrendsState, patient.token)
    trends.load()
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    heights = set()
    for width in (300, 460, 640):
        src = trends.mood_image[f"src{width}"]
        assert "range=1M" in src
        body = client.get(src).text
        height = trends.mood_image[f"height{width}"]
        assert f'viewBox="0 0 {width} {height}"' in body
        heights.add(height)
    assert len(heights) == 2
    trends.choose_range("2W")
    assert "range=2W" in trends.mood_image["src300"]


def test_every_chart_is_an_image_and_plotly_comes_only_for_the_one_explored(
    client, session, patient
):
    _log(session, patient.id, [5, 6, 7, 4])
    today = local_today("UTC")
    checkins.save_checkin(
        session,
        patient.id,
        validate_checkin(
            {"day": today.isoformat(), "mood": 5, "sleep_hours": 7, "anxiety": 3}, today
        ),
    )
    session.commit()
    _infusion(session, patient.id, -2)
    trends = make_state(TrendsState, patient.token)
    trends.load()
    # What a tab holds: addresses and heights, no figure.
    assert trends.explored_figure == NO_FIGURE
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    for name in ("mood", "response", "wellbeing"):
        assert trends.shown[name]
        image = getattr(trends, f"{name}_image")
        for width in (300, 460, 640):
            answer = client.get(image[f"src{width}"])
            assert answer.status_code == 200, name
            assert answer.headers["cache-control"] == "no-store"
            height = image[f"height{width}"]
            assert f'viewBox="0 0 {width} {height}"' in answer.text, (name, width)
            assert "<desc " in answer.text and "<script" not in answer.text
    # Nothing logged for these: the page shows no picture, and the address draws nothing.
    assert not trends.shown["phq9"] and not trends.shown["side_effects"]
    empty = client.get(trends.phq9_image["src300"])
    assert empty.status_code == 200 and "<circle" not in empty.text and "<path" not in empty.text
    assert client.get("/api/trends/secrets.svg").status_code == 404

    trends.explore("response")
    assert trends.exploring == "response"
    # The same infusion as the picture, now as a line Plotly draws (a tap shows each day).
    names = [trace["name"] for trace in trends.explored_figure["data"]]
    assert len(names) == 1 and names[0].startswith("Induction 1 · ")
    trends.choose_range("2W")  # kept, for the new range
    assert trends.exploring == "response" and trends.explored_figure["data"]
    trends.explore("")
    assert (trends.exploring, trends.explored_figure) == ("", NO_FIGURE)


def test_a_drawing_comes_gzipped_to_a_browser_that_takes_it(client, session, patient):
    _log(session, patient.id, list(range(11)) * 3)
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    packed = client.get(routes.trends_chart_svg("mood", "All", 300))
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert int(packed.headers["content-length"]) < len(packed.content) / 3
    plain = client.get(
        routes.trends_chart_svg("mood", "All", 300), headers={"Accept-Encoding": "identity"}
    )
    assert "content-encoding" not in plain.headers
    assert plain.content == packed.content  # the same drawing
    assert plain.headers["cache-control"] == "no-store"


def test_pictures_are_drawn_from_the_view_the_page_loaded_and_only_for_its_patient(
    client, session, patient
):
    _log(session, patient.id, [5, 6, 7, 8])
    today = local_today("UTC")
    save = {"day": today.isoformat(), "mood": 8, "sleep_hours": 7, "anxiety": 3}
    checkins.save_checkin(session, patient.id, validate_checkin(save, today))
    session.commit()
    trends = make_state(TrendsState, patient.token)
    trends.load()
    src = trends.wellbeing_image["src300"]
    assert "&view=" in src
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    drawn = client.get(src).text
    # The picture agrees with the summary beside it, drawn from the same view.
    assert f"{escape(trends.summaries['wellbeing'], quote=False)}</desc>" in drawn
    assert 'class="kc-anxiety"' in drawn
    # Even once the record has changed since (another phone saved): the picture is the kept
    # view's, the record's own drawing has the new data.
    shown_summary = trends.summaries["wellbeing"]
    yesterday = (today - timedelta(days=1)).isoformat()
    changed = {"day": yesterday, "mood": 8, "sleep_hours": 3, "anxiety": 9}
    checkins.save_checkin(session, patient.id, validate_checkin(changed, today))
    session.commit()
    now = build_trends(session, patient.id, "1M").wellbeing.summary
    assert now != shown_summary
    assert f"{escape(shown_summary, quote=False)}</desc>" in client.get(src).text
    fresh = client.get(src.split("&view=")[0]).text
    assert f"{escape(now, quote=False)}</desc>" in fresh
    # Exploring a chart takes its figure from that view: no picture's address changes, so none
    # is fetched again.
    images = [getattr(trends, f"{name}_image") for name in ("mood", "response", "wellbeing")]
    trends.explore("wellbeing")
    assert trends.exploring == "wellbeing" and trends.explored_figure["data"]
    assert [getattr(trends, f"{n}_image") for n in ("mood", "response", "wellbeing")] == images

    # Another patient holding this address gets their own chart: nothing of this one's.
    other = make_patient(session, "other@example.com")
    client.cookies.set(auth.SESSION_COOKIE, other.token)
    theirs = client.get(src)
    assert theirs.status_code == 200
    assert "kc-anxiety" not in theirs.text and "<rect" not in theirs.text
