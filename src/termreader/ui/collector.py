"""When Python's cyclic garbage collector may run in the app: not between a key press and what it shows."""

from __future__ import annotations

import gc
from typing import Final

from textual.widget import Widget

RESUME_AFTER: Final = 1.0
"""Seconds after which the collector is on again whatever happens to the screen refresh."""


def hold_until_painted(widget: Widget) -> None:
    """Keep the cyclic collector off until `widget`'s next screen refresh.

    Opening a long article allocates enough to set off a full collection. That collection walks every
    tracked object, and with a 200k-word article and its rendered strips about it took 100–230 ms. It
    landed between Enter and the first screen in 2–3 of 9 opens (benchmarks/results-launch-memory.md).
    Held off, it runs just after the first screen is painted, while the reader starts reading. If the
    collector is already off (start-up holds it until `settle_heap`), this leaves it alone.
    """
    if not gc.isenabled():
        return
    gc.disable()
    widget.call_after_refresh(gc.enable)
    widget.set_timer(RESUME_AFTER, gc.enable)
