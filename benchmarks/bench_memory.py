"""Peak memory (VmHWM) of the real app in tmux with 200 sources, 10k listed items and a 50k-word article open.

Side by side with newsboat holding the same 200 feeds from its cache (20 items each, reloaded once from
benchmarks/feedfarm.py) with one article open. termreader is also measured with 20 items per source (the
same 4,000 items newsboat holds). Each process is started with `exec` in tmux, driven with keys until the
article is on screen, left 3 s to settle, then its /proc/PID/status VmHWM (peak resident set) is read.

Run: /work/venv/bin/python benchmarks/bench_memory.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_launch import HEIGHT, TERMREADER, WIDTH, tmux
from bench_reader import make_markdown
from bench_refresh import feed_farm
from scale_setup import (
    item_title,
    newsboat_env,
    newsboat_home,
    source_name,
    termreader_env,
    termreader_home,
)

from termreader.cache import Cache
from termreader.models import Article


def wait_for(session: str, visible: Callable[[str], bool], limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if visible(tmux("capture-pane", "-p", "-t", session)):
            return
        time.sleep(0.05)
    screen = tmux("capture-pane", "-p", "-t", session)
    raise RuntimeError(f"not visible after {limit} s:\n{screen}")


def peak_rss_mb(
    command: str,
    env: dict[str, str],
    ready: Callable[[str], bool],
    keys: list[str],
    opened: Callable[[str], bool],
) -> tuple[float, float]:
    """(VmHWM, VmRSS) in MB of `command` once `keys` have opened an article."""
    session = f"mem-{uuid.uuid4().hex[:8]}"
    assignments = " ".join(f"{key}={value!r}" for key, value in env.items())
    tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        str(WIDTH),
        "-y",
        str(HEIGHT),
        f"exec env {assignments} {command}",
    )
    try:
        pid = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        wait_for(session, ready)
        for key in keys:
            tmux("send-keys", "-t", session, key)
            time.sleep(0.3)
        wait_for(session, opened)
        time.sleep(3.0)  # the reader lays out the rest of the article in the background
        fields = {}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.strip()
        return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024
    finally:
        tmux("kill-session", "-t", session)
        time.sleep(0.3)


def cache_article(root: Path, url: str, words: int) -> str:
    """Put a `words`-word article in termreader's cache under `url`; returns its title."""
    title = f"A long read of {words:,} words"
    cache = Cache.open(root / "cache" / "termreader" / "cache.sqlite3")
    cache.put_article(
        url,
        Article(title=title, markdown=make_markdown(words), url=url, byline="Ann Author", word_count=words),
        datetime.now(UTC),
    )
    cache.close()
    return title


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[tuple[float, float]]] = {}
    with feed_farm(200, 0.0) as (_base, urls), tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        newsboat = " ".join(newsboat_home(root / "nb", urls))
        cases = []
        for items in (50, 20):
            home = root / f"tr{items}"
            termreader_home(home, urls, items=items)
            first_url = f"{urls[0].rsplit('/', 2)[0]}/site/000/post-00000.html"
            title = cache_article(home, first_url, 50_000)
            probe = item_title(0, 0)[:20]
            cases.append(
                (
                    f"termreader, 200 sources × {items} items = {200 * items:,} listed, 50k-word article",
                    str(TERMREADER),
                    termreader_env(home),
                    lambda s, probe=probe: probe in s and source_name(1) in s,
                    ["Tab", "Enter"],
                    lambda s, title=title: title in s,
                )
            )
        cases.append(
            (
                "newsboat, the same 200 feeds × 20 items = 4,000 items, one article open",
                newsboat,
                newsboat_env(root / "nb"),
                lambda s: "Farm blog 000" in s,
                ["Enter", "Enter"],
                lambda s: "Feed: Farm blog 000" in s or "Title:" in s,
            )
        )
        for label, *_ in cases:
            rows[label] = []
        for _ in range(args.runs):
            for label, command, env, ready, keys, opened in cases:
                rows[label].append(peak_rss_mb(command, env, ready, keys, opened))
    lines = [
        "## Peak memory (issue 6: ≤ 150 MB with 200 sources, 10k items, a 50k-word article open)",
        "",
        f"Command: `{sys.executable} benchmarks/bench_memory.py --runs {args.runs}`",
        f"tmux {WIDTH}x{HEIGHT}; each process started with `exec` in a tmux session, driven with keys until"
        " the article is on screen, 3 s to settle, then VmHWM (peak resident set) and VmRSS read from"
        f" /proc/PID/status. Median of {args.runs} runs (min–max). Load average (1/5/15 min): "
        + " / ".join(f"{value:.1f}" for value in os.getloadavg())
        + ".",
        "",
        "| case | peak RSS (VmHWM) | RSS at the end |",
        "|---|---|---|",
    ]
    for label, values in rows.items():
        peaks = [peak for peak, _ in values]
        ends = [end for _, end in values]
        lines.append(
            f"| {label} | {statistics.median(peaks):.1f} MB ({min(peaks):.1f}–{max(peaks):.1f})"
            f" | {statistics.median(ends):.1f} MB |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
