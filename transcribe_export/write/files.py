"""File names made safe from stream ids, and atomic writes.

A stream id comes from outside (an argument, an ids file, an API), so it
must never choose where a file lands: ``../x``, ``a/b``, ``/etc/passwd``,
``CON`` or a 5,000-character id all become one plain file name inside the
output folder. And two different ids must never share a file: an id is
used as it is only when it is plainly safe (lowercase letters, digits,
``.``, ``_``, ``-``); any other id gets a readable part plus ``~`` and a
hash of the whole id, and a plain id can't contain ``~``. Lowercase-only
plain names keep that true on case-insensitive file systems too.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Mapping

__all__ = ["remove_stale_temporaries", "safe_name", "write_atomic"]

_PLAIN = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Windows device names, reserved with any extension (CON.srt is CON).
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def _reserved(name: str) -> bool:
    return name.split(".")[0].lower() in _RESERVED


def safe_name(stream_id: str) -> str:
    """The file name (without suffix) for a stream id.

    >>> safe_name("c7f2a0e1-demo")
    'c7f2a0e1-demo'
    >>> [safe_name(i).split("~")[0] for i in ("../x", "a/b", "A/B", "con")]
    ['x', 'a_b', 'A_B', '_con']
    """
    if _PLAIN.fullmatch(stream_id) and ".." not in stream_id and not stream_id.endswith(".") and not _reserved(stream_id):
        return stream_id
    readable = _UNSAFE.sub("_", stream_id).strip("._")[:60] or "stream"
    if _reserved(readable):
        readable = "_" + readable
    import hashlib  # only for an unsafe id: start-up of every command imports this module

    digest = hashlib.sha256(stream_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{readable}~{digest}"


# The temporary names write_atomic uses: hidden, the target's name, 8 hex digits, ".tmp".
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{8}\.tmp")


def _temporary_name(path: Path) -> str:
    return f".{path.name}.{os.urandom(4).hex()}.tmp"  # secrets.token_hex(4), without its import of hashlib


def remove_stale_temporaries(folder: Path) -> list[str]:
    """Remove the temporary files a killed run left in ``folder`` (SIGKILL can't be caught).

    Only call it while holding the folder's lock: then no other run is writing there.
    Returns the names removed.
    """
    removed = []
    for path in folder.iterdir():
        if _TEMPORARY.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def write_atomic(files: Mapping[Path, str | Callable[[], str]]) -> None:
    """Write several text files so that each is either whole or absent.

    A file's text may be given as a function that renders it: it is called
    just before that file is written, so only one rendered text is held at a
    time (a ten-hour session's JSON alone is tens of megabytes). If one
    raises, the files staged so far are removed, as for any failure.

    Every file is first written (UTF-8, flushed to disk) under a hidden
    temporary name in its own folder, then all are renamed into place. If
    anything fails before the renames, the temporary files are removed and
    no target is touched, so a failed export leaves no partial file.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            data = (text() if callable(text) else text).encode("utf-8")
            tmp = str(path.parent / _temporary_name(path))
            # 0o666 through the umask, like any ordinary file the user makes.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise
