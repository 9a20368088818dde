"""The garbage-collector pause is re-entrant, thread-safe and restores what it found."""

from __future__ import annotations

import gc
import threading

from transcribe_export.gcpause import paused_gc


def test_nested_pauses_restore_the_collector_only_at_the_end() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_threads() -> None:
    inside = threading.Barrier(2)
    leave = threading.Event()

    def worker() -> None:
        with paused_gc():
            inside.wait()
            leave.wait()

    thread = threading.Thread(target=worker)
    thread.start()
    with paused_gc():
        inside.wait()
    assert not gc.isenabled()  # the other thread is still inside
    leave.set()
    thread.join()
    assert gc.isenabled()
