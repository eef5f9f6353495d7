"""A loopback feed farm for the refresh benchmark: RSS feeds of 20 items (~35 KB each), added latency, ETags.

Run in-process (`with FeedFarm() as farm: farm.urls()`) or as a subprocess, which keeps the server's threads
off the measured process's CPU and GIL:

    /work/venv/bin/python benchmarks/feedfarm.py --feeds 200 --latency 0.05 --lifetime 600

prints `READY http://127.0.0.1:PORT` once listening and serves until the lifetime ends or stdin closes.
`GET /_stats` answers JSON counts of 200 and 304 answers (not counted itself); `GET /_reset` zeroes them.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import sys
import threading
import time
from collections import Counter
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final

ITEMS_PER_FEED: Final = 20
_VOCABULARY: Final = (
    "terminal reader feed article latency socket buffer thread cache parser markdown keyboard window "
    "history archive syndication update package release kernel network server client request answer "
    "journal notebook garden river mountain morning evening quiet careful simple patient steady light "
    "column margin paragraph heading letter signal pattern measure figure sample result question"
)
_WORDS: Final = _VOCABULARY.split()
_EPOCH: Final = 1_780_000_000
"""A fixed time (2026-05-28) so the feeds, and so their ETags, are the same on every run."""


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def make_feed(index: int, base_url: str) -> bytes:
    """One RSS 2.0 feed of 20 items with HTML descriptions, ~35 KB, the same bytes for the same index."""
    rng = random.Random(index)
    site = f"{base_url}/site/{index:03d}"
    items: list[str] = []
    for number in range(ITEMS_PER_FEED):
        published = formatdate(_EPOCH - index * 3600 - number * 86_400, usegmt=True)
        paragraphs = "".join(f"<p>{_sentence(rng, 38)} {_sentence(rng, 22)}</p>" for _ in range(3))
        title = _sentence(rng, 6).rstrip(".")
        link = f"{site}/{2026 - number // 12}/{number % 12 + 1:02d}/post-{number:02d}.html"
        items.append(
            "<item>"
            f"<title>{html.escape(title)}</title>"
            f"<link>{link}</link>"
            f'<guid isPermaLink="true">{link}</guid>'
            f"<pubDate>{published}</pubDate>"
            f"<dc:creator>Writer {index % 17}</dc:creator>"
            f"<description>{html.escape(paragraphs)}</description>"
            "</item>\n"
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"<title>Farm blog {index:03d}</title>\n<link>{site}/</link>\n"
        f"<description>Benchmark feed number {index}</description>\n"
        f"<lastBuildDate>{formatdate(_EPOCH - index * 3600, usegmt=True)}</lastBuildDate>\n"
        + "".join(items)
        + "</channel>\n</rss>\n"
    )
    return document.encode("utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    """The default listen backlog of 5 drops connection bursts, which then retry after a full second."""


class FeedFarm:
    """The farm as an object: start()/stop() or a context manager; `urls()` lists the feeds."""

    def __init__(self, feeds: int = 200, latency: float = 0.05, port: int = 0) -> None:
        self.feeds = feeds
        self.latency = latency
        self.counts: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", port), _make_handler(self))
        self._bodies: dict[str, tuple[bytes, str]] = {}
        for index in range(feeds):
            body = make_feed(index, self.base_url)
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            self._bodies[f"/feeds/{index:03d}.xml"] = (body, etag)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def urls(self) -> list[str]:
        return [self.base_url + path for path in self._bodies]

    def lookup(self, path: str) -> tuple[bytes, str] | None:
        return self._bodies.get(path)

    def count(self, status: int) -> None:
        with self._lock:
            self.counts[status] += 1

    def start(self) -> FeedFarm:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FeedFarm:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _make_handler(farm: FeedFarm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Without this every small response waits ~40 ms for the client's delayed ACK (issue 6).
        disable_nagle_algorithm = True
        protocol_version = "HTTP/1.1"
        server_version = "termreader-feedfarm"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            if self.path in ("/_stats", "/_reset"):
                if self.path == "/_reset":
                    with farm._lock:
                        farm.counts.clear()
                with farm._lock:
                    payload = json.dumps({str(k): v for k, v in farm.counts.items()}).encode()
                self._send(200, payload, {"Content-Type": "application/json"})
                return
            time.sleep(farm.latency)
            found = farm.lookup(self.path)
            if found is None:
                farm.count(404)
                self._send(404, b"not found\n", {"Content-Type": "text/plain"})
                return
            body, etag = found
            if self.headers.get("If-None-Match") == etag:
                farm.count(304)
                self._send(304, b"", {"ETag": etag})
                return
            farm.count(200)
            self._send(200, body, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag})

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every request")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--lifetime", type=float, default=600.0, help="stop after this many seconds")
    args = parser.parse_args(argv)
    farm = FeedFarm(args.feeds, args.latency, args.port).start()
    print(f"READY {farm.base_url}", flush=True)
    stop = threading.Event()

    def watch_stdin() -> None:
        sys.stdin.read()  # returns when the parent closes our stdin or exits
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait(timeout=args.lifetime)
    farm.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
