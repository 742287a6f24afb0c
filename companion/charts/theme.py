"""Shared look of every chart: a phone-first layout, a palette that reads on light and dark, and
the Plotly config the page passes to rx.plotly."""

from __future__ import annotations

import copy
from typing import Any, Final

# Mid-tone colours: each keeps at least 3:1 contrast on white and on near-black (#111111), the
# WCAG 2.1 minimum for graphics (1.4.11), so Reflex's light and dark templates both work.
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
SLEEP: Final = "#5B6FD6"
SLEEP_OPACITY: Final = 0.35
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

# Response chart: the earliest infusion faint, the latest fully opaque and thicker.
RESPONSE_RGB: Final = (59, 125, 216)
RESPONSE_ALPHA_MIN: Final = 0.3
RESPONSE_WIDTH_MIN: Final = 1.5
RESPONSE_WIDTH_MAX: Final = 3.0

TRANSPARENT: Final = "rgba(0,0,0,0)"
HEIGHT: Final = 300
FONT_SIZE: Final = 13
SMALL_FONT_SIZE: Final = 11

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


def band_fills(count: int) -> list[str]:
    """`count` fills of rising intensity, from BAND_ALPHA_MIN to BAND_ALPHA_MAX."""
    if count <= 1:
        return [rgba(BAND_RGB, BAND_ALPHA_MIN)] * count
    step = (BAND_ALPHA_MAX - BAND_ALPHA_MIN) / (count - 1)
    return [rgba(BAND_RGB, BAND_ALPHA_MIN + step * n) for n in range(count)]


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
