"""Refresh from the app: refresh-all through the concurrent refresher, the remembered feed URL kept by `r`."""

from __future__ import annotations

from dataclasses import replace

from termreader.cache import Cache
from termreader.refresher import FEED_KIND_KEY, FEED_URL_KEY
from termreader.ui.article_list import ArticleList
from termreader.ui.labels import SourceStatus
from tests.ui.conftest import SIZE, AppFactory, screen_text, settle

TUI_BLOG_LATEST = [
    "Tending a Winter Garden",
    "The Slow Bread Diary",
    "Mending a Wool Jumper",
    "Notes on a Rainy Walk",
    "A Shelf of Old Radios",
]
TUI_BLOG_POPULAR = [
    "Mending a Wool Jumper",
    "Tending a Winter Garden",
    "A Shelf of Old Radios",
    "The Slow Bread Diary",
]


class TestRefreshAll:
    async def test_start_refresh_remembers_the_feed_and_fills_popular(
        self, factory: AppFactory, serve_site: object
    ) -> None:
        site = serve_site("tui-blog")  # type: ignore[operator]
        factory.sources = [replace(factory.sources[0], url=site.url("/")), factory.sources[1]]
        app = factory.app(refresh_on_start=True)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert app.refresh_progress == (2, 2)
            assert app.sources_list.status("Hearth & Field") == SourceStatus(
                "Hearth & Field", total=5, unread=5, state="fresh"
            )
            plain = app.sources_list.status("Plain Notes")
            assert (plain.state, plain.detail) == ("error", "offline")
            assert [
                row.ref.title for row in app.query_one("#latest-list", ArticleList).rows
            ] == TUI_BLOG_LATEST
            # The Popular list of the source on screen is renewed right after the Latest lists.
            assert [
                row.ref.title for row in app.query_one("#popular-list", ArticleList).rows
            ] == TUI_BLOG_POPULAR
            text = screen_text(app)
            assert "Could not refresh 1 of 2 sources" in text
            assert "Plain Notes" in text
        cache = Cache.open(factory.paths.cache_db)
        try:
            cached = cache.get_list("Hearth & Field", "latest")
            assert cached is not None
            assert [ref.title for ref in cached.items] == TUI_BLOG_LATEST
            assert cached.meta[FEED_URL_KEY] == site.url("/feed/")
            assert cached.meta[FEED_KIND_KEY] == "rss"
        finally:
            cache.close()

    async def test_r_keeps_the_remembered_feed_url(self, factory: AppFactory, serve_site: object) -> None:
        site = serve_site("tui-blog")  # type: ignore[operator]
        factory.sources = [replace(factory.sources[0], url=site.url("/"))]
        app = factory.app(refresh_on_start=True)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("r")
            await settle(app, pilot)
            assert app.sources_list.status("Hearth & Field").state == "fresh"
        cache = Cache.open(factory.paths.cache_db)
        try:
            cached = cache.get_list("Hearth & Field", "latest")
            assert cached is not None
            assert [ref.title for ref in cached.items] == TUI_BLOG_LATEST
            assert cached.meta == {FEED_URL_KEY: site.url("/feed/"), FEED_KIND_KEY: "rss"}
        finally:
            cache.close()
