"""The app's Radix stylesheet carries only the colour scales in companion.radix_css.COLOURS: every
colour the code or our CSS names must be one of them, or it would show unstyled."""

from __future__ import annotations

import re
from pathlib import Path

from companion.radix_css import (
    COLOURS,
    SHEETS,
    _imported,
    classes_in_use,
    component_classes,
    purge,
)

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


# --- purge: what no page can match goes, nothing else ------------------------------------------

ALIVE = classes_in_use({"rt-Button", "rt-BaseButton", "rt-TextFieldRoot"}, responsive=False)


def test_rules_needing_a_component_nobody_draws_go():
    css = ".rt-TableRoot{color:red}.rt-Button{color:blue}.rt-TableRoot .rt-Button{margin:0}"
    assert purge(css, ALIVE) == ".rt-Button{color:blue}"


def test_a_selector_list_keeps_the_selectors_that_can_match():
    css = ".rt-TabsList,.rt-Button:where(.rt-variant-solid),.rt-reset{display:flex}"
    assert purge(css, ALIVE) == ".rt-Button:where(.rt-variant-solid),.rt-reset{display:flex}"


def test_not_and_alternatives_are_read_as_css_means_them():
    # :not(.absent) matches every element; :is(a, b) needs only one of them.
    kept = ".rt-Button:not(.rt-IconButton){a:1}.rt-Button:is(.rt-SelectTrigger,.rt-BaseButton){b:2}"
    assert purge(kept, ALIVE) == kept
    gone = ".x:where(.rt-SelectTrigger, .rt-IconButton){c:3}.x:has(> .rt-TabsList){d:4}"
    assert purge(gone, ALIVE) == ""


def test_breakpoint_variants_go_only_when_no_prop_is_given_per_breakpoint():
    css = "@media (width>=768px){.md\\:rt-r-p-2{padding:8px}}.rt-r-p-2{padding:8px}"
    assert purge(css, ALIVE) == ".rt-r-p-2{padding:8px}"
    responsive = classes_in_use({"rt-Button"}, responsive=True)
    assert purge(css, responsive) == css


def test_groups_strings_escapes_and_other_at_rules_are_kept_whole():
    css = (
        '@charset "utf-8";@layer base{}@layer base{.rt-TableRoot{x:1}}'
        "@keyframes rt-spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}"
        '.rt-Button[data-x="}{,"]::after{content:"{ .rt-TableRoot }"}'
        "@supports (color:red){@media print{.rt-TableRoot{x:1}}.rt-Button{y:2}}"
        "/* .rt-Button{} */.a\\:b .rt-BaseButton{z:3}"
    )
    assert purge(css, ALIVE) == (
        '@charset "utf-8";@layer base{}@layer base{}'
        "@keyframes rt-spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}"
        '.rt-Button[data-x="}{,"]::after{content:"{ .rt-TableRoot }"}'
        "@supports (color:red){.rt-Button{y:2}}"
        ".a\\:b .rt-BaseButton{z:3}"
    )


def test_the_app_s_own_classes_and_radix_s_lowercase_ones_always_stay():
    css = ".checkin-card .rt-r-size-2.rt-variant-soft{a:1}.radix-themes{b:2}"
    assert purge(css, ALIVE) == css


def test_components_imported_are_read_from_the_compiled_pages():
    page = 'import {Button as RadixThemesButton, Text as RadixThemesText} from "@radix-ui/themes"'
    root = 'import {Theme as RadixThemesTheme} from "@radix-ui/themes"'
    assert _imported([page, root]) == {"Button", "Text", "Theme"}
    # Radix taken any other way (the whole package, a path of its own): any component may be
    # drawn, and nothing is left out.
    assert _imported([page, 'import * as radix_ui_themes from "@radix-ui/themes";']) is None
    assert _imported([page, 'import("@radix-ui/themes").then(draw)']) is None


def test_radix_laid_out_otherwise_leaves_the_stylesheet_whole(tmp_path):
    """A Radix upgrade that moves its files: the build keeps every rule, it does not fail."""
    assert component_classes(tmp_path, {"Button"}) is None
    components = tmp_path / "dist" / "esm" / "components"
    components.mkdir(parents=True)
    (components / "index.js").write_text(
        'import{Button as c}from"./button.js";export{c as Button};'
    )
    (components / "button.js").write_text(
        'import{B as p}from"./_internal/base-button.js";"rt-Button"'
    )
    (components / "_internal").mkdir()
    (components / "_internal" / "base-button.js").write_text('"rt-BaseButton","rt-r-size-2"')
    assert component_classes(tmp_path, {"Button"}) == {"rt-Button", "rt-BaseButton"}
    assert component_classes(tmp_path, {"Button", "Table"}) is None
