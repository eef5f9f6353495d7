"""Turn whatever a user types into a safe FTS5 MATCH expression (never an FTS5 syntax error)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MIN_PREFIX_CHARS = 2
"""A 1-letter prefix (`a*`) merges the doclists of every term starting with that letter; the prefix indexes
are built for 2 and 3 characters, so shorter last tokens are matched as whole words instead."""


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """The user's text split into phrases to match and phrases to exclude, each a tuple of tokens."""

    include: tuple[tuple[str, ...], ...]
    exclude: tuple[tuple[str, ...], ...]
    prefix_last: bool
    """True when the last included phrase is still being typed (its last token matches as a prefix)."""

    @property
    def empty(self) -> bool:
        return not self.include


def _is_token_char(ch: str) -> bool:
    # The categories unicode61 treats as token characters by default ("L* N* Co"); everything else separates.
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Co"


def tokens(text: str) -> tuple[str, ...]:
    """Split text the way the unicode61 tokenizer does, so a phrase we build holds only plain tokens."""
    out: list[str] = []
    current: list[str] = []
    for ch in text:
        if _is_token_char(ch):
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return tuple(out)


def _split(text: str) -> list[tuple[str, bool, bool]]:
    """Split into (chunk, negated, quoted) pieces: whitespace separates; "double quotes" group a phrase."""
    pieces: list[tuple[str, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
        if text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:  # an unclosed quote: the phrase runs to the end (the user is still typing it)
                end = n
            pieces.append((text[i + 1 : end], negated, True))
            i = end + 1
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] != '"':
            i += 1
        pieces.append((text[start:i], negated, False))
    return pieces


def parse(text: str) -> ParsedQuery:
    """Parse user text: words are ANDed, `-word` excludes, "a phrase" matches in order; the rest is text."""
    include: list[tuple[str, ...]] = []
    exclude: list[tuple[str, ...]] = []
    last_is_prefixable = False
    for chunk, negated, quoted in _split(text):
        phrase = tokens(chunk)
        if not phrase:
            continue
        if negated:
            exclude.append(phrase)
            last_is_prefixable = False
        else:
            include.append(phrase)
            last_is_prefixable = not quoted
    typing = bool(text) and not text[-1].isspace() and not text.endswith('"')
    prefix_last = typing and last_is_prefixable and bool(include) and len(include[-1][-1]) >= MIN_PREFIX_CHARS
    return ParsedQuery(include=tuple(include), exclude=tuple(exclude), prefix_last=prefix_last)


def _phrase(phrase: tuple[str, ...], *, prefix: bool = False) -> str:
    # Tokens hold only letters and digits, but quote-doubling keeps this safe if that ever changes.
    quoted = '"' + " ".join(phrase).replace('"', '""') + '"'
    return quoted + "*" if prefix else quoted


def to_fts(parsed: ParsedQuery) -> str | None:
    """The FTS5 expression for a parsed query, or None when there is nothing to search for."""
    if parsed.empty:
        return None
    last = len(parsed.include) - 1
    positive = " ".join(
        _phrase(phrase, prefix=parsed.prefix_last and index == last)
        for index, phrase in enumerate(parsed.include)
    )
    if not parsed.exclude:
        return positive
    negative = " ".join(f"NOT {_phrase(phrase)}" for phrase in parsed.exclude)
    return f"({positive}) {negative}"


def build_match(text: str) -> str | None:
    """User text straight to a MATCH expression (None: nothing searchable, e.g. only punctuation)."""
    return to_fts(parse(text))
