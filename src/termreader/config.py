"""The user's config file: load and validate it, and edit it without disturbing their comments or layout.

Validation errors name the file, the line and the key in one message. Edits work on the text: only the
lines that change are touched, and the result is re-validated before it replaces the file atomically.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn
from urllib.parse import urlsplit

from termreader.atomicfile import write_atomic
from termreader.errors import ConfigError, TermreaderError
from termreader.models import SourceConfig
from termreader.textutil import normalize_url, strip_unsafe
from termreader.tomltext import TomlLine, locate, scan, table_span

if TYPE_CHECKING:
    import tomlkit.exceptions

SOURCE_KINDS: Final = (
    "feed",
    "blogger",
    "wordpress",
    "ghost",
    "substack",
    "hugo",
    "jekyll",
    "medium",
    "html",
)
"""Values accepted for a source's `kind`; absent means "detect it"."""

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_NUMBER_SUFFIX: Final = re.compile(r"(?: \(\d+\)|-\d+)$")
_SOURCE_KEYS: Final = ("name", "url", "kind", "limit", "refresh_minutes")
_TOP_KEYS: Final = ("settings", "sources")

TEMPLATE: Final = """\
# termreader configuration (TOML). Every setting is optional; the values shown are the defaults.
# Sources can also be managed from the command line:
#   termreader sources add URL [--name NAME] [--kind KIND]
#   termreader sources remove NAME
#   termreader sources import FILE.opml / termreader sources export [FILE.opml]
# Edits made by termreader keep your comments and layout.

[settings]
# theme = "termreader-dark"
# reader_width = 80          # columns of the article view
# item_limit = 50            # most articles listed per source
# refresh_minutes = 30       # minimum minutes between refreshes of a source
# max_connections = 20       # parallel downloads in total
# per_host_connections = 20  # parallel downloads per site
# timeout_seconds = 20.0
# max_page_mb = 10           # larger pages and feeds are refused

# One [[sources]] table per source. `url` is a site, a feed, an absolute file path or a file:// URL.
# `kind` is detected when absent; to force it, use one of:
#   feed, blogger, wordpress, ghost, substack, hugo, jekyll, medium, html
# `limit` and `refresh_minutes` override the settings above for one source.
#
# [[sources]]
# name = "Python Insider"
# url = "https://blog.python.org/"
# kind = "blogger"
#
# [[sources]]
# name = "LWN"
# url = "https://lwn.net/headlines/rss"
# limit = 20
# refresh_minutes = 60
"""
"""Written on first run: no active sources, commented examples."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The [settings] table; every field optional with the default shown in the template."""

    theme: str = "termreader-dark"
    reader_width: int = 80
    item_limit: int = 50
    refresh_minutes: int = 30
    # 20 in flight, one host or many: past that a refresh is CPU-bound (benchmarks/results-refresh.md).
    max_connections: int = 20
    per_host_connections: int = 20
    timeout_seconds: float = 20.0
    max_page_mb: int = 10

    def fetcher_options(self) -> dict[str, Any]:
        """Keyword arguments for `termreader.fetch.Fetcher`, so every command applies them alike."""
        return {
            "per_host_limit": self.per_host_connections,
            "max_connections": self.max_connections,
            "read_timeout": self.timeout_seconds,
            "max_bytes": self.max_page_mb * 1024 * 1024,
        }


def settings_for_fetching(path: Path) -> Settings:
    """The settings of a config file for commands that work without one (`read URL`): the defaults when
    the file is missing or broken (commands that need the config report its errors)."""
    try:
        return load_config(path, create=False).settings
    except TermreaderError:
        return Settings()


_SETTING_MINIMUMS: Final[dict[str, float]] = {
    "reader_width": 20,
    "item_limit": 1,
    "refresh_minutes": 1,
    "max_connections": 1,
    "per_host_connections": 1,
    "timeout_seconds": 0.001,
    "max_page_mb": 1,
}


@dataclass(frozen=True, slots=True)
class Config:
    """A validated config file."""

    path: Path
    settings: Settings
    sources: tuple[SourceConfig, ...]

    def source_named(self, name: str) -> SourceConfig | None:
        """The source whose name matches, ignoring case."""
        wanted = name.strip().casefold()
        for source in self.sources:
            if source.name.casefold() == wanted:
                return source
        return None


# --- loading ---------------------------------------------------------------------------------


def load_config(path: Path, *, create: bool = True) -> Config:
    """Read and validate the config; on first run (file missing, `create`) write the commented template.

    Never rewrites an existing file: a broken one raises ConfigError naming the file, line and key.
    """
    if not path.exists():
        if not create:
            return Config(path=path, settings=Settings(), sources=())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigError(path, f"cannot create the config folder: {error.strerror or error}") from None
        write_atomic(path, TEMPLATE)
        return parse_config(TEMPLATE, path)
    return parse_config(_read_text(path), path)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ConfigError(path, "is a folder, not a config file") from None
    except OSError as error:
        raise ConfigError(path, f"cannot read the config file: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(path, "the file is not UTF-8 text (TOML files must be UTF-8)", line=line) from None


def parse_config(text: str, path: Path) -> Config:
    """Validate config text (pure: no I/O); `path` is only used in messages."""
    lines = scan(text)
    try:
        # tomllib (C-speed stdlib) reads a good file ~10x faster than tomlkit: 40-60 ms for 200 sources at
        # every launch. tomlkit only runs on a broken file, for its precise error positions.
        data: dict[str, Any] = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        # Broken or hostile (10,000-deep arrays, 5,000-digit integers): tomlkit names the line, or fails
        # in a way _parse_with_tomlkit turns into one message.
        data = _parse_with_tomlkit(text, path, lines)
    checker = _Checker(path, lines)
    for key in data:
        if key not in _TOP_KEYS:
            checker.fail(None, key, f"unknown key{_suggest(key, _TOP_KEYS)}", label=key)
    settings = checker.settings(data.get("settings", {}))
    sources = checker.sources(data.get("sources", []))
    return Config(path=path, settings=settings, sources=sources)


def _parse_with_tomlkit(text: str, path: Path, lines: list[TomlLine]) -> dict[str, Any]:
    """Parse with tomlkit to turn a syntax error into a message with its line."""
    import tomlkit  # only for broken files and edits: a normal launch never needs it

    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise ConfigError(path, f"invalid TOML: {_parse_reason(error)}", line=error.line) from None
    except tomlkit.exceptions.KeyAlreadyPresent as error:
        reason = str(error).rstrip(".")
        raise ConfigError(path, f"invalid TOML: {reason}", line=_repeated_key_line(lines)) from None
    except (tomlkit.exceptions.TOMLKitError, ValueError) as error:
        # Any other rejection by the parser is still a broken file, never a traceback.
        raise ConfigError(path, f"invalid TOML: {str(error).rstrip('.')}") from None
    data: dict[str, Any] = document.unwrap()
    return data


def _repeated_key_line(lines: list[TomlLine]) -> int | None:
    """The line where a key appears for the second time in the same table."""
    seen: set[tuple[str | None, str]] = set()
    for line in lines:
        if line.key is None:
            continue
        marker = (line.table, line.key)
        if marker in seen:
            return line.number
        seen.add(marker)
    return None


def _parse_reason(error: tomlkit.exceptions.ParseError) -> str:
    message = str(error)
    suffix = f" at line {error.line} col {error.col}"
    if message.endswith(suffix):
        message = message[: -len(suffix)]
    # tomlkit reports the end of the text as the character NUL.
    message = message.replace("Unexpected character: '\\x00'", "unexpected end of file")
    return message.rstrip(".")


def _suggest(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    known_list = ", ".join(sorted(known))
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (known keys: {known_list})"


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Checker:
    """Validation with positions: each failure becomes one ConfigError naming the line and key."""

    def __init__(self, path: Path, lines: list[TomlLine]) -> None:
        self.path = path
        self.lines = lines

    def fail(self, table: str | None, key: str | None, message: str, *, label: str) -> NoReturn:
        raise ConfigError(self.path, message, line=locate(self.lines, table, key), key=label)

    def settings(self, raw: object) -> Settings:
        if not isinstance(raw, dict):
            self.fail(
                None, "settings", f"expected a [settings] table, got {_type_name(raw)}", label="settings"
            )
        known = {f.name: f for f in fields(Settings)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            label = f"settings.{key}"
            if key not in known:
                self.fail("settings", key, f"unknown key{_suggest(key, known)}", label=label)
            if key == "theme":
                if not isinstance(value, str) or not value.strip():
                    self.fail("settings", key, f"expected a theme name, got {_show(value)}", label=label)
                values[key] = value.strip()
                continue
            want_float = key == "timeout_seconds"
            ok_type = isinstance(value, (int, float) if want_float else int) and not isinstance(value, bool)
            if not ok_type:
                kind = "a number" if want_float else "an integer"
                self.fail(
                    "settings", key, f"expected {kind}, got {_type_name(value)} {_show(value)}", label=label
                )
            minimum = _SETTING_MINIMUMS[key]
            if not math.isfinite(value) or value < minimum:
                bound = "a positive number" if want_float else f"at least {int(minimum)}"
                self.fail("settings", key, f"must be {bound}, got {value}", label=label)
            values[key] = float(value) if want_float else value
        return Settings(**values)

    def sources(self, raw: object) -> tuple[SourceConfig, ...]:
        if not isinstance(raw, list):
            self.fail(None, "sources", f"expected [[sources]] tables, got {_type_name(raw)}", label="sources")
        result: list[SourceConfig] = []
        seen: dict[str, int] = {}
        for index, entry in enumerate(raw):
            table = f"sources[{index}]"
            label = f"sources[{index + 1}]"
            if not isinstance(entry, dict):
                self.fail(None, "sources", f"expected a table, got {_type_name(entry)}", label=label)
            source = self.source(entry, table, label)
            folded = source.name.casefold()
            if folded in seen:
                self.fail(
                    table,
                    "name",
                    f"duplicate source name {source.name!r} (also used by sources[{seen[folded] + 1}]; "
                    "names are compared ignoring case)",
                    label=f"{label}.name",
                )
            seen[folded] = index
            result.append(source)
        return tuple(result)

    def source(self, entry: Mapping[str, object], table: str, label: str) -> SourceConfig:
        for key in entry:
            if key not in _SOURCE_KEYS:
                self.fail(table, key, f"unknown key{_suggest(key, _SOURCE_KEYS)}", label=f"{label}.{key}")
        for key in ("name", "url"):
            if key not in entry:
                self.fail(table, None, f"missing key '{key}'", label=f"{label}.{key}")
        name = entry["name"]
        if not isinstance(name, str) or not strip_unsafe(name).strip():
            self.fail(table, "name", f"expected a non-empty name, got {_show(name)}", label=f"{label}.name")
        url = entry["url"]
        if not isinstance(url, str):
            self.fail(table, "url", f"expected a string, got {_type_name(url)}", label=f"{label}.url")
        assert isinstance(name, str) and isinstance(url, str)
        problem = url_problem(url)
        if problem:
            self.fail(table, "url", problem, label=f"{label}.url")
        kind = entry.get("kind")
        if kind is not None and kind not in SOURCE_KINDS:
            message = f"{_show(kind)} is not a source kind; use one of: {', '.join(SOURCE_KINDS)}"
            self.fail(table, "kind", message, label=f"{label}.kind")
        numbers: dict[str, int | None] = {}
        for key in ("limit", "refresh_minutes"):
            value = entry.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                message = f"expected an integer, got {_type_name(value)} {_show(value)}"
                self.fail(table, key, message, label=f"{label}.{key}")
            if isinstance(value, int) and value < 1:
                self.fail(table, key, f"must be at least 1, got {value}", label=f"{label}.{key}")
            numbers[key] = value if isinstance(value, int) else None
        return SourceConfig(
            # One line: a tab or newline in a name would break every list and table it is shown in.
            name=" ".join(strip_unsafe(name).split()),
            url=expand_local(url.strip()),
            kind=kind if isinstance(kind, str) else None,
            limit=numbers["limit"],
            refresh_minutes=numbers["refresh_minutes"],
        )


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a source, or None: http(s) URLs, absolute paths and file:// URLs are allowed."""
    value = url.strip()
    if not value:
        return "the URL is empty"
    if value.startswith(("/", "~")):
        return None
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return None if parts.hostname else f"{_show(url)} has no host name"
    if scheme == "file":
        return None if parts.path else f"{_show(url)} names no file"
    return f"{_show(url)} is not an http(s) URL (local files: an absolute path or a file:// URL)"


def expand_local(url: str) -> str:
    """`~/saved/page.html` -> the absolute path; every other URL unchanged."""
    return os.path.expanduser(url) if url.startswith("~") else url


# --- editing ---------------------------------------------------------------------------------


def default_name(url: str, taken: Iterable[str] = ()) -> str:
    """A source name from a URL's host (or a file's name), made unique against `taken` (ignoring case)."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname:
        base = parts.hostname.removeprefix("www.")
    else:
        path = parts.path if parts.scheme == "file" else url
        base = Path(os.path.expanduser(path)).stem or "local"
    return unique_name(base, taken)


def unique_name(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`… (`base (2)` for names with spaces), whichever is not in `taken`
    (ignoring case)."""
    used = {name.casefold() for name in taken}
    if base.casefold() not in used:
        return base
    # "Blog (2)" clashing again becomes "Blog (3)", not "Blog (2) (2)".
    base = _NUMBER_SUFFIX.sub("", base) or base
    for counter in range(2, len(used) + 3):
        candidate = f"{base} ({counter})" if " " in base else f"{base}-{counter}"
        if candidate.casefold() not in used:
            return candidate
    raise AssertionError("unreachable: more candidates than used names")


def _source_block(source: SourceConfig) -> str:
    lines = ["[[sources]]", f"name = {_toml_value(source.name)}", f"url = {_toml_value(source.url)}"]
    if source.kind is not None:
        lines.append(f"kind = {_toml_value(source.kind)}")
    if source.limit is not None:
        lines.append(f"limit = {source.limit}")
    if source.refresh_minutes is not None:
        lines.append(f"refresh_minutes = {source.refresh_minutes}")
    return "\n".join(lines) + "\n"


def _toml_value(value: str) -> str:
    import tomlkit

    return tomlkit.string(value).as_string()


def _commit(path: Path, text: str) -> Config:
    """Validate the edited text, then replace the file; a text that would not load is never written."""
    config = parse_config(text, path)
    try:
        with path.open("rb") as handle:
            had_bom = handle.read(3) == _UTF8_BOM
    except OSError:
        had_bom = False
    write_atomic(path, (_UTF8_BOM if had_bom else b"") + text.encode("utf-8"))
    return config


def _uses_array_tables(text: str) -> bool:
    """True when `sources` is absent or written as [[sources]] tables (so appending a table is valid)."""
    lines = scan(text)
    declared_inline = any(line.table is None and line.key == "sources" for line in lines)
    declared_dotted_table = any(line.header and line.table == "sources" for line in lines)
    return not declared_inline and not declared_dotted_table


def add_source(path: Path, url: str, name: str | None = None, kind: str | None = None) -> SourceConfig:
    """Append a [[sources]] table; the name defaults to the URL's host, made unique."""
    added, skipped = add_sources(path, [SourceConfig(name=name or "", url=url, kind=kind)], strict=True)
    del skipped
    return added[0]


def add_sources(
    path: Path, sources: Sequence[SourceConfig], *, strict: bool = False
) -> tuple[list[SourceConfig], list[SourceConfig]]:
    """Append many sources in one write (OPML import); returns (added, skipped as already present).

    With `strict`, a duplicate URL or name is a ConfigError instead of a skip. An empty name is
    replaced by one derived from the URL; a clashing name from a non-strict import is made unique.
    """
    config = load_config(path)
    text = _read_text(path)
    known_urls = {normalize_url(expand_local(s.url)): s for s in config.sources}
    taken = [s.name for s in config.sources]
    added: list[SourceConfig] = []
    skipped: list[SourceConfig] = []
    for candidate in sources:
        url = expand_local(candidate.url.strip())
        problem = url_problem(url)
        if problem:
            raise ConfigError(path, f"cannot add a source: {problem}")
        if candidate.kind is not None and candidate.kind not in SOURCE_KINDS:
            raise ConfigError(
                path, f"{candidate.kind!r} is not a source kind; use one of: {', '.join(SOURCE_KINDS)}"
            )
        existing = known_urls.get(normalize_url(url))
        if existing is not None:
            if strict:
                raise ConfigError(path, f"{url} is already a source, named {existing.name!r}")
            skipped.append(candidate)
            continue
        wanted = strip_unsafe(candidate.name).strip()
        if wanted and strict and wanted.casefold() in {n.casefold() for n in taken}:
            raise ConfigError(path, f"a source named {wanted!r} already exists")
        final_name = unique_name(wanted, taken) if wanted else default_name(url, taken)
        source = SourceConfig(
            name=final_name,
            url=url,
            kind=candidate.kind,
            limit=candidate.limit,
            refresh_minutes=candidate.refresh_minutes,
        )
        taken.append(final_name)
        known_urls[normalize_url(url)] = source
        added.append(source)
    if not added:
        return added, skipped
    if _uses_array_tables(text):
        newline = _newline(text)
        new_text = text
        if new_text and not new_text.endswith("\n"):
            new_text += newline
        for source in added:
            new_text += (newline if new_text else "") + _source_block(source).replace("\n", newline)
    else:
        new_text = _edit_with_tomlkit(text, path, added)
    _commit(path, new_text)
    return added, skipped


def _newline(text: str) -> str:
    """The file's own line ending, so an edit does not mix CRLF and LF."""
    return "\r\n" if "\r\n" in text else "\n"


def _edit_with_tomlkit(text: str, path: Path, added: Sequence[SourceConfig]) -> str:
    """Rare layouts (`sources = [ {...} ]` inline): let tomlkit append to the array."""
    import tomlkit

    document = tomlkit.parse(text)
    array = document["sources"]
    if not isinstance(array, list):
        raise ConfigError(path, "cannot add to 'sources': it is not an array", key="sources")
    for source in added:
        table = tomlkit.inline_table()
        table.update(_source_dict(source))
        array.append(table)
    return tomlkit.dumps(document)


def _source_dict(source: SourceConfig) -> dict[str, Any]:
    values: dict[str, Any] = {"name": source.name, "url": source.url}
    for key in ("kind", "limit", "refresh_minutes"):
        value = getattr(source, key)
        if value is not None:
            values[key] = value
    return values


def remove_source(path: Path, name: str) -> SourceConfig:
    """Delete a source's table; every other byte of the file stays as it was."""
    import tomlkit

    config = load_config(path, create=False)
    text = _read_text(path) if path.exists() else ""
    target = config.source_named(name)
    if target is None:
        known = ", ".join(repr(s.name) for s in config.sources) or "none configured"
        raise ConfigError(path, f"no source named {name!r} (sources: {known})")
    index = config.sources.index(target)
    lines = scan(text)
    span = table_span(lines, f"sources[{index}]")
    if span is None:
        document = tomlkit.parse(text)
        array = document["sources"]
        assert isinstance(array, list)
        del array[index]
        new_text = tomlkit.dumps(document)
    else:
        new_text = _cut_table(text, lines, span)
    _commit(path, new_text)
    return target


def _cut_table(text: str, lines: list[TomlLine], span: tuple[int, int]) -> str:
    """Remove a table's lines, keeping the comments that introduce the next table."""
    start, end = span
    keep_from = end
    # Comments (and the blank lines between them) directly above the next header belong to it.
    while keep_from > start + 1 and lines[keep_from - 1].is_blank_or_comment:
        keep_from -= 1
    while keep_from < end and not lines[keep_from].text.strip():
        keep_from += 1
    raw_lines = text.splitlines(keepends=True)
    return "".join(raw_lines[:start] + raw_lines[keep_from:])


def save_theme(path: Path, theme: str) -> None:
    """Set settings.theme, changing only that line (or adding it under [settings])."""
    import tomlkit

    if not theme.strip():
        raise ConfigError(path, "a theme name cannot be empty", key="settings.theme")
    load_config(path)
    text = _read_text(path)
    lines = scan(text)
    raw_lines = text.splitlines(keepends=True)
    assignment = f"theme = {_toml_value(theme)}"
    span = table_span(lines, "settings")
    dotted = any(line.table is None and line.key == "settings" for line in lines)
    if dotted:
        document = tomlkit.parse(text)
        settings = document["settings"]
        assert isinstance(settings, dict)
        settings["theme"] = theme
        new_text = tomlkit.dumps(document)
    elif span is None:
        prefix = text if not text or text.endswith("\n") else text + "\n"
        new_text = prefix + ("\n" if prefix else "") + f"[settings]\n{assignment}\n"
    else:
        start, end = span
        existing = next((i for i in range(start + 1, end) if lines[i].key == "theme"), None)
        if existing is not None:
            old = raw_lines[existing]
            newline = old[len(old.rstrip("\r\n")) :]
            indent = old[: len(old) - len(old.lstrip())]
            comment = _trailing_comment(lines[existing].text)
            raw_lines[existing] = indent + assignment + (f"  {comment}" if comment else "") + newline
        else:
            last_key = max((i for i in range(start, end) if lines[i].key is not None), default=start)
            if not raw_lines[last_key].endswith("\n"):
                raw_lines[last_key] += _newline(text)
            raw_lines.insert(last_key + 1, assignment + _newline(text))
        new_text = "".join(raw_lines)
    _commit(path, new_text)


def _trailing_comment(line: str) -> str | None:
    """The `# …` comment after a single-line value, if any."""
    import tomlkit

    try:
        document = tomlkit.parse(line.strip() + "\n")
    except tomlkit.exceptions.ParseError:
        return None
    for _key, item in document.body:
        comment = getattr(getattr(item, "trivia", None), "comment", "")
        if comment:
            return str(comment)
    return None
