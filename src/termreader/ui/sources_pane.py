"""The sources pane: one row per configured source with unread/total counts and its state."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets.option_list import Option

from termreader.ui.article_list import LazyRow
from termreader.ui.labels import SourceStatus, source_prompt
from termreader.ui.vim_list import VimOptionList

SOURCE_ROW_LINES = 2
"""A source row is its name, then its counts and state (see labels.source_prompt)."""


def _row(status: SourceStatus) -> LazyRow:
    """A fixed-height row built when drawn: measuring 200 rows on every rebuild stalled the loop ~150 ms."""
    return LazyRow(lambda: source_prompt(status), SOURCE_ROW_LINES)


class SourcesList(VimOptionList):
    """Rows keyed by source name; `update_status` redraws one row without rebuilding the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.statuses: dict[str, SourceStatus] = {}

    def set_sources(self, names: list[str]) -> None:
        """Show `names` in order, keeping known statuses and the highlighted source."""
        current = self.highlighted_name
        self.statuses = {name: self.statuses.get(name, SourceStatus(name=name)) for name in names}
        self.set_options(Option(_row(status), id=name) for name, status in self.statuses.items())
        if names:
            self.highlighted = names.index(current) if current in names else 0

    @property
    def highlighted_name(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def status(self, name: str) -> SourceStatus:
        return self.statuses.get(name, SourceStatus(name=name))

    def update_status(self, name: str, **changes: object) -> None:
        """Change fields of one source's status (total, unread, state, detail) and redraw its row."""
        if name not in self.statuses:
            return
        status = replace(self.statuses[name], **changes)  # type: ignore[arg-type]
        self.statuses[name] = status
        self.replace_option_prompt(name, _row(status))

    def update_statuses(self, changes: dict[str, dict[str, object]]) -> None:
        """Like update_status for many sources, with one rebuild of the list instead of a redraw per row."""
        for name, fields in changes.items():
            if name in self.statuses:
                self.statuses[name] = replace(self.statuses[name], **fields)  # type: ignore[arg-type]
        highlighted = self.highlighted
        self.set_options(Option(_row(status), id=name) for name, status in self.statuses.items())
        self.highlighted = highlighted

    def select_name(self, name: str) -> None:
        if name in self.statuses:
            self.highlighted = list(self.statuses).index(name)
