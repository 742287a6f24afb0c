"""Radix Themes' stylesheet with only the colour scales this app uses.

Reflex imports `@radix-ui/themes/styles.css`: every one of Radix's 31 colour scales, light and
dark, as custom properties on the page's root (716 KB, 87 KB gzipped, render-blocking on every
page). Radix ships the same stylesheet in parts for this (its tokens' base, one file per colour
scale, components, utilities): we import the base and the scales we name, and the browser
parses, inherits and copies far fewer custom properties on every element that sets a colour.

A colour used anywhere (a `color_scheme`, `accent_color` or `gray_color`, or `var(--<scale>-…)`
in our CSS) must be in COLOURS: tests/unit/test_radix_css.py checks the code for it.

After the build, the stylesheet also loses every rule no page of the app can match (the
components it never draws, breakpoints it never uses): see purge_build. A browser test compares
every page's look with Radix's whole stylesheet added (tests/e2e/test_stylesheet.py)."""

from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import reflex as rx
from reflex.utils import format
from reflex_base.registry import RegistrationContext

RADIX_THEMES = Path("node_modules") / "@radix-ui" / "themes"
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

    def pre_compile(self, **context: Any) -> None:
        """Radix Themes out of Reflex's registry for components sent as code at run time
        (window.__reflex). root.jsx would import the whole package for it, every component
        in every page's scripts; such code runs only through eval, which our CSP (no
        'unsafe-eval') refuses. The pages' own imports then take only what they draw."""
        super().pre_compile(**context)
        libraries = RegistrationContext.ensure_context().bundled_libraries
        libraries[:] = [
            library
            for library in libraries
            if format.format_library_name(library) != "@radix-ui/themes"
        ]

    def post_build(self, **context: Any) -> None:
        """The built stylesheet without what no page of this app can match (purge_build)."""
        if not self.enabled:
            return
        static = Path(context["static_dir"])
        for name, (before, after) in purge_build(static.parents[1], static).items():
            print(f"{name}: {before:,} -> {after:,} bytes, rules no page can match left out")


# --- After the build: the rules no page can match go -------------------------------------------
#
# Radix's components.css styles every one of its ~60 components, and utilities.css every layout
# prop at five breakpoints: 432 KB and 252 KB of the 633 KB (64 KB gzipped) every page must load
# before it can draw. This app draws eight of Radix's components, and none with a prop given per
# breakpoint. A rule only matches an element carrying its classes, and a component's class
# (rt-Button, rt-TextFieldInput, …) is written only by that component's code: a class the code
# of no component the app imports (nor the app's own code) writes is on no element, ever. The
# selectors that need one go, with the breakpoint variants (`.md\:rt-r-p-2`) when no compiled
# page passes a prop per breakpoint. Everything else (tokens, resets, our own CSS, variants and
# sizes) stays as it was, in its order: 168 KB, 28 KB gzipped.

_COMPONENT_CLASS = re.compile(r"rt-[A-Z][A-Za-z0-9]*")
_BREAKPOINT = re.compile(r"(?:xs|sm|md|lg|xl):")
# How Reflex writes a prop given per breakpoint (rx.breakpoints or a dict): ({ ["sm"] : "2" }).
_RESPONSIVE_PROP = re.compile(r'\["(?:xs|sm|md|lg|xl)"\]\s*:')
_FUNCTION = re.compile(r":{1,2}([-A-Za-z]+)\($")
# A string (kept) or a comment (left out).
_COMMENT = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')|/\*.*?\*/", re.S)
_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})\s?|(.))", re.S)
# Pseudo-classes an element matches only by matching one of their arguments.
_REQUIRING = frozenset({"is", "where", "matches", "-webkit-any", "-moz-any", "has"})
# At-rules holding rules, purged inside; any other (@keyframes, @font-face…) is kept whole.
_GROUPING = frozenset({"media", "supports", "layer", "container", "scope", "starting-style"})


def _scan(text: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, brackets open before it) for each character of text outside
    strings, escapes and comments."""
    i, depth = 0, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in "\"'":
            i += 1
            while i < len(text) and text[i] != c:
                i += 2 if text[i] == "\\" else 1
            i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            continue
        yield i, c, depth
        depth += (c in "([{") - (c in ")]}")
        i += 1


def _split(text: str) -> list[str]:
    """text cut at each comma outside brackets and strings."""
    cuts = [i for i, c, depth in _scan(text) if c == "," and depth == 0]
    return [text[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(text)], strict=True)]


def _items(css: str) -> list[tuple[str, str | None]]:
    """css's rules at its top level: (prelude, body), or (statement, None) for `@import …;`,
    comments left out."""
    items: list[tuple[str, str | None]] = []
    start, opened = 0, 0
    for i, c, depth in _scan(css):
        if c == "{" and depth == 0:
            opened = i
        elif c == "}" and depth == 1:
            items.append((_uncommented(css[start:opened]), css[opened + 1 : i]))
            start = i + 1
        elif c == ";" and depth == 0:
            if prelude := _uncommented(css[start:i]):
                items.append((prelude, None))
            start = i + 1
    if prelude := _uncommented(css[start:]):
        items.append((prelude, None))
    return items


def _uncommented(text: str) -> str:
    return _COMMENT.sub(lambda found: found.group(1) or "", text).strip()


def _unescape(name: str) -> str:
    def one(match: re.Match[str]) -> str:
        return chr(int(match.group(1), 16)) if match.group(1) else match.group(2)

    return _ESCAPE.sub(one, name)


def _dead(selector: str, alive: Callable[[str], bool]) -> bool:
    """Whether no element can match selector: it requires a class alive() says is on none."""
    function, opened = "", 0
    for i, c, depth in _scan(selector):
        if depth == 0 and c == ".":
            name = re.match(r"(?:[-\w]|\\.|[^\x00-\x7f])+", selector[i + 1 :])
            if name and not alive(_unescape(name.group(0))):
                return True
        elif depth == 0 and c == "(":
            called = _FUNCTION.search(selector[: i + 1])
            function, opened = (called.group(1).lower() if called else ""), i
        elif (
            # :is(), :where(), :has(): an element matches only by matching one of them.
            depth == 1
            and c == ")"
            and function in _REQUIRING
            and all(_dead(one, alive) for one in _split(selector[opened + 1 : i]))
        ):
            return True
    return False


def purge(css: str, alive: Callable[[str], bool]) -> str:
    """css without the selectors alive() rules out, and the rules and groups left empty."""
    out: list[str] = []
    for prelude, body in _items(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith("@"):
            name = re.split(r"[\s({]", prelude[1:], maxsplit=1)[0].lower()
            if name not in _GROUPING:
                out.append(f"{prelude}{{{body}}}")
            elif (inner := purge(body, alive)) or name == "layer":
                # A layer is kept though empty: the order layers first appear in is theirs.
                out.append(f"{prelude}{{{inner}}}")
        elif kept := [s for s in _split(prelude) if not _dead(s, alive)]:
            out.append(",".join(kept) + "{" + body + "}")
    return "".join(out)


def classes_in_use(named: set[str], responsive: bool) -> Callable[[str], bool]:
    """Whether a class can be on an element: a Radix component's class only when named (found
    in the built scripts), a breakpoint's variant only when responsive props are passed."""

    def alive(name: str) -> bool:
        if _BREAKPOINT.match(name):
            return responsive and alive(name.split(":", 1)[1])
        if _COMPONENT_CLASS.fullmatch(name):
            return name in named
        return True

    return alive


_IMPORT = re.compile(r'import\s*\{([^}]*)\}\s*from\s*"@radix-ui/themes"')
_ANY_IMPORT = re.compile(r'["\']@radix-ui/themes["\']')
_RELATIVE = re.compile(r'from\s*"(\.{1,2}/[^"]+)"')
# Where the compiled app's own code is, in .web/ (its pages, their components, Reflex's own).
SOURCES = ("app", "app_components", "components", "utils", "public")


def _sources(web: Path) -> list[str]:
    return [
        path.read_text(errors="replace")
        for folder in SOURCES
        for path in sorted((web / folder).rglob("*"))
        if path.suffix in (".js", ".jsx") and path.is_file()
    ]


def _imported(sources: list[str]) -> set[str] | None:
    """The names the app imports from Radix Themes; None if it takes them otherwise too (the
    whole package at once, or by a path of its own): then any component may be drawn."""
    names: set[str] = set()
    for text in sources:
        found = list(_IMPORT.finditer(text))
        if len(found) != len(_ANY_IMPORT.findall(text)):
            return None
        for match in found:
            names |= {part.split(" as ")[0].strip() for part in match.group(1).split(",")}
    return names - {""}


def component_classes(themes: Path, names: set[str]) -> set[str] | None:
    """Every component class the code of these Radix Themes components (and what it imports)
    can write; None when a name is not one of Radix's exports, or the package is not laid out
    as this reads it."""
    components = themes / "dist" / "esm" / "components"
    if not (components / "index.js").is_file():
        return None  # another layout of Radix's package: nothing is left out
    index = (components / "index.js").read_text()
    local = {
        alias.strip(): module
        for listed, module in re.findall(r'import\s*\{([^}]*)\}\s*from\s*"\./([^"]+)"', index)
        for alias in (part.split(" as ")[-1] for part in listed.split(","))
    } | dict(re.findall(r'import\s*\*\s*as\s*(\w+)\s*from\s*"\./([^"]+)"', index))
    exported = {
        name.strip(): local.get(alias.strip())
        for listed in re.findall(r"export\s*\{([^}]*)\}", index)
        for alias, _, name in (part.partition(" as ") for part in listed.split(","))
    }
    if any(exported.get(name) is None for name in names):
        return None
    classes: set[str] = set()
    seen: set[Path] = set()
    todo = [components / str(exported[name]) for name in names]
    while todo:
        path = todo.pop().resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        text = path.read_text()
        classes |= set(_COMPONENT_CLASS.findall(text))
        todo += [path.parent / module for module in _RELATIVE.findall(text)]
    return classes


def purge_build(web: Path, static: Path) -> dict[str, tuple[int, int]]:
    """Each stylesheet the build wrote under static/assets, purged for this app (see above),
    under a name with its new content's hash, every page and script pointing to it, its gzip
    copy made again. Returns {new name: (bytes before, bytes after)}."""
    sources = _sources(web)
    names = _imported(sources)
    used = None if names is None else component_classes(web / RADIX_THEMES, names)
    if used is None:
        return {}  # a component this cannot account for: the whole stylesheet stays
    written = set().union(*(_COMPONENT_CLASS.findall(text) for text in sources))
    responsive = any(_RESPONSIVE_PROP.search(text) for text in sources)
    alive = classes_in_use(used | written, responsive)
    renamed: dict[str, str] = {}
    sizes: dict[str, tuple[int, int]] = {}
    for sheet in sorted((static / "assets").glob("*.css")):
        before = sheet.read_text()
        after = purge(before, alive)
        digest = base64.urlsafe_b64encode(hashlib.sha256(after.encode()).digest())[:8].decode()
        name = re.sub(r"-[A-Za-z0-9_-]+(?=\.css$)", f"-{digest}", sheet.name)
        sheet.unlink()
        sheet.with_name(sheet.name + ".gz").unlink(missing_ok=True)
        _write(sheet.with_name(name), after)
        renamed[sheet.name] = name
        sizes[name] = (len(before.encode()), len(after.encode()))
    for path in static.rglob("*"):
        if path.suffix not in (".html", ".js", ".json") or not path.is_file():
            continue
        text = path.read_text(errors="strict")
        changed = text
        for old, new in renamed.items():
            changed = changed.replace(old, new)
        if changed != text:
            _write(path, changed)
    return sizes


def _write(path: Path, text: str) -> None:
    """path with text, and its gzip copy beside it as the build makes them (compress-static)."""
    data = text.encode()
    path.write_bytes(data)
    gz = path.with_name(path.name + ".gz")
    if gz.exists() or path.suffix == ".css":
        gz.write_bytes(gzip.compress(data, 9, mtime=0))
