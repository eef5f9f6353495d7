"""Find a site's popular posts: Blogger's PopularPosts gadget, WordPress Popular Posts, Jetpack Top Posts and
clearly labelled "popular / most read / trending" blocks, in the site's own order.

No platform exposes popularity in its feeds, so the list is scraped from rendered HTML
(STRUCTURES.md §1.3, §2.2).
Detection keys on element classes and ids, never on heading text or on a string in the page: skins' CSS
mentions `.popular-posts` on blogs that have no such widget.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import lxml.html
from lxml import etree

from termreader.errors import SourceError, TermreaderError
from termreader.models import ArticleRef, PopularResult
from termreader.textutil import absolute_url, clean_snippet, clean_text, normalize_url, parse_date, strip_html

if TYPE_CHECKING:
    from termreader.fetch import Fetcher

HtmlElement = lxml.html.HtmlElement

BLOGGER_WIDGET = "blogger-popularposts"
WPP_WIDGET = "wpp"
WPP_REST_WIDGET = "wpp-rest"
JETPACK_WIDGET = "jetpack-top-posts"
GENERIC_WIDGET = "generic"

_BLOGGER_PERMALINK = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/\d{4,14}[a-z_]*/+(?P<rest>.+)$", re.IGNORECASE)
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
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_CLASSES = frozenset(
    {"title", "widget-title", "widgettitle", "block-title", "section-title", "widget-header"}
)
_TITLE_CLASSES = ("item-title", "post-title", "entry-title", "wpp-post-title", "title")
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
_INVISIBLE_TAGS = frozenset({"script", "style", "template", "noscript"})
_BLURB = re.compile(r"blurb|excerpt|summary|snippet|(?:^|[-_ ])dek(?:$|[-_ ])|description", re.IGNORECASE)
_META_LINK_CLASSES = frozenset(
    {"author", "category", "categories", "tag", "tags", "byline", "post-author", "url", "fn", "comments-link"}
)
_JUMP_CLASSES = frozenset({"jump-link", "snippet-fade", "r-snippet-fade", "more-link", "read-more"})
_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-img-src", "data-original", "data-image", "src")
_BG_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_WP_MORE = re.compile(r"\s*\[(?:…|\.\.\.|&hellip;)\]\s*$")
_MAX_GENERIC_LINKS = 40
# Hostile pages can nest thousands of "popular" wrappers; each candidate walks its links, so cap them.
_MAX_GENERIC_CANDIDATES = 200
_WPP_REST_PARAMS = ("limit", "range", "time_quantity", "time_unit", "order_by", "post_type", "freshness")


@dataclass(frozen=True, slots=True)
class PopularScan:
    """What one page shows as its popular posts; `widget` None means the page has no popular list."""

    items: tuple[ArticleRef, ...]
    widget: str | None
    """'blogger-popularposts', 'wpp', 'jetpack-top-posts', 'generic', or None."""
    heading: str | None
    rest_url: str | None
    """WPP AJAX placeholder: the absolute REST URL that returns the list the page loads with JavaScript."""
    platform: str | None = None
    """'blogger' or 'wordpress' when the page says so (meta generator, widget markup)."""


# --- small helpers ----------------------------------------------------------------------------------


def _classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def _has_class(el: HtmlElement, *names: str) -> bool:
    tokens = _classes(el)
    return any(name in tokens for name in names)


def _by_class(root: HtmlElement, name: str) -> list[HtmlElement]:
    """Descendants carrying the class token `name` (a cheap substring test in C, then the exact token)."""
    found: list[HtmlElement] = root.xpath(".//*[contains(@class, $name)]", name=name)
    return [el for el in found if name in _classes(el)]


def _elements(root: HtmlElement) -> Iterator[HtmlElement]:
    """Descendants that are elements (lxml also yields comments and processing instructions)."""
    for el in root.iter():
        if isinstance(el.tag, str):
            yield el


def _text(el: HtmlElement | None, *, skip: re.Pattern[str] | None = None) -> str:
    """Visible text of `el`: no script/style/template text (Vox hides picture markup in link templates),
    and no descendants whose class matches `skip`."""
    if el is None:
        return ""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node is not el and node.tail:
                parts.append(node.tail)
            continue
        stack.append((node, True))
        if not isinstance(node.tag, str) or node.tag in _INVISIBLE_TAGS:
            continue
        if (
            skip is not None
            and node is not el
            and skip.search(node.get("class") or "")
            and not any(child.tag in _HEADING_TAGS for child in _elements(node))
        ):
            continue
        if node.text:
            parts.append(node.text)
        stack.extend((child, False) for child in reversed(node))
    return clean_text("".join(parts))


def unwayback(url: str) -> str:
    """The original URL behind a Wayback Machine capture (`web.archive.org/web/<ts>/<url>`)."""
    match = _WAYBACK.match(url)
    if match is None:
        return url
    rest = match.group("rest")
    rest = re.sub(r"^(https?):/+", r"\1://", rest, flags=re.IGNORECASE)
    if not re.match(r"^https?://", rest, re.IGNORECASE):
        rest = "http://" + rest
    return rest


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


@dataclass(slots=True)
class _Page:
    """Per-call parsing context: the base for relative links and a cache of resolved hrefs."""

    base: str
    hosts: frozenset[str]
    """The site's host names without `www.`: the page's own, plus its canonical/og:url one (saved pages)."""
    resolved: dict[str, str | None]

    def url(self, href: str | None) -> str | None:
        """An item URL: absolute, Wayback prefix removed, no fragment, no Blogger `?m=1`."""
        if not href:
            return None
        if href in self.resolved:
            return self.resolved[href]
        absolute = absolute_url(self.base, href)
        result = None
        if absolute is not None and absolute.lower().startswith(("http://", "https://")):
            result = normalize_url(unwayback(absolute))
        self.resolved[href] = result
        return result

    def asset(self, href: str | None) -> str | None:
        """A thumbnail URL: absolute (protocol-relative gets the page's scheme); archived copies kept."""
        absolute = absolute_url(self.base, href)
        if absolute is None or not absolute.lower().startswith(("http://", "https://")):
            return None
        return absolute


# --- per-item fields --------------------------------------------------------------------------------


def _thumbnail(root: HtmlElement, page: _Page) -> str | None:
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
    for el in _elements(root):
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


def _snippet(root: HtmlElement) -> str | None:
    for name in _SNIPPET_CLASSES:
        for el in _by_class(root, name):
            text = _text(el)
            if text:
                return clean_snippet(_WP_MORE.sub("...", text))
    for el in root.xpath(".//*[@class]"):
        if _BLURB.search(el.get("class") or ""):
            text = _text(el)
            if text:
                return clean_snippet(_WP_MORE.sub("...", text))
    return None


def _published(root: HtmlElement) -> datetime | None:
    for el in root.xpath(".//time[@datetime] | .//*[@datetime]"):
        parsed = parse_date(el.get("datetime"))
        if parsed is not None:
            return parsed
    for el in root.xpath(".//abbr[@title]"):
        if _has_class(el, "published", "updated", "dtstart"):
            parsed = parse_date(el.get("title"))
            if parsed is not None:
                return parsed
    for el in _by_class(root, "wpp-date"):
        parsed = loose_date(_text(el))
        if parsed is not None:
            return parsed
    return None


def _author(root: HtmlElement) -> str | None:
    # Not `.byline`: Blogger puts that class on the timestamp too.
    for container in (*_by_class(root, "post-author"), *_by_class(root, "author")):
        names = _by_class(container, "fn") or container.xpath(".//a")
        text = _text(names[0]) if names else _text(container)
        text = re.sub(r"^(?:by|von|por|par)\s+", "", text, flags=re.IGNORECASE)
        if text:
            return text
    for el in _by_class(root, "wpp-author"):
        text = re.sub(r"^(?:by|von|por|par)\s+", "", _text(el), flags=re.IGNORECASE)
        if text:
            return text
    for el in root.xpath(".//*[@rel='author']"):
        text = _text(el)
        if text:
            return text
    return None


_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DATE_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_DATE_DMY = re.compile(r"\b(\d{1,2})\.?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def loose_date(text: str) -> datetime | None:
    """A date written for people ("posted on March 3, 2026", "3 March 2026", "03.03.2026") as UTC midnight."""
    year = month = day = 0
    if match := _DATE_ISO.search(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DATE_MDY.search(text):
        month, day, year = _MONTHS.get(match[1].lower(), 0), int(match[2]), int(match[3])
    elif match := _DATE_DMY.search(text):
        day, month, year = int(match[1]), _MONTHS.get(match[2].lower(), 0), int(match[3])
    elif match := _DATE_DOTTED.search(text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _title_for(root: HtmlElement, url: str, page: _Page) -> str:
    """The item's title: the link inside a title element, else the longest link text, else a title/alt."""
    for name in _TITLE_CLASSES:
        for holder in _by_class(root, name):
            links = [a for a in holder.iter("a") if page.url(a.get("href")) == url]
            text = _text(links[0]) if links else ""
            if not text and holder.tag in _HEADING_TAGS | {"a"}:
                text = _text(holder)
            if text:
                return text
    for heading in _elements(root):
        if heading.tag in _HEADING_TAGS and any(page.url(a.get("href")) == url for a in heading.iter("a")):
            text = _text(heading)
            if text:
                return text
    for a in root.iter("a"):
        if page.url(a.get("href")) == url:
            for heading in _elements(a):
                if heading.tag in _HEADING_TAGS and (text := _text(heading)):
                    return text
    best = ""
    for a in root.iter("a"):
        if page.url(a.get("href")) != url or _in_jump_link(a, root):
            continue
        text = _text(a, skip=_BLURB)
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
        if _JUMP_CLASSES.intersection(_classes(el)):
            return True
        el = el.getparent()
    return False


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


def _items_from_links(
    container: HtmlElement, page: _Page, links: list[tuple[HtmlElement, str]]
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
        title = _title_for(root, url, page)
        if not title:
            continue
        ref = ArticleRef(
            title=title,
            url=url,
            published=_published(root),
            author=_author(root),
            snippet=_snippet(root),
            thumbnail=_thumbnail(root, page),
        )
        items.append((root, ref))
    return tuple(items)


def _heading_in(container: HtmlElement, first_item: HtmlElement | None) -> str | None:
    """The first heading-like element of `container` that comes before its first item."""
    for el in _elements(container):
        if el is first_item:
            return None
        if el is container:
            continue
        if el.tag in _HEADING_TAGS or _HEADING_CLASSES.intersection(_classes(el)):
            text = _text(el)
            if text and len(text) <= 120:
                return text
    return None


def _heading_before(container: HtmlElement, levels: int = 3) -> str | None:
    """A heading just before the container (page builders put the title in a sibling widget)."""
    el: HtmlElement | None = container
    for _ in range(levels):
        if el is None:
            return None
        sibling = el.getprevious()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getprevious()
        if sibling is not None:
            if sibling.xpath(".//a[@href]") and sibling.tag not in _HEADING_TAGS:
                return None
            headings = [e for e in _elements(sibling) if e.tag in _HEADING_TAGS]
            text = _text(headings[0]) if headings else ""
            if text and len(text) <= 120:
                return text
            return None
        el = el.getparent()
    return None


# --- structures ---------------------------------------------------------------------------------------


def _blogger(doc: HtmlElement, page: _Page) -> tuple[tuple[ArticleRef, ...], str | None] | None:
    candidates: list[HtmlElement] = doc.xpath(
        "//*[contains(@class, 'PopularPosts') or starts-with(@id, 'PopularPosts')]"
    )
    widgets = [
        el
        for el in candidates
        if "PopularPosts" in _classes(el)
        or ((el.get("id") or "").startswith("PopularPosts") and "widget" in (el.get("class") or ""))
    ]
    for widget in widgets:
        links: list[tuple[HtmlElement, str]] = []
        for a in widget.iter("a"):
            url = page.url(a.get("href"))
            if url is not None and _BLOGGER_PERMALINK.match(urlsplit(url).path) and "blogger.com" not in url:
                links.append((a, url))
        if not links:
            for name in _TITLE_CLASSES[:3]:
                for holder in _by_class(widget, name):
                    links.extend(
                        (a, u) for a in holder.iter("a") if (u := page.url(a.get("href"))) is not None
                    )
        found = _items_from_links(widget, page, links)
        if found:
            return tuple(ref for _, ref in found), _heading_in(widget, found[0][0])
    return None


def _wpp_item(li: HtmlElement, page: _Page) -> ArticleRef | None:
    titles = _by_class(li, "wpp-post-title")
    anchor = titles[0] if titles else None
    if anchor is None:
        for a in li.iter("a"):
            if a.get("href") and not _has_class(a, "category", "wpp-taxonomy") and _text(a):
                anchor = a
                break
    if anchor is None:
        return None
    url = page.url(anchor.get("href"))
    if url is None:
        return None
    title = _text(anchor)
    full = clean_text(anchor.get("title"))
    stem = re.sub(r"(?:\.\.\.|…)$", "", title).strip()
    if full and (not title or (stem and full.startswith(stem))):
        title = full
    if not title:
        title = next((clean_text(img.get("alt")) for img in li.iter("img") if img.get("alt")), "")
    if not title:
        return None
    return ArticleRef(
        title=title,
        url=url,
        published=_published(li),
        author=_author(li),
        snippet=_snippet(li),
        thumbnail=_thumbnail(li, page),
    )


def _wpp_container(el: HtmlElement) -> HtmlElement:
    """The widget around a WPP list or placeholder: an id `wpp-N`, a `widget`/`popular-posts` class."""
    node: HtmlElement | None = el.getparent()
    for _ in range(4):
        if node is None or node.tag in ("body", "html"):
            break
        if re.match(r"wpp-\d+$", node.get("id") or "") or _has_class(
            node, "widget", "popular-posts", "widget_wpp"
        ):
            return node
        node = node.getparent()
    parent = el.getparent()
    return parent if parent is not None else el


def _wpp_list_items(lst: HtmlElement, page: _Page) -> tuple[ArticleRef, ...]:
    lis = [child for child in lst if child.tag == "li"] or list(lst.iter("li"))
    items: list[ArticleRef] = []
    seen: set[str] = set()
    for li in lis:
        ref = _wpp_item(li, page)
        if ref is not None and ref.url not in seen:
            seen.add(ref.url)
            items.append(ref)
    return tuple(items)


def _wpp(doc: HtmlElement, page: _Page) -> tuple[tuple[ArticleRef, ...], str | None] | None:
    lists = [el for el in _by_class(doc, "wpp-list") if el.tag in ("ul", "ol")]
    for lst in lists:
        items = _wpp_list_items(lst, page)
        if items:
            container = _wpp_container(lst)
            heading = _heading_in(container, lst) or _heading_before(container)
            return items, heading
    return None


def _wpp_api_base(doc: HtmlElement, page: _Page) -> str:
    for script in doc.xpath("//script[@id='wpp-json']"):
        try:
            config = json.loads(script.text or "")
        except ValueError:
            continue
        if isinstance(config, dict) and isinstance(config.get("api_url"), str):
            found = page.asset(config["api_url"])
            if found:
                return found.rstrip("/")
    for script in doc.xpath("//script[@data-api-url]"):
        found = page.asset(script.get("data-api-url"))
        if found:
            return found.rstrip("/")
    for link in doc.xpath("//link[@rel='https://api.w.org/'][@href]"):
        found = page.asset(link.get("href"))
        if found:
            return found.rstrip("/") + "/wordpress-popular-posts"
    parts = urlsplit(unwayback(page.base))
    return f"{parts.scheme}://{parts.netloc}/wp-json/wordpress-popular-posts"


def _wpp_placeholder(doc: HtmlElement, page: _Page) -> tuple[str, str | None] | None:
    placeholders = [
        el
        for el in doc.xpath("//*[contains(@class, 'placeholder')]")
        if {
            "wpp-widget-block-placeholder",
            "wpp-shortcode-placeholder",
            "wpp-widget-placeholder",
        }.intersection(_classes(el))
    ]
    if not placeholders:
        return None
    placeholder = placeholders[0]
    api = _wpp_api_base(doc, page)
    container = _wpp_container(placeholder)
    heading = _heading_in(container, placeholder) or _heading_before(container)
    widget_id = re.match(r"wpp-(\d+)$", placeholder.get("data-widget-id") or "")
    if _has_class(placeholder, "wpp-widget-placeholder") and widget_id:
        return f"{api}/v1/popular-posts/widget/{widget_id.group(1)}", heading
    config: dict[str, Any] = {}
    parent = placeholder.getparent()
    for script in parent.xpath("./script[@type='application/json']") if parent is not None else []:
        try:
            loaded = json.loads(script.text or "")
        except ValueError:
            continue
        if isinstance(loaded, dict):
            config = loaded
            break
    params: dict[str, str] = {}
    for key in _WPP_REST_PARAMS:
        value = config.get(key)
        if isinstance(value, bool):
            params[key] = "1" if value else "0"
        elif isinstance(value, str | int) and str(value) != "":
            params[key] = str(value)
    if params.get("order_by") not in (None, "views", "comments"):
        params.pop("order_by")
    query = urlencode(params)
    return f"{api}/v1/popular-posts" + (f"?{query}" if query else ""), heading


def _known_pages(doc: HtmlElement, page: _Page) -> set[str]:
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


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _jetpack(doc: HtmlElement, page: _Page) -> tuple[tuple[ArticleRef, ...], str | None] | None:
    widgets = _by_class(doc, "widget_top-posts")
    if not widgets:
        return None
    pages = _known_pages(doc, page)
    for widget in widgets:
        anchors = _by_class(widget, "bump-view") or list(widget.iter("a"))
        links: list[tuple[HtmlElement, str]] = []
        for a in anchors:
            url = page.url(a.get("href"))
            if url is None or _host(url) not in page.hosts or _is_home(url) or url in pages:
                continue
            links.append((a, url))
        found = _items_from_links(widget, page, links)
        if found:
            return tuple(ref for _, ref in found), _heading_in(widget, found[0][0])
    return None


def _is_article_link(url: str, page: _Page) -> bool:
    parts = urlsplit(url)
    return _host(url) in page.hosts and not _is_home(url) and not _NOT_ARTICLE_PATH.search(parts.path)


def _looks_like_navigation(el: HtmlElement) -> bool:
    node: HtmlElement | None = el
    depth = 0
    while node is not None and isinstance(node.tag, str):
        if node.tag in ("nav", "menu", "header") or node.get("role") in ("navigation", "menubar", "menu"):
            return True
        if depth == 0 and any(
            _NAV_TOKEN.search(token) for token in [*_classes(node), *(node.get("id") or "").split()]
        ):
            return True
        node = node.getparent()
        depth += 1
    menu_items = _by_class(el, "menu-item")
    return len(menu_items) >= 2


def _generic(doc: HtmlElement, page: _Page) -> tuple[tuple[ArticleRef, ...], str | None] | None:
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
        found = _items_from_links(container, page, links)
        if len(found) < 3:
            continue
        heading = _heading_in(container, found[0][0]) or _heading_before(container)
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


def _article_links(container: HtmlElement, page: _Page) -> list[tuple[HtmlElement, str]]:
    """Links to the site's own articles: no author, tag or section links (they share item blocks)."""
    links: list[tuple[HtmlElement, str]] = []
    for a in container.iter("a"):
        url = page.url(a.get("href"))
        if url is None or not _is_article_link(url, page):
            continue
        rel = (a.get("rel") or "").lower().split()
        parent = a.getparent()
        tokens = {*_classes(a), *(_classes(parent) if parent is not None else [])}
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


def _platform(doc: HtmlElement) -> str | None:
    for meta in doc.xpath("//meta[@name][@content]"):
        if (meta.get("name") or "").lower() != "generator":
            continue
        content = (meta.get("content") or "").lower()
        if content.startswith("blogger"):
            return "blogger"
        if "wordpress" in content:
            return "wordpress"
    for el in doc.xpath("//link[@href] | //script[@src]")[:200]:
        ref = (el.get("href") or el.get("src") or "").lower()
        if "/wp-content/" in ref or "/wp-includes/" in ref:
            return "wordpress"
        if "blogger.com/static" in ref or "blogblog.com" in ref:
            return "blogger"
    return None


def _parse(html: str) -> HtmlElement | None:
    if not html or not html.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        doc = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return doc


def _page_context(doc: HtmlElement, page_url: str) -> _Page:
    base = page_url
    for base_el in doc.xpath("//head/base[@href]")[:1]:
        base = absolute_url(page_url, base_el.get("href")) or page_url
    hosts = {_host(unwayback(page_url))}
    own_urls: list[str] = doc.xpath(
        "//head/link[@rel='canonical']/@href | //head/meta[@property='og:url']/@content"
    )
    for ref in own_urls[:2]:
        resolved = absolute_url(page_url, str(ref))
        if resolved:
            hosts.add(_host(unwayback(resolved)))
    return _Page(base=base, hosts=frozenset(hosts - {""}), resolved={})


def find_popular(html: str, page_url: str) -> PopularScan:
    """Scan one page for its popular-posts list; a page without one gives `widget=None`, never a guess."""
    doc = _parse(html)
    if doc is None:
        return PopularScan(items=(), widget=None, heading=None, rest_url=None)
    page = _page_context(doc, page_url)
    platform = _platform(doc)
    if (found := _blogger(doc, page)) is not None:
        return PopularScan(found[0], BLOGGER_WIDGET, found[1], None, platform or "blogger")
    if (found := _wpp(doc, page)) is not None:
        return PopularScan(found[0], WPP_WIDGET, found[1], None, platform or "wordpress")
    if (found := _jetpack(doc, page)) is not None:
        return PopularScan(found[0], JETPACK_WIDGET, found[1], None, platform or "wordpress")
    if (placeholder := _wpp_placeholder(doc, page)) is not None:
        return PopularScan((), WPP_WIDGET, placeholder[1], placeholder[0], platform or "wordpress")
    if (found := _generic(doc, page)) is not None:
        return PopularScan(found[0], GENERIC_WIDGET, found[1], None, platform)
    return PopularScan(items=(), widget=None, heading=None, rest_url=None, platform=platform)


# --- WPP REST ---------------------------------------------------------------------------------------------


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def _rest_item(entry: Any, page: _Page) -> ArticleRef | None:
    if not isinstance(entry, dict):
        return None
    url = page.url(entry.get("link") if isinstance(entry.get("link"), str) else None)
    title = strip_html(_rendered(entry.get("title")))
    if url is None or not title:
        return None
    excerpt = strip_html(_rendered(entry.get("excerpt")))
    published = None
    if isinstance(entry.get("date_gmt"), str):
        published = parse_date(entry["date_gmt"])
    elif isinstance(entry.get("date"), str):
        published = parse_date(entry["date"])
    raw_embedded = entry.get("_embedded")
    embedded: dict[str, Any] = raw_embedded if isinstance(raw_embedded, dict) else {}
    author = None
    authors = embedded.get("author")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        name = authors[0].get("name")
        author = clean_text(name) if isinstance(name, str) and clean_text(name) else None
    thumbnail = None
    media = embedded.get("wp:featuredmedia")
    if isinstance(media, list) and media and isinstance(media[0], dict):
        source = media[0].get("source_url")
        thumbnail = page.asset(source) if isinstance(source, str) else None
    if thumbnail is None and isinstance(entry.get("jetpack_featured_media_url"), str):
        thumbnail = page.asset(entry["jetpack_featured_media_url"])
    return ArticleRef(
        title=title,
        url=url,
        published=published,
        author=author,
        snippet=clean_snippet(_WP_MORE.sub("...", excerpt)) if excerpt else None,
        thumbnail=thumbnail,
    )


def parse_wpp_rest(body: bytes | str, base_url: str) -> tuple[ArticleRef, ...]:
    """Items from WPP REST answers: the v1 `popular-posts` list of posts, or a `{"widget": "<html>"}` body."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{base_url}: the popular-posts answer is not JSON") from exc
    page = _Page(base=base_url, hosts=frozenset({_host(unwayback(base_url))}), resolved={})
    if isinstance(data, list):
        return tuple(ref for entry in data if (ref := _rest_item(entry, page)) is not None)
    if isinstance(data, dict) and isinstance(data.get("widget"), str):
        doc = _parse(f"<html><body>{data['widget']}</body></html>")
        if doc is None:
            return ()
        found = _wpp(doc, page)
        return found[0] if found is not None else ()
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        raise SourceError(
            f"{base_url}: the site refused the popular-posts request ({clean_text(data['message'])})"
        )
    raise SourceError(f"{base_url}: the popular-posts answer has an unknown shape")


# --- fetching -------------------------------------------------------------------------------------------


async def _scan_url(fetcher: Fetcher, url: str) -> tuple[str, PopularScan]:
    document = await fetcher.fetch(url)
    final_url = str(document.final_url or url)
    return final_url, await asyncio.to_thread(find_popular, document.text, final_url)


async def popular_posts(
    fetcher: Fetcher, page_url: str, *, html: str | None = None, newest_post_url: str | None = None
) -> PopularResult:
    """The popular posts a site publishes, following the WPP REST route and Blogger's post-page placement.

    Errors fetching `page_url` propagate; the follow-up fetches are best effort and their failure means
    "not found".
    """
    if html is None:
        where, scan = await _scan_url(fetcher, page_url)
    else:
        where, scan = page_url, await asyncio.to_thread(find_popular, html, page_url)
    if scan.items:
        return PopularResult(page_url=where, items=scan.items, widget=scan.widget, heading=scan.heading)
    if scan.rest_url is not None:
        try:
            answer = await fetcher.fetch(scan.rest_url, accept="application/json")
            items = await asyncio.to_thread(
                parse_wpp_rest, answer.body, str(answer.final_url or scan.rest_url)
            )
        except TermreaderError:
            items = ()
        if items:
            return PopularResult(page_url=where, items=items, widget=WPP_REST_WIDGET, heading=scan.heading)
        return PopularResult(page_url=where)
    if (
        scan.platform == "blogger"
        and newest_post_url
        and normalize_url(newest_post_url) != normalize_url(where)
    ):
        try:
            post_where, post_scan = await _scan_url(fetcher, newest_post_url)
        except TermreaderError:
            return PopularResult(page_url=where)
        if post_scan.items:
            return PopularResult(
                page_url=post_where, items=post_scan.items, widget=post_scan.widget, heading=post_scan.heading
            )
    return PopularResult(page_url=where)
