"""`termreader` with no command: a broken config is one line on stderr and exit 2, before any screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from termreader.paths import AppPaths


def run_termreader(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termreader", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env or dict(os.environ),
        stdin=subprocess.DEVNULL,
    )


def test_broken_config_is_one_line_and_exit_2(isolated_dirs: AppPaths, tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text('[settings]\nreader_width = "wide"\n', encoding="utf-8")
    result = run_termreader("--config", str(config))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"termreader: {config}")
    assert "reader_width" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unreadable_read_state_is_one_line(isolated_dirs: AppPaths) -> None:
    state = isolated_dirs.state_db
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_bytes(b"definitely not sqlite\n" * 300)
    result = run_termreader()
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"termreader: {state}: cannot open the read-state database: file is not a database"
    )
    assert "Traceback" not in result.stderr
