"""Dates written for people ("March 3, 2026", "03.03.2026"), as WordPress Popular Posts prints them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DATE_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_DATE_DMY = re.compile(r"\b(\d{1,2})\.?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def loose_date(text: str) -> datetime | None:
    """A date written for people ("posted on March 3, 2026", "3 March 2026", "03.03.2026") as UTC midnight."""
    year = month = day = 0
    if match := _DATE_ISO.search(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DATE_MDY.search(text):
        month, day, year = _MONTHS.get(match[1].lower(), 0), int(match[2]), int(match[3])
    elif match := _DATE_DMY.search(text):
        day, month, year = int(match[1]), _MONTHS.get(match[2].lower(), 0), int(match[3])
    elif match := _DATE_DOTTED.search(text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
