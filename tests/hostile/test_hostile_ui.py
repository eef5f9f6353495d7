"""The app on a hostile site: every text attack in feed titles, snippets, authors, article bodies and
bookmarks is shown as plain text; no escape reaches the screen, no markup runs, and the app keeps going."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pytest

from termreader.bookmarks.store import BookmarkStore
from termreader.config import Settings
from termreader.demo.siteserver import SiteServer
from termreader.models import Article, SourceConfig
from termreader.paths import AppPaths
from termreader.ui.article_list import ArticleList
from tests.hostile.generators import TEXT_ATTACKS, TextAttack, article_page, html_text, unsafe_in_body
from tests.ui.conftest import SIZE, AppFactory, screen_text, settle

ATTACKS: Final = {attack.name: attack for attack in TEXT_ATTACKS}


def write_site(root: Path) -> None:
    """A JSON Feed (the format that carries every character as is) and one article page per attack."""
    posts = root / "posts"
    posts.mkdir(parents=True)
    items = []
    for n, attack in enumerate(TEXT_ATTACKS):
        page = article_page(attack.payload, attack.payload, attack.payload, attack.payload, url="{{BASE}}")
        (posts / f"{attack.name}.html").write_text(page, encoding="utf-8", errors="surrogatepass")
        items.append(
            {
                "id": f"{{{{BASE}}}}/posts/{attack.name}.html",
                "url": f"{{{{BASE}}}}/posts/{attack.name}.html",
                "title": f"T{n:02d} {attack.payload}",
                "content_html": f"<p>{html_text(attack.payload)} summary</p>",
                "authors": [{"name": attack.payload}],
                "date_published": f"2026-11-{1 + n % 27:02d}T{n % 24:02d}:00:00Z",
            }
        )
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Hostile Site", "items": items}
    (root / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    (root / "_routes.json").write_text(
        json.dumps({"/feed.json": {"file": "feed.json", "type": "application/feed+json"}}), encoding="utf-8"
    )


@pytest.fixture
def hostile_site(tmp_path: Path) -> Iterator[SiteServer]:
    root = tmp_path / "site"
    write_site(root)
    with SiteServer(root) as server:
        yield server


@pytest.fixture
def factory(isolated_dirs: AppPaths, hostile_site: SiteServer) -> AppFactory:
    """Two sources: the hostile site, and one whose refresh fails (the discard port refuses at once)."""
    return AppFactory(
        paths=isolated_dirs,
        sources=[
            SourceConfig(name="Hostile Site", url=f"{hostile_site.base_url}/feed.json"),
            SourceConfig(name="Broken Source", url="http://127.0.0.1:9/feed.xml"),
        ],
        settings=Settings(item_limit=100),
    )


def problems_on_screen(text: str) -> list[str]:
    return [f"control characters on screen: {unsafe_in_body(text)}"] if unsafe_in_body(text) else []


async def test_feed_rows_show_every_attack_as_text_and_the_broken_source_does_not_stop_it(
    factory: AppFactory,
) -> None:
    app = factory.app(refresh_on_start=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert app.is_running
        text = screen_text(app)
        assert problems_on_screen(text) == []
        assert "Could not refresh 1 of 2 sources" in text
        listing = app.query_one("#latest-list", ArticleList)
        assert len(listing.rows) == len(TEXT_ATTACKS)
        failures: list[str] = []
        by_tag = {row.ref.title[1:3]: row for row in listing.rows}
        for n, attack in enumerate(TEXT_ATTACKS):
            row = by_tag.get(f"{n:02d}")
            if row is None:
                failures.append(f"{attack.name}: no row tagged T{n:02d}")
                continue
            index = listing.rows.index(row)
            prompt = str(listing.get_option_at_index(index).prompt)
            if attack.survivor not in prompt and attack.survivor[:30] not in prompt:
                failures.append(f"{attack.name}: {attack.survivor!r} not in the row {prompt[:120]!r}")
            if unsafe_in_body(prompt):
                failures.append(f"{attack.name}: row holds {unsafe_in_body(prompt)}")
        assert failures == []
        # Walk the whole list so every row is drawn at least once, then look at the screen again.
        for _ in range(len(TEXT_ATTACKS) // 8 + 1):
            await pilot.press("ctrl+d")
            await settle(app, pilot)
            assert problems_on_screen(screen_text(app)) == []
        assert app.is_running


CI_ARTICLE_ATTACKS: Final = (
    "clear-screen",
    "osc52-clipboard",
    "c1-csi",
    "c0-all",
    "trojan-source",
    "rich-click",
    "long-word",
    "kitchen-sink",
)
"""Each article costs ~0.7 s: CI opens these 8 (one per family); `-m slow` opens all 52."""


async def open_attacks(factory: AppFactory, server: SiteServer, attacks: list[TextAttack]) -> list[str]:
    """Open each attack's article in one app; what went wrong, per attack (empty when all is well)."""
    from tests.ui.test_app_flows import wait_reader

    app = factory.app(refresh_on_start=False)
    failures: list[str] = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        for attack in attacks:
            app.open_article(f"{server.base_url}/posts/{attack.name}.html", source="Hostile Site")
            await wait_reader(app, pilot)
            assert app.is_running, attack.name
            text = screen_text(app)
            if problems_on_screen(text):
                failures.append(f"{attack.name}: {problems_on_screen(text)}")
            if app.article is None:
                # A raw NUL makes the fetcher call the page binary: refused in one line, shown as text.
                if "\x00" not in attack.payload or "Could not open this page" not in text:
                    failures.append(f"{attack.name}: the article did not open")
                continue
            if (
                attack.survivor[:30] not in text.replace("\n", " ")
                and attack.survivor not in app.article.title
            ):
                failures.append(f"{attack.name}: {attack.survivor!r} neither on screen nor in the title")
            if unsafe_in_body(app.article.markdown) or unsafe_in_body(app.article.title):
                failures.append(f"{attack.name}: the article holds control characters")
            # Clicking the body must not run markup actions either.
            await pilot.click("#reader", offset=(4, 2))
            await settle(app, pilot)
            assert app.is_running, attack.name
    return failures


async def test_articles_with_attacks_open_as_text(factory: AppFactory, hostile_site: SiteServer) -> None:
    chosen = [ATTACKS[name] for name in CI_ARTICLE_ATTACKS]
    assert await open_attacks(factory, hostile_site, chosen) == []


@pytest.mark.slow
async def test_articles_with_every_attack_open_as_text(factory: AppFactory, hostile_site: SiteServer) -> None:
    assert await open_attacks(factory, hostile_site, list(TEXT_ATTACKS)) == []


def hostile_bookmark(n: int, attack: TextAttack) -> Article:
    body = f"{attack.payload}\n\nA paragraph about [{attack.payload}](https://odd.example/{n}) and more."
    return Article(
        title=f"{attack.payload} B{n:02d}",
        markdown=body,
        url=f"https://odd.example/{n}/{attack.name}",
        byline=attack.payload,
        published=datetime(2026, 11, 1, tzinfo=UTC),
        site_name=attack.payload,
        excerpt=attack.payload,
        word_count=12,
    )


async def test_bookmarks_screen_with_hostile_bookmarks(factory: AppFactory) -> None:
    from termreader.ui.bookmarks_screen import BookmarksScreen

    with BookmarkStore.open(factory.paths.bookmarks_db) as store:
        for n, attack in enumerate(TEXT_ATTACKS):
            store.save_article(hostile_bookmark(n, attack), source=attack.payload, tags=("hostile",))
    app = factory.app(refresh_on_start=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("B")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        for _ in range(len(TEXT_ATTACKS) // 8 + 1):
            text = screen_text(app)
            assert problems_on_screen(text) == []
            await pilot.press("down", "ctrl+d")
            await settle(app, pilot)
        assert app.is_running
        # Search with a markup-looking query, then open the rich-click bookmark.
        await pilot.press("slash", *"click")
        await settle(app, pilot)
        text = screen_text(app)
        assert problems_on_screen(text) == []
        assert "[@click=app.quit]Quit now[/]" in text
        screen.open_row(0)
        await settle(app, pilot)
        assert app.is_running
        assert app.article is not None and "[@click=app" in app.article.title
        assert problems_on_screen(screen_text(app)) == []


async def test_app_still_reads_after_one_source_fails(factory: AppFactory, hostile_site: SiteServer) -> None:
    from tests.ui.test_app_flows import wait_reader

    factory.sources.append(SourceConfig(name="Gone Site", url=f"{hostile_site.base_url}/missing.xml"))
    app = factory.app(refresh_on_start=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Could not refresh 2 of 3 sources" in text
        assert "Hostile Site" in text and "Broken Source" in text and "Gone Site" in text
        await pilot.press("enter", "enter")
        await wait_reader(app, pilot)
        assert app.article is not None and app.article.url is not None
        assert app.article.url.startswith(f"{hostile_site.base_url}/posts/")
        assert app.article.title.strip()
        assert app.is_running
