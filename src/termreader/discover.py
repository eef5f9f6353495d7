"""Find a page's feeds (<link rel=alternate>) and tell which blogging platform made it; pure functions."""

from __future__ import annotations

import re
from typing import Final

import lxml.html
from lxml import etree

from termreader.models import FeedLink
from termreader.textutil import absolute_url, clean_text, fold, normalize_url

PROBE_PATHS: Final = (
    "/feed",
    "/rss",
    "/atom.xml",
    "/index.xml",
    "/feeds/posts/default",
    "/feed.xml",
    "/rss.xml",
)
"""Where platforms put their feed when a page does not advertise one (WordPress/Substack, Ghost, Jekyll,
Hugo, Blogger, jekyll-feed, static generators), in the order we try them."""

_KIND_BY_TYPE: Final[dict[str, str]] = {
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
}
# Types servers and themes put on feed links by mistake; the body decides (sniffed after fetching).
_VAGUE_TYPES: Final = frozenset(
    {
        "",
        "application/xml",
        "text/xml",
        "application/json",
        "text/rss+xml",
        "text/atom+xml",
        "application/x-rss+xml",
    }
)
_FEEDISH_HREF = re.compile(r"(?:feed|rss|atom|\.xml|\.json)(?:[/?#]|$)", re.I)
_COMMENT_WORDS: Final = (
    "comment",
    "kommentar",
    "comentario",
    "reactie",
    "komentar",
    "коммент",
    "評論",
    "コメント",
)
_COMMENT_HREF = re.compile(r"/comments?/|[?&]withcomments=|/comments/feed", re.I)


def _parse(html: str) -> lxml.html.HtmlElement | None:
    if not html or not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def page_base(doc: lxml.html.HtmlElement, page_url: str) -> str:
    """The base for relative links: <base href> resolved on the page URL, else the page URL."""
    for base in doc.iter("base"):
        href = base.get("href")
        if href and href.strip():
            return absolute_url(page_url, href) or page_url
    return page_url


def _is_comment_feed(title: str, href: str) -> bool:
    folded = fold(title)
    return any(word in folded for word in _COMMENT_WORDS) or _COMMENT_HREF.search(href) is not None


def _link_kind(declared: str, href: str) -> str | None:
    """'rss' | 'atom' | 'json' from the declared type, 'unknown' for a vague one, None for a non-feed."""
    mime = declared.split(";", 1)[0].strip().lower()
    if mime in _KIND_BY_TYPE:
        return _KIND_BY_TYPE[mime]
    if "oembed" in mime or "/wp-json/" in href or "rest_route=" in href:
        return None  # WordPress advertises its REST and oEmbed JSON as rel=alternate too
    if mime in _VAGUE_TYPES or mime.endswith(("+xml", "+json")):
        if mime == "" and not _FEEDISH_HREF.search(href):
            return None
        return "unknown"
    return None


def find_feed_links(html: str, page_url: str) -> list[FeedLink]:
    """The site feeds a page advertises, in page order, comment feeds left out, each URL once."""
    doc = _parse(html)
    if doc is None:
        return []
    base = page_base(doc, page_url)
    links: list[FeedLink] = []
    seen: set[str] = set()
    for element in doc.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        if "alternate" not in rel or element.get("hreflang"):
            continue
        raw = (element.get("href") or "").strip()
        kind = _link_kind(element.get("type") or "", raw)
        if kind is None or not raw:
            continue
        url = absolute_url(base, raw)
        if url is None or not url.startswith(("http://", "https://", "file:")):
            continue
        title = clean_text(element.get("title")) or None
        if _is_comment_feed(title or "", url):
            continue
        key = normalize_url(url)
        if key in seen:
            continue
        seen.add(key)
        links.append(FeedLink(url=url, kind=kind, title=title))
    return links


_GENERATORS: Final = (
    ("blogger", "blogger"),
    ("wordpress", "wordpress"),
    ("ghost", "ghost"),
    ("substack", "substack"),
    ("hugo", "hugo"),
    ("jekyll", "jekyll"),
    ("medium", "medium"),
)
_MARKERS: Final = (
    ("substack", re.compile(r"substackcdn\.com|substack\.com/(?:api|embed)|\bsubstack-", re.I)),
    (
        "medium",
        re.compile(r"miro\.medium\.com|cdn-images-\d+\.medium\.com|cdn-static-\d+\.medium\.com", re.I),
    ),
    (
        "blogger",
        re.compile(r"www\.blogger\.com/(?:static|dyn-css|feeds)|_WidgetManager\._Init|blogblog\.com", re.I),
    ),
    ("wordpress", re.compile(r"/wp-content/|/wp-includes/|wp-json", re.I)),
    ("ghost", re.compile(r"ghost-(?:url|portal)|/ghost/api/|content=\"Ghost", re.I)),
)


def detect_platform(html: str) -> str:
    """'blogger', 'wordpress', 'ghost', 'substack', 'hugo', 'jekyll', 'medium' or 'html' (unknown)."""
    doc = _parse(html)
    if doc is not None:
        for meta in doc.iter("meta"):
            if (meta.get("name") or "").strip().lower() != "generator":
                continue
            content = (meta.get("content") or "").lower()
            for needle, platform in _GENERATORS:
                if needle in content:
                    return platform
    for platform, pattern in _MARKERS:
        if pattern.search(html):
            return platform
    return "html"
