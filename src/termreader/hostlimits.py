"""How many requests one host gets at once, and how long a host that said "too many" asks us to wait.

A refresh keeps up to `per_host_connections` requests in flight to one host (20 by default). Newsboat sets no
per-host limit at all. A host that rate-limits answers 429 (or 503) with a Retry-After. The fetcher then
waits that long once, if it is short, and halves what that host gets at once until it has been quiet for
ten minutes: the sources behind it are refreshed a little later instead of failing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final

from termreader.textutil import parse_date

HostKey = tuple[str, str, int]
"""(scheme, host, port): what one connection pool and one limit are for."""

RETRY_STATUSES: Final = frozenset({429, 503})
MAX_RETRY_WAIT: Final = 10.0
"""The longest Retry-After a fetch waits for (once, and only within its total time); beyond it, it fails."""
DEFAULT_429_WAIT: Final = 1.0
"""The wait after a 429 that gives no usable Retry-After. A 503 without one is not retried (it is down)."""


RECOVER_AFTER: Final = 600.0
"""Seconds without another "too many" after which a slowed host gets its full limit back."""


class HostLimits:
    """One semaphore per host; `slow_down` halves a host's limit by keeping back permits as they return.

    A host that has not said "too many" again for RECOVER_AFTER seconds gets its full limit back, so that
    one busy moment does not slow its feeds down for the rest of a long session.
    """

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = max(1, limit)
        self._clock = clock
        self._slots: dict[HostKey, asyncio.Semaphore] = {}
        self._limits: dict[HostKey, int] = {}
        self._withheld: dict[HostKey, int] = {}
        self._slowed_at: dict[HostKey, float] = {}

    async def acquire(self, key: HostKey) -> None:
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = asyncio.Semaphore(self.limit)
        slowed_at = self._slowed_at.get(key)
        if slowed_at is not None and self._clock() - slowed_at >= RECOVER_AFTER:
            self._recover(key, slot)
        await slot.acquire()

    def _recover(self, key: HostKey, slot: asyncio.Semaphore) -> None:
        """Back to the full limit: the permits kept back so far return, and those still owed are forgiven."""
        kept_back = (self.limit - self.limit_of(key)) - self._withheld.get(key, 0)
        for _ in range(kept_back):
            slot.release()
        self._limits.pop(key, None)
        self._withheld.pop(key, None)
        self._slowed_at.pop(key, None)

    def release(self, key: HostKey) -> None:
        owed = self._withheld.get(key, 0)
        if owed:
            self._withheld[key] = owed - 1  # this permit is not given back: the host's limit shrinks
        else:
            self._slots[key].release()

    def limit_of(self, key: HostKey) -> int:
        return self._limits.get(key, self.limit)

    def slow_down(self, key: HostKey) -> None:
        """Halve the host's limit (never below 1); requests already in flight finish as they are."""
        current = self.limit_of(key)
        halved = max(1, current // 2)
        if halved < current:
            self._limits[key] = halved
            self._withheld[key] = self._withheld.get(key, 0) + current - halved
        self._slowed_at[key] = self._clock()


def asked_wait(header: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (seconds or an HTTP date); None when absent or unreadable."""
    if header is None:
        return None
    value = header.strip()
    if value.isdigit():
        return float(int(value[:12]))  # a hostile header cannot make an enormous int
    when = parse_date(value)
    if when is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def retry_wait(status: int, header: str | None, now: datetime | None = None) -> float | None:
    """How long to wait before retrying a `status` answer once; None: do not retry."""
    if status not in RETRY_STATUSES:
        return None
    asked = asked_wait(header, now)
    if asked is None:
        return DEFAULT_429_WAIT if status == 429 else None
    return asked
