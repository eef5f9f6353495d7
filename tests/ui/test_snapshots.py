"""SVG snapshots of each screen and state; baselines live in <repo>/snapshots/test_snapshots/."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from termreader.config import Settings
from termreader.models import PopularResult
from tests.ui.conftest import (
    HEARTH_LATEST,
    PLAIN_LATEST,
    SIZE,
    SNAPSHOT_DIR,
    AppFactory,
    settle,
)

SnapCompare = Callable[..., bool]
SHIPPED_THEMES = ("termreader-dark", "termreader-light", "termreader-contrast", "termreader-paper")


async def settled(pilot: Pilot[None]) -> None:
    await settle(pilot.app, pilot)


def pressing(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Settle, press `keys`, settle again; waits for the reader to finish laying out (bounded)."""

    async def run(pilot: Pilot[None]) -> None:
        await settled(pilot)
        for key in keys:
            await pilot.press(key)
            await settled(pilot)
        reader = pilot.app.query_one("#reader")
        for _ in range(100):
            if getattr(reader, "layout_complete", True):
                break
            await settled(pilot)

    return run


class TestMainScreen:
    def test_main_screen_from_cache(self, snap_compare: SnapCompare, seeded: AppFactory) -> None:
        assert snap_compare(seeded.app(), terminal_size=SIZE, run_before=pressing())

    def test_popular_tab(self, snap_compare: SnapCompare, seeded: AppFactory) -> None:
        assert snap_compare(seeded.app(), terminal_size=SIZE, run_before=pressing("p"))

    def test_reader(self, snap_compare: SnapCompare, seeded: AppFactory) -> None:
        assert snap_compare(seeded.app(), terminal_size=SIZE, run_before=pressing("enter", "j", "enter"))

    def test_help(self, snap_compare: SnapCompare, seeded: AppFactory) -> None:
        assert snap_compare(seeded.app(), terminal_size=SIZE, run_before=pressing("question_mark"))


class TestStates:
    def test_refresh_error_keeps_cached_list(self, snap_compare: SnapCompare, seeded: AppFactory) -> None:
        seeded.sources = seeded.sources[:1]  # one failure, so one toast: no race between two
        app = seeded.app(refresh_on_start=True)
        assert snap_compare(app, terminal_size=SIZE, run_before=pressing())

    def test_stale_and_never_fetched(self, snap_compare: SnapCompare, factory: AppFactory) -> None:
        factory.seed_lists("Hearth & Field", HEARTH_LATEST, age=timedelta(days=3))
        assert snap_compare(factory.app(), terminal_size=SIZE, run_before=pressing())

    def test_no_popular_posts(self, snap_compare: SnapCompare, factory: AppFactory) -> None:
        factory.seed_lists("Hearth & Field", PLAIN_LATEST, PopularResult(page_url="https://plain.example/"))
        assert snap_compare(factory.app(), terminal_size=SIZE, run_before=pressing("p"))


class TestNarrow:
    def test_narrow_shows_one_pane(self, snap_compare: SnapCompare, seeded: AppFactory) -> None:
        assert snap_compare(seeded.app(), terminal_size=(80, 30), run_before=pressing("enter"))

    def test_narrow_reader(self, snap_compare: SnapCompare, seeded: AppFactory) -> None:
        assert snap_compare(seeded.app(), terminal_size=(80, 30), run_before=pressing("enter", "enter"))


class TestThemes:
    @pytest.mark.parametrize("theme", SHIPPED_THEMES)
    def test_shipped_theme(self, snap_compare: SnapCompare, seeded: AppFactory, theme: str) -> None:
        seeded.settings = Settings(theme=theme)
        app = seeded.app()
        assert snap_compare(app, terminal_size=SIZE, run_before=pressing("enter", "enter"))
        assert app.theme == theme


class _Tiny(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("snapshot guard")


def test_baselines_land_in_the_repo_snapshots_folder(snap_compare: SnapCompare) -> None:
    """The conftest hook moved syrupy's folder: this test's own baseline is in <repo>/snapshots."""
    assert snap_compare(_Tiny(), terminal_size=(30, 3))
    assert Path(__file__).resolve().parents[2] / "snapshots" == SNAPSHOT_DIR
    own = SNAPSHOT_DIR / "test_snapshots" / "test_baselines_land_in_the_repo_snapshots_folder.svg"
    assert own.is_file()
    assert "snapshot" in own.read_text(encoding="utf-8")
    assert not (Path(__file__).parent / "__snapshots__").exists()
