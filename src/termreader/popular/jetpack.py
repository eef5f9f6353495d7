"""Jetpack's Top Posts & Pages widget: its links to the site's posts, minus the static pages it also ranks."""

from __future__ import annotations

from termreader.models import ArticleRef
from termreader.popular.elements import HtmlElement, by_class
from termreader.popular.items import heading_in, items_from_links
from termreader.popular.page import Page, bare_host, is_home


def _known_pages(doc: HtmlElement, page: Page) -> set[str]:
    """URLs the site's own menus mark as static pages (WordPress `page_item` / `menu-item-object-page`)."""
    pages: set[str] = set()
    for a in doc.xpath(
        "//li[contains(concat(' ', normalize-space(@class), ' '), ' page_item ')"
        " or contains(concat(' ', normalize-space(@class), ' '), ' menu-item-object-page ')]/a[@href]"
    ):
        url = page.url(a.get("href"))
        if url is not None:
            pages.add(url)
    return pages


def scan_jetpack(doc: HtmlElement, page: Page) -> tuple[tuple[ArticleRef, ...], str | None] | None:
    """Items and heading of the first Top Posts widget: own posts only, no home or static page."""
    widgets = by_class(doc, "widget_top-posts")
    if not widgets:
        return None
    pages = _known_pages(doc, page)
    for widget in widgets:
        anchors = by_class(widget, "bump-view") or list(widget.iter("a"))
        links: list[tuple[HtmlElement, str]] = []
        for a in anchors:
            url = page.url(a.get("href"))
            if url is None or bare_host(url) not in page.hosts or is_home(url) or url in pages:
                continue
            links.append((a, url))
        found = items_from_links(widget, page, links)
        if found:
            return tuple(ref for _, ref in found), heading_in(widget, found[0][0])
    return None
