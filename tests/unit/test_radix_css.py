"""The app's Radix stylesheet carries only the colour scales in companion.radix_css.COLOURS: every
colour the code or our CSS names must be one of them, or it would show unstyled."""

from __future__ import annotations

import re
from pathlib import Path

from companion.radix_css import COLOURS, SHEETS

ROOT = Path(__file__).resolve().parents[2]
# Radix Themes 3's colour scales (tokens/colors/*.css).
RADIX_SCALES = {
    "gray",
    "mauve",
    "slate",
    "sage",
    "olive",
    "sand",
    "tomato",
    "red",
    "ruby",
    "crimson",
    "pink",
    "plum",
    "purple",
    "violet",
    "iris",
    "indigo",
    "blue",
    "cyan",
    "teal",
    "jade",
    "green",
    "grass",
    "brown",
    "orange",
    "sky",
    "mint",
    "lime",
    "yellow",
    "amber",
    "gold",
    "bronze",
}
NAMED = re.compile(
    r"(?:color_scheme|accent_color|gray_color|color)\s*=\s*(?:rx\.cond\([^)]*?)?\"([a-z]+)\""
)
ANY_STRING = re.compile(r"\"([a-z]+)\"")
CSS_VAR = re.compile(r"var\(--([a-z]+)-a?\d+\)")


def _python() -> list[tuple[Path, str]]:
    paths = [ROOT / "rxconfig.py", *(ROOT / "companion").rglob("*.py")]
    return [(path, path.read_text()) for path in paths]


def test_every_colour_the_components_name_is_in_the_stylesheet():
    named = set()
    for path, text in _python():
        if "charts" in path.parts or "content" in path.parts:
            continue  # Plotly's and the articles' colours are hex values, not Radix scales
        named |= {m for m in NAMED.findall(text) if m in RADIX_SCALES}
        # A scale chosen by a condition: rx.cond(..., "red", "gray") given to color_scheme.
        for line in text.splitlines():
            if "color_scheme" in line or "accent_color" in line or "gray_color" in line:
                named |= {m for m in ANY_STRING.findall(line) if m in RADIX_SCALES}
    assert {"teal", "slate", "gray"} <= named, "the pattern no longer matches the code"
    assert named <= set(COLOURS), sorted(named - set(COLOURS))


def test_every_colour_our_css_uses_is_in_the_stylesheet():
    used = set()
    for path in [*(ROOT / "assets").glob("*.css"), *(ROOT / "companion").rglob("*.py")]:
        used |= {m for m in CSS_VAR.findall(path.read_text()) if m in RADIX_SCALES}
    assert {"teal", "red"} <= used
    assert used <= set(COLOURS), sorted(used - set(COLOURS))


def test_the_stylesheet_is_radix_in_parts_not_its_whole_bundle():
    assert "@radix-ui/themes/styles.css" not in SHEETS
    # Radix's order: the scales, then the base that maps --gray-* and --accent-* onto them.
    assert SHEETS.index("@radix-ui/themes/tokens/base.css") == len(COLOURS)
    assert SHEETS[-2:] == ("@radix-ui/themes/components.css", "@radix-ui/themes/utilities.css")
    assert len(COLOURS) < len(RADIX_SCALES) / 4
