"""The package installs, runs as a command and as a module, and its core never imports Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "termreader",
    "termreader.paths",
    "termreader.errors",
    "termreader.models",
    "termreader.context",
    "termreader.cli",
    "termreader.textutil",
    "termreader.textdecode",
    "termreader.config",
    "termreader.opml",
    "termreader.atomicfile",
    "termreader.fetch",
    "termreader.netbackend",
    "termreader.hostlimits",
    "termreader.tlscontext",
    "termreader.bodytypes",
    "termreader.decompress",
    "termreader.httpcache",
    "termreader.feeds",
    "termreader.discover",
    "termreader.listing",
    "termreader.popular",
    "termreader.popular.scan",
    "termreader.popular.elements",
    "termreader.popular.page",
    "termreader.popular.dates",
    "termreader.popular.fields",
    "termreader.popular.items",
    "termreader.popular.blogger",
    "termreader.popular.wpp",
    "termreader.popular.wpp_rest",
    "termreader.popular.jetpack",
    "termreader.popular.generic",
    "termreader.popular.find",
    "termreader.popular.fetching",
    "termreader.sources",
    "termreader.extract",
    "termreader.metadata",
    "termreader.htmlclean",
    "termreader.markdown_convert",
    "termreader.cache",
    "termreader.readstate",
    "termreader.refresher",
    "termreader.services",
    "termreader.bookmarks.store",
    "termreader.demo",
    "termreader.demo.siteserver",
    "termreader.commands.read",
    "termreader.commands.latest",
    "termreader.commands.popular",
    "termreader.commands.sources",
    "termreader.commands.refresh",
    "termreader.commands.bookmarks",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; sys.exit(1 if 'textual' in sys.modules else 0)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{module} imported textual (or failed): {result.stderr}"


def test_python_dash_m_prints_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "termreader", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.startswith("termreader ")
