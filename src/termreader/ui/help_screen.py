"""The `?` screen listing every key."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from termreader.ui.keys import KEY_TABLE


def help_content() -> Content:
    """The key table as styled content; the key column is padded to one width."""
    width = max(len(key) for _, rows in KEY_TABLE for key, _ in rows) + 2
    parts: list[str | tuple[str, str]] = []
    for title, rows in KEY_TABLE:
        parts.append((f"{title}\n", "bold $text-accent"))
        for key, what in rows:
            parts += [(f"  {key.ljust(width)}", "bold"), f"{what}\n"]
        parts.append("\n")
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    """Every key termreader understands; any of Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes"
            yield Static(help_content(), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(y=-1 if direction == "up" else 1, animate=False)
