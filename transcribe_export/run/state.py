"""What earlier runs did, per stream id, in the output folder: so cron never redoes or loses work.

A SQLite database (``.transcribe-export.sqlite``, standard library) records
for each id its outcome, attempts, last error, output files and a checksum
of its words. Each record is written in its own transaction *after* the
session's files were renamed into place, so a run killed at any moment
(SIGKILL included) leaves either a finished session on record with its
files, or a session not on record that the next run does again.

Two runs on one folder would race, so :class:`StateStore` holds an
exclusive ``flock`` on ``.transcribe-export.lock`` for its lifetime; the
kernel drops it when the process dies, however it dies.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from transcribe_export.errors import TranscribeExportError

__all__ = ["BusyError", "Record", "StateStore"]

DATABASE = ".transcribe-export.sqlite"
LOCK = ".transcribe-export.lock"


class BusyError(TranscribeExportError):
    """Another run holds the output folder; exit 75 (try again later)."""

    exit_code = 75


@dataclass(frozen=True, slots=True)
class Record:
    """One id's last outcome."""

    stream_id: str
    outcome: str
    attempts: int
    last_error: str | None
    permanent: bool
    files: tuple[str, ...]
    words_sha256: str | None


class StateStore:
    """The state of one output folder, locked for this process while open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock_file = open(folder / LOCK, "a+")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.seek(0)
            holder = self._lock_file.read().strip() or "another process"
            self._lock_file.close()
            raise BusyError(
                f"another transcribe-export run ({holder}) is using the output folder {str(folder)!r}",
                hint="Let it finish; cron will pick up the rest next time.",
            ) from None
        self._lock_file.seek(0)
        self._lock_file.truncate()
        self._lock_file.write(f"pid {os.getpid()}")
        self._lock_file.flush()
        self._db = sqlite3.connect(folder / DATABASE)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sessions ("
            " stream_id TEXT PRIMARY KEY, outcome TEXT NOT NULL, attempts INTEGER NOT NULL,"
            " last_error TEXT, permanent INTEGER NOT NULL, files TEXT NOT NULL, words_sha256 TEXT,"
            " updated REAL NOT NULL)"
        )
        self._db.commit()

    def get(self, stream_id: str) -> Record | None:
        """The record for an id, or ``None`` if no run has finished it."""
        row = self._db.execute(
            "SELECT outcome, attempts, last_error, permanent, files, words_sha256 FROM sessions WHERE stream_id = ?",
            (stream_id,),
        ).fetchone()
        if row is None:
            return None
        return Record(stream_id, row[0], row[1], row[2], bool(row[3]), tuple(json.loads(row[4])), row[5])

    def put(
        self,
        stream_id: str,
        outcome: str,
        *,
        error: str | None = None,
        permanent: bool = False,
        files: tuple[str, ...] = (),
        words_sha256: str | None = None,
    ) -> None:
        """Record an outcome (one transaction; the attempt count goes up by one)."""
        previous = self.get(stream_id)
        attempts = (previous.attempts if previous else 0) + 1
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (stream_id, outcome, attempts, error, int(permanent), json.dumps(list(files)), words_sha256, time.time()),
            )

    def close(self) -> None:
        """Close the database and release the lock."""
        self._db.close()
        fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
        self._lock_file.close()

    def __enter__(self) -> "StateStore":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
