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
import logging
import os
import secrets
import sqlite3
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from transcribe_export.errors import OutputFolderError, TranscribeExportError, printable

__all__ = ["BusyError", "Record", "StateStore"]

DATABASE = ".transcribe-export.sqlite"
LOCK = ".transcribe-export.lock"
_COLUMNS = ("stream_id", "outcome", "attempts", "last_error", "permanent", "files", "words_sha256", "updated", "fingerprint")

log = logging.getLogger(__name__)


class BusyError(TranscribeExportError):
    """Another run holds the output folder; exit 75 (try again later)."""

    exit_code = 75


@dataclass(frozen=True, slots=True)
class Record:
    """One id's last outcome, and the fingerprint of the settings its files were made with."""

    stream_id: str
    outcome: str
    attempts: int
    last_error: str | None
    permanent: bool
    files: tuple[str, ...]
    words_sha256: str | None
    fingerprint: str | None = None


def _folder_error(folder: Path, exc: OSError) -> OutputFolderError:
    return OutputFolderError(
        f"the output folder {str(folder)!r} can't be used ({exc.strerror or exc}); nothing was exported",
        hint="Check that it exists, is writable and has free space.",
    )


def _set_aside(path: Path, why: str) -> None:
    """Rename one of our files out of the way (a symlink is renamed itself, never followed)."""
    aside = path.with_name(f"{path.name}.{time.strftime('%Y%m%dT%H%M%S')}.{secrets.token_hex(2)}.aside")
    os.rename(path, aside)
    log.warning("%s %s: moved it aside as %s and started a new one", path, why, aside.name)


def _not_ours(path: Path) -> str | None:
    """Why a path in the folder can't be one of our files (a symlink, a folder…), or None if it can."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link, which is never followed"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    return None


class StateStore:
    """The state of one output folder, locked for this process while open.

    The folder is ours, and only ours: the lock, the database and its journal
    are never opened through a symbolic link (one planted there is moved
    aside, so the file it points to is never touched), and a database that is
    corrupt, truncated or not ours is moved aside with a warning and rebuilt.

    Raises:
        BusyError: another run holds the folder.
        OutputFolderError: the folder can't be written (read-only, missing, full).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock_fd = self._lock(folder / LOCK)
        try:
            self._db = self._open_database(folder / DATABASE)
        except OSError as exc:
            os.close(self._lock_fd)
            raise _folder_error(folder, exc) from None
        except BaseException:
            os.close(self._lock_fd)
            raise

    def _lock(self, path: Path) -> int:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            if (why := _not_ours(path)) is not None:
                _set_aside(path, why)
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise _folder_error(self.folder, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = printable(os.read(fd, 200).decode("utf-8", "replace").strip()) or "another process"
            os.close(fd)
            raise BusyError(
                f"another transcribe-export run ({holder}) is using the output folder {str(self.folder)!r}",
                hint="Let it finish; cron will pick up the rest next time.",
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()}".encode())
        except OSError as exc:
            os.close(fd)
            raise _folder_error(self.folder, exc) from None
        return fd

    def _open_database(self, path: Path) -> sqlite3.Connection:
        for candidate in (path, *(path.with_name(path.name + end) for end in ("-journal", "-wal", "-shm"))):
            if (why := _not_ours(candidate)) is not None:
                _set_aside(candidate, why)
        try:
            return self._connect(path)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and _is_os_failure(exc):
                raise OSError(str(exc)) from None
            for candidate in (path, path.with_name(path.name + "-journal")):
                if candidate.exists():
                    _set_aside(candidate, f"is not a state database this version can use ({exc})")
            return self._connect(path)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        try:
            if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("it fails SQLite's integrity check")
            columns = [row[1] for row in db.execute("PRAGMA table_info(sessions)")]
            if not columns:
                db.execute(f"CREATE TABLE sessions ({_SCHEMA})")
            elif columns == list(_COLUMNS[:-1]):
                db.execute("ALTER TABLE sessions ADD COLUMN fingerprint TEXT")  # written by an earlier version
            elif columns != list(_COLUMNS):
                raise sqlite3.DatabaseError(f"its sessions table has the columns {', '.join(columns)}")
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    def get(self, stream_id: str) -> Record | None:
        """The record for an id, or ``None`` if no run has finished it."""
        row = self._db.execute(
            "SELECT outcome, attempts, last_error, permanent, files, words_sha256, fingerprint FROM sessions WHERE stream_id = ?",
            (stream_id,),
        ).fetchone()
        if row is None:
            return None
        return Record(stream_id, row[0], row[1], row[2], bool(row[3]), tuple(json.loads(row[4])), row[5], row[6])

    def owners(self) -> dict[str, str]:
        """Every file an earlier run wrote, and the id it belongs to."""
        rows = self._db.execute("SELECT stream_id, files FROM sessions WHERE outcome = 'exported'").fetchall()
        return {name: stream_id for stream_id, files in rows for name in json.loads(files)}

    def put(
        self,
        stream_id: str,
        outcome: str,
        *,
        error: str | None = None,
        permanent: bool = False,
        files: tuple[str, ...] = (),
        words_sha256: str | None = None,
        fingerprint: str | None = None,
    ) -> None:
        """Record an outcome (one transaction; the attempt count goes up by one).

        Raises:
            OutputFolderError: the database can't be written (the disk is full, say).
        """
        previous = self.get(stream_id)
        attempts = (previous.attempts if previous else 0) + 1
        row = (
            stream_id, outcome, attempts, error, int(permanent), json.dumps(list(files)), words_sha256, time.time(), fingerprint
        )
        try:
            with self._db:
                self._db.execute(f"INSERT OR REPLACE INTO sessions VALUES ({', '.join('?' * len(_COLUMNS))})", row)
        except sqlite3.OperationalError as exc:
            raise OutputFolderError(
                f"the output folder {str(self.folder)!r} can't record what was done ({exc}), so the run stopped;"
                " the files already written are whole, and the next run redoes what is not on record",
                hint="Check that it is writable and has free space.",
            ) from None

    def close(self) -> None:
        """Close the database and release the lock."""
        self._db.close()
        fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        os.close(self._lock_fd)

    def __enter__(self) -> "StateStore":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


_SCHEMA = (
    "stream_id TEXT PRIMARY KEY, outcome TEXT NOT NULL, attempts INTEGER NOT NULL, last_error TEXT,"
    " permanent INTEGER NOT NULL, files TEXT NOT NULL, words_sha256 TEXT, updated REAL NOT NULL, fingerprint TEXT"
)


def _is_os_failure(exc: sqlite3.OperationalError) -> bool:
    """An error of the disk or the folder (read-only, full, no permission), not of the file's content."""
    text = str(exc).lower()
    return any(words in text for words in ("readonly", "read-only", "disk is full", "unable to open", "disk i/o"))
