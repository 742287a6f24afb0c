"""The render-blocking stylesheet holds what the app's pages can match, and every page looks as it
would with Radix's whole stylesheet (companion.radix_css.purge_build, issue 12 point 2)."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import (
    DEMO_PASSWORD,
    PRIVATE_PAGES,
    PUBLIC_PAGES,
    Server,
    open_visit,
    sign_in,
)

# Every element's computed style (and its ::before and ::after), as a list per element.
SNAPSHOT = """() => {
  for (const running of document.getAnimations()) running.pause();
  const styles = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = getComputedStyle(el);
    const shown = [];
    for (let i = 0; i < own.length; i++) shown.push(own[i] + ':' + own.getPropertyValue(own[i]));
    for (const pseudo of ['::before', '::after']) {
      const p = getComputedStyle(el, pseudo);
      shown.push(pseudo + p.content + p.display + p.backgroundColor + p.borderColor + p.width);
    }
    styles.push([el.tagName + '.' + (el.getAttribute('class') || ''), shown]);
  }
  return styles;
}"""
# Radix's whole components and utilities put first in the page, before ours: a rule of theirs
# the build left out would now match an element and change how it looks.
PUT_FIRST = """(css) => {
  const sheet = document.createElement('style');
  sheet.textContent = css;
  document.head.prepend(sheet);
  return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


def _served_css(page: Page, server: Server) -> str:
    href = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    with urllib.request.urlopen(server.url(href)) as response:  # noqa: S310 - our own server
        return response.read().decode()


def _radix_whole(server: Server) -> str:
    themes = server.root / ".web" / "node_modules" / "@radix-ui" / "themes"
    return (themes / "components.css").read_text() + (themes / "utilities.css").read_text()


def _differences(page: Page, whole: str) -> list[str]:
    before = page.evaluate(SNAPSHOT)
    page.evaluate(PUT_FIRST, whole)
    after = page.evaluate(SNAPSHOT)
    assert len(before) == len(after), "the page changed while it was compared"
    changed = []
    for (element, was), (_, now) in zip(before, after, strict=True):
        changed += [f"{element}: {a} -> {b}" for a, b in zip(was, now, strict=True) if a != b]
    return changed


def test_the_stylesheet_leaves_out_components_and_breakpoints_no_page_uses(
    page: Page, server: Server
):
    page.goto(server.url("/login"))
    css = _served_css(page, server)
    whole = _radix_whole(server)
    # Radix's table, tabs, select and badge, and its layout props at the md breakpoint: not
    # drawn here.
    absent_ones = (".rt-TableRoot", ".rt-BaseTabList", ".rt-SelectTrigger", ".rt-Badge")
    for absent in (*absent_ones, ".md\\:rt-r-p-2"):
        assert absent in whole
        assert absent not in css, absent
    # What the pages draw is there: the button, the text field, the layout and type sizes.
    for present in (".rt-Button", ".rt-TextFieldInput", ".rt-Flex", ".rt-r-size-2", "--teal-9:"):
        assert present in css, present
    assert len(css) < len(whole) / 2


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_signed_out_pages_look_as_with_radix_whole(browser: Browser, server: Server, path: str):
    visit = open_visit(browser, server)
    page = visit.new_page()
    page.goto(server.url(path))
    page.get_by_role("heading", level=1).first.wait_for()
    page.wait_for_load_state("networkidle")
    if path != "/help":
        page.get_by_role("textbox").first.focus()  # the field's focus ring compared too
    assert _differences(page, _radix_whole(server)) == []
    visit.context.close()


def test_signed_in_pages_look_as_with_radix_whole(
    browser: Browser, server: Server, demo_account: str
):
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    whole = _radix_whole(server)
    differences = {}
    for path in [*PRIVATE_PAGES, "/setup", "/infusions/check"]:
        page.goto(server.url(path))
        page.get_by_role("heading", level=1).first.wait_for()
        page.wait_for_load_state("networkidle")
        # Its data in: no "Loading…" left to be replaced while the two looks are compared.
        page.wait_for_function("() => !document.querySelector('[data-kc-loading]')")
        differences[path] = _differences(page, whole)
    visit.context.close()
    assert {path: found for path, found in differences.items() if found} == {}


@pytest.mark.parametrize("path", ["/login", "/", "/checkin", "/trends"])
def test_a_page_s_scripts_hold_only_the_radix_components_the_app_draws(server: Server, path: str):
    """Reflex's registry for components sent as code at run time imported the whole of Radix
    Themes into every page's scripts (companion.radix_css pre_compile takes it out)."""
    with urllib.request.urlopen(server.url(path)) as response:  # noqa: S310 - our own server
        html = response.read().decode()
    scripts = ""
    for src in sorted(set(re.findall(r'"(/assets/[^"]+\.js)"', html))):
        with urllib.request.urlopen(server.url(src)) as response:  # noqa: S310
            scripts += response.read().decode()
    assert "rt-Button" in scripts and "rt-TextFieldRoot" in scripts
    for absent in ("rt-TableRoot", "rt-TabsList", "rt-DialogContent", "rt-SelectTrigger"):
        assert absent not in scripts, absent
