"""A block's links turned into items (one per distinct URL, in page order), and the block's own heading."""

from __future__ import annotations

from collections.abc import Callable

from termreader.models import ArticleRef
from termreader.popular.elements import HEADING_TAGS, HtmlElement, class_tokens, iter_elements, visible_text
from termreader.popular.fields import item_ref, item_title
from termreader.popular.page import Page

_HEADING_CLASSES = frozenset(
    {"title", "widget-title", "widgettitle", "block-title", "section-title", "widget-header"}
)


def _item_root(
    anchor: HtmlElement, container: HtmlElement, url: str, urls_under: Callable[[HtmlElement], set[str]]
) -> HtmlElement:
    """The largest element around `anchor` (below `container`) whose item links all point to `url`."""
    best: HtmlElement = anchor
    el = anchor.getparent()
    while el is not None and el is not container:
        if urls_under(el) != {url}:
            break
        best = el
        el = el.getparent()
    return best


def items_from_links(
    container: HtmlElement, page: Page, links: list[tuple[HtmlElement, str]]
) -> tuple[tuple[HtmlElement, ArticleRef], ...]:
    """One item per distinct URL, in document order, with the fields found around its links."""
    wanted = {url for _, url in links}

    def urls_under(el: HtmlElement) -> set[str]:
        return {u for a in el.iter("a") if (u := page.url(a.get("href"))) in wanted}

    seen: set[str] = set()
    items: list[tuple[HtmlElement, ArticleRef]] = []
    for anchor, url in links:
        if url in seen:
            continue
        seen.add(url)
        root = _item_root(anchor, container, url, urls_under)
        title = item_title(root, url, page)
        if not title:
            continue
        items.append((root, item_ref(root, url, title, page)))
    return tuple(items)


def heading_in(container: HtmlElement, first_item: HtmlElement | None) -> str | None:
    """The first heading-like element of `container` that comes before its first item."""
    for el in iter_elements(container):
        if el is first_item:
            return None
        if el is container:
            continue
        if el.tag in HEADING_TAGS or _HEADING_CLASSES.intersection(class_tokens(el)):
            text = visible_text(el)
            if text and len(text) <= 120:
                return text
    return None


def heading_before(container: HtmlElement, levels: int = 3) -> str | None:
    """A heading just before the container (page builders put the title in a sibling widget)."""
    el: HtmlElement | None = container
    for _ in range(levels):
        if el is None:
            return None
        sibling = el.getprevious()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getprevious()
        if sibling is not None:
            if sibling.xpath(".//a[@href]") and sibling.tag not in HEADING_TAGS:
                return None
            headings = [e for e in iter_elements(sibling) if e.tag in HEADING_TAGS]
            text = visible_text(headings[0]) if headings else ""
            if text and len(text) <= 120:
                return text
            return None
        el = el.getparent()
    return None
