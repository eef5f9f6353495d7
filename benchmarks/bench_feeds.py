"""Feed parse time: our lxml fast path vs the feedparser path, on a 20-item RSS 2.0 feed of ~35 KB.

Run: /work/venv/bin/python benchmarks/bench_feeds.py [--runs N]
Issue 6 says feedparser costs ~7-8 ms per such feed; refreshing 200 sources must not spend that on the loop.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from termreader.feeds import _parse_with_feedparser, parse_feed

PARAGRAPH = (
    "The committee met on Tuesday to discuss the harbour wall, the new timetable for the ferry and the "
    "question of who pays for the lights on the pier. Nobody agreed, but everyone stayed for tea. "
)


def make_rss(items: int = 20) -> bytes:
    """A WordPress-shaped RSS 2.0 feed: title, link, dc:creator, pubDate, guid, description, content."""
    start = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel><title>Harbour Council News</title><link>https://harbour.example.org/</link>",
        "<description>Minutes and notes</description>",
        '<atom:link href="https://harbour.example.org/feed/" rel="self" type="application/rss+xml"/>',
    ]
    for n in range(items):
        when = format_datetime(start - timedelta(days=n))
        body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(6))
        parts.append(
            f"<item><title>Meeting notes, week {n}</title>"
            f"<link>https://harbour.example.org/2024/05/notes-{n}/</link>"
            f"<dc:creator><![CDATA[Clerk {n % 3}]]></dc:creator><pubDate>{when}</pubDate>"
            f'<guid isPermaLink="false">https://harbour.example.org/?p={1000 + n}</guid>'
            f"<description><![CDATA[{PARAGRAPH} [&#8230;]]]></description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def measure(func: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(median, min, max) in milliseconds over `runs` calls after two warm-up calls."""
    func()
    func()
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    body = make_rss()
    url = "https://harbour.example.org/feed/"
    fast = parse_feed(body, url, "application/rss+xml")
    slow = _parse_with_feedparser(body, url, "application/rss+xml", "rss")
    assert fast.items == slow.items, "both paths must give the same items"
    import feedparser

    cases: list[tuple[str, Callable[[], object]]] = [
        ("parse_feed (lxml fast path)", lambda: parse_feed(body, url, "application/rss+xml")),
        (
            "parse_feed via feedparser path",
            lambda: _parse_with_feedparser(body, url, "application/rss+xml", "rss"),
        ),
        ("feedparser.parse alone", lambda: feedparser.parse(body)),
    ]
    print(f"feed: {len(body) / 1024:.1f} KB, {len(fast.items)} items, {args.runs} runs each")
    print("| parser | median ms | min ms | max ms |")
    print("|---|---|---|---|")
    results = []
    for name, func in cases:
        median, low, high = measure(func, args.runs)
        results.append(median)
        print(f"| {name} | {median:.2f} | {low:.2f} | {high:.2f} |")
    print(
        f"\nfast path is {results[1] / results[0]:.1f}x faster than our feedparser path, "
        f"{results[2] / results[0]:.1f}x faster than feedparser.parse alone"
    )


if __name__ == "__main__":
    main()
