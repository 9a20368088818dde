"""Pause Python's cyclic garbage collector while the pipeline builds big structures.

An hour of speech is some 10^5 small objects (words, chunks, cues, dicts,
strings). None of them form reference cycles, so reference counting frees
them all; but each full pass of the cyclic collector walks every live
object, so with it running the cost of a ten-hour session grows faster than
its length (measured in ``benchmarks/speed.py``: 12x for 10x the words,
10x with the collector paused). Pausing is re-entrant and thread-safe: the
collector comes back when the last user leaves, if it was on before.

Its first pass after a pause walks every object the pause left alive, so
two pauses back to back (cut, then write) cost a walk over the words in
between: 2 ms for an hour, 39 ms for ten (measured with ``gc.callbacks``).
``convert`` holds one pause over reading, cutting and writing a file, and
``export`` over cutting and writing a session (its network wait runs with
the collector on).
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

__all__ = ["paused_gc"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off (reference counting still frees memory)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
