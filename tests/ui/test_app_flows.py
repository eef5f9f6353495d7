"""Pilot tests: keys in, then what is on screen and in the stores (cache, read state, config, bookmarks)."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from termreader.bookmarks.store import BookmarkStore
from termreader.cache import Cache
from termreader.config import Settings
from termreader.models import ArticleRef, PopularResult
from termreader.readstate import ReadState
from termreader.ui.app import TermreaderApp
from termreader.ui.article_list import ArticleList
from termreader.ui.heading_picker import HeadingPicker
from termreader.ui.help_screen import HelpScreen
from termreader.ui.labels import READ_MARK, SAVED_MARK, UNREAD_MARK, SourceStatus
from tests.ui.conftest import (
    HEARTH_LATEST,
    SIZE,
    AppFactory,
    article_for,
    screen_text,
    settle,
)


def titles(widget: ArticleList) -> list[str]:
    return [row.ref.title for row in widget.rows]


def prompt_text(widget: ArticleList, index: int) -> str:
    return str(widget.get_option_at_index(index).prompt)


async def wait_reader(app: TermreaderApp, pilot: object) -> None:
    """Let the reader finish laying out the article (bounded)."""
    for _ in range(100):
        await settle(app, pilot)
        if app.reader.layout_complete:
            return
    raise AssertionError("the reader never finished its layout")


async def open_first(app: TermreaderApp, pilot: object) -> None:
    await settle(app, pilot)
    await pilot.press("enter", "enter")  # type: ignore[attr-defined]
    await wait_reader(app, pilot)


class TestStartOffline:
    async def test_cached_lists_show_at_once_marked_stale(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert app.sources_list.statuses == {
                "Hearth & Field": SourceStatus(
                    "Hearth & Field", total=5, unread=5, state="stale", detail="2 h"
                ),
                "Plain Notes": SourceStatus("Plain Notes", total=2, unread=2, state="stale", detail="2 h"),
            }
            assert titles(app.query_one("#latest-list", ArticleList)) == [ref.title for ref in HEARTH_LATEST]
            text = screen_text(app)
            assert "5/5  stale 2 h" in text
            assert "Tending a Winter Garden" in text
            assert "2026-11-19 · Mara Quill" in text

    async def test_source_never_fetched_says_so(self, factory: AppFactory) -> None:
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert app.sources_list.status("Plain Notes").state == "new"
            assert "0/0  not fetched" in screen_text(app)

    async def test_no_sources_says_how_to_add_one(self, factory: AppFactory) -> None:
        factory.sources = []
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            text = screen_text(app)
            assert "No sources yet. Press Ctrl+P and choose" in text
            assert "source…' (or add them to" in text

    async def test_corrupt_cache_is_rebuilt_with_a_notice(self, seeded: AppFactory) -> None:
        seeded.paths.cache_db.write_bytes(b"scribbled over by something else\n" * 100)
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert "Cache rebuilt" in screen_text(app)
            assert app.sources_list.status("Hearth & Field").state == "new"
        assert any(p.name.startswith("cache.sqlite3.corrupt-") for p in seeded.paths.cache_dir.iterdir())


class TestLists:
    async def test_vim_keys_move_the_highlight(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("enter")
            articles = app.query_one("#latest-list", ArticleList)
            assert app.focused is articles
            await pilot.press("j", "j")
            assert articles.highlighted == 2
            await pilot.press("k")
            assert articles.highlighted == 1
            await pilot.press("G")
            assert articles.highlighted == 4
            await pilot.press("g")
            assert articles.highlighted == 0
            await pilot.press("ctrl+d")
            assert articles.highlighted is not None and articles.highlighted > 0
            await pilot.press("ctrl+u")
            assert articles.highlighted == 0

    async def test_sources_down_shows_the_other_source(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("j")
            assert app.current_source == "Plain Notes"
            assert titles(app.query_one("#latest-list", ArticleList)) == [
                "Quiet Mornings",
                "On Keeping a Ledger",
            ]

    async def test_popular_tab_keeps_the_site_order(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("p")
            assert app.active_tab == "popular"
            popular = app.query_one("#popular-list", ArticleList)
            assert app.focused is popular
            assert titles(popular) == [
                "Mending a Wool Jumper",
                "Tending a Winter Garden",
                "A Shelf of Old Radios",
            ]
            assert prompt_text(popular, 0).startswith(f"{UNREAD_MARK}1. Mending a Wool Jumper")
            assert "Most read this month" in screen_text(app)
            await pilot.press("escape", "j")
            assert app.current_source == "Plain Notes"
            assert titles(popular) == []
            assert "This site publishes no popular" in screen_text(app)
            await pilot.press("l")
            assert app.active_tab == "latest"

    async def test_slash_filters_as_you_type_and_escape_clears(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("slash", "w", "o", "o", "l")
            latest = app.query_one("#latest-list", ArticleList)
            assert titles(latest) == ["Mending a Wool Jumper"]
            await pilot.press("backspace", "backspace", "backspace", "backspace", "i", "v", "o")
            assert titles(latest) == ["Mending a Wool Jumper", "Notes on a Rainy Walk"]  # author Ivo Brand
            await pilot.press("enter")
            assert app.focused is latest
            await pilot.press("escape")
            assert len(titles(latest)) == 5
            assert not app.query_one("#filter").display

    async def test_tab_shift_tab_and_escape_move_between_panes(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert app.pane == "sources"
            await pilot.press("tab")
            assert app.pane == "articles"
            await pilot.press("tab")
            assert app.pane == "reader" and app.focused is app.reader
            await pilot.press("shift+tab")
            assert app.pane == "articles"
            await pilot.press("escape")
            assert app.pane == "sources"
            assert app.focused is not None and app.focused.id == "sources"

    async def test_web_text_is_shown_literally(self, factory: AppFactory) -> None:
        hostile = (
            ArticleRef(
                title="[@click=app.quit]x[/]", url="https://odd.example/1/", snippet="[b]not bold[/b]"
            ),
            ArticleRef(
                title="\x1b[31mred\x1b[0m [link=https://evil.example]here[/link]",
                url="https://odd.example/2/",
            ),
        )
        factory.seed_lists("Hearth & Field", hostile)
        factory.seed_article(
            replace(article_for(hostile[0]), title="[@click=app.quit]x[/]", byline="[i]me[/i]")
        )
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            text = screen_text(app)
            assert "[@click=app.quit]x[/]" in text
            assert "[b]not bold[/b]" in text
            assert "red [link=https://evil" in text  # the escape sequences are gone whole
            second = prompt_text(app.query_one("#latest-list", ArticleList), 1)
            assert second.startswith(f"{UNREAD_MARK}red [link=https://evil.example]here[/link]\n")
            assert "\x1b" not in text
            await pilot.press("enter", "enter")
            await wait_reader(app, pilot)
            await pilot.click("#reader", offset=(2, 0))
            await settle(app, pilot)
            assert app.is_running
            assert "[i]me[/i]" in screen_text(app)


class TestReading:
    async def test_enter_opens_the_cached_article_and_marks_it_read(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_first(app, pilot)
            assert app.article is not None and app.article.title == "Tending a Winter Garden"
            assert app.pane == "reader" and app.focused is app.reader
            text = screen_text(app)
            assert "Mara Quill · 19 November 2026 · Hearth & Field" in text
            assert "https://hearth.example/2026/11/post-1/" in text
            assert "A first paragraph of tending a winter garden" in text
            assert app.sources_list.status("Hearth & Field").unread == 4
            assert prompt_text(app.query_one("#latest-list", ArticleList), 0).startswith(
                READ_MARK + "Tending"
            )
        state = ReadState.open(seeded.paths.state_db)
        assert state.read_urls("Hearth & Field") == {HEARTH_LATEST[0].url}

    async def test_mouse_click_on_a_row_opens_it(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.click("#latest-list", offset=(6, 3))  # the second row: each row is three lines
            await wait_reader(app, pilot)
            assert app.article is not None and app.article.title == "The Slow Bread Diary"
            assert app.pane == "reader"
            await pilot.click("#sources", offset=(4, 2))  # the second source
            await settle(app, pilot)
            assert app.current_source == "Plain Notes"

    async def test_read_state_survives_a_restart(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_first(app, pilot)
        again = seeded.app()
        async with again.run_test(size=SIZE, notifications=True) as pilot:
            await settle(again, pilot)
            assert again.sources_list.status("Hearth & Field").unread == 4
            assert "4/5  stale 2 h" in screen_text(again)

    async def test_m_toggles_and_shift_a_marks_all_read(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("enter", "j", "m")
            assert app.read["Hearth & Field"] == {HEARTH_LATEST[1].url}
            assert app.sources_list.status("Hearth & Field").unread == 4
            await pilot.press("m")
            assert app.read["Hearth & Field"] == set()
            await pilot.press("A")
            assert app.sources_list.status("Hearth & Field").unread == 0
            await settle(app, pilot)
        assert ReadState.open(seeded.paths.state_db).read_urls("Hearth & Field") == {
            r.url for r in HEARTH_LATEST
        }

    async def test_m_in_the_reader_marks_the_open_article_unread(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_first(app, pilot)
            await pilot.press("m")
            assert app.read["Hearth & Field"] == set()
            assert app.sources_list.status("Hearth & Field").unread == 5

    async def test_y_copies_the_url(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("enter", "j", "y")
            assert app.clipboard == HEARTH_LATEST[1].url

    async def test_o_runs_the_browser_from_the_environment(
        self, seeded: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        opened = tmp_path / "opened.txt"
        script = tmp_path / "fake-browser"
        script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}.tmp" && mv "{opened}.tmp" "{opened}"\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv("BROWSER", str(script))
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_first(app, pilot)
            await pilot.press("o")
            for _ in range(200):
                if opened.exists():
                    break
                await asyncio.sleep(0.02)
        assert opened.read_text() == HEARTH_LATEST[0].url

    async def test_o_without_browser_or_display_says_what_to_do(
        self, seeded: AppFactory, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
            monkeypatch.delenv(name, raising=False)
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("enter", "o")
            await settle(app, pilot)
            if sys.platform.startswith("linux"):
                assert "no graphical browser here; set $BROWSER" in screen_text(app)

    async def test_t_lists_headings_and_jumps(self, factory: AppFactory) -> None:
        long = article_for(HEARTH_LATEST[0], paragraphs=60)
        factory.seed_lists("Hearth & Field", HEARTH_LATEST[:1])
        factory.seed_article(long)
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_first(app, pilot)
            await pilot.press("t")
            assert isinstance(app.screen, HeadingPicker)
            assert [h.text for h in app.screen.headings] == [
                "Getting started",
                "What we learnt",
                "Closing thoughts",
            ]
            await pilot.press("down", "enter")
            await settle(app, pilot)
            assert not isinstance(app.screen, HeadingPicker)
            target = app.reader.headings()[1].line
            assert round(app.reader.scroll_y) == target
            assert "What we learnt" in screen_text(app).splitlines()[1]

    async def test_find_highlights_and_n_moves(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_first(app, pilot)
            await pilot.press("f", *"sunrise")
            assert app.reader.match_count == 12
            assert "12 matches" in screen_text(app)
            await pilot.press("enter")
            assert app.focused is app.reader
            await pilot.press("n", "n")
            assert app.reader.match_count == 12

    async def test_follow_a_link_then_back_and_forward(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_first(app, pilot)
            await pilot.press("tab", "enter")
            await wait_reader(app, pilot)
            assert app.article is not None and app.article.title == "The Slow Bread Diary"
            assert "The Slow Bread Diary" in screen_text(app)
            await pilot.press("left_square_bracket")
            await wait_reader(app, pilot)
            assert app.article is not None and app.article.title == "Tending a Winter Garden"
            await pilot.press("right_square_bracket")
            await wait_reader(app, pilot)
            assert app.article is not None and app.article.title == "The Slow Bread Diary"
            await pilot.press("alt+left")
            await wait_reader(app, pilot)
            assert app.article is not None and app.article.title == "Tending a Winter Garden"
            # Both were in the source's list, so following the link marked the second one read too.
            assert app.read["Hearth & Field"] == {HEARTH_LATEST[0].url, HEARTH_LATEST[1].url}

    async def test_question_mark_shows_every_key(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            assert "filter the list as you type" in screen_text(app)
            await pilot.press("end")
            assert "back / forward in history" in screen_text(app)
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)

    async def test_bookmark_key_saves_and_removes(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("enter", "j", "b")
            await settle(app, pilot)
            latest = app.query_one("#latest-list", ArticleList)
            assert SAVED_MARK in prompt_text(latest, 1)
            store = app.services.bookmarks
            assert store is not None and store.is_saved(HEARTH_LATEST[1].url)
            await pilot.press("b")
            await settle(app, pilot)
            assert not store.is_saved(HEARTH_LATEST[1].url)
            assert SAVED_MARK not in prompt_text(latest, 1)

    async def test_shift_b_lists_bookmarks_and_opens_one_offline(self, seeded: AppFactory) -> None:
        from termreader.ui.bookmarks_screen import BookmarksScreen

        with BookmarkStore.open(seeded.paths.bookmarks_db) as store:
            store.save_article(article_for(HEARTH_LATEST[2]))
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("B")
            await settle(app, pilot)
            assert isinstance(app.screen, BookmarksScreen)
            app.screen.open_row(0)
            await wait_reader(app, pilot)
            assert not isinstance(app.screen, BookmarksScreen)
            assert app.article is not None and app.article.title == "Mending a Wool Jumper"
            assert app.pane == "reader"

    async def test_saved_marker_comes_from_the_store_on_start(self, seeded: AppFactory) -> None:
        with BookmarkStore.open(seeded.paths.bookmarks_db) as store:
            store.save_article(article_for(HEARTH_LATEST[3]))
        app = seeded.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            latest = app.query_one("#latest-list", ArticleList)
            assert [SAVED_MARK in prompt_text(latest, i) for i in range(5)] == [
                False,
                False,
                False,
                True,
                False,
            ]


class TestNarrow:
    async def test_one_pane_at_a_time_and_resize_keeps_place(self, seeded: AppFactory) -> None:
        app = seeded.app()
        async with app.run_test(size=(80, 30)) as pilot:
            await settle(app, pilot)

            def shown() -> list[str]:
                panes = ("sources", "articles", "reader")
                return [p for p in panes if app.query_one(f"#{p}-pane").display]

            assert app.narrow and shown() == ["sources"]
            await pilot.press("enter")
            assert shown() == ["articles"]
            await pilot.press("j", "j", "enter")
            await wait_reader(app, pilot)
            assert shown() == ["reader"]
            assert app.article is not None and app.article.title == "Mending a Wool Jumper"
            await pilot.press("space")
            await settle(app, pilot)
            position = app.reader.reading_position
            assert position > 0
            await pilot.resize_terminal(120, 36)
            await settle(app, pilot)
            assert not app.narrow and shown() == ["sources", "articles", "reader"]
            assert app.query_one("#latest-list", ArticleList).highlighted == 2
            assert app.reader.reading_position == pytest.approx(position, abs=0.1)
            await pilot.resize_terminal(80, 30)
            await settle(app, pilot)
            assert shown() == ["reader"]
            await pilot.press("escape")
            assert shown() == ["articles"]
            assert app.query_one("#latest-list", ArticleList).highlighted == 2
            await pilot.press("backspace")
            assert shown() == ["sources"]


class TestRefresh:
    async def test_failed_refresh_keeps_the_cached_list_with_a_notice(self, seeded: AppFactory) -> None:
        app = seeded.app(refresh_on_start=True)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            status = app.sources_list.status("Hearth & Field")
            assert (status.state, status.detail, status.total) == ("error", "offline", 5)
            assert len(titles(app.query_one("#latest-list", ArticleList))) == 5
            text = screen_text(app)
            assert "error: offline" in text
            assert "Could not refresh" in text

    async def test_refresh_from_a_live_site(self, factory: AppFactory, serve_site: object) -> None:
        site = serve_site("tui-blog")  # type: ignore[operator]
        factory.sources = [replace(factory.sources[0], url=site.url("/"))]
        app = factory.app(refresh_on_start=True)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert app.sources_list.status("Hearth & Field") == SourceStatus(
                "Hearth & Field", total=5, unread=5, state="fresh"
            )
            assert titles(app.query_one("#latest-list", ArticleList)) == [
                "Tending a Winter Garden",
                "The Slow Bread Diary",
                "Mending a Wool Jumper",
                "Notes on a Rainy Walk",
                "A Shelf of Old Radios",
            ]
            assert titles(app.query_one("#popular-list", ArticleList)) == [
                "Mending a Wool Jumper",
                "Tending a Winter Garden",
                "A Shelf of Old Radios",
                "The Slow Bread Diary",
            ]
            await pilot.press("enter", "enter")
            await wait_reader(app, pilot)
            assert "Cold frames, mulch and patience" in screen_text(app)
        cache = Cache.open(factory.paths.cache_db)
        cached = cache.get_list("Hearth & Field", "latest")
        assert cached is not None and len(cached.items) == 5
        assert cache.get_article(site.url("/2026/11/tending-a-winter-garden/")) is not None

    async def test_shift_r_refreshes_all_with_progress(self, factory: AppFactory, serve_site: object) -> None:
        site = serve_site("tui-blog")  # type: ignore[operator]
        factory.sources = [
            replace(factory.sources[0], url=site.url("/")),
            factory.sources[1],
            replace(factory.sources[0], name="Hearth feed", url=site.url("/feed/")),
        ]
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            assert app.refresh_progress == (3, 3)
            assert [s.state for s in app.sources_list.statuses.values()] == ["fresh", "error", "fresh"]
            assert app.sources_list.status("Hearth feed").total == 5
            assert "1 of 3 failed: Plain Notes" in screen_text(app)

    async def test_opening_another_article_cancels_the_first(
        self, factory: AppFactory, serve_site: object
    ) -> None:
        site = serve_site("tui-blog", latency=0.3)  # type: ignore[operator]
        first, second = (
            site.url("/2026/11/the-slow-bread-diary/"),
            site.url("/2026/10/a-shelf-of-old-radios/"),
        )
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            app.open_article(first)
            await pilot.pause()
            app.open_article(second)
            await wait_reader(app, pilot)
            assert app.article is not None and app.article.title == "A Shelf of Old Radios"
            assert app.services.cache.get_article(first) is None
            assert app.services.cache.get_article(second) is not None


class TestPalette:
    async def test_add_source_reports_each_step(self, factory: AppFactory, serve_site: object) -> None:
        site = serve_site("tui-blog")  # type: ignore[operator]
        factory.sources = []
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+p", *"Add source", "enter")
            await settle(app, pilot)
            await pilot.press(*site.url("/"), "tab", *"Hearth", "enter")
            await settle(app, pilot)
            text = screen_text(app)
            assert f"Found a rss feed: {site.url('/feed/')}" in text
            assert "Popular posts found (wpp, 4 items)" in text
            assert "Added 'Hearth' with 5 articles." in text
            await pilot.press("escape")
            await settle(app, pilot)
            assert list(app.sources_list.statuses) == ["Hearth"]
            assert len(titles(app.query_one("#latest-list", ArticleList))) == 5
        config_text = factory.paths.config_file.read_text()
        assert site.url("/") in config_text and 'name = "Hearth"' in config_text

    async def test_add_source_failure_is_said_in_the_dialog(self, factory: AppFactory) -> None:
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            app.action_add_source()
            await settle(app, pilot)
            await pilot.press(*"http://127.0.0.1:9/nothing/", "enter")
            await settle(app, pilot)
            assert "Not added:" in screen_text(app)
            assert [s.name for s in app.services.sources] == ["Hearth & Field", "Plain Notes"]

    async def test_remove_source_updates_config_and_list(self, factory: AppFactory) -> None:
        from termreader.config import add_source, load_config

        add_source(factory.paths.config_file, "https://hearth.example/", "Hearth & Field")
        add_source(factory.paths.config_file, "https://plain.example/", "Plain Notes")
        services = factory.services()
        services.config = load_config(factory.paths.config_file)
        app = TermreaderApp(replace(services, _sources=list(services.config.sources)), refresh_on_start=False)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            app.remove_source("Plain Notes")
            await settle(app, pilot)
            assert list(app.sources_list.statuses) == ["Hearth & Field"]
            assert "Removed Plain Notes" in screen_text(app)
        assert "plain.example" not in factory.paths.config_file.read_text()

    async def test_open_url_reads_any_page(self, factory: AppFactory, serve_site: object) -> None:
        site = serve_site("tui-blog")  # type: ignore[operator]
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            app.action_open_url()
            await settle(app, pilot)
            await pilot.press(*site.url("/2026/10/notes-on-a-rainy-walk/"), "enter")
            await wait_reader(app, pilot)
            assert app.article is not None and app.article.title == "Notes on a Rainy Walk"
            assert app.read == {"Hearth & Field": set(), "Plain Notes": set()}

    async def test_theme_switch_is_saved_in_the_config(self, factory: AppFactory) -> None:
        from termreader.config import load_config

        load_config(factory.paths.config_file)  # writes the commented template
        factory.settings = Settings(theme="termreader-light")
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert app.theme == "termreader-light"
            app.set_theme("termreader-paper")
            await settle(app, pilot)
        assert load_config(factory.paths.config_file).settings.theme == "termreader-paper"

    async def test_broken_user_theme_is_one_notification(self, factory: AppFactory) -> None:
        themes = factory.paths.user_themes_dir
        themes.mkdir(parents=True)
        (themes / "mine.toml").write_text('name = "mine"\nprimary = "not a colour"\n')
        factory.settings = Settings(theme="mine")
        app = factory.app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert app.theme == "termreader-dark"
            text = screen_text(app)
            assert "Some themes were not loaded" in text and "mine.toml" in text


def test_popular_result_not_found_is_not_an_error() -> None:
    assert PopularResult(page_url="https://plain.example/").found is False


def test_no_textual_in_services_import() -> None:
    import subprocess
    import sys

    modules = "termreader.services, termreader.cache, termreader.readstate"
    code = f"import sys, {modules}; sys.exit('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=os.environ
    )
    assert result.returncode == 0, result.stderr
