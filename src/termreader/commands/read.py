"""`termreader read`: placeholder until its owner fills it in."""

from __future__ import annotations

import argparse

from termreader.context import CliEnv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("read", help="(not yet available)")


def run(args: argparse.Namespace, env: CliEnv) -> int:
    env.error("'read' is not available yet")
    return 2
