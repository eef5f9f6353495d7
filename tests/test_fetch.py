"""Fetching against real loopback servers: a fixture site, pytest-httpserver and raw misbehaving sockets."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import os
import socket
import ssl
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from termreader import __version__
from termreader.demo.siteserver import SiteServer
from termreader.errors import (
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    NetworkError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedContentError,
    UnsupportedSchemeError,
)
from termreader.fetch import USER_AGENT, FetchedDocument, Fetcher, Validators, to_url
from termreader.httpcache import CacheEntry, HttpCache
from tests.rawserver import Handler, RawServer, closed_port, head, read_request

SITE = Path(__file__).parent / "fixtures" / "fetch" / "site"
LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT"  # SiteServer's fixed Last-Modified
INDEX_TEXT = (SITE / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def site(serve_site: Callable[..., SiteServer]) -> SiteServer:
    return serve_site(SITE)


def fetch(target: str, **options: Any) -> FetchedDocument:
    """One fetch with a fresh Fetcher; small timeouts so no test can hang."""

    async def run() -> FetchedDocument:
        settings: dict[str, Any] = {"connect_timeout": 2.0, "read_timeout": 2.0, "total_timeout": 5.0}
        settings.update(options)
        async with Fetcher(**settings) as fetcher:
            return await fetcher.fetch(target)

    return asyncio.run(run())


# --- the happy path --------------------------------------------------------------------------------------


def test_fetches_an_html_page(site: SiteServer) -> None:
    doc = fetch(site.url("/"))
    assert doc.url == site.url("/")
    assert doc.final_url == site.url("/")
    assert doc.status == 200
    assert doc.content_type == "text/html"
    assert doc.encoding == "utf-8"
    assert doc.text == INDEX_TEXT.replace("{{BASE}}", site.base_url)
    assert doc.body == doc.text.encode("utf-8")
    assert "café-au-lait coloured squash — the last harvest" in doc.text
    assert doc.etag is not None and doc.etag.startswith('"')
    assert doc.last_modified == LAST_MODIFIED
    assert doc.not_modified is False


def test_feed_content_type(site: SiteServer) -> None:
    doc = fetch(site.url("/feed.xml"))
    assert doc.content_type == "application/xml"
    assert f"<link>{site.base_url}/2026/11/winter-beds.html</link>" in doc.text


def test_http_charset_decodes_a_legacy_page(site: SiteServer) -> None:
    doc = fetch(site.url("/legacy"))
    assert doc.encoding == "koi8-r"
    assert "<title>Дачный дневник</title>" in doc.text
    assert "Осенью мы укрываем грядки соломой и ждём весны." in doc.text


def test_sends_an_honest_user_agent_and_takes_gzip(httpserver: HTTPServer) -> None:
    page = "<html><body><p>Compressed ☂ page</p></body></html>"
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(page.encode()),
        headers={"Content-Encoding": "gzip"},
        content_type="text/html; charset=utf-8",
    )
    doc = fetch(httpserver.url_for("/gz"))
    assert doc.text == page
    request, _ = httpserver.log[0]
    honest = f"termreader/{__version__} (+https://github.com/termreader/termreader; terminal feed reader)"
    assert request.headers["User-Agent"] == honest
    assert honest == USER_AGENT
    assert request.headers["Accept-Encoding"] == "gzip, deflate"
    assert request.headers["Accept"].startswith("text/html,application/xhtml+xml")


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_with_and_without_zlib_header(httpserver: HTTPServer, wbits: int) -> None:
    compressor = zlib.compressobj(wbits=wbits)
    body = compressor.compress(b"<rss><channel><title>Deflated</title></channel></rss>") + compressor.flush()
    httpserver.expect_request("/feed").respond_with_data(
        body, headers={"Content-Encoding": "deflate"}, content_type="application/rss+xml"
    )
    doc = fetch(httpserver.url_for("/feed"))
    assert doc.text == "<rss><channel><title>Deflated</title></channel></rss>"
    assert doc.content_type == "application/rss+xml"


def test_custom_accept_header(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api", headers={"Accept": "application/json"}).respond_with_json({"ok": True})

    async def run() -> FetchedDocument:
        async with Fetcher(total_timeout=5.0) as fetcher:
            return await fetcher.fetch(httpserver.url_for("/api"), accept="application/json")

    doc = asyncio.run(run())
    assert doc.content_type == "application/json"
    assert json.loads(doc.text) == {"ok": True}


def test_octet_stream_html_is_sniffed(site: SiteServer) -> None:
    doc = fetch(site.url("/seed-swap"))
    assert doc.content_type == "text/html"
    assert "<title>Seed Swap Saturday</title>" in doc.text


# --- redirects ---------------------------------------------------------------------------------------------


def test_follows_redirects(site: SiteServer) -> None:
    doc = fetch(site.url("/old-home"))
    assert doc.url == site.url("/old-home")
    assert doc.final_url == site.url("/index.html")
    assert "<h1>Notes from the Allotment</h1>" in doc.text

    absolute = fetch(site.url("/moved-post"))
    assert absolute.final_url == site.url("/2026/11/winter-beds.html")


def test_ten_redirects_are_followed_eleven_are_not(site: SiteServer) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    assert fetch(site.url("/hop/1")).final_url == site.url("/feed.xml")
    with pytest.raises(TooManyRedirectsError) as caught:
        fetch(site.url("/hop/0"))
    assert str(caught.value) == f"127.0.0.1:{port} redirected more than 10 times (a redirect loop?)"


def test_redirect_loop_stops(site: SiteServer) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    with pytest.raises(TooManyRedirectsError) as caught:
        fetch(site.url("/loop-a"))
    assert str(caught.value) == f"127.0.0.1:{port} redirected more than 10 times (a redirect loop?)"
    assert (site.hits["/loop-a"], site.hits["/loop-b"]) == (6, 5)


@pytest.mark.parametrize(
    ("path", "target"), [("/to-file", "file:///etc/passwd"), ("/to-ftp", "ftp://127.0.0.1/pub/feed.xml")]
)
def test_redirect_to_another_scheme_is_refused(site: SiteServer, path: str, target: str) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    with pytest.raises(UnsupportedSchemeError) as caught:
        fetch(site.url(path))
    assert str(caught.value) == (f"127.0.0.1:{port} redirected to {target}, which termreader does not follow")


# --- errors ------------------------------------------------------------------------------------------------


def test_404(site: SiteServer) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    with pytest.raises(HTTPStatusError) as caught:
        fetch(site.url("/missing.html"))
    assert caught.value.status == 404
    assert str(caught.value) == f"127.0.0.1:{port} answered 404 Not Found for /missing.html"
    assert caught.value.url == site.url("/missing.html")


def test_500_with_an_html_error_page(site: SiteServer) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    with pytest.raises(HTTPStatusError) as caught:
        fetch(site.url("/broken"))
    assert caught.value.status == 500
    assert str(caught.value) == f"127.0.0.1:{port} answered 500 Internal Server Error for /broken"


def test_image_served_as_an_article(site: SiteServer) -> None:
    with pytest.raises(UnsupportedContentError) as caught:
        fetch(site.url("/photo.png"))
    assert str(caught.value) == f"{site.url('/photo.png')} is an image (image/png), not a web page or a feed"


def test_binary_octet_stream_is_refused(site: SiteServer) -> None:
    with pytest.raises(UnsupportedContentError) as caught:
        fetch(site.url("/blob"))
    assert str(caught.value) == (
        f"{site.url('/blob')} is binary data (application/octet-stream), not a web page or a feed"
    )


def test_png_labelled_as_html_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a.html").respond_with_data(
        (SITE / "photo.png").read_bytes(), content_type="text/html"
    )
    with pytest.raises(UnsupportedContentError) as caught:
        fetch(httpserver.url_for("/a.html"))
    assert (
        str(caught.value)
        == f"{httpserver.url_for('/a.html')} is an image (text/html), not a web page or a feed"
    )


def test_connection_refused() -> None:
    port = closed_port()
    with pytest.raises(NetworkError) as caught:
        fetch(f"http://127.0.0.1:{port}/feed")
    assert str(caught.value) == f"could not connect to 127.0.0.1:{port}: connection refused"


def test_unknown_host(monkeypatch: pytest.MonkeyPatch) -> None:
    # No DNS server may be asked in a test: the resolver call itself answers "no such name", as
    # getaddrinfo does for a .invalid name (RFC 6761); everything above it is the real stack.
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "example.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(NetworkError) as caught:
        fetch("http://example.invalid/feed.xml")
    assert str(caught.value) == "could not find host example.invalid"


def test_tls_to_a_plain_http_port(site: SiteServer) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    with pytest.raises(NetworkError) as caught:
        fetch(f"https://127.0.0.1:{port}/")
    assert str(caught.value).startswith(f"secure connection to 127.0.0.1:{port} failed (TLS error: ")


def test_tls_self_signed_certificate(raw_server: Callable[[Handler], RawServer], tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    try:
        command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        command += ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)]
        subprocess.run(command, check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("openssl is not available to make a self-signed certificate")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        with context.wrap_socket(conn, server_side=True) as tls:
            read_request(tls)

    server = raw_server(handler)
    with pytest.raises(NetworkError) as caught:
        fetch(f"https://127.0.0.1:{server.port}/")
    assert str(caught.value).startswith(f"127.0.0.1:{server.port} has a certificate that cannot be trusted (")


def test_tls_trusts_the_ca_bundle_loaded_before_the_first_https_request(
    raw_server: Callable[[Handler], RawServer], site: SiteServer, tmp_path: Path
) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    try:
        command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        command += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        command += ["-keyout", str(key), "-out", str(cert)]
        subprocess.run(command, check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("openssl (1.1.1 or later) is not available to make a certificate")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    body = b"<rss version='2.0'><channel><title>Over TLS</title></channel></rss>"

    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        with context.wrap_socket(conn, server_side=True) as tls:
            read_request(tls)
            tls.sendall(head(content_type="application/rss+xml", content_length=str(len(body))) + body)

    server = raw_server(handler)
    # A fresh process whose CA bundle ($SSL_CERT_FILE, as httpx reads it) is our certificate: a plain http
    # request first (no CAs loaded yet), then https, which must load them before its handshake.
    code = (
        "import asyncio, sys\n"
        "from termreader.fetch import Fetcher\n"
        "async def main():\n"
        "    async with Fetcher(total_timeout=10.0) as fetcher:\n"
        "        plain = await fetcher.fetch(sys.argv[1])\n"
        "        secure = await fetcher.fetch(sys.argv[2])\n"
        "    print(plain.status, secure.status, secure.text)\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "SSL_CERT_FILE": str(cert)}
    env.pop("SSL_CERT_DIR", None)
    result = subprocess.run(
        [sys.executable, "-c", code, site.url("/feed.xml"), f"https://127.0.0.1:{server.port}/feed"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.stdout.strip() == f"200 200 {body.decode()}", result.stderr[-2000:]


@pytest.mark.skipif(
    sys.platform != "linux", reason="relies on Linux dropping SYNs when the accept queue is full"
)
def test_connect_timeout() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = [socket.socket() for _ in range(3)]  # fill the accept queue: later SYNs go unanswered
    try:
        for filler in fillers:
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
        with pytest.raises(FetchTimeoutError) as caught:
            fetch(f"http://127.0.0.1:{port}/", connect_timeout=0.3)
        assert str(caught.value) == f"could not connect to 127.0.0.1:{port} within 0.3 s"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_read_timeout_when_the_server_says_nothing(raw_server: Callable[[Handler], RawServer]) -> None:
    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        stopping.wait(5)

    server = raw_server(handler)
    with pytest.raises(FetchTimeoutError) as caught:
        fetch(server.url("/slow"), read_timeout=0.2)
    assert str(caught.value) == f"127.0.0.1:{server.port} did not answer within 0.2 s"


def test_total_timeout_on_a_slow_drip(raw_server: Callable[[Handler], RawServer]) -> None:
    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        conn.sendall(head(Content_Type="text/html", Content_Length="100000"))
        for _ in range(200):  # one byte every 50 ms: never idle long enough for the read timeout
            if stopping.wait(0.05):
                return
            conn.sendall(b"<")

    server = raw_server(handler)
    with pytest.raises(FetchTimeoutError) as caught:
        fetch(server.url("/drip"), read_timeout=2.0, total_timeout=0.5)
    assert str(caught.value) == f"127.0.0.1:{server.port} did not send the whole page within 0.5 s"


def test_endless_body_is_cut_at_the_cap(raw_server: Callable[[Handler], RawServer]) -> None:
    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        conn.sendall(head(Content_Type="text/html", Transfer_Encoding="chunked"))
        chunk = b"<p>" + b"more " * 3000 + b"</p>"
        for _ in range(1000):  # 15 MB at most, far past the 256 KB cap set below
            if stopping.is_set():
                return
            conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")

    server = raw_server(handler)
    with pytest.raises(TooLargeError) as caught:
        fetch(server.url("/endless"), max_bytes=256 * 1024)
    assert str(caught.value) == f"{server.url('/endless')} is larger than 256 KB; stopped reading"


def test_content_length_above_the_cap_is_refused_before_reading(
    raw_server: Callable[[Handler], RawServer],
) -> None:
    sent: list[int] = []

    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        conn.sendall(head(Content_Type="text/html", Content_Length=str(50 * 1024 * 1024)))
        sent.append(conn.send(b"<html>" + b" " * 1000))

    server = raw_server(handler)
    with pytest.raises(TooLargeError) as caught:
        fetch(server.url("/huge"), max_bytes=1024 * 1024)
    assert str(caught.value) == f"{server.url('/huge')} is larger than 1 MB; stopped reading"


def test_gzip_bomb_is_capped_by_its_decoded_size(httpserver: HTTPServer) -> None:
    bomb = gzip.compress(b"<p>" + b"\0" * (8 * 1024 * 1024))
    assert len(bomb) < 16 * 1024  # a few KB on the wire…
    httpserver.expect_request("/bomb.html").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )
    with pytest.raises(TooLargeError) as caught:
        fetch(httpserver.url_for("/bomb.html"), max_bytes=1024 * 1024)  # …that inflate past 1 MB
    assert str(caught.value) == f"{httpserver.url_for('/bomb.html')} is larger than 1 MB; stopped reading"


def test_corrupt_gzip(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/bad.html").respond_with_data(
        b"\x1f\x8b\x08\x00garbage that is not deflate data", headers={"Content-Encoding": "gzip"}
    )
    port = httpserver.port
    with pytest.raises(FetchError) as caught:
        fetch(httpserver.url_for("/bad.html"))
    assert str(caught.value) == f"localhost:{port} sent a compressed body that is corrupt"


def test_unknown_content_encoding(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/br").respond_with_data(b"\x0b\x02\x80", headers={"Content-Encoding": "br"})
    with pytest.raises(UnsupportedContentError) as caught:
        fetch(httpserver.url_for("/br"))
    assert str(caught.value) == (
        f"localhost:{httpserver.port} sent the page compressed as 'br', which termreader cannot read"
    )


def test_body_shorter_than_its_content_length(raw_server: Callable[[Handler], RawServer]) -> None:
    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        conn.sendall(head(Content_Type="text/html", Content_Length="5000") + b"<html><p>only this")

    server = raw_server(handler)
    with pytest.raises(NetworkError) as caught:
        fetch(server.url("/short"))
    assert str(caught.value) == f"127.0.0.1:{server.port} closed the connection before sending the whole page"


def test_connection_reset_mid_body(raw_server: Callable[[Handler], RawServer]) -> None:
    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        conn.sendall(head(Content_Type="text/html", Content_Length="100000") + b"<html>" + b"x" * 2000)
        stopping.wait(0.2)  # let the client start reading the body
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST

    server = raw_server(handler)
    with pytest.raises(NetworkError) as caught:
        fetch(server.url("/reset"))
    assert str(caught.value) == f"127.0.0.1:{server.port} reset the connection before sending the whole page"


def test_server_closing_without_an_answer(raw_server: Callable[[Handler], RawServer]) -> None:
    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)

    server = raw_server(handler)
    with pytest.raises(NetworkError) as caught:
        fetch(server.url("/nothing"))
    assert str(caught.value) == f"127.0.0.1:{server.port} closed the connection without answering"


# --- conditional GET ---------------------------------------------------------------------------------------


async def fetch_twice(fetcher: Fetcher, url: str) -> tuple[FetchedDocument, FetchedDocument]:
    first = await fetcher.fetch(url, conditional=True)
    second = await fetcher.fetch(url, conditional=True)
    return first, second


def test_conditional_get_returns_the_cached_body_on_304(site: SiteServer, tmp_path: Path) -> None:
    async def run() -> tuple[FetchedDocument, FetchedDocument, FetchedDocument]:
        async with Fetcher(cache_dir=tmp_path / "http", total_timeout=5.0) as fetcher:
            first, second = await fetch_twice(fetcher, site.url("/feed.xml"))
            plain = await fetcher.fetch(site.url("/feed.xml"))
            return first, second, plain

    first, second, plain = asyncio.run(run())
    assert first.not_modified is False
    assert second.not_modified is True
    assert second.status == 200
    assert second.body == first.body
    assert second.text == first.text
    assert second.etag == first.etag
    assert second.content_type == "application/xml"
    assert second.final_url == site.url("/feed.xml")
    assert plain.not_modified is False
    assert site.hits["/feed.xml"] == 3
    assert len(list((tmp_path / "http").glob("*.json"))) == 1
    assert len(list((tmp_path / "http").glob("*.body"))) == 1


def test_conditional_get_through_a_redirect(site: SiteServer, tmp_path: Path) -> None:
    async def run() -> tuple[FetchedDocument, FetchedDocument]:
        async with Fetcher(cache_dir=tmp_path, total_timeout=5.0) as fetcher:
            return await fetch_twice(fetcher, site.url("/old-home"))

    first, second = asyncio.run(run())
    assert (first.not_modified, second.not_modified) == (False, True)
    assert second.url == site.url("/old-home")
    assert second.final_url == site.url("/index.html")
    assert second.text == first.text
    assert second.content_type == "text/html"
    assert second.encoding == "utf-8"


def test_conditional_get_with_last_modified_only(httpserver: HTTPServer, tmp_path: Path) -> None:
    stamp = "Wed, 25 Nov 2026 07:00:00 GMT"
    feed = b"<rss><channel><title>Dated</title></channel></rss>"

    def answer(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        return Response(feed, content_type="application/rss+xml", headers={"Last-Modified": stamp})

    httpserver.expect_request("/dated.xml").respond_with_handler(answer)

    async def run() -> tuple[FetchedDocument, FetchedDocument]:
        async with Fetcher(cache_dir=tmp_path, total_timeout=5.0) as fetcher:
            return await fetch_twice(fetcher, httpserver.url_for("/dated.xml"))

    first, second = asyncio.run(run())
    assert (first.not_modified, second.not_modified) == (False, True)
    assert second.body == feed
    assert second.last_modified == stamp
    assert "If-Modified-Since" not in httpserver.log[0][0].headers
    assert httpserver.log[1][0].headers["If-Modified-Since"] == stamp
    assert "If-None-Match" not in httpserver.log[1][0].headers


@pytest.mark.parametrize("damage", ["meta", "body", "both"])
def test_a_corrupt_cache_entry_is_ignored(site: SiteServer, tmp_path: Path, damage: str) -> None:
    cache_dir = tmp_path / "http"

    async def run() -> list[FetchedDocument]:
        async with Fetcher(cache_dir=cache_dir, total_timeout=5.0) as fetcher:
            docs = [await fetcher.fetch(site.url("/"), conditional=True)]
            (meta,) = cache_dir.glob("*.json")
            (body,) = cache_dir.glob("*.body")
            if damage in ("meta", "both"):
                meta.write_text('{"format": 1, "url": ', encoding="utf-8")
            if damage in ("body", "both"):
                body.write_bytes(body.read_bytes()[:40])
            docs.append(await fetcher.fetch(site.url("/"), conditional=True))
            docs.append(await fetcher.fetch(site.url("/"), conditional=True))
            return docs

    first, after_damage, repaired = asyncio.run(run())
    assert after_damage.not_modified is False
    assert after_damage.body == first.body
    assert repaired.not_modified is True
    assert repaired.body == first.body


def test_conditional_without_a_cache_dir_is_a_plain_get(site: SiteServer) -> None:
    async def run() -> tuple[FetchedDocument, FetchedDocument]:
        async with Fetcher(total_timeout=5.0) as fetcher:
            return await fetch_twice(fetcher, site.url("/feed.xml"))

    first, second = asyncio.run(run())
    assert (first.not_modified, second.not_modified) == (False, False)
    assert second.body == first.body


def test_http_cache_round_trip_and_damage(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path / "http")
    entry = CacheEntry(
        url="https://example.org/feed",
        final_url="https://example.org/feed/",
        content_type="application/rss+xml; charset=utf-8",
        etag='"abc"',
        last_modified=None,
        body=b"<rss/>",
        stored_at=1_700_000_000.0,
    )
    assert cache.get(entry.url) is None
    cache.put(entry)
    assert cache.get(entry.url) == entry
    assert entry.validators() == {"If-None-Match": '"abc"'}
    (meta,) = (tmp_path / "http").glob("*.json")
    assert not list((tmp_path / "http").glob("*.tmp"))
    # An entry whose metadata names another URL (a hash collision, a copied file) is not this URL's.
    meta.write_text(meta.read_text(encoding="utf-8").replace("/feed", "/other"), encoding="utf-8")
    assert cache.get(entry.url) is None
    cache.delete(entry.url)
    assert not list((tmp_path / "http").iterdir())


def test_http_cache_that_cannot_be_written_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    cache = HttpCache(blocker / "http")
    cache.put(CacheEntry("https://example.org/", "https://example.org/", "text/html", '"e"', None, b"<p>"))
    assert cache.get("https://example.org/") is None


# --- concurrency -------------------------------------------------------------------------------------------


@dataclass
class InFlight:
    """What the server saw: requests being answered at the same moment."""

    total: int
    limit: int
    now: int = 0
    arrived: int = 0
    most: int = 0
    lock: threading.Condition = field(default_factory=threading.Condition)


def test_per_host_limit(raw_server: Callable[[Handler], RawServer]) -> None:
    seen = InFlight(total=9, limit=3)

    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        with seen.lock:
            seen.now += 1
            seen.arrived += 1
            seen.most = max(seen.most, seen.now)
            seen.lock.notify_all()
            # Hold each answer until one more request than the limit is in flight (never, if the limit
            # works) or all have arrived, so that a missing limit shows as more than 3 at once.
            seen.lock.wait_for(lambda: seen.now > seen.limit or seen.arrived == seen.total, timeout=0.3)
            seen.now -= 1  # before answering: the client may send its next request as soon as it has this
        body = b"<html><p>ok</p></html>"
        conn.sendall(head(Content_Type="text/html", Content_Length=str(len(body))) + body)

    server = raw_server(handler)

    async def run() -> list[FetchedDocument]:
        async with Fetcher(per_host_limit=3, total_timeout=10.0) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(server.url(f"/p/{n}")) for n in range(9)))

    docs = asyncio.run(run())
    assert [doc.text for doc in docs] == ["<html><p>ok</p></html>"] * 9
    assert seen.most == 3


def test_a_fetcher_is_reusable_after_aclose(site: SiteServer) -> None:
    async def run() -> tuple[str, str]:
        fetcher = Fetcher(total_timeout=5.0)
        first = await fetcher.fetch(site.url("/feed.xml"))
        await fetcher.aclose()
        second = await fetcher.fetch(site.url("/feed.xml"))
        await fetcher.aclose()
        return first.text, second.text

    first, second = asyncio.run(run())
    assert first == second


def test_a_fetcher_survives_a_new_event_loop(site: SiteServer) -> None:
    fetcher = Fetcher(total_timeout=5.0)
    first = asyncio.run(fetcher.fetch(site.url("/feed.xml")))

    async def again() -> FetchedDocument:
        document = await fetcher.fetch(site.url("/feed.xml"))
        await fetcher.aclose()
        return document

    second = asyncio.run(again())
    asyncio.run(fetcher.aclose())  # nothing left to close: harmless
    assert first.text == second.text


# --- local files -------------------------------------------------------------------------------------------


def test_local_file_by_relative_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SITE)
    doc = fetch("index.html")
    assert doc.url == (SITE / "index.html").as_uri()
    assert doc.final_url == doc.url
    assert doc.status == 200
    assert doc.content_type == "text/html"
    assert doc.text == INDEX_TEXT


def test_local_file_by_absolute_path_file_url_and_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "Saved Pages" / "winter beds.html"
    saved.parent.mkdir()
    saved.write_bytes((SITE / "2026" / "11" / "winter-beds.html").read_bytes())
    monkeypatch.setenv("HOME", str(tmp_path))
    by_path = fetch(str(saved))
    by_url = fetch(saved.as_uri())
    by_home = fetch("~/Saved Pages/winter beds.html")
    assert by_path.url == by_url.url == by_home.url == saved.as_uri()
    assert by_path.url.endswith("/Saved%20Pages/winter%20beds.html")
    assert "<h1>Putting the Beds to Sleep</h1>" in by_home.text


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("feed.rss", b"<rss version='2.0'><channel/></rss>", "application/rss+xml"),
        ("feed.atom", b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "application/atom+xml"),
        ("data.xml", b"<?xml version='1.0'?><outline/>", "application/xml"),
        ("feed.json", b'{"version": "https://jsonfeed.org/version/1.1"}', "application/json"),
        (
            "no-suffix",
            b"<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'/>",
            "application/atom+xml",
        ),
        ("saved.page", b"<!DOCTYPE html><html><title>t</title></html>", "text/html"),
        ("notes", b"just some words", "text/plain"),
    ],
)
def test_local_content_type(tmp_path: Path, name: str, content: bytes, content_type: str) -> None:
    (tmp_path / name).write_bytes(content)
    assert fetch(str(tmp_path / name)).content_type == content_type


def test_missing_local_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FetchError) as caught:
        fetch("saved/missing.html")
    assert str(caught.value) == "no such file: saved/missing.html"
    with pytest.raises(FetchError) as caught:
        fetch((tmp_path / "gone.html").as_uri())
    assert str(caught.value) == f"no such file: {tmp_path / 'gone.html'}"


def test_local_file_too_large(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"x" * 5000)
    with pytest.raises(TooLargeError) as caught:
        fetch(str(big), max_bytes=4096)
    assert str(caught.value) == f"{big} is larger than 4 KB; stopped reading"


def test_local_binary_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedContentError) as caught:
        fetch(str(SITE / "photo.png"))
    assert str(caught.value) == f"{SITE / 'photo.png'} is an image (image/png), not a web page or a feed"
    (tmp_path / "archive").write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(UnsupportedContentError) as caught:
        fetch(str(tmp_path / "archive"))
    assert str(caught.value) == f"{tmp_path / 'archive'} is an archive, not a web page or a feed"


def test_local_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(str(tmp_path))
    assert str(caught.value) == f"{tmp_path} is a folder, not a file"


# --- inputs ------------------------------------------------------------------------------------------------


def test_to_url() -> None:
    assert to_url("https://example.org/feed?x=1") == "https://example.org/feed?x=1"
    assert to_url("  http://example.org/  ") == "http://example.org/"
    assert to_url("/tmp/a page.html") == "file:///tmp/a%20page.html"
    assert to_url("file:///tmp/a%20page.html") == "file:///tmp/a%20page.html"
    assert to_url("file://localhost/tmp/x.html") == "file:///tmp/x.html"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("ftp://example.org/feed.xml", "ftp: URLs are not supported; give an http(s) URL or a file path"),
        ("javascript:alert(1)", "javascript: URLs are not supported; give an http(s) URL or a file path"),
        ("data:text/html,<p>hi</p>", "data: URLs are not supported; give an http(s) URL or a file path"),
        ("mailto:someone@example.org", "mailto: URLs are not supported; give an http(s) URL or a file path"),
        ("localhost:8000/feed", "not a URL: localhost:8000/feed (did you mean http://localhost:8000/feed?)"),
        (
            "file://fileserver/share/page.html",
            "cannot read files on another computer: file://fileserver/share/page.html",
        ),
    ],
)
def test_other_schemes_are_refused(target: str, message: str) -> None:
    with pytest.raises(UnsupportedSchemeError) as caught:
        to_url(target)
    assert str(caught.value) == message
    with pytest.raises(UnsupportedSchemeError):
        fetch(target)


def test_http_url_without_a_host() -> None:
    with pytest.raises(FetchError) as caught:
        to_url("http:///feed.xml")
    assert str(caught.value) == "not a valid URL (no host name): http:///feed.xml"


def test_environment_proxy_never_captures_loopback(site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy on a closed port: if loopback went through it, the fetch would fail with "connection refused".
    proxy = f"http://127.0.0.1:{closed_port()}"
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(var, proxy)
    document = fetch(site.url("/"))
    assert document.status == 200


# --- pools, keep-alive and 304s without the body -----------------------------------------------------------


def test_one_host_beyond_a_pool_size_is_spread_over_several_pools(
    raw_server: Callable[[Handler], RawServer],
) -> None:
    from termreader.fetch import POOL_SIZE

    total = POOL_SIZE * 2 + 4
    seen = InFlight(total=total, limit=total)

    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        read_request(conn)
        with seen.lock:
            seen.now += 1
            seen.arrived += 1
            seen.most = max(seen.most, seen.now)
            seen.lock.notify_all()
            # Hold every answer until all requests are in flight: only possible if all were sent at once.
            seen.lock.wait_for(lambda: seen.arrived == seen.total, timeout=5)
            seen.now -= 1
        body = b"<html><p>ok</p></html>"
        conn.sendall(head(Content_Type="text/html", Content_Length=str(len(body))) + body)

    server = raw_server(handler)

    async def run() -> list[FetchedDocument]:
        settings: dict[str, Any] = {"per_host_limit": total, "max_connections": total, "total_timeout": 20.0}
        async with Fetcher(**settings) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(server.url(f"/p/{n}")) for n in range(total)))

    docs = asyncio.run(run())
    assert [doc.text for doc in docs] == ["<html><p>ok</p></html>"] * total
    assert seen.most == total


def _keep_alive_handler(connections: list[int]) -> Handler:
    """Answers any number of requests on one connection: 200 with an ETag, 304 when it is sent back."""

    def handler(conn: socket.socket, stopping: threading.Event) -> None:
        connections.append(1)
        conn.settimeout(0.2)
        for _request in range(50):
            try:
                request = read_request(conn)
            except TimeoutError:
                if stopping.is_set():
                    return
                continue
            if not request:
                return
            if b'if-none-match: "v1"' in request.lower():
                conn.sendall(b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n')
            else:
                body = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
                conn.sendall(
                    b'HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: "v1"\r\n'
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )

    return handler


def test_a_304_keeps_the_connection_alive(raw_server: Callable[[Handler], RawServer], tmp_path: Path) -> None:
    connections: list[int] = []
    server = raw_server(_keep_alive_handler(connections))

    async def run() -> list[FetchedDocument]:
        async with Fetcher(cache_dir=tmp_path, total_timeout=10.0) as fetcher:
            return [await fetcher.fetch(server.url("/feed"), conditional=True) for _ in range(3)]

    docs = asyncio.run(run())
    assert [doc.not_modified for doc in docs] == [False, True, True]
    assert {doc.text for doc in docs} == {"<rss version='2.0'><channel><title>t</title></channel></rss>"}
    assert len(connections) == 1


def test_a_304_without_the_body_when_it_is_not_needed(site: SiteServer, tmp_path: Path) -> None:
    async def run() -> tuple[FetchedDocument, FetchedDocument, FetchedDocument]:
        async with Fetcher(cache_dir=tmp_path, total_timeout=5.0) as fetcher:
            first = await fetcher.fetch(site.url("/feed.xml"), conditional=True)
            # Damage the stored body: a caller that does not need it still gets its 304…
            (body_file,) = tmp_path.glob("*.body")
            body_file.write_bytes(b"damaged")
            lean = await fetcher.fetch(site.url("/feed.xml"), conditional=True, body_needed=False)
            # …while one that needs it finds the entry unusable and downloads the page again.
            full = await fetcher.fetch(site.url("/feed.xml"), conditional=True)
            return first, lean, full

    first, lean, full = asyncio.run(run())
    assert (lean.not_modified, lean.body, lean.text) == (True, b"", "")
    assert (lean.etag, lean.final_url, lean.content_type) == (
        first.etag,
        site.url("/feed.xml"),
        "application/xml",
    )
    assert (full.not_modified, full.body) == (False, first.body)
    assert site.hits["/feed.xml"] == 3


def test_http_cache_metadata_only_and_validator_update(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path)
    entry = CacheEntry(
        url="https://example.org/feed",
        final_url="https://example.org/feed",
        content_type="application/rss+xml",
        etag='"v1"',
        last_modified=None,
        body=b"<rss/>",
        stored_at=1_700_000_000.0,
    )
    cache.put(entry)
    lean = cache.get(entry.url, with_body=False)
    assert lean is not None
    assert (lean.etag, lean.body, lean.content_type) == ('"v1"', b"", "application/rss+xml")
    cache.update_validators(entry.url, '"v2"', "Tue, 14 Nov 2023 22:13:20 GMT")
    updated = cache.get(entry.url)
    assert updated is not None
    assert (updated.etag, updated.last_modified, updated.body) == (
        '"v2"',
        "Tue, 14 Nov 2023 22:13:20 GMT",
        b"<rss/>",
    )
    cache.update_validators("https://example.org/never-stored", '"x"', None)  # nothing stored: a no-op
    assert cache.get("https://example.org/never-stored") is None


def test_validators_kept_by_the_caller_make_a_conditional_get_without_the_cache(
    site: SiteServer, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "http"

    async def run() -> list[FetchedDocument]:
        async with Fetcher(cache_dir=cache_dir, total_timeout=5.0) as fetcher:
            url = site.url("/feed.xml")
            first = await fetcher.fetch(url)  # plain: nothing stored
            docs = [first]
            for known in (
                Validators(etag=first.etag),
                Validators(etag='"stale"'),
                Validators(),
            ):
                docs.append(await fetcher.fetch(url, conditional=True, known=known))
            return docs

    first, by_etag, stale, nothing = asyncio.run(run())
    assert first.etag is not None and first.etag.startswith('"')
    assert first.last_modified == LAST_MODIFIED
    # A 304: no body, the validators as the server gives them now, the final URL and type for the caller.
    assert (by_etag.not_modified, by_etag.body, by_etag.text, by_etag.status) == (True, b"", "", 200)
    assert (by_etag.etag, by_etag.last_modified) == (first.etag, None)  # this 304 repeats only the ETag
    assert (by_etag.url, by_etag.final_url) == (site.url("/feed.xml"), site.url("/feed.xml"))
    # A stale ETag gets the whole feed again, decoded as usual; no validators at all is a plain GET.
    assert (stale.not_modified, stale.body, stale.text) == (False, first.body, first.text)
    assert (nothing.not_modified, nothing.body) == (False, first.body)
    assert site.answers[("/feed.xml", 304)] == 1
    assert site.answers[("/feed.xml", 200)] == 3
    # Neither read nor written: the caller keeps its validators itself.
    assert not cache_dir.exists() or list(cache_dir.iterdir()) == []


def test_validators_kept_by_the_caller_with_last_modified_only(httpserver: HTTPServer) -> None:
    stamp = "Wed, 25 Nov 2026 07:00:00 GMT"

    def answer(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304, headers={"Last-Modified": stamp})
        return Response(b"<rss/>", content_type="application/rss+xml")

    httpserver.expect_request("/dated.xml").respond_with_handler(answer)

    async def run() -> FetchedDocument:
        async with Fetcher(total_timeout=5.0) as fetcher:
            return await fetcher.fetch(
                httpserver.url_for("/dated.xml"), known=Validators(last_modified=stamp)
            )

    document = asyncio.run(run())
    assert (document.not_modified, document.body, document.etag, document.last_modified) == (
        True,
        b"",
        None,
        stamp,
    )
    assert httpserver.log[0][0].headers["If-Modified-Since"] == stamp
    assert "If-None-Match" not in httpserver.log[0][0].headers


def test_a_304_to_validators_the_caller_did_not_send_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data("", status=304)

    async def run() -> FetchedDocument:
        async with Fetcher(total_timeout=5.0) as fetcher:
            return await fetcher.fetch(httpserver.url_for("/feed"), known=Validators())

    with pytest.raises(HTTPStatusError) as caught:
        asyncio.run(run())
    assert caught.value.status == 304
    assert str(caught.value) == (
        f"localhost:{httpserver.port} answered 304 NOT MODIFIED for /feed without a usable redirect"
    )
