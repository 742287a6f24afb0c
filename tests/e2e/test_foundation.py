"""The foundation in a real browser: accounts, the shell, 360 px, axe, and no other hosts."""

from __future__ import annotations

import json
import re
import socket
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Route, expect

from companion.radix_css import COLOURS
from tests.browser import (
    DESKTOP,
    PASSWORD,
    PRIVATE_PAGES,
    PUBLIC_PAGES,
    Server,
    Visit,
    open_visit,
    patient_today,
    sign_in,
    sign_up,
    unique_email,
)
from tests.unit.test_radix_css import RADIX_SCALES

TABS = ["Today", "Check-in", "Trends", "Learn", "Share"]


def fits_without_sideways_scroll(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
        " && document.body.scrollWidth <= window.innerWidth"
    )


def small_tap_targets(page: Page, selector: str = "button, a.day-chip, nav a") -> list[str]:
    """Visible controls smaller than 44 x 44 CSS pixels (the app's own minimum for tired
    fingers on a phone), named by their text."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(el => el.offsetParent !== null)
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, box]) => box.width < 44 || box.height < 44)
            .map(([el, box]) => `${(el.innerText || el.getAttribute('aria-label') || '').trim()}`
                + ` (${Math.round(box.width)}x${Math.round(box.height)})`)""",
        selector,
    )


def serious_axe_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_sign_up_sign_out_and_sign_in_again(page: Page, server: Server):
    email = sign_up(page, server)
    page.goto(server.url("/settings"))
    expect(page.get_by_text(email)).to_be_visible()
    # The browser's own zone, even though the form was sent before the page asked for it.
    expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/?$"))
    page.goto(server.url("/checkin"))
    page.wait_for_url(re.compile(r"/login\?next=%2Fcheckin$"))
    sign_in(page, server, email)
    page.wait_for_url(server.url("/"))
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()


HYDRATED = """() => {
    const form = document.querySelector('form[data-kc-post]');
    return !!form && Object.keys(form).some((key) => key.startsWith('__reactFiber'));
}"""


def test_a_wrong_password_sent_before_the_page_hydrates_keeps_its_message(
    page: Page, server: Server
):
    """On a slow phone the sign-in form shows (it is in the page's HTML) well before React
    takes it over: a patient who types and taps Sign in at once must still read why it failed,
    and keep what they typed, once the app's scripts arrive."""
    email = sign_up(page, server)
    page.context.clear_cookies()

    # The app's bundle held back until the answer is on screen; forms.js (under /js/) on time.
    bundle = re.compile(r"/assets/.*\.js$")
    held: list[Route] = []
    released = []

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route(bundle, hold)
    page.goto(server.url("/login"), wait_until="commit")
    page.wait_for_function("() => document.readyState !== 'loading' && !!window.__kcForms")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the right password")
    with page.expect_response(lambda response: response.url.endswith("/auth/signin")):
        page.get_by_role("button", name="Sign in").click()
    assert held and not page.evaluate(HYDRATED)  # answered before React took the page over
    released.append(True)
    for route in held:
        route.continue_()
    page.wait_for_function(HYDRATED, timeout=20_000)
    page.wait_for_timeout(500)
    expect(page.get_by_role("alert")).to_contain_text("don't match")
    expect(page.get_by_label("Email")).to_have_value(email)
    expect(page.get_by_role("button", name="Sign in")).to_be_enabled()


def test_sign_in_without_a_connection_says_so_and_the_same_tap_works_once_back(
    page: Page, server: Server
):
    """No signal on Sign in: the patient is told, nothing typed is lost, and a double tap sends
    once; back online, tapping again signs them in."""
    email = sign_up(page, server)
    page.context.clear_cookies()
    page.goto(server.url("/login"))
    page.wait_for_function("() => !!window.__kcForms")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/auth/signin") else None)
    page.context.set_offline(True)
    page.get_by_role("button", name="Sign in").dblclick()
    expect(page.get_by_role("alert")).to_contain_text("couldn't reach the server")
    assert len(sent) == 1
    expect(page.get_by_label("Email")).to_have_value(email)
    expect(page.get_by_role("button", name="Sign in")).to_be_enabled()
    page.context.set_offline(False)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.url("/"))


def test_wrong_password_and_unknown_email_show_the_same_message(page: Page, server: Server):
    email = sign_up(page, server)
    page.context.clear_cookies()
    sign_in(page, server, email, "not the right password")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("don't match")
    wrong_text = alert.inner_text()
    sign_in(page, server, unique_email(), "not the right password")
    expect(page.get_by_role("alert")).to_have_text(wrong_text)
    assert page.url.rstrip("/").endswith("/login")


def test_signed_out_visit_to_checkin_lands_on_login(page: Page, server: Server):
    page.goto(server.url("/checkin"))
    page.wait_for_url(re.compile(r"/login\?next=%2Fcheckin$"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_signing_in_after_a_signed_out_visit_opens_the_page_asked_for(page: Page, server: Server):
    email = sign_up(page, server)
    page.context.clear_cookies()
    # A reminder opens /checkin on a phone whose session has ended.
    page.goto(server.url("/checkin?day=" + patient_today().isoformat()))
    page.wait_for_url(re.compile(r"/login\?next="))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/checkin\?day="))
    expect(page.get_by_role("radiogroup", name="Mood")).to_be_visible()
    # A later visit to /login, without a page asked for, goes home after signing in.
    page.context.clear_cookies()
    sign_in(page, server, email)
    page.wait_for_url(server.url("/"))


def test_session_cookie_is_httponly_and_strict(page: Page, server: Server):
    sign_up(page, server)
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["kc_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Strict"
    assert len(session["value"]) >= 43
    assert "kc_session" not in page.evaluate("document.cookie")


def test_signed_out_cookie_no_longer_opens_anything(browser, server: Server, visit: Visit):
    page = visit.new_page()
    sign_up(page, server)
    old = next(c for c in visit.context.cookies() if c["name"] == "kc_session")
    page.goto(server.url("/settings"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/?$"))
    # Replaying the old cookie from elsewhere gets nowhere: the session is gone on the server.
    replay = open_visit(browser, server)
    replay.context.add_cookies([old])
    other = replay.new_page()
    other.goto(server.url("/checkin"))
    other.wait_for_url(re.compile(r"/login\?next=%2Fcheckin$"))
    replay.context.close()


def test_every_page_fits_360_passes_axe_and_stays_on_this_host(page: Page, server: Server):
    problems: dict[str, list[str]] = {}
    for path in PUBLIC_PAGES:
        page.goto(server.url(path))
        page.get_by_role("heading", level=1).wait_for()
        page.wait_for_load_state("networkidle")
        assert fits_without_sideways_scroll(page), f"{path} scrolls sideways at 360 px"
        problems[path] = serious_axe_violations(page)
    sign_up(page, server)
    for path in [*PRIVATE_PAGES, "/help"]:
        page.goto(server.url(path))
        page.get_by_role("heading", level=1).wait_for()
        page.wait_for_load_state("networkidle")
        assert fits_without_sideways_scroll(page), f"{path} scrolls sideways at 360 px"
        problems[f"{path} (signed in)"] = serious_axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("viewport", [None, DESKTOP], ids=["phone", "desktop"])
def test_navigation_links_and_help_are_one_tap_away(browser, server: Server, viewport):
    visit = open_visit(browser, server, **({"viewport": viewport} if viewport else {}))
    page = visit.new_page()
    sign_up(page, server)
    for name in TABS:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Get help now")).to_be_visible()
    page.get_by_role("link", name="Check-in", exact=True).click()
    page.wait_for_url(re.compile(r"/checkin/?$"))
    expect(page.get_by_role("link", name="Check-in", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_role("link", name="Get help now").click()
    page.wait_for_url(re.compile(r"/help/?$"))
    expect(page.get_by_text("988").first).to_be_visible()
    assert visit.foreign_requests() == []
    visit.context.close()


def test_help_page_is_open_to_everyone_with_988_911_and_nobody_watching(page: Page, server):
    page.goto(server.url("/help"))
    expect(page.get_by_role("heading", name="Get help now", level=1)).to_be_visible()
    body = page.locator("main").inner_text()
    for text in ["988", "911", "741741", "findahelpline.com", "Nobody watches your entries"]:
        assert text in body
    expect(page.get_by_role("link", name=re.compile("Call 988"))).to_have_attribute(
        "href", "tel:988"
    )
    expect(page.get_by_role("link", name="Get help now")).to_be_visible()


def list_markers(page: Page, selector: str) -> list[tuple[str, float]]:
    """Each list item's marker style and how far its text sits in from the main column."""
    return page.evaluate(
        """selector => {
            const left = document.querySelector('main').getBoundingClientRect().left;
            return [...document.querySelectorAll(selector)].map(li => [
                getComputedStyle(li).listStyleType,
                li.getBoundingClientRect().left - left,
            ]);
        }""",
        selector,
    )


def test_signed_out_help_has_no_tab_bar_and_its_list_has_bullets(page: Page, server: Server):
    page.goto(server.url("/help"))
    expect(page.get_by_role("heading", name="Get help now", level=1)).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("988").first).to_be_visible()
    expect(page.get_by_role("navigation", name="Tabs")).to_have_count(0)
    expect(page.get_by_role("link", name="Today", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Ketamine Companion home")).to_have_attribute(
        "href", "/login"
    )
    markers = list_markers(page, "main ul.bullets > li")
    assert len(markers) == 4
    # Bullets, with the text indented past them but still inside a 360 px screen.
    assert all(style == "disc" and 12 <= indent <= 40 for style, indent in markers), markers
    assert fits_without_sideways_scroll(page)


def test_signed_in_help_keeps_the_navigation_back_to_today(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/help"))
    expect(page.get_by_role("heading", name="Get help now", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Tabs")).to_be_visible()
    expect(page.get_by_role("link", name="Settings")).to_be_visible()
    expect(page.get_by_role("link", name="Ketamine Companion home")).to_have_attribute("href", "/")
    expect(page.get_by_text("988").first).to_be_visible()
    page.get_by_role("link", name="Today", exact=True).click()
    page.wait_for_url(server.url("/"))
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    # Once the session has ended, the same tab's /help drops the navigation again.
    page.context.clear_cookies()
    page.goto(server.url("/help"))
    expect(page.get_by_role("heading", name="Get help now", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Tabs")).to_have_count(0)
    expect(page.get_by_role("link", name="Ketamine Companion home")).to_have_attribute(
        "href", "/login"
    )
    expect(page.get_by_text("988").first).to_be_visible()


def test_installable_manifest_and_icons(page: Page, server: Server):
    page.goto(server.url("/login"))
    href = page.locator("link[rel=manifest]").get_attribute("href")
    with urllib.request.urlopen(server.url(href)) as response:  # noqa: S310
        manifest = json.load(response)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        with urllib.request.urlopen(server.url(icon["src"])) as response:  # noqa: S310
            assert response.headers["content-type"] == "image/png"
            assert response.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_page_gets_radix_with_our_colours_only_and_shows_them(page: Page, server: Server):
    """The render-blocking stylesheet holds the colour scales the app uses, not Radix's 31; and
    those it holds are what the controls show (the accent, an error in red)."""
    page.goto(server.url("/login"))
    href = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    with urllib.request.urlopen(server.url(href)) as response:  # noqa: S310
        css = response.read().decode()
    for colour in COLOURS:
        assert f"--{colour}-9:" in css, colour
    for colour in RADIX_SCALES - set(COLOURS):
        assert f"--{colour}-9:" not in css, colour
    theme = page.locator("[data-is-root-theme]")
    tokens = theme.evaluate(
        """t => ['--accent-9', '--gray-12', '--gray-11', '--red-11', '--amber-11', '--green-11']
            .map(name => getComputedStyle(t).getPropertyValue(name).trim())"""
    )
    # As with Radix's whole stylesheet: the accent is our brand teal (assets/app.css), the
    # grays are Radix's slate (gray_color), and red, amber and green are Radix's own.
    assert tokens == ["#0d746b", "#1c2024", "#60646c", "#ce2c31", "#ab6400", "#218358"]
    button = page.get_by_role("button", name="Sign in")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password", exact=True).fill("not the password at all")
    button.click()
    error = page.locator("[data-kc-error]")
    expect(error).to_be_visible()
    assert error.evaluate("e => getComputedStyle(e).color") not in ("rgb(0, 0, 0)", "")


def test_dark_mode_follows_the_system(browser, server: Server):
    visit = open_visit(browser, server, color_scheme="dark")
    page = visit.new_page()
    page.goto(server.url("/login"))
    page.get_by_role("heading", level=1).wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelector('.radix-themes.dark') !== null")
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.radix-themes')).backgroundColor"
    )
    channels = [int(x) for x in re.findall(r"\d+", background)[:3]]
    assert max(channels) < 60, background
    visit.context.close()


def _handshake(port: int, origin: str) -> str:
    request = (
        f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: localhost:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode())
        return s.recv(200).decode("latin-1").split("\r\n", 1)[0]


def test_websocket_from_another_origin_is_refused(server: Server):
    assert " 101 " in _handshake(server.port, server.base_url)
    refused = _handshake(server.port, "http://evil.example")
    assert " 101 " not in refused and refused.startswith("HTTP/1.1 4")


def test_security_headers_on_pages(server: Server):
    with urllib.request.urlopen(server.url("/login/")) as response:  # noqa: S310
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "connect-src 'self'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"


def test_sign_in_cannot_be_posted_from_another_origin(server: Server):
    for path in ("/auth/signin", "/auth/signup", "/auth/signout", "/auth/delete"):
        request = urllib.request.Request(  # noqa: S310
            server.url(path),
            data=b"email=a%40example.com&password=xxxxxxxxxxxx",
            headers={"Origin": "http://evil.example"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)  # noqa: S310
        assert refused.value.code == 403, path


def test_password_change_in_the_browser(page: Page, server: Server):
    email = sign_up(page, server)
    page.goto(server.url("/settings"))
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill("an even calmer password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Password changed")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/?$"))
    sign_in(page, server, email, "an even calmer password")
    page.wait_for_url(server.url("/"))
