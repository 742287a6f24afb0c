"""The Trends charts as SVG images for the signed-in patient: drawn on the server, so /trends runs
no chart script at all, and a phone scrolling through them has nothing to wait for."""

from __future__ import annotations

import gzip

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from companion.api.downloads import PRIVATE
from companion.charts.svg import MOOD_HEIGHT, MOOD_IMAGE_WIDTHS
from companion.data.db import session_scope
from companion.security import auth
from companion.summary import (
    RANGES,
    TRENDS_TITLES,
    trends_mood,
    trends_mood_svg,
    view_for_pictures,
)


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


def _nothing(width: int, title: str) -> Response:
    """A chart with nothing to draw in this range (the page shows none; an older page may still
    ask): an empty image, named, never an error."""
    body = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 1" width="{width}" '
        f'height="1"><title>{title}: nothing to chart in this period.</title></svg>'
    )
    return Response(body, media_type="image/svg+xml", headers=PRIVATE)


async def chart_image(request: Request) -> Response:
    """/api/trends/<chart>.svg, chart one of TRENDS_TITLES; ?range= one of RANGES, ?width= one of
    MOOD_IMAGE_WIDTHS (text keeps its size in viewBox units, so a phone gets the 300 drawing);
    ?view= the view the page's state loaded (drawn from it while it is kept, else from the
    record as it is now); the session decides whose chart, and ?v= is ignored (the page changes
    it so that the browser never reuses an older image)."""
    chart = request.path_params.get("chart", "")
    if chart not in TRENDS_TITLES:
        return PlainTextResponse("No such chart.", status_code=404, headers=PRIVATE)
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
        if chart == "mood":
            # The first chart, asked for as the page's HTML arrives: its own data alone.
            body = trends_mood_svg(trends_mood(session, patient_id, range_key), int(width))
        else:
            view_id = request.query_params.get("view", "")
            trends = view_for_pictures(session, patient_id, range_key, view_id)
            view = getattr(trends, chart)
            if view.draw is None:
                return _nothing(int(width), TRENDS_TITLES[chart])
            body = view.draw(int(width))
    return _svg(request, body)


def _svg(request: Request, body: str) -> Response:
    """The drawing, gzipped for a browser that takes it: SVG is repetitive text, a fifth to a
    seventh of its size so (the ten-year mood chart: 49 KB, 8 KB gzipped), and a phone on
    a slow line waits for every byte. No secret and nothing from the request is in it."""
    data = body.encode()
    if "gzip" not in request.headers.get("accept-encoding", "").lower():
        return Response(
            data, media_type="image/svg+xml", headers={**PRIVATE, "Vary": "Accept-Encoding"}
        )
    packed = gzip.compress(data, 6, mtime=0)
    headers = {**PRIVATE, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
    return Response(packed, media_type="image/svg+xml", headers=headers)
