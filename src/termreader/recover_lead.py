"""Put back the opening paragraphs readability-lxml left behind when it chose a later part of the text."""

from __future__ import annotations

import copy
import re
from typing import Final

import lxml.html

from termreader.pagemap import PageMap, is_hidden, link_density, norm

_LEVELS: Final = 3
_MIN_LEAD_CHARS: Final = 40
_MAX_LINK_DENSITY: Final = 0.33
_MIN_WIDGET_CHARS: Final = 25
_PROTECTED: Final = frozenset({"body", "html", "article", "main"})
_STOPS: Final = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "header", "nav", "aside", "figure", "ul", "ol", "table", "footer"}
)
_STOP_INSIDE: Final = ".//img | .//h1 | .//h2 | .//h3 | .//figure | .//time"
_BYLINE_MARK: Final = re.compile(r"byline|author|signature|dateline|timestamp", re.I)


def _lead_paragraphs(block: lxml.html.HtmlElement, text: str) -> list[lxml.html.HtmlElement] | None:
    """The paragraphs a preceding sibling contributes, or None when it ends the article's opening."""
    if is_hidden(block):
        return []  # invisible: stepped over
    if block.tag in _STOPS or block.xpath(_STOP_INSIDE):
        return None
    if _BYLINE_MARK.search(f"{block.get('class', '')} {block.get('id', '')}"):
        return None  # the byline line sits between the headline and the text: the opening is below it
    paragraphs = [block] if block.tag == "p" else list(block.iter("p"))
    if not paragraphs:
        # An empty ad slot or a "Read more" toggle between the opening and the rest is stepped over.
        return [] if len(text) < _MIN_WIDGET_CHARS else None
    if sum(len(norm(p.text_content())) for p in paragraphs) < 0.9 * len(text):
        return None  # paragraphs mixed with other text: a teaser or a widget, not the article
    return paragraphs


def recover_lead_paragraphs(content: lxml.html.HtmlElement, page: PageMap) -> int:
    """Put back the paragraphs that come before the content readability chose, in the same container.

    readability-lxml picks one container and its siblings; when a page splits its text (an intro, a few
    paragraphs, then the rest behind a "Read more" box), the best-scoring part wins and the opening is
    lost. Readability.js climbs to the common parent in such cases. Walking back from the first kept
    paragraph, up to three levels up, plain paragraphs come back until anything else appears: a
    heading, a figure, a list, a byline, a teaser. Returns how many.
    """
    _, start, target = page.anchors[0]
    kept_text = norm(content.text_content())
    found: list[lxml.html.HtmlElement] = []
    node: lxml.html.HtmlElement | None = start
    for _ in range(_LEVELS):
        if node is None or node.tag in _PROTECTED:
            break
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str):
                continue
            text = norm(sibling.text_content())
            if not text:
                continue
            paragraphs = _lead_paragraphs(sibling, text)
            if paragraphs is None:
                return _insert_before(target, found)
            for p in reversed(paragraphs):
                p_text = norm(p.text_content())
                if (
                    len(p_text) >= _MIN_LEAD_CHARS
                    and p_text not in kept_text
                    and not is_hidden(p)
                    and link_density(p, len(p_text)) <= _MAX_LINK_DENSITY
                ):
                    found.append(p)
        node = node.getparent()
    return _insert_before(target, found)


def _insert_before(target: lxml.html.HtmlElement, found: list[lxml.html.HtmlElement]) -> int:
    """Copies of `found` (collected last to first) go before the first kept paragraph, in page order."""
    for p in found:
        restored = copy.deepcopy(p)
        restored.tail = None
        target.addprevious(restored)
        target = restored
    return len(found)
