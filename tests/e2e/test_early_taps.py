"""Taps made the moment a control shows, before the page's app has started (a phone draws the
page from its HTML a second or two before): each is made once the app has started, not lost
and not sent by the browser as a reload."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

from tests.browser import Server, sign_up

APP_SCRIPTS = re.compile(r"/assets/[^?]*\.js")


class HeldScripts:
    """The app's scripts held on their way until released: the page is drawn, its app not
    started. (Routing turns the browser's cache off, so every script comes this way.)"""

    def __init__(self, page: Page) -> None:
        self.routes: list[Route] = []
        self.released = False
        page.route(APP_SCRIPTS, self._take)

    def _take(self, route: Route) -> None:
        if self.released:
            route.continue_()
        else:
            self.routes.append(route)

    def release(self) -> None:
        self.released = True
        for route in self.routes:
            route.continue_()


def _calendar_link_tapped_early(page: Page, server: Server, marked: bool = False) -> None:
    """ "Create calendar link" on /settings tapped while the app's scripts are held (the form
    marked with React's props first when `marked`), then the scripts let through: the link
    comes, and the browser never sent the form itself (a reload with the answers in the
    address)."""
    held = HeldScripts(page)
    page.goto(server.url("/settings"), wait_until="domcontentloaded")
    create = page.get_by_role("button", name="Create calendar link")
    if marked:
        create.evaluate("button => { button.form['__reactProps$rendered'] = {}; }")
    create.click()
    page.wait_for_timeout(300)
    assert held.routes, "the app's scripts were still on their way"
    assert page.url == server.url("/settings")
    held.release()
    expect(page.locator("#calendar-url")).to_contain_text("/api/calendar/")
    assert page.url == server.url("/settings")


def test_a_form_the_app_has_marked_but_not_yet_taken_waits_for_it(page: Page, server: Server):
    """React marks an element with its props as it renders the page, and answers its events only
    once that render is committed. A submit in between reached no handler and the browser sent
    the form itself (CI saw the page reload as /settings?reminder_time=20:00). Here the form
    carries such a mark while the app's scripts are held: the tap still waits for the app."""
    sign_up(page, server)
    _calendar_link_tapped_early(page, server, marked=True)


def test_a_form_and_a_button_tapped_before_the_app_starts_are_sent_once_it_has(
    page: Page, server: Server
):
    sign_up(page, server)
    _calendar_link_tapped_early(page, server)

    held = HeldScripts(page)
    page.goto(server.url("/trends"), wait_until="domcontentloaded")
    page.get_by_role("button", name="2W").click()
    page.wait_for_timeout(300)
    assert held.routes
    held.release()
    expect(page.get_by_role("button", name="2W")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="1M")).to_have_attribute("aria-pressed", "false")
