"""Many sessions (or files) at once: ``jobs`` at a time, until done or told to stop; a bug in one
is that one's failure, never the others'. Used by :mod:`.batch` for ``export`` and ``convert``.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Sequence

from transcribe_export.run.outcomes import SessionOutcome

__all__ = ["bug_outcome", "run_all"]

log = logging.getLogger("transcribe_export.run.batch")  # the batch's log lines, as before the split


def bug_outcome(stream_id: str, error: Exception, started: float) -> SessionOutcome:
    """An unexpected exception: its traceback to the log, a one-line failure for this session only."""
    log.error("stream %r: unexpected %s", stream_id, type(error).__name__, exc_info=error)
    reason = (
        f"stream {stream_id!r}: an internal error ({type(error).__name__}: {error}); nothing was written."
        " This is a bug in transcribe-export: please report it with the traceback logged above."
    )
    return SessionOutcome(stream_id, "failed", reason, seconds=time.monotonic() - started, bug=True)


def run_all(
    todo: Sequence[str],
    one: Callable[[str], tuple[SessionOutcome | None, str | None]],
    jobs: int,
    results: dict[str, SessionOutcome],
    on_done: Callable[[SessionOutcome], None] | None,
    stop: threading.Event | None,
    record: Callable[[SessionOutcome, str | None], None] | None,
    halt: threading.Event | None = None,
) -> None:
    """Run ``one`` over ``todo``, ``jobs`` at a time, until done or told to stop (``stop`` or ``halt``).

    ``one`` returns ``None`` for an item it did not start after all.
    """
    pending = iter(todo)
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="export") as pool:
        running: set[Future[tuple[SessionOutcome | None, str | None]]] = set()
        while True:
            # Start work only while not told to stop; what is under way always finishes.
            while len(running) < jobs and not any(e is not None and e.is_set() for e in (stop, halt)):
                following = next(pending, None)
                if following is None:
                    break
                running.add(pool.submit(one, following))
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                outcome, checksum = future.result()
                if outcome is None:
                    continue
                if record is not None:
                    record(outcome, checksum)
                results[outcome.stream_id] = outcome
                if on_done is not None:
                    on_done(outcome)
