"""Blocks a theme names "popular", "most read" or "trending" (class or id): the fallback scan."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from termreader.models import ArticleRef
from termreader.popular.elements import HtmlElement, by_class, class_tokens
from termreader.popular.items import heading_before, heading_in, items_from_links
from termreader.popular.page import Page, bare_host, is_home

_GENERIC_NAME = re.compile(
    r"popular|most[-_]?read|most[-_]?popular|most[-_]?viewed|top[-_]?posts|trending|meistgelesen|beliebt"
    r"|populares",
    re.IGNORECASE,
)
_RECENT = re.compile(r"recent|latest|newest|related|similar|neueste|aktuelle|more-in|more_in", re.IGNORECASE)
_NAV_TOKEN = re.compile(r"(?:^|[-_])(?:menu|nav|navbar|navigation)(?:$|[-_])", re.IGNORECASE)
# Paths that are listings, assets or feeds rather than articles (WordPress, Blogger, Ghost, generic CMSs).
_NOT_ARTICLE_PATH = re.compile(
    r"^/(?:tag|tags|category|categories|author|authors|label|search|page|feed|feeds|wp-content|wp-admin"
    r"|wp-includes|wp-json|wp-login\.php|comments|archive|archives|topics?|sections?"
    r"|u|users?|profiles?|people|person|members?|contributors?|staff)(?:/|$)"
    r"|/feed/?$|\.(?:jpe?g|png|gif|webp|svg|pdf|xml|rss|atom|css|js)$",
    re.IGNORECASE,
)
_META_LINK_CLASSES = frozenset(
    {"author", "category", "categories", "tag", "tags", "byline", "post-author", "url", "fn", "comments-link"}
)
_MAX_GENERIC_LINKS = 40
# Hostile pages can nest thousands of "popular" wrappers; each candidate walks its links, so cap them.
_MAX_GENERIC_CANDIDATES = 200


def _is_article_link(url: str, page: Page) -> bool:
    parts = urlsplit(url)
    return bare_host(url) in page.hosts and not is_home(url) and not _NOT_ARTICLE_PATH.search(parts.path)


def _looks_like_navigation(el: HtmlElement) -> bool:
    node: HtmlElement | None = el
    depth = 0
    while node is not None and isinstance(node.tag, str):
        if node.tag in ("nav", "menu", "header") or node.get("role") in ("navigation", "menubar", "menu"):
            return True
        if depth == 0 and any(
            _NAV_TOKEN.search(token) for token in [*class_tokens(node), *(node.get("id") or "").split()]
        ):
            return True
        node = node.getparent()
        depth += 1
    menu_items = by_class(el, "menu-item")
    return len(menu_items) >= 2


def scan_generic(doc: HtmlElement, page: Page) -> tuple[tuple[ArticleRef, ...], str | None] | None:
    """Items and heading of the innermost "popular" block of 3-40 article links, not a menu or "recent"."""
    candidates: list[tuple[HtmlElement, list[tuple[HtmlElement, str]]]] = []
    seen: set[HtmlElement] = set()
    # Regex over attribute strings, not element visits: the 338 KB corpus page went from ~50 to ~20 ms.
    for value in doc.xpath("//body//@class | //body//@id"):
        if not _GENERIC_NAME.search(value):
            continue
        el = value.getparent()
        if el in seen or el.tag in ("script", "style", "noscript", "template", "a", "img", "link", "meta"):
            continue
        seen.add(el)
        if len(seen) > _MAX_GENERIC_CANDIDATES:
            break
        links = _article_links(el, page)
        distinct = {u for _, u in links}
        if 3 <= len(distinct) <= _MAX_GENERIC_LINKS and not _looks_like_navigation(el):
            candidates.append((el, links))
    innermost = [
        (el, links)
        for el, links in candidates
        if not any(other is not el and el in other.iterancestors() for other, _ in candidates)
    ]
    for container, links in innermost:
        found = items_from_links(container, page, links)
        if len(found) < 3:
            continue
        heading = heading_in(container, found[0][0]) or heading_before(container)
        if _says_recent(container, heading):
            continue
        return _without_ranks(tuple(ref for _, ref in found)), heading
    return None


def _says_recent(container: HtmlElement, heading: str | None) -> bool:
    """A block the theme calls "popular" whose own heading or list says "recent"/"related" (Mozilla blog)."""
    if heading and _RECENT.search(heading) and not _GENERIC_NAME.search(heading):
        return True
    names: list[str] = container.xpath("./@class | ./@id | .//ul/@class | .//ol/@class")
    return any(_RECENT.search(name) and not _GENERIC_NAME.search(name) for name in names)


def _article_links(container: HtmlElement, page: Page) -> list[tuple[HtmlElement, str]]:
    """Links to the site's own articles: no author, tag or section links (they share item blocks)."""
    links: list[tuple[HtmlElement, str]] = []
    for a in container.iter("a"):
        url = page.url(a.get("href"))
        if url is None or not _is_article_link(url, page):
            continue
        rel = (a.get("rel") or "").lower().split()
        parent = a.getparent()
        tokens = {*class_tokens(a), *(class_tokens(parent) if parent is not None else [])}
        if {"author", "tag", "category"}.intersection(rel) or _META_LINK_CLASSES.intersection(tokens):
            continue
        links.append((a, url))
    # Section fronts (`/transportation/`) sit beside articles in some "most popular" lists (CityLab).
    deep = [(a, u) for a, u in links if _looks_like_article_path(urlsplit(u).path)]
    return deep if deep else links


def _looks_like_article_path(path: str) -> bool:
    segments = [segment for segment in path.split("/") if segment]
    return len(segments) >= 2 or any(re.search(r"[\d\-_.]", segment) for segment in segments)


def _without_ranks(items: tuple[ArticleRef, ...]) -> tuple[ArticleRef, ...]:
    """Drop the rank numbers ("1 Jeep hack…", "2 …") that numbered lists put inside the link."""
    prefixes = [re.match(rf"{index}[.):]?\s+(?=\S)", item.title) for index, item in enumerate(items, start=1)]
    if not all(prefixes):
        return items
    return tuple(
        replace(item, title=item.title[match.end() :])
        for item, match in zip(items, prefixes, strict=True)
        if match is not None
    )
