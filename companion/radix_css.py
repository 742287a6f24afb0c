"""Radix Themes' stylesheet with only the colour scales this app uses.

Reflex imports `@radix-ui/themes/styles.css`: every one of Radix's 31 colour scales, light and
dark, as custom properties on the page's root (716 KB, 87 KB gzipped, render-blocking on every
page). Radix ships the same stylesheet in parts for this (its tokens' base, one file per colour
scale, components, utilities): we import the base and the scales we name, and the browser
parses, inherits and copies far fewer custom properties on every element that sets a colour.

A colour used anywhere (a `color_scheme`, `accent_color` or `gray_color`, or `var(--<scale>-…)`
in our CSS) must be in COLOURS: tests/unit/test_radix_css.py checks the code for it."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

# teal: the accent; slate: the grays (gray_color); gray: color_scheme="gray"; red: errors and
# the crisis panel; amber and green: warning and success lines in assets/app.css.
COLOURS = ("teal", "slate", "gray", "red", "amber", "green")
# In the order of Radix's own tokens.css: the scales first, then the base, whose mappings
# (--gray-* to --slate-* under data-gray-color) must come after the scales' ".light" rules.
SHEETS = (
    *(f"@radix-ui/themes/tokens/colors/{colour}.css" for colour in COLOURS),
    "@radix-ui/themes/tokens/base.css",
    "@radix-ui/themes/components.css",
    "@radix-ui/themes/utilities.css",
)


@dataclasses.dataclass
class RadixThemesInOurColours(rx.plugins.RadixThemesPlugin):
    """Radix Themes as Reflex's plugin sets it up, with SHEETS for its one stylesheet."""

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return SHEETS if self.enabled else ()
