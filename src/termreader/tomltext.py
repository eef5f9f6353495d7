"""Line-level view of a TOML file: which table and key each line holds, so errors can name a line and
edits can touch only the lines they change (tomlkit keeps positions poorly and moves comments on edit)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ARRAY_HEADER = re.compile(r"""^\s*\[\[\s*(?P<name>[A-Za-z0-9_\-."' ]+?)\s*\]\]\s*(?:#.*)?$""")
_TABLE_HEADER = re.compile(r"""^\s*\[\s*(?P<name>[A-Za-z0-9_\-."' ]+?)\s*\]\s*(?:#.*)?$""")
_KEY = re.compile(r"""^\s*(?P<q>["']?)(?P<key>[A-Za-z0-9_\-]+)(?P=q)\s*(?:\.|=)""")


@dataclass(frozen=True, slots=True)
class TomlLine:
    """One physical line: the table it belongs to and, for a header or key line, what it declares."""

    number: int
    """1-based, as editors show it."""
    text: str
    """The line without its newline."""
    table: str | None
    """'settings', 'sources[0]' (0-based index of the [[sources]] table), any other table name, or None
    for the top level."""
    header: bool
    key: str | None
    """The first key segment on a `key = value` line (not inside a multi-line string or array)."""

    @property
    def is_blank_or_comment(self) -> bool:
        stripped = self.text.strip()
        return not stripped or stripped.startswith("#")


def _unquote(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def scan(text: str) -> list[TomlLine]:
    """Classify every line; multi-line strings and arrays are tracked so their contents are not mistaken
    for headers or keys."""
    lines: list[TomlLine] = []
    table: str | None = None
    array_counts: dict[str, int] = {}
    open_string: str | None = None
    bracket_depth = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if open_string is not None or bracket_depth > 0:
            lines.append(TomlLine(number, raw, table, header=False, key=None))
            open_string, bracket_depth = _continue_state(raw, open_string, bracket_depth)
            continue
        array = _ARRAY_HEADER.match(raw)
        plain = None if array else _TABLE_HEADER.match(raw)
        if array:
            name = _unquote(array.group("name"))
            index = array_counts.get(name, 0)
            array_counts[name] = index + 1
            table = f"{name}[{index}]"
            lines.append(TomlLine(number, raw, table, header=True, key=None))
            continue
        if plain:
            table = _unquote(plain.group("name"))
            lines.append(TomlLine(number, raw, table, header=True, key=None))
            continue
        key_match = _KEY.match(raw)
        key = key_match.group("key") if key_match else None
        lines.append(TomlLine(number, raw, table, header=False, key=key))
        if key_match:
            value = raw[raw.find("=", key_match.start("key")) + 1 :]
            open_string, bracket_depth = _continue_state(value, None, 0)
    return lines


def _continue_state(fragment: str, open_string: str | None, depth: int) -> tuple[str | None, int]:
    """Advance the multi-line string / bracket state over one line of a value."""
    i = 0
    while i < len(fragment):
        if open_string is not None:
            end = fragment.find(open_string, i)
            if end < 0:
                return open_string, depth
            i = end + 3
            open_string = None
            continue
        ch = fragment[i]
        if ch == "#":
            break
        if fragment.startswith('"""', i) or fragment.startswith("'''", i):
            open_string = fragment[i : i + 3]
            i += 3
            continue
        if ch in "\"'":
            end = _string_end(fragment, i)
            i = end + 1
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return open_string, depth


def _string_end(fragment: str, start: int) -> int:
    quote = fragment[start]
    i = start + 1
    while i < len(fragment):
        if quote == '"' and fragment[i] == "\\":
            i += 2
            continue
        if fragment[i] == quote:
            return i
        i += 1
    return len(fragment)


def locate(lines: list[TomlLine], table: str | None, key: str | None = None) -> int | None:
    """Line number of `key` in `table` (the table's header when the key is absent); None when unknown."""
    header_line: int | None = None
    for line in lines:
        if line.table != table:
            continue
        if line.header and header_line is None:
            header_line = line.number
        if key is not None and line.key == key:
            return line.number
    if key is not None and table is None:
        # A top-level "key" may also be a table header of that name.
        for line in lines:
            if line.header and line.table is not None and line.table.split("[")[0] == key:
                return line.number
    return header_line


def table_span(lines: list[TomlLine], table: str) -> tuple[int, int] | None:
    """0-based [start, end) line indexes of a table: its header up to the next header (or the end)."""
    start: int | None = None
    for index, line in enumerate(lines):
        if start is None:
            if line.header and line.table == table:
                start = index
        elif line.header:
            return start, index
    return None if start is None else (start, len(lines))
