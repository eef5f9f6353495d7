"""An OptionList with the vim and half-page keys every list in termreader shares."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class VimOptionList(OptionList):
    """OptionList is virtualised (it renders only visible lines), so it stays smooth at thousands of rows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False),
    ]

    def action_half_page(self, direction: int) -> None:
        """Move the highlight by about half the visible rows."""
        if not self.option_count:
            return
        current = self.highlighted if self.highlighted is not None else 0
        line = self._index_to_line.get(current, 0)
        target_line = line + direction * max(1, self.scrollable_content_region.height // 2)
        lines = self._lines
        target_line = max(0, min(len(lines) - 1, target_line))
        self.highlighted = lines[target_line][0] if lines else current
