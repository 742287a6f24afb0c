"""Trends with the demo patient's 180 days, Learn articles, and Plotly only where charts are."""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.request
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from companion.charts import svg
from tests.browser import DEMO_PASSWORD, DESKTOP, Server, open_visit, sign_in, sign_up
from tests.e2e.test_foundation import (
    fits_without_sideways_scroll,
    list_markers,
    serious_axe_violations,
)

CHART_TITLES = [
    "Mood by day",
    "How each infusion worked",
    "PHQ-9 (depression)",
    "GAD-7 (anxiety)",
    "Sleep, anxiety, energy and pain",
    "Side effects per infusion",
]


def _scripts(
    page: Page, path: str, server: Server, until: str = "", scroll_to: str = ""
) -> list[str]:
    """The scripts the page loads, once it shows `until` after scrolling to the region named
    `scroll_to` (Plotly charts draw once on screen: Plotly is fetched only then)."""
    urls: list[str] = []
    page.on(
        "response", lambda r: urls.append(r.url) if r.request.resource_type == "script" else None
    )
    page.goto(server.url(path))
    page.get_by_role("heading", level=1).wait_for()
    if scroll_to:
        page.get_by_role("region", name=scroll_to).scroll_into_view_if_needed()
    if until:
        page.locator(until).first.wait_for()
    page.wait_for_load_state("networkidle")
    return urls


def _body(url: str) -> str:
    with urllib.request.urlopen(url) as response:  # noqa: S310 - our own server
        return response.read().decode("utf-8", "replace")


def _is_plotly(url: str) -> bool:
    body = _body(url)
    return "Plotly" in body and "plotly.js" in body


def _image_svg(page: Page, image) -> str:
    """The SVG of the image's src (a phone's drawing), fetched with the page's cookies."""
    answer = page.request.get(urljoin(page.url, image.get_attribute("src")))
    assert answer.status == 200
    return answer.text()


@pytest.mark.parametrize("viewport", [None, DESKTOP], ids=["phone", "desktop"])
def test_demo_trends_show_every_chart_with_its_summary(browser, server, demo_account, viewport):
    visit = open_visit(browser, server, **({"viewport": viewport} if viewport else {}))
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    page.get_by_role("link", name="Trends", exact=True).click()
    page.wait_for_url(re.compile("/trends"))
    for title in CHART_TITLES:
        card = page.get_by_role("region", name=title)
        # Every chart is a picture drawn on the server: this patient's, named by its summary.
        card.scroll_into_view_if_needed()
        chart = card.locator("img.chart-image")
        expect(chart).to_have_js_property("complete", True)
        assert chart.evaluate("i => i.naturalWidth") > 0
        assert f">{title}</title>" in _image_svg(page, chart)
        summary = card.locator(".chart-summary").inner_text()
        assert len(summary) > 30 and not summary.startswith(("Log ", "Take ", "Answer "))
    expect(
        page.get_by_text(re.compile(r"Your infusions lasted about \d+ days \(median\)\.")).first
    ).to_be_visible()
    page.get_by_role("group", name="Range").get_by_role("button", name="All").click()
    expect(page.get_by_role("button", name="All")).to_have_attribute("aria-pressed", "true")
    expect(
        page.get_by_role("region", name="Mood by day").locator(".chart-summary")
    ).to_contain_text("180 days")
    # Every infusion of the 180 days is marked (10 given and 1 planned is after today).
    image = page.get_by_role("region", name="Mood by day").locator("img.chart-image")
    expect(image).to_have_attribute("src", re.compile("range=All"))
    drawing = _image_svg(page, image)
    assert drawing.count('<line class="kc-infusion') > 10
    assert fits_without_sideways_scroll(page)
    assert page.locator(".modebar").count() == 0
    assert serious_axe_violations(page) == []
    assert visit.foreign_requests() == []
    visit.context.close()


# The page's layout shifts not caused by the visitor (CLS's own rule), summed from the start.
LAYOUT_SHIFTS = """
window.__kcShift = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__kcShift += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""


def test_phone_scrolls_through_every_chart_without_a_script_and_nothing_moves(
    browser, server, demo_account
):
    visit = open_visit(browser, server)
    visit.context.add_init_script(LAYOUT_SHIFTS)
    page = visit.new_page()
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    page.goto(server.url("/trends"))
    mood = page.get_by_role("region", name="Mood by day")
    expect(mood.locator("img.chart-image")).to_have_js_property("complete", True)
    page.wait_for_load_state("networkidle")
    loaded = len(scripts)
    # Below the fold at 360x640: its picture's box is kept at the drawing's height (its width
    # and height attributes) whether or not the picture has come yet.
    last = page.get_by_role("region", name="Side effects per infusion").locator("img")
    expect(last).to_have_attribute("loading", "lazy")
    height = last.evaluate("i => i.getBoundingClientRect().height")
    assert height >= 250
    for title in CHART_TITLES[1:]:
        card = page.get_by_role("region", name=title)
        card.scroll_into_view_if_needed()
        expect(card.locator("img.chart-image")).to_have_js_property("complete", True)
    assert last.evaluate("i => i.getBoundingClientRect().height") == height
    assert last.evaluate("i => i.naturalWidth") > 0
    # Scrolling fetched no script and drew nothing with one: each chart is only a picture.
    page.wait_for_load_state("networkidle")
    assert scripts[loaded:] == []
    assert page.locator("svg.main-svg").count() == 0
    assert page.evaluate("typeof window.Plotly") == "undefined"
    assert page.evaluate("window.__kcShift") < 0.05
    visit.context.close()


def test_charts_are_images_drawn_without_plotly(browser, server, demo_account):
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    scripts: list[str] = []
    page.on(
        "response",
        lambda r: scripts.append(r.url) if r.request.resource_type == "script" else None,
    )
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/trends/mood.svg" in r.url else None)
    page.goto(server.url("/trends"))
    mood = page.get_by_role("region", name="Mood by day")
    image = mood.get_by_role("img")
    # Its name is the card's one-sentence summary, and its space is kept before it arrives.
    summary = mood.locator(".chart-summary").inner_text()
    expect(image).to_have_accessible_name(summary)
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("i => i.naturalWidth") > 0
    assert image.get_attribute("width") == "300" and int(image.get_attribute("height") or 0) >= 260
    page.wait_for_load_state("networkidle")
    # Asked for once, as the HTML came (preloaded), not again once the data came.
    assert len(asked) == 1, asked
    assert not [u for u in scripts if _is_plotly(u)], "no Plotly before a Plotly chart is in view"
    assert page.locator("svg.main-svg").count() == 0
    # The second chart is a picture too: scrolling to it brings no Plotly.
    second = page.get_by_role("region", name=CHART_TITLES[1])
    second.scroll_into_view_if_needed()
    expect(second.locator("img.chart-image")).to_have_js_property("complete", True)
    assert not [u for u in scripts if _is_plotly(u)]
    # A range changes the image to that range's drawing, with that range's summary.
    page.get_by_role("group", name="Range").get_by_role("button", name="2W").click()
    expect(image).to_have_attribute("src", re.compile("range=2W"))
    expect(image).to_have_accessible_name(mood.locator(".chart-summary").inner_text())
    # Back on 1M, and back on Trends after another page: asked for again each time, never an
    # older drawing kept by the page.
    for step in ["1M", "Check-in", "Trends"]:
        before = len(asked)
        if step == "1M":
            page.get_by_role("group", name="Range").get_by_role("button", name="1M").click()
        else:
            page.get_by_role("link", name=step, exact=True).click()
        if step != "Check-in":
            image = page.get_by_role("region", name="Mood by day").get_by_role("img")
            expect(image).to_have_attribute("src", re.compile("range=1M"))
            expect(image).to_have_js_property("complete", True)
            assert image.evaluate("i => i.naturalWidth") > 0
            # What it shows was asked for during this step.
            assert image.evaluate("i => i.currentSrc") in asked[before:]
    assert fits_without_sideways_scroll(page)
    assert visit.foreign_requests() == []
    visit.context.close()


def test_mood_image_route_serves_only_the_signed_in_patient(browser, server, demo_account):
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    page.goto(server.url("/trends"))
    image = page.get_by_role("region", name="Mood by day").locator("img.chart-image")
    src = server.url(image.get_attribute("src") or "")
    mine = page.request.get(src)
    assert mine.status == 200 and mine.headers["cache-control"] == "no-store"
    drawing = mine.text()
    assert "No data in this period" not in drawing
    # Signed out: refused, and no drawing in the answer.
    with pytest.raises(urllib.error.HTTPError) as refused:
        _body(src)
    assert refused.value.code == 401
    # A bad range: a clear message.
    bad = page.request.get(server.url("/api/trends/mood.svg?range=forever"))
    assert bad.status == 400
    assert bad.text() == "Choose one of the ranges: 2W, 1M, 3M, 1Y, All."
    visit.context.close()
    # Another patient asking for the same address gets their own (empty) chart, never mine.
    other = open_visit(browser, server)
    page = other.new_page()
    sign_up(page, server)
    theirs = page.request.get(src)
    assert theirs.status == 200
    assert "No data in this period" in theirs.text()
    assert theirs.text() != drawing
    other.context.close()


# Pixels of each colour (within a few levels), counted in the page from a PNG screenshot.
COUNT_COLOURS = """async ([png, colours]) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + png;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const data = context.getImageData(0, 0, img.width, img.height).data;
  const counts = {};
  for (const [name, hex] of Object.entries(colours)) {
    const rgb = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (rgb.every((v, k) => Math.abs(data[i + k] - v) <= 6)) n++;
    }
    counts[name] = n;
  }
  return counts;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_mood_image_follows_dark_mode(browser, server, demo_account, scheme):
    visit = open_visit(browser, server, color_scheme=scheme)
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    page.goto(server.url("/trends"))
    image = page.get_by_role("region", name="Mood by day").locator("img.chart-image")
    expect(image).to_have_js_property("complete", True)
    shot = base64.b64encode(image.screenshot()).decode()
    # The mood dots in the scheme's own blue (charts.svg LIGHT and DARK), never the other's.
    colours = {"light": svg.LIGHT["mood"], "dark": svg.DARK["mood"]}
    counts = page.evaluate(COUNT_COLOURS, [shot, colours])
    other = "light" if scheme == "dark" else "dark"
    assert counts[scheme] > 50 and counts[other] == 0, counts
    visit.context.close()


def test_new_patient_sees_what_to_log_instead_of_empty_charts(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/trends"))
    expect(
        page.get_by_text("Log your mood on at least two days to see this chart.")
    ).to_be_visible()
    expect(page.get_by_text("Take a PHQ-9 to see this chart.")).to_be_visible()
    assert page.locator("svg.main-svg").count() == 0


def test_plotly_comes_only_for_the_chart_a_patient_explores(
    page: Page, server: Server, demo_account: str
):
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    trends = _scripts(page, "/trends", server, until="img.chart-image", scroll_to=CHART_TITLES[1])
    assert trends and not [u for u in trends if _is_plotly(u)]
    card = page.get_by_role("region", name=CHART_TITLES[1])
    urls: list[str] = []
    page.on(
        "response", lambda r: urls.append(r.url) if r.request.resource_type == "script" else None
    )
    pictures: list[str] = []
    page.on("request", lambda r: pictures.append(r.url) if "/api/trends/" in r.url else None)
    card.get_by_role("button", name="Explore each day's values").click()
    # Drawn by Plotly in place of the picture, the others still pictures, none fetched again.
    expect(card.locator("svg.main-svg g.trace").first).to_be_attached(timeout=30_000)
    expect(card.locator("img.chart-image")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert pictures == []
    plotly_scripts = {u for u in urls if _is_plotly(u)}
    assert plotly_scripts and all("plotly-basic" in u for u in plotly_scripts), "the basic bundle"
    expect(page.locator(".js-plotly-plot")).to_have_count(1)
    # A tap on the latest infusion's line names its day and mood.
    card.locator(".js-plotly-plot").scroll_into_view_if_needed()
    point = card.locator("g.trace").last.locator("path.point").nth(5).bounding_box()
    assert point is not None
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    expect(card.locator(".hoverlayer")).to_contain_text("mood")
    card.get_by_role("button", name="Done exploring").click()
    expect(card.locator("img.chart-image")).to_have_js_property("complete", True)
    expect(page.locator("svg.main-svg")).to_have_count(0)

    fresh = page.context.new_page()
    checkin = _scripts(fresh, "/checkin", server)
    assert checkin, "scripts on /checkin were recorded"
    assert not set(checkin) & plotly_scripts
    assert not [u for u in checkin if "plotly" in u.lower() or "plotly.js" in _body(u)]
    assert fresh.evaluate("typeof window.Plotly") == "undefined"


def test_learn_groups_articles_opens_one_and_marks_it_read(page: Page, server: Server):
    sign_up(page, server)
    page.get_by_role("link", name="Learn", exact=True).click()
    page.wait_for_url(re.compile("/learn"))
    for heading in ["Before you start", "During the induction series", "Maintenance and boosters"]:
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(page.get_by_text("Read", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Why a series of six").click()
    page.wait_for_url(re.compile("/learn/why-six"))
    expect(page.get_by_role("heading", name="Why a series of six", level=1)).to_be_visible()
    expect(page.get_by_text("Last reviewed")).to_be_visible()
    expect(page.get_by_text("not medical advice")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    assert fits_without_sideways_scroll(page)
    assert serious_axe_violations(page) == []
    page.get_by_role("link", name="All articles").click()
    page.wait_for_url(re.compile(r"/learn/?$"))
    entry = page.locator("li").filter(has=page.get_by_role("link", name="Why a series of six"))
    expect(entry.get_by_text("Read", exact=True)).to_be_visible()


def test_article_lists_headings_and_links_to_the_apps_pages(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/learn/clinician-summary"))
    heading = page.get_by_role("heading", name="What your clinician sees", level=2)
    expect(heading).to_be_visible()
    page.wait_for_load_state("networkidle")
    # Subheadings look like headings: bold and larger than the text.
    weight, size = heading.evaluate(
        "h => [Number(getComputedStyle(h).fontWeight), parseFloat(getComputedStyle(h).fontSize)]"
    )
    body_size = page.locator(".prose p").first.evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize)"
    )
    assert weight >= 700 and size > body_size
    # Bulleted and numbered lists keep their markers, indented within a 360 px screen.
    bullets = list_markers(page, ".prose ul > li")
    numbers = list_markers(page, ".prose ol > li")
    assert bullets and numbers
    assert all(style == "disc" and 12 <= indent <= 40 for style, indent in bullets), bullets
    assert all(style == "decimal" and 12 <= indent <= 40 for style, indent in numbers), numbers
    assert {style for style, _ in list_markers(page, ".sources > li")} == {"decimal"}
    assert fits_without_sideways_scroll(page)
    assert serious_axe_violations(page) == []
    # A page named in the text is a link into the app; the closing line opens /help.
    expect(page.get_by_role("link", name="Share page")).to_have_attribute("href", "/share")
    page.get_by_role("link", name="Get help now page").click()
    page.wait_for_url(re.compile(r"/help/?$"))
    expect(page.get_by_role("heading", name="Get help now", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Tabs")).to_be_visible()


def test_today_suggests_an_article_with_its_reason(page: Page, server: Server):
    sign_up(page, server)
    card = page.get_by_role("region", name="Suggested reading")
    expect(card.get_by_text("Because your first infusion is still ahead")).to_be_visible()
    card.get_by_role("link").click()
    page.wait_for_url(re.compile("/learn/"))


def test_the_mood_chart_shows_before_the_apps_scripts_have_run(browser, server, demo_account):
    """On a slow phone the page is painted long before its scripts, socket and data arrive: the
    first chart is in the page's HTML, drawn on the server for the signed-in patient, so it is
    on the screen from the first paint. Here the scripts never come at all."""
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    page.route(re.compile(r"\.jsx?(\?|$)"), lambda route: route.abort())
    page.goto(server.url("/trends"))
    mood = page.get_by_role("region", name="Mood by day")
    image = mood.locator("img.chart-image")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("i => i.naturalWidth") > 0
    assert image.get_attribute("alt") == "Your mood by day"
    drawing = _image_svg(page, image)
    # The demo patient's own month: their days logged, their latest infusion marked.
    assert "No data in this period" not in drawing
    assert '<line class="kc-infusion' in drawing
    expect(mood.get_by_text("Loading your charts…")).to_be_visible()
    assert page.locator("svg.main-svg").count() == 0
    visit.context.close()
