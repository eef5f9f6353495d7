"""`termreader sources`: list, add, remove, import and export the configured sources."""

from __future__ import annotations

import argparse
import json

from termreader.context import CliEnv

KINDS = ("feed", "blogger", "wordpress", "ghost", "substack", "hugo", "jekyll", "medium", "html")
"""Mirrors termreader.config.SOURCE_KINDS (kept here so `--help` does not import the config module)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sources",
        help="list, add, remove, import or export sources",
        description="Edit the sources in the config file; your comments and layout are kept.",
    )
    actions = parser.add_subparsers(dest="sources_action", metavar="ACTION")
    listing = actions.add_parser("list", help="show the configured sources")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    add = actions.add_parser("add", help="add a source (a site, a feed or a saved page)")
    add.add_argument("url", metavar="URL", help="http(s) URL, absolute file path or file:// URL")
    add.add_argument("--name", metavar="N", help="name to show (default: the site's host name)")
    add.add_argument("--kind", metavar="K", choices=KINDS, help=f"force a kind: {', '.join(KINDS)}")
    remove = actions.add_parser("remove", help="remove a source by name")
    remove.add_argument("name", metavar="NAME")
    imp = actions.add_parser(
        "import", help="add the feeds of an OPML file (URLs already present are skipped)"
    )
    imp.add_argument("file", metavar="FILE.opml")
    export = actions.add_parser("export", help="write the sources as OPML (to stdout without FILE)")
    export.add_argument("file", metavar="FILE", nargs="?")


def run(args: argparse.Namespace, env: CliEnv) -> int:
    action = getattr(args, "sources_action", None) or "list"
    if action == "list":
        return _list(env, as_json=bool(getattr(args, "json", False)))
    if action == "add":
        return _add(env, args.url, args.name, args.kind)
    if action == "remove":
        return _remove(env, args.name)
    if action == "import":
        return _import(env, args.file)
    return _export(env, args.file)


def _list(env: CliEnv, *, as_json: bool) -> int:
    from termreader.config import load_config

    config = load_config(env.paths.config_file)
    if as_json:
        rows = [
            {
                "name": s.name,
                "url": s.url,
                "kind": s.kind,
                "limit": s.limit,
                "refresh_minutes": s.refresh_minutes,
            }
            for s in config.sources
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=env.stdout)
        return 0
    if not config.sources:
        print(f"No sources in {config.path}.", file=env.stdout)
        print("Add one with: termreader sources add URL [--name NAME]", file=env.stdout)
        return 0
    width = max(len(s.name) for s in config.sources)
    kind_width = max(len(s.kind or "auto") for s in config.sources)
    for source in config.sources:
        print(f"{source.name:<{width}}  {source.kind or 'auto':<{kind_width}}  {source.url}", file=env.stdout)
    return 0


def _add(env: CliEnv, url: str, name: str | None, kind: str | None) -> int:
    from termreader.config import add_source

    source = add_source(env.paths.config_file, url, name=name, kind=kind)
    print(f"Added {source.name!r}: {source.url}", file=env.stdout)
    return 0


def _remove(env: CliEnv, name: str) -> int:
    from termreader.config import remove_source

    source = remove_source(env.paths.config_file, name)
    print(f"Removed {source.name!r}: {source.url}", file=env.stdout)
    return 0


def _import(env: CliEnv, file: str) -> int:
    from pathlib import Path

    from termreader.config import add_sources
    from termreader.errors import OpmlError
    from termreader.opml import read_opml

    path = Path(file).expanduser()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise OpmlError(f"cannot read {path}: {error.strerror or error}") from None
    found = read_opml(data, str(path))
    if not found:
        print(f"No feeds found in {path}; nothing imported.", file=env.stdout)
        return 0
    added, skipped = add_sources(env.paths.config_file, found)
    print(
        f"Imported {len(added)} source{'s' if len(added) != 1 else ''} from {path}; "
        f"skipped {len(skipped)} already present.",
        file=env.stdout,
    )
    for source in added:
        if _is_local(source.url):
            # An OPML file from someone else can name files on this machine; say so rather than hide it.
            print(f"note: {source.name!r} reads a local file: {source.url}", file=env.stderr)
    return 0


def _is_local(url: str) -> bool:
    return url.startswith(("/", "~")) or url[:7].lower() == "file://"


def _export(env: CliEnv, file: str | None) -> int:
    from pathlib import Path

    from termreader.atomicfile import write_atomic
    from termreader.config import load_config
    from termreader.opml import write_opml

    config = load_config(env.paths.config_file)
    document = write_opml(config.sources)
    if file is None or file == "-":
        env.stdout.write(document)
        return 0
    target = Path(file).expanduser()
    write_atomic(target, document)
    print(f"Exported {len(config.sources)} sources to {target}", file=env.stdout)
    return 0
