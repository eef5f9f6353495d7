"""Small modal dialogs started from the command palette: add a source (with live feedback), open a URL."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from termreader.errors import TermreaderError
from termreader.services import AddedSource, Services
from termreader.ui.labels import safe


class AddSourceScreen(ModalScreen[AddedSource | None]):
    """Type a URL (and optionally a name); each detection step is shown as it happens."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.added: AddedSource | None = None
        self.lines: list[Content] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as box:
            box.border_title = "Add a source"
            box.border_subtitle = "Enter adds · Esc closes"
            yield Input(placeholder="https://example.blog/ or a feed URL", id="add-url")
            yield Input(placeholder="name (optional)", id="add-name")
            yield Static("", id="add-progress")

    def say(self, text: str, style: str = "") -> None:
        self.lines.append(Content.styled(safe(text), style))
        self.query_one("#add-progress", Static).update(Content("\n").join(self.lines))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        url = self.query_one("#add-url", Input).value.strip()
        if not url:
            self.say("Type the address of a blog or a feed first.", "$text-warning")
            return
        name = self.query_one("#add-name", Input).value.strip() or None
        self.lines = []
        self._add(url, name)

    @work(group="add-source", exclusive=True, exit_on_error=False, description="add a source")
    async def _add(self, url: str, name: str | None) -> None:
        try:
            self.added = await self.services.add_source(url, name, progress=self.say)
        except TermreaderError as error:
            self.say(f"Not added: {error}", "bold $text-error")
            return
        count = self.added.latest_count
        self.say(f"Added '{self.added.source.name}' with {count} articles. Esc closes.", "bold $text-success")

    def action_close(self) -> None:
        self.dismiss(self.added)


class OpenUrlScreen(ModalScreen[str | None]):
    """Ask for a URL to open in the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as box:
            box.border_title = "Open a URL in the reader"
            yield Input(placeholder="https://…", id="open-url")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(value or None)

    def action_close(self) -> None:
        self.dismiss(None)
