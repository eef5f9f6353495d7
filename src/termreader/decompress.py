"""gzip and deflate bodies decoded in bounded steps: a small compressed bomb never inflates in memory."""

from __future__ import annotations

import zlib

from termreader.errors import FetchError, UnsupportedContentError


class Decompressor:
    """gzip/deflate decoding with an output limit per call, so a small bomb never inflates in memory."""

    def __init__(self, url: str, where: str, content_encoding: str) -> None:
        """`where`: the host as messages name it ("example.org", "127.0.0.1:8080")."""
        self.url = url
        self.where = where
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        self._zlib: zlib._Decompress | None = None
        self._raw_deflate_fallback = False
        if not codings:
            return
        if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
            raise UnsupportedContentError(
                url,
                f"{where} sent the page compressed as {content_encoding!r}, which termreader cannot read",
            )
        if codings[0] == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
            self._raw_deflate_fallback = True  # some servers send raw deflate without the zlib header
        else:
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decoded bytes for a raw chunk, at most `limit` of them (reaching it means too large)."""
        if self._zlib is None:
            return data
        try:
            out = self._zlib.decompress(data, limit)
        except zlib.error:
            if not self._raw_deflate_fallback:
                raise self._corrupt() from None
            self._raw_deflate_fallback = False
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                out = self._zlib.decompress(data, limit)
            except zlib.error:
                raise self._corrupt() from None
        self._raw_deflate_fallback = False
        return out

    def finish(self) -> bytes:
        if self._zlib is None:
            return b""
        try:
            return self._zlib.flush()
        except zlib.error:
            raise self._corrupt() from None

    def _corrupt(self) -> FetchError:
        return FetchError(self.url, f"{self.where} sent a compressed body that is corrupt")
