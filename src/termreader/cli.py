"""The `termreader` command: argument parsing and dispatch to one module per sub-command.

Sub-command modules import their heavy dependencies inside `run`, so `termreader read` never loads Textual
and `termreader --help` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Protocol

from termreader import __version__
from termreader.context import CliEnv
from termreader.errors import TermreaderError
from termreader.paths import default_paths

COMMAND_MODULES: tuple[str, ...] = (
    "read",
    "latest",
    "popular",
    "sources",
    "refresh",
    "bookmarks",
)
"""Modules under `termreader.commands`, each with `register(subparsers)` and `run(args, env)`."""


class CommandModule(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...

    def run(self, args: argparse.Namespace, env: CliEnv) -> int: ...


def _load(name: str) -> CommandModule:
    module: CommandModule = importlib.import_module(f"termreader.commands.{name}")
    return module


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="termreader",
        description="Read blogs and feeds in the terminal. Without a command, starts the reader app.",
    )
    parser.add_argument("--version", action="version", version=f"termreader {__version__}")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file to use (default: $TERMREADER_CONFIG, else the platform config dir)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start on built-in demo sites served from 127.0.0.1 (no network needed)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        _load(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    env = CliEnv.from_process(default_paths(args.config))
    try:
        if args.command is None:
            from termreader.commands import app

            return app.run(args, env)
        return _load(args.command).run(args, env)
    except TermreaderError as error:
        env.error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `termreader read URL | head`: the reader went away; that is not a failure of ours.
        sys.stderr.close()
        return 0
    except Exception as error:  # the last line of defence: never show a traceback
        if os.environ.get("TERMREADER_DEBUG"):
            raise
        env.error(f"internal error: {type(error).__name__}: {error} (set TERMREADER_DEBUG=1 for details)")
        return 70
