"""`termreader latest SOURCE [--json] [--limit N]`: a source's newest articles, as text blocks or JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from termreader.context import CliEnv

if TYPE_CHECKING:
    from termreader.models import ArticleRef

_BOLD: Final = "\x1b[1m"
_DIM: Final = "\x1b[2m"
_LINK: Final = "\x1b[4;36m"
_RESET: Final = "\x1b[0m"


def positive_int(text: str) -> int:
    """argparse type for --limit: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "latest",
        help="list a source's newest articles",
        description="List the newest articles of a configured source, a site URL, a feed URL or a saved "
        "file. Feeds are discovered from the page, probed at the usual paths, or read from the page's "
        "own list.",
    )
    parser.add_argument("source", metavar="SOURCE", help="a configured source name, a URL or a file path")
    parser.add_argument("--json", action="store_true", help="print a JSON list of articles")
    parser.add_argument("--limit", type=positive_int, metavar="N", help="show at most N articles")


def _styled(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def render_items(items: Sequence[ArticleRef], *, color: bool) -> str:
    """One block per article: title, date and author, URL, snippet; blocks separated by a blank line."""
    from termreader.textutil import strip_unsafe

    blocks: list[str] = []
    for item in items:
        lines = [_styled(strip_unsafe(item.title), _BOLD, color)]
        facts = [
            item.published.date().isoformat() if item.published is not None else "",
            strip_unsafe(item.author or ""),
        ]
        about = " · ".join(fact for fact in facts if fact)
        if about:
            lines.append(_styled(about, _DIM, color))
        lines.append(_styled(strip_unsafe(item.url), _LINK, color))
        if item.snippet:
            lines.append(strip_unsafe(item.snippet))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def write_json(items: Sequence[ArticleRef], env: CliEnv) -> None:
    json.dump([item.to_json() for item in items], env.stdout, ensure_ascii=False, indent=2)
    env.stdout.write("\n")


def run(args: argparse.Namespace, env: CliEnv) -> int:
    import asyncio

    from termreader.fetch import Fetcher
    from termreader.sources import latest, source_from_argument

    source = source_from_argument(args.source, env.paths.config_file)

    from termreader.config import settings_for_fetching

    options = settings_for_fetching(env.paths.config_file).fetcher_options()

    async def fetch() -> list[ArticleRef]:
        async with Fetcher(cache_dir=env.paths.http_cache_dir, **options) as fetcher:
            return await latest(fetcher, source, limit=args.limit)

    items = asyncio.run(fetch())
    if args.json:
        write_json(items, env)
    elif items:
        env.stdout.write(render_items(items, color=env.color))
    else:
        env.stdout.write(f"{source.name} lists no articles right now\n")
    env.stdout.flush()
    return 0
