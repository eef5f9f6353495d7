"""The README states what the code does: the two commands, the key table and every sub-command."""

from __future__ import annotations

import subprocess
from pathlib import Path

from termreader.cli import COMMAND_MODULES
from termreader.ui.keys import KEY_TABLE

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
CI_RUN = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")

TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest"


def test_readme_and_ci_share_the_test_command() -> None:
    assert TEST_COMMAND in README
    assert TEST_COMMAND in CI_RUN


def test_readme_has_the_demo_command() -> None:
    assert "termreader --demo" in README


def test_every_key_in_the_help_is_in_the_readme() -> None:
    for _section, rows in KEY_TABLE:
        for key, what in rows:
            assert f"| `{key.replace('|', chr(92) + '|')}` | {what} |" in README, key


def test_every_sub_command_is_documented() -> None:
    for name in COMMAND_MODULES:
        assert f"termreader {name}" in README, name


def test_ci_script_stops_at_the_first_failing_check() -> None:
    result = subprocess.run(["bash", "-n", str(Path(__file__).resolve().parents[1] / ".ci" / "run")])
    assert result.returncode == 0
    assert CI_RUN.splitlines()[2].startswith("set -euo pipefail")
