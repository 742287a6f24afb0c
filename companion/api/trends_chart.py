"""The Trends mood chart as an SVG image for the signed-in patient: drawn on the server, so the
first chart on /trends needs no Plotly."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from companion.api.downloads import PRIVATE
from companion.charts.svg import MOOD_HEIGHT, MOOD_IMAGE_WIDTHS, mood_svg
from companion.data.db import session_scope
from companion.security import auth
from companion.summary import RANGES, trends_mood

TITLE = "Mood by day"


def _bad(message: str) -> Response:
    return PlainTextResponse(message, status_code=400, headers=PRIVATE)


def _signed_out(width: int) -> Response:
    """Refused, as an empty image of the chart's size: /trends has this address in its HTML, and
    a visitor whose session has ended sees a blank card, not a broken image, until the page
    sends them to sign in. Nothing of any patient is drawn."""
    body = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {MOOD_HEIGHT}" '
        f'width="{width}" height="{MOOD_HEIGHT}"><title>Please sign in.</title></svg>'
    )
    return Response(body, status_code=401, media_type="image/svg+xml", headers=PRIVATE)


async def mood_image(request: Request) -> Response:
    """?range= one of RANGES, ?width= one of MOOD_IMAGE_WIDTHS (text keeps its size in viewBox
    units, so a phone gets the 360 drawing); the session decides whose chart, and ?v= is
    ignored (the page changes it so that the browser never reuses an older image)."""
    range_key = request.query_params.get("range", "1M")
    if range_key not in RANGES:
        return _bad(f"Choose one of the ranges: {', '.join(RANGES)}.")
    width = request.query_params.get("width", str(MOOD_IMAGE_WIDTHS[0]))
    if width not in {str(w) for w in MOOD_IMAGE_WIDTHS}:
        return _bad(f"Choose one of the widths: {', '.join(map(str, MOOD_IMAGE_WIDTHS))}.")
    with session_scope() as session:
        # As export_mine: the session cookie, never a patient id from the request.
        patient_id = auth.patient_for_token(session, request.cookies.get(auth.SESSION_COOKIE))
        if patient_id is None:
            return _signed_out(int(width))
        data = trends_mood(session, patient_id, range_key)
    body = mood_svg(
        data.points,
        data.marks,
        data.start,
        data.end,
        title=TITLE,
        summary=data.summary,
        width=int(width),
    )
    return Response(body, media_type="image/svg+xml", headers=PRIVATE)
