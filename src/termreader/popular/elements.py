"""Small lxml helpers every scanner shares: parsing, class tokens and visible text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

from termreader.textutil import clean_text

HtmlElement = lxml.html.HtmlElement

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_INVISIBLE_TAGS = frozenset({"script", "style", "template", "noscript"})


def class_tokens(el: HtmlElement) -> list[str]:
    """The element's class tokens; a missing attribute gives none."""
    return (el.get("class") or "").split()


def has_class(el: HtmlElement, *names: str) -> bool:
    """Whether `el` carries one of the class tokens `names` (whole tokens, not substrings)."""
    tokens = class_tokens(el)
    return any(name in tokens for name in names)


def by_class(root: HtmlElement, name: str) -> list[HtmlElement]:
    """Descendants carrying the class token `name` (a cheap substring test in C, then the exact token)."""
    found: list[HtmlElement] = root.xpath(".//*[contains(@class, $name)]", name=name)
    return [el for el in found if name in class_tokens(el)]


def iter_elements(root: HtmlElement) -> Iterator[HtmlElement]:
    """Descendants that are elements (lxml also yields comments and processing instructions)."""
    for el in root.iter():
        if isinstance(el.tag, str):
            yield el


def visible_text(el: HtmlElement | None, *, skip: re.Pattern[str] | None = None) -> str:
    """Visible text of `el`: no script/style/template text (Vox hides picture markup in link templates),
    and no descendants whose class matches `skip`."""
    if el is None:
        return ""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node is not el and node.tail:
                parts.append(node.tail)
            continue
        stack.append((node, True))
        if not isinstance(node.tag, str) or node.tag in _INVISIBLE_TAGS:
            continue
        if (
            skip is not None
            and node is not el
            and skip.search(node.get("class") or "")
            and not any(child.tag in HEADING_TAGS for child in iter_elements(node))
        ):
            continue
        if node.text:
            parts.append(node.text)
        stack.extend((child, False) for child in reversed(node))
    return clean_text("".join(parts))


def parse_html(html: str) -> HtmlElement | None:
    """The parsed document, or None for empty or unparsable markup (the scan then finds no list)."""
    if not html or not html.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        doc = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return doc
