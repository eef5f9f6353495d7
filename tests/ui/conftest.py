"""Building the app for Pilot and snapshot tests: real services on temp paths, a fixed clock, seeded cache.

Also moves pytest-textual-snapshot's baselines from `tests/ui/__snapshots__/` to `<repo>/snapshots/`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_textual_snapshot  # type: ignore[import-untyped]
from syrupy.location import PyTestLocation

from termreader.config import Config, Settings
from termreader.models import Article, ArticleRef, PopularResult, SourceConfig
from termreader.paths import AppPaths
from termreader.services import Services
from termreader.ui.app import TermreaderApp

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT_DIR = REPO / "snapshots"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
"""The fixed clock of every UI test, so ages like 'stale 2 h' never change."""
SIZE = (120, 36)


class RepoSVGExtension(pytest_textual_snapshot.SVGImageExtension):  # type: ignore[misc]
    """Store SVG baselines in <repo>/snapshots/<test module>/ instead of beside the tests."""

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(SNAPSHOT_DIR / test_location.basename)


# snap_compare looks the extension up in its module at call time, so this swap is all it takes.
pytest_textual_snapshot.SVGImageExtension = RepoSVGExtension


def fixed_clock() -> datetime:
    return NOW


def ref(
    n: int, title: str, *, site: str = "https://hearth.example", author: str = "Mara Quill"
) -> ArticleRef:
    return ArticleRef(
        title=title,
        url=f"{site}/2026/11/post-{n}/",
        published=datetime(2026, 11, 20 - n, 8, 0, tzinfo=UTC),
        author=author,
        snippet=f"Snippet number {n}: a short line about {title.lower()}…",
    )


HEARTH_LATEST = (
    ref(1, "Tending a Winter Garden"),
    ref(2, "The Slow Bread Diary"),
    ref(3, "Mending a Wool Jumper", author="Ivo Brand"),
    ref(4, "Notes on a Rainy Walk", author="Ivo Brand"),
    ref(5, "A Shelf of Old Radios"),
)
HEARTH_POPULAR = PopularResult(
    page_url="https://hearth.example/",
    items=(HEARTH_LATEST[2], HEARTH_LATEST[0], HEARTH_LATEST[4]),
    widget="wpp",
    heading="Most read this month",
)
PLAIN_LATEST = (
    ref(1, "Quiet Mornings", site="https://plain.example", author="Lu Chen"),
    ref(2, "On Keeping a Ledger", site="https://plain.example", author="Lu Chen"),
)


def article_for(item: ArticleRef, paragraphs: int = 12) -> Article:
    body = [f"A first paragraph of {item.title.lower()}, set in our own words."]
    body.append("## Getting started")
    body.append("Read also [The Slow Bread Diary](https://hearth.example/2026/11/post-2/) for the sequel.")
    for k in range(paragraphs):
        body.append(f"Paragraph {k + 1}. The work starts before sunrise, when the air is still and grey.")
        if k == 5:
            body.append("## What we learnt")
    body.append("## Closing thoughts")
    body.append("Thanks for reading.")
    markdown = "\n\n".join(body)
    return Article(
        title=item.title,
        markdown=markdown,
        url=item.url,
        byline=item.author,
        published=item.published,
        site_name="Hearth & Field",
        word_count=len(markdown.split()),
    )


@dataclass
class AppFactory:
    """Builds apps on this test's paths; `seed_*` fill the cache the way a previous run would have."""

    paths: AppPaths
    sources: list[SourceConfig]
    settings: Settings
    clock: Callable[[], datetime] = fixed_clock

    def services(self) -> Services:
        config = Config(path=self.paths.config_file, settings=self.settings, sources=tuple(self.sources))
        return Services.create(self.paths, config_override=config, clock=self.clock)

    def seed_lists(
        self,
        name: str,
        latest: tuple[ArticleRef, ...],
        popular: PopularResult | None = None,
        age: timedelta = timedelta(hours=2),
    ) -> None:
        services = self.services()
        services.cache.put_list(name, "latest", latest, NOW - age)
        if popular is not None:
            services.cache.put_popular(name, popular, NOW - age)
        services.cache.close()
        services.readstate.close()

    def seed_article(self, article: Article) -> None:
        services = self.services()
        assert article.url is not None
        services.cache.put_article(article.url, article, NOW)
        services.cache.close()
        services.readstate.close()

    def app(self, *, refresh_on_start: bool = False) -> TermreaderApp:
        return TermreaderApp(self.services(), refresh_on_start=refresh_on_start)


@pytest.fixture
def factory(isolated_dirs: AppPaths) -> Iterator[AppFactory]:
    """Two offline sources ('Hearth & Field', 'Plain Notes') on dead loopback URLs, nothing cached yet."""
    dead = "http://127.0.0.1:9"  # the discard port: connections are refused at once
    yield AppFactory(
        paths=isolated_dirs,
        sources=[
            SourceConfig(name="Hearth & Field", url=f"{dead}/hearth/"),
            SourceConfig(name="Plain Notes", url=f"{dead}/plain/"),
        ],
        settings=Settings(),
    )


@pytest.fixture
def seeded(factory: AppFactory) -> AppFactory:
    """Both sources cached two hours ago, and every Hearth article cached for offline reading."""
    factory.seed_lists("Hearth & Field", HEARTH_LATEST, HEARTH_POPULAR)
    factory.seed_lists("Plain Notes", PLAIN_LATEST, PopularResult(page_url="https://plain.example/"))
    for item in HEARTH_LATEST:
        factory.seed_article(article_for(item))
    return factory


async def settle(app: Any, pilot: Any) -> None:
    """Wait until no worker is left and the screen caught up; workers may start workers, hence the loop."""
    for _ in range(50):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            return
    raise AssertionError("workers were still running after 50 rounds")


_SVG_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>')


def screen_text(app: Any) -> str:
    """What the terminal shows, as plain lines (from Textual's SVG export), for `in` assertions."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for match in _SVG_TEXT.finditer(app.export_screenshot()):
        text = html.unescape(match.group(3)).replace("\xa0", " ")
        rows.setdefault(float(match.group(2)), []).append((float(match.group(1)), text))
    lines = []
    for y in sorted(rows):
        cells = [" "] * 400
        for x, text in rows[y]:
            column = round(x / 12.2)  # Rich's SVG export draws cells 12.2 units wide
            for offset, char in enumerate(text):
                if column + offset < len(cells):
                    cells[column + offset] = char
        lines.append("".join(cells).rstrip())
    return "\n".join(lines)
