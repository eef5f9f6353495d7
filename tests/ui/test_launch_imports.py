"""Keep launch lean: painting the cached lists must not import the network or parsing stack."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from termreader.paths import AppPaths
from tests.ui.conftest import HEARTH_LATEST, NOW

HEAVY = ("httpx", "lxml", "readability", "feedparser", "markdownify", "charset_normalizer")

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from termreader.paths import default_paths
    from termreader.services import Services
    from termreader.ui.app import TermreaderApp

    async def main():
        app = TermreaderApp(Services.create(default_paths()), refresh_on_start=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = [row.ref.title for row in app.query_one("#latest-list").rows]
        print("SHOWN:" + "|".join(shown))
        print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))

    asyncio.run(main())
    """
)


def test_first_paint_from_cache_imports_no_network_or_parser(isolated_dirs: AppPaths) -> None:
    from termreader.cache import Cache
    from termreader.config import add_source

    add_source(isolated_dirs.config_file, "https://hearth.example/", "Hearth & Field")
    cache = Cache.open(isolated_dirs.cache_db)
    cache.put_list("Hearth & Field", "latest", HEARTH_LATEST, NOW)
    cache.close()
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("{heavy!r}", repr(HEAVY))],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    lines = dict(
        line.split(":", 1) for line in result.stdout.splitlines() if line.startswith(("SHOWN:", "LOADED:"))
    )
    assert lines["SHOWN"].split("|") == [ref.title for ref in HEARTH_LATEST]
    assert lines["LOADED"] == ""
