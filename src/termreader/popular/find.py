"""One page scanned for its popular-posts list, trying the known widgets before the generic blocks."""

from __future__ import annotations

from termreader.popular.blogger import scan_blogger
from termreader.popular.elements import HtmlElement, parse_html
from termreader.popular.generic import scan_generic
from termreader.popular.jetpack import scan_jetpack
from termreader.popular.page import page_context
from termreader.popular.scan import (
    BLOGGER_WIDGET,
    GENERIC_WIDGET,
    JETPACK_WIDGET,
    WPP_WIDGET,
    PopularScan,
)
from termreader.popular.wpp import scan_wpp_list, scan_wpp_placeholder


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


def find_popular(html: str, page_url: str) -> PopularScan:
    """Scan one page for its popular-posts list; a page without one gives `widget=None`, never a guess."""
    doc = parse_html(html)
    if doc is None:
        return PopularScan(items=(), widget=None, heading=None, rest_url=None)
    page = page_context(doc, page_url)
    platform = _platform(doc)
    if (found := scan_blogger(doc, page)) is not None:
        return PopularScan(found[0], BLOGGER_WIDGET, found[1], None, platform or "blogger")
    if (found := scan_wpp_list(doc, page)) is not None:
        return PopularScan(found[0], WPP_WIDGET, found[1], None, platform or "wordpress")
    if (found := scan_jetpack(doc, page)) is not None:
        return PopularScan(found[0], JETPACK_WIDGET, found[1], None, platform or "wordpress")
    if (placeholder := scan_wpp_placeholder(doc, page)) is not None:
        return PopularScan((), WPP_WIDGET, placeholder[1], placeholder[0], platform or "wordpress")
    if (found := scan_generic(doc, page)) is not None:
        return PopularScan(found[0], GENERIC_WIDGET, found[1], None, platform)
    return PopularScan(items=(), widget=None, heading=None, rest_url=None, platform=platform)
