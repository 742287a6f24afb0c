"""Shared look of every chart: a phone-first layout, a palette that reads on light and dark, and
the Plotly config the page passes to rx.plotly."""

from __future__ import annotations

import copy
from typing import Any, Final

# One figure serves both colour modes: rx.plotly merges Plotly's "plotly" or "plotly_dark"
# template in the browser, and the figure's backgrounds are transparent. So every line and bar is
# an opaque mid-tone with at least 3:1 contrast on white and on near-black (#111111), the WCAG 2.1
# minimum for graphics (1.4.11); text either leaves its colour to the template (dark on light,
# light on dark) or sits on its own chip (LABEL_TEXT on LABEL_BG).
MOOD: Final = "#3B7DD8"
AVERAGE: Final = "#D9730D"
INFUSION: Final = "#9467BD"
# Planned infusions: the same purple, lighter.
INFUSION_PLANNED: Final = "rgba(148, 103, 189, 0.5)"
GUIDE: Final = "#8C8C8C"
SCORE: Final = "#3B7DD8"
ANXIETY: Final = "#E15759"
ENERGY: Final = "#2E9E5B"
PAIN: Final = "#C9840A"
# Opaque, in a panel of its own: a see-through bar fades into the dark background.
SLEEP: Final = "#5B6FD6"
DISSOCIATION: Final = "#9467BD"

# One fixed colour per side-effect key, so a side effect keeps its colour whatever else is shown.
SIDE_EFFECT_COLOURS: Final[dict[str, str]] = {
    "nausea": "#2E9E5B",
    "dizziness": "#2F9E9E",
    "headache": "#E15759",
    "drowsiness": "#3B7DD8",
    "blurred_vision": "#9C755F",
    "anxiety": "#C9840A",
    "bladder": "#C2418F",
}

# Line colours that must pass the contrast check in the tests.
LINE_COLOURS: Final[tuple[str, ...]] = (
    MOOD,
    AVERAGE,
    INFUSION,
    GUIDE,
    SCORE,
    ANXIETY,
    ENERGY,
    PAIN,
    SLEEP,
    DISSOCIATION,
    *SIDE_EFFECT_COLOURS.values(),
)

# Severity bands: one warm hue whose alpha rises with severity, capped at 0.25 so the bands stay
# a background on either theme.
BAND_RGB: Final = (225, 87, 89)
BAND_ALPHA_MIN: Final = 0.04
BAND_ALPHA_MAX: Final = 0.24

# Response chart: the latest infusion in the mood blue and thick; the earlier ones thin and in the
# guide grey, more see-through the older they are, so they fade towards either background.
RESPONSE_LATEST: Final = MOOD
RESPONSE_LATEST_WIDTH: Final = 3.0
RESPONSE_EARLIER_RGB: Final = (140, 140, 140)
RESPONSE_EARLIER_ALPHA_MIN: Final = 0.3
RESPONSE_EARLIER_ALPHA_MAX: Final = 0.75
RESPONSE_EARLIER_WIDTH: Final = 1.5

# Labels drawn over data (the baseline, response and remission lines): white on a dark grey chip,
# 4.5:1 or better on either background and over any line, as the chip hides most of what is below.
LABEL_TEXT: Final = "#FFFFFF"
LABEL_BG: Final = "rgba(51, 51, 51, 0.8)"

TRANSPARENT: Final = "rgba(0,0,0,0)"
HEIGHT: Final = 300
FONT_SIZE: Final = 13
SMALL_FONT_SIZE: Final = 11
TINY_FONT_SIZE: Final = 10

# Passed to rx.plotly(config=...): no toolbar, no scroll zoom, resizes with the card.
CONFIG: Final[dict[str, bool]] = {
    "displayModeBar": False,
    "responsive": True,
    "scrollZoom": False,
    "displaylogo": False,
}


def rgba(rgb: tuple[int, int, int], alpha: float) -> str:
    """A CSS rgba() colour string."""
    red, green, blue = rgb
    return f"rgba({red}, {green}, {blue}, {round(alpha, 3)})"


def graded_alphas(count: int, low: float, high: float) -> list[float]:
    """`count` opacities rising evenly from `low` to `high` (just `high` for one)."""
    if count <= 1:
        return [high] * count
    step = (high - low) / (count - 1)
    return [round(low + step * n, 3) for n in range(count)]


def band_fills(count: int) -> list[str]:
    """`count` fills of rising intensity, from BAND_ALPHA_MIN to BAND_ALPHA_MAX."""
    if count <= 1:
        return [rgba(BAND_RGB, BAND_ALPHA_MIN)] * count
    return [rgba(BAND_RGB, alpha) for alpha in graded_alphas(count, BAND_ALPHA_MIN, BAND_ALPHA_MAX)]


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = _merge(base[key], value)
        else:
            base[key] = value
    return base


def _base() -> dict[str, Any]:
    axis = {"fixedrange": True, "automargin": True, "zeroline": False}
    return {
        "height": HEIGHT,
        "autosize": True,
        "margin": {"l": 36, "r": 12, "t": 24, "b": 40},
        "font": {"size": FONT_SIZE},
        "legend": {"orientation": "h", "y": -0.25, "x": 0, "xanchor": "left", "yanchor": "top"},
        "hovermode": "x unified",
        "dragmode": False,
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "xaxis": dict(axis),
        "yaxis": dict(axis),
        # An empty template keeps plotly.py's default template (about 7 KB) out of the JSON;
        # Reflex merges its own light or dark template in the browser.
        "template": {},
    }


def base_layout(**overrides: Any) -> dict[str, Any]:
    """The shared layout, with overrides merged in (nested dicts such as xaxis are merged key by
    key, so an override keeps fixedrange unless it sets it)."""
    return _merge(_base(), copy.deepcopy(overrides))
