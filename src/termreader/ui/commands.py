"""Command palette entries: add/remove a source, refresh, switch theme, open a URL, mark all read."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from termreader.ui.app import TermreaderApp


class TermreaderCommands(Provider):
    """Everything a source list needs that has no single key."""

    @property
    def reader_app(self) -> TermreaderApp | None:
        from termreader.ui.app import TermreaderApp

        return self.app if isinstance(self.app, TermreaderApp) else None

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.reader_app
        if app is None:
            return []
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("Add source…", app.action_add_source, "Detect a blog's feed and popular posts, then add it"),
            ("Open URL…", app.action_open_url, "Read any article URL in the reader"),
            ("Refresh source", app.action_refresh, "Fetch the selected source again"),
            ("Refresh all sources", app.action_refresh_all, "Fetch every source, showing progress"),
            ("Mark all read", app.action_mark_all_read, "Mark every article of the selected source read"),
            ("Show bookmarks", app.action_bookmarks, "Saved articles, searchable offline"),
        ]
        for source in app.services.sources:
            commands.append(
                (
                    f"Remove source: {source.name}",
                    partial(app.remove_source, source.name),
                    f"Forget {source.url} (the config file is updated)",
                )
            )
        for theme in sorted(app.available_themes):
            commands.append(
                (f"Theme: {theme}", partial(app.set_theme, theme), "Switch theme and save it in the config")
            )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
