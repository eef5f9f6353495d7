"""The article list of an HTML index page, for sites without a feed; pure: html -> list[ArticleRef].

Blogger's classic and 2017 listings have fixed markup (STRUCTURES.md §1.2); anything else is read with the
generic rule "sibling blocks (article/div/li/section) that each hold a heading link to the same site".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Final
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from termreader.discover import page_base
from termreader.feeds import make_snippet
from termreader.models import ArticleRef
from termreader.textutil import absolute_url, clean_text, normalize_url, parse_date

MIN_BLOCKS: Final = 2
"""Fewer sibling blocks than this is a page, not a list."""

_HEADINGS: Final = ("h1", "h2", "h3", "h4")
_BLOCK_TAGS: Final = frozenset({"article", "div", "li", "section"})
_CHROME_TAGS: Final = frozenset({"nav", "header", "footer", "aside", "form"})
_CHROME_WORDS: Final = frozenset(
    {
        "sidebar",
        "menu",
        "footer",
        "comment",
        "comments",
        "related",
        "popular",
        "nav",
        "navigation",
        "secondary",
    }
)
_META_WORDS: Final = frozenset({"meta", "byline", "date", "posted", "author", "entry-meta", "post-meta"})
_TOKEN = re.compile(r"[^a-z0-9]+")


def _classes(element: HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _by_class(root: HtmlElement, name: str, tag: str = "*") -> Iterator[HtmlElement]:
    for element in root.iter(tag):
        if isinstance(element.tag, str) and name in _classes(element):
            yield element


def _first(root: HtmlElement, name: str, tag: str = "*") -> HtmlElement | None:
    return next(_by_class(root, name, tag), None)


def _first_of(root: HtmlElement, *names: str) -> HtmlElement | None:
    for name in names:
        found = _first(root, name)
        if found is not None:
            return found
    return None


def _text(element: HtmlElement | None) -> str:
    return clean_text(element.text_content()) if element is not None else ""


def _image(root: HtmlElement, base: str) -> str | None:
    for img in root.iter("img"):
        src = img.get("data-src") or img.get("data-lazy-src") or img.get("src")
        if src and not src.startswith("data:"):
            return absolute_url(base, src)
    return None


def _date(root: HtmlElement) -> str | None:
    for element in root.iter("time", "abbr"):
        value = element.get("datetime") or (element.get("title") if element.tag == "abbr" else None)
        if value and parse_date(value) is not None:
            return value
    for meta in root.iter("meta"):
        if meta.get("itemprop") in ("datePublished", "dateCreated") and meta.get("content"):
            return meta.get("content")
    return None


def _author(root: HtmlElement) -> str | None:
    for name in ("post-author", "author", "byline-author", "entry-author"):
        holder = _first(root, name)
        if holder is not None:
            fn = _first(holder, "fn")
            name_el = next((e for e in holder.iter() if e.get("itemprop") == "name"), None)
            text = _text(name_el if name_el is not None else fn if fn is not None else holder)
            for prefix in ("Posted by ", "By ", "by ", "Von ", "Par ", "Por "):
                text = text.removeprefix(prefix)
            if text and len(text) <= 80:
                return text
    link = next((a for a in root.iter("a") if "author" in (a.get("rel") or "").split()), None)
    return _text(link) or None


def _ref(
    title: str,
    href: str | None,
    base: str,
    block: HtmlElement,
    snippet_el: HtmlElement | None,
    thumb_root: HtmlElement | None,
) -> ArticleRef | None:
    url = absolute_url(base, href)
    if not url or not title or not url.startswith(("http://", "https://", "file:")):
        return None
    snippet = make_snippet(etree.tostring(snippet_el, encoding="unicode")) if snippet_el is not None else None
    return ArticleRef(
        title=title,
        url=url,
        published=parse_date(_date(block)),
        author=_author(block),
        snippet=snippet,
        thumbnail=_image(thumb_root, base) if thumb_root is not None else None,
    )


# --- Blogger --------------------------------------------------------------------------------


def _blogger_post_link(post: HtmlElement) -> tuple[str, str | None]:
    heading = _first(post, "post-title")
    anchor = heading.find(".//a") if heading is not None else None
    title = _text(anchor if anchor is not None else heading)
    href = anchor.get("href") if anchor is not None else None
    if href is None:
        stamp = _first(post, "timestamp-link", "a")
        href = stamp.get("href") if stamp is not None else None
    return title, href


def _blogger(doc: HtmlElement, base: str) -> list[ArticleRef]:
    body = doc.find("body")
    if body is not None and not {"item", "item-view"}.isdisjoint(_classes(body)):
        return []  # a post page: its one post is not a list
    container = _first(doc, "blog-posts")
    if container is None:
        return []
    posts = list(_by_class(container, "post-outer-container", "article"))
    if not posts:
        posts = list(_by_class(container, "post-outer")) or list(_by_class(container, "hentry"))
    refs: list[ArticleRef] = []
    for post in posts:
        title, href = _blogger_post_link(post)
        snippet_el = _first_of(post, "snippet-item", "post-snippet", "post-body")
        # Not the whole post: its footer holds Blogger's edit-pencil and share icons.
        thumb_root = _first_of(post, "snippet-thumbnail", "post-body", "snippet-item")
        ref = _ref(title, href, base, post, snippet_el, thumb_root)
        if ref is not None:
            refs.append(ref)
    return refs


# --- generic repeated blocks ----------------------------------------------------------------


def _in_chrome(element: HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in _CHROME_TAGS:
            return True
        marker = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".lower()
        if not _CHROME_WORDS.isdisjoint(_TOKEN.split(marker)):
            return True
    return False


def _heading_link(block: HtmlElement, host: str, base: str) -> tuple[str, str] | None:
    for heading in block.iter(*_HEADINGS):
        anchor = heading.find(".//a[@href]")
        if anchor is None:
            parent = heading.getparent()
            anchor = parent if parent is not None and parent.tag == "a" and parent.get("href") else None
        if anchor is None:
            continue
        url = absolute_url(base, anchor.get("href"))
        if url and urlsplit(url).netloc.lower() == host:
            title = _text(anchor) or _text(heading)
            if title:
                return title, url
    return None


def _summary(block: HtmlElement, title: str) -> HtmlElement | None:
    for name in ("entry-summary", "excerpt", "post-excerpt", "summary", "entry-content", "post-content"):
        found = _first(block, name)
        if found is not None:
            return found
    for paragraph in block.iter("p"):
        text = _text(paragraph)
        if not text or text == title or len(text) <= 20 or paragraph.find(".//time") is not None:
            continue
        if not _META_WORDS.isdisjoint(_TOKEN.split((paragraph.get("class") or "").lower())):
            continue  # "Posted on 2 June by Gwen": the byline, not the teaser
        return paragraph
    return None


def _generic(doc: HtmlElement, page_url: str, base: str) -> list[ArticleRef]:
    host = urlsplit(page_url).netloc.lower()
    page_key = normalize_url(page_url)
    groups: dict[HtmlElement, list[tuple[HtmlElement, str, str]]] = {}
    for block in doc.iter(*_BLOCK_TAGS):
        parent = block.getparent()
        if parent is None or _in_chrome(block):
            continue
        found = _heading_link(block, host, base)
        if found is None or normalize_url(found[1]) == page_key:
            continue
        groups.setdefault(parent, []).append((block, *found))
    best: list[tuple[HtmlElement, str, str]] = []
    for members in groups.values():
        # Siblings of one shape: the most common tag among them (a list mixes no <li> with <div>).
        tag, _count = Counter(block.tag for block, _, _ in members).most_common(1)[0]
        same = [member for member in members if member[0].tag == tag]
        if len({normalize_url(url) for _, _, url in same}) > len({normalize_url(u) for _, _, u in best}):
            best = same
    if len(best) < MIN_BLOCKS:
        return []
    refs: list[ArticleRef] = []
    seen: set[str] = set()
    for block, title, url in best:
        key = normalize_url(url)
        if key in seen:
            continue
        seen.add(key)
        ref = _ref(title, url, base, block, _summary(block, title), block)
        if ref is not None:
            refs.append(ref)
    return refs


def extract_listing(html: str, page_url: str) -> list[ArticleRef]:
    """The articles an index page lists, in page order; [] when the page holds nothing list-like."""
    if not html or not html.strip():
        return []
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    for bad in list(doc.iter("script", "style", "noscript", "template")):
        if bad.getparent() is not None:
            bad.drop_tree()
    base = page_base(doc, page_url)
    refs = _blogger(doc, base)
    if len(refs) >= 1:
        return refs
    return _generic(doc, page_url, base)
