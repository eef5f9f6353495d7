"""Shared fixtures: every test runs with its own config, cache and data dirs, and loopback sites."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from termreader.demo.siteserver import SiteServer
from termreader.paths import AppPaths
from tests.rawserver import Handler, RawServer

FIXTURES = Path(__file__).parent / "fixtures"
SITES = FIXTURES / "sites"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
"""`../shared` beside the repo: real pages for studies; tests that read it skip when it is absent."""


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    """Point XDG dirs and TERMREADER_CONFIG into tmp_path so no test touches the real home."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("TERMREADER_CONFIG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return AppPaths(
        config_file=home / "config" / "termreader" / "config.toml",
        cache_dir=home / "cache" / "termreader",
        data_dir=home / "data" / "termreader",
    )


@pytest.fixture
def serve_site() -> Iterator[Callable[..., SiteServer]]:
    """Start a loopback server for `tests/fixtures/sites/<name>` (or any folder); stopped after the test."""
    servers: list[SiteServer] = []

    def start(name_or_path: str | Path, *, latency: float = 0.0) -> SiteServer:
        root = Path(name_or_path)
        if not root.is_absolute():
            root = SITES / root
        server = SiteServer(root, latency=latency).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Handler], RawServer]]:
    """Starts raw servers for a test (`raw_server(handler)`) and stops them afterwards."""
    servers: list[RawServer] = []

    def start(handler: Handler) -> RawServer:
        server = RawServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the calling test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpus is only beside the repo in dev and CI)")
    return path
