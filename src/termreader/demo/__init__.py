"""Built-in demo sites and the small loopback HTTP server that serves them (also used by the tests).

`start_demo()` serves a Blogger-shaped and a WordPress-shaped blog (demo/sites/, rendered from demo/content/
by demo/build.py) on 127.0.0.1, so `termreader --demo` works with no network at all.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from termreader.demo.siteserver import SiteServer
from termreader.models import SourceConfig

if TYPE_CHECKING:
    from termreader.context import CliEnv
    from termreader.fetch import Fetcher
    from termreader.models import ArticleRef, PopularResult

SITES_DIR: Final = Path(__file__).resolve().parent / "sites"
DEMO_SITES: Final = (
    ("Terminal Hours", "blogger-demo"),
    ("Feed Notes", "wordpress-demo"),
)
"""(source name, site folder) of every demo site, in the order they are listed."""


@dataclass(frozen=True, slots=True)
class DemoSites:
    """Running demo servers and the sources pointing at them; call stop() when done."""

    servers: tuple[SiteServer, ...]
    sources: tuple[SourceConfig, ...]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def __enter__(self) -> DemoSites:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_demo(*, latency: float = 0.0) -> DemoSites:
    """Serve every demo site on its own random 127.0.0.1 port; the kinds are left to detection."""
    servers: list[SiteServer] = []
    try:
        for _name, folder in DEMO_SITES:
            servers.append(SiteServer(SITES_DIR / folder, latency=latency).start())
    except BaseException:
        for server in servers:
            server.stop()
        raise
    sources = tuple(
        SourceConfig(name=name, url=server.url("/"))
        for (name, _), server in zip(DEMO_SITES, servers, strict=True)
    )
    return DemoSites(servers=tuple(servers), sources=sources)


def print_demo(env: CliEnv, *, limit: int = 5) -> int:
    """`termreader --demo` without the app: the latest and popular posts of each demo site, as text."""
    with start_demo() as demo:
        return asyncio.run(_print_all(env, demo.sources, limit))


async def _print_all(env: CliEnv, sources: tuple[SourceConfig, ...], limit: int) -> int:
    from termreader.errors import TermreaderError
    from termreader.fetch import Fetcher

    status = 0
    async with Fetcher() as fetcher:
        for index, source in enumerate(sources):
            if index:
                print(file=env.stdout)
            print(f"{source.name} — {source.url}", file=env.stdout)
            try:
                latest, popular = await _lists(fetcher, source, limit)
            except TermreaderError as error:
                env.error(f"{source.name}: {error}")
                status = 1
                continue
            print(_format_latest(latest), file=env.stdout)
            print(_format_popular(popular), file=env.stdout)
    return status


async def _lists(
    fetcher: Fetcher, source: SourceConfig, limit: int
) -> tuple[list[ArticleRef], PopularResult]:
    from termreader import sources as adapters

    latest = await adapters.latest(fetcher, source, limit=limit)
    popular = await adapters.popular(fetcher, source)
    return latest, popular


def _format_latest(items: list[ArticleRef]) -> str:
    lines = ["  Latest:"]
    if not items:
        lines.append("    (no articles)")
    for item in items:
        day = item.published.date().isoformat() if item.published else "          "
        lines.append(f"    {day}  {item.title}")
        lines.append(f"                {item.url}")
    return "\n".join(lines)


def _format_popular(result: PopularResult) -> str:
    if not result.found:
        return "  Popular: this site publishes no popular posts."
    heading = f" ({result.heading})" if result.heading else ""
    lines = [f"  Popular{heading}:"]
    for rank, item in enumerate(result.items, start=1):
        lines.append(f"    {rank}. {item.title}")
        if item.snippet:
            lines.append(f"       {item.snippet}")
        lines.append(f"       {item.url}")
    return "\n".join(lines)
