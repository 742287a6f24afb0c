"""Every path the app serves, in one place: nothing else spells a URL."""

from __future__ import annotations

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
HELP = "/help"
LOGIN = "/login"
SIGNUP = "/signup"
SHARED_SUMMARY = "/s/[token]"

# HTTP routes outside Reflex's pages.
AUTH_SESSION = "/auth/session"
AUTH_SIGNOUT = "/auth/signout"
# Starlette patterns of the HTTP downloads.
SHARE_CSV = "/api/share/{token}/summary.csv"
SHARE_FHIR = "/api/share/{token}/fhir.json"
EXPORT = "/api/export.{fmt}"
CALENDAR_FEED = "/api/calendar/{token}.ics"

# Pages anyone may open; every other page needs a signed-in patient.
PUBLIC_PAGES = frozenset({LOGIN, SIGNUP, HELP})
PUBLIC_PREFIXES = ("/s/",)


def questionnaire(key: str) -> str:
    return f"{QUESTIONNAIRES}/{key}"


def shared_summary(token: str) -> str:
    return f"/s/{token}"


def share_download(token: str, kind: str, grant: str = "") -> str:
    """The CSV ("summary.csv") or FHIR ("fhir.json") download of a share link."""
    suffix = f"?grant={quote(grant)}" if grant else ""
    return f"/api/share/{quote(token)}/{kind}{suffix}"


def calendar_feed(token: str) -> str:
    return f"/api/calendar/{quote(token)}.ics"


def post_check(infusion_id: int, timepoint: str) -> str:
    return f"{POST_CHECK}?infusion={infusion_id}&when={quote(timepoint)}"


def article(slug: str) -> str:
    return f"{LEARN}/{slug}"


def is_public(path: str) -> bool:
    clean = "/" + path.strip("/")
    return clean in PUBLIC_PAGES or any(clean.startswith(p) for p in PUBLIC_PREFIXES)
