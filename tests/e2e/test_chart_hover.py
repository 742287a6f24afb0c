"""The Trends charts in the plotly.js the app ships (no app build): what a tap at 360 px shows."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import plotly.io as pio
import pytest

from companion.charts.figures import (
    InfusionMark,
    MoodPoint,
    ResponseSeries,
    mood_chart,
    response_chart,
)
from companion.clinical import format_short_date

# The same version as Reflex's plotly.js-basic-dist-min (reflex.lock), pinned in tests/node.
PLOTLY = Path(__file__).parents[1] / "node" / "node_modules" / "plotly.js-basic-dist-min"
START, END = date(2026, 6, 7), date(2026, 9, 30)
BOOSTER_2 = date(2026, 9, 15)


@pytest.fixture
def chart_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.set_content("<div id=chart style='width:360px;height:320px'></div>")
    page.add_script_tag(path=str(PLOTLY / "plotly-basic.min.js"))
    yield page
    context.close()


def _draw(page, figure) -> None:
    page.evaluate("f => Plotly.newPlot('chart', f.data, f.layout)", json.loads(pio.to_json(figure)))


def _tap(page, day: date, y: float) -> str:
    """The hover label shown with the pointer on `day` at height y (mood), as a tap shows it."""
    x_px, y_px = page.evaluate(
        """([day, y]) => {
            const chart = document.getElementById('chart');
            const xa = chart._fullLayout.xaxis, ya = chart._fullLayout.yaxis;
            const box = chart.getBoundingClientRect();
            return [box.left + xa._offset + xa.d2p(day), box.top + ya._offset + ya.d2p(y)];
        }""",
        [day.isoformat(), y],
    )
    page.mouse.move(x_px, y_px)
    # The label's title is the day pointed at ("Tue 15 Sep 2026").
    title = f"{format_short_date(day)} {day.year}"
    page.wait_for_function(
        "title => document.querySelector('.hoverlayer').textContent.startsWith(title)", arg=title
    )
    return page.evaluate("() => document.querySelector('.hoverlayer').textContent")


def test_a_tap_on_a_day_names_only_the_infusion_given_that_day(chart_page) -> None:
    moods = [MoodPoint(START + timedelta(days=n), 5 + n % 3) for n in range((END - START).days)]
    marks = [InfusionMark(date(2026, 8, 18), "Booster 1"), InfusionMark(BOOSTER_2, "Booster 2")]
    _draw(chart_page, mood_chart(moods, marks, START, END))
    # 9 Sep is 6 days (under 20 px at 360 px) before Booster 2: it once said "Booster 2".
    assert "Booster" not in _tap(chart_page, BOOSTER_2 - timedelta(days=6), 5)
    assert "Booster" not in _tap(chart_page, BOOSTER_2 - timedelta(days=1), 5)
    on_the_day = _tap(chart_page, BOOSTER_2, 5)
    assert "Tue 15 Sep 2026" in on_the_day and "Booster 2" in on_the_day
    # The marker at the top names it too.
    assert "Booster 2" in _tap(chart_page, BOOSTER_2, 10.4)


def test_the_response_chart_shows_35_days_and_the_patients_median(chart_page) -> None:
    points = ((-1, 4.0), (1, 7.0), (20, 7.0), (33, 3.0))
    _draw(chart_page, response_chart([ResponseSeries("Booster 3", points, 29)], 26.0))
    labels = chart_page.locator(".annotation-text").all_text_contents()
    assert "your median: 26 days" in labels
    ticks = chart_page.locator(".xtick text").all_text_contents()
    assert ticks[-1] == "35"
    # The fall on day 33 is drawn: the last point is inside the plot.
    inside = chart_page.evaluate(
        """() => {
            const chart = document.getElementById('chart');
            const xa = chart._fullLayout.xaxis;
            return xa.d2p(33) <= xa._length;
        }"""
    )
    assert inside
