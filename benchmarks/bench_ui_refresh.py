"""Refresh all from the app: 200 farm sources with `R`, timing the refresh and the event loop's longest stall.

A headless TermreaderApp (Pilot) with real Services refreshes 200 feeds served by benchmarks/feedfarm.py (in a
subprocess, 50 ms added latency) through the concurrent refresher; a ticker task on the app's loop sleeps 5 ms
at a time and records the longest gap (the longest the UI could not react). Cold: empty cache; warm: the same
again, every feed answering 304.

Run: /work/venv/bin/python benchmarks/bench_ui_refresh.py [--runs 3] [--feeds 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_refresh import feed_farm

from termreader.config import Config, Settings
from termreader.models import SourceConfig
from termreader.paths import AppPaths
from termreader.services import Services
from termreader.ui.app import TermreaderApp


async def one_refresh(app: TermreaderApp, pilot: object, feeds: int) -> tuple[float, float]:
    """(seconds, longest loop stall in seconds) of one `R`."""
    longest = 0.0
    running = True

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            longest = max(longest, now - last - 0.005)
            last = now

    task = asyncio.create_task(ticker())
    start = time.perf_counter()
    await pilot.press("R")  # type: ignore[attr-defined]
    for _ in range(6000):
        await asyncio.sleep(0.01)
        if app.refresh_progress == (feeds, feeds) and not any(
            worker.group == "refresh-all" and not worker.is_finished for worker in app.workers
        ):
            break
    elapsed = time.perf_counter() - start
    running = False
    await task
    failed = [name for name, status in app.sources_list.statuses.items() if status.state != "fresh"]
    if failed:
        raise RuntimeError(f"{len(failed)} sources did not refresh: {failed[:5]}")
    return elapsed, longest


async def measure(runs: int, feeds: int) -> dict[str, list[tuple[float, float]]]:
    rows: dict[str, list[tuple[float, float]]] = {"cold (empty cache)": [], "warm (every feed 304)": []}
    with feed_farm(feeds, 0.05) as (_base, urls):
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as scratch:
                root = Path(scratch)
                paths = AppPaths(
                    config_file=root / "config.toml", cache_dir=root / "cache", data_dir=root / "data"
                )
                sources = tuple(SourceConfig(name=f"Farm {i:03d}", url=url) for i, url in enumerate(urls))
                config = Config(path=paths.config_file, settings=Settings(), sources=sources)
                services = Services.create(paths, config_override=config)
                app = TermreaderApp(services, refresh_on_start=False)
                async with app.run_test(size=(120, 36)) as pilot:
                    await pilot.pause()
                    await app.workers.wait_for_complete()
                    await services.warm_up()  # as at a real start, where the app has been up a while
                    rows["cold (empty cache)"].append(await one_refresh(app, pilot, feeds))
                    rows["warm (every feed 304)"].append(await one_refresh(app, pilot, feeds))
                    await app.action_quit()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=200)
    args = parser.parse_args()
    rows = asyncio.run(measure(args.runs, args.feeds))
    lines = [
        f"## Refresh all from the app (`R`, {args.feeds} sources, feed farm with 50 ms latency)",
        "",
        f"Command: `{sys.executable} benchmarks/bench_ui_refresh.py --runs {args.runs}`",
        "Headless TermreaderApp with real Services and the default settings (max_connections "
        f"{Settings().max_connections}, per_host_connections {Settings().per_host_connections}; the farm is"
        " one host); longest stall = the longest extra wait of a 5 ms ticker on the app's"
        " loop. Load average (1/5/15 min): "
        + " / ".join(f"{value:.1f}" for value in os.getloadavg())
        + f" on {os.cpu_count()} CPUs.",
        "",
        "| case | refresh median (min–max) | longest stall median (min–max) |",
        "|---|---|---|",
    ]
    for label, values in rows.items():
        times = [elapsed for elapsed, _ in values]
        stalls = [stall for _, stall in values]
        lines.append(
            f"| {label} | {statistics.median(times) * 1000:.0f} ms ({min(times) * 1000:.0f}–"
            f"{max(times) * 1000:.0f}) | {statistics.median(stalls) * 1000:.0f} ms"
            f" ({min(stalls) * 1000:.0f}–{max(stalls) * 1000:.0f}) |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
