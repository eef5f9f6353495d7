"""Put back the lists, figures and quotes readability-lxml's clean-up dropped from inside the article."""

from __future__ import annotations

import copy
from typing import Final

import lxml.html

_BLOCKS: Final = ("ul", "ol", "blockquote")
_WIDGET_ROLES: Final = frozenset(
    {"menu", "menubar", "menuitem", "listbox", "tablist", "toolbar", "navigation", "tree"}
)
_MAX_SHARE: Final = 0.6
_HEADINGS: Final = frozenset({"h2", "h3", "h4", "h5", "h6"})
_MIN_ANCHOR_CHARS: Final = 25
_MIN_BLOCK_CHARS: Final = 20
_MAX_LINK_DENSITY: Final = 0.33


def _norm(text: str) -> str:
    return " ".join(text.split())


def _link_density(el: lxml.html.HtmlElement, length: int) -> float:
    links = sum(len(_norm(a.text_content())) for a in el.iter("a"))
    return links / max(1, length)


def _is_widget_or_math(block: lxml.html.HtmlElement) -> bool:
    """ARIA widgets (a player's caption menu) are controls, and MathML's text is its TeX source twice."""
    for el in block.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "math" or (el.get("role") or "").strip().lower() in _WIDGET_ROLES:
            return True
    return False


def recover_dropped_blocks(doc: lxml.html.HtmlElement, content: lxml.html.HtmlElement) -> int:
    """Copy blocks that sat between the kept paragraphs on the page, but are missing from `content`.

    readability-lxml's conditional clean-up (and its sibling test, which favours `p`) drops short lists
    (materials, pros and cons), galleries' figures and captions, and quotes that Readability.js keeps.
    Only blocks lying between the first and the last paragraph readability kept are considered, so
    navigation, related-story strips and footers around the article stay out; link lists stay out too.
    Each block goes in right after the kept paragraph that precedes it on the page. Returns how many.
    """
    body = doc.find(".//body")
    if body is None:
        return 0
    kept: dict[str, list[lxml.html.HtmlElement]] = {}
    for p in content.iter("p"):
        text = _norm(p.text_content())
        if len(text) >= _MIN_ANCHOR_CHARS:
            kept.setdefault(text, []).append(p)
    if len(kept) < 2:
        return 0
    order: dict[lxml.html.HtmlElement, int] = {}
    anchors: list[tuple[int, lxml.html.HtmlElement]] = []  # (page position, its copy in content)
    for index, el in enumerate(body.iter()):
        order[el] = index
        if el.tag == "p":
            copies = kept.get(_norm(el.text_content()))
            if copies:
                anchors.append((index, copies.pop(0)))
    if len(anchors) < 2:
        return 0
    first, last = anchors[0][0], anchors[-1][0]
    content_text = _norm(content.text_content())
    anchored = {el for el, i in order.items() if el.tag == "p" and any(i == a for a, _ in anchors)}
    restored = 0
    taken: set[lxml.html.HtmlElement] = set()
    after: dict[int, lxml.html.HtmlElement] = {}
    for block in body.iter(*_BLOCKS):
        at = order.get(block, -1)
        if not first < at < last or any(a in taken for a in block.iterancestors()):
            continue
        text = _norm(block.text_content())
        if len(text) < _MIN_BLOCK_CHARS or text in content_text:
            continue
        if len(text) > _MAX_SHARE * len(content_text) or _link_density(block, len(text)) > _MAX_LINK_DENSITY:
            continue
        if _is_widget_or_math(block):
            continue
        if any(p in anchored for p in block.iter("p")):
            continue  # it holds kept paragraphs: readability chose inside it on purpose
        position = max(i for i, (page_at, _) in enumerate(anchors) if page_at < at)
        target = after.get(position, anchors[position][1])
        restored_block = copy.deepcopy(block)
        restored_block.tail = None
        heading = block.getprevious()
        if (
            heading is not None
            and heading.tag in _HEADINGS
            and _norm(heading.text_content()) not in content_text
        ):
            # The list's own heading ("What you'll need") went with it.
            restored_heading = copy.deepcopy(heading)
            restored_heading.tail = None
            target.addnext(restored_heading)
            target = restored_heading
        target.addnext(restored_block)
        after[position] = restored_block
        taken.add(block)
        restored += 1
    return restored
