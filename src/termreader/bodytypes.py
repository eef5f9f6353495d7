"""What a fetched body is: its declared and sniffed type, and the kinds of body termreader refuses.

Servers label feeds as text/plain or octet-stream, and pages as anything; images, PDFs and archives come
labelled as pages. A label is believed only when it is specific, the first bytes decide otherwise, and a
binary body is refused by name ("an image", "a PDF document") whatever its label says.
"""

from __future__ import annotations

from typing import Final

from termreader.errors import UnsupportedContentError
from termreader.textdecode import sniff_bom

# Declared types whose body is worth sniffing: servers label feeds and pages with these by mistake.
_VAGUE_TYPES: Final = frozenset(
    {"", "application/octet-stream", "binary/octet-stream", "application/unknown", "text/plain"}
)
_BINARY_FAMILIES: Final[dict[str, str]] = {
    "image": "an image",
    "audio": "audio",
    "video": "a video",
    "font": "a font",
    "model": "a 3D model",
}
_BINARY_TYPES: Final[dict[str, str]] = {
    "application/pdf": "a PDF document",
    "application/zip": "an archive",
    "application/gzip": "an archive",
    "application/x-gzip": "an archive",
    "application/x-tar": "an archive",
    "application/x-7z-compressed": "an archive",
    "application/x-rar-compressed": "an archive",
    "application/vnd.rar": "an archive",
    "application/msword": "a Word document",
    "application/ogg": "audio or video",
    "application/wasm": "a program",
    "application/x-shockwave-flash": "a Flash file",
    "application/x-msdownload": "a program",
    "application/epub+zip": "an e-book",
}
_CONTROL_BYTES: Final = bytes(byte for byte in range(0x20) if byte not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
"""C0 controls that text never holds (tab, newlines, form feed and ESC excepted); counted with translate."""
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF87a", "an image"),
    (b"GIF89a", "an image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "an archive"),
    (b"\x1f\x8b", "compressed data"),
    (b"OggS", "audio or video"),
    (b"ID3", "audio"),
    (b"fLaC", "audio"),
    (b"wOFF", "a font"),
    (b"wOF2", "a font"),
    (b"\x7fELF", "a program"),
)


def sniff_content_type(body: bytes) -> str | None:
    """Guess HTML, a feed, XML or JSON from the first bytes; "text/plain" for other text; None if binary."""
    if binary_kind(body) is not None:
        return None
    bom = sniff_bom(body)
    head_bytes = body[:4096]
    if bom is not None:
        codec, skip = bom
        head = head_bytes[skip:].decode(codec, errors="ignore")
    else:
        head = head_bytes.decode("latin-1")
    head = head.lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("{", "[")):
        return "application/json"
    if "<rss" in head or "<rdf:rdf" in head:
        return "application/rss+xml"
    if "<feed" in head and not head.startswith(("<!doctype html", "<html")):
        return "application/atom+xml"
    if any(tag in head for tag in ("<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<p>")):
        return "text/html"
    if head.startswith("<?xml") or head.startswith("<"):
        return "application/xml"
    return "text/plain"


def binary_kind(body: bytes) -> str | None:
    """What a binary body is ("an image", "binary data"…), or None when it looks like text."""
    for magic, kind in _MAGIC:
        if body.startswith(magic):
            return kind
    if body[:4] == b"RIFF":
        return {b"WEBP": "an image", b"WAVE": "audio", b"AVI ": "a video"}.get(body[8:12], "binary data")
    if body[4:8] == b"ftyp":
        return "a video"
    if sniff_bom(body) is not None:
        return None  # UTF-16/32 text is full of zero bytes
    head = body[:1024]
    if b"\x00" in head:
        return "binary data"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return "binary data" if head and controls * 10 > len(head) else None


def refuse_binary_type(url: str, content_type: str, name: str) -> None:
    family = content_type.partition("/")[0]
    kind = _BINARY_FAMILIES.get(family) or _BINARY_TYPES.get(content_type)
    if (
        kind is None
        and content_type.startswith("application/vnd.")
        and not content_type.endswith(("xml", "json"))
    ):
        kind = "a binary document"
    if kind is not None:
        raise UnsupportedContentError(url, f"{name} is {kind} ({content_type}), not a web page or a feed")


def check_body_type(url: str, content_type: str, body: bytes, name: str) -> str:
    """Refuse bodies that are binary whatever their label; sniff a missing or vague label."""
    kind = binary_kind(body)
    if kind is not None:
        label = f" ({content_type})" if content_type else ""
        raise UnsupportedContentError(url, f"{name or url} is {kind}{label}, not a web page or a feed")
    if content_type in _VAGUE_TYPES:
        sniffed = sniff_content_type(body)
        if sniffed and (content_type == "" or sniffed != "text/plain"):
            return sniffed
    return content_type


def mime(content_type: str) -> str:
    return content_type.partition(";")[0].strip().lower()
