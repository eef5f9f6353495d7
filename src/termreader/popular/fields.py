"""One item's fields read from the markup around its link: title, date, author, snippet, thumbnail."""

from __future__ import annotations

import re
from datetime import datetime

from termreader.models import ArticleRef
from termreader.popular.dates import loose_date
from termreader.popular.elements import (
    HEADING_TAGS,
    HtmlElement,
    by_class,
    class_tokens,
    has_class,
    iter_elements,
    visible_text,
)
from termreader.popular.page import Page
from termreader.textutil import clean_snippet, clean_text, parse_date

TITLE_CLASSES = ("item-title", "post-title", "entry-title", "wpp-post-title", "title")
_SNIPPET_CLASSES = (
    "item-snippet",
    "snippet-item",
    "popular-posts-snippet",
    "wpp-excerpt",
    "post-snippet",
    "entry-summary",
    "excerpt",
    "snippet",
    "summary",
)
_BLURB = re.compile(r"blurb|excerpt|summary|snippet|(?:^|[-_ ])dek(?:$|[-_ ])|description", re.IGNORECASE)
_JUMP_CLASSES = frozenset({"jump-link", "snippet-fade", "r-snippet-fade", "more-link", "read-more"})
_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-img-src", "data-original", "data-image", "src")
_BG_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
WP_MORE = re.compile(r"\s*\[(?:…|\.\.\.|&hellip;)\]\s*$")


def item_thumbnail(root: HtmlElement, page: Page) -> str | None:
    """The item's image: an `img` source (lazy-loading attributes first), else a background image."""
    for img in root.iter("img"):
        for attr in _LAZY_ATTRS:
            found = page.asset(img.get(attr))
            if found is not None:
                return found
        for attr in ("srcset", "data-srcset"):
            srcset = (img.get(attr) or "").strip()
            if srcset:
                found = page.asset(srcset.split(",")[0].split()[0])
                if found is not None:
                    return found
    for el in iter_elements(root):
        for attr in ("data-image", "data-src", "data-bg", "data-background"):
            found = page.asset(el.get(attr))
            if found is not None and el.tag != "img":
                return found
        style = el.get("style") or ""
        match = _BG_URL.search(style) if "url(" in style else None
        if match is not None:
            found = page.asset(match.group(1))
            if found is not None:
                return found
    return None


def item_snippet(root: HtmlElement) -> str | None:
    """The item's excerpt: a known snippet class first, else any class naming a blurb or summary."""
    for name in _SNIPPET_CLASSES:
        for el in by_class(root, name):
            text = visible_text(el)
            if text:
                return clean_snippet(WP_MORE.sub("...", text))
    for el in root.xpath(".//*[@class]"):
        if _BLURB.search(el.get("class") or ""):
            text = visible_text(el)
            if text:
                return clean_snippet(WP_MORE.sub("...", text))
    return None


def item_published(root: HtmlElement) -> datetime | None:
    """The item's date: a `datetime` attribute, a microformat `abbr` title, else WPP's printed date."""
    for el in root.xpath(".//*[@datetime]"):  # <time> and any other element with the attribute
        parsed = parse_date(el.get("datetime"))
        if parsed is not None:
            return parsed
    for el in root.xpath(".//abbr[@title]"):
        if has_class(el, "published", "updated", "dtstart"):
            parsed = parse_date(el.get("title"))
            if parsed is not None:
                return parsed
    for el in by_class(root, "wpp-date"):
        parsed = loose_date(visible_text(el))
        if parsed is not None:
            return parsed
    return None


def item_author(root: HtmlElement) -> str | None:
    """The item's author name, without a leading "by" (or "von", "por", "par")."""
    # Not `.byline`: Blogger puts that class on the timestamp too.
    for container in (*by_class(root, "post-author"), *by_class(root, "author")):
        names = by_class(container, "fn") or container.xpath(".//a")
        text = visible_text(names[0]) if names else visible_text(container)
        text = re.sub(r"^(?:by|von|por|par)\s+", "", text, flags=re.IGNORECASE)
        if text:
            return text
    for el in by_class(root, "wpp-author"):
        text = re.sub(r"^(?:by|von|por|par)\s+", "", visible_text(el), flags=re.IGNORECASE)
        if text:
            return text
    for el in root.xpath(".//*[@rel='author']"):
        text = visible_text(el)
        if text:
            return text
    return None


def item_title(root: HtmlElement, url: str, page: Page) -> str:
    """The item's title: the link inside a title element, else the longest link text, else a title/alt."""
    for name in TITLE_CLASSES:
        for holder in by_class(root, name):
            links = [a for a in holder.iter("a") if page.url(a.get("href")) == url]
            text = visible_text(links[0]) if links else ""
            if not text and holder.tag in HEADING_TAGS | {"a"}:
                text = visible_text(holder)
            if text:
                return text
    for heading in iter_elements(root):
        if heading.tag in HEADING_TAGS and any(page.url(a.get("href")) == url for a in heading.iter("a")):
            text = visible_text(heading)
            if text:
                return text
    for a in root.iter("a"):
        if page.url(a.get("href")) == url:
            for heading in iter_elements(a):
                if heading.tag in HEADING_TAGS and (text := visible_text(heading)):
                    return text
    best = ""
    for a in root.iter("a"):
        if page.url(a.get("href")) != url or _in_jump_link(a, root):
            continue
        text = visible_text(a, skip=_BLURB)
        if len(text) > len(best):
            best = text
    if best:
        return best
    for a in root.iter("a"):
        if page.url(a.get("href")) == url and clean_text(a.get("title")):
            return clean_text(a.get("title"))
    for img in root.iter("img"):
        if clean_text(img.get("alt")):
            return clean_text(img.get("alt"))
    return ""


def _in_jump_link(a: HtmlElement, stop: HtmlElement) -> bool:
    el: HtmlElement | None = a
    while el is not None and el is not stop:
        if _JUMP_CLASSES.intersection(class_tokens(el)):
            return True
        el = el.getparent()
    return False


def item_ref(root: HtmlElement, url: str, title: str, page: Page) -> ArticleRef:
    """An item of a widget: its link and title as found, the rest read from the item's element."""
    return ArticleRef(
        title=title,
        url=url,
        published=item_published(root),
        author=item_author(root),
        snippet=item_snippet(root),
        thumbnail=item_thumbnail(root, page),
    )
