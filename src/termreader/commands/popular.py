"""`termreader popular SOURCE [--json]`: the posts a site itself shows as popular, or a plain "none"."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from termreader.context import CliEnv

if TYPE_CHECKING:
    from termreader.models import PopularResult, SourceConfig


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "popular",
        help="list the posts a site shows as popular",
        description="List the popular posts a site publishes (Blogger, WordPress Popular Posts, Jetpack Top "
        "Posts, other marked lists). A site without such a list says so; that is not an error.",
    )
    parser.add_argument("source", metavar="SOURCE", help="a configured source name, a URL or a file path")
    parser.add_argument("--json", action="store_true", help="print a JSON list of posts ([] when none)")


def _site_name(source: SourceConfig, result: PopularResult) -> str:
    if source.name != source.url:
        return source.name
    host = urlsplit(result.page_url or source.url).netloc
    return host or source.url


def run(args: argparse.Namespace, env: CliEnv) -> int:
    import asyncio

    from termreader.commands.latest import render_items, write_json
    from termreader.fetch import Fetcher
    from termreader.sources import popular, source_from_argument
    from termreader.textutil import strip_unsafe

    source = source_from_argument(args.source, env.paths.config_file)

    from termreader.config import settings_for_fetching

    options = settings_for_fetching(env.paths.config_file).fetcher_options()

    async def fetch() -> PopularResult:
        async with Fetcher(cache_dir=env.paths.http_cache_dir, **options) as fetcher:
            return await popular(fetcher, source)

    result = asyncio.run(fetch())
    if args.json:
        write_json(result.items, env)
    elif not result.found or not result.items:
        env.stdout.write(f"{strip_unsafe(_site_name(source, result))} publishes no popular posts\n")
    else:
        env.stdout.write(render_items(result.items, color=env.color))
    env.stdout.flush()
    return 0
