"""Pages drawn before the app's scripts are fetched, not while they are.

Every built page is whole HTML (prerendered), and the scripts that make it live come after:
React Router's page asks for all of them at once in its head (a `modulepreload` link each, then
an inline module importing the route's modules and the entry). On a phone's slow link those
~250 KB (gzipped) share the bandwidth with the one stylesheet the page cannot be drawn without,
and the screen stays blank until both are in (issue 12: the CSS came at 2.2 s with the scripts,
not the ~0.5 s its own size needs).

After the build, each page's inline module first waits for the page to be drawn, then asks for
the same scripts (the same `modulepreload` links, added then, so they still come in parallel)
and imports them as before. What is tapped meanwhile is not lost: the forms' own scripts
(assets/js/, deferred, a few KB) still come with the page. If a page does not hold React
Router's module in the form this expects, it is left as it was, and the browser test that
reads every built page fails (tests/e2e/test_paint_first.py)."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
from pathlib import Path
from typing import Any

import reflex as rx

PRELOAD = re.compile(r'<link rel="modulepreload" href="(/assets/[^"]+\.js)"/>')
MODULE = re.compile(r'<script type="module" async="">(.*?)</script>', re.S)
# import "/assets/manifest-….js";  import * as route0 from "/assets/root-….js";
STATIC_IMPORT = re.compile(r'^import (?:\* as (\w+) from )?"(/assets/[^"]+\.js)";\n', re.M)
ENTRY = re.compile(r'^import\("/assets/entry\.client-[^"]+\.js"\);$', re.M)
# Resolves once the page has been drawn and shown: the first frame's callback runs before its
# paint, the next frame's once that paint has been handed on to the screen, the timeout after
# it. (With one frame, CI once saw a module asked for 2 ms before the paint reached the screen.)
AFTER_PAINT = (
    "await new Promise((drawn) => requestAnimationFrame(() =>"
    " requestAnimationFrame(() => setTimeout(drawn, 0))));"
)


def after_paint(html: str) -> str:
    """html whose scripts are asked for once it has been drawn; as it was if it holds no React
    Router module in the form this knows."""
    found = MODULE.search(html)
    preloads = PRELOAD.findall(html)
    if not found or not preloads or not ENTRY.search(found.group(1)):
        return html
    body = found.group(1)
    imports = STATIC_IMPORT.findall(body)
    rest = STATIC_IMPORT.sub("", body)
    if not imports or "import " in ENTRY.sub("", rest):
        return html
    side_effects = [path for alias, path in imports if not alias]
    routes = [(alias, path) for alias, path in imports if alias]
    lines = [
        AFTER_PAINT,
        f"for (const href of {json.dumps(preloads)}) {{",
        '  const link = document.createElement("link");',
        '  link.rel = "modulepreload";',
        "  link.href = href;",
        "  document.head.append(link);",
        "}",
        # In the order the static imports ran: the manifest first, then the route modules.
        *(f'await import("{path}");' for path in side_effects),
        "const [{}] = await Promise.all([{}]);".format(
            ", ".join(alias for alias, _ in routes),
            ", ".join(f'import("{path}")' for _, path in routes),
        ),
    ]
    module = f'<script type="module" async="">{chr(10).join(lines)}\n{rest}</script>'
    return PRELOAD.sub("", html).replace(found.group(0), module, 1)


def rewrite_pages(static: Path) -> int:
    """Every built page under static drawn first (after_paint), its gzip copy made again;
    returns how many were changed."""
    changed = 0
    for page in sorted(static.rglob("*.html")):
        before = page.read_text()
        after = after_paint(before)
        if after == before:
            continue
        page.write_text(after)
        packed = page.with_name(page.name + ".gz")
        if packed.exists():
            packed.write_bytes(gzip.compress(after.encode(), 9, mtime=0))
        changed += 1
    return changed


@dataclasses.dataclass
class PaintFirst(rx.plugins.Plugin):
    """Reflex's build, then each page's scripts asked for after its first paint."""

    def post_build(self, **context: Any) -> None:
        changed = rewrite_pages(Path(context["static_dir"]))
        print(f"{changed} pages drawn before their scripts are fetched")
