"""Every path the app serves, in one place: nothing else spells a URL."""

from __future__ import annotations

import re
from urllib.parse import quote

TODAY = "/"
CHECKIN = "/checkin"
INFUSIONS = "/infusions"
POST_CHECK = "/infusions/check"
QUESTIONNAIRES = "/questionnaires"
PHQ9 = "/questionnaires/phq9"
GAD7 = "/questionnaires/gad7"
TRENDS = "/trends"
LEARN = "/learn"
SHARE = "/share"
SETTINGS = "/settings"
SETUP = "/setup"
HELP = "/help"
HELP_OFFLINE = "/help/offline"
SERVICE_WORKER = "/sw.js"
SAFETY_PLAN = "/safety-plan"
LOGIN = "/login"
SIGNUP = "/signup"

# HTTP routes outside Reflex's pages.
AUTH_SIGNIN = "/auth/signin"
AUTH_SIGNUP = "/auth/signup"
AUTH_SIGNOUT = "/auth/signout"
AUTH_DELETE = "/auth/delete"
# Starlette patterns of the clinician's page (plain HTTP, no Reflex) and its downloads.
SHARE_PAGE = "/s/{token}"
SHARE_CSV = "/s/{token}/summary.csv"
SHARE_FHIR = "/s/{token}/fhir.json"
# The link's SMART Health Link manifest (POST, any origin) and its one-use file addresses.
SHL_MANIFEST = "/s/{token}/shl"
SHL_FILE = "/s/{token}/shl/{ticket}"
EXPORT = "/api/export.{fmt}"
ENTRIES = "/api/entries/{kind}"
ENTRIES_SOCKET = "/api/entries-socket"
HEALTHZ = "/healthz"
CALENDAR_FEED = "/api/calendar/{token}.ics"
# Each Trends chart as an SVG image, for the signed-in patient (?range=1M&width=300).
TRENDS_CHART_SVG = "/api/trends/{chart}.svg"
TRENDS_MOOD_SVG = "/api/trends/mood.svg"

# Pages anyone may open; every other page needs a signed-in patient.
PUBLIC_PAGES = frozenset({LOGIN, SIGNUP, HELP, HELP_OFFLINE})
PUBLIC_PREFIXES = ("/s/",)


def questionnaire(key: str) -> str:
    return f"{QUESTIONNAIRES}/{key}"


def shared_summary(token: str) -> str:
    return f"/s/{quote(token)}"


def share_download(token: str, kind: str) -> str:
    """The CSV ("summary.csv") or FHIR ("fhir.json") download of a share link (a passcode
    link's downloads also need the grant cookie its page set)."""
    return f"/s/{quote(token)}/{kind}"


def shl_manifest(token: str) -> str:
    return f"/s/{quote(token)}/shl"


def shl_file(token: str, ticket: str) -> str:
    return f"/s/{quote(token)}/shl/{quote(ticket)}"


def trends_chart_svg(chart: str, range_key: str, width: int, view: str = "") -> str:
    """A Trends chart's picture; `view` names the view the page's state loaded, kept a minute
    on the server for its pictures (summary.keep_for_pictures)."""
    kept = f"&view={quote(view)}" if view else ""
    return f"/api/trends/{quote(chart)}.svg?range={quote(range_key)}&width={width}{kept}"


def trends_mood_svg(range_key: str, width: int) -> str:
    return trends_chart_svg("mood", range_key, width)


def calendar_feed(token: str) -> str:
    return f"/api/calendar/{quote(token)}.ics"


def post_check(infusion_id: int, timepoint: str) -> str:
    return f"{POST_CHECK}?infusion={infusion_id}&when={quote(timepoint)}"


def setup_step(key: str) -> str:
    return f"{SETUP}?step={quote(key)}"


def article(slug: str) -> str:
    return f"{LEARN}/{slug}"


PRIVATE_PAGES = frozenset(
    {
        *(TODAY, CHECKIN, INFUSIONS, POST_CHECK, PHQ9, GAD7, TRENDS, LEARN, SHARE, SETTINGS),
        *(SAFETY_PLAN, SETUP),
    }
)
_ARTICLE = re.compile(r"/learn/[a-z0-9-]{1,80}")
# What may follow sign-in: a private page of this app, with a plain query. Nothing else, in
# any spelling: no scheme, no "//", no backslash, no %-escapes, no control characters.
_NEXT = re.compile(r"(/[a-z0-9/-]{0,120})(\?[A-Za-z0-9=&_.-]{0,200})?")


def is_private_page(path: str) -> bool:
    return path in PRIVATE_PAGES or bool(_ARTICLE.fullmatch(path))


def safe_next(value: object) -> str:
    """The page to open after signing in: `value` when it is one of this app's private pages
    (as sent back by the sign-in redirect), else Today."""
    if not isinstance(value, str):
        return TODAY
    match = _NEXT.fullmatch(value)
    if match is None:
        return TODAY
    path = match.group(1)
    path = path.rstrip("/") or "/"
    if "//" in path or not is_private_page(path):
        return TODAY
    return path + (match.group(2) or "")


def login_for(path: str, query: str = "") -> str:
    """/login, remembering a private page asked for while signed out (only a safe one)."""
    wanted = safe_next(path + (f"?{query}" if query else ""))
    return LOGIN if wanted == TODAY else f"{LOGIN}?next={quote(wanted, safe='')}"


def is_public(path: str) -> bool:
    clean = "/" + path.strip("/")
    return clean in PUBLIC_PAGES or any(clean.startswith(p) for p in PUBLIC_PREFIXES)
