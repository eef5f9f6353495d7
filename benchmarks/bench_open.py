"""Open an article: from Enter on a list row until the reader's first screen is drawn, cached, at any size.

The whole path of the real app (headless, Pilot, real Services over a temp cache): the key, the worker, the
SQLite row read and JSON decode of the cached article, the header, the first screen of the reader. Also, on
their own: the cache read (`Services.cached_article`) and the payload size.

Run: /work/venv/bin/python benchmarks/bench_open.py [--runs 7] [--sizes 1000,10000,50000,200000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.strip import Strip

from termreader.config import Config, Settings
from termreader.models import Article, ArticleRef, SourceConfig
from termreader.paths import AppPaths
from termreader.services import Services
from termreader.ui.app import TermreaderApp
from termreader.ui.reader_view import ReaderView

sys.path.insert(0, str(Path(__file__).parent))
from bench_reader import make_markdown

SIZE = (120, 36)
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DRAWN: dict[str, float] = {}
"""URL -> perf_counter when the reader drew the last visible row of that article's first screen."""


def _timed_render_line(original: object) -> object:
    def render_line(self: ReaderView, y: int) -> Strip:
        strip: Strip = original(self, y)  # type: ignore[operator]
        url = getattr(self, "_base_url", None)
        if url and url not in DRAWN and y == self.scrollable_content_region.height - 1:
            DRAWN[url] = time.perf_counter()
        return strip

    return render_line


async def measure(sizes: list[int], runs: int) -> list[tuple[str, list[float]]]:
    ReaderView.render_line = _timed_render_line(ReaderView.render_line)  # type: ignore[method-assign]
    rows: list[tuple[str, list[float]]] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        paths = AppPaths(config_file=root / "config.toml", cache_dir=root / "cache", data_dir=root / "data")
        source = SourceConfig(name="Long reads", url="http://127.0.0.1:9/")
        config = Config(path=paths.config_file, settings=Settings(), sources=(source,))
        services = Services.create(paths, config_override=config, clock=lambda: NOW)
        refs = []
        payload: dict[int, int] = {}
        for index, words in enumerate(sizes):
            url = f"https://long.example/{words}-words/"
            markdown = make_markdown(words, seed=index)
            article = Article(
                title=f"An article of {words:,} words",
                markdown=markdown,
                url=url,
                byline="Ann Author",
                published=NOW - timedelta(days=index),
                site_name="Long reads",
                word_count=words,
            )
            services.cache.put_article(url, article, NOW)
            payload[words] = len(markdown.encode("utf-8"))
            refs.append(ArticleRef(title=article.title, url=url, published=article.published))
        services.cache.put_list(source.name, "latest", tuple(refs), NOW)
        app = TermreaderApp(services, refresh_on_start=False)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(50):
                await pilot.pause()
                await app.workers.wait_for_complete()
                if all(worker.is_finished for worker in app.workers):
                    break
            for index, words in enumerate(sizes):
                url = refs[index].url
                opened: list[float] = []
                reads: list[float] = []
                for _ in range(runs):
                    start = time.perf_counter()
                    await services.cached_article(url)
                    reads.append(time.perf_counter() - start)
                    app.action_go_back()  # back to the articles pane (narrow or wide alike)
                    listing = app.query_one("#latest-list")
                    listing.focus()
                    listing.highlighted = index  # type: ignore[attr-defined]
                    await pilot.pause()
                    DRAWN.pop(url, None)
                    start = time.perf_counter()
                    await pilot.press("enter")
                    for _ in range(400):
                        if url in DRAWN:
                            break
                        await asyncio.sleep(0.001)
                    else:
                        raise RuntimeError(f"the reader never drew {url}")
                    opened.append(DRAWN[url] - start)
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    if app.article is None or app.article.url != url:
                        raise RuntimeError(f"the reader shows {app.article!r}, not {url}")
                label = f"{words:,} words ({payload[words] / 1e6:.2f} MB of Markdown)"
                rows.append((f"{label}: Enter → first screen", opened))
                rows.append((f"{label}: cache read + JSON decode alone", reads))
        await services.aclose()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1000,10000,50000,200000")
    args = parser.parse_args()
    sizes = [int(value) for value in args.sizes.split(",") if value.strip()]
    rows = asyncio.run(measure(sizes, args.runs))
    lines = [
        "## Open a cached article (issue 6: first paragraph ≤ 100 ms after Enter)",
        "",
        f"Command: `{sys.executable} benchmarks/bench_open.py --runs {args.runs}`",
        f"Headless TermreaderApp ({SIZE[0]}x{SIZE[1]}, Pilot) with real Services over a temp cache; from"
        " pressing Enter on the list row until the reader has drawn the last visible row of the article's"
        " first screen. Load average (1/5/15 min): "
        + " / ".join(f"{value:.1f}" for value in os.getloadavg())
        + f" on {os.cpu_count()} CPUs.",
        "",
        "| case | median | min | max |",
        "|---|---|---|---|",
    ]
    for label, values in rows:
        lines.append(
            f"| {label} | {statistics.median(values) * 1000:.1f} ms | {min(values) * 1000:.1f} ms"
            f" | {max(values) * 1000:.1f} ms |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
