"""The asyncio network backend under httpx, against real loopback sockets."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any

import httpcore
import httpx
import pytest

from termreader import netbackend
from termreader.errors import NetworkError
from termreader.fetch import Fetcher
from tests.rawserver import Handler, RawServer, closed_port, read_request

FEED = b"<rss version='2.0'><channel><title>Kept alive</title></channel></rss>"


def keep_alive_answer(body: bytes = FEED) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("latin-1") + body


def backends(client: httpx.AsyncClient) -> list[object]:
    transports = [client._transport, *client._mounts.values()]
    return [transport._pool._network_backend for transport in transports if transport is not None]  # type: ignore[attr-defined]


def test_the_fetchers_clients_run_on_the_asyncio_backend_with_the_pinned_httpx() -> None:
    async def run() -> list[list[object]]:
        async with Fetcher(max_connections=40) as fetcher:
            await fetcher.prepare()
            return [backends(client) for client in fetcher._clients]

    found = asyncio.run(run())
    assert len(found) >= 2
    assert all(isinstance(backend, netbackend.AsyncioBackend) for pools in found for backend in pools)


def test_environment_proxies_run_on_it_and_still_carry_the_requests(
    raw_server: Callable[[Handler], RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Our server plays the proxy: it gets the absolute URL of a host that is never resolved here.
    requests: list[bytes] = []

    def proxy(conn: socket.socket, stopping: threading.Event) -> None:
        requests.append(read_request(conn).split(b"\r\n", 1)[0])
        conn.sendall(keep_alive_answer())

    server = raw_server(proxy)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.port}")

    async def run() -> tuple[str, list[object]]:
        async with Fetcher(total_timeout=5.0) as fetcher:
            document = await fetcher.fetch("http://feeds.example.test/rss")
            return document.text, [backend for client in fetcher._clients for backend in backends(client)]

    text, used = asyncio.run(run())
    assert text == FEED.decode()
    assert requests == [b"GET http://feeds.example.test/rss HTTP/1.1"]
    assert len(used) >= 2  # the direct transport, the loopback mounts and the proxy's
    assert all(isinstance(backend, netbackend.AsyncioBackend) for backend in used)


def test_a_kept_alive_connection_the_server_closed_is_not_reused(
    raw_server: Callable[[Handler], RawServer],
) -> None:
    # The server answers once per connection and then closes it while the client keeps it in its pool:
    # the pool must see that the idle connection is "readable" (closed) and open a new one.
    connections: list[int] = []

    def once(conn: socket.socket, stopping: threading.Event) -> None:
        connections.append(1)
        read_request(conn)
        conn.sendall(keep_alive_answer())

    server = raw_server(once)

    async def run() -> list[int]:
        statuses: list[int] = []
        async with Fetcher(total_timeout=5.0) as fetcher:
            for _ in range(3):
                statuses.append((await fetcher.fetch(server.url("/feed"))).status)
                await asyncio.sleep(0.1)  # the server's close reaches the client's buffer
        return statuses

    assert asyncio.run(run()) == [200, 200, 200]
    assert len(connections) == 3


def test_a_connection_the_server_keeps_is_reused(raw_server: Callable[[Handler], RawServer]) -> None:
    connections: list[int] = []

    def many(conn: socket.socket, stopping: threading.Event) -> None:
        connections.append(1)
        for _ in range(3):
            if not read_request(conn):
                return
            conn.sendall(keep_alive_answer())

    server = raw_server(many)

    async def run() -> None:
        async with Fetcher(total_timeout=5.0) as fetcher:
            for _ in range(3):
                await fetcher.fetch(server.url("/feed"))

    asyncio.run(run())
    assert len(connections) == 1


def test_an_unread_endless_body_stops_being_read_from_the_socket(
    raw_server: Callable[[Handler], RawServer],
) -> None:
    # While nobody reads the body, the connection buffers at most about _PAUSE_AT and then pauses reading.
    def endless(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000000\r\n\r\n")
        block = b"x" * 65536
        conn.settimeout(0.5)
        for _ in range(1500):  # at most ~100 MB, and the server gives up once the client stops reading
            if stopping.is_set():
                return
            try:
                conn.sendall(block)
            except OSError:
                return

    server = raw_server(endless)

    async def run() -> int:
        async with httpx.AsyncClient() as client:
            assert netbackend.install(client)
            async with client.stream("GET", server.url("/endless")) as response:
                stream = response.extensions["network_stream"]
                await asyncio.sleep(0.5)  # the server sends as fast as it can meanwhile
                return int(stream._protocol.buffered)

    buffered = asyncio.run(run())
    assert 0 < buffered <= netbackend._PAUSE_AT + 4 * 65536


def test_a_read_timeout_is_httpx_read_timeout(raw_server: Callable[[Handler], RawServer]) -> None:
    def silent(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        stopping.wait(2.0)

    server = raw_server(silent)

    async def run() -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(0.2)) as client:
            assert netbackend.install(client)
            await client.get(server.url("/slow"))

    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(run())


def test_a_reset_while_reading_keeps_the_os_error_reachable(
    raw_server: Callable[[Handler], RawServer],
) -> None:

    def reset(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nhalf")
        stopping.wait(0.2)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    server = raw_server(reset)

    async def run() -> None:
        async with httpx.AsyncClient() as client:
            assert netbackend.install(client)
            await client.get(server.url("/reset"))

    with pytest.raises(httpx.ReadError) as caught:
        asyncio.run(run())
    below = caught.value.__cause__
    assert isinstance(below, httpcore.ReadError)
    assert isinstance(below.__context__, ConnectionResetError)


def test_refused_on_every_address_of_a_name_says_refused() -> None:
    # "localhost" may resolve to ::1 and 127.0.0.1; asyncio alone would merge both refusals into one
    # untyped OSError ("Multiple exceptions: ...").
    port = closed_port()

    async def run() -> None:
        async with Fetcher(total_timeout=5.0) as fetcher:
            await fetcher.fetch(f"http://localhost:{port}/feed")

    with pytest.raises(NetworkError) as caught:
        asyncio.run(run())
    assert str(caught.value) == f"could not connect to localhost:{port}: connection refused"


def test_install_leaves_a_client_without_pools_alone() -> None:
    class Elsewhere(httpx.AsyncBaseTransport):
        """A transport that keeps no httpcore pool (as a future httpx might)."""

    client = httpx.AsyncClient(transport=Elsewhere())
    assert netbackend.install(client) is False


@pytest.mark.skipif(
    sys.platform != "linux", reason="relies on Linux dropping SYNs when the accept queue is full"
)
def test_a_name_whose_first_address_hangs_is_reached_at_its_second(
    raw_server: Callable[[Handler], RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "dual.example.test" resolves to 127.0.0.2 first, where connects hang (a full accept queue drops the
    # SYN), then to 127.0.0.1, where the server answers. Trying the addresses one after the other would
    # spend the whole 5 s budget on the first; racing them as happy eyeballs do answers at once.
    def answer(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        conn.sendall(keep_alive_answer())

    server = raw_server(answer)
    hanging = socket.socket()
    hanging.bind(("127.0.0.2", server.port))
    hanging.listen(0)
    fillers = [socket.socket() for _ in range(3)]
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "dual.example.test":
            stream = socket.SOCK_STREAM
            return [
                (socket.AF_INET, stream, 6, "", ("127.0.0.2", port)),
                (socket.AF_INET, stream, 6, "", ("127.0.0.1", port)),
            ]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setenv("NO_PROXY", "*")

    async def run() -> str:
        async with Fetcher(connect_timeout=30.0, total_timeout=5.0) as fetcher:
            return (await fetcher.fetch(f"http://dual.example.test:{server.port}/feed")).text

    try:
        for filler in fillers:
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.2", server.port))
        assert asyncio.run(run()) == FEED.decode()
    finally:
        for filler in fillers:
            filler.close()
        hanging.close()


def test_addresses_alternate_between_families() -> None:
    v6, v4 = int(socket.AF_INET6), int(socket.AF_INET)
    given = [
        (v6, "2001:db8::1"),
        (v6, "2001:db8::2"),
        (v4, "192.0.2.1"),
        (v4, "192.0.2.2"),
        (v6, "2001:db8::3"),
    ]
    assert netbackend._interleaved(given) == [
        (v6, "2001:db8::1"),
        (v4, "192.0.2.1"),
        (v6, "2001:db8::2"),
        (v4, "192.0.2.2"),
        (v6, "2001:db8::3"),
    ]
