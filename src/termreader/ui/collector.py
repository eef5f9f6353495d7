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


def settle_heap() -> None:
    """Move what is alive now (widgets, cached lists) out of the cyclic collector's sight.

    With 200 sources' lists in memory, each full collection walked every object and stalled the loop by
    60–80 ms during a refresh (bench_ui_refresh: warm stall 93 → 19–28 ms with this). Plain reference counting
    still frees these objects when they are dropped; only garbage in reference cycles alive at this moment
    is kept. Also turns the collector back on: `termreader` disables it for the start-up (commands/app.py).
    """
    if not gc.isenabled():
        # Once, after the first paint: free the start-up's cyclic garbage before freezing the survivors.
        gc.collect()
    gc.freeze()
    gc.enable()
