"""End to end: the installed `termreader --demo` in tmux, driven by keys, checked with capture-pane."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

TMUX = shutil.which("tmux")
TERMREADER = Path(sys.executable).parent / "termreader"
WIDTH, HEIGHT = 120, 36
READER_COLUMN = 67
"""The reader pane starts at this column at 120 columns (sources 30 + articles 36 + border)."""


def tmux(*args: str) -> str:
    assert TMUX is not None
    result = subprocess.run([TMUX, *args], capture_output=True, text=True, timeout=20)
    return result.stdout


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, name: str) -> None:
        self.name = name

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def reader_lines(self) -> list[str]:
        return [line[READER_COLUMN:].strip(" │") for line in self.screen().splitlines()]

    def keys(self, *keys: str) -> None:
        for key in keys:
            tmux("send-keys", "-t", self.name, key)
            time.sleep(0.15)

    def wait_for(self, check: Callable[[str], bool], what: str, tries: int = 150) -> str:
        """Poll the screen up to `tries` times, 0.1 s apart."""
        screen = ""
        for _ in range(tries):
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if TMUX is None:
        pytest.skip("tmux is not installed (apt-get install tmux)")
    if not TERMREADER.exists():
        pytest.skip(f"{TERMREADER} is not installed (pip install -e .)")
    name = f"termreader-e2e-{uuid.uuid4().hex[:8]}"
    env = {
        "TERMREADER_CONFIG": str(tmp_path / "config" / "config.toml"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
    }
    command = " ".join(f"{key}={value!r}" for key, value in env.items()) + f" {TERMREADER} --demo"
    tmux("new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), f"env -i {command}")
    yield Terminal(name)
    tmux("kill-session", "-t", name)


def test_open_an_article_follow_a_link_and_come_back(terminal: Terminal) -> None:
    terminal.wait_for(lambda s: s.count("●") >= 3, "the demo's article list")
    assert "Terminal Hours" in terminal.screen()
    terminal.keys("Enter", "Enter")
    screen = terminal.wait_for(lambda s: "min read" in s, "the article header")
    first_title = terminal.reader_lines()[1]
    assert first_title and "Loading" not in first_title
    assert "http://127.0.0.1:" in screen

    terminal.keys("Tab")  # the first link of the article: the reader scrolls to it
    time.sleep(0.5)
    where = {line for line in terminal.reader_lines()[1:-2] if len(line) > 20}
    terminal.keys("Enter")  # opened in the reader itself
    terminal.wait_for(
        lambda s: "min read" in s and terminal.reader_lines()[1] != first_title, "the linked article"
    )
    second_title = terminal.reader_lines()[1]
    assert second_title != first_title

    terminal.keys("[")  # back to the first article, at the place we left it
    terminal.wait_for(
        lambda s: len(where & set(terminal.reader_lines())) >= len(where) // 2 and "Loading" not in s,
        "going back in history",
    )
    terminal.keys("]")
    terminal.wait_for(lambda s: terminal.reader_lines()[1] == second_title, "going forward again")

    terminal.keys("q")
    terminal.wait_for(lambda s: "Sources" not in s, "the app to quit")
