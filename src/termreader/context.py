"""The environment a CLI command runs in (streams, paths, colour), injectable by tests."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TextIO

from termreader.paths import AppPaths


@dataclass(slots=True)
class CliEnv:
    """What a command may touch; tests build one with StringIO streams and temp paths."""

    paths: AppPaths
    stdout: TextIO
    stderr: TextIO
    color: bool
    """True only when stdout is a terminal and NO_COLOR is unset."""

    @classmethod
    def from_process(cls, paths: AppPaths) -> CliEnv:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        return cls(paths=paths, stdout=sys.stdout, stderr=sys.stderr, color=color)

    def error(self, message: str) -> None:
        """One line on stderr, control characters removed so hostile text cannot reach the terminal."""
        clean = "".join(ch if ch.isprintable() else " " for ch in message.replace("\n", " "))
        print(f"termreader: {clean}", file=self.stderr)
