"""The bookmarks screen in a small host app: search, filters, open, edit, delete with undo, snapshots."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select

from termreader.bookmarks.store import BookmarkDraft, BookmarkStore
from termreader.models import Article
from termreader.paths import AppPaths
from termreader.ui.bookmarks_screen import BookmarksScreen, EditBookmarkScreen, Row, row_prompt

SIZE = (100, 30)

LIBRARY = [
    BookmarkDraft(
        url="https://harbour-notes.example/posts/quiet-harbour/",
        title="The quiet harbour at dawn",
        byline="Maren Holt",
        site="Harbour Notes",
        saved_at=datetime(2024, 4, 3, 7, 0, tzinfo=UTC),
        source="Harbour Notes",
        tags=("sea", "mornings"),
        markdown="Before the first ferry leaves, the harbour belongs to the gulls and to the men who mend "
        "nets on the slipway. Low tide uncovers a brass compass.",
    ),
    BookmarkDraft(
        url="https://harbour-notes.example/posts/lighthouse-keepers/",
        title="Letters from the lighthouse keepers",
        site="Harbour Notes",
        saved_at=datetime(2024, 4, 10, 9, 0, tzinfo=UTC),
        source="Harbour Notes",
        tags=("sea", "history"),
        markdown="One keeper, writing in 1931, describes a whale surfacing beside the landing stage.",
    ),
    BookmarkDraft(
        url="https://cafe-lisboa.example/pasteis",
        title="Pastéis de nata, ranked [bold red]not markup[/]",
        site="Café Lisboa",
        saved_at=datetime(2024, 4, 12, 18, 30, tzinfo=UTC),
        source="Café Lisboa",
        tags=("food",),
        note="try the one near the tram stop",
        markdown="We tasted twelve custard tarts across Lisbon; the harbour café won. [@click=app.quit]x[/]",
    ),
]
LINK_ONLY = [
    BookmarkDraft(
        url="https://night-sky.example/meteor-showers-guide",
        title="A guide to meteor showers",
        saved_at=datetime(2024, 4, 14, 21, 0, tzinfo=UTC),
        tags=("later",),
    ),
]


class Host(App[None]):
    """Just enough app to show the screen and record what it asks the app to open."""

    def __init__(self, store: BookmarkStore) -> None:
        super().__init__()
        self.store = store
        self.opened: list[Article] = []

    def on_mount(self) -> None:
        self.push_screen(BookmarksScreen(self.store))

    def on_bookmarks_screen_bookmark_opened(self, message: BookmarksScreen.BookmarkOpened) -> None:
        self.opened.append(message.article)


@pytest.fixture
def store(isolated_dirs: AppPaths) -> Iterator[BookmarkStore]:
    opened = BookmarkStore.open(isolated_dirs.bookmarks_db)
    yield opened
    opened.close()


@pytest.fixture
def library(store: BookmarkStore) -> BookmarkStore:
    store.import_many(LIBRARY)
    return store


async def settle(app: App[Any], pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def screen(app: App[Any]) -> BookmarksScreen:
    assert isinstance(app.screen, BookmarksScreen)
    return app.screen


def titles(app: App[Any]) -> list[str]:
    return [row.bookmark.title for row in screen(app).rows]


async def test_lists_newest_first_and_filters_as_you_type(library: BookmarkStore) -> None:
    app = Host(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert titles(app) == [
            "Pastéis de nata, ranked [bold red]not markup[/]",
            "Letters from the lighthouse keepers",
            "The quiet harbour at dawn",
        ]
        assert screen(app).status == "3 bookmarks"
        await pilot.press(*"harb")
        await settle(app, pilot)
        assert titles(app) == [  # the title match ranks first; the others say "Harbour" in site or body
            "The quiet harbour at dawn",
            "Letters from the lighthouse keepers",
            "Pastéis de nata, ranked [bold red]not markup[/]",
        ]
        assert screen(app).status == "3 results for “harb”"
        first = screen(app).rows[0]
        assert first.snippet is not None
        assert [first.snippet[s:e] for s, e in first.highlights] == ["harbour"]
        await pilot.press(*"our -cafe")
        await settle(app, pilot)
        assert titles(app) == ["The quiet harbour at dawn", "Letters from the lighthouse keepers"]
        await pilot.press(*' "NEAR(zeppelin')
        await settle(app, pilot)
        assert screen(app).status == 'No bookmarks match “harbour -cafe "NEAR(zeppelin”'


async def test_filter_by_tag_and_source(library: BookmarkStore) -> None:
    app = Host(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tag = app.screen.query_one("#bookmarks-tag", Select)
        assert [str(prompt) for prompt, _ in tag._options[1:]] == [
            "sea (2)",
            "food (1)",
            "history (1)",
            "mornings (1)",
        ]
        tag.value = "history"
        await settle(app, pilot)
        assert titles(app) == ["Letters from the lighthouse keepers"]
        assert screen(app).status == "1 bookmark in history"
        tag.clear()
        source = app.screen.query_one("#bookmarks-source", Select)
        source.value = "Café Lisboa"
        await settle(app, pilot)
        assert titles(app) == ["Pastéis de nata, ranked [bold red]not markup[/]"]


async def test_enter_opens_the_saved_article_without_network(library: BookmarkStore) -> None:
    app = Host(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(*"whale", "enter", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, BookmarksScreen)
        (article,) = app.opened
        assert (article.title, article.url, article.site_name) == (
            "Letters from the lighthouse keepers",
            "https://harbour-notes.example/posts/lighthouse-keepers/",
            "Harbour Notes",
        )
        assert article.markdown == LIBRARY[1].markdown


async def test_a_link_only_bookmark_opens_with_an_explanation(store: BookmarkStore) -> None:
    store.import_many(LINK_ONLY)
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        (article,) = app.opened
        assert article.markdown == (
            "*This bookmark was saved as a link; its article has not been fetched yet.* "
            "Run `termreader bookmarks fetch` when online.\n\n<https://night-sky.example/meteor-showers-guide>"
        )


async def test_edit_tags_and_note(library: BookmarkStore) -> None:
    app = Host(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "e")
        await pilot.pause()
        assert isinstance(app.screen, EditBookmarkScreen)
        assert app.screen.query_one("#edit-tags", Input).value == "sea, history"
        app.screen.query_one("#edit-tags", Input).value = "sea, archive, whales"
        app.screen.query_one("#edit-note", Input).value = "ask the harbour office for the 1931 letters"
        app.screen.query_one("#edit-note", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        saved = library.get("https://harbour-notes.example/posts/lighthouse-keepers/")
        assert saved is not None
        assert (saved.tags, saved.note) == (
            ("sea", "archive", "whales"),
            "ask the harbour office for the 1931 letters",
        )
        assert titles(app)[1] == "Letters from the lighthouse keepers"
        assert screen(app).rows[1].bookmark.tags == ("sea", "archive", "whales")
        # Esc in the dialog changes nothing
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#edit-tags", Input).value = "gone"
        await pilot.press("escape")
        await settle(app, pilot)
        assert library.get(saved.id) == saved


async def test_delete_then_undo(library: BookmarkStore) -> None:
    app = Host(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = library.get("https://harbour-notes.example/posts/lighthouse-keepers/")
        await pilot.press("down", "down", "d")
        await settle(app, pilot)
        assert titles(app) == ["Pastéis de nata, ranked [bold red]not markup[/]", "The quiet harbour at dawn"]
        assert library.count() == 2
        assert [n.message for n in app._notifications] == [
            "Deleted “Letters from the lighthouse keepers” — press u to undo"
        ]
        await pilot.press("u")
        await settle(app, pilot)
        assert library.count() == 3
        assert library.get("https://harbour-notes.example/posts/lighthouse-keepers/") == before
        assert len(titles(app)) == 3
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BookmarksScreen)
        assert app.opened == []


def test_hostile_titles_are_literal_text() -> None:
    draft = LIBRARY[2]
    from termreader.bookmarks.store import Bookmark

    bookmark = Bookmark(
        id=1,
        url=draft.url,
        title="Evil \x1b]0;pwned\x07 title [@click=app.quit]x[/]",
        byline=None,
        site="S",
        published=None,
        saved_at=datetime(2024, 1, 1, tzinfo=UTC),
        source=None,
        tags=(),
        note="",
        read=False,
        markdown="",
        word_count=0,
    )
    prompt = row_prompt(Row(bookmark, "a [b]snippet[/b] \x1b[31mred", ((2, 5),)))
    assert (
        prompt.plain == "Evil title [@click=app.quit]x[/]\nS · 2024-01-01 · link only\na [b]snippet[/b] red"
    )
    assert [(span.start, span.end) for span in prompt.spans if "bold $text-accent" in str(span.style)] == [
        (prompt.plain.index("[b]"), prompt.plain.index("[b]") + 3)
    ]


# --- snapshots ----------------------------------------------------------------------------------

SnapCompare = Callable[..., bool]


def _run(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot.app, pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot.app, pilot)
        pilot.app.screen.query_one("#bookmarks-search", Input).cursor_blink = False

    return before


class TestBookmarksSnapshots:
    def test_empty(self, snap_compare: SnapCompare, store: BookmarkStore) -> None:
        assert snap_compare(Host(store), terminal_size=SIZE, run_before=_run())

    def test_results_with_highlights(self, snap_compare: SnapCompare, library: BookmarkStore) -> None:
        assert snap_compare(Host(library), terminal_size=SIZE, run_before=_run(*"harbour"))

    def test_no_results(self, snap_compare: SnapCompare, library: BookmarkStore) -> None:
        assert snap_compare(Host(library), terminal_size=SIZE, run_before=_run(*"zeppelin"))

    def test_offline_with_link_only_bookmarks(
        self, snap_compare: SnapCompare, library: BookmarkStore
    ) -> None:
        # Nothing here uses the network: link-only bookmarks are listed and marked, the rest read offline.
        library.import_many(LINK_ONLY)
        assert snap_compare(Host(library), terminal_size=SIZE, run_before=_run())


def test_snapshot_baselines_live_in_the_repo_folder() -> None:
    folder = Path(__file__).resolve().parents[2] / "snapshots" / "test_bookmarks_screen"
    assert sorted(p.name for p in folder.glob("*.svg")) == [
        f"TestBookmarksSnapshots.test_{name}.svg"
        for name in ("empty", "no_results", "offline_with_link_only_bookmarks", "results_with_highlights")
    ]


async def test_in_the_app_shift_b_then_enter_reads_offline(seeded: Any) -> None:
    """The real app: `B` opens this screen, Enter shows the saved article in the reader (sources offline)."""
    with BookmarkStore.open(seeded.paths.bookmarks_db) as seeding:
        seeding.import_many(LIBRARY)
    app = seeded.app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("B")
        await settle(app, pilot)
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press(*"whale", "enter", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, BookmarksScreen)
        assert app.article is not None
        assert (app.article.title, app.article.markdown) == (
            "Letters from the lighthouse keepers",
            LIBRARY[1].markdown,
        )
