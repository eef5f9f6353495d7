"""Opening a URL in the browser: `$BROWSER` when set (as most Unix tools do), else the system default."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import webbrowser


def open_in_browser(url: str) -> str | None:
    """Start the browser without waiting for it; returns an error message, or None when it started.

    `$BROWSER` may list several commands separated by the path separator (the `xdg` convention); the
    first is used. Blocking (`webbrowser.open`) belongs in a thread: call this through `asyncio.to_thread`.
    """
    browser = os.environ.get("BROWSER", "").split(os.pathsep)[0].strip()
    if browser:
        try:
            subprocess.Popen(
                [*shlex.split(browser), url],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except (OSError, ValueError) as error:
            return f"$BROWSER ({browser}) failed: {error}"
        return None
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        # Without a display, webbrowser falls back to w3m/lynx in *this* terminal, over the running app.
        return "no graphical browser here; set $BROWSER, or press y to copy the URL"
    if not webbrowser.open(url):
        return "no web browser was found; set $BROWSER"
    return None
