"""Answers of the WordPress Popular Posts REST API: a JSON list of posts, or the widget's rendered HTML."""

from __future__ import annotations

import json
from typing import Any

from termreader.errors import SourceError
from termreader.models import ArticleRef
from termreader.popular.elements import parse_html
from termreader.popular.fields import WP_MORE
from termreader.popular.page import Page, bare_host, unwayback
from termreader.popular.wpp import scan_wpp_list
from termreader.textutil import clean_snippet, clean_text, parse_date, strip_html


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def _rest_item(entry: Any, page: Page) -> ArticleRef | None:
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
        author = (clean_text(name) or None) if isinstance(name, str) else None
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
        snippet=clean_snippet(WP_MORE.sub("...", excerpt)) if excerpt else None,
        thumbnail=thumbnail,
    )


def parse_wpp_rest(body: bytes | str, base_url: str) -> tuple[ArticleRef, ...]:
    """Items from WPP REST answers: the v1 `popular-posts` list of posts, or a `{"widget": "<html>"}` body."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{base_url}: the popular-posts answer is not JSON") from exc
    page = Page(base=base_url, hosts=frozenset({bare_host(unwayback(base_url))}), resolved={})
    if isinstance(data, list):
        return tuple(ref for entry in data if (ref := _rest_item(entry, page)) is not None)
    if isinstance(data, dict) and isinstance(data.get("widget"), str):
        doc = parse_html(f"<html><body>{data['widget']}</body></html>")
        if doc is None:
            return ()
        found = scan_wpp_list(doc, page)
        return found[0] if found is not None else ()
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        raise SourceError(
            f"{base_url}: the site refused the popular-posts request ({clean_text(data['message'])})"
        )
    raise SourceError(f"{base_url}: the popular-posts answer has an unknown shape")
