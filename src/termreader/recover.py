"""Put back the lists, figures, quotes, headings and paragraphs readability-lxml dropped from the article."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from typing import Final

import lxml.html

from termreader.pagemap import (
    ASIDES,
    PageMap,
    heading_rank,
    is_widget_or_math,
    link_density,
    map_page,
    norm,
)
from termreader.recover_lead import recover_lead_paragraphs
from termreader.recover_sections import recover_empty_sections

__all__ = [
    "PageMap",
    "map_page",
    "recover_article",
    "recover_dropped_blocks",
    "recover_empty_sections",
    "recover_lead_paragraphs",
]

_BLOCKS: Final = ("p", "ul", "ol", "blockquote", "figure", "figcaption", "h2", "h3", "h4", "h5", "h6")
_MAX_SHARE: Final = 0.6
_MIN_BLOCK_CHARS: Final = 20
_MIN_PARAGRAPH_CHARS: Final = 80
_MAX_PARAGRAPH_LINKS: Final = 0.25
_MAX_HEADING_CHARS: Final = 150
_MAX_LINK_DENSITY: Final = 0.33
_PROBE: Final = 40
_CALL_TO_ACTION: Final = re.compile(
    r"\s*(?:sign up|subscribe|download|get the latest|follow us|click here|read more|advertisement)\b", re.I
)

Shingles = set[tuple[str, ...]]


def recover_article(doc: lxml.html.HtmlElement, content: lxml.html.HtmlElement) -> int:
    """Run every recovery rule on readability's choice; returns how many blocks came back."""
    page = map_page(doc, content)
    restored = 0
    if page is not None:
        restored += recover_dropped_blocks(doc, content, page) + recover_lead_paragraphs(content, page)
    return restored + recover_empty_sections(doc, content)


def _image_sources(el: lxml.html.HtmlElement) -> set[str]:
    return {src for img in el.iter("img") if (src := (img.get("src") or "").strip())}


def _shows_an_image(el: lxml.html.HtmlElement | None) -> bool:
    return el is not None and el.tag in ("figure", "img", "picture") and bool(_image_sources(el))


def _shingles(text: str) -> Shingles:
    words = text.split()
    return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))}


def _figure_is_missing(block: lxml.html.HtmlElement, text: str, content_text: str, shown: set[str]) -> bool:
    """A figure with a picture (or a caption standing right after one) that is gone from the content.

    Readability.js keeps in-article figures; readability-lxml loses them when it merges the article's
    text segments and drops the wrappers between them. A figure whose image survived stays as it is, and
    a caption without a picture to show (a video player we removed, a lazy image we could not resolve)
    does not come back alone.
    """
    if block.tag == "figcaption":
        if not text or not _shows_an_image(block.getprevious()):
            return False
    elif not _image_sources(block) or _image_sources(block) & shown:
        return False
    if text and text in content_text:
        return False
    return not text or link_density(block, len(text)) <= _MAX_LINK_DENSITY


def _heading_is_missing(
    block: lxml.html.HtmlElement, text: str, content_text: str, anchored: frozenset[lxml.html.HtmlElement]
) -> bool:
    """A section heading right above a kept paragraph, dropped for being a link ("“Rez Infinite” ($30)").

    readability-lxml deletes every heading whose text is mostly a link; Readability.js keeps them. Only
    a heading whose next sibling with text is a kept paragraph comes back: it introduces the article's
    own text, where a teaser box's heading introduces its blurb.
    """
    if not text or len(text) > _MAX_HEADING_CHARS or text in content_text:
        return False
    for sibling in block.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag == "p" and sibling in anchored:
            return True
        if norm(sibling.text_content()):
            return False
    return False


def _paragraph_is_missing(
    block: lxml.html.HtmlElement,
    text: str,
    content_text: str,
    content_shingles: Callable[[], Shingles],
    anchored: frozenset[lxml.html.HtmlElement],
) -> bool:
    """A full paragraph among kept ones that readability left out when it joined its best block's siblings.

    A sentence-length paragraph with little link text, in the same parent as kept paragraphs, is the
    article's own text. Readability's clean-up edits the text it keeps (footnote marks, formulas), so
    "missing" means most of its four-word runs are missing.
    """
    if len(text) < _MIN_PARAGRAPH_CHARS or link_density(block, len(text)) > _MAX_PARAGRAPH_LINKS:
        return False
    if _CALL_TO_ACTION.match(text):
        return False  # "Sign up for our newsletter…": readability dropped it on purpose
    if text[:_PROBE] in content_text or text[-_PROBE:] in content_text:
        return False  # its opening or its end is there: the paragraph was kept, perhaps edited
    parent = block.getparent()
    if parent is None or not any(sibling in anchored for sibling in parent.iterchildren("p")):
        return False
    shingles = _shingles(text)
    return len(shingles & content_shingles()) < 0.5 * len(shingles)


def _list_is_missing(block: lxml.html.HtmlElement, text: str, content_text: str) -> bool:
    """A list or quote with real text that is not in the content and is not a list of links."""
    if len(text) < _MIN_BLOCK_CHARS or text in content_text:
        return False
    return link_density(block, len(text)) <= _MAX_LINK_DENSITY


def recover_dropped_blocks(
    doc: lxml.html.HtmlElement, content: lxml.html.HtmlElement, page: PageMap | None = None
) -> int:
    """Copy blocks that sat between the kept paragraphs on the page, but are missing from `content`.

    readability-lxml's conditional clean-up and its sibling test drop short lists (materials, pros and
    cons), figures and their captions, quotes, linked section headings and the odd paragraph that
    Readability.js keeps. Only blocks lying between the first and the last paragraph readability kept
    are considered, so navigation, related-story strips and footers around the article stay out; link
    lists, widgets and anything inside an aside stay out too. Each block goes in right after the kept
    paragraph that precedes it on the page. Returns how many.
    """
    body = doc.find(".//body")
    page = page or map_page(doc, content)
    if body is None or page is None or len(page.anchors) < 2:
        return 0
    anchors, anchored = page.anchors, page.anchored
    first, last = anchors[0][0], anchors[-1][0]
    content_text = norm(content.text_content())
    shown = _image_sources(content)
    content_shingles = functools.cache(lambda: _shingles(content_text))
    restored = 0
    taken: set[lxml.html.HtmlElement] = set()
    after: dict[int, lxml.html.HtmlElement] = {}
    for block in body.iter(*_BLOCKS):
        at = page.order.get(block, -1)
        if not first < at < last or block in taken or block in anchored:
            continue
        if any(a in taken or a.tag in ASIDES for a in block.iterancestors()):
            continue  # inside a block already restored, or in a sidebar or teaser box set beside the text
        text = norm(block.text_content())
        if block.tag in ("figure", "figcaption"):
            parent = block.getparent()
            if block.tag == "figcaption" and parent is not None and parent.tag == "figure":
                continue  # it comes back with its figure, or stays out with it
            missing = _figure_is_missing(block, text, content_text, shown)
        elif heading_rank(block.tag):
            missing = _heading_is_missing(block, text, content_text, anchored)
        elif block.tag == "p":
            missing = _paragraph_is_missing(block, text, content_text, content_shingles, anchored)
        else:
            missing = _list_is_missing(block, text, content_text)
        if not missing or len(text) > _MAX_SHARE * len(content_text) or is_widget_or_math(block):
            continue
        if any(p in anchored for p in block.iter("p")):
            continue  # it holds kept paragraphs: readability chose inside it on purpose
        position = max(i for i, (page_at, _, _) in enumerate(anchors) if page_at < at)
        target = after.get(position, anchors[position][2])
        heading = block.getprevious()
        if (
            not heading_rank(block.tag)
            and heading is not None
            and heading_rank(heading.tag) > 1
            and heading not in taken
            and norm(heading.text_content()) not in content_text
        ):
            # The list's own heading ("What you'll need") went with it.
            target = _insert_after(target, heading)
            taken.add(heading)
        after[position] = _insert_after(target, block)
        taken.add(block)
        restored += 1
    return restored


def _insert_after(target: lxml.html.HtmlElement, block: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    copied = copy.deepcopy(block)
    copied.tail = None
    target.addnext(copied)
    return copied
