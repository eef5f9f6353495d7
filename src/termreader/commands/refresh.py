"""`termreader refresh [SOURCE...]`: refresh sources without the UI, into the cache the app reads."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from termreader.context import CliEnv

if TYPE_CHECKING:
    from termreader.config import Settings
    from termreader.models import SourceConfig
    from termreader.refresher import RefreshReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "refresh",
        help="refresh sources without the UI",
        description="Fetch the latest articles of the given sources (all configured sources when none is "
        "given) into the cache the reader app shows. Unchanged feeds cost one conditional request. Prints "
        "one line per failure on stderr and a total at the end; exits 1 if any source failed.",
    )
    parser.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="a configured source name, a URL or a file path (default: every configured source)",
    )


def summary(report: RefreshReport) -> str:
    """The total line: 'refreshed 198 of 200 sources (150 unchanged) in 0.43 s; 2 failed'."""
    noun = "source" if report.total == 1 else "sources"
    line = (
        f"refreshed {report.ok} of {report.total} {noun} ({report.not_modified} unchanged) "
        f"in {report.elapsed:.2f} s"
    )
    return line + (f"; {len(report.failed)} failed" if report.failed else "")


def _chosen_sources(arguments: list[str], env: CliEnv) -> tuple[list[SourceConfig], Settings]:
    """The sources to refresh (duplicates dropped) and the settings that bound the work."""
    from termreader.config import load_config

    config = load_config(env.paths.config_file, create=False)
    if arguments:
        # Only here: discovery's imports (lxml.html, the listing readers) cost a plain refresh ~30 ms.
        from termreader.sources import source_from_argument

        chosen = [source_from_argument(argument, env.paths.config_file) for argument in arguments]
    else:
        chosen = list(config.sources)
    unique: dict[str, SourceConfig] = {}
    for source in chosen:
        unique.setdefault(source.name, source)
    return list(unique.values()), config.settings


def run(args: argparse.Namespace, env: CliEnv) -> int:
    import asyncio
    import gc
    import threading
    from datetime import UTC, datetime

    from termreader.fetch import Fetcher, load_http_stack

    # The HTTP stack's last imports (httpcore, anyio's asyncio backend: ~50 ms) load while the config is
    # read, instead of in front of the first request. (After httpx itself: no two threads import it.)
    loader = threading.Thread(target=_quietly, args=(load_http_stack,), name="termreader-http", daemon=True)
    loader.start()
    from termreader.cache import Cache
    from termreader.refresher import refresh_all

    def system_clock() -> datetime:
        return datetime.now(UTC)

    try:
        sources, settings = _chosen_sources(list(args.sources), env)
    finally:
        loader.join()  # also before a config error ends the command: no import left running at exit
    if not sources:
        env.stdout.write("no sources to refresh: add one with 'termreader sources add URL'\n")
        return 0
    interactive = _isatty(env.stderr)

    def progress(done: int, total: int) -> None:
        env.stderr.write(f"\rrefreshing… {done} of {total}")
        env.stderr.flush()

    async def refresh() -> RefreshReport:
        fetcher = Fetcher(
            cache_dir=env.paths.http_cache_dir,
            **settings.fetcher_options(),
        )
        cache = Cache.open(env.paths.cache_db)
        try:
            async with fetcher:
                return await refresh_all(
                    sources,
                    fetcher=fetcher,
                    cache=cache,
                    clock=system_clock,
                    concurrency=settings.max_connections,
                    on_progress=progress if interactive else None,
                    item_limit=settings.item_limit,
                )
        finally:
            cache.close()

    # A command's process ends after this: what start-up loaded, and then what the refresh left, lives until
    # exit, so the cyclic collector need not walk it again (the interpreter's final collection over every
    # object cost ~50 ms of a ~1 s command; the collections during the refresh get cheaper too).
    gc.freeze()
    report = asyncio.run(refresh())
    gc.freeze()
    if interactive:
        env.stderr.write("\r\x1b[K")
    for name, reason in report.failed:
        env.error(f"{name}: {reason}")
    env.stdout.write(summary(report) + "\n")
    env.stdout.flush()
    return 1 if report.failed else 0


def _quietly(work: Callable[[], None]) -> None:
    """A warm-up that may fail: the same work then runs, and reports, where it is needed."""
    with contextlib.suppress(Exception):  # repeated, and reported, by the first request
        work()


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty()) if callable(isatty) else False
