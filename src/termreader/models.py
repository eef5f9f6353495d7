"""The values passed between the core, the CLI and the UI."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

WORDS_PER_MINUTE = 230
"""Average adult silent reading speed for non-fiction, used for reading-time estimates."""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """A source as the user configured it."""

    name: str
    url: str
    kind: str | None = None
    """'feed', 'blogger', 'wordpress', 'html' … or None to detect."""
    limit: int | None = None
    """Most items to list; None means the global default."""
    refresh_minutes: int | None = None
    """Minimum minutes between background refreshes; None means the global default."""


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """One entry of an article list (latest or popular): enough to show it and open it."""

    title: str
    url: str
    published: datetime | None = None
    """Always timezone-aware when set."""
    author: str | None = None
    snippet: str | None = None
    thumbnail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "url": self.url,
            "published": _iso(self.published),
            "author": self.author,
            "snippet": self.snippet,
            "thumbnail": self.thumbnail,
        }


@dataclass(frozen=True, slots=True)
class Article:
    """An extracted article: metadata plus the cleaned body as Markdown."""

    title: str
    markdown: str
    url: str | None = None
    byline: str | None = None
    published: datetime | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    lead_image: str | None = None
    excerpt: str | None = None
    word_count: int = 0

    @property
    def reading_minutes(self) -> int:
        """Whole minutes to read, at least 1 for any non-empty article."""
        if self.word_count <= 0:
            return 0
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "byline": self.byline,
            "published": _iso(self.published),
            "site_name": self.site_name,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "language": self.language,
            "lead_image": self.lead_image,
            "excerpt": self.excerpt,
            "word_count": self.word_count,
            "reading_minutes": self.reading_minutes,
            "markdown": self.markdown,
        }


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed advertised by (or probed on) a page."""

    url: str
    kind: str
    """'rss', 'atom', 'json' or 'unknown' (sniffed later)."""
    title: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document turned into our values."""

    url: str
    kind: str
    """'rss', 'atom', 'rdf' or 'json'."""
    title: str | None
    site_url: str | None
    items: tuple[ArticleRef, ...]


@dataclass(frozen=True, slots=True)
class PopularResult:
    """What a source publishes as its popular posts, in the site's own order.

    `widget` names the structure found ('blogger-popularposts', 'wpp', 'wpp-rest', 'jetpack-top-posts',
    'generic'); when it is None the site publishes no popular list, which is not an error.
    """

    page_url: str
    items: tuple[ArticleRef, ...] = ()
    widget: str | None = None
    heading: str | None = None

    @property
    def found(self) -> bool:
        return self.widget is not None


@dataclass(frozen=True, slots=True)
class ResolvedSource:
    """What detection learnt about a source URL: where its article list comes from."""

    url: str
    """The URL the user gave (after redirects: the final one)."""
    kind: str
    """'feed' when the URL itself is a feed, else the platform: 'blogger', 'wordpress', 'ghost', 'substack',
    'hugo', 'jekyll', 'medium' or 'html'."""
    feed: FeedLink | None = None
    title: str | None = None
    home_url: str | None = None
    notes: tuple[str, ...] = field(default=())
