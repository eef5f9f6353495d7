"""`termreader bookmarks`: save, list, search, show, tag, remove, export and import saved articles."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from termreader.context import CliEnv

if TYPE_CHECKING:
    from termreader.bookmarks.store import Bookmark, BookmarkStore
    from termreader.models import Article

IMPORT_BATCH = 1000
"""Bookmarks per import transaction: a kill loses at most the batch in flight, never half of one."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bookmarks",
        help="saved articles: add, list, search, show, export, import",
        description="Save, list, search, show, tag, remove, export and import saved articles (kept offline).",
    )
    sub = parser.add_subparsers(dest="bookmarks_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="fetch an article and save it")
    add.add_argument("url")
    add.add_argument("--tag", action="append", default=[], metavar="TAG", help="tag it (repeatable)")
    add.add_argument("--no-fetch", action="store_true", help="save the link only; fetch the article later")

    listing = sub.add_parser("list", help="saved articles, newest first")
    listing.add_argument("--tag", help="only bookmarks with this tag")
    listing.add_argument("--source", help="only bookmarks saved from this source")
    listing.add_argument("--limit", type=int, help="at most this many")
    listing.add_argument("--json", action="store_true", help="a JSON array (without the article bodies)")

    search = sub.add_parser("search", help='full-text search (words, -word to exclude, "a phrase")')
    search.add_argument("query")
    search.add_argument("--tag", help="only bookmarks with this tag")
    search.add_argument("--limit", type=int, default=20, help="most results (default 20)")
    search.add_argument("--json", action="store_true", help="results as JSON")

    show = sub.add_parser("show", help="one bookmark with its article")
    show.add_argument("bookmark", metavar="ID_OR_URL")
    show.add_argument("--markdown", action="store_true", help="print only the article's Markdown")

    remove = sub.add_parser("remove", help="delete a bookmark")
    remove.add_argument("bookmark", metavar="ID_OR_URL")

    tag = sub.add_parser("tag", help="add tags to a bookmark")
    tag.add_argument("bookmark", metavar="ID_OR_URL")
    tag.add_argument("tags", nargs="+", metavar="TAG")
    tag.add_argument("--replace", action="store_true", help="replace the tags instead of adding")

    export = sub.add_parser("export", help="write every bookmark as JSON, browser HTML or Markdown files")
    export.add_argument("--format", choices=("json", "html", "markdown-dir"), default="json")
    export.add_argument("--output", type=Path, metavar="PATH", help="file (folder for markdown-dir)")

    imp = sub.add_parser("import", help="import our JSON, browser bookmark HTML or a Pocket export")
    imp.add_argument("file", type=Path)
    imp.add_argument("--no-fetch", action="store_true", help="do not fetch the articles of imported links")
    imp.add_argument("--concurrency", type=int, default=4, help="parallel article fetches (default 4)")

    fetch = sub.add_parser("fetch", help="retry fetching the articles of link-only bookmarks")
    fetch.add_argument("--concurrency", type=int, default=4, help="parallel article fetches (default 4)")


def run(args: argparse.Namespace, env: CliEnv) -> int:
    from termreader.bookmarks.store import BookmarkStore

    store = BookmarkStore.open(env.paths.bookmarks_db)
    try:
        handler = _HANDLERS[args.bookmarks_command]
        return handler(args, env, store)
    finally:
        store.close()


# --- helpers ----------------------------------------------------------------------------------


def _line(bookmark: Bookmark) -> str:
    tags = "  " + " ".join(f"#{t}" for t in bookmark.tags) if bookmark.tags else ""
    site = f" — {bookmark.site}" if bookmark.site else ""
    link_only = "  (link only)" if not bookmark.markdown else ""
    return f"{bookmark.id:>5}  {bookmark.saved_at:%Y-%m-%d}  {bookmark.title}{site}{tags}{link_only}"


def _print_json(env: CliEnv, value: object) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False, indent=2), file=env.stdout)


def _summary_json(bookmark: Bookmark) -> dict[str, object]:
    from termreader.bookmarks.formats import bookmark_json

    data = bookmark_json(bookmark)
    del data["markdown"]
    return data


def _require(store: BookmarkStore, key: str) -> Bookmark:
    from termreader.bookmarks.store import BookmarkInputError

    found = store.get(key)
    if found is None:
        raise BookmarkInputError(f"no bookmark {key!r} (see `termreader bookmarks list`)")
    return found


def _fetch_and_report(env: CliEnv, store: BookmarkStore, targets: list[Bookmark], concurrency: int) -> int:
    """Fetch bodies with progress on stderr; list failures at the end. Returns the number of failures."""
    import asyncio

    from termreader.bookmarks.fetching import fetch_bodies
    from termreader.fetch import Fetcher

    if not targets:
        return 0

    def progress(done: int, total: int, bookmark: Bookmark, error: str | None) -> None:
        state = "failed" if error else "ok"
        print(f"fetched {done}/{total} [{state}] {bookmark.url}", file=env.stderr, flush=True)

    async def go() -> int:
        async with Fetcher(cache_dir=env.paths.http_cache_dir) as fetcher:
            failures = await fetch_bodies(store, targets, fetcher, concurrency=concurrency, progress=progress)
        if failures:
            print(
                f"{len(failures)} article(s) could not be fetched (kept as links; retry with "
                "`termreader bookmarks fetch`):",
                file=env.stderr,
            )
            for failure in failures:
                env.error(f"  {failure.bookmark.url}: {failure.reason}")
        return len(failures)

    return asyncio.run(go())


# --- actions ----------------------------------------------------------------------------------


def _add(args: argparse.Namespace, env: CliEnv, store: BookmarkStore) -> int:
    import asyncio

    from termreader.bookmarks.store import bookmark_url
    from termreader.errors import TermreaderError

    bookmark_url(args.url)  # refuse a non-web address before any network work
    if args.no_fetch:
        saved = store.save_link(args.url, tags=args.tag)
        print(f"saved link {saved.id}: {saved.url}", file=env.stdout)
        return 0
    from termreader.extract import fetch_article
    from termreader.fetch import Fetcher

    async def get() -> Article:
        async with Fetcher(cache_dir=env.paths.http_cache_dir) as fetcher:
            return await fetch_article(fetcher, args.url)

    try:
        article = asyncio.run(get())
    except TermreaderError as error:
        saved = store.save_link(args.url, tags=args.tag)
        print(f"saved link {saved.id}: {saved.url}", file=env.stdout)
        env.error(
            f"could not fetch the article ({error}); saved as a link, retry with `termreader bookmarks fetch`"
        )
        return 1
    if article.url is None:
        from dataclasses import replace

        article = replace(article, url=args.url)
    saved = store.save_article(article, tags=args.tag)
    print(f"saved {saved.id}: {saved.title} ({saved.word_count} words)", file=env.stdout)
    return 0


def _list(args: argparse.Namespace, env: CliEnv, store: BookmarkStore) -> int:
    bookmarks = store.list(tag=args.tag, source=args.source, limit=args.limit)
    if args.json:
        _print_json(env, [_summary_json(b) for b in bookmarks])
        return 0
    if not bookmarks:
        print("no bookmarks" + (f" tagged {args.tag!r}" if args.tag else ""), file=env.stderr)
        return 0
    for bookmark in bookmarks:
        print(_line(bookmark), file=env.stdout)
    return 0


def _mark(env: CliEnv, snippet: str, highlights: tuple[tuple[int, int], ...]) -> str:
    """Highlights in bold on a colour terminal, between [brackets] otherwise."""
    opening, closing = ("\x1b[1m", "\x1b[22m") if env.color else ("[", "]")
    out, last = [], 0
    for start, end in highlights:
        out += [snippet[last:start], opening, snippet[start:end], closing]
        last = end
    out.append(snippet[last:])
    return "".join(out)


def _search(args: argparse.Namespace, env: CliEnv, store: BookmarkStore) -> int:
    hits = store.search(args.query, tag=args.tag, limit=max(1, args.limit))
    if args.json:
        _print_json(
            env,
            [
                {
                    **_summary_json(h.bookmark),
                    "snippet": h.snippet,
                    "highlights": [list(x) for x in h.highlights],
                }
                for h in hits
            ],
        )
        return 0
    if not hits:
        print(f"no bookmark matches {args.query!r}", file=env.stderr)
        return 1
    for hit in hits:
        print(_line(hit.bookmark), file=env.stdout)
        print(f"       {_mark(env, hit.snippet, hit.highlights)}", file=env.stdout)
    return 0


def _show(args: argparse.Namespace, env: CliEnv, store: BookmarkStore) -> int:
    bookmark = _require(store, args.bookmark)
    if args.markdown:
        print(bookmark.markdown, file=env.stdout)
        return 0
    rows = [
        ("Title", bookmark.title),
        ("URL", bookmark.url),
        ("By", bookmark.byline),
        ("Site", bookmark.site),
        ("Published", bookmark.published.isoformat() if bookmark.published else None),
        ("Saved", bookmark.saved_at.isoformat()),
        ("Source", bookmark.source),
        ("Tags", ", ".join(bookmark.tags) or None),
        ("Read", "yes" if bookmark.read else "no"),
        ("Words", str(bookmark.word_count)),
        ("Note", bookmark.note or None),
    ]
    for label, value in rows:
        if value is not None:
            print(f"{label + ':':<11}{value}", file=env.stdout)
    print(file=env.stdout)
    print(bookmark.markdown or "(link only: the article has not been fetched yet)", file=env.stdout)
    return 0


def _remove(args: argparse.Namespace, env: CliEnv, store: BookmarkStore) -> int:
    removed = store.remove(_require(store, args.bookmark).id)
    assert removed is not None
    print(f"removed {removed.id}: {removed.title}", file=env.stdout)
    return 0


def _tag(args: argparse.Namespace, env: CliEnv, store: BookmarkStore) -> int:
    target = _require(store, args.bookmark)
    updated = store.set_tags(target.id, args.tags) if args.replace else store.add_tags(target.id, args.tags)
    print(f"{updated.id}: {', '.join(updated.tags) or '(no tags)'}", file=env.stdout)
    return 0


def _export(args: argparse.Namespace, env: CliEnv, store: BookmarkStore) -> int:
    from termreader.bookmarks.io import export

    bookmarks = list(reversed(store.list()))  # oldest first: imports then re-create them in order
    text = export(bookmarks, args.format, args.output)
    if text is not None:
        env.stdout.write(text)
    else:
        print(f"exported {len(bookmarks)} bookmark(s) to {args.output}", file=env.stderr)
    return 0


def _import(args: argparse.Namespace, env: CliEnv, store: BookmarkStore) -> int:
    from termreader.bookmarks.io import read_import
    from termreader.bookmarks.store import BookmarkInputError, bookmark_url

    parsed = read_import(args.file)
    added = updated = 0
    skipped: list[str] = []
    for start in range(0, len(parsed.drafts), IMPORT_BATCH):
        counts = store.import_many(parsed.drafts[start : start + IMPORT_BATCH], keep_ids=parsed.keep_ids)
        added, updated = added + counts.added, updated + counts.updated
        skipped += counts.skipped
    print(
        f"imported {added} new and merged {updated} existing bookmark(s) from {args.file} ({parsed.format})",
        file=env.stdout,
    )
    if skipped:
        env.error(f"skipped {len(skipped)} entry(ies) that are not web addresses")
    if args.no_fetch:
        return 0
    wanted: set[str] = set()
    for draft in parsed.drafts:
        try:
            wanted.add(bookmark_url(draft.url))
        except BookmarkInputError:  # already reported as skipped
            continue
    targets = [b for b in store.without_body() if b.url in wanted]
    failures = _fetch_and_report(env, store, targets, args.concurrency)
    return 1 if failures else 0


def _fetch(args: argparse.Namespace, env: CliEnv, store: BookmarkStore) -> int:
    targets = store.without_body()
    if not targets:
        print("every bookmark has its article", file=env.stdout)
        return 0
    return 1 if _fetch_and_report(env, store, targets, args.concurrency) else 0


_HANDLERS = {
    "add": _add,
    "list": _list,
    "search": _search,
    "show": _show,
    "remove": _remove,
    "tag": _tag,
    "export": _export,
    "import": _import,
    "fetch": _fetch,
}
