"""The `t` screen: the article's headings, indented by level; Enter jumps to one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termreader.ui.labels import safe
from termreader.ui.vim_list import VimOptionList


class Heading(Protocol):
    """What the reader view reports per heading."""

    @property
    def level(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def line(self) -> int: ...


class HeadingPicker(ModalScreen[int | None]):
    """Dismisses with the line of the chosen heading, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,t,q", "cancel", "Close")]

    def __init__(self, headings: Sequence[Heading]) -> None:
        super().__init__()
        self.headings = list(headings)

    def compose(self) -> ComposeResult:
        options = [
            Option(
                Content.assemble(
                    ("  " * max(0, h.level - 1), ""), (safe(h.text), "bold" if h.level <= 2 else "")
                )
            )
            for h in self.headings
        ]
        picker = VimOptionList(*options, id="heading-list")
        picker.border_title = "Headings"
        picker.border_subtitle = "Enter jumps · Esc closes"
        yield picker

    @on(OptionList.OptionSelected, "#heading-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.headings[event.option_index].line)

    def action_cancel(self) -> None:
        self.dismiss(None)
