"""Shared set-up of the scale benchmarks: 200 farm sources cached for termreader and for newsboat.

`termreader_home(root, urls)` writes a config with one source per feed URL and fills cache.sqlite3 through the
Cache API with 20 items per source (fetched now, so nothing is due for a refresh at launch); `newsboat_home`
reloads the same URLs once with `newsboat -x reload`, so its interactive start reads them from its cache.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

NEWSBOAT = "/usr/bin/newsboat"
ITEMS = 20


def source_name(index: int) -> str:
    return f"Farm {index:03d}"


def item_title(source: int, item: int) -> str:
    return f"Careful notes {source:03d}-{item:02d} on terminal readers and quiet evenings"


def termreader_env(root: Path) -> dict[str, str]:
    """Environment pointing termreader's config, cache and data at `root` (XDG dirs)."""
    env = {"HOME": str(root / "home"), "TERM": "xterm-256color"}
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
        env[var] = str(root / sub)
    return env


def termreader_home(root: Path, urls: list[str], items: int = ITEMS) -> Path:
    """Config + cache for one source per URL, `items` cached refs each; returns the config path."""
    from termreader.cache import Cache
    from termreader.models import ArticleRef

    config = root / "config" / "termreader" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    blocks = ["[settings]", "refresh_minutes = 600", ""]
    for index, url in enumerate(urls):
        blocks += ["[[sources]]", f'name = "{source_name(index)}"', f'url = "{url}"', ""]
    config.write_text("\n".join(blocks), encoding="utf-8")
    now = datetime.now(UTC)
    snippet = (
        "Journal notebook garden river mountain morning evening quiet careful simple patient steady light "
        "column margin paragraph heading letter signal pattern measure figure sample result question…"
    )
    cache = Cache.open(root / "cache" / "termreader" / "cache.sqlite3")
    rows = []
    for index, url in enumerate(urls):
        refs = tuple(
            ArticleRef(
                title=item_title(index, number),
                url=f"{url.rsplit('/', 2)[0]}/site/{index:03d}/post-{number:05d}.html",
                published=now - timedelta(hours=index + number * 24),
                author=f"Writer {index % 17}",
                snippet=snippet,
            )
            for number in range(items)
        )
        rows.append((source_name(index), "latest", refs, now, {"feed_url": url, "feed_kind": "rss"}))
    cache.put_lists(rows)
    cache.close()
    return config


def newsboat_home(root: Path, urls: list[str]) -> list[str]:
    """Reload `urls` into a newsboat cache under `root`; returns the interactive command line."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
    (root / "config").write_text("reload-threads 32\n", encoding="utf-8")
    command = [NEWSBOAT, "-u", str(root / "urls"), "-c", str(root / "cache.db"), "-C", str(root / "config")]
    env = {**os.environ, **newsboat_env(root)}
    subprocess.run([*command, "-x", "reload"], env=env, check=True, capture_output=True, timeout=300)
    return command


def newsboat_env(root: Path) -> dict[str, str]:
    home = str(root)
    return {"HOME": home, "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home, "TERM": "xterm-256color"}
