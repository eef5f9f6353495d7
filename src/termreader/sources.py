"""From a source URL to its article lists: feed discovery, probing, HTML listings, popular posts.

The order follows STRUCTURES.md §0: the URL itself if it is a feed, the feeds the page advertises, the usual
feed paths of the site, and last the article list of the HTML page. Parsing runs off the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from termreader.discover import PROBE_PATHS, detect_platform, find_feed_links
from termreader.errors import FeedError, FetchError, HTTPStatusError, SourceError
from termreader.feeds import parse_feed, sniff_feed_kind
from termreader.fetch import FEED_ACCEPT as FEED_ACCEPT  # the Accept header for feeds, one definition
from termreader.fetch import FetchedDocument, Fetcher
from termreader.listing import extract_listing
from termreader.models import ArticleRef, FeedLink, ParsedFeed, PopularResult, ResolvedSource, SourceConfig


@dataclass(frozen=True, slots=True)
class _Found:
    """What resolving learnt, with the documents already fetched so nothing is fetched twice."""

    source: ResolvedSource
    feed: ParsedFeed | None = None
    page: FetchedDocument | None = None
    listing: tuple[ArticleRef, ...] = ()


def _content_type(document: FetchedDocument) -> str:
    """The type with the codec fetch already chose, so the feed parser decodes the same way."""
    return f"{document.content_type or 'application/xml'}; charset={document.encoding}"


def site_root(url: str) -> str:
    """scheme://host/ of an http(s) URL; the URL itself for local files."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


async def _parse(document: FetchedDocument) -> ParsedFeed:
    base = document.final_url or document.url
    work = partial(parse_feed, document.body, base, _content_type(document), text=document.text)
    return await asyncio.to_thread(work)


async def _try_feed(
    fetcher: Fetcher, url: str, notes: list[str]
) -> tuple[FetchedDocument, ParsedFeed] | None:
    """Fetch a candidate feed; None (with a note) unless it really is a readable feed."""
    try:
        document = await fetcher.fetch(url, conditional=True, accept=FEED_ACCEPT)
    except FetchError as error:
        notes.append(f"{url}: {error}")
        return None
    if sniff_feed_kind(document.body) is None:
        notes.append(f"{url}: not a feed")
        return None
    try:
        return document, await _parse(document)
    except FeedError as error:
        notes.append(str(error))
        return None


def _feed_source(url: str, document: FetchedDocument, feed: ParsedFeed, notes: list[str]) -> ResolvedSource:
    final = document.final_url or document.url
    return ResolvedSource(
        url=url,
        kind="feed",
        feed=FeedLink(url=final, kind=feed.kind, title=feed.title),
        title=feed.title,
        home_url=feed.site_url or site_root(final),
        notes=tuple(notes),
    )


async def _from_page(fetcher: Fetcher, page: FetchedDocument, notes: list[str]) -> _Found:
    """An HTML page: its advertised feeds, then the usual paths, then its own article list."""
    page_url = page.final_url or page.url
    html = page.text
    links, platform = await asyncio.to_thread(
        lambda: (find_feed_links(html, page_url), detect_platform(html))
    )
    title = _page_title(html)
    for link in links:
        found = await _try_feed(fetcher, link.url, notes)
        if found is not None:
            document, feed = found
            source = ResolvedSource(
                url=page_url,
                kind=platform,
                feed=FeedLink(url=document.final_url or link.url, kind=feed.kind, title=link.title),
                title=feed.title or title,
                home_url=page_url,
                notes=tuple(notes),
            )
            return _Found(source=source, feed=feed, page=page)
    root = site_root(page_url)
    if root.startswith("http"):
        tried = {link.url for link in links}
        for path in PROBE_PATHS:
            candidate = root.rstrip("/") + path
            if candidate in tried:
                continue
            found = await _try_feed(fetcher, candidate, notes)
            if found is not None:
                document, feed = found
                source = ResolvedSource(
                    url=page_url,
                    kind=platform,
                    feed=FeedLink(url=document.final_url or candidate, kind=feed.kind, title=feed.title),
                    title=feed.title or title,
                    home_url=page_url,
                    notes=tuple(notes),
                )
                return _Found(source=source, feed=feed, page=page)
    listing = await asyncio.to_thread(extract_listing, html, page_url)
    if listing:
        source = ResolvedSource(
            url=page_url, kind=platform, title=title, home_url=page_url, notes=tuple(notes)
        )
        return _Found(source=source, page=page, listing=tuple(listing))
    raise SourceError(f"no feed or article list found at {page_url}")


def _page_title(html: str) -> str | None:
    from termreader.textutil import strip_html

    start = html.find("<title")
    if start < 0:
        return None
    open_end = html.find(">", start)
    close = html.find("</title", open_end)
    if open_end < 0 or close < 0:
        return None
    return strip_html(html[open_end + 1 : close]) or None


async def _start(fetcher: Fetcher, url: str, notes: list[str]) -> tuple[FetchedDocument, FetchError | None]:
    """Fetch the source URL; a feed URL that has gone (404/410) falls back to the site's home page.

    Returns the document and, after a fallback, the original error to report if the home leads nowhere.
    """
    try:
        return await fetcher.fetch(url, conditional=True), None
    except HTTPStatusError as error:
        root = site_root(url)
        if error.status >= 500 or root.rstrip("/") == url.rstrip("/"):
            raise
        notes.append(f"{url}: {error}")
        try:
            home = await fetcher.fetch(root, conditional=True)
        except FetchError:
            raise error from None
        if sniff_feed_kind(home.body) is not None:
            raise error from None
        return home, error


async def _resolve(
    fetcher: Fetcher, url: str, kind: str | None = None, first: FetchedDocument | None = None
) -> _Found:
    """Detect where the list comes from; a configured kind 'feed' or 'html' skips detection.

    `first`: the source URL's document when the caller has just fetched it (not fetched again).
    """
    notes: list[str] = []
    if kind == "feed":
        document = first or await fetcher.fetch(url, conditional=True, accept=FEED_ACCEPT)
        if sniff_feed_kind(document.body) is None:
            raise FeedError(f'{url} is configured as a feed (kind = "feed") but does not serve one')
        feed = await _parse(document)
        return _Found(source=_feed_source(document.final_url or url, document, feed, notes), feed=feed)
    if kind == "html":
        page = first or await fetcher.fetch(url, conditional=True)
        page_url = page.final_url or page.url
        listing = await asyncio.to_thread(extract_listing, page.text, page_url)
        if not listing:
            raise SourceError(f'no article list found on {page_url} (kind = "html")')
        source = ResolvedSource(url=page_url, kind="html", title=_page_title(page.text), home_url=page_url)
        return _Found(source=source, page=page, listing=tuple(listing))
    document, gone = (first, None) if first is not None else await _start(fetcher, url, notes)
    final = document.final_url or document.url
    if sniff_feed_kind(document.body) is not None:
        feed = await _parse(document)
        return _Found(source=_feed_source(final, document, feed, notes), feed=feed)
    try:
        return await _from_page(fetcher, document, notes)
    except SourceError:
        if gone is not None:
            raise gone from None
        raise


async def resolve_source(fetcher: Fetcher, url: str) -> ResolvedSource:
    """Where a URL's article list comes from: the URL as a feed, a discovered feed, or the page's listing."""
    return (await _resolve(fetcher, url)).source


async def resolve_and_list(fetcher: Fetcher, url: str) -> tuple[ResolvedSource, tuple[ArticleRef, ...]]:
    """resolve_source and latest in one pass: the feed or listing found is parsed once, not fetched twice."""
    found = await _resolve(fetcher, url)
    return found.source, _items(found)


def _url_of(source: SourceConfig | str) -> str:
    return source.url if isinstance(source, SourceConfig) else source


def _items(found: _Found) -> tuple[ArticleRef, ...]:
    return found.feed.items if found.feed is not None else found.listing


async def latest(
    fetcher: Fetcher, source: SourceConfig | str, *, limit: int | None = None
) -> list[ArticleRef]:
    """The newest articles of a source in the site's order, at most `limit` (else the source's own limit)."""
    return (await resolve_latest(fetcher, source, limit=limit))[1]


async def resolve_latest(
    fetcher: Fetcher,
    source: SourceConfig | str,
    *,
    limit: int | None = None,
    page: FetchedDocument | None = None,
) -> tuple[ResolvedSource, list[ArticleRef]]:
    """Where the source's list comes from and its newest articles, discovering once (a configured kind kept).

    `page`: the source URL's document if the caller has just fetched it, so it is not requested again.
    """
    if limit is None and isinstance(source, SourceConfig):
        limit = source.limit
    kind = source.kind if isinstance(source, SourceConfig) else None
    found = await _resolve(fetcher, _url_of(source), kind, page)
    items = list(_items(found))
    return found.source, items[:limit] if limit is not None and limit >= 0 else items


async def popular(fetcher: Fetcher, source: SourceConfig | str) -> PopularResult:
    """The popular posts on the site's home page (Blogger: on the newest post's page if not on the home).

    A page URL costs one request when its widget is there; the feed is only read for Blogger's fallback.
    """
    from termreader.popular import popular_posts

    notes: list[str] = []
    document, gone = await _start(fetcher, _url_of(source), notes)
    feed_items: tuple[ArticleRef, ...] | None = None
    if sniff_feed_kind(document.body) is not None:
        feed = await _parse(document)
        feed_items = feed.items
        page = await fetcher.fetch(feed.site_url or site_root(document.final_url or document.url))
    else:
        page = document
    home = page.final_url or page.url
    result = await popular_posts(fetcher, home, html=page.text)
    if not result.found and gone is not None:
        raise gone  # the configured URL is broken: say so rather than "no popular posts"
    if result.found or await asyncio.to_thread(detect_platform, page.text) != "blogger":
        return result
    if feed_items is None:
        try:
            feed_items = _items(await _from_page(fetcher, page, notes))
        except SourceError:
            return result
    if not feed_items:
        return result
    return await popular_posts(fetcher, home, html=page.text, newest_post_url=feed_items[0].url)


def source_from_argument(argument: str, config_file: Path) -> SourceConfig:
    """A CLI SOURCE: a URL, a configured source name, or a file path, in that order of checking."""
    text = argument.strip()
    if not text:
        raise SourceError("no source given: pass a configured source name, a URL or a file path")
    if "://" in text:
        return SourceConfig(name=text, url=text)
    try:
        from termreader.config import load_config
    except ImportError:  # config support not installed in this build: names cannot be resolved
        config = None
    else:
        config = load_config(config_file, create=False)
    if config is not None:
        named = config.source_named(text)
        if named is not None:
            return named
    if Path(text).expanduser().exists():
        return SourceConfig(name=text, url=text)
    hint = (
        f" (did you mean https://{text}?)" if "." in text and " " not in text and "/" not in text[:1] else ""
    )
    raise SourceError(f"'{text}' is not a configured source, a URL or an existing file{hint}")
