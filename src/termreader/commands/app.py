"""Start the reader app (the default when no sub-command is given)."""

from __future__ import annotations

import argparse

from termreader.context import CliEnv


def run(args: argparse.Namespace, env: CliEnv) -> int:
    env.error("the reader app is not available yet")
    return 2
