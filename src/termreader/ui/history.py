"""Back/forward history of the reader, like a browser's: each entry remembers where the reader was."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A page the reader showed, to come back to it at the same place."""

    url: str
    source: str | None
    position: float


@dataclass(slots=True)
class History:
    """Visiting a new page clears the forward stack; going back pushes the current page onto it."""

    back_stack: list[HistoryEntry] = field(default_factory=list)
    forward_stack: list[HistoryEntry] = field(default_factory=list)

    def visit(self, current: HistoryEntry | None) -> None:
        """A new page is about to replace `current` (None: the reader was empty)."""
        if current is not None:
            self.back_stack.append(current)
            self.forward_stack.clear()

    def back(self, current: HistoryEntry) -> HistoryEntry | None:
        if not self.back_stack:
            return None
        self.forward_stack.append(current)
        return self.back_stack.pop()

    def forward(self, current: HistoryEntry) -> HistoryEntry | None:
        if not self.forward_stack:
            return None
        self.back_stack.append(current)
        return self.forward_stack.pop()
