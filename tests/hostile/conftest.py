"""Hostile-suite helpers: typed-error-or-result calls, bounded subprocess runs, a secret local file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from termreader.errors import TermreaderError
from tests.hostile.generators import output_problems

REPO: Path = Path(__file__).resolve().parents[2]
T = TypeVar("T")

BOUND_SECONDS: float = 120.0
"""Wall-clock bound for one heavy case: generous on a slow CI box; a hang hits it and fails the test."""
BOUND_MEMORY: int = 1536 * 1024 * 1024
"""RLIMIT_AS for one heavy case: a parser that balloons gets MemoryError instead of taking the machine."""


def outcome(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | TermreaderError:
    """The result, or our typed error; any other exception propagates and fails the test."""
    try:
        return fn(*args, **kwargs)
    except TermreaderError as error:
        return error


def assert_safe(value: object, secret: str | None = None) -> None:
    """A result holds no control characters, bidi overrides or leaked secret; a typed error has one line."""
    if isinstance(value, TermreaderError):
        message = str(value)
        assert message.strip(), f"{type(value).__name__} with an empty message"
        if secret is not None:
            assert secret not in message
        return
    problems = output_problems(value, secret)
    assert not problems, "\n".join(problems)


@dataclass(frozen=True, slots=True)
class Bounded:
    """What a bounded subprocess reported."""

    outcome: str
    """'result' or 'typed'."""
    data: dict[str, Any]


_PRELUDE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
from termreader.errors import TermreaderError
from tests.hostile.generators import output_problems
SECRET = {secret!r}

def finish(value, **extra):
    if isinstance(value, TermreaderError):
        data = {{"outcome": "typed", "error": str(value), "type": type(value).__name__}}
        if SECRET and SECRET in str(value):
            data["problems"] = ["the error message leaks the secret"]
    else:
        data = {{"outcome": "result", "problems": output_problems(value, SECRET or None)}}
    data.update(extra)
    print("HOSTILE-RESULT " + json.dumps(data))

def call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except TermreaderError as error:
        return error
"""


def run_bounded(
    code: str, *, secret: str = "", timeout: float = BOUND_SECONDS, memory: int = BOUND_MEMORY
) -> Bounded:
    """Run `code` in a fresh interpreter under a memory cap and a wall-clock bound.

    `code` calls `finish(value, **extra)` once. Any exception other than our typed errors, a MemoryError
    or a hang fails the calling test with the child's stderr.
    """
    script = _PRELUDE.format(memory=memory, secret=secret) + textwrap.dedent(code)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")])}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"not bounded: still running after {timeout:.0f} s")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("HOSTILE-RESULT ")]
    if proc.returncode != 0 or len(lines) != 1:
        pytest.fail(f"exit {proc.returncode}; stderr:\n{proc.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(lines[0].removeprefix("HOSTILE-RESULT "))
    assert not data.get("problems"), "\n".join(data["problems"])
    return Bounded(outcome=str(data["outcome"]), data=data)


@dataclass(frozen=True, slots=True)
class Secret:
    """A local file an external entity may point at; `marker` must never appear in any output."""

    path: Path
    marker: str

    @property
    def url(self) -> str:
        return self.path.as_uri()


@pytest.fixture
def secret(tmp_path: Path) -> Secret:
    marker = "TOPSECRET-7f3a9c-MARKER"
    path = tmp_path / "secret.txt"
    path.write_text(f"{marker}\n", encoding="utf-8")
    return Secret(path=path, marker=marker)


def cases(
    items: Sequence[tuple[Any, ...]] | Sequence[str],
    defects: dict[str, str],
    *,
    slow: frozenset[str] = frozenset(),
) -> list[Any]:
    """pytest params named by case: a strict xfail on each known defect (reason 'defect: …'), so the suite
    stays green while the lead sees what is still broken, and the `slow` marker (deselected by default;
    `pytest -m slow` runs them) on the heavy ones."""
    params: list[Any] = []
    for item in items:
        name = item if isinstance(item, str) else item[0]
        values = (item,) if isinstance(item, str) else item
        marks: list[pytest.MarkDecorator] = []
        if name in defects:
            marks.append(pytest.mark.xfail(reason=f"defect: {defects[name]}", strict=True))
        if name in slow:
            marks.append(pytest.mark.slow)
        params.append(pytest.param(*values, id=name, marks=marks))
    return params
