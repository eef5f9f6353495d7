"""`termreader refresh`: placeholder until its owner fills it in."""

from __future__ import annotations

import argparse

from termreader.context import CliEnv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("refresh", help="(not yet available)")


def run(args: argparse.Namespace, env: CliEnv) -> int:
    env.error("'refresh' is not available yet")
    return 2
