"""A loopback HTTP server that misbehaves on purpose: raw sockets, one thread per connection, bounded.

Every behaviour stops on its own (a byte budget or a time budget) and `stop()` closes every open
connection, so a client that never gives up cannot keep a test, or CI, running.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Final

DRIP_BUDGET_SECONDS: Final = 90.0
"""A drip gives up after this long: longer than any fetch cap, so the client's cap is what ends it."""
ENDLESS_BUDGET_BYTES: Final = 512 * 1024 * 1024
"""An endless body stops here at the latest (far past every size cap)."""

Handler = Callable[["Connection"], None]


@dataclass
class Connection:
    """One accepted client: its socket, the request target, and the server's stop flag."""

    sock: socket.socket
    target: str
    base: str
    stopping: threading.Event

    def send(self, data: bytes) -> bool:
        """False once the client is gone or the server stops."""
        if self.stopping.is_set():
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True


def head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


def respond(
    status: str, body: bytes, content_type: str = "text/html; charset=utf-8", **extra: str
) -> Handler:
    """An ordinary, honest response (error pages and good feeds)."""

    def handler(conn: Connection) -> None:
        text = body.replace(b"{{BASE}}", conn.base.encode())
        headers = {"Content-Type": content_type, "Content-Length": str(len(text)), **extra}
        conn.send(head(status, headers) + text)

    return handler


def redirect(location: str, status: str = "302 Found") -> Handler:
    def handler(conn: Connection) -> None:
        conn.send(head(status, {"Location": location.replace("{{BASE}}", conn.base), "Content-Length": "0"}))

    return handler


def drip(content_type: str = "text/html; charset=utf-8", interval: float = 1.0) -> Handler:
    """Headers at once, then one byte per `interval` seconds: every read succeeds, the page never ends."""

    def handler(conn: Connection) -> None:
        if not conn.send(head("200 OK", {"Content-Type": content_type, "Content-Length": "100000"})):
            return
        started = time.monotonic()
        while time.monotonic() - started < DRIP_BUDGET_SECONDS and conn.send(b"<"):
            if conn.stopping.wait(interval):
                return

    return handler


def drip_headers(interval: float = 1.0) -> Handler:
    """The status line itself arrives one byte per `interval` seconds."""

    def handler(conn: Connection) -> None:
        started = time.monotonic()
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 200:
            if time.monotonic() - started > DRIP_BUDGET_SECONDS or not conn.send(bytes([byte])):
                return
            if conn.stopping.wait(interval):
                return

    return handler


def endless(content_type: str = "text/html; charset=utf-8", chunked: bool = False) -> Handler:
    """A 200 whose body never ends (no length, or chunked), bounded only by the budget."""

    def handler(conn: Connection) -> None:
        headers = {"Content-Type": content_type}
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
        if not conn.send(head("200 OK", headers)):
            return
        block = b"<p>" + b"more " * 13_000 + b"</p>\n"
        piece = f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block
        sent = 0
        while sent < ENDLESS_BUDGET_BYTES and conn.send(piece):
            sent += len(piece)

    return handler


def lying_length(declared: int, actual: bytes) -> Handler:
    """Content-Length says `declared`; `actual` is sent, then the connection closes."""

    def handler(conn: Connection) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(declared)}
        conn.send(head("200 OK", headers) + actual)

    return handler


def reset_mid_body(prefix: bytes) -> Handler:
    """Send part of a long body, then reset the connection (RST, not FIN)."""

    def handler(conn: Connection) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(prefix) * 10)}
        conn.send(head("200 OK", headers) + prefix)
        time.sleep(0.05)
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return handler


@cache
def gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of zeros, gzip-compressed (about 1,000 times smaller)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    parts = [packer.compress(block) for _ in range(megabytes)]
    parts.append(packer.flush())
    return b"".join(parts)


def bomb(megabytes: int, content_type: str = "text/html; charset=utf-8") -> Handler:
    def handler(conn: Connection) -> None:
        body = gzip_bomb(megabytes)
        headers = {"Content-Type": content_type, "Content-Encoding": "gzip", "Content-Length": str(len(body))}
        conn.send(head("200 OK", headers) + body)

    return handler


@dataclass
class BadServer:
    """Routes request targets to misbehaving handlers on 127.0.0.1; `hits` counts requests per target."""

    routes: dict[str, Handler]
    hits: dict[str, int] = field(default_factory=dict)
    _sock: socket.socket | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _conns: list[socket.socket] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        assert self._sock is not None
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def url(self, target: str) -> str:
        return self.base + target

    def start(self) -> BadServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        sock.settimeout(0.2)
        self._sock = sock
        thread = threading.Thread(target=self._accept, name="badserver-accept", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)
        if self._sock is not None:
            self._sock.close()

    def __enter__(self) -> BadServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        assert self._sock is not None
        while not self._stopping.is_set():
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._conns.append(client)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, client: socket.socket) -> None:
        try:
            client.settimeout(10)
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                chunk = client.recv(4096)
                if not chunk:
                    return
                request += chunk
            target = request.split(b" ", 2)[1].decode("latin-1")
            with self._lock:
                self.hits[target] = self.hits.get(target, 0) + 1
            handler = self.routes.get(target) or respond("404 Not Found", b"<h1>Not found</h1>")
            handler(Connection(client, target, self.base, self._stopping))
        except (OSError, IndexError):
            pass
        finally:
            with contextlib.suppress(OSError):
                client.close()
            with self._lock:
                if client in self._conns:
                    self._conns.remove(client)
