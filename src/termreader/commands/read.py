"""`termreader read URL|FILE [--json]`: one article as clean Markdown (or JSON) on stdout."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from termreader.context import CliEnv

if TYPE_CHECKING:
    from termreader.models import Article


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "read",
        help="print an article (URL or saved HTML file) as clean Markdown",
        description="Fetch a page (or read a saved one); print its article as Markdown with a small header.",
    )
    parser.add_argument("target", metavar="URL|FILE", help="an http(s) URL, a file path or a file:// URL")
    parser.add_argument("--json", action="store_true", help="print the metadata and the Markdown as JSON")


def render_header(article: Article) -> str:
    """The lines shown above the body: the title, who/when/where, and the address."""
    lines = [f"# {article.title}", ""]
    facts = [
        article.byline or "",
        article.published.date().isoformat() if article.published is not None else "",
        article.site_name or "",
    ]
    about = " · ".join(fact for fact in facts if fact)
    if about:
        lines.append(about)
    address = article.canonical_url or article.url
    if address:
        lines.append(f"<{address}>")
    if about or address:
        lines.append("")
    lines.append("---")
    lines.append("")
    return "\n".join(lines)


def render_article(article: Article) -> str:
    """Header plus body, ready for a pager or a file."""
    return render_header(article) + "\n" + article.markdown


def run(args: argparse.Namespace, env: CliEnv) -> int:
    import asyncio

    from termreader.config import settings_for_fetching
    from termreader.extract import fetch_article
    from termreader.fetch import Fetcher

    options = settings_for_fetching(env.paths.config_file).fetcher_options()

    async def fetch() -> Article:
        async with Fetcher(cache_dir=env.paths.http_cache_dir, **options) as fetcher:
            return await fetch_article(fetcher, args.target)

    article = asyncio.run(fetch())
    if args.json:
        json.dump(article.to_json(), env.stdout, ensure_ascii=False, indent=2)
        env.stdout.write("\n")
    else:
        env.stdout.write(render_article(article))
    env.stdout.flush()
    return 0
