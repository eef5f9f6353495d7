"""The key table shown by `?` (and copied into the README): one source of truth for what each key does."""

from __future__ import annotations

from typing import Final

KEY_TABLE: Final[tuple[tuple[str, tuple[tuple[str, str], ...]], ...]] = (
    (
        "Everywhere",
        (
            ("Tab / Shift+Tab", "next / previous pane (reader: next / previous link)"),
            ("Esc / Backspace", "back: close the filter, leave the reader, previous pane"),
            ("r / R", "refresh this source / all sources"),
            ("o", "open in the browser ($BROWSER, else the default one)"),
            ("y", "copy the article URL (OSC 52 clipboard)"),
            ("b / B", "save or remove a bookmark / show bookmarks"),
            ("Ctrl+P", "palette: add/remove a source, theme, open a URL"),
            ("?", "this help"),
            ("q", "quit"),
        ),
    ),
    (
        "Lists",
        (
            ("↑ ↓ / j k", "move"),
            ("g / G", "first / last"),
            ("Ctrl+D / Ctrl+U", "half a page down / up"),
            ("Enter", "open"),
            ("/", "filter the list as you type (Esc clears)"),
            ("l / p", "Latest / Popular tab"),
            ("m / A", "toggle read / mark all of this source read"),
        ),
    ),
    (
        "Reader",
        (
            ("Space / PageDown", "scroll a page"),
            ("Tab / Enter", "next link / open it here"),
            ("[ / ]  Alt+← / Alt+→", "back / forward in history"),
            ("t", "headings: jump to one"),
            ("f  then n / N", "find in the article, next / previous match"),
            ("m", "toggle read / unread"),
        ),
    ),
)
