"""Refresh many sources into the cache the app reads: bounded concurrency, conditional GET, no re-parse.

A source's resolved feed URL, and the ETag / Last-Modified of the document its list came from, are remembered
in the meta of its cached "latest" list, so a second refresh asks the feed directly ("changed since?") instead
of rediscovering it, without touching the HTTP cache's files; a 304 keeps the cached list as it is.
Feed parsing runs in worker threads so the event loop (the UI's) never waits on lxml or feedparser.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from termreader.errors import HTTPStatusError, StoreError, TermreaderError, error_word
from termreader.models import ArticleRef, ParsedFeed, SourceConfig

if TYPE_CHECKING:
    from termreader.cache import Cache
    from termreader.fetch import FetchedDocument, Fetcher, Validators

LATEST_TAB: Final = "latest"
"""The cache tab the app's Latest list reads (services.Services uses the same key)."""
FEED_URL_KEY: Final = "feed_url"
"""Meta key of a cached latest list: the feed it came from (absent or None: an HTML listing)."""
FEED_KIND_KEY: Final = "feed_kind"
ETAG_KEY: Final = "etag"
"""Meta keys of a cached latest list: the validators of the document (feed or page) it was made from."""
LAST_MODIFIED_KEY: Final = "last_modified"
PARSE_WORKERS: Final = 1
"""Threads parsing feeds during a refresh. Parsing holds the GIL for most of its time, so more threads add
contention with the event loop rather than speed: in three side-by-side runs of benchmarks/bench_refresh.py
1, 2 and 4 threads were within the noise of each other (1 had the shortest stall in one run, 2 in another);
parsing inline or in a spawned process pool was worse. A pool of our own keeps parsing from queueing behind,
or in front of, the cache work in asyncio.to_thread's pool."""
_GONE: Final = frozenset({404, 410})
"""A remembered feed URL answering these has moved: rediscover it from the source URL."""

Clock = Callable[[], datetime]
Progress = Callable[[int, int], None]


class Outcome(Enum):
    """How one source's refresh ended."""

    UPDATED = "updated"
    NOT_MODIFIED = "not-modified"


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """What a refresh of many sources did, for the CLI's total line and the UI's notification."""

    ok: int
    """Sources refreshed (changed or unchanged)."""
    failed: tuple[tuple[str, str], ...]
    """(source name, one-line reason) per failed source, in the order the sources were given."""
    not_modified: int
    """Of `ok`, those whose feed answered 304 and whose cached list was kept."""
    elapsed: float
    """Wall-clock seconds."""
    failure_words: tuple[tuple[str, str], ...] = ()
    """(source name, one word: "HTTP 404", "timeout", "offline"…) per failed source, from the error's type."""

    @property
    def total(self) -> int:
        return self.ok + len(self.failed)


def describe(error: BaseException) -> str:
    """One line saying why a source failed (our errors carry a human message already)."""
    text = str(error) if isinstance(error, TermreaderError) else f"{type(error).__name__}: {error}"
    return " ".join(text.split()) or type(error).__name__


async def refresh_all(
    sources: Sequence[SourceConfig],
    *,
    fetcher: Fetcher,
    cache: Cache,
    clock: Clock,
    concurrency: int,
    on_progress: Progress | None = None,
    item_limit: int = 50,
    executor: Executor | None = None,
) -> RefreshReport:
    """Refresh every source, at most `concurrency` at a time; one failure never stops the others.

    `item_limit` applies to sources without their own `limit`; `executor` runs the feed parsing (None: a
    pool of PARSE_WORKERS threads for this refresh).
    """
    started = time.perf_counter()
    own_pool = ThreadPoolExecutor(PARSE_WORKERS, "termreader-parse") if executor is None else None
    if own_pool is not None:
        # Thread start-up waits for the new thread to run: under load that stalls the loop if done there.
        await asyncio.to_thread(_start_threads, own_pool, PARSE_WORKERS)
    refresher = _Refresher(fetcher, clock, item_limit, executor or own_pool)
    try:
        return await _refresh_all(sources, refresher, cache, concurrency, on_progress, started)
    finally:
        if own_pool is not None:
            own_pool.shutdown(wait=False, cancel_futures=True)


async def _refresh_all(
    sources: Sequence[SourceConfig],
    refresher: _Refresher,
    cache: Cache,
    concurrency: int,
    on_progress: Progress | None,
    started: float,
) -> RefreshReport:
    """The refresh itself, once the parse pool exists (refresh_all owns and closes it)."""
    total = len(sources)
    metas, _ = await asyncio.gather(
        asyncio.to_thread(cache.list_metas, LATEST_TAB), refresher.fetcher.prepare()
    )
    # lxml and the parsers load in a worker thread while the first requests wait for their answers: nothing
    # needs them before a body arrives (loading them first delayed every request by ~30–50 ms).
    refresher.parsers = asyncio.ensure_future(asyncio.to_thread(_import_parsers))
    writer = _BatchWriter(cache)
    slots = asyncio.Semaphore(max(1, concurrency))
    done = 0

    async def one(source: SourceConfig) -> Outcome | BaseException:
        nonlocal done
        try:
            async with slots:
                outcome, row = await refresher.refresh(source, metas.get(source.name))
            await writer.write(row)  # outside the slot: waiting for a commit must not hold a download back
            return outcome
        except Exception as error:  # each source fails alone; cancellation still propagates
            return error
        finally:
            done += 1
            if on_progress is not None:
                on_progress(done, total)

    try:
        outcomes = await asyncio.gather(*(one(source) for source in sources))
    finally:
        await writer.close()
        parsers = refresher.parsers
        await asyncio.wait([parsers])  # finished long before, unless every source failed first
        if not parsers.cancelled():
            parsers.exception()  # an import error already failed the sources that needed the parsers
    errors = [
        (source.name, outcome)
        for source, outcome in zip(sources, outcomes, strict=True)
        if isinstance(outcome, BaseException)
    ]
    return RefreshReport(
        ok=total - len(errors),
        failed=tuple((name, describe(error)) for name, error in errors),
        not_modified=sum(1 for outcome in outcomes if outcome is Outcome.NOT_MODIFIED),
        elapsed=time.perf_counter() - started,
        failure_words=tuple((name, error_word(error)) for name, error in errors),
    )


def _start_threads(pool: ThreadPoolExecutor, count: int) -> None:
    """Start the pool's threads now, from a worker thread (a pool starts them lazily, in submit())."""
    barrier = threading.Barrier(count)

    def meet() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2.0)

    for future in [pool.submit(meet) for _ in range(count)]:
        future.result()


async def _load_discovery() -> None:
    """Import termreader.sources (lxml.html, the listing readers) in a worker thread, not on the loop."""
    if "termreader.sources" not in sys.modules:
        await asyncio.to_thread(importlib.import_module, "termreader.sources")


def _import_parsers() -> None:
    """Import the feed parser in a worker thread (~30 ms with lxml), not on the event loop.

    Discovery (termreader.sources, with lxml.html and the listing readers) is imported only by a source that
    needs it: a refresh of feeds never does.
    """
    import termreader.feeds  # noqa: F401


Row = tuple[str, str, tuple[ArticleRef, ...] | None, datetime, dict[str, Any]]
"""One list to store: (source, tab, items, fetched_at, meta); items None keeps the stored ones (unchanged)."""


class _BatchWriter:
    """Stores lists in as few transactions as possible: whatever is pending when a commit ends goes next.

    One commit per source cost 200 WAL fsyncs per refresh (~1.2 s on the busy dev machine); batching makes it
    a handful, while each source still learns whether its own list was saved.
    """

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self._pending: list[tuple[Row, asyncio.Future[None]]] = []
        self._drain: asyncio.Task[None] | None = None

    async def write(self, row: Row) -> None:
        """Queue `row` and return once it is committed (raising what the commit raised)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((row, future))
        if self._drain is None or self._drain.done():
            self._drain = asyncio.create_task(self._run())
        await future

    async def _run(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await asyncio.to_thread(_store, self.cache, [row for row, _future in batch])
            except Exception as error:  # a full disk or a locked file fails this batch's sources only
                for _row, future in batch:
                    if not future.done():
                        future.set_exception(StoreError(self.cache.path, f"could not save the list: {error}"))
            else:
                for _row, future in batch:
                    if not future.done():
                        future.set_result(None)

    async def close(self) -> None:
        """Wait for the last commit."""
        if self._drain is not None and not self._drain.done():
            await self._drain


def _store(cache: Cache, rows: list[Row]) -> None:
    """One transaction: new lists written whole, unchanged ones only stamped (items not encoded again)."""
    cache.put_lists(
        [(source, tab, items, at, meta) for source, tab, items, at, meta in rows if items is not None],
        [(source, tab, at, meta) for source, tab, items, at, meta in rows if items is None],
    )


class _Refresher:
    """The per-source steps (fetch, parse, decide what to store), sharing one fetcher and parse executor."""

    def __init__(self, fetcher: Fetcher, clock: Clock, item_limit: int, executor: Executor | None) -> None:
        self.fetcher = fetcher
        self.clock = clock
        self.item_limit = item_limit
        self.executor = executor
        self.parsers: asyncio.Future[None] | None = None
        """The import of the parsers, started by refresh_all; awaited before the first look at a body."""

    async def refresh(self, source: SourceConfig, cached: dict[str, Any] | None) -> tuple[Outcome, Row]:
        """Ask the remembered feed first; rediscover only when there is none or it has gone.

        `cached`: the meta of the source's cached list (None when there is none).
        """
        remembered = cached.get(FEED_URL_KEY) if cached is not None else None
        if isinstance(remembered, str) and remembered and cached is not None:
            try:
                # The cached list is what a 304 keeps: no need to read back the remembered body.
                document = await self._fetch_feed(remembered, known=_known(cached))
            except HTTPStatusError as error:
                if error.status not in _GONE or remembered == source.url:
                    raise
            else:
                found = await self._from_feed_document(source, document, cached)
                if found is not None:
                    return found
        return await self._discover(source, cached)

    async def _fetch_feed(self, url: str, *, known: Validators | None) -> FetchedDocument:
        """The remembered feed, conditional on the validators in the list's meta (else the HTTP cache's)."""
        from termreader.fetch import FEED_ACCEPT

        return await self.fetcher.fetch(
            url, conditional=True, accept=FEED_ACCEPT, body_needed=False, known=known
        )

    async def _from_feed_document(
        self, source: SourceConfig, document: FetchedDocument, cached: dict[str, Any] | None
    ) -> tuple[Outcome, Row] | None:
        """Keep the cached list on a 304, else parse; None when the body is not a feed."""
        if document.not_modified and cached is not None and cached.get(FEED_URL_KEY) == document.url:
            # Stamped fresh (the app labels lists by the age of `fetched_at`), its items kept as stored.
            meta = _with_validators(cached, document)
            return Outcome.NOT_MODIFIED, (source.name, LATEST_TAB, None, self.clock(), meta)
        if self.parsers is not None:
            await self.parsers  # imported in a worker thread, never on the event loop
        from termreader.feeds import sniff_feed_kind

        if sniff_feed_kind(document.body) is None:
            return None
        feed = await self._parse(document)
        meta = _with_validators({FEED_URL_KEY: document.url, FEED_KIND_KEY: feed.kind}, document)
        return Outcome.UPDATED, self._row(source, feed.items, meta)

    async def _parse(self, document: FetchedDocument) -> ParsedFeed:
        from termreader.feeds import parse_feed

        content_type = f"{document.content_type or 'application/xml'}; charset={document.encoding}"
        base = document.final_url or document.url
        # The text fetch decoded already: the parser need not decode the body a second time.
        work = partial(parse_feed, document.body, base, content_type, text=document.text)
        if self.executor is None:
            return await asyncio.to_thread(work)
        return await asyncio.get_running_loop().run_in_executor(self.executor, work)

    def _row(self, source: SourceConfig, items: Sequence[ArticleRef], meta: dict[str, Any]) -> Row:
        limit = source.limit or self.item_limit
        kept = tuple(items[:limit]) if limit > 0 else tuple(items)
        return source.name, LATEST_TAB, kept, self.clock(), meta

    async def _discover(self, source: SourceConfig, cached: dict[str, Any] | None) -> tuple[Outcome, Row]:
        """The source URL itself when it is a feed (one request); else the full discovery of `sources`."""
        # Never refreshed: nothing to revalidate, and the validators go into the list's meta, not the HTTP
        # cache (whose body file and hash cost more than the rest of storing a feed). A page known to have
        # no feed is revalidated with the validators kept beside its list.
        listing = cached is not None and bool(cached.get(FEED_KIND_KEY)) and not cached.get(FEED_URL_KEY)
        known = _known(cached) if cached is not None and listing else None
        try:
            document = await self.fetcher.fetch(source.url, conditional=cached is not None, known=known)
        except HTTPStatusError as error:
            if error.status not in _GONE:
                raise
            document = None  # a feed URL that has gone: `sources` falls back to the site's home page
        if document is not None:
            found = await self._from_feed_document(source, document, cached)
            if found is not None:
                return found
            if cached is not None and listing:
                return await self._listing(source, document, cached)
        # Discovery (or the configured kind): the page's feeds, the usual feed paths, else its article list;
        # the feed found is parsed once there, and the page fetched above is not requested again.
        await _load_discovery()
        from termreader import sources as adapters

        limit = source.limit or self.item_limit
        resolved, items = await adapters.resolve_latest(self.fetcher, source, limit=limit, page=document)
        if resolved.feed is not None:
            meta: dict[str, Any] = {FEED_URL_KEY: resolved.feed.url, FEED_KIND_KEY: resolved.feed.kind}
        else:
            meta = {FEED_URL_KEY: None, FEED_KIND_KEY: resolved.kind}
            if document is not None:
                meta = _with_validators(meta, document)  # the source's page, revalidated next time
        return Outcome.UPDATED, self._row(source, items, meta)

    async def _listing(
        self, source: SourceConfig, page: FetchedDocument, cached: dict[str, Any]
    ) -> tuple[Outcome, Row]:
        """A source known to have no feed: an unchanged page keeps its list, a changed one is read again."""
        if page.not_modified:
            meta = _with_validators(cached, page)
            return Outcome.NOT_MODIFIED, (source.name, LATEST_TAB, None, self.clock(), meta)
        await _load_discovery()
        from termreader import sources as adapters

        limit = source.limit or self.item_limit
        _resolved, items = await adapters.resolve_latest(self.fetcher, source, limit=limit, page=page)
        return Outcome.UPDATED, self._row(source, items, _with_validators(cached, page))


def _known(meta: dict[str, Any]) -> Validators | None:
    """The validators kept in a list's meta; None (use the HTTP cache's) for lists stored without them."""
    from termreader.fetch import Validators

    etag, last_modified = meta.get(ETAG_KEY), meta.get(LAST_MODIFIED_KEY)
    etag = etag if isinstance(etag, str) and etag else None
    last_modified = last_modified if isinstance(last_modified, str) and last_modified else None
    if etag is None and last_modified is None:
        return None
    return Validators(etag, last_modified)


def _with_validators(meta: dict[str, Any], document: FetchedDocument) -> dict[str, Any]:
    """`meta` with the document's validators (those absent are dropped: a stale one must not be sent)."""
    updated = {key: value for key, value in meta.items() if key not in (ETAG_KEY, LAST_MODIFIED_KEY)}
    if document.etag:
        updated[ETAG_KEY] = document.etag
    if document.last_modified:
        updated[LAST_MODIFIED_KEY] = document.last_modified
    return updated
