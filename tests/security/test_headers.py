"""Defence in depth on every page: a Content-Security-Policy whose scripts are this origin's
files and the template's own inline scripts by hash (no 'unsafe-inline', no 'unsafe-eval'),
which the browser then never has to refuse anything under; HTML never cached; hashed bundles
cached for a year; and no slash redirect on the way to a page."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Browser

from companion import routes
from tests.browser import Server, open_visit, sign_up

pytestmark = pytest.mark.e2e

PAGES = [
    "/",
    "/checkin",
    "/infusions",
    "/infusions/check?infusion=1&when=24h",
    "/questionnaires/phq9",
    "/questionnaires/gad7",
    "/trends",
    "/learn",
    "/learn/how-ketamine-works",
    "/share",
    "/settings",
    "/help",
    "/login",
    "/signup",
]

WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
"""


def _script_src(policy: str) -> str:
    return next(p for p in policy.split(";") if p.strip().startswith("script-src"))


def test_no_page_needs_unsafe_scripts_and_the_browser_refuses_nothing(
    browser: Browser, server: Server
):
    visit = open_visit(browser, server)
    visit.context.add_init_script(WATCH_CSP)
    page = visit.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    sign_up(page, server)
    for path in PAGES[:-2]:
        response = page.goto(server.url(path))
        assert response is not None
        policy = response.headers["content-security-policy"]
        scripts = _script_src(policy)
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, path
        assert re.search(r"'sha256-[A-Za-z0-9+/=]{44}'", scripts), path
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        page.locator("main h1").wait_for()
        page.wait_for_timeout(300)
        assert page.evaluate("window.__csp") == [], path
    # Pages that act without eval: a crisis answer scrolls its panel in, a copy, a print.
    page.goto(server.url("/checkin"))
    page.get_by_text("Passing thoughts").click()
    page.locator("#crisis-support").wait_for()
    page.goto(server.url("/share"))
    page.get_by_role("button", name="Create link").click()
    page.locator("#share-new-url").wait_for()
    assert page.evaluate("window.__csp") == [] and errors == []
    visit.context.close()


def _head(server: Server, path: str, cookie: str = "") -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(server.url(path), headers={"Cookie": cookie})  # noqa: S310

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as answer:
        return answer.code, {k.lower(): v for k, v in answer.headers.items()}


def test_html_is_never_cached_and_bundles_are_cached_for_a_year(browser: Browser, server: Server):
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_up(page, server)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in visit.context.cookies())
    bundles = set()
    page.on("response", lambda r: bundles.add(r.url) if "/assets/" in r.url else None)
    page.goto(server.url("/trends"))
    page.locator("main h1").wait_for()
    for path in PAGES:
        status, headers = _head(server, path, cookie)
        # No slash redirect (a 307 costs a round trip on a phone): the page itself, at once.
        assert status == 200, (path, status, headers.get("location"))
        assert headers["cache-control"] == "no-store", path
    assert bundles
    for url in sorted(bundles)[:5]:
        status, headers = _head(server, url.removeprefix(server.base_url))
        assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    # A share link's page is no-store too, valid or not.
    for path in ("/s/" + "A" * 43, routes.shared_summary("x")):
        status, headers = _head(server, path)
        assert status == 404 and headers["cache-control"] == "no-store"
    visit.context.close()
