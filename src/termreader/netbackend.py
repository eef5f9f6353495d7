"""An asyncio network backend for httpcore, the connection layer under httpx.

httpcore's default backend goes through anyio. For every read and write anyio opens a cancel scope and yields
to the event loop once more, and before every request httpcore asks each idle pooled connection whether it
is readable, which anyio answers with a `poll()` and a `getpeername()` syscall. Refreshing 200 feeds, that
was about a third of the CPU spent per request. This backend is asyncio's own streaming protocol instead:
the event loop fills a buffer, reads are served from it, and an idle connection is "readable" (the server
closed it) exactly when that buffer or the end of the stream says so, with no syscall.

httpcore documents the backend as pluggable (`network_backend=`); httpx does not expose it, so
`install(client)` sets it on the connection pools of a client that httpx built itself (environment proxies
included). Errors are httpcore's own types with the OS error as the cause, as with anyio, so httpx maps
them to the same exceptions.
"""

from __future__ import annotations

import asyncio
import collections
import ipaddress
import socket
import ssl
from asyncio import staggered
from collections.abc import Iterable
from functools import partial
from typing import Any, Final

import httpcore
import httpx

_PAUSE_AT: Final = 1 << 18
"""Unread bytes at which the connection stops reading from the socket (an endless body stays bounded)."""
_RESUME_AT: Final = 1 << 16
HAPPY_EYEBALLS_DELAY: Final = 0.25
"""Seconds before the next address of a host is tried while the previous one has not answered yet."""


class _Protocol(asyncio.Protocol):
    """Buffers what the event loop receives for one connection and wakes the reader waiting for it."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.chunks: collections.deque[bytes] = collections.deque()
        self.buffered = 0
        self.eof = False
        self.error: BaseException | None = None
        self.reading_paused = False
        self.writing_paused = False
        self.waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered > _PAUSE_AT and not self.reading_paused and self.transport is not None:
            self.reading_paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False  # close the transport: HTTP/1.1 never writes after the server's end of stream

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        if exc is not None and self.error is None:
            self.error = exc
        self._wake()

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        self._wake()

    def take(self, max_bytes: int) -> bytes:
        chunk = self.chunks.popleft()
        if len(chunk) > max_bytes:
            self.chunks.appendleft(chunk[max_bytes:])
            chunk = chunk[:max_bytes]
        self.buffered -= len(chunk)
        if self.reading_paused and self.buffered <= _RESUME_AT and self.transport is not None:
            self.reading_paused = False
            self.transport.resume_reading()
        return chunk

    async def wait(self, timeout: float | None, on_timeout: type[Exception]) -> None:
        """Until the loop delivers something (data, end, error, room to write); `on_timeout` after timeout."""
        loop = asyncio.get_running_loop()
        waiter = self.waiter = loop.create_future()
        timer = loop.call_later(timeout, _expire, waiter, on_timeout) if timeout is not None else None
        try:
            await waiter
        finally:
            self.waiter = None
            if timer is not None:
                timer.cancel()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


def _caused(kind: type[Exception], cause: BaseException) -> Exception:
    """`kind` with the OS error as both cause and context: httpcore re-raises read errors `from None`, which
    drops the cause, and the fetcher finds the OS error (a reset, say) through the context."""
    error = kind(str(cause) or "connection lost")
    error.__cause__ = error.__context__ = cause
    return error


def _expire(waiter: asyncio.Future[None], error: type[Exception]) -> None:
    if not waiter.done():
        waiter.set_exception(error("timed out"))


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection: reads from the protocol's buffer, writes straight to the transport."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        while not protocol.chunks:
            if protocol.eof:
                if protocol.error is not None:
                    raise _caused(httpcore.ReadError, protocol.error)
                return b""
            await protocol.wait(timeout, httpcore.ReadTimeout)
        return protocol.take(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if protocol.error is not None:
            raise _caused(httpcore.WriteError, protocol.error)
        if self._transport.is_closing() or protocol.eof:
            raise httpcore.WriteError("connection closed")
        self._transport.write(buffer)
        while protocol.writing_paused and not protocol.eof:
            await protocol.wait(timeout, httpcore.WriteTimeout)
        if protocol.error is not None:
            raise _caused(httpcore.WriteError, protocol.error)

    async def aclose(self) -> None:
        if not self._transport.is_closing():
            self._transport.close()
        await asyncio.sleep(0)  # lets the loop run the close it scheduled (the socket is released there)

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError as exc:
            self._transport.abort()
            raise httpcore.ConnectTimeout("TLS handshake timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            self._transport.abort()
            raise httpcore.ConnectError(str(exc)) from exc
        if transport is None:  # the peer closed during the handshake
            raise httpcore.ConnectError("connection closed during the TLS handshake")
        assert isinstance(transport, asyncio.Transport)
        self._protocol.transport = transport
        return AsyncioStream(transport, self._protocol)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # asked of idle pooled connections: anything there means the server closed
            return bool(self._protocol.chunks) or self._protocol.eof
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens connections with the running asyncio loop (TCP_NODELAY is asyncio's default)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await _connect(loop, host, port, local)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"could not connect within {timeout} s") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = transport.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(transport, protocol)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _connect(
    loop: asyncio.AbstractEventLoop, host: str, port: int, local: tuple[str, int] | None
) -> tuple[asyncio.Transport, _Protocol]:
    """Connect to `host`, racing its addresses as "happy eyeballs" (RFC 8305) do, like anyio before us.

    Each address starts HAPPY_EYEBALLS_DELAY after the one before unless that one has failed: a host whose
    IPv6 route hangs is reached over IPv4 a quarter second later, not after the connect timeout. If none
    connects, the first address's own error is raised (a refused connection stays ConnectionRefusedError,
    where asyncio would merge several into one untyped OSError).
    """
    try:
        ipaddress.ip_address(host)
        addresses: list[tuple[int, str]] = [(int(socket.AF_UNSPEC), host)]
    except ValueError:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        found = dict.fromkeys((int(family), str(sockaddr[0])) for family, _, _, _, sockaddr in infos)
        addresses = _interleaved(list(found))
    if not addresses:
        raise OSError(f"no address found for {host}")
    opened: list[asyncio.Transport] = []

    async def attempt(family: int, address: str) -> tuple[asyncio.Transport, _Protocol]:
        transport, protocol = await loop.create_connection(
            _Protocol, address, port, family=family, local_addr=local
        )
        assert isinstance(transport, asyncio.Transport)
        opened.append(transport)
        return transport, protocol

    if len(addresses) == 1:
        return await attempt(*addresses[0])
    attempts = [partial(attempt, family, address) for family, address in addresses]
    won, _index, errors = await staggered.staggered_race(attempts, HAPPY_EYEBALLS_DELAY)
    for transport in opened:  # an attempt that connected just after the winner
        if won is None or transport is not won[0]:
            transport.close()
    if won is not None:
        connected: tuple[asyncio.Transport, _Protocol] = won
        return connected
    raise next((error for error in errors if isinstance(error, OSError)), OSError(f"cannot reach {host}"))


def _interleaved(addresses: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Alternate address families, the resolver's first family first (RFC 8305, section 4)."""
    by_family: dict[int, list[tuple[int, str]]] = {}
    for entry in addresses:
        by_family.setdefault(entry[0], []).append(entry)
    queues = list(by_family.values())
    ordered: list[tuple[int, str]] = []
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered


_BACKEND: Final = AsyncioBackend()


def preload() -> None:
    """Import what the first request needs, which would otherwise load on the event loop (~70 ms).

    httpcore's locks and events are anyio's (their asyncio backend loads with the first lock), and httpx
    imports certifi whenever it builds a client. Blocking: for a worker thread.
    """
    import anyio._backends._asyncio  # noqa: F401
    import certifi  # noqa: F401


def install(client: httpx.AsyncClient) -> bool:
    """Put the asyncio backend under every connection pool `client` has (direct and proxies).

    Returns False, leaving httpx's own backend in place, if this httpx/httpcore keeps its pools elsewhere:
    slower, never wrong. A test checks that it returns True with the versions we pin.
    """
    transports = [client._transport, *client._mounts.values()]  # private: see the module docstring
    pools = [getattr(transport, "_pool", None) for transport in transports if transport is not None]
    if not pools or not all(pool is not None and hasattr(pool, "_network_backend") for pool in pools):
        return False
    for pool in pools:
        pool._network_backend = _BACKEND  # type: ignore[union-attr]
    return True
