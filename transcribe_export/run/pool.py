"""Many sessions (or files) at once: ``jobs`` at a time, until done or told to stop; a bug in one
is that one's failure, never the others'. Used by :mod:`.batch` for ``export`` and ``convert``.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Callable, Sequence

from transcribe_export.run.outcomes import SessionOutcome

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["bug_outcome", "run_all", "run_each"]

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

    ``one`` returns ``None`` for an item it did not start after all. The main thread only waits,
    so a signal's handler runs at once whatever the sessions are doing.
    """
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

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
                _finish(outcome, checksum, results, on_done, record)


def run_each(
    todo: Sequence[str],
    one: Callable[[str], SessionOutcome],
    results: dict[str, SessionOutcome],
    on_done: Callable[[SessionOutcome], None] | None,
    stop: threading.Event | None,
) -> None:
    """Run ``one`` over ``todo`` one at a time in this thread, until done or told to stop: for work
    that never waits (``convert``: reading, cutting and writing files), which gains nothing from a
    thread and would pay for importing and starting one (some milliseconds of every ``convert``)."""
    for item in todo:
        if stop is not None and stop.is_set():
            break
        _finish(one(item), None, results, on_done, None)


def _finish(
    outcome: SessionOutcome | None,
    checksum: str | None,
    results: dict[str, SessionOutcome],
    on_done: Callable[[SessionOutcome], None] | None,
    record: Callable[[SessionOutcome, str | None], None] | None,
) -> None:
    if outcome is None:
        return
    if record is not None:
        record(outcome, checksum)
    results[outcome.stream_id] = outcome
    if on_done is not None:
        on_done(outcome)
