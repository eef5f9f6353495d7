"""Blogger's PopularPosts gadget (STRUCTURES.md §1.3): the links to the blog's own post permalinks."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from termreader.models import ArticleRef
from termreader.popular.elements import HtmlElement, by_class, class_tokens
from termreader.popular.fields import TITLE_CLASSES
from termreader.popular.items import heading_in, items_from_links
from termreader.popular.page import Page

_BLOGGER_PERMALINK = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")


def scan_blogger(doc: HtmlElement, page: Page) -> tuple[tuple[ArticleRef, ...], str | None] | None:
    """Items and heading of the first PopularPosts gadget with items (post permalinks, else title links)."""
    candidates: list[HtmlElement] = doc.xpath(
        "//*[contains(@class, 'PopularPosts') or starts-with(@id, 'PopularPosts')]"
    )
    widgets = [
        el
        for el in candidates
        if "PopularPosts" in class_tokens(el)
        or ((el.get("id") or "").startswith("PopularPosts") and "widget" in (el.get("class") or ""))
    ]
    for widget in widgets:
        links: list[tuple[HtmlElement, str]] = []
        for a in widget.iter("a"):
            url = page.url(a.get("href"))
            if url is not None and _BLOGGER_PERMALINK.match(urlsplit(url).path) and "blogger.com" not in url:
                links.append((a, url))
        if not links:
            for name in TITLE_CLASSES[:3]:
                for holder in by_class(widget, name):
                    links.extend(
                        (a, u) for a in holder.iter("a") if (u := page.url(a.get("href"))) is not None
                    )
        found = items_from_links(widget, page, links)
        if found:
            return tuple(ref for _, ref in found), heading_in(widget, found[0][0])
    return None
