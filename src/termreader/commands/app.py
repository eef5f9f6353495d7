"""Start the reader app (the default when no sub-command is given); `--demo` serves built-in sites first."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from termreader.context import CliEnv
from termreader.paths import AppPaths

if TYPE_CHECKING:
    from termreader.services import Services


def run(args: argparse.Namespace, env: CliEnv) -> int:
    """Build the services, run the app, and always stop the demo servers and close the databases.

    A config error raises ConfigError before the screen is taken over, so cli.main prints one line, exit 2.
    """
    import gc

    # Start-up allocates a few hundred thousand long-lived objects (Textual, the widgets, the cached lists);
    # the cyclic collector would walk them again and again before the first paint. The app turns it back on,
    # after freezing what is alive, once the lists are shown (ui/collector.settle_heap).
    gc.disable()
    from termreader.services import Services

    if not getattr(args, "demo", False):
        services = Services.create(env.paths)
        return _run_app(services)

    from termreader.demo import start_demo

    # The demo's servers get new ports each run: keep its cache, read marks and bookmarks in a temp dir so
    # they never mix with the user's own (and the user's config is neither read nor written).
    with tempfile.TemporaryDirectory(prefix="termreader-demo-") as scratch:
        root = Path(scratch)
        paths = AppPaths(config_file=root / "config.toml", cache_dir=root / "cache", data_dir=root / "data")
        demo = start_demo()
        try:
            return _run_app(Services.create(paths, demo=demo))
        finally:
            demo.stop()


def _run_app(services: Services) -> int:
    from termreader.ui.app import TermreaderApp

    app = TermreaderApp(services)
    try:
        app.run()
    finally:
        asyncio.run(_close(services))
    return app.return_code or 0


async def _close(services: Any) -> None:
    """Close what the app did not (it closes everything on `q`; this covers Ctrl+C and crashes)."""
    try:
        await services.aclose()
    except Exception:  # closing twice or after a failed start must not hide the real outcome
        return
