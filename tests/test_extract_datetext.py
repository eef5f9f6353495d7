"""Dates written out in page text, told apart from names (bylines must never be a date)."""

from __future__ import annotations

import pytest

from termreader.datetext import is_date_text, strip_trailing_date


@pytest.mark.parametrize(
    "text",
    [
        "Sunday, Feb 1, 2015 11:57 AM UTC",
        "April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm",
        "Last Updated: January 7, 2025",
        "Posted on 3 May 2021",
        "2 June 2024",
        "Feb. 21, 2019",
        "2015-03-13",
        "2024-06-02 10:00",
        "12/03/2024",
        "Updated 10:45",
        "1:39 PM ET",
    ],
)
def test_dates_alone_are_dates(text: str) -> None:
    assert is_date_text(text)


@pytest.mark.parametrize(
    "text",
    ["May Ellison", "June Carter", "Jo Marsh", "Richard (R.J.) Eskow", "On Tech", "Staff writer", ""],
)
def test_names_and_words_are_not_dates(text: str) -> None:
    assert not is_date_text(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Joshua Okoro May 20, 2019", "Joshua Okoro"),
        ("Joe Wee Monday, February 29, 2016 @ 11:10 PM UTC", "Joe Wee"),
        ("GILLIAN MARSH March 11, 2015 3:46 PM", "GILLIAN MARSH"),
        ("Ana Silva | 2 June 2024", "Ana Silva"),
        ("Ana Silva on 2024-06-02", "Ana Silva"),
        # Nothing to cut: no date at the end, or nothing but dates.
        ("Ana Silva, Staff writer", "Ana Silva, Staff writer"),
        (
            "April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm",
            "April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm",
        ),
        ("May 20, 2019", "May 20, 2019"),
    ],
)
def test_a_date_after_a_name_is_cut(text: str, kept: str) -> None:
    assert strip_trailing_date(text) == kept
