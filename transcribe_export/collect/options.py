"""The collector's options, validated once where they enter the library.

Kept apart from the HTTP code (no ``requests`` here), so the command line can
read every default and check from this one place without loading the network
stack.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from transcribe_export.errors import StoppedError, bad_value

__all__ = [
    "CONNECT_TIMEOUT", "DEFAULT_BASE_URL", "READ_TIMEOUT", "REQUEST_TIMEOUT", "RETRIES", "RETRY_AFTER_MAX", "CollectOptions",
    "check_timeout", "pause",
    "stop_if_cancelled",
]

#: HeyGen's API root.
DEFAULT_BASE_URL = "https://api.heygen.com"
#: Seconds to wait for a connection.
CONNECT_TIMEOUT = 10.0
#: The longest silence (seconds) allowed between two received bytes: keep-alive
#: comments keep a quiet stream alive, so this is several missed keep-alives.
READ_TIMEOUT = 60.0
#: The most one request may take, connecting, headers and a status body together,
#: however slowly the bytes come (each of them resets the read timeout).
REQUEST_TIMEOUT = 120.0
#: Extra attempts after the first, for a refused or failed request (:class:`.retry.RetryPolicy`).
RETRIES = 5
#: The longest ``Retry-After`` obeyed, in seconds (a hostile one must not hang a cron job for a day).
RETRY_AFTER_MAX = 60.0


def check_timeout(key: str, value: float, *, low: float = 0.0, inclusive: bool = False) -> float:
    """A number of seconds, finite and above (or from) ``low``; else a :class:`ConfigurationError`.

    >>> check_timeout("read_timeout", 5)
    5.0
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or (
        value < low if inclusive else value <= low
    ):
        raise bad_value(key, value, f"a number of seconds {'from' if inclusive else 'above'} {low:g}")
    return float(value)


@dataclass(frozen=True)
class CollectOptions:
    """How long to wait, how strict to be, and how much to accept.

    Attributes:
        wait: wait for a ``pending`` session and follow a ``streaming`` one;
            ``False`` (``--no-wait``) raises :class:`NotReadyError` instead.
        wait_timeout: seconds to wait for a ``pending`` session to start.
        max_duration: seconds to follow the words stream (HeyGen caps
            sessions at one hour, so 65 minutes by default).
        poll_interval: first wait between two status polls; it grows by half
            each time up to ``poll_max``.
        poll_max: the longest wait between two status polls.
        server_retry_max: the longest SSE ``retry`` a server may ask for.
        lenient: drop bad words (with a warning each) instead of failing.
        max_frame_bytes: the largest frame accepted.
        max_words: the most words one session may hold.
        cancel: when set, every wait stops at once with :class:`StoppedError`
            (what ``run.signals.Stop`` sets on SIGTERM or a second Ctrl-C).

    Raises:
        ConfigurationError: a value out of range, naming the attribute.
    """

    wait: bool = True
    wait_timeout: float = 600.0
    max_duration: float = 3900.0
    poll_interval: float = 1.0
    poll_max: float = 10.0
    server_retry_max: float = 30.0
    lenient: bool = False
    max_frame_bytes: int = 1024 * 1024
    max_words: int = 1_000_000
    cancel: threading.Event | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        check_timeout("wait_timeout", self.wait_timeout, inclusive=True)
        for key in ("max_duration", "poll_interval", "poll_max"):
            check_timeout(key, getattr(self, key))
        check_timeout("server_retry_max", self.server_retry_max, inclusive=True)
        for key, low in (("max_frame_bytes", 1024), ("max_words", 1)):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise bad_value(key, value, f"a whole number of {low:,} or more")


def stop_if_cancelled(cancel: threading.Event | None, stream_id: str) -> None:
    """Raise :class:`StoppedError` if told to stop (``cancel`` is set)."""
    if cancel is not None and cancel.is_set():
        raise StoppedError("stopped while waiting; nothing was written", stream_id=stream_id,
                           hint="Run the export again to do it.")


def pause(seconds: float, cancel: threading.Event | None, stream_id: str) -> None:
    """Sleep, unless told to stop meanwhile: then raise :class:`StoppedError` at once."""
    if cancel is None:
        time.sleep(seconds)
    else:
        cancel.wait(seconds)
        stop_if_cancelled(cancel, stream_id)
