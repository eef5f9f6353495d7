"""The reader's back/forward history behaves like a browser's."""

from __future__ import annotations

from termreader.ui.history import History, HistoryEntry

A = HistoryEntry("https://a.example/", "A", 0.0)
B = HistoryEntry("https://b.example/", "A", 0.5)
C = HistoryEntry("https://c.example/", None, 0.25)


def test_back_and_forward_keep_positions() -> None:
    history = History()
    history.visit(None)  # the reader was empty: nothing to go back to
    assert history.back(A) is None
    history.visit(A)
    history.visit(B)
    assert history.back(C) == B
    assert history.back(B) == A
    assert history.back(A) is None
    assert history.forward(A) == B
    assert history.forward(B) == C
    assert history.forward(C) is None


def test_a_new_visit_clears_forward() -> None:
    history = History()
    history.visit(A)
    assert history.back(B) == A
    assert history.forward_stack == [B]
    history.visit(A)
    assert history.forward_stack == []
    assert history.back_stack == [A]
