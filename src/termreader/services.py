"""The one facade the UI talks to: config, HTTP, cache, read state and a clock, all injectable by tests.

Heavy libraries (httpx, feedparser, readability, markdownify) are imported lazily inside the async methods, so
building the app and painting the cached lists never waits for them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from termreader.cache import Cache
from termreader.errors import SourceError, TermreaderError, error_word
from termreader.models import Article, ArticleRef, PopularResult, ResolvedSource, SourceConfig
from termreader.paths import AppPaths
from termreader.readstate import ReadState
from termreader.textutil import normalize_url

if TYPE_CHECKING:
    from termreader.bookmarks.store import BookmarkStore
    from termreader.config import Config
    from termreader.fetch import Fetcher
    from termreader.refresher import Progress, RefreshReport

Clock = Callable[[], datetime]
"""Returns the current aware time; tests pass a fixed one so 'stale, 2 h' labels are stable."""


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SourceSnapshot:
    """A source's lists as the UI shows them: fresh from a refresh, or cached with their age."""

    latest: tuple[ArticleRef, ...] = ()
    popular: PopularResult | None = None
    fetched_at: datetime | None = None
    """When `latest` was fetched (None: never)."""
    error: str | None = None
    """One-word reason the last refresh failed (None: it worked or none ran)."""
    message: str | None = None
    """The full error message, for a notification."""
    popular_error: str | None = None
    latest_keys: frozenset[str] | None = None
    """Normalized URLs of `latest`, computed off the UI loop (normalizing 4,000 URLs there took ~200 ms);
    None when not computed (`keys()` then computes them)."""

    def keys(self) -> frozenset[str]:
        """Normalized URLs of the Latest list, as read state stores them."""
        if self.latest_keys is not None:
            return self.latest_keys
        return frozenset(normalize_url(ref.url) for ref in self.latest)


def with_latest(
    snapshot: SourceSnapshot, items: tuple[ArticleRef, ...], fetched_at: datetime
) -> SourceSnapshot:
    """`snapshot` with a new Latest list (and its URL keys, computed here: call it off the UI loop)."""
    keys = frozenset(normalize_url(ref.url) for ref in items)
    return replace(snapshot, latest=items, fetched_at=fetched_at, latest_keys=keys)


@dataclass(frozen=True, slots=True)
class AddedSource:
    """What adding a source detected, for the live feedback of the add-source dialog."""

    source: SourceConfig
    resolved: ResolvedSource
    latest_count: int
    popular: PopularResult | None


@dataclass(slots=True)
class Services:
    """Everything the UI needs from the core, in one object passed into the App."""

    paths: AppPaths
    config: Config
    cache: Cache
    readstate: ReadState
    clock: Clock = system_clock
    demo: bool = False
    """In demo mode the sources live in memory only and the config file is never written."""
    bookmarks: BookmarkStore | None = None
    """The bookmark store; None when it could not be opened (`bookmarks_error` says why)."""
    bookmarks_error: str | None = None
    _fetcher: Fetcher | None = field(default=None, repr=False)
    _sources: list[SourceConfig] = field(default_factory=list, repr=False)
    _warm: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self._sources = list(self.config.sources)

    @classmethod
    def create(
        cls,
        paths: AppPaths,
        config_override: Config | None = None,
        demo: Any = None,
        clock: Clock = system_clock,
    ) -> Services:
        """Open config, cache and state for `paths`; `demo` (DemoSites) replaces the configured sources."""
        from termreader.config import Config, Settings, load_config

        if demo is not None:
            base = config_override or Config(path=paths.config_file, settings=Settings(), sources=())
            config = replace(base, sources=tuple(demo.sources))
        elif config_override is not None:
            config = config_override
        else:
            config = load_config(paths.config_file, create=True)
        cache = Cache.open(paths.cache_db)
        readstate = ReadState.open(paths.state_db)
        bookmarks, bookmarks_error = _open_bookmarks(paths)
        return cls(
            paths=paths,
            config=config,
            cache=cache,
            readstate=readstate,
            clock=clock,
            demo=demo is not None,
            bookmarks=bookmarks,
            bookmarks_error=bookmarks_error,
        )

    @property
    def sources(self) -> list[SourceConfig]:
        return list(self._sources)

    def source_named(self, name: str) -> SourceConfig | None:
        return next((source for source in self._sources if source.name == name), None)

    async def warm_up(self) -> None:
        """Import the network and parsing stack in a thread, so the first refresh never stalls the UI.

        httpx, lxml, feedparser and readability take a few hundred ms to import on a slow machine; an
        import inside an async worker would run on the event loop and freeze typing and scrolling meanwhile.
        """
        if self._warm:
            return

        def load() -> None:
            import termreader.extract
            import termreader.fetch
            import termreader.refresher
            import termreader.sources  # noqa: F401

        await asyncio.to_thread(load)
        self._warm = True

    async def fetcher(self) -> Fetcher:
        """The shared HTTP client, created on first use (importing httpx costs ~100 ms at launch)."""
        if self._fetcher is None:
            await self.warm_up()
            from termreader.fetch import Fetcher

            settings = self.config.settings
            self._fetcher = Fetcher(
                cache_dir=self.paths.http_cache_dir,
                **settings.fetcher_options(),
            )
        return self._fetcher

    async def aclose(self) -> None:
        if self._fetcher is not None:
            closer = getattr(self._fetcher, "aclose", None)
            if closer is not None:
                await closer()
            self._fetcher = None
        self.cache.close()
        self.readstate.close()
        if self.bookmarks is not None:
            self.bookmarks.close()

    # --- lists ------------------------------------------------------------------------------

    def cached_snapshot_now(self, source: SourceConfig) -> SourceSnapshot:
        """The cached lists of `source`, read in the calling thread (one row: for the app's first frame)."""
        latest = self.cache.get_list(source.name, "latest")
        popular = self.cache.get_popular(source.name)
        items = latest.items if latest else ()
        return SourceSnapshot(
            latest=items,
            popular=popular[0] if popular else None,
            fetched_at=latest.fetched_at if latest else None,
            latest_keys=frozenset(normalize_url(ref.url) for ref in items),
        )

    async def cached_lists(self, source: SourceConfig) -> SourceSnapshot:
        """The cached lists of `source` (empty, fetched_at None, when it was never fetched)."""
        return await asyncio.to_thread(self.cached_snapshot_now, source)

    async def cached_snapshots(self, sources: list[SourceConfig]) -> dict[str, SourceSnapshot]:
        """The cached lists of many sources in one worker-thread hop (launch reads all of them)."""

        def read() -> dict[str, SourceSnapshot]:
            return {source.name: self.cached_snapshot_now(source) for source in sources}

        return await asyncio.to_thread(read)

    async def refresh_source(self, source: SourceConfig) -> SourceSnapshot:
        """Fetch both lists; on failure keep the cached ones and say why in `error`."""
        fetcher = await self.fetcher()
        from termreader import sources as adapters

        limit = source.limit or self.config.settings.item_limit
        results: list[Any] = list(
            await asyncio.gather(
                adapters.latest(fetcher, source, limit=limit),
                adapters.popular(fetcher, source),
                return_exceptions=True,
            )
        )
        latest_result, popular_result = results
        now = self.clock()
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, Exception):
                raise result  # cancellation and interrupts must propagate
        cached_latest = await asyncio.to_thread(self.cache.get_list, source.name, "latest")
        snapshot = await self.cached_lists(source)
        if isinstance(latest_result, Exception):
            snapshot = replace(snapshot, error=error_word(latest_result), message=_describe(latest_result))
        else:
            items = tuple(latest_result)
            # The feed URL remembered by the refresher (its meta) lets the next refresh ask the feed directly.
            meta = cached_latest.meta if cached_latest is not None else None
            await asyncio.to_thread(self.cache.put_list, source.name, "latest", items, now, meta)
            snapshot = await asyncio.to_thread(with_latest, snapshot, items, now)
        return await self._store_popular(source, snapshot, popular_result, now)

    async def _store_popular(
        self, source: SourceConfig, snapshot: SourceSnapshot, result: Any, now: datetime
    ) -> SourceSnapshot:
        if isinstance(result, Exception):
            return replace(snapshot, popular_error=error_word(result))
        await asyncio.to_thread(self.cache.put_popular, source.name, result, now)
        return replace(snapshot, popular=result, popular_error=None)

    async def refresh_popular(self, source: SourceConfig) -> SourceSnapshot:
        """Fetch only the Popular list (refresh-all renews the Latest lists through the refresher)."""
        fetcher = await self.fetcher()
        from termreader import sources as adapters

        try:
            result: Any = await adapters.popular(fetcher, source)
        except Exception as error:  # the adapters' own failures; cancellation propagates
            result = error
        snapshot = await self.cached_lists(source)
        return await self._store_popular(source, snapshot, result, self.clock())

    async def refresh_many(
        self, sources: list[SourceConfig], on_progress: Progress | None = None
    ) -> RefreshReport:
        """The Latest lists of `sources` through the concurrent refresher (conditional GET, batched)."""
        fetcher = await self.fetcher()
        from termreader.refresher import refresh_all

        settings = self.config.settings
        return await refresh_all(
            sources,
            fetcher=fetcher,
            cache=self.cache,
            clock=self.clock,
            concurrency=settings.max_connections,
            on_progress=on_progress,
            item_limit=settings.item_limit,
        )

    # --- articles ---------------------------------------------------------------------------

    def cached_article_now(self, url: str) -> Article | None:
        """The cached article at `url`, read in the calling thread (one row: opening must not wait a hop)."""
        cached = self.cache.get_article(url)
        return cached.article if cached else None

    async def cached_article(self, url: str) -> Article | None:
        cached = await asyncio.to_thread(self.cache.get_article, url)
        return cached.article if cached else None

    async def article(self, url: str, *, offline_ok: bool = True) -> Article:
        """The article at `url`: from the cache when there (and `offline_ok`), else fetched and extracted."""
        if offline_ok:
            cached = await self.cached_article(url)
            if cached is not None:
                return cached
        fetcher = await self.fetcher()
        from termreader.extract import fetch_article

        article = await fetch_article(fetcher, url)
        if not article.url:
            article = replace(article, url=url)
        await asyncio.to_thread(self.cache.put_article, url, article, self.clock())
        return article

    # --- sources ----------------------------------------------------------------------------

    async def add_source(
        self, url: str, name: str | None = None, progress: Callable[[str], None] | None = None
    ) -> AddedSource:
        """Detect what `url` offers, then save it (in memory only in demo mode)."""

        def say(text: str) -> None:
            if progress is not None:
                progress(text)

        fetcher = await self.fetcher()
        from termreader import sources as adapters

        say(f"Looking for a feed at {url}…")
        resolved = await adapters.resolve_source(fetcher, url)
        if resolved.feed is not None:
            say(f"Found a {resolved.feed.kind} feed: {resolved.feed.url} ({resolved.kind})")
        else:
            say(f"No feed advertised; reading it as {resolved.kind}")
        chosen = name or resolved.title or resolved.url
        if self.source_named(chosen) is not None:
            raise SourceError(f"a source named '{chosen}' already exists")
        if self.demo:
            source = SourceConfig(name=chosen, url=resolved.url, kind=resolved.kind)
        else:
            from termreader.config import add_source, load_config

            source = await asyncio.to_thread(add_source, self.config.path, url, chosen, resolved.kind)
            self.config = await asyncio.to_thread(partial(load_config, self.config.path, create=False))
        self._sources = [s for s in self._sources if s.name != source.name] + [source]
        say("Checking for popular posts…")
        snapshot = await self.refresh_source(source)
        popular = snapshot.popular
        if popular is not None and popular.found:
            say(f"Popular posts found ({popular.widget}, {len(popular.items)} items)")
        else:
            say("This site publishes no popular posts")
        return AddedSource(
            source=source, resolved=resolved, latest_count=len(snapshot.latest), popular=popular
        )

    async def remove_source(self, name: str) -> None:
        if not self.demo:
            from termreader.config import load_config, remove_source

            await asyncio.to_thread(remove_source, self.config.path, name)
            self.config = await asyncio.to_thread(partial(load_config, self.config.path, create=False))
        self._sources = [s for s in self._sources if s.name != name]
        await asyncio.to_thread(self.cache.forget_source, name)

    async def save_theme(self, theme: str) -> None:
        if self.demo:
            return
        from termreader.config import save_theme

        await asyncio.to_thread(save_theme, self.config.path, theme)

    # --- read state -------------------------------------------------------------------------

    async def read_urls(self, source: str) -> set[str]:
        return await asyncio.to_thread(self.readstate.read_urls, source)

    async def read_all(self) -> dict[str, set[str]]:
        """Every source's read URLs, in one query."""
        return await asyncio.to_thread(self.readstate.read_all)

    async def mark_read(self, source: str, urls: list[str]) -> None:
        await asyncio.to_thread(self.readstate.mark_read, source, urls, self.clock())

    async def mark_unread(self, source: str, urls: list[str]) -> None:
        await asyncio.to_thread(self.readstate.mark_unread, source, urls)

    async def mark_all_read(self, source: SourceConfig) -> None:
        snapshot = await self.cached_lists(source)
        urls = [ref.url for ref in snapshot.latest]
        if snapshot.popular is not None:
            urls += [ref.url for ref in snapshot.popular.items]
        await self.mark_read(source.name, urls)

    @staticmethod
    def url_key(url: str) -> str:
        """The form read state and the cache compare URLs in."""
        return normalize_url(url)


def _describe(error: Exception) -> str:
    if isinstance(error, TermreaderError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _open_bookmarks(paths: AppPaths) -> tuple[BookmarkStore | None, str | None]:
    """The bookmark store, or None and the reason: the reader still works without bookmarks."""
    from termreader.bookmarks.store import BookmarkStore

    try:
        return BookmarkStore.open(paths.bookmarks_db), None
    except TermreaderError as error:
        return None, str(error)
