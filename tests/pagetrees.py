"""Small lxml helpers shared by the extraction rule tests."""

from __future__ import annotations

import lxml.html


def tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def fragment(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


def texts(content: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(tag, folded text) of each child: what a rule kept, in order."""
    return [(str(el.tag), " ".join(el.text_content().split())) for el in content]
