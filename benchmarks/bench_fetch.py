"""Fetch layer costs: text decoding per rule, and loopback fetch throughput, latency and caps.

Run: /work/venv/bin/python benchmarks/bench_fetch.py [--runs N]
Loopback only (SiteServer on 127.0.0.1 and a gzip server); figures are per call, median and p95.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from termreader.demo.siteserver import SiteServer
from termreader.errors import TooLargeError
from termreader.fetch import Fetcher
from termreader.textdecode import decode_text

PARAGRAPH = (
    "The committee met on Tuesday to discuss the harbour wall, the new timetable for the ferry and the "
    "question of who pays for the lights on the pier — nobody agreed, but everyone stayed for café au lait. "
)
RUSSIAN = "Комитет собрался во вторник, чтобы обсудить стену гавани и новое расписание парома. "


def page(paragraph: str, size: int, meta: str = "") -> str:
    body = f"<p>{paragraph}</p>\n" * (size // (len(paragraph) + 8) + 1)
    return f"<!doctype html><html><head>{meta}<title>Minutes</title></head><body>{body}</body></html>"


def timed(func: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def bench_decode(runs: int) -> list[tuple[str, float, float]]:
    utf8 = page(PARAGRAPH, 1_000_000, '<meta charset="utf-8">').encode()
    undeclared_utf8 = page(PARAGRAPH, 1_000_000).encode()
    cp1252 = page(PARAGRAPH, 1_000_000).encode("cp1252")
    koi8 = page(RUSSIAN, 200_000).encode("koi8-r")
    cases = [
        ("1 MB UTF-8, HTTP charset", utf8, "text/html; charset=utf-8"),
        ("1 MB UTF-8, undeclared", undeclared_utf8, None),
        ("1 MB cp1252, undeclared (shape check)", cp1252, None),
        ("200 KB KOI8-R, undeclared (charset-normalizer)", koi8, None),
    ]
    rows = []
    for label, body, content_type in cases:
        median, p95 = timed(lambda b=body, c=content_type: decode_text(b, c), runs)  # type: ignore[misc]
        rows.append((label, median, p95))
    return rows


class _GzipHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    body = b""

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


async def fetch_many(fetcher: Fetcher, urls: list[str]) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    return time.perf_counter() - start


def bench_fetch(runs: int) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "index.html").write_text(page(PARAGRAPH, 50_000, '<meta charset="utf-8">'), encoding="utf-8")
        (root / "big.html").write_text(page(PARAGRAPH, 9_000_000, '<meta charset="utf-8">'), encoding="utf-8")
        with SiteServer(root) as site:

            async def scenario() -> None:
                async with Fetcher() as fetcher:
                    await fetcher.fetch(site.url("/"))  # warm the connection pool
                    single = []
                    for _ in range(runs):
                        start = time.perf_counter()
                        await fetcher.fetch(site.url("/"))
                        single.append((time.perf_counter() - start) * 1000)
                    single.sort()
                    lines.append(
                        f"| one 50 KB page, keep-alive | {statistics.median(single):.2f} ms | "
                        f"{single[min(len(single) - 1, int(len(single) * 0.95))]:.2f} ms |"
                    )
                    elapsed = await fetch_many(fetcher, [site.url("/")] * 200)
                    lines.append(f"| 200 × 50 KB pages, per_host_limit=8 | {200 / elapsed:.0f} pages/s | |")
                    big = []
                    for _ in range(max(3, runs // 10)):
                        start = time.perf_counter()
                        await fetcher.fetch(site.url("/big.html"))
                        big.append((time.perf_counter() - start) * 1000)
                    lines.append(f"| one 9 MB page (stream + decode) | {statistics.median(big):.1f} ms | |")

            asyncio.run(scenario())

    _GzipHandler.body = gzip.compress(b"<p>" + b"\0" * (200 * 1024 * 1024))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GzipHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:

        async def bomb() -> float:
            async with Fetcher() as fetcher:
                start = time.perf_counter()
                with contextlib.suppress(TooLargeError):
                    await fetcher.fetch(f"http://127.0.0.1:{server.server_address[1]}/bomb")
                return (time.perf_counter() - start) * 1000

        wire = len(_GzipHandler.body) // 1024
        lines.append(f"| gzip bomb ({wire} KB → 200 MB), stopped at 10 MB | {asyncio.run(bomb()):.1f} ms | |")
    finally:
        server.shutdown()
        server.server_close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print("| decode_text | median | p95 |\n|---|---|---|")
    for label, median, p95 in bench_decode(args.runs):
        print(f"| {label} | {median:.2f} ms | {p95:.2f} ms |")
    print("\n| fetch (loopback) | median / rate | p95 |\n|---|---|---|")
    for line in bench_fetch(args.runs):
        print(line)


if __name__ == "__main__":
    main()
