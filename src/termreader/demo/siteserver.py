"""Serve a folder as a web site on 127.0.0.1, for the demo and for tests.

Layout of a site folder:
- files map to paths: `/` is `index.html`, `/2024/05/post.html` is `2024/05/post.html`, a folder path `/feed/`
  is `feed/index.html` or `feed/index.xml`;
- `_routes.json` maps exact request targets (path plus query, e.g. `/feeds/posts/default?alt=rss`) to
  `{"file": "...", "type": "...", "status": 200, "headers": {...}}`; a route with no file sends an empty body;
- the text `{{BASE}}` in any text file is replaced by the server's base URL (`http://127.0.0.1:PORT`), so
  fixture pages can hold absolute links to themselves.

Responses carry an ETag and Last-Modified and honour If-None-Match / If-Modified-Since, so conditional GET
can be tested for real. Every request is counted per path (`hits`), so tests can check what was fetched.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".opml": "text/x-opml",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
}
_TEXT_SUFFIXES = {".html", ".htm", ".xml", ".rss", ".atom", ".json", ".opml", ".txt", ".css", ".svg"}
_FIXED_LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


class _QuietHTTPServer(ThreadingHTTPServer):
    """A client that drops a keep-alive connection is normal here, not worth a traceback on stderr."""

    def handle_error(self, request: object, client_address: object) -> None:
        return


@dataclass(slots=True)
class Route:
    file: str | None = None
    type: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class SiteServer:
    """A threaded HTTP server for one site folder; use as a context manager or call start()/stop()."""

    def __init__(self, root: Path, *, latency: float = 0.0, port: int = 0) -> None:
        self.root = root
        self.latency = latency
        self.hits: Counter[str] = Counter()
        self.answers: Counter[tuple[str, int]] = Counter()
        """(path, status) of every answer sent, so tests can see which requests got a 304."""
        self._routes = self._load_routes()
        self._lock = threading.Lock()
        handler = _make_handler(self)
        self._httpd = _QuietHTTPServer(("127.0.0.1", port), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def start(self) -> SiteServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _load_routes(self) -> dict[str, Route]:
        routes_file = self.root / "_routes.json"
        if not routes_file.is_file():
            return {}
        raw: dict[str, dict[str, Any]] = json.loads(routes_file.read_text(encoding="utf-8"))
        return {target: Route(**spec) for target, spec in raw.items()}

    def resolve(self, target: str) -> tuple[Route, Path | None]:
        """Map a request target to a route and the file to send (None: not found or no body)."""
        route = self._routes.get(target)
        if route is not None:
            return route, (self.root / route.file) if route.file else None
        path = unquote(urlsplit(target).path)
        relative = path.lstrip("/")
        candidate = (self.root / relative).resolve()
        root = self.root.resolve()
        if root not in candidate.parents and candidate != root:
            return Route(status=404), None
        if candidate.is_dir():
            for index in ("index.html", "index.xml", "index.json"):
                if (candidate / index).is_file():
                    return Route(), candidate / index
            return Route(status=404), None
        if candidate.is_file() and not candidate.name.startswith("_"):
            return Route(), candidate
        return Route(status=404), None

    def body_for(self, file: Path) -> bytes:
        data = file.read_bytes()
        if file.suffix in _TEXT_SUFFIXES:
            data = data.replace(b"{{BASE}}", self.base_url.encode("ascii"))
        return data


def _make_handler(server: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Without this, every small response waits ~40 ms for the client's delayed ACK.
        disable_nagle_algorithm = True
        protocol_version = "HTTP/1.1"
        server_version = "termreader-siteserver"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_HEAD(self) -> None:
            self._respond(send_body=False)

        def do_GET(self) -> None:
            self._respond(send_body=True)

        def _respond(self, *, send_body: bool) -> None:
            with server._lock:
                server.hits[urlsplit(self.path).path] += 1
            if server.latency:
                time.sleep(server.latency)
            route, file = server.resolve(self.path)
            body = b""
            if file is not None and file.is_file():
                body = server.body_for(file)
            elif route.status == 200 and route.file is not None:
                route = Route(status=404)
            if route.status == 404 and not body:
                body = b"<!doctype html><title>Not found</title><h1>404 Not found</h1>"
            ctype = route.type
            if ctype is None:
                suffix = file.suffix if file is not None else ".html"
                ctype = _TYPES.get(suffix) or mimetypes.guess_type(f"x{suffix}")[0] or "text/html"
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if route.status == 200 and self.headers.get("If-None-Match") == etag:
                with server._lock:
                    server.answers[urlsplit(self.path).path, 304] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with server._lock:
                server.answers[urlsplit(self.path).path, route.status] += 1
            self.send_response(route.status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if route.status == 200:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", _FIXED_LAST_MODIFIED)
            for name, value in route.headers.items():
                self.send_header(name, value.replace("{{BASE}}", server.base_url))
            self.end_headers()
            if send_body:
                self.wfile.write(body)

    return Handler
