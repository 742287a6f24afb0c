"""The app's own Markdown as Reflex components, built at compile time (never user text).

Converting tokens ourselves means no Markdown library ships to the browser and no raw HTML
path exists: markdown-it runs with html disabled and only known tokens become elements.
"""

from __future__ import annotations

import reflex as rx
from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark", {"html": False})
_BLOCKS = {
    "paragraph": rx.el.p,
    "bullet_list": rx.el.ul,
    "ordered_list": rx.el.ol,
    "list_item": rx.el.li,
    "blockquote": rx.el.blockquote,
}
_HEADINGS = {"h1": rx.el.h2, "h2": rx.el.h2, "h3": rx.el.h3, "h4": rx.el.h4}


def _inline(tokens: list[Token]) -> list[rx.Component | str]:
    """Text with strong/em/code; anything else becomes its plain text."""
    out: list[rx.Component | str] = []
    stack: list[tuple[str, list[rx.Component | str]]] = []
    current = out
    for token in tokens:
        if token.type in ("strong_open", "em_open"):
            stack.append((token.type, current))
            current = []
        elif token.type in ("strong_close", "em_close") and stack:
            kind, parent = stack.pop()
            element = rx.el.strong if kind == "strong_open" else rx.el.em
            parent.append(element(*current))
            current = parent
        elif token.type == "code_inline":
            current.append(rx.el.code(token.content))
        elif token.type in ("softbreak", "hardbreak"):
            current.append(" ")
        elif token.type == "text" or token.content:
            current.append(token.content)
    return out


def markdown_to_components(text: str) -> list[rx.Component]:
    """Block structure (headings, paragraphs, lists) as nested components."""
    root: list[rx.Component | str] = []
    stack: list[tuple[Token, list[rx.Component | str]]] = []
    current = root
    for token in _PARSER.parse(text):
        if token.hidden and token.type in ("paragraph_open", "paragraph_close"):
            continue  # tight list items: text sits directly in the <li>
        if token.nesting == 1:
            stack.append((token, current))
            current = []
        elif token.nesting == -1 and stack:
            opener, parent = stack.pop()
            if opener.type == "heading_open":
                parent.append(_HEADINGS.get(opener.tag, rx.el.h3)(*current))
            else:
                parent.append(_BLOCKS.get(opener.type.removesuffix("_open"), rx.el.div)(*current))
            current = parent
        elif token.type == "inline":
            current.extend(_inline(token.children or []))
        elif token.type in ("fence", "code_block"):
            current.append(rx.el.pre(rx.el.code(token.content)))
        elif token.type == "hr":
            current.append(rx.el.hr())
    return [c for c in root if not isinstance(c, str)]
