"""Reading pane speed: ReaderView against Textual's stock Markdown widget, inside a real headless App.

Run:  /work/venv/bin/python benchmarks/bench_reader.py [--runs 5] [--stock-max-words 50000]

For each article size it reports, as the median of several runs:
- first screen: from show_article() until the view has drawn its last visible row (the compositor calls
  render_line for every visible row, so this is the first complete screen);
- complete: from show_article() until the whole article is laid out (LayoutCompleted);
- for the stock Markdown widget: from update() until the first block is mounted, and until update() returns.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field

from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import Markdown

from termreader.models import Article
from termreader.textutil import word_count
from termreader.ui.markdown_lines import Document, Layout, article_header
from termreader.ui.reader_view import ReaderView

SIZE = (120, 40)
VOCABULARY = (
    "the",
    "reader",
    "opens",
    "long",
    "articles",
    "quickly",
    "because",
    "only",
    "visible",
    "lines",
    "are",
    "drawn",
    "while",
    "layout",
    "continues",
    "in",
    "small",
    "slices",
    "so",
    "typing",
    "and",
    "scrolling",
    "never",
    "wait",
    "for",
    "the",
    "whole",
    "document",
    "to",
    "be",
    "ready",
    "on",
    "screen",
)


def make_markdown(words: int, seed: int = 7) -> str:
    """An article with headings, paragraphs with emphasis, code spans and links, lists and code blocks."""
    rng = random.Random(seed)
    parts: list[str] = []
    count = 0
    section = 0
    while count < words:
        size = rng.randint(40, 110)
        chosen = [rng.choice(VOCABULARY) for _ in range(size)]
        chosen[size // 4] = f"*{chosen[size // 4]}*"
        chosen[size // 3] = f"`{chosen[size // 3]}()`"
        chosen[size // 2] = f"[{chosen[size // 2]} notes](https://example.org/notes/{count})"
        parts.append(" ".join(chosen).capitalize() + ".")
        count += size
        roll = rng.random()
        if roll < 0.08:
            section += 1
            parts.append(f"## Section {section}: {rng.choice(VOCABULARY)}")
        elif roll < 0.14:
            parts.append("- first point to remember\n- second point, with **weight**\n  - a nested detail")
            count += 13
        elif roll < 0.18:
            parts.append("```python\ndef layout(block, width):\n    return wrap(block.spans, width)\n```")
            count += 8
    return "\n\n".join(parts)


class TimedReaderView(ReaderView):
    """Notes when the last visible row is first drawn after `mark()`."""

    def __init__(self) -> None:
        super().__init__(reader_width=80)
        self.marked = 0.0
        self.first_screen: float | None = None

    def mark(self) -> None:
        self.marked = time.perf_counter()
        self.first_screen = None

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if self.first_screen is None and self.marked and y == self.scrollable_content_region.height - 1:
            self.first_screen = time.perf_counter() - self.marked
        return strip


class ReaderBench(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.completed_at: float | None = None

    def compose(self) -> ComposeResult:
        yield TimedReaderView()

    def on_reader_view_layout_completed(self, message: ReaderView.LayoutCompleted) -> None:
        self.completed_at = time.perf_counter()


class StockBench(App[None]):
    def compose(self) -> ComposeResult:
        yield Markdown()


@dataclass
class Figures:
    first: list[float] = field(default_factory=list)
    complete: list[float] = field(default_factory=list)
    screen: list[float] = field(default_factory=list)
    """Drawing one uncached screen (every visible row) at scattered positions: the cost of a scroll step."""


async def bench_reader(article: Article, runs: int) -> Figures:
    figures = Figures()
    for _ in range(runs):
        app = ReaderBench()
        async with app.run_test(size=SIZE) as pilot:
            view = app.query_one(TimedReaderView)
            await pilot.pause()
            view.mark()
            view.show_article(article)
            start = view.marked
            for _ in range(100_000):
                await asyncio.sleep(0.001)
                if view.first_screen is not None and app.completed_at is not None:
                    break
            assert view.first_screen is not None and app.completed_at is not None
            figures.first.append(view.first_screen)
            figures.complete.append(app.completed_at - start)
            height = view.scrollable_content_region.height
            for step in range(20):
                view.scroll_to(y=step * view.max_scroll_y // 20, animate=False, force=True)
                view._cache.clear()  # drop cached strips (styles stay cached, as when scrolling)
                began = time.perf_counter()
                for y in range(height):
                    view.render_line(y)
                figures.screen.append(time.perf_counter() - began)
    return figures


async def first_block(widget: Markdown, start: float) -> float:
    """Seconds from `start` until the stock widget has mounted its first block."""
    while not widget.children:
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


async def bench_stock(markdown: str, runs: int) -> Figures:
    figures = Figures()
    for _ in range(runs):
        app = StockBench()
        async with app.run_test(size=SIZE) as pilot:
            widget = app.query_one(Markdown)
            await pilot.pause()
            start = time.perf_counter()

            watcher = asyncio.create_task(first_block(widget, start))
            await widget.update(markdown)
            done = time.perf_counter() - start
            await pilot.pause()
            first = watcher.result() if watcher.done() else done
            watcher.cancel()
            figures.first.append(first)
            figures.complete.append(done)
    return figures


def bench_direct(markdown: str, runs: int) -> Figures:
    """Layout alone, without an App: first 40 lines, then everything."""
    figures = Figures()
    for _ in range(runs):
        start = time.perf_counter()
        layout = Layout(Document(markdown, article_header("Benchmark")), 80)
        layout.ensure_lines(40)
        figures.first.append(time.perf_counter() - start)
        layout.finish()
        figures.complete.append(time.perf_counter() - start)
    return figures


def ms(values: list[float], digits: int = 0) -> str:
    return f"{statistics.median(values) * 1000:,.{digits}f} ms"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stock-max-words", type=int, default=50_000)
    parser.add_argument("--sizes", default="1000,10000,50000,200000")
    args = parser.parse_args()
    print(
        "| words | ReaderView first screen | ReaderView complete | one screen redrawn "
        "| stock first block | stock complete |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    direct: list[tuple[int, Figures]] = []
    for words in (int(size) for size in args.sizes.split(",")):
        markdown = make_markdown(words)
        article = Article(title=f"Benchmark {words}", markdown=markdown, word_count=word_count(markdown))
        reader = await bench_reader(article, args.runs)
        if words <= args.stock_max_words:
            stock_runs = args.runs if words <= 10_000 else 1
            stock = await bench_stock(markdown, stock_runs)
            stock_cells = f"{ms(stock.first)} | {ms(stock.complete)}"
            if stock_runs == 1:
                stock_cells = f"{ms(stock.first)} (1 run) | {ms(stock.complete)} (1 run)"
        else:
            stock_cells = "skipped | skipped"
        cells = f"{ms(reader.first)} | {ms(reader.complete)} | {ms(reader.screen, 1)}"
        print(f"| {words:,} | {cells} | {stock_cells} |", flush=True)
        direct.append((words, bench_direct(markdown, args.runs)))
    print()
    print("Layout alone (direct calls, no App): parse + lay out at 80 columns")
    print()
    print("| words | first 40 lines | whole document |")
    print("|---:|---:|---:|")
    for words, figures in direct:
        print(f"| {words:,} | {ms(figures.first)} | {ms(figures.complete)} |")


if __name__ == "__main__":
    asyncio.run(main())
