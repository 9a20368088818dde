"""Where the bundled samples and presets are.

In a wheel they are copied into ``transcribe_export/_data/``; in a source
checkout (an editable install) they are the top-level ``samples/`` and
``configs/`` folders.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_dir"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The folder of bundled ``samples`` or ``configs``."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name!r} folder is missing from this installation")
