"""The one module that knows where config, cache and data live (platformdirs + overrides)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "termreader"
CONFIG_ENV = "TERMREADER_CONFIG"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """Every location termreader reads or writes; tests build one pointing at a temp dir."""

    config_file: Path
    cache_dir: Path
    data_dir: Path

    @property
    def config_dir(self) -> Path:
        """The folder holding the config file (user themes live below it)."""
        return self.config_file.parent

    @property
    def user_themes_dir(self) -> Path:
        return self.config_dir / "themes"

    @property
    def http_cache_dir(self) -> Path:
        """Conditional-GET validators and bodies."""
        return self.cache_dir / "http"

    @property
    def bookmarks_db(self) -> Path:
        return self.data_dir / "bookmarks.sqlite3"

    @property
    def state_db(self) -> Path:
        """Read/unread state and other user state that must survive a cache wipe."""
        return self.data_dir / "state.sqlite3"

    @property
    def cache_db(self) -> Path:
        """Cached article lists and extracted articles (safe to delete)."""
        return self.cache_dir / "cache.sqlite3"


def default_paths(config_override: str | os.PathLike[str] | None = None) -> AppPaths:
    """Resolve paths: `--config` beats `$TERMREADER_CONFIG` beats the platform default.

    platformdirs honours the `XDG_*` variables on Linux, so tests move everything by setting them.
    """
    if config_override is not None:
        config_file = Path(config_override).expanduser()
    elif os.environ.get(CONFIG_ENV):
        config_file = Path(os.environ[CONFIG_ENV]).expanduser()
    else:
        config_file = Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"
    return AppPaths(
        config_file=config_file,
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
    )
