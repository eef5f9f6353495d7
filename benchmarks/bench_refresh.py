"""Refresh 200 feeds side by side: newsboat `-x reload` vs `termreader refresh`, cold and warm, vs the floor.

Every run gets fresh temp dirs (HOME, XDG dirs, newsboat's cache) unless it is a "warm" run, which reuses the
dirs of the cold run just before it. The feed farm runs in a subprocess so its threads do not share our CPU
time or GIL. Also measures, in-process, `refresher.refresh_all` with a 5 ms ticker coroutine beside it: the
longest gap between ticks is the longest the event loop (the UI's, in the app) was stalled.

By default termreader runs with no [settings] at all, i.e. the concurrency a user gets (config.Settings:
max_connections and per_host_connections; the farm is one host). `--concurrency N` sets both to N instead;
`--compare N,M` adds CLI rows at those concurrencies, side by side in the same run.

    /work/venv/bin/python benchmarks/bench_refresh.py --runs 5 --compare 32

`--anyio` adds in-process rows on httpx's own network backend (anyio), beside ours (netbackend.py).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

NEWSBOAT = "/usr/bin/newsboat"
TERMREADER = str(Path(sys.executable).with_name("termreader"))
_ELAPSED = re.compile(r" in (\d+\.\d+) s")


@dataclass(slots=True)
class Row:
    """One line of the table: wall times of every run, plus the refresh's own figure when it prints one."""

    name: str
    times: list[float] = field(default_factory=list)
    inner: list[float] = field(default_factory=list)
    stalls: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def cell(self, values: list[float]) -> str:
        if not values:
            return "–"
        return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


@contextmanager
def feed_farm(feeds: int, latency: float) -> Iterator[tuple[str, list[str]]]:
    """The farm in a subprocess; yields its base URL and feed URLs; stops it (stdin closed) afterwards."""
    script = Path(__file__).with_name("feedfarm.py")
    process = subprocess.Popen(
        [sys.executable, str(script), "--feeds", str(feeds), "--latency", str(latency), "--lifetime", "1800"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("READY "):
            raise RuntimeError(f"feed farm did not start: {line!r}")
        base = line.split(" ", 1)[1]
        yield base, [f"{base}/feeds/{index:03d}.xml" for index in range(feeds)]
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def farm_stats(base: str, reset: bool = False) -> dict[str, int]:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base}/{'_reset' if reset else '_stats'}", timeout=10) as answer:
        data: dict[str, int] = json.loads(answer.read())
    return data


SELF_CPU: list[float] = []
"""CPU seconds of each in-process refresh (this process; the farm runs in another)."""
CHILD_CPU: list[float] = []
"""CPU seconds (user + system) of each timed command, in order: steadier than wall time on a busy machine."""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CHILD_CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed, result


# --- newsboat ---------------------------------------------------------------------------------------


def newsboat_run(urls: list[str], threads: int, home: Path) -> float:
    """One `newsboat -x reload` of every URL with `reload-threads` = threads, in `home` (cold if new)."""
    (home / "urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
    (home / "config").write_text(f"reload-threads {threads}\n", encoding="utf-8")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home)}
    command = [
        NEWSBOAT, "-x", "reload",
        "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", str(home / "config"),
    ]  # fmt: skip
    elapsed, result = timed(command, env)
    if result.returncode != 0:
        raise RuntimeError(f"newsboat failed ({result.returncode}): {result.stderr.strip()[:300]}")
    return elapsed


# --- termreader CLI ------------------------------------------------------------------------------


def termreader_env(root: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(root / "home"), "NO_COLOR": "1"}
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
        env[var] = str(root / sub)
    env.pop("TERMREADER_CONFIG", None)
    return env


def write_termreader_config(root: Path, urls: list[str], concurrency: int | None) -> None:
    """200 [[sources]]; [settings] only when `concurrency` is given (None: the app's own defaults)."""
    config = root / "config" / "termreader" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    blocks: list[str] = []
    if concurrency is not None:
        blocks += [
            "[settings]",
            f"max_connections = {concurrency}",
            f"per_host_connections = {concurrency}  # the farm is one host:port",
            "",
        ]
    for index, url in enumerate(urls):
        blocks += ["[[sources]]", f'name = "Farm {index:03d}"', f'url = "{url}"', ""]
    config.write_text("\n".join(blocks), encoding="utf-8")


def termreader_run(root: Path) -> tuple[float, float]:
    """Wall time of `termreader refresh` and the refresh's own elapsed time from its total line."""
    elapsed, result = timed([TERMREADER, "refresh"], termreader_env(root))
    if result.returncode != 0:
        raise RuntimeError(f"termreader refresh failed: {result.stderr.strip()[:500]}")
    found = _ELAPSED.search(result.stdout)
    return elapsed, float(found.group(1)) if found else float("nan")


# --- in-process refresh with a stall ticker ---------------------------------------------------------


async def _idle_ticker(seconds: float) -> float:
    """The longest tick gap of an idle event loop: what the machine's own scheduling noise costs."""
    longest = 0.0
    last = time.perf_counter()
    end = last + seconds
    while last < end:
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    return longest


async def _refresh_with_ticker(
    root: Path, urls: list[str], concurrency: int, executor: Executor | None, shards: int = 1
) -> tuple[float, float, int]:
    """refresh_all beside a 5 ms ticker; returns (elapsed, longest tick gap, not_modified).

    `shards` > 1 splits the sources over that many Fetchers (each with concurrency / shards connections):
    an experiment showing what a Fetcher spreading one host over several small httpx pools would gain.
    """
    from termreader.cache import Cache
    from termreader.fetch import Fetcher
    from termreader.models import SourceConfig
    from termreader.refresher import RefreshReport, refresh_all

    sources = [SourceConfig(name=f"Farm {index:03d}", url=url) for index, url in enumerate(urls)]
    longest = 0.0
    running = True

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    longest = 0.0
    cache = Cache.open(root / "cache.sqlite3")
    per_shard = max(1, concurrency // shards)
    fetchers = [
        Fetcher(cache_dir=root / "http", per_host_limit=per_shard, max_connections=per_shard)
        for _ in range(shards)
    ]
    started = time.perf_counter()
    try:
        reports: list[RefreshReport] = await asyncio.gather(
            *(
                refresh_all(
                    sources[index::shards],
                    fetcher=fetcher,
                    cache=cache,
                    clock=lambda: datetime.now(UTC),
                    concurrency=per_shard,
                    executor=executor,
                )
                for index, fetcher in enumerate(fetchers)
            )
        )
    finally:
        elapsed = time.perf_counter() - started
        running = False
        await tick
        for fetcher in fetchers:
            await fetcher.aclose()
        cache.close()
    failed = [failure for report in reports for failure in report.failed]
    if failed:
        raise RuntimeError(f"in-process refresh failed: {failed[:3]}")
    return elapsed, longest, sum(report.not_modified for report in reports)


def _own_cpu() -> float:
    """CPU seconds of this process plus its reaped children (a process pool's workers, once shut down)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class InlineExecutor(Executor):
    """Runs each parse at once on the calling thread: parsing inline on the event loop, for comparison."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


def in_process(
    root: Path,
    urls: list[str],
    concurrency: int,
    make_executor: Callable[[], Executor | None],
    shards: int = 1,
) -> Any:
    executor = make_executor()
    before = _own_cpu()
    try:
        return asyncio.run(_refresh_with_ticker(root, urls, concurrency, executor, shards))
    finally:
        if executor is not None:
            executor.shutdown()
        SELF_CPU.append(_own_cpu() - before)


@contextmanager
def httpx_own_backend() -> Iterator[None]:
    """Fetchers made meanwhile keep httpx's default network backend (anyio) instead of ours."""
    from termreader import netbackend

    install = netbackend.install
    netbackend.install = lambda client: False
    try:
        yield
    finally:
        netbackend.install = install


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="max and per-host connections for termreader (default: none set, the app's own defaults)",
    )
    parser.add_argument("--compare", default="", help="comma-separated extra concurrencies for CLI rows")
    parser.add_argument(
        "--all-variants",
        action="store_true",
        help="also parse via 2 and 4 threads, 2 spawned processes and inline on the loop (in-process rows)",
    )
    parser.add_argument("--newsboat-threads", default="1,8,32", help="comma-separated reload-threads values")
    parser.add_argument("--skip-newsboat", action="store_true")
    parser.add_argument(
        "--anyio",
        action="store_true",
        help="also run the in-process refresh on httpx's own (anyio) network backend, for comparison",
    )
    parser.add_argument(
        "--shards",
        type=int,
        default=1,
        help="also split the sources over this many Fetchers (1: skip; Fetcher now spreads one host itself)",
    )
    args = parser.parse_args()
    # One-time per-process costs (importing lxml and the parsers, loading the CA bundle), paid here so the
    # first in-process variant is not charged for them; refresh_all does both in worker threads anyway.
    import termreader.refresher
    import termreader.sources  # noqa: F401
    from termreader.config import Settings
    from termreader.fetch import shared_ssl_context

    shared_ssl_context()
    defaults = Settings()
    configured = args.concurrency
    if configured is None and defaults.per_host_connections < defaults.max_connections:
        print(
            f"note: the defaults allow {defaults.per_host_connections} connections per host: the farm (one "
            f"host) gets that many in flight, not max_connections = {defaults.max_connections}",
            file=sys.stderr,
        )
    concurrency = configured or min(defaults.max_connections, defaults.per_host_connections)
    compare = [int(value) for value in args.compare.split(",") if value.strip()]
    threads = [int(value) for value in args.newsboat_threads.split(",") if value.strip()]
    rows: list[Row] = []
    notes: list[str] = []
    loads: list[float] = [os.getloadavg()[0]]
    with feed_farm(args.feeds, args.latency) as (base, urls), tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        have_newsboat = Path(NEWSBOAT).is_file() and not args.skip_newsboat
        if not have_newsboat:
            notes.append(f"newsboat skipped: {NEWSBOAT} is not installed" if not args.skip_newsboat else "")
        newsboat_rows = {count: Row(f"newsboat -x reload, reload-threads {count}, cold") for count in threads}
        newsboat_warm = Row(f"newsboat -x reload, reload-threads {max(threads, default=32)}, warm")
        how = "no [settings]: the defaults" if configured is None else "max/per-host connections"
        cli_cold = Row(f"termreader refresh, cold ({how}, {concurrency} in flight)")
        cli_warm = Row(f"termreader refresh, warm (conditional GET, all 304; {concurrency} in flight)")
        cli_compare = {
            count: (
                Row(f"termreader refresh, cold (max/per-host connections {count})"),
                Row(f"termreader refresh, warm (max/per-host connections {count})"),
            )
            for count in compare
        }
        lib_variants: dict[str, Callable[[], Executor | None]] = {
            "1 thread (refresher's default)": lambda: None,
        }
        if args.all_variants:
            lib_variants |= {
                "2 threads": lambda: ThreadPoolExecutor(2),
                "4 threads": lambda: ThreadPoolExecutor(4),
                "2 processes (spawned in the run)": lambda: ProcessPoolExecutor(
                    2, mp_context=multiprocessing.get_context("spawn")
                ),
                "inline on the event loop": InlineExecutor,
            }
        lib_cold = {name: Row(f"refresh_all in-process, cold, parse via {name}") for name in lib_variants}
        lib_warm = Row("refresh_all in-process, warm (all 304)")
        anyio_cold = Row("refresh_all in-process, cold, on httpx's own anyio backend (before netbackend.py)")
        anyio_warm = Row("refresh_all in-process, warm, on httpx's own anyio backend")
        sharded = Row(f"experiment: {args.shards} Fetchers × {concurrency // args.shards} connections, cold")
        idle = Row("idle event loop, 2 s (the machine's own scheduling noise)")
        for run in range(args.runs):
            if have_newsboat:
                for count in threads:
                    home = work / f"nb-{count}-{run}"
                    home.mkdir()
                    newsboat_rows[count].times.append(newsboat_run(urls, count, home))
                    newsboat_rows[count].cpu.append(CHILD_CPU[-1])
                    if count == max(threads):
                        newsboat_warm.times.append(newsboat_run(urls, count, home))
                        newsboat_warm.cpu.append(CHILD_CPU[-1])
                    shutil.rmtree(home, ignore_errors=True)
            for count, (compare_cold, compare_warm) in cli_compare.items():
                root = work / f"tr-{run}-{count}"
                write_termreader_config(root, urls, count)
                for row in (compare_cold, compare_warm):
                    wall, inner = termreader_run(root)
                    row.times.append(wall)
                    row.inner.append(inner)
                    row.cpu.append(CHILD_CPU[-1])
                shutil.rmtree(root, ignore_errors=True)
            root = work / f"tr-{run}"
            write_termreader_config(root, urls, configured)
            farm_stats(base, reset=True)
            wall, inner = termreader_run(root)
            cli_cold.times.append(wall)
            cli_cold.inner.append(inner)
            cli_cold.cpu.append(CHILD_CPU[-1])
            cold_stats = farm_stats(base)
            wall, inner = termreader_run(root)
            cli_warm.times.append(wall)
            cli_warm.inner.append(inner)
            cli_warm.cpu.append(CHILD_CPU[-1])
            warm_stats = {key: value - cold_stats.get(key, 0) for key, value in farm_stats(base).items()}
            if run == 0:
                notes.append(f"farm answers, cold CLI run: {cold_stats}; warm CLI run: {warm_stats}")
            shutil.rmtree(root, ignore_errors=True)
            for name, make in lib_variants.items():
                lib_root = work / f"lib-{run}-{name}"
                elapsed, stall, _ = in_process(lib_root, urls, concurrency, make)
                lib_cold[name].times.append(elapsed)
                lib_cold[name].stalls.append(stall)
                lib_cold[name].cpu.append(SELF_CPU[-1])
                if name.endswith("(refresher's default)"):
                    elapsed, stall, unchanged = in_process(lib_root, urls, concurrency, make)
                    lib_warm.times.append(elapsed)
                    lib_warm.stalls.append(stall)
                    lib_warm.cpu.append(SELF_CPU[-1])
                    if unchanged != len(urls):
                        notes.append(f"warm in-process run {run}: only {unchanged} not modified")
                shutil.rmtree(lib_root, ignore_errors=True)
            if args.anyio:
                lib_root = work / f"anyio-{run}"
                with httpx_own_backend():
                    for row in (anyio_cold, anyio_warm):
                        elapsed, stall, _ = in_process(lib_root, urls, concurrency, lambda: None)
                        row.times.append(elapsed)
                        row.stalls.append(stall)
                        row.cpu.append(SELF_CPU[-1])
                shutil.rmtree(lib_root, ignore_errors=True)
            if args.shards > 1:
                lib_root = work / f"shards-{run}"
                elapsed, stall, _ = in_process(lib_root, urls, concurrency, lambda: None, args.shards)
                sharded.times.append(elapsed)
                sharded.stalls.append(stall)
                sharded.cpu.append(SELF_CPU[-1])
                shutil.rmtree(lib_root, ignore_errors=True)
            idle.stalls.append(asyncio.run(_idle_ticker(2.0)))
            loads.append(os.getloadavg()[0])
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr, flush=True)
        if have_newsboat:
            rows += [newsboat_rows[count] for count in threads] + [newsboat_warm]
        rows += [cli_cold, cli_warm]
        rows += [row for pair in cli_compare.values() for row in pair]
        rows += [*lib_cold.values(), lib_warm]
        rows += [anyio_cold, anyio_warm] if args.anyio else []
        rows += [sharded, idle] if args.shards > 1 else [idle]
    floor = args.feeds * args.latency / concurrency
    best_newsboat = min(
        (
            statistics.median(row.times)
            for row in rows
            if row.name.startswith("newsboat") and "cold" in row.name
        ),
        default=None,
    )
    print(f"\nMachine: nproc={os.cpu_count()}, 1-min load average {min(loads):.1f}–{max(loads):.1f} "
          "(sampled at the start and after each run); "
          f"{args.feeds} feeds, {args.latency * 1000:.0f} ms latency, {args.runs} runs\n")  # fmt: skip
    print(
        "| what | wall s, median (min–max) | refresh s (own total line) | CPU s | loop stall ms, med (max) |"
    )
    print("|---|---|---|---|---|")
    for row in rows:
        stall = (
            f"{statistics.median(row.stalls) * 1000:.1f} ({max(row.stalls) * 1000:.1f})"
            if row.stalls
            else "–"
        )
        print(
            f"| {row.name} | {row.cell(row.times)} | {row.cell(row.inner)} | {row.cell(row.cpu)} | {stall} |"
        )
    print(f"| floor: {args.feeds} × {args.latency * 1000:.0f} ms / {concurrency} | {floor:.3f} | | | |")
    for count in compare:
        print(f"| floor: {args.feeds} × {args.latency * 1000:.0f} ms / {count} | "
              f"{args.feeds * args.latency / count:.3f} | | | |")  # fmt: skip
    print()
    cold = statistics.median(cli_cold.times)
    inner_cold = statistics.median(cli_cold.inner)
    if best_newsboat is not None:
        ratio = cold / best_newsboat
        print(f"- termreader refresh (cold, whole command) / newsboat best: {ratio:.2f}× (goal ≤ 0.5×)")
    print(f"- concurrency: {concurrency} in flight ({'the defaults' if configured is None else 'set'})")
    print(f"- termreader refresh (cold, whole command) / floor: {cold / floor:.2f}×")
    print(f"- termreader refresh (cold, refresh itself) / floor: {inner_cold / floor:.2f}× (goal ≤ 1.5×)")
    lib_row = next(iter(lib_cold.values()))
    lib = statistics.median(lib_row.times)
    print(f"- refresh_all in-process (cold) / floor: {lib / floor:.2f}×")
    stall_cold = statistics.median(lib_row.stalls) * 1000
    print(
        f"- longest event-loop stall, in-process cold: {stall_cold:.0f} ms median, "
        f"{max(lib_row.stalls) * 1000:.0f} ms max; warm: {max(lib_warm.stalls) * 1000:.0f} ms max "
        "(goal ≤ 50 ms)"
    )
    print(f"- warm / cold (whole command): {statistics.median(cli_warm.times) / cold:.2f}")
    print(
        f"- CPU s per refresh, in-process: cold {statistics.median(lib_row.cpu):.3f}, "
        f"warm {statistics.median(lib_warm.cpu):.3f}; whole command: "
        f"cold {statistics.median(cli_cold.cpu):.3f}, warm {statistics.median(cli_warm.cpu):.3f}"
    )
    for count, (compare_cold, _warm) in cli_compare.items():
        compare_floor = args.feeds * args.latency / count
        inner = statistics.median(compare_cold.inner)
        line = f"- at {count} in flight: refresh itself / floor {inner / compare_floor:.2f}×"
        if best_newsboat is not None:
            whole = statistics.median(compare_cold.times)
            line += f", whole command / newsboat best {whole / best_newsboat:.2f}×"
        print(line)
    for note in notes:
        if note:
            print(f"- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
