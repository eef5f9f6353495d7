"""A host that says "too many requests": one short wait and retry, and fewer requests to it at once."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from termreader.errors import HTTPStatusError
from termreader.fetch import FetchedDocument, Fetcher
from termreader.hostlimits import DEFAULT_429_WAIT, RECOVER_AFTER, HostLimits, asked_wait, retry_wait
from tests.rawserver import Handler, RawServer, read_request

FEED = b"<rss version='2.0'><channel><title>Patient</title></channel></rss>"


def answer(status: str, body: bytes = b"", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def ok() -> bytes:
    return answer("200 OK", FEED, Content_Type="application/rss+xml")


class Script:
    """Answers requests in turn from a list (the last one repeats); counts what arrived."""

    def __init__(self, *answers: bytes) -> None:
        self.answers = list(answers)
        self.requests = 0
        self.lock = threading.Lock()

    def __call__(self, conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        with self.lock:
            turn = min(self.requests, len(self.answers) - 1)
            self.requests += 1
        conn.sendall(self.answers[turn])


def fetch(url: str, *, total_timeout: float) -> FetchedDocument:
    async def run() -> FetchedDocument:
        async with Fetcher(connect_timeout=2.0, read_timeout=2.0, total_timeout=total_timeout) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def test_a_429_with_a_short_retry_after_is_retried_once(raw_server: Callable[[Handler], RawServer]) -> None:
    script = Script(answer("429 Too Many Requests", Retry_After="0"), ok())
    server = raw_server(script)
    document = fetch(server.url("/feed"), total_timeout=10.0)
    assert (document.status, document.text) == (200, FEED.decode())
    assert script.requests == 2


def test_a_retry_after_date_in_the_past_means_now(raw_server: Callable[[Handler], RawServer]) -> None:
    past = format_datetime(datetime.now(UTC) - timedelta(minutes=5), usegmt=True)
    script = Script(answer("503 Service Unavailable", Retry_After=past), ok())
    server = raw_server(script)
    assert fetch(server.url("/feed"), total_timeout=10.0).status == 200
    assert script.requests == 2


def test_a_second_429_fails_with_what_the_host_asked(raw_server: Callable[[Handler], RawServer]) -> None:
    script = Script(answer("429 Too Many Requests", Retry_After="0"))
    server = raw_server(script)
    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/feed"), total_timeout=10.0)
    assert str(caught.value) == (
        f"127.0.0.1:{server.port} answered 429 Too Many Requests for /feed (it asks to wait 0 s)"
    )
    assert caught.value.status == 429
    assert script.requests == 2


def test_a_long_retry_after_fails_at_once(raw_server: Callable[[Handler], RawServer]) -> None:
    script = Script(answer("429 Too Many Requests", Retry_After="120"), ok())
    server = raw_server(script)
    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/feed"), total_timeout=10.0)
    assert str(caught.value).endswith("answered 429 Too Many Requests for /feed (it asks to wait 120 s)")
    assert script.requests == 1


def test_a_wait_that_would_not_leave_time_for_the_retry_is_not_taken(
    raw_server: Callable[[Handler], RawServer],
) -> None:
    script = Script(answer("429 Too Many Requests", Retry_After="3"), ok())
    server = raw_server(script)
    with pytest.raises(HTTPStatusError):
        fetch(server.url("/feed"), total_timeout=3.5)
    assert script.requests == 1


def test_a_503_without_retry_after_is_not_retried(raw_server: Callable[[Handler], RawServer]) -> None:
    script = Script(answer("503 Service Unavailable"), ok())
    server = raw_server(script)
    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/feed"), total_timeout=10.0)
    assert str(caught.value) == f"127.0.0.1:{server.port} answered 503 Service Unavailable for /feed"
    assert script.requests == 1


def test_after_a_429_the_host_gets_half_as_many_requests_at_once(
    raw_server: Callable[[Handler], RawServer],
) -> None:
    # The first request is told "429, retry now"; then 12 more go out together with a limit of 4 per host.
    # The server holds each answer until more than 2 are in flight (never, if the limit halved) or 0.2 s.
    state = {"now": 0, "most": 0, "requests": 0}
    lock = threading.Condition()

    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        with lock:
            state["requests"] += 1
            if state["requests"] == 1:
                conn.sendall(answer("429 Too Many Requests", Retry_After="0"))
                return
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            lock.notify_all()
            lock.wait_for(lambda: state["now"] > 2, timeout=0.2)
            state["now"] -= 1
        conn.sendall(ok())

    server = raw_server(handler)

    async def run() -> list[int]:
        async with Fetcher(per_host_limit=4, total_timeout=20.0) as fetcher:
            first = await fetcher.fetch(server.url("/first"))
            rest = await asyncio.gather(*(fetcher.fetch(server.url(f"/feed/{n}")) for n in range(12)))
        return [first.status, *(document.status for document in rest)]

    assert asyncio.run(run()) == [200] * 13
    assert state["most"] == 2


def test_host_limits_halve_down_to_one() -> None:
    async def run() -> list[int]:
        hosts = HostLimits(5)
        key = ("http", "example.test", 80)
        seen = []
        for _ in range(4):
            hosts.slow_down(key)
            seen.append(hosts.limit_of(key))
        # Five permits were handed out before; four of them are kept back as they come home.
        for _ in range(5):
            await hosts.acquire(key)
        for _ in range(5):
            hosts.release(key)
        await asyncio.wait_for(hosts.acquire(key), timeout=1.0)  # the one left
        blocked = asyncio.ensure_future(hosts.acquire(key))
        await asyncio.sleep(0.05)
        seen.append(int(blocked.done()))
        blocked.cancel()
        return seen

    assert asyncio.run(run()) == [2, 1, 1, 1, 0]


@pytest.mark.parametrize(
    ("status", "header", "expected"),
    [
        (429, None, DEFAULT_429_WAIT),
        (429, "7", 7.0),
        (429, "  3 ", 3.0),
        (429, "soon", DEFAULT_429_WAIT),
        (503, None, None),
        (503, "2", 2.0),
        (503, "-1", None),
        (500, "1", None),
        (429, "9" * 40, float(int("9" * 12))),
        (503, "Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_retry_wait(status: int, header: str | None, expected: float | None) -> None:
    assert retry_wait(status, header) == expected


def test_an_http_date_in_the_future_is_counted_from_now() -> None:
    now = datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC)
    assert asked_wait("Sun, 29 Nov 2026 12:00:30 GMT", now) == 30.0


def test_a_slowed_host_gets_its_full_limit_back_after_a_quiet_while() -> None:
    async def run() -> list[int]:
        now = [1000.0]
        hosts = HostLimits(4, clock=lambda: now[0])
        key = ("https", "feeds.example.test", 443)
        for _ in range(3):  # three requests in flight when the host says "too many"
            await hosts.acquire(key)
        hosts.slow_down(key)
        hosts.release(key)  # kept back (the limit is now 2)
        seen = [hosts.limit_of(key)]
        await hosts.acquire(key)  # the last free permit: 3 in flight, and nothing more until 2 come home
        blocked = asyncio.ensure_future(hosts.acquire(key))
        await asyncio.sleep(0.01)
        seen.append(int(blocked.done()))
        blocked.cancel()
        now[0] += RECOVER_AFTER - 1
        late = asyncio.ensure_future(hosts.acquire(key))
        await asyncio.sleep(0.01)
        seen.append(int(late.done()))  # not yet: still within the quiet while
        late.cancel()
        now[0] += 1
        await asyncio.wait_for(hosts.acquire(key), timeout=1.0)  # the kept-back permit is back: 4 in flight
        seen.append(hosts.limit_of(key))
        fifth = asyncio.ensure_future(hosts.acquire(key))
        await asyncio.sleep(0.01)
        seen.append(int(fifth.done()))  # the full limit, and no more
        fifth.cancel()
        for _ in range(4):
            hosts.release(key)
        for _ in range(4):  # and every permit came home: four at once
            await asyncio.wait_for(hosts.acquire(key), timeout=1.0)
        return seen

    assert asyncio.run(run()) == [2, 0, 0, 4, 0]
