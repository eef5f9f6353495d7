"""The sources pane: one row per configured source with unread/total counts and its state."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets.option_list import Option

from termreader.ui.labels import SourceStatus, source_prompt
from termreader.ui.vim_list import VimOptionList


class SourcesList(VimOptionList):
    """Rows keyed by source name; `update_status` redraws one row without rebuilding the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.statuses: dict[str, SourceStatus] = {}

    def set_sources(self, names: list[str]) -> None:
        """Show `names` in order, keeping known statuses and the highlighted source."""
        current = self.highlighted_name
        self.statuses = {name: self.statuses.get(name, SourceStatus(name=name)) for name in names}
        self.set_options(Option(source_prompt(status), id=name) for name, status in self.statuses.items())
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
        self.replace_option_prompt(name, source_prompt(status))

    def select_name(self, name: str) -> None:
        if name in self.statuses:
            self.highlighted = list(self.statuses).index(name)
