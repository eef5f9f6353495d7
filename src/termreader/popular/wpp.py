"""WordPress Popular Posts (STRUCTURES.md §2.2): its rendered list, or the REST URL behind its placeholder."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from termreader.models import ArticleRef
from termreader.popular.elements import HtmlElement, by_class, class_tokens, has_class, visible_text
from termreader.popular.fields import item_ref
from termreader.popular.items import heading_before, heading_in
from termreader.popular.page import Page, unwayback
from termreader.textutil import clean_text

_WPP_REST_PARAMS = ("limit", "range", "time_quantity", "time_unit", "order_by", "post_type", "freshness")


def _title_link(li: HtmlElement) -> tuple[HtmlElement, HtmlElement] | None:
    """(the title element, the link it stands for). WPP's templates put `.wpp-post-title` on the link, on a
    span inside it, or on an element around it; without one, the first link with text that is not a
    category or taxonomy term."""
    for title in by_class(li, "wpp-post-title"):
        if title.tag == "a" and title.get("href"):
            return title, title
        inner = next((a for a in title.iter("a") if a.get("href")), None)
        outer = next((a for a in title.iterancestors("a") if a.get("href")), None)
        link = inner if inner is not None else outer
        if link is not None:
            return title, link
    for a in li.iter("a"):
        if a.get("href") and not has_class(a, "category", "wpp-taxonomy") and visible_text(a):
            return a, a
    return None


def _wpp_item(li: HtmlElement, page: Page) -> ArticleRef | None:
    found = _title_link(li)
    if found is None:
        return None
    title_element, anchor = found
    url = page.url(anchor.get("href"))
    if url is None:
        return None
    title = visible_text(title_element)
    full = clean_text(title_element.get("title") or anchor.get("title"))
    stem = re.sub(r"(?:\.\.\.|…)$", "", title).strip()
    if full and (not title or (stem and full.startswith(stem))):
        title = full
    if not title:
        title = next((clean_text(img.get("alt")) for img in li.iter("img") if img.get("alt")), "")
    if not title:
        return None
    return item_ref(li, url, title, page)


def _wpp_container(el: HtmlElement) -> HtmlElement:
    """The widget around a WPP list or placeholder: an id `wpp-N`, a `widget`/`popular-posts` class."""
    node: HtmlElement | None = el.getparent()
    for _ in range(4):
        if node is None or node.tag in ("body", "html"):
            break
        if re.match(r"wpp-\d+$", node.get("id") or "") or has_class(
            node, "widget", "popular-posts", "widget_wpp"
        ):
            return node
        node = node.getparent()
    parent = el.getparent()
    return parent if parent is not None else el


def _wpp_list_items(lst: HtmlElement, page: Page) -> tuple[ArticleRef, ...]:
    lis = [child for child in lst if child.tag == "li"] or list(lst.iter("li"))
    items: list[ArticleRef] = []
    seen: set[str] = set()
    for li in lis:
        ref = _wpp_item(li, page)
        if ref is not None and ref.url not in seen:
            seen.add(ref.url)
            items.append(ref)
    return tuple(items)


def scan_wpp_list(doc: HtmlElement, page: Page) -> tuple[tuple[ArticleRef, ...], str | None] | None:
    """Items and heading of the first WPP `wpp-list` that yields items."""
    lists = [el for el in by_class(doc, "wpp-list") if el.tag in ("ul", "ol")]
    for lst in lists:
        items = _wpp_list_items(lst, page)
        if items:
            container = _wpp_container(lst)
            heading = heading_in(container, lst) or heading_before(container)
            return items, heading
    return None


def _wpp_api_base(doc: HtmlElement, page: Page) -> str:
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


def scan_wpp_placeholder(doc: HtmlElement, page: Page) -> tuple[str, str | None] | None:
    """The REST URL and heading of a WPP placeholder, whose list the page loads with JavaScript."""
    placeholders = [
        el
        for el in doc.xpath("//*[contains(@class, 'placeholder')]")
        if {
            "wpp-widget-block-placeholder",
            "wpp-shortcode-placeholder",
            "wpp-widget-placeholder",
        }.intersection(class_tokens(el))
    ]
    if not placeholders:
        return None
    placeholder = placeholders[0]
    api = _wpp_api_base(doc, page)
    container = _wpp_container(placeholder)
    heading = heading_in(container, placeholder) or heading_before(container)
    widget_id = re.match(r"wpp-(\d+)$", placeholder.get("data-widget-id") or "")
    if has_class(placeholder, "wpp-widget-placeholder") and widget_id:
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
