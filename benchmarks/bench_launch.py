"""Launch to first content: start `termreader` in tmux and time until the first cached list is on screen.

Two cases, each the median of N runs:
- warm cache: a config with the demo sources whose lists were fetched before (the normal daily start);
- `termreader --demo`: demo servers started, nothing cached, lists fetched from loopback before they show.
Optionally (`--frogmouth PATH`) the same measure for frogmouth opening a Markdown file of similar size.
Also, headless (Pilot): a source with 5,000 cached items — time to fill the list, and per key to move in it.

Run: /work/venv/bin/python benchmarks/bench_launch.py [--runs 10] [--frogmouth /path/to/frogmouth]

`--scale` instead measures issue 6's launch, side by side in one run with the runs interleaved: termreader
with 200 cached sources (20 items each), newsboat opening the same 200 feeds from its cache (reloaded once
from benchmarks/feedfarm.py), and frogmouth opening a 10k-word Markdown file; see results-launch-memory.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from termreader.config import add_source
from termreader.demo import start_demo
from termreader.paths import AppPaths
from termreader.services import Services

WIDTH, HEIGHT = 120, 36
TERMREADER = Path(sys.executable).parent / "termreader"
RESULTS = Path(__file__).parent / "results-tui.md"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=20).stdout


def time_to_visible(
    command: str, env: dict[str, str], visible: Callable[[str], bool], limit: float = 20.0
) -> float:
    """Seconds from `tmux new-session` to the first capture where `visible(screen)` holds."""
    name = f"bench-{uuid.uuid4().hex[:8]}"
    assignments = " ".join(f"{key}={value!r}" for key, value in env.items())
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), f"env {assignments} {command}")
    try:
        while time.perf_counter() - start < limit:
            if visible(tmux("capture-pane", "-p", "-t", name)):
                return time.perf_counter() - start
            time.sleep(0.005)
        raise RuntimeError(f"nothing visible after {limit} s: {command}")
    finally:
        tmux("kill-session", "-t", name)
        time.sleep(0.2)


async def warm_cache(paths: AppPaths) -> str:
    """Fetch the demo sources once into `paths` (as an earlier run would have); returns the first title."""
    demo = start_demo()
    try:
        for source in demo.sources:
            add_source(paths.config_file, source.url, source.name)
        services = Services.create(paths)
        titles = []
        for source in services.sources:
            snapshot = await services.refresh_source(source)
            titles.append(snapshot.latest[0].title)
        await services.aclose()
        return titles[0]
    finally:
        demo.stop()


async def big_list(count: int) -> list[tuple[str, list[float]]]:
    """Fill the Latest list with `count` cached items, then time keys that move through it."""
    from datetime import UTC, datetime, timedelta

    from termreader.config import Config, Settings
    from termreader.models import ArticleRef, SourceConfig
    from termreader.ui.app import TermreaderApp

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        paths = AppPaths(config_file=root / "config.toml", cache_dir=root / "cache", data_dir=root / "data")
        now = datetime(2026, 11, 28, tzinfo=UTC)
        refs = tuple(
            ArticleRef(
                title=f"Article number {i} about something worth reading",
                url=f"https://big.example/{i}/",
                published=now - timedelta(hours=i),
                author="Ann Author",
                snippet=f"Snippet {i}: a line of text long enough to be cut off at the edge of the pane…",
            )
            for i in range(count)
        )
        source = SourceConfig(name="Big", url="http://127.0.0.1:9/")
        config = Config(path=paths.config_file, settings=Settings(), sources=(source,))
        services = Services.create(paths, config_override=config, clock=lambda: now)
        services.cache.put_list("Big", "latest", refs, now)
        app = TermreaderApp(services, refresh_on_start=False)
        timings: dict[str, list[float]] = {"fill": [], "j": [], "pagedown": [], "G / g": []}
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            listing = app.query_one("#latest-list")
            for _ in range(5):
                start = time.perf_counter()
                app._show_source("Big")
                await pilot.pause()
                timings["fill"].append(time.perf_counter() - start)
            listing.focus()
            for key, label in (("j", "j"), ("pagedown", "pagedown"), ("G", "G / g"), ("g", "G / g")):
                for _ in range(10):
                    start = time.perf_counter()
                    await pilot.press(key)
                    await pilot.pause()
                    timings[label].append(time.perf_counter() - start)
        await services.aclose()
    return [(f"{count:,} items: {label}", values) for label, values in timings.items()]


def scale_launch(runs: int, frogmouth: str | None) -> list[tuple[str, list[float]]]:
    """Launch to first list with 200 cached sources, against newsboat (and frogmouth), runs interleaved."""
    from bench_refresh import feed_farm
    from scale_setup import item_title, newsboat_env, newsboat_home, termreader_env, termreader_home

    rows: dict[str, list[float]] = {}
    with feed_farm(200, 0.05) as (_base, urls), tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        termreader_home(root / "tr", urls)
        newsboat = " ".join(newsboat_home(root / "nb", urls))
        doc = root / "doc.md"
        words = " ".join(f"word{i}" for i in range(40))
        doc.write_text("# Frogmouth probe\n\n" + "\n\n".join(words for _ in range(250)), encoding="utf-8")
        probe = item_title(0, 0)[:20]
        ours = termreader_env(root / "tr")
        cases: list[tuple[str, str, dict[str, str], Callable[[str], bool]]] = [
            ("termreader, 200 cached sources", str(TERMREADER), ours, lambda s: probe in s),
            ("newsboat, the same 200 feeds from its cache", newsboat, newsboat_env(root / "nb"),
             lambda s: "Farm blog 000" in s),
        ]  # fmt: skip
        if frogmouth:
            frog_env = {"TERM": "xterm-256color"}
            cases.append(
                ("frogmouth opening a 10k-word Markdown file", f"{frogmouth} {doc}", frog_env,
                 lambda s: "word0 word1" in s)
            )  # fmt: skip
        for label, command, env, visible in cases:  # one unmeasured start each: disk caches warm alike
            time_to_visible(command, env, visible)
            rows[label] = []
        for _ in range(runs):
            for label, command, env, visible in cases:
                rows[label].append(time_to_visible(command, env, visible))
    return list(rows.items())


def write_scale(rows: list[tuple[str, list[float]]], runs: int, frogmouth: bool) -> str:
    ours = statistics.median(rows[0][1])
    lines = [
        "## Launch with 200 sources (issue 6)",
        "",
        f"Command: `{sys.executable} benchmarks/bench_launch.py --scale --runs {runs}"
        + (" --frogmouth /tmp/frogvenv/bin/frogmouth" if frogmouth else "")
        + "`",
        f"tmux {WIDTH}x{HEIGHT}, from `tmux new-session` to the first capture showing the first list"
        " (termreader: the first cached article title of the first source; newsboat: its feed list;"
        " frogmouth: the document text); polled every 5 ms, runs interleaved, one unmeasured start each"
        " first.",
        "Load average at the end (1/5/15 min): "
        + " / ".join(f"{value:.1f}" for value in os.getloadavg())
        + f" on {os.cpu_count()} CPUs.",
        "",
        "| case | median | min | max | termreader / this |",
        "|---|---|---|---|---|",
    ]
    for label, values in rows:
        median = statistics.median(values)
        lines.append(
            f"| {label} | {median * 1000:.0f} ms | {min(values) * 1000:.0f} ms | {max(values) * 1000:.0f} ms"
            f" | {ours / median:.2f}× |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--frogmouth", help="path to a frogmouth executable (in its own venv)")
    parser.add_argument("--items", type=int, default=5000, help="items in the big-list case")
    parser.add_argument("--scale", action="store_true", help="200 sources vs newsboat (issue 6)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is required", file=sys.stderr)
        return 2
    if args.scale:
        text = write_scale(scale_launch(args.runs, args.frogmouth), args.runs, bool(args.frogmouth))
        print(text)
        return 0
    rows: list[tuple[str, list[float]]] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        paths = AppPaths(
            config_file=root / "config" / "config.toml", cache_dir=root / "cache", data_dir=root / "data"
        )
        first_title = asyncio.run(warm_cache(paths))
        env = {
            "TERMREADER_CONFIG": str(paths.config_file),
            "XDG_CACHE_HOME": str(root / "xdg-cache"),
            "XDG_DATA_HOME": str(root / "xdg-data"),
            "TERM": "xterm-256color",
        }
        # The cache and data dirs come from platformdirs: point them at the warmed folders.
        (root / "xdg-cache").mkdir()
        (root / "xdg-data").mkdir()
        os.symlink(paths.cache_dir, root / "xdg-cache" / "termreader")
        os.symlink(paths.data_dir, root / "xdg-data" / "termreader")
        hello = root / "hello.py"
        hello.write_text(
            "from textual.app import App\nfrom textual.widgets import Static\n"
            "class Hello(App):\n    def compose(self):\n        yield Static('textual is ready')\n"
            "Hello().run()\n",
            encoding="utf-8",
        )
        floor = [
            time_to_visible(f"{sys.executable} {hello}", env, lambda s: "textual is ready" in s)
            for _ in range(args.runs)
        ]
        rows.append(("baseline: a bare Textual app showing one line", floor))
        probe = first_title[:24]
        warm = [time_to_visible(str(TERMREADER), env, lambda s: probe in s) for _ in range(args.runs)]
        rows.append(("termreader, cached lists (warm start)", warm))
        demo = [
            time_to_visible(f"{TERMREADER} --demo", env, lambda s: s.count("●") >= 3)
            for _ in range(args.runs)
        ]
        rows.append(("termreader --demo (fetch from loopback first)", demo))
        if args.frogmouth:
            doc = root / "doc.md"
            words = " ".join(f"word{i}" for i in range(40))
            doc.write_text("# Frogmouth probe\n\n" + "\n\n".join(words for _ in range(250)), encoding="utf-8")
            frog = [
                time_to_visible(
                    f"{args.frogmouth} {doc}", {"TERM": "xterm-256color"}, lambda s: "word0 word1" in s
                )
                for _ in range(args.runs)
            ]
            rows.append(("frogmouth opening a 10k-word Markdown file", frog))
    # The same keys on a 50-item list show what the list size itself adds.
    list_rows = asyncio.run(big_list(50)) + asyncio.run(big_list(args.items))
    lines = [
        "# Launch to first content (TUI)",
        "",
        f"Command: `{sys.executable} benchmarks/bench_launch.py --runs {args.runs}"
        + (" --frogmouth PATH" if args.frogmouth else "")
        + "`",
        f"Terminal: tmux {WIDTH}x{HEIGHT}; time from `tmux new-session` to the first `capture-pane` showing"
        " the content (polled every 5 ms).",
        "Load average when run (1/5/15 min): "
        + " / ".join(f"{value:.1f}" for value in os.getloadavg())
        + f" on {os.cpu_count()} CPUs; other load inflates every row alike: compare rows, not runs.",
        "",
        "| case | median | min | max |",
        "|---|---|---|---|",
    ]
    for label, values in rows:
        lines.append(
            f"| {label} | {statistics.median(values) * 1000:.0f} ms | {min(values) * 1000:.0f} ms"
            f" | {max(values) * 1000:.0f} ms |"
        )
    lines += [
        "",
        "Headless (Pilot, same size): a source with 50 and with many cached items; 'fill' rebuilds the list",
        "(5 runs), each key is pressed 10 times and timed until Pilot's pause returns (screen updated).",
        "",
        "| case | median | min | max |",
        "|---|---|---|---|",
    ]
    for label, values in list_rows:
        lines.append(
            f"| {label} | {statistics.median(values) * 1000:.1f} ms | {min(values) * 1000:.1f} ms"
            f" | {max(values) * 1000:.1f} ms |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
