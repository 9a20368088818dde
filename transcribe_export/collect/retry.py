"""When to try again, and how long to wait: one policy for every request.

Why our own loop rather than urllib3's ``Retry`` mounted on an adapter
(which does honour ``Retry-After``): ``Retry`` sleeps inside
``session.get()``, where it can't see our deadlines (``docs/collecting.md``); it
covers nothing after the first byte of the words stream, which needs its
own loop anyway; it would have to be mounted on a caller's own
``requests.Session``; and it can't share a 429 between parallel workers.
Here one :class:`RateLimiter` per client holds back *every* request after a
``Retry-After``, so a batch slows down as a whole instead of hammering.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from transcribe_export.collect.options import RETRIES, RETRY_AFTER_MAX
from transcribe_export.errors import bad_value

__all__ = ["RETRYABLE_STATUS", "RateLimiter", "RetryPolicy", "parse_retry_after"]

#: 429 waits for Retry-After; the 5xx answers that mean "try again later".
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry.

    Attributes:
        retries: extra attempts after the first (so ``retries + 1`` in all).
        backoff: the first wait in seconds; it doubles each time.
        backoff_max: the longest wait between two attempts.
        retry_after_max: the longest ``Retry-After`` obeyed (a hostile
            ``Retry-After: 86400`` must not hang a cron job for a day).
    """

    retries: int = RETRIES
    backoff: float = 0.5
    backoff_max: float = 8.0
    retry_after_max: float = RETRY_AFTER_MAX

    def __post_init__(self) -> None:
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or self.retries < 0:
            raise bad_value("retries", self.retries, "a whole number of 0 or more")
        for key in ("backoff", "backoff_max", "retry_after_max"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise bad_value(key, value, "a number of seconds from 0")

    def backoff_for(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """The wait before retry number ``attempt`` (1-based): exponential, half of it jittered.

        >>> policy = RetryPolicy(backoff=0.5, backoff_max=8)
        >>> [policy.backoff_for(n, rng=lambda: 1.0) for n in (1, 2, 3, 6)]
        [0.5, 1.0, 2.0, 8.0]
        >>> policy.backoff_for(1, rng=lambda: 0.0)
        0.25
        """
        ceiling = min(self.backoff_max, self.backoff * 2 ** (attempt - 1))
        return float(ceiling / 2 + rng() * ceiling / 2)

    def capped_retry_after(self, seconds: float) -> float:
        """A server's ``Retry-After``, capped at :attr:`retry_after_max`."""
        return max(0.0, min(seconds, self.retry_after_max))


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds: a number of seconds or an HTTP date; ``None`` if absent or bad.

    >>> parse_retry_after("3"), parse_retry_after(" 0 "), parse_retry_after("soon"), parse_retry_after(None)
    (3.0, 0.0, None, None)
    >>> parse_retry_after("Sat, 21 Nov 2026 12:00:10 GMT", now=datetime(2026, 11, 21, 12, 0, 0, tzinfo=timezone.utc))
    10.0
    """
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        import email.utils  # an HTTP date is rare; the import is not (7 ms at every start)

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RateLimiter:
    """A pause shared by every request that goes through it (thread-safe).

    After a 429 with ``Retry-After: N``, :meth:`defer` makes every later
    :meth:`wait` (from any thread) hold until N seconds have passed, so no
    request is sent before the server said it may be.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._until = 0.0
        self._lock = threading.Lock()

    def defer(self, seconds: float) -> None:
        """Hold every request for ``seconds`` from now (never shortens a longer hold)."""
        with self._lock:
            self._until = max(self._until, self._clock() + seconds)

    def pending(self) -> float:
        """Seconds until requests may go again (0 if they may now)."""
        with self._lock:
            return max(0.0, self._until - self._clock())

    def wait(self, cancel: threading.Event | None = None) -> None:
        """Sleep until requests may go again, or until ``cancel`` is set (then return at once)."""
        while (delay := self.pending()) > 0:
            if cancel is None:
                self._sleep(delay)
            elif cancel.wait(delay):
                return
