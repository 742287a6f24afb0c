"""The app's own Markdown as Reflex components, built at compile time (never user text).

Converting tokens ourselves means no Markdown library ships to the browser and no raw HTML
path exists: markdown-it runs with html disabled and only known tokens become elements.
A link may point only at one of the app's own pages (`APP_PAGES`); any other target is a
mistake in the content and stops the build with a ValueError instead of reaching a patient.
"""

from __future__ import annotations

import reflex as rx
from markdown_it import MarkdownIt
from markdown_it.token import Token

from companion import routes
from companion.content import ARTICLES

_PARSER = MarkdownIt("commonmark", {"html": False})
_BLOCKS = {
    "paragraph": rx.el.p,
    "bullet_list": rx.el.ul,
    "ordered_list": rx.el.ol,
    "list_item": rx.el.li,
    "blockquote": rx.el.blockquote,
}
_HEADINGS = {"h1": rx.el.h2, "h2": rx.el.h2, "h3": rx.el.h3, "h4": rx.el.h4}
_INLINE_OPEN = {"strong_open", "em_open", "link_open"}
_INLINE_CLOSE = {"strong_close", "em_close", "link_close"}

# Pages a patient can open from an article: the app's own, never another site.
APP_PAGES: frozenset[str] = frozenset(
    {
        routes.TODAY,
        routes.CHECKIN,
        routes.INFUSIONS,
        routes.PHQ9,
        routes.GAD7,
        routes.TRENDS,
        routes.LEARN,
        routes.SHARE,
        routes.SETTINGS,
        routes.HELP,
        *(routes.article(article.slug) for article in ARTICLES),
    }
)


def link_targets(text: str) -> list[str]:
    """Every link target in Markdown text, inline or by reference, in reading order."""
    return [
        str(child.attrGet("href") or "")
        for token in _PARSER.parse(text)
        if token.type == "inline"
        for child in token.children or []
        if child.type == "link_open"
    ]


def _own_page(href: str) -> str:
    if href not in APP_PAGES:
        raise ValueError(f"Markdown link to {href!r}: links may go only to the app's own pages")
    return href


def _inline_element(opener: Token, children: list[rx.Component | str]) -> rx.Component:
    if opener.type == "link_open":
        return rx.link(*children, href=_own_page(str(opener.attrGet("href") or "")))
    element = rx.el.strong if opener.type == "strong_open" else rx.el.em
    return element(*children)


def _inline(tokens: list[Token]) -> list[rx.Component | str]:
    """Text with strong/em/code and links to the app's pages; anything else becomes text."""
    out: list[rx.Component | str] = []
    stack: list[tuple[Token, list[rx.Component | str]]] = []
    current = out
    for token in tokens:
        if token.type in _INLINE_OPEN:
            stack.append((token, current))
            current = []
        elif token.type in _INLINE_CLOSE and stack:
            opener, parent = stack.pop()
            parent.append(_inline_element(opener, current))
            current = parent
        elif token.type == "code_inline":
            current.append(rx.el.code(token.content))
        elif token.type in ("softbreak", "hardbreak"):
            current.append(" ")
        elif token.type == "text" or token.content:
            current.append(token.content)
    return out


def _block(opener: Token, children: list[rx.Component | str]) -> rx.Component:
    if opener.type == "heading_open":
        return _HEADINGS.get(opener.tag, rx.el.h3)(*children)
    kind = opener.type.removesuffix("_open")
    start = opener.attrGet("start")
    if kind == "ordered_list" and start is not None:
        return rx.el.ol(*children, start=int(start))  # "3." keeps its number
    return _BLOCKS.get(kind, rx.el.div)(*children)


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
            parent.append(_block(opener, current))
            current = parent
        elif token.type == "inline":
            current.extend(_inline(token.children or []))
        elif token.type in ("fence", "code_block"):
            current.append(rx.el.pre(rx.el.code(token.content)))
        elif token.type == "hr":
            current.append(rx.el.hr())
    return [c for c in root if not isinstance(c, str)]
