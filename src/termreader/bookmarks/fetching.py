"""Fetch and extract the articles of link-only bookmarks, a few at a time, keeping failures as links."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from termreader.bookmarks.store import Bookmark, BookmarkStore
from termreader.errors import TermreaderError
from termreader.extract import fetch_article
from termreader.fetch import Fetcher

DEFAULT_CONCURRENCY: Final = 4
"""Parallel article fetches: enough to hide latency, few enough not to hammer one blog's server."""


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A bookmark whose article could not be fetched; it stays a link to retry."""

    bookmark: Bookmark
    reason: str


Progress = Callable[[int, int, Bookmark, str | None], None]
"""(done, total, bookmark, error message or None) after each bookmark."""


async def fetch_bodies(
    store: BookmarkStore,
    bookmarks: Sequence[Bookmark],
    fetcher: Fetcher,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: Progress | None = None,
) -> list[FetchFailure]:
    """Fill in each bookmark's article; returns the failures (in the order given)."""
    slots = asyncio.Semaphore(max(1, concurrency))
    failures: dict[int, FetchFailure] = {}
    done = 0

    async def one(bookmark: Bookmark) -> None:
        nonlocal done
        error: str | None = None
        async with slots:
            try:
                article = await fetch_article(fetcher, bookmark.url)
                await asyncio.to_thread(store.fill_body, bookmark.id, article)
            except TermreaderError as exc:
                error = str(exc)
            except Exception as exc:  # a bug in extraction must not abort the other fetches
                error = f"{type(exc).__name__}: {exc}"
        if error is not None:
            failures[bookmark.id] = FetchFailure(bookmark, error)
        done += 1
        if progress is not None:
            progress(done, len(bookmarks), bookmark, error)

    await asyncio.gather(*(one(b) for b in bookmarks))
    return [failures[b.id] for b in bookmarks if b.id in failures]
