"""Stopping a run cleanly: on SIGINT or SIGTERM, nothing new starts; on SIGTERM or a
second Ctrl-C, the waits of the sessions under way stop too."""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Callable, Iterator

__all__ = ["Stop"]


class Stop(threading.Event):
    """Pass as ``stop=``: once set, no further session starts.

    :meth:`on_signals` sets it on SIGINT or SIGTERM, as the command line does
    (its exit code is then 128 plus the first signal's number). A first Ctrl-C
    lets the sessions under way finish; SIGTERM, or a second Ctrl-C, also sets
    :attr:`cancel`, which stops their waits at once (polling a pending session,
    a pause before a retry): those sessions are left for the next run, and what
    had finished is on record.

    Attributes:
        signals: the signals received, in order.
        cancel: set to stop the waits of the sessions under way too.
    """

    def __init__(self) -> None:
        super().__init__()
        self.signals: list[int] = []
        self.cancel = threading.Event()

    def describe(self) -> str:
        """What stopping means now, for the person who pressed Ctrl-C."""
        if self.cancel.is_set():
            return "Stopping now: the sessions under way stop waiting; what finished is on record."
        return "Stopping: nothing new starts; what is under way finishes (Ctrl-C again: stop now)."

    @contextlib.contextmanager
    def on_signals(self, notice: Callable[[], None] | None = None) -> Iterator[Stop]:
        """Within the block, SIGINT and SIGTERM stop the run (and call ``notice``) instead of killing it."""

        def handle(number: int, frame: object) -> None:
            if number == signal.SIGTERM or self.is_set():
                self.cancel.set()
            self.signals.append(number)
            self.set()
            if notice is not None:
                notice()

        previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
