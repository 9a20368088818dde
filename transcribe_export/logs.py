"""How the command line logs, for any program that wants the same lines.

The library itself never configures logging (its logger has a
``NullHandler``); :func:`configure` is what ``transcribe-export`` calls:
diagnostics on stderr, silent on success unless verbose, as text with
timestamps or as one JSON object a line for log shippers.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Callable

__all__ = ["JsonFormatter", "configure"]


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }, ensure_ascii=False)


class _Rewrite(logging.Filter):
    """Rewrites each message once it is formatted (the command line words parameter names as flags)."""

    def __init__(self, rewrite: Callable[[str], str]) -> None:
        super().__init__()
        self.rewrite = rewrite

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.rewrite(record.getMessage()), None
        return True


def configure(verbose: int = 0, log_format: str = "text", *, rewrite: Callable[[str], str] | None = None) -> None:
    """Log to stderr: warnings only (0), one line per session (1), debug (2), urllib3's debug too (3).

    Args:
        log_format: ``text`` (with timestamps) or ``json`` (one object a line).
        rewrite: applied to every message before it is written.
    """
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    for handler in logging.getLogger().handlers:
        if log_format == "json":
            handler.setFormatter(JsonFormatter())
        if rewrite is not None:
            handler.addFilter(_Rewrite(rewrite))
    if verbose < 3:
        # urllib3's debug lines add nothing a user needs (they never hold headers).
        logging.getLogger("urllib3").setLevel(max(level, logging.INFO))
