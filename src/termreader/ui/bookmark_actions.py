"""Sending an article elsewhere: the browser (`o`), the clipboard (`y`), bookmarks (`b` saves, `B` lists)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App

from termreader.errors import TermreaderError
from termreader.models import Article
from termreader.services import Services
from termreader.textutil import normalize_url
from termreader.ui.article_list import ArticleList
from termreader.ui.browser import open_in_browser

if TYPE_CHECKING:
    from termreader.ui.bookmarks_screen import BookmarksScreen


class BookmarkActionsMixin(App[None]):
    """The browser, clipboard and bookmark actions of TermreaderApp."""

    services: Services
    saved: set[str]
    article: Article | None
    article_url: str | None

    if TYPE_CHECKING:  # provided by TermreaderApp and ReadMarksMixin

        def _target(self) -> tuple[str, str | None] | None: ...

        async def _load_saved(self) -> None: ...

        def show_article(self, article: Article, *, source: str | None = None) -> None: ...

    def action_open_browser(self) -> None:
        target = self._target()
        if target is not None:
            self.run_worker(self._open_browser(target[0]), group="browser", exit_on_error=False)

    async def _open_browser(self, url: str) -> None:
        problem = await asyncio.to_thread(open_in_browser, url)
        if problem is not None:
            self.notify(problem, title="Could not open the browser", severity="error")
        else:
            self.notify(f"Opened {url} in the browser", timeout=3)

    def action_copy_url(self) -> None:
        target = self._target()
        if target is None:
            return
        self.copy_to_clipboard(target[0])
        self.notify(f"Copied {target[0]}", timeout=3)

    def action_bookmark(self) -> None:
        if self.services.bookmarks is None:
            self.notify(self.services.bookmarks_error or "Bookmarks are unavailable.", severity="warning")
            return
        target = self._target()
        if target is not None:
            self.run_worker(self._toggle_bookmark(*target), group="bookmark", exit_on_error=False)

    async def _toggle_bookmark(self, url: str, source: str | None) -> None:
        store = self.services.bookmarks
        if store is None:
            return
        key = normalize_url(url)
        if await asyncio.to_thread(store.is_saved, url):
            await asyncio.to_thread(store.remove, url)
            self.saved.discard(key)
            self.notify("Bookmark removed", timeout=2)
        else:
            try:
                if self.article is not None and self.article_url == url:
                    article = self.article
                else:
                    article = await self.services.article(url)
            except TermreaderError as error:
                self.notify(str(error), title="Could not save the bookmark", severity="error")
                return
            try:
                await asyncio.to_thread(partial(store.save_article, article, source=source))
            except TermreaderError as error:
                self.notify(str(error), title="Could not save the bookmark", severity="error")
                return
            self.saved.add(key)
            self.notify("Saved to bookmarks", timeout=2)
        for widget in self.query(ArticleList):
            widget.set_marks(saved=set(self.saved))

    def action_bookmarks(self) -> None:
        if self.services.bookmarks is None:
            self.notify(self.services.bookmarks_error or "Bookmarks are unavailable.", severity="warning")
            return
        from termreader.ui.bookmarks_screen import BookmarksScreen

        def closed(_: None) -> None:
            # Bookmarks may have been deleted there: redraw the saved markers.
            self.run_worker(self._reload_saved(), group="bookmark", exit_on_error=False)

        self.push_screen(BookmarksScreen(self.services.bookmarks), closed)

    async def _reload_saved(self) -> None:
        await self._load_saved()
        for widget in self.query(ArticleList):
            widget.set_marks(saved=self.saved)

    def on_bookmarks_screen_bookmark_opened(self, message: BookmarksScreen.BookmarkOpened) -> None:
        self.show_article(message.article)
