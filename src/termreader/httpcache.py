"""Remember validators and bodies per URL so a refresh can ask "changed?" and reuse the body on 304."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

_FORMAT: Final = 1


@dataclass(frozen=True, slots=True)
class Validators:
    """An ETag and a Last-Modified that a caller keeps beside what it made of a response (not the body)."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """Request headers that turn a GET into a conditional GET (none when nothing is known)."""
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One remembered response: what conditional GET needs to send and to rebuild the document."""

    url: str
    final_url: str
    content_type: str
    etag: str | None
    last_modified: str | None
    body: bytes
    stored_at: float = 0.0

    def validators(self) -> dict[str, str]:
        """Request headers that turn a GET into a conditional GET."""
        return Validators(self.etag, self.last_modified).headers()


class HttpCache:
    """A folder of `<sha256(url)>.json` (metadata) + `<sha256(url)>.body` files; damage means a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.root / f"{key}.json", self.root / f"{key}.body"

    def get(self, url: str, with_body: bool = True) -> CacheEntry | None:
        """The stored entry, or None when missing, unreadable, for another URL or not matching its body.

        `with_body=False` reads the metadata only (body b"", not checked): enough for a conditional GET
        whose 304 will not need the body.
        """
        meta_path, body_path = self._paths(url)
        try:
            meta: Any = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes() if with_body else b""
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT or meta.get("url") != url:
            return None
        if with_body and meta.get("body_sha256") != hashlib.sha256(body).hexdigest():
            return None  # a body from another write, or truncated: never serve it as this URL's
        try:
            return CacheEntry(
                url=url,
                final_url=_text(meta["final_url"]) or url,
                content_type=_text(meta.get("content_type")) or "",
                etag=_text(meta.get("etag")),
                last_modified=_text(meta.get("last_modified")),
                body=body,
                stored_at=float(meta.get("stored_at", 0.0)),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, entry: CacheEntry) -> None:
        """Store an entry atomically (body first, then metadata); a full disk or read-only dir is ignored."""
        meta_path, body_path = self._paths(entry.url)
        meta = {
            "format": _FORMAT,
            "url": entry.url,
            "final_url": entry.final_url,
            "content_type": entry.content_type,
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "body_sha256": hashlib.sha256(entry.body).hexdigest(),
            "stored_at": entry.stored_at or time.time(),
        }
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            _write_atomic(body_path, entry.body)
            _write_atomic(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        except OSError:
            return  # the cache is an optimisation: failing to write it must not fail the fetch

    def update_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Replace the validators a 304 refreshed, keeping the stored body (no-op when nothing is stored)."""
        meta_path, _body_path = self._paths(url)
        try:
            meta: Any = json.loads(meta_path.read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("format") != _FORMAT or meta.get("url") != url:
                return
            meta.update(etag=etag, last_modified=last_modified, stored_at=time.time())
            _write_atomic(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        except (OSError, ValueError):
            return  # the cache is an optimisation: failing to update it must not fail the fetch

    def delete(self, url: str) -> None:
        """Forget a URL (missing files are fine)."""
        for path in self._paths(url):
            with contextlib.suppress(OSError):
                path.unlink()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, then rename over the target: readers never see half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
