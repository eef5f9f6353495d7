"""An HTML parser whose element classes are chosen in C: lxml.html's API without a Python call per node.

lxml.html's own parser picks each node's class through a Python `lookup()` (FormElement, InputElement…
for forms); profiled on the Mozilla corpus that call ran 770k times, about a tenth of extraction time.
This parser hands out lxml.html's HtmlComment, HtmlProcessingInstruction and HtmlEntity, and for every
element our `HtmlElement` (lxml.html's, with a faster `text_content()`), through lxml's C-level default
lookup. Form controls become plain elements: nothing in the extraction pipeline (ours or
readability-lxml's) uses their form-only properties (`value`, `fields`…).
"""

from __future__ import annotations

from typing import Final

import lxml.html
from lxml import etree


class HtmlElement(lxml.html.HtmlElement):
    """lxml.html's HtmlElement whose `text_content()` comes from lxml's C text serializer.

    lxml.html answers with an XPath `string()` evaluation, whose per-call set-up dominates for the short
    texts (links, paragraphs) readability measures tens of thousands of times per corpus pass. The text
    serializer gives the same string: every descendant text node in order, no comments, no processing
    instructions, not the element's own tail.
    """

    def text_content(self) -> str:
        return etree.tostring(self, method="text", encoding="unicode", with_tail=False)


def _html_parser() -> lxml.html.HTMLParser:
    parser = lxml.html.HTMLParser()
    # Replaces lxml.html's Python-level HtmlElementClassLookup with the same classes, found in C.
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


HTML_PARSER: Final = _html_parser()
"""lxml.html's parser (same options as `lxml.html.html_parser`), element classes looked up in C."""


def document_fromstring(html: str) -> lxml.html.HtmlElement:
    """`lxml.html.document_fromstring` with `HTML_PARSER`."""
    return lxml.html.document_fromstring(html, parser=HTML_PARSER)


def fragment_fromstring(html: str, create_parent: bool | str = False) -> lxml.html.HtmlElement:
    """`lxml.html.fragment_fromstring` with `HTML_PARSER`; an empty `<p/>` or `<div/>` without parsing.

    readability-lxml asks for a fresh empty paragraph hundreds of times per page; parsing one builds a
    whole document (html > body > p) around it, which this builds directly, so the new element sits in
    the same place (a child of a body in a document of its own).
    """
    tag = _EMPTY_ELEMENTS.get(html) if create_parent is False else None
    if tag is None:
        return lxml.html.fragment_fromstring(html, create_parent=create_parent, parser=HTML_PARSER)
    root = HTML_PARSER.makeelement("html")
    body = etree.SubElement(root, "body")
    element = etree.SubElement(body, tag)
    assert isinstance(element, HtmlElement)  # the parser's lookup makes every element one
    return element


_EMPTY_ELEMENTS: Final = {"<p/>": "p", "<div/>": "div"}
