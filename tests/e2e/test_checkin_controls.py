"""Check-in controls that can't be misread, work by keyboard and survive 200% text (issue 14)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser import Server, Visit, db_rows, open_visit, sign_up
from tests.e2e.test_foundation import serious_axe_violations

# From the page top, through every answer of the check-in, to Save.
MAX_TABS_TO_SAVE = 15
LOADED = 'form[data-kc-outbox="checkin"]:not([data-kc-loading])'

# What has keyboard focus, and its outline against what lies behind it: the element's own
# outline or, for an answer drawn as a button around an unseen radio, its label's. Colours are
# read back through a canvas, so any CSS colour syntax compares.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgba = (color) => {
    const c = document.createElement('canvas').getContext('2d');
    c.fillStyle = '#000'; c.fillStyle = color; c.fillRect(0, 0, 1, 1);
    return [...c.getImageData(0, 0, 1, 1).data];
  };
  const drawn = [el, el.closest('label')].find(
    (n) => n && getComputedStyle(n).outlineStyle !== 'none'
      && parseFloat(getComputedStyle(n).outlineWidth) > 0);
  let behind = 'rgb(255, 255, 255)';
  for (let n = (drawn || el).parentElement; n; n = n.parentElement) {
    const bg = getComputedStyle(n).backgroundColor;
    if (rgba(bg)[3] === 255) { behind = bg; break; }
  }
  const style = drawn ? getComputedStyle(drawn) : null;
  return {
    name: el.getAttribute('name') || el.getAttribute('aria-label') || el.textContent.trim(),
    type: el.getAttribute('type') || el.tagName.toLowerCase(),
    outline: style ? rgba(style.outlineColor) : null,
    width: style ? parseFloat(style.outlineWidth) : 0,
    behind: rgba(behind),
  };
}"""


def _luminance(rgb: list[int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[int], b: list[int]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _tab_to_save(page: Page) -> list[dict]:
    """What has focus after each Tab press, from the page top until Save (or 40 presses)."""
    page.evaluate("window.scrollTo(0, 0); document.activeElement?.blur()")
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_JS)
        stops.append(focused)
        if focused and focused["type"] == "submit":
            break
    return stops


def _assert_focus_shows(stops: list[dict]) -> None:
    """Every stop shows where focus is: an outline of 2 px or more, 3:1 against what is behind
    it (WCAG 2.4.11, 1.4.11)."""
    for stop in stops:
        assert stop["outline"] is not None and stop["width"] >= 2, stop
        assert contrast(stop["outline"], stop["behind"]) >= 3, stop


def _described(page: Page, group: str) -> str:
    """The group's accessible description: the text of what aria-describedby names."""
    return page.get_by_role("radiogroup", name=group, exact=True).evaluate(
        """g => g.getAttribute('aria-describedby').split(' ')
            .map(id => document.getElementById(id).textContent).join(' ')"""
    )


def test_mood_reads_unlike_anxiety_and_pain(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/checkin"))
    page.locator(LOADED).wait_for()
    # Mood: 10 is best; anxiety and pain: 10 is worst. Words at 0, 5 and 10 and the direction
    # in words and an icon, on screen and in what a screen reader says for each row.
    rows = {
        "Mood": ("Higher is better", "0 Very low", "5 Okay", "10 Very good"),
        "Anxiety": ("Higher is worse", "0 None", "5 Moderate", "10 Severe"),
        "Pain": ("Higher is worse", "0 None", "5 Moderate", "10 Severe"),
    }
    for group, words in rows.items():
        field = page.locator(".rating-field").filter(
            has=page.get_by_role("radiogroup", name=group, exact=True)
        )
        description = _described(page, group)
        for word in words:
            expect(field.get_by_text(word, exact=True)).to_be_visible()
            assert word in description, (group, word, description)
        expect(field.locator(".rating-direction svg")).to_be_visible()
    # Not told apart by colour alone, and not only once chosen: anxiety's answers are drawn
    # outlined, mood's filled.
    mood_style, anxiety_style = (
        page.get_by_role("radiogroup", name=group, exact=True)
        .locator("label")
        .first.evaluate("l => getComputedStyle(l).boxShadow")
        for group in ("Mood", "Anxiety")
    )
    assert mood_style != anxiety_style
    assert serious_axe_violations(page) == []


def test_the_whole_checkin_by_keyboard(page: Page, server: Server):
    email = sign_up(page, server)
    page.goto(server.url("/checkin"))
    page.locator(LOADED).wait_for()
    stops = _tab_to_save(page)
    names = [stop["name"] for stop in stops if stop]
    print(f"Tab presses from the page top to Save: {len(stops)}: {names}")
    assert stops[-1]["name"] == "Save"
    assert len(stops) <= MAX_TABS_TO_SAVE, names
    # Every answer was on the way: one stop per row and one for all the tags.
    for name in ("mood", "anxiety", "energy", "sleep_hours", "pain", "suicidal_thoughts"):
        assert names.count(name) == 1, (name, names)
    assert names.count("tags") == 1 and names.count("note") == 1
    # Every stop shows where focus is, at least 3:1 against what is behind it.
    _assert_focus_shows(stops)

    # Now answer by keyboard alone: arrows move the choice, Space and Enter choose.
    page.evaluate("window.scrollTo(0, 0); document.activeElement?.blur()")
    mood = page.get_by_role("radiogroup", name="Mood", exact=True)
    anxiety = page.get_by_role("radiogroup", name="Anxiety", exact=True)
    while page.evaluate("document.activeElement.name") != "mood":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(mood.get_by_role("radio", name="0", exact=True)).to_be_checked()
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    expect(mood.get_by_role("radio", name="7", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "anxiety"
    page.keyboard.press("Enter")  # chooses; does not send a half-made check-in
    expect(anxiety.get_by_role("radio", name="0", exact=True)).to_be_checked()
    expect(page.locator("[data-kc-status]")).to_have_text("")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(anxiety.get_by_role("radio", name="3", exact=True)).to_be_checked()
    while page.evaluate("document.activeElement.name") != "tags":
        page.keyboard.press("Tab")
    tags = page.get_by_role("toolbar", name="Tags")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(tags.get_by_role("checkbox", name="social")).to_be_checked()
    page.keyboard.press("Enter")
    expect(tags.get_by_role("checkbox", name="social")).not_to_be_checked()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the tags are one stop: on to the note
    assert page.evaluate("document.activeElement.name") == "note"
    page.keyboard.press("Shift+Tab")  # back to the tag last used
    assert page.evaluate("document.activeElement.value") == "social"
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("[data-kc-status]")).to_contain_text("Saved")
    rows = db_rows(
        server,
        "select c.mood, c.anxiety, c.tags from checkin c join patient p on p.id = c.patient_id"
        " where p.email = :e",
        e=email,
    )
    assert [(mood, anxious, "social" in tags_saved) for mood, anxious, tags_saved in rows] == [
        (7, 3, True)
    ]


def test_focus_outlines_show_in_dark_mode(browser: Browser, server: Server):
    """The same Tab stops in the dark colour scheme: each outline 2 px or more and 3:1 against
    the dark background behind it (issue 14, point 9: "on every control")."""
    visit = open_visit(browser, server, color_scheme="dark")
    page = visit.new_page()
    sign_up(page, server)
    page.goto(server.url("/checkin"))
    page.locator(LOADED).wait_for()
    stops = _tab_to_save(page)
    names = [stop["name"] for stop in stops if stop]
    assert stops[-1]["name"] == "Save", names
    assert {"mood", "anxiety", "tags", "note"} <= set(names), names
    # The page is dark indeed: what lies behind every control is, not the light scheme's white.
    for stop in stops:
        assert contrast(stop["behind"], [0, 0, 0]) < 3, stop
    _assert_focus_shows(stops)
    assert visit.foreign_requests() == []
    visit.context.close()


# Every control on the page: fully inside the screen's width, its words inside its own box,
# not cut off by a clipping ancestor, and the thing a tap at its middle reaches (not covered
# by a pinned bar). An unseen radio or checkbox is judged by the label drawn around it.
CLIPPED_JS = """() => {
  const problems = [];
  const W = window.innerWidth;
  const name = (el) => (el.innerText || el.getAttribute('aria-label') || el.name || el.tagName)
    .trim().slice(0, 40);
  // checkVisibility: not hidden, and not folded away in a closed <details>.
  const shown = (el) => el.checkVisibility({ visibilityProperty: true })
    && !el.closest('.visually-hidden');
  const controls = new Set();
  for (const el of document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    const seen = getComputedStyle(el).opacity === '0' && el.closest('label')
      ? el.closest('label') : el;
    if (shown(seen) && !el.closest('[aria-hidden=true]')) controls.add(seen);
  }
  for (const el of controls) {
    if (el.classList.contains('skip-link')) continue;
    el.scrollIntoView({ block: 'center' });
    const box = el.getBoundingClientRect();
    if (box.left < -1 || box.right > W + 1) problems.push(`${name(el)}: off the screen's side`);
    if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) {
      const range = document.createRange();
      range.selectNodeContents(el);
      const words = range.getBoundingClientRect();
      if (words.width && (words.left < box.left - 1 || words.right > box.right + 1
          || words.top < box.top - 1 || words.bottom > box.bottom + 1)) {
        problems.push(`${name(el)}: its words spill out of it`);
      }
    }
    for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
      const s = getComputedStyle(n);
      if ([s.overflowX, s.overflowY].every((o) => o === 'visible')) continue;
      const clip = n.getBoundingClientRect();
      if (box.left < clip.left - 1 || box.right > clip.right + 1
          || box.top < clip.top - 1 || box.bottom > clip.bottom + 1) {
        problems.push(`${name(el)}: cut off by its container`);
        break;
      }
    }
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!hit || !(el.contains(hit) || hit.contains(el))) {
      problems.push(`${name(el)}: covered (a tap reaches ${hit ? hit.className : 'nothing'})`);
    }
  }
  window.scrollTo(0, 0);
  return problems;
}"""

PINNED_JS = """() => [...document.querySelectorAll('body *')]
  .filter((el) => ['fixed', 'sticky'].includes(getComputedStyle(el).position)
    && el.getClientRects().length && !el.closest('[hidden]'))
  .filter((el, _, all) => !all.some((other) => other !== el && other.contains(el)))
  .reduce((sum, el) => sum + el.getBoundingClientRect().height, 0)"""


def test_pages_at_200_percent_text(visit: Visit, server: Server):
    page = visit.new_page()
    sign_up(page, server)
    page.goto(server.url("/checkin"))
    page.locator(LOADED).wait_for()
    normal = page.locator(".rating-number").first.evaluate(
        "n => parseFloat(getComputedStyle(n).fontSize)"
    )
    # The phone's text size setting: the browser's default font size, twice the usual 16 px.
    visit.context.new_cdp_session(page).send(
        "Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}}
    )
    for width in (360, 320):
        page.set_viewport_size({"width": width, "height": 640})
        for path in ("/checkin", "/questionnaires/phq9", "/share"):
            page.goto(server.url(path))
            page.get_by_role("heading", level=1).wait_for()
            page.wait_for_load_state("networkidle")
            where = f"{path} at {width} px"
            if path == "/checkin":
                page.locator(LOADED).wait_for()
                large = page.locator(".rating-number").first.evaluate(
                    "n => parseFloat(getComputedStyle(n).fontSize)"
                )
                assert large >= 2 * normal - 0.5, (where, normal, large)
            for scale in ("h1", ".tab-bar a", ".help-link"):
                size = page.locator(scale).first.evaluate(
                    "n => parseFloat(getComputedStyle(n).fontSize)"
                )
                assert size >= 24, (where, scale, size)
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), where
            help_now = page.locator(".help-link")
            expect(help_now).to_have_text("Get help now")
            assert help_now.evaluate(
                """l => { const r = document.createRange(); r.selectNodeContents(l);
                   const w = r.getBoundingClientRect(), b = l.getBoundingClientRect();
                   return w.left >= b.left - 1 && w.right <= b.right + 1
                     && b.left >= 0 && b.right <= innerWidth; }"""
            ), f"{where}: 'Get help now' is cut off"
            page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
            pinned = page.evaluate(PINNED_JS)
            print(f"{where}: pinned bars {pinned:.0f} of 640 px")
            assert pinned <= 640 / 4, (where, pinned)
            assert page.evaluate(CLIPPED_JS) == [], where
