"""Get a document from an http(s) URL or a local file, safely: bounded in time, size and concurrency."""

from __future__ import annotations

import asyncio
import http
import importlib.util
import mimetypes
import os
import socket
import ssl
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import httpx

from termreader import __version__, netbackend, tlscontext
from termreader.bodytypes import binary_kind as binary_kind  # part of fetch's API
from termreader.bodytypes import check_body_type, mime, refuse_binary_type
from termreader.bodytypes import sniff_content_type as sniff_content_type  # part of fetch's API
from termreader.decompress import Decompressor
from termreader.errors import (
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    NetworkError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from termreader.hostlimits import MAX_RETRY_WAIT, RETRY_STATUSES, HostKey, HostLimits, asked_wait, retry_wait
from termreader.httpcache import CacheEntry, HttpCache
from termreader.httpcache import Validators as Validators  # part of fetch()'s API
from termreader.textdecode import decode_text
from termreader.textutil import strip_unsafe
from termreader.tlscontext import shared_ssl_context as shared_ssl_context  # part of fetch's API

# httpcore imports `sniffio` for every lock it sets up (~6 per request); anyio >= 4.11 no longer installs it,
# so each of those imports fails only after walking sys.path again (0.6 s of CPU per 200 requests here;
# encode/httpcore discussion #1102, PR #1103). A None entry makes `import sniffio` raise ImportError at once,
# which httpcore treats as "asyncio"; neither anyio nor httpx imports sniffio, and an installed one is kept.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
USER_AGENT: Final = (
    f"termreader/{__version__} (+https://github.com/termreader/termreader; terminal feed reader)"
)
DEFAULT_ACCEPT: Final = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml;q=0.9,"
    "application/atom+xml;q=0.9,application/feed+json;q=0.9,application/json;q=0.8,*/*;q=0.5"
)
FEED_ACCEPT: Final = (
    "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,"
    "text/xml;q=0.9,application/json;q=0.8,*/*;q=0.5"
)
"""Accept header for a URL known to be a feed (discovery in `sources` and the refresher both send it)."""
# We decompress ourselves (to cap the *decoded* size), so we only offer what zlib reads.
ACCEPT_ENCODING: Final = "gzip, deflate"

_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_DECODE_IN_THREAD_BYTES: Final = 256 * 1024
_LOCAL_TYPES: Final[dict[str, str]] = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".shtml": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".json": "application/json",
    ".opml": "text/x-opml",
    ".txt": "text/plain",
    ".md": "text/plain",
}


@dataclass(frozen=True, slots=True)
class FetchedDocument:
    """A fetched document: the bytes for parsers that sniff themselves, and the decoded text."""

    url: str
    """What was asked for (a local path becomes a file:// URL)."""
    final_url: str
    """After redirects; the base for relative links."""
    status: int
    """200 for a fresh body or a local file; a 304 is reported as 200 with `not_modified=True`."""
    content_type: str
    """Lower-case MIME type without parameters ("" if unknown); sniffed when missing or vague."""
    body: bytes
    text: str
    encoding: str
    """Python codec name the text was decoded with."""
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


def to_url(target: str) -> str:
    """An http(s) URL unchanged; a path or file:// URL as a file:// URL; any other scheme refused."""
    target = target.strip()
    if not target:
        raise FetchError(target, "nothing to read: give an http(s) URL or a file path")
    scheme, sep, rest = target.partition(":")
    is_scheme = bool(sep) and len(scheme) > 1 and scheme[0].isalpha()
    is_scheme = is_scheme and all(c.isalnum() or c in "+.-" for c in scheme)
    if not is_scheme:
        return Path(os.path.abspath(os.path.expanduser(target))).as_uri()
    scheme = scheme.lower()
    if scheme in ("http", "https"):
        if not urlsplit(target).hostname:
            raise FetchError(target, f"not a valid URL (no host name): {target}")
        return target
    if scheme == "file":
        parts = urlsplit(target)
        if parts.netloc not in ("", "localhost"):
            raise UnsupportedSchemeError(target, f"cannot read files on another computer: {target}")
        path = url2pathname(unquote(parts.path))
        return Path(os.path.abspath(os.path.expanduser(path))).as_uri()
    if rest[:1].isdigit():  # "localhost:8000/feed": a host and port without a scheme
        raise UnsupportedSchemeError(target, f"not a URL: {target} (did you mean http://{target}?)")
    raise UnsupportedSchemeError(
        target, f"{scheme}: URLs are not supported; give an http(s) URL or a file path"
    )


_LOOPBACK_PATTERNS: Final = ("all://127.0.0.1", "all://localhost", "all://[::1]")
"""URL patterns that always bypass environment proxies (mounted with no transport = direct)."""


POOL_SIZE: Final = 4
"""Connections per httpx pool. httpcore's pool scans every connection for every queued request, on the
event loop (has_expired → getpeername + poll per connection): at 32 connections in one pool that scan was
the largest cost of a 200-feed refresh. Pools of 4 cut that refresh's CPU by about half and its longest
event-loop stall by a third (benchmarks/results-refresh.md); 1 and 2 were within the noise of 4."""


def load_http_stack() -> ssl.SSLContext:
    """Import what the first request needs and make the shared TLS context (blocking; once per process).

    The first fetch does it in a worker thread; a command that knows it will fetch runs it in a thread
    during its start-up, so that the first request does not wait for it.
    """
    netbackend.preload()
    return tlscontext.client_context()


class Fetcher:
    """Shared HTTP clients with per-host limits, timeouts, a size cap and an optional validator cache."""

    def __init__(
        self,
        *,
        cache_dir: Path | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        connect_timeout: float = 10.0,
        read_timeout: float = 20.0,
        total_timeout: float = 60.0,
        max_redirects: int = 10,
        per_host_limit: int = 8,
        max_connections: int = 64,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.cache = HttpCache(cache_dir) if cache_dir is not None else None
        self.max_bytes = max_bytes
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_redirects = max_redirects
        self.per_host_limit = per_host_limit
        self.max_connections = max_connections
        self.user_agent = user_agent
        self._clients: list[httpx.AsyncClient] = []
        self._in_flight: list[int] = []
        self._sizes: list[int] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hosts = HostLimits(per_host_limit)
        self._starting: asyncio.Lock | None = None

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled connections; a later fetch opens new clients."""
        clients, self._clients, self._in_flight, self._sizes = self._clients, [], [], []
        if not clients or self._loop is not asyncio.get_running_loop():
            return  # none, or their connections belong to an event loop that has ended: cannot close now
        for client in clients:
            await client.aclose()

    async def prepare(self) -> None:
        """Create the clients now (TLS context and anyio's backend set up in a worker thread), not at the
        first fetch: for callers that have other start-up work to schedule after it."""
        await self._ensure_clients()

    async def _ensure_clients(self) -> None:
        """Create the clients on first use (and again in another event loop), loading TLS off the loop."""
        loop = asyncio.get_running_loop()
        if self._clients and self._loop is loop:
            return
        if self._loop is not loop or self._starting is None:
            # httpx clients, semaphores and locks belong to the loop they were first used in.
            self._loop = loop
            self._clients, self._in_flight, self._sizes = [], [], []
            self._hosts = HostLimits(self.per_host_limit)
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._clients:
                return
            context = tlscontext.ready_context()
            if context is None:
                context = await asyncio.to_thread(load_http_stack)
            total = max(1, self.max_connections)
            sizes = [POOL_SIZE] * (total // POOL_SIZE) + ([total % POOL_SIZE] if total % POOL_SIZE else [])
            self._clients = [self._new_client(size, context) for size in sizes]
            self._in_flight = [0] * len(self._clients)
            self._sizes = list(sizes)

    def _new_client(self, connections: int, context: ssl.SSLContext) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            http1=True,
            http2=False,
            verify=context,
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=self.connect_timeout,
                read=self.read_timeout,
                write=self.read_timeout,
                pool=self.total_timeout,
            ),
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            headers={"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            # An HTTP(S)_PROXY from the environment must never capture loopback: the demo and the
            # tests serve from 127.0.0.1, and a proxy there answers "connection refused".
            mounts=dict.fromkeys(_LOOPBACK_PATTERNS),
        )
        netbackend.install(client)
        return client

    def _pick_client(self) -> int:
        """The pool with the most free connections; the first on ties (sequential requests reuse it)."""
        free = [size - busy for size, busy in zip(self._sizes, self._in_flight, strict=True)]
        return free.index(max(free))

    def _retry_wait(self, response: httpx.Response, deadline: float | None) -> float | None:
        """Seconds to wait before the one retry a 429 or 503 may get; None when it gets none (the wait
        asked for is too long, or would not leave a second of the fetch's total time for the retry)."""
        wait = retry_wait(response.status_code, response.headers.get("retry-after"))
        if wait is None or wait > MAX_RETRY_WAIT:
            return None
        if deadline is not None and asyncio.get_running_loop().time() + wait > deadline - 1.0:
            return None
        return wait

    async def fetch(
        self,
        target: str,
        *,
        conditional: bool = False,
        accept: str | None = None,
        body_needed: bool = True,
        known: Validators | None = None,
    ) -> FetchedDocument:
        """Fetch a URL or read a local file; every failure is a FetchError with a one-line message.

        With `conditional`, remembered validators make the request conditional and a 304 returns the
        remembered body; `body_needed=False` skips reading, checking and decoding that body (the document of
        a 304 then has `not_modified=True` and empty `body` and `text`) for callers that keep what they made
        of it last time. `known`: validators such a caller keeps itself (the refresher, beside its list):
        the request is conditional on them, a 304 is answered as with `body_needed=False`, and the HTTP
        cache is neither read nor written (no file work per request).
        """
        url = to_url(target)
        if url.startswith("file:"):
            shown = target.strip() if not target.strip().lower().startswith("file:") else None
            return await asyncio.to_thread(read_local_file, url, self.max_bytes, shown)
        try:
            async with asyncio.timeout(self.total_timeout) as budget:
                return await self._fetch_http(
                    url,
                    conditional=conditional,
                    accept=accept,
                    body_needed=body_needed,
                    known=known,
                    deadline=budget.when(),
                )
        except TimeoutError:
            raise FetchTimeoutError(
                url, f"{_hostport(url)} did not send the whole page within {self.total_timeout:g} s"
            ) from None

    async def _fetch_http(
        self,
        url: str,
        *,
        conditional: bool,
        accept: str | None,
        body_needed: bool,
        known: Validators | None,
        deadline: float | None = None,
    ) -> FetchedDocument:
        cache = self.cache if conditional and known is None else None
        cached = await asyncio.to_thread(cache.get, url, body_needed) if cache is not None else None
        headers = {"Accept": accept or DEFAULT_ACCEPT}
        if cached is not None:
            headers.update(cached.validators())
        elif known is not None:
            headers.update(known.headers())
        current = url
        retried = False
        for _hop in range(self.max_redirects + 1):
            if not tlscontext.trusted() and urlsplit(current).scheme.lower() == "https":
                await asyncio.to_thread(tlscontext.shared_ssl_context)  # CAs off the loop, before any TLS
            await self._ensure_clients()  # binds the clients and the host limits to this event loop
            hosts, host = self._hosts, _host_key(current)  # these limits, even if aclose() replaces them
            await hosts.acquire(host)
            wait: float | None = None
            try:
                await self._ensure_clients()  # again: an aclose() may have run while we waited for the slot
                index = self._pick_client()
                in_flight = self._in_flight  # this list, even if aclose() replaces it meanwhile
                in_flight[index] += 1
                try:
                    response = await self._send(self._clients[index], current, headers)
                    try:
                        status = response.status_code
                        location = response.headers.get("location")
                        if status in _REDIRECTS and location:
                            await _drain_small(response)
                            current = _redirect_target(current, location)
                            continue
                        if status == 304 and cached is not None:
                            await _drain_small(response)
                            return await self._not_modified(cached, response, cache, body_needed)
                        if status == 304 and known is not None and (known.etag or known.last_modified):
                            await _drain_small(response)
                            return _known_not_modified(url, current, response, known)
                        if status in RETRY_STATUSES and not retried:
                            wait = self._retry_wait(response, deadline)
                        if wait is not None:
                            hosts.slow_down(host)  # this host says it gets too many at once
                            await _drain_small(response)
                        else:
                            _check_status(current, response)
                            content_type = _check_declared_type(current, response)
                            body = await self._read_body(current, response)
                    finally:
                        await response.aclose()
                finally:
                    in_flight[index] -= 1
            finally:
                hosts.release(host)
            if wait is not None:
                retried = True
                await asyncio.sleep(wait)  # outside the host's slot: others may use it meanwhile
                continue
            document = await self._document(url, current, status, content_type, response, body)
            if cache is not None and (document.etag or document.last_modified):
                entry = CacheEntry(
                    url=url,
                    final_url=current,
                    content_type=response.headers.get("content-type", ""),
                    etag=document.etag,
                    last_modified=document.last_modified,
                    body=body,
                    stored_at=time.time(),
                )
                await asyncio.to_thread(cache.put, entry)
            return document
        raise TooManyRedirectsError(
            url, f"{_hostport(url)} redirected more than {self.max_redirects} times (a redirect loop?)"
        )

    async def _send(self, client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> httpx.Response:
        try:
            request = client.build_request("GET", url, headers=headers)
        except (httpx.InvalidURL, ValueError, UnicodeError) as exc:  # URL syntax and IDNA errors
            raise FetchError(url, f"not a valid URL: {url}") from exc
        try:
            return await client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise self._network_error(url, exc, reading_body=False) from exc
        except httpx.InvalidURL as exc:
            # httpx builds the next request from Location even without following it: a Location it
            # cannot parse (javascript:, data:, garbage) fails here.
            raise UnsupportedSchemeError(
                url, f"{_hostport(url)} redirected to an address termreader does not follow"
            ) from exc
        except (ValueError, UnicodeError) as exc:  # IDNA and URL syntax errors raised below httpx
            raise FetchError(url, f"not a valid URL: {url}") from exc

    async def _read_body(self, url: str, response: httpx.Response) -> bytes:
        """Stream and decompress the body, stopping as soon as the decoded size passes the cap."""
        declared = response.headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > self.max_bytes:
            raise TooLargeError(url, f"{url} is larger than {_size(self.max_bytes)}; stopped reading")
        decoder = Decompressor(url, _hostport(url), response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0
        try:
            async for raw in response.aiter_raw():
                data = decoder.feed(raw, self.max_bytes - size + 1)
                size += len(data)
                if size > self.max_bytes:
                    raise TooLargeError(url, f"{url} is larger than {_size(self.max_bytes)}; stopped reading")
                chunks.append(data)
        except httpx.HTTPError as exc:
            raise self._network_error(url, exc, reading_body=True) from exc
        tail = decoder.finish()
        if size + len(tail) > self.max_bytes:
            raise TooLargeError(url, f"{url} is larger than {_size(self.max_bytes)}; stopped reading")
        chunks.append(tail)
        return b"".join(chunks)

    async def _document(
        self,
        url: str,
        final_url: str,
        status: int,
        content_type: str,
        response: httpx.Response,
        body: bytes,
    ) -> FetchedDocument:
        content_type = check_body_type(final_url, content_type, body, final_url)
        header = response.headers.get("content-type")
        if len(body) > _DECODE_IN_THREAD_BYTES:
            text, encoding = await asyncio.to_thread(decode_text, body, header)
        else:
            text, encoding = decode_text(body, header)
        return FetchedDocument(
            url=url,
            final_url=final_url,
            status=status,
            content_type=content_type,
            body=body,
            text=text,
            encoding=encoding,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    async def _not_modified(
        self, cached: CacheEntry, response: httpx.Response, cache: HttpCache | None, body_needed: bool
    ) -> FetchedDocument:
        """A 304: the remembered body (unless not needed), with any validators the server refreshed."""
        etag = response.headers.get("etag") or cached.etag
        last_modified = response.headers.get("last-modified") or cached.last_modified
        if cache is not None and (etag, last_modified) != (cached.etag, cached.last_modified):
            await asyncio.to_thread(cache.update_validators, cached.url, etag, last_modified)
        content_type = mime(cached.content_type)
        if body_needed:
            content_type = check_body_type(cached.final_url, content_type, cached.body, "")
            text, encoding = await asyncio.to_thread(decode_text, cached.body, cached.content_type or None)
        else:
            text, encoding = "", "utf-8"
        return FetchedDocument(
            url=cached.url,
            final_url=cached.final_url,
            status=200,
            content_type=content_type,
            body=cached.body,
            text=text,
            encoding=encoding,
            not_modified=True,
            etag=etag,
            last_modified=last_modified,
        )

    def _network_error(self, url: str, exc: httpx.HTTPError, *, reading_body: bool) -> FetchError:
        """One human line for an httpx failure, naming the host."""
        parts = urlsplit(url)
        host = parts.hostname or url
        where = _hostport(url)
        if isinstance(exc, httpx.ConnectTimeout):
            return FetchTimeoutError(url, f"could not connect to {where} within {self.connect_timeout:g} s")
        if isinstance(exc, httpx.ReadTimeout):
            return FetchTimeoutError(url, f"{where} did not answer within {self.read_timeout:g} s")
        if isinstance(exc, httpx.WriteTimeout):
            return FetchTimeoutError(url, f"{where} did not take the request within {self.read_timeout:g} s")
        if isinstance(exc, httpx.PoolTimeout):
            return FetchTimeoutError(url, f"no free connection to {where} (too many requests at once)")
        cause = _os_cause(exc)
        if isinstance(cause, socket.gaierror):
            return NetworkError(url, f"could not find host {host}")
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or "untrusted certificate"
            return NetworkError(url, f"{where} has a certificate that cannot be trusted ({reason})")
        if isinstance(cause, ssl.SSLError):
            reason = (cause.reason or str(cause)).replace("_", " ").lower()  # "WRONG_VERSION_NUMBER"
            return NetworkError(url, f"secure connection to {where} failed (TLS error: {reason})")
        if isinstance(cause, ConnectionRefusedError):
            return NetworkError(url, f"could not connect to {where}: connection refused")
        if isinstance(exc, httpx.ConnectError):
            message = str(exc).lower()
            if "name or service" in message or "nodename" in message or "name resolution" in message:
                return NetworkError(url, f"could not find host {host}")
            detail = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(exc)
            return NetworkError(url, f"could not connect to {where}: {detail}")
        if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError | httpx.WriteError):
            if isinstance(cause, ConnectionResetError):
                what = "reset the connection"
            else:
                what = "closed the connection"
            when = "before sending the whole page" if reading_body else "without answering"
            return NetworkError(url, f"{where} {what} {when}")
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return FetchError(url, f"not a valid URL: {url}")
        if isinstance(exc, httpx.DecodingError):
            return FetchError(url, f"{where} sent a body that could not be decompressed")
        return FetchError(url, f"could not fetch {url}: {exc}")


def _known_not_modified(
    url: str, final_url: str, response: httpx.Response, known: Validators
) -> FetchedDocument:
    """A 304 to validators the caller keeps: no body; the validators as the server now gives them."""
    return FetchedDocument(
        url=url,
        final_url=final_url,
        status=200,
        content_type=mime(response.headers.get("content-type", "")),
        body=b"",
        text="",
        encoding="utf-8",
        not_modified=True,
        etag=response.headers.get("etag") or known.etag,
        last_modified=response.headers.get("last-modified") or known.last_modified,
    )


def read_local_file(
    url: str, max_bytes: int = DEFAULT_MAX_BYTES, shown: str | None = None
) -> FetchedDocument:
    """Read a file:// URL with the same size cap and content checks as a download (blocking)."""
    path = Path(url2pathname(unquote(urlsplit(url).path)))
    name = shown or str(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise FetchError(url, f"no such file: {name}") from None
    except PermissionError:
        raise FetchError(url, f"cannot read {name}: permission denied") from None
    except OSError as exc:
        raise FetchError(url, f"cannot read {name}: {exc.strerror or exc}") from None
    if path.is_dir():
        raise FetchError(url, f"{name} is a folder, not a file")
    if not path.is_file():
        raise FetchError(url, f"{name} is not a regular file")
    too_large = TooLargeError(url, f"{name} is larger than {_size(max_bytes)}; stopped reading")
    if info.st_size > max_bytes:
        raise too_large
    try:
        with path.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except PermissionError:
        raise FetchError(url, f"cannot read {name}: permission denied") from None
    except OSError as exc:
        raise FetchError(url, f"cannot read {name}: {exc.strerror or exc}") from None
    if len(body) > max_bytes:
        raise too_large
    suffix = path.suffix.lower()
    content_type = _LOCAL_TYPES.get(suffix)
    if content_type is None:
        guessed = (mimetypes.guess_type(path.name)[0] or "").lower()
        refuse_binary_type(url, guessed, name)
        content_type = sniff_content_type(body) or ""
    content_type = check_body_type(url, content_type, body, name)
    text, encoding = decode_text(body, content_type)
    return FetchedDocument(
        url=url,
        final_url=url,
        status=200,
        content_type=content_type,
        body=body,
        text=text,
        encoding=encoding,
    )


_DRAIN_LIMIT: Final = 64 * 1024


async def _drain_small(response: httpx.Response) -> None:
    """Read a 304's (empty) or a redirect's short body, so closing the response keeps the connection alive.

    An unread body makes httpcore drop the connection; draining a large one would cost more than a new one.
    """
    length = response.headers.get("content-length", "").strip()
    if response.status_code != 304 and not (length.isdigit() and int(length) <= _DRAIN_LIMIT):
        return
    try:
        async for _chunk in response.aiter_raw():
            pass
    except httpx.HTTPError:
        return  # the connection is closed instead; the answer itself is already complete


def _check_status(url: str, response: httpx.Response) -> None:
    status = response.status_code
    if status < 300:
        return
    try:
        phrase = response.reason_phrase or http.HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    answer = f"{status} {phrase}".strip()
    path = urlsplit(url).path or "/"
    asked = asked_wait(response.headers.get("retry-after")) if status in RETRY_STATUSES else None
    if asked is not None:
        path += f" (it asks to wait {asked:.0f} s)"
    if status >= 400:
        raise HTTPStatusError(url, f"{_hostport(url)} answered {answer} for {path}", status)
    raise HTTPStatusError(
        url, f"{_hostport(url)} answered {answer} for {path} without a usable redirect", status
    )


def _check_declared_type(url: str, response: httpx.Response) -> str:
    """Refuse images, PDFs, audio and video from the header alone, before reading their bodies."""
    content_type = mime(response.headers.get("content-type", ""))
    refuse_binary_type(url, content_type, url)
    return content_type


def _redirect_target(current: str, location: str) -> str:
    target = urljoin(current, location.strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        shown = strip_unsafe(target)
        shown = shown if len(shown) <= 100 else shown[:99] + "…"
        raise UnsupportedSchemeError(
            current, f"{_hostport(current)} redirected to {shown}, which termreader does not follow"
        )
    return target


def _os_cause(exc: BaseException) -> BaseException | None:
    """The OSError (socket, TLS) under httpx's and httpcore's wrappers, if any."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        if isinstance(current, OSError):
            # anyio wraps several connection attempts in a plain OSError; the real reason is below it.
            deeper = current.__cause__ or current.__context__
            if type(current) is OSError and isinstance(deeper, OSError):
                current = deeper
                seen += 1
                continue
            return current
        current = current.__cause__ or current.__context__
        seen += 1
    return None


def _host_key(url: str) -> HostKey:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), _port(parts.port, scheme)


def _port(port: int | None, scheme: str) -> int:
    return port if port is not None else (443 if scheme == "https" else 80)


def _hostport(url: str) -> str:
    """The host as the user wrote it: with the port only when the URL names one."""
    parts = urlsplit(url)
    host = parts.hostname or url
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port is not None else host


def _size(limit: int) -> str:
    mib, kib = 1024 * 1024, 1024
    if limit >= mib:
        return f"{limit // mib} MB" if limit % mib == 0 else f"{limit / mib:.1f} MB"
    if limit >= kib:
        return f"{limit // kib} KB" if limit % kib == 0 else f"{limit / kib:.1f} KB"
    return f"{limit} bytes"
