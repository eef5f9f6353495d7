"""Typed errors: every failure a user can meet, each with a one-line message a person understands."""

from __future__ import annotations

from pathlib import Path


class TermreaderError(Exception):
    """Base of every error we expect; the CLI prints `str(error)` on one line and exits non-zero."""

    exit_code: int = 1


# --- fetching -------------------------------------------------------------------------------


class FetchError(TermreaderError):
    """Getting a document failed. `url` is what we asked for."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(message)
        self.url = url


class UnsupportedSchemeError(FetchError):
    """Only http(s) URLs and local files are read."""


class NetworkError(FetchError):
    """DNS failure, refused or reset connection, TLS failure."""


class FetchTimeoutError(FetchError):
    """Connect, read or total time limit reached."""


class HTTPStatusError(FetchError):
    """The server answered with a 4xx/5xx status."""

    def __init__(self, url: str, message: str, status: int) -> None:
        super().__init__(url, message)
        self.status = status


class TooLargeError(FetchError):
    """The body exceeded the size cap."""


class TooManyRedirectsError(FetchError):
    """A redirect loop or chain longer than the limit."""


class UnsupportedContentError(FetchError):
    """The document is neither HTML nor a feed (an image, a PDF, binary data)."""


# --- parsing and extraction -----------------------------------------------------------------


class FeedError(TermreaderError):
    """The bytes are not a feed we can read."""


class NotAnArticleError(TermreaderError):
    """The page is a home page, a listing or otherwise holds no single article."""


class ExtractionError(TermreaderError):
    """The page could not be turned into an article (broken beyond repair, empty)."""


class SourceError(TermreaderError):
    """A source could not be resolved (no feed, no listing, unknown name)."""


# --- user files -----------------------------------------------------------------------------


class ConfigError(TermreaderError):
    """The config file is unusable; the message names the file, the line and the key."""

    exit_code = 2

    def __init__(self, path: Path, message: str, *, line: int | None = None, key: str | None = None) -> None:
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if key is not None:
            where += f", key '{key}'"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.key = key
        self.reason = message


class StoreError(TermreaderError):
    """A database file is unreadable, corrupt or from a newer termreader."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class FileWriteError(TermreaderError):
    """A user file (config, OPML export) could not be written; the original is left untouched."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"cannot write {path}: {message}")
        self.path = path


class OpmlError(TermreaderError):
    """An OPML subscription list is unreadable; the message names the file and, when known, the line."""


def error_word(error: BaseException) -> str:
    """The one-word reason shown beside a source whose refresh failed ("HTTP 404", "timeout", "offline")."""
    if isinstance(error, HTTPStatusError):
        return f"HTTP {error.status}"
    if isinstance(error, FetchTimeoutError):
        return "timeout"
    if isinstance(error, NetworkError):
        return "offline"
    if isinstance(error, TooLargeError):
        return "too-large"
    if isinstance(error, UnsupportedContentError | FeedError):
        return "bad-feed"
    if isinstance(error, SourceError):
        return "no-feed"
    if isinstance(error, NotAnArticleError | ExtractionError):
        return "no-article"
    return "error"
