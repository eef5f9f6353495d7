"""Where the paragraphs readability kept sit on the page, and the small tests every recovery rule shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import lxml.html

MIN_ANCHOR_CHARS: Final = 25
"""Shorter kept paragraphs ("Yes.", "Notes:") repeat too often on a page to locate anything."""
ASIDES: Final = frozenset({"aside", "nav"})
HEADING_RANK: Final = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_WIDGET_ROLES: Final = frozenset(
    {"menu", "menubar", "menuitem", "listbox", "tablist", "toolbar", "navigation", "tree"}
)
_HIDDEN_STYLE: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def norm(text: str) -> str:
    """Whitespace runs folded to one space, ends trimmed: how texts are compared across the two trees."""
    return " ".join(text.split())


def link_density(el: lxml.html.HtmlElement, length: int) -> float:
    """Share of `length` characters that are link text."""
    links = sum(len(norm(a.text_content())) for a in el.iter("a"))
    return links / max(1, length)


def is_hidden(el: lxml.html.HtmlElement) -> bool:
    """Hidden by attribute or inline style: readability never keeps such text, and neither do we."""
    return (
        el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(el.get("style") or ""))
    )


def is_widget_or_math(block: lxml.html.HtmlElement) -> bool:
    """ARIA widgets (a player's caption menu, a portal box) are controls; MathML's text is its TeX twice."""
    for el in block.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "math" or (el.get("role") or "").strip().lower() in _WIDGET_ROLES:
            return True
    return False


def heading_rank(tag: object) -> int:
    """1 for h1 … 6 for h6, 0 for anything else."""
    return HEADING_RANK.get(tag, 0) if isinstance(tag, str) else 0


def _set_apart(el: lxml.html.HtmlElement | None, memo: dict[lxml.html.HtmlElement, bool]) -> bool:
    """True when `el` or an ancestor is hidden, an aside or a nav; answers are kept per element."""
    path: list[lxml.html.HtmlElement] = []
    answer = False
    while el is not None:
        known = memo.get(el)
        if known is not None:
            answer = known
            break
        path.append(el)
        if el.tag in ASIDES or is_hidden(el):
            answer = True
            break
        el = el.getparent()
    for seen in path:
        memo[seen] = answer
    return answer


@dataclass(frozen=True, slots=True)
class PageMap:
    """The page's element order and its kept paragraphs, computed once for every recovery rule."""

    order: dict[lxml.html.HtmlElement, int]
    """Every page element's position in document order."""
    anchors: list[tuple[int, lxml.html.HtmlElement, lxml.html.HtmlElement]]
    """(page position, page paragraph, its copy in the content) for each kept paragraph, in page order."""
    anchored: frozenset[lxml.html.HtmlElement]
    """The page paragraphs that have a copy in the content."""


def map_page(doc: lxml.html.HtmlElement, content: lxml.html.HtmlElement) -> PageMap | None:
    """Match the content's paragraphs (25+ characters) to the page's, or None when none match.

    A hidden twin of a kept paragraph is not where its copy came from (readability drops hidden text),
    and a kept paragraph inside a sidebar or teaser box is not the article's flow: the box leaves the
    content later, so nothing may be put back next to it.
    """
    body = doc.find(".//body")
    if body is None:
        return None
    kept: dict[str, list[lxml.html.HtmlElement]] = {}
    for p in content.iter("p"):
        text = norm(p.text_content())
        if len(text) >= MIN_ANCHOR_CHARS:
            kept.setdefault(text, []).append(p)
    if not kept:
        return None
    order: dict[lxml.html.HtmlElement, int] = {}
    anchors: list[tuple[int, lxml.html.HtmlElement, lxml.html.HtmlElement]] = []
    apart: dict[lxml.html.HtmlElement, bool] = {}
    for index, el in enumerate(body.iter()):
        order[el] = index
        if el.tag != "p":
            continue
        copies = kept.get(norm(el.text_content()))
        if not copies:
            continue
        if is_hidden(el) or _set_apart(el.getparent(), apart):
            continue
        anchors.append((index, el, copies.pop(0)))
    if not anchors:
        return None
    return PageMap(order, anchors, frozenset(el for _, el, _ in anchors))
