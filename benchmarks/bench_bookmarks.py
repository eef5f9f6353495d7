"""Bookmark store benchmark: bulk import rate, database size, open time and search-as-you-type latency.

Run: /work/venv/bin/python benchmarks/bench_bookmarks.py --count 10000 --count 100000 [--words 1500]
Writes a Markdown table to stdout (and to --output when given). Databases go to a temp dir, deleted after.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from termreader.bookmarks.store import BookmarkDraft, BookmarkStore

COMMON = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "it",
    "for",
    "on",
    "was",
    "with",
    "as",
    "be",
    "by",
    "this",
    "are",
    "from",
    "at",
    "or",
    "have",
    "an",
    "not",
    "but",
    "what",
    "all",
    "were",
    "when",
    "we",
    "there",
    "can",
    "which",
    "their",
    "if",
    "has",
    "more",
    "one",
    "about",
    "would",
    "they",
    "been",
    "so",
    "out",
    "some",
]
"""Function words: `the` lands in every generated bookmark, the worst case for ranking."""


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Pseudo-words of 3–11 letters; Zipf weights later make a few of them very frequent."""
    words = set(COMMON)
    while len(words) < size:
        words.add("".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 11))))
    return sorted(words, key=lambda w: (w not in COMMON, rng.random()))


def zipf_weights(size: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) for rank in range(size)))


def generate(count: int, words: int, seed: int) -> Iterator[BookmarkDraft]:
    rng = random.Random(seed)
    vocab = make_vocabulary(rng, 30_000)
    cum = zipf_weights(len(vocab))
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for n in range(count):
        body_words = rng.choices(vocab, cum_weights=cum, k=words)
        body_words[rng.randrange(words)] = "the"  # every document holds the most common word
        paragraphs = [" ".join(body_words[i : i + 120]) + "." for i in range(0, words, 120)]
        title = " ".join(rng.choices(vocab[50:5000], k=rng.randint(3, 9))).capitalize()
        yield BookmarkDraft(
            url=f"https://site{n % 200}.example/{n}/{title.replace(' ', '-').lower()}",
            title=title,
            byline=f"Author {rng.randint(1, 2000)}",
            site=f"Site {n % 200}",
            published=start + timedelta(hours=n),
            saved_at=start + timedelta(hours=n, minutes=5),
            source=f"source{n % 50}",
            tags=tuple(rng.sample(["python", "rust", "travel", "food", "design", "history", "later"], 2)),
            markdown="\n\n".join(paragraphs),
        )


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def timed_both(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU milliseconds: on a loaded machine CPU time is what an idle one would show as wall."""
    c0, t0 = time.thread_time(), time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def as_you_type(word: str) -> list[str]:
    """The queries a user sends while typing a word: every prefix from two letters on."""
    return [word[:i] for i in range(2, len(word) + 1)]


def run(count: int, words: int, seed: int, page: int, out: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bookmarks.sqlite3"
        store = BookmarkStore.open(path)
        raw_bytes = 0
        batch: list[BookmarkDraft] = []
        import_s = 0.0  # only the store's time: generating the text is not part of an import
        for draft in generate(count, words, seed):
            raw_bytes += len(draft.markdown.encode()) + len(draft.title.encode())
            batch.append(draft)
            if len(batch) == 1000:
                import_s += timed(partial(store.import_many, batch)) / 1000
                batch = []
        if batch:
            import_s += timed(partial(store.import_many, batch)) / 1000
        store.close()
        db_bytes = sum(p.stat().st_size for p in Path(tmp).iterdir() if p.name.startswith("bookmarks"))

        def open_and_list() -> None:
            opened = BookmarkStore.open(path)
            opened.list(limit=200)
            opened.count()
            opened.close()

        open_ms = statistics.median(timed(open_and_list) for _ in range(5))
        links = [
            BookmarkDraft(
                url=f"https://links{n % 300}.example/p/{n}", title=f"Saved link {n}", tags=("imported",)
            )
            for n in range(20_000)
        ]
        link_store = BookmarkStore.open(Path(tmp) / "links.sqlite3")
        link_s = sum(
            timed(partial(link_store.import_many, links[i : i + 1000])) for i in range(0, 20_000, 1000)
        )
        link_store.close()
        store = BookmarkStore.open(path)
        rng = random.Random(seed + 1)
        vocab = make_vocabulary(random.Random(seed), 30_000)
        medium = vocab[200:3000]
        rare = vocab[10_000:30_000]
        kinds: dict[str, list[str]] = {
            "1 term, typed (every prefix ≥2 letters)": [
                q for w in rng.sample(medium, 15) for q in as_you_type(w)
            ],
            "3-letter prefix": [w[:3] for w in rng.sample(vocab[50:30_000], 60)],
            "1 rare term": rng.sample(rare, 60),
            "term in every document (`the`)": ["the", "the ", "th", "the"] * 10,
            "2 terms": [" ".join(rng.sample(medium, 2)) for _ in range(60)],
            "3 terms": [" ".join(rng.sample(medium, 3)) for _ in range(60)],
            "2 terms + NOT + phrase": [
                f'{a} {b} -{c} "{d} {e}"' for a, b, c, d, e in (rng.sample(medium, 5) for _ in range(40))
            ],
        }
        for query in ("warm", "up", "the"):
            store.search(query)
        out.append(f"\n### {count:,} bookmarks × {words:,} words, first {page} hits per query\n")
        out.append(f"- bulk import: {count / import_s:,.0f} bookmarks/s ({import_s:.1f} s, batches of 1,000)")
        out.append(
            f"- database {db_bytes / 1e6:,.0f} MB for {raw_bytes / 1e6:,.0f} MB of raw text "
            f"({db_bytes / raw_bytes:.2f}×)"
        )
        out.append(
            f"- link-only import (a browser or Pocket export): {20_000 / (link_s / 1000):,.0f} bookmarks/s"
        )
        out.append(f"- open + newest 200 + count: {open_ms:.1f} ms (median of 5)\n")
        out.append(f"- load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
        out.append("| query kind | queries | wall median ms | wall p95 ms | CPU median ms | CPU p95 ms |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for kind, queries in kinds.items():
            pairs = [timed_both(partial(store.search, q, limit=page)) for q in queries]
            wall, cpu = [w for w, _ in pairs], [c for _, c in pairs]
            out.append(
                f"| {kind} | {len(pairs)} | {statistics.median(wall):.1f} | {percentile(wall, 0.95):.1f} | "
                f"{statistics.median(cpu):.1f} | {percentile(cpu, 0.95):.1f} |"
            )
        store.close()
        print("\n".join(out[-13:]), file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, action="append", help="bookmarks to generate (repeatable)")
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--page", type=int, default=20, help="hits ranked and returned per query (one screen)"
    )
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    out = [f"## Bookmarks benchmark ({datetime.now(UTC):%Y-%m-%d}, Python {sys.version.split()[0]})"]
    for count in args.count or [10_000]:
        run(count, args.words, args.seed, args.page, out)
    text = "\n".join(out) + "\n"
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
