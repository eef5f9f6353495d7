"""`termreader bookmarks`: placeholder until its owner fills it in."""

from __future__ import annotations

import argparse

from termreader.context import CliEnv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("bookmarks", help="(not yet available)")


def run(args: argparse.Namespace, env: CliEnv) -> int:
    env.error("'bookmarks' is not available yet")
    return 2
