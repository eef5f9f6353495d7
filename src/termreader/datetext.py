"""Recognise dates and times written out in page text ("Sunday, Feb 1, 2015 11:57 AM UTC", "2 June 2024")."""

from __future__ import annotations

import re
from typing import Final

_WEEKDAY: Final = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?"
_MONTH: Final = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY: Final = r"\d{1,2}(?:st|nd|rd|th)?"
_ZONE: Final = r"(?:UTC|GMT|[ECMP][SD]?T|BST|CES?T|IST|AEST|AEDT)\b"
_TIME: Final = rf"(?:(?:at|@|,|-)\s*)?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?\s*(?:[ap]\.?m\.?)?(?:\s*{_ZONE})?"
_DATE: Final = (
    rf"(?:(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}|{_DAY}\s+{_MONTH},?\s+\d{{4}})"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
)
_DATE_PART: Final = re.compile(rf"{_DATE}|{_TIME}|\b(?:published|posted|updated|last|modified|on|at)\b", re.I)
_LEFT_OVER: Final = re.compile(r"\w")
_TRAILING_DATE: Final = re.compile(rf"\s*(?:[,|·•–—-]\s*|\bon\s+)?{_DATE}(?:\s*{_TIME})?\s*$", re.I)


def is_date_text(text: str) -> bool:
    """True when the text is only a date (with an optional weekday, time and zone), no name in it."""
    if not _DATE_PART.search(text):
        return False
    return not _LEFT_OVER.search(_DATE_PART.sub(" ", text))


def strip_trailing_date(text: str) -> str:
    """ "Jo Marsh May 20, 2019" -> "Jo Marsh"; text that is only a date, or has none at its end, is kept."""
    match = _TRAILING_DATE.search(text)
    if match is None or match.start() == 0:
        return text
    head = text[: match.start()].rstrip(" ,|·•–—-")
    return text if not head or is_date_text(head) else head
