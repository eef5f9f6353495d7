"""`termreader sources`: placeholder until its owner fills it in."""

from __future__ import annotations

import argparse

from termreader.context import CliEnv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("sources", help="(not yet available)")


def run(args: argparse.Namespace, env: CliEnv) -> int:
    env.error("'sources' is not available yet")
    return 2
