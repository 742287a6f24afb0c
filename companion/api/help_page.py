"""The help page that works offline, and the service worker that keeps it.

`/help/offline` is one self-contained HTML page (its styles inline, no script, nothing else to
load): the crisis lines of the patient's country, their clinic, their safety plan, and the
plain statement that nobody watches entries. The service worker (`/sw.js`) keeps the latest
copy and serves it for /help when the network does not answer in time, and for any page that
cannot load while offline. It caches nothing else: no patient page, no API answer.
"""

from __future__ import annotations

import functools
import hashlib
from html import escape
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from companion import routes
from companion.assets import versioned
from companion.clinical import NOBODY_WATCHING, SAFETY_PLAN_STEPS, CrisisContact, help_for
from companion.data import accounts, safety_plans
from companion.data.db import session_scope
from companion.security import auth
from companion.settings import PROJECT_ROOT

SW_TEMPLATE = PROJECT_ROOT / "assets" / "js" / "sw.js"
# Phone calls and texts work without mobile data: said on the page, which shows offline.
CALLS_WORK = "Calls and texts work even without an internet connection."

STYLE = """
:root { color-scheme: light dark; --bg: #fff; --fg: #1c2024; --muted: #5c6370;
  --line: #d9dde3; --crisis: #c4262b; --panel: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --bg: #111315; --fg: #eceef0; --muted: #a9b1bb;
  --line: #3a3f45; --panel: #1b1e21; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 40rem; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.75rem; margin: 8px 0 12px; }
h2 { font-size: 1.2rem; margin: 20px 0 8px; }
ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
a.line { display: flex; flex-direction: column; min-height: 48px; padding: 10px 14px;
  border-radius: 12px; border: 2px solid var(--crisis); color: var(--fg); text-decoration: none;
  background: var(--panel); }
a.line.first { background: var(--crisis); color: #fff; }
a.line .action { font-weight: 700; font-size: 1.2rem; }
a.line .name { font-size: 0.9rem; }
.muted { color: var(--muted); }
dt { font-weight: 700; margin-top: 8px; }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.note { border-left: 4px solid var(--crisis); padding: 6px 10px; margin: 8px 0; }
"""


def _tel(phone: str) -> str:
    return "tel:" + phone.replace(" ", "")


def _line(contact: CrisisContact, first: bool = False) -> str:
    href = escape(contact.href, quote=True)
    return (
        f'<li><a class="line{" first" if first else ""}" href="{href}">'
        f'<span class="action">{escape(contact.action)}</span>'
        f'<span class="name">{escape(contact.name)}</span></a></li>'
    )


def offline_help_html(
    country: str = "",
    zone: str = "",
    clinic_name: str = "",
    clinic_phone: str = "",
    plan: safety_plans.PlanView | None = None,
) -> str:
    """The whole page as a string (every piece of the patient's text escaped)."""
    lines = help_for(country, zone)
    clinic = ""
    if clinic_phone:
        call = CrisisContact(
            clinic_name or "Your clinic",
            f"Call your clinic: {clinic_phone}",
            _tel(clinic_phone),
        )
        clinic = _line(call)
    items = [
        _line(lines.crisis_line, first=True),
        _line(lines.emergency, first=True),
        clinic,
        *(_line(line) for line in lines.others),
    ]
    plan_html = ""
    if plan is not None and not plan.empty:
        parts = []
        for step in SAFETY_PLAN_STEPS:
            if step.key == "helpers":
                if plan.helpers:
                    people = "".join(
                        _line(CrisisContact(h.phone, f"Call {h.name}", _tel(h.phone)))
                        for h in plan.helpers
                    )
                    parts.append(f"<dt>{escape(step.title)}</dt><dd><ul>{people}</ul></dd>")
            elif text := getattr(plan, step.key):
                parts.append(f"<dt>{escape(step.title)}</dt><dd>{escape(text)}</dd>")
        plan_html = f"<h2>My safety plan</h2><dl>{''.join(parts)}</dl>"
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        '<meta name="robots" content="noindex">'
        "<title>Get help now · Ketamine Companion</title>"
        f"<style>{STYLE}</style>"
        # Entries still on this phone are sent from here too, once the connection is back.
        f'<script src="{versioned("connection.js")}"></script>'
        f'<script src="{versioned("outbox.js")}" defer></script>'
        "</head><body>"
        '<p id="kc-connection" class="note" role="status" aria-live="polite" hidden></p>'
        '<main id="main" data-offline-help="1">'
        "<h1>Get help now</h1>"
        f'<p class="note"><strong>{escape(NOBODY_WATCHING)}</strong></p>'
        f'<p class="muted">{escape(CALLS_WORK)} Numbers for: {escape(lines.name)}.</p>'
        f"<ul>{''.join(items)}</ul>"
        f"{plan_html}"
        "<h2>If you are not in immediate danger</h2>"
        "<p>Tell someone you trust how you are feeling, today. Move away from anything you "
        "could use to hurt yourself. Stay with other people if you can.</p>"
        f'<p><a href="{routes.TODAY}">Back to Ketamine Companion</a></p>'
        "</main></body></html>\n"
    )


def _for_cookie(token: str | None) -> str:
    with session_scope() as session:
        found = auth.session_of(session, token)
        if found is None:
            return offline_help_html()
        patient = accounts.get_patient(session, found[0])
        plan = safety_plans.get_plan(session, found[0])
    if patient is None:
        return offline_help_html()
    return offline_help_html(
        patient.crisis_country, patient.timezone, patient.clinic_name, patient.clinic_phone, plan
    )


async def offline_help(request: Request) -> Response:
    body = await run_in_threadpool(_for_cookie, request.cookies.get(auth.SESSION_COOKIE))
    # The browser's HTTP cache keeps nothing; the service worker keeps this one page.
    return HTMLResponse(body, headers={"cache-control": "no-store"})


@functools.cache
def _worker() -> bytes:
    """sw.js with its version: a hash of the worker, the offline page's code and the built
    pages, so every release (a new build) makes browsers install the new worker."""
    from companion.api.middleware import static_dir

    digest = hashlib.sha256(SW_TEMPLATE.read_bytes())
    digest.update(Path(__file__).read_bytes())
    index = static_dir() / "index.html"
    if index.exists():
        digest.update(index.read_bytes())
    version = digest.hexdigest()[:16]
    return SW_TEMPLATE.read_bytes().replace(b"__VERSION__", version.encode())


async def service_worker(request: Request) -> Response:
    return Response(
        _worker(),
        media_type="text/javascript",
        # Browsers check for a new worker at every navigation; this answer must not be cached.
        headers={"cache-control": "no-cache", "service-worker-allowed": "/"},
    )
