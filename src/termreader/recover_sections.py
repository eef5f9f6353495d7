"""Fill the sections whose heading readability-lxml kept but whose lists it dropped ("See also")."""

from __future__ import annotations

import copy
import re
from typing import Final

import lxml.html
from lxml import etree

from termreader.htmlclean import is_noise
from termreader.pagemap import heading_rank, is_hidden, is_widget_or_math, link_density, norm

_HEADINGS: Final = ("h1", "h2", "h3", "h4", "h5", "h6")
_SKIP: Final = frozenset({"nav", "aside", "footer", "header", "form", "script", "style"})
_LISTS: Final = frozenset({"ul", "ol", "dl"})
_MAX_BLOCKS: Final = 30
_MAX_LINK_DENSITY: Final = 0.5
_NOT_ARTICLE_SECTION: Final = re.compile(
    r"\b(?:related|recommended|popular|trending|most (?:read|viewed|shared|popular)|you (?:may|might) also|"
    r"more (?:from|on|in|stories|posts|articles)|read (?:more|next)|comments?|replies|share|sharing|"
    r"newsletter|subscribe|sponsored|advertisement|tags|categories|archives?|follow us)\b",
    re.I,
)
"""Headings of the widgets that follow an article ("Related posts", "Comments"): never filled in."""


def _empty_headings(content: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Headings in `content` with no text or image before the next heading of the same or a higher rank."""
    sections: list[tuple[lxml.html.HtmlElement, bool]] = []
    current: lxml.html.HtmlElement | None = None
    filled = False
    walker = etree.iterwalk(content, events=("start", "end"))
    for event, el in walker:
        if event == "end":
            filled = filled or bool((el.tail or "").strip())
        elif heading_rank(el.tag):
            if current is not None:
                sections.append((current, filled))
            current, filled = el, False
            walker.skip_subtree()  # a heading's own words do not fill its section
        elif isinstance(el.tag, str):
            filled = filled or el.tag == "img" or bool((el.text or "").strip())
    if current is not None:
        sections.append((current, filled))
    empty: list[lxml.html.HtmlElement] = []
    for index, (heading, has_text) in enumerate(sections):
        following = sections[index + 1][0] if index + 1 < len(sections) else None
        if not has_text and (following is None or heading_rank(following.tag) <= heading_rank(heading.tag)):
            empty.append(heading)
    return empty


def _section_blocks(heading: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The blocks under a page heading, up to the next heading of the same or a higher rank."""
    rank = heading_rank(heading.tag)
    higher = " | ".join(f".//{tag}" for tag in _HEADINGS[:rank])
    blocks: list[lxml.html.HtmlElement] = []
    for sibling in heading.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if 0 < heading_rank(sibling.tag) <= rank or sibling.xpath(higher) or len(blocks) >= _MAX_BLOCKS:
            break
        text = norm(sibling.text_content())
        if not text or sibling.tag in _SKIP or is_hidden(sibling) or is_noise(sibling):
            continue
        if is_widget_or_math(sibling):
            continue  # portal boxes and navigation strips (role=navigation)
        if sibling.tag not in _LISTS and link_density(sibling, len(text)) > _MAX_LINK_DENSITY:
            continue
        blocks.append(sibling)
    return blocks


def recover_empty_sections(doc: lxml.html.HtmlElement, content: lxml.html.HtmlElement) -> int:
    """Fill a kept section heading whose body readability dropped ("See also", "References", "Mac Apps").

    The heading made it into the article, so its section belongs there too; readability-lxml drops the
    link lists and reference lists under it for their link density (Readability.js keeps them). The
    section is read from the page under the one heading with the same text, up to the next heading of
    the same rank; widget sections ("Related posts", "Comments") are not filled, widgets, navigation
    boxes and link-dense non-list blocks stay out of the others, and all sections
    together add at most as much text as the content already has. Returns how many blocks came back.
    """
    body = doc.find(".//body")
    if body is None:
        return 0
    restored = 0
    budget = len(norm(content.text_content()))
    for heading in _empty_headings(content):
        text = norm(heading.text_content())
        if not text or _NOT_ARTICLE_SECTION.search(text):
            continue
        matches = [h for h in body.iter(str(heading.tag)) if norm(h.text_content()) == text]
        if len(matches) != 1:
            continue
        target = heading
        for block in _section_blocks(matches[0]):
            size = len(norm(block.text_content()))
            if size > budget:
                return restored
            budget -= size
            copied = copy.deepcopy(block)
            copied.tail = None
            target.addnext(copied)
            target = copied
            restored += 1
    return restored
