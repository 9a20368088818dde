"""How each id of a run ended, and the ``--report`` file that says so."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from transcribe_export.errors import OutputFolderError
from transcribe_export.write.files import write_atomic

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "EX_SOFTWARE", "OUTCOMES", "SessionOutcome", "check_report_path", "exit_status", "failure_summary", "summarize",
    "write_report",
]

OUTCOMES = ("exported", "up-to-date", "not-ready", "failed")
EX_SOFTWARE = 70  # sysexits.h: an internal error (a bug); the other sessions still ran


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """How one id ended.

    Attributes:
        stream_id: the id.
        outcome: one of :data:`OUTCOMES`.
        reason: the error or the not-ready message, or ``None``.
        files: the file names written (in the output folder).
        words: words in the transcript.
        cues: cues written.
        seconds: how long it took.
        permanent: a failure that will not go away by itself.
        bug: the failure was an unexpected exception (its traceback is in the log).
        configuration: the failure was the run's configuration (a base URL that is not
            HeyGen's API, say), not the session's: it stopped the batch and is not recorded.
    """

    stream_id: str
    outcome: str
    reason: str | None = None
    files: tuple[str, ...] = ()
    words: int = 0
    cues: int = 0
    seconds: float = 0.0
    permanent: bool = False
    bug: bool = False
    configuration: bool = False

    def as_dict(self) -> dict[str, Any]:
        """For the ``--report`` file."""
        data = asdict(self)
        data["files"] = list(self.files)
        data["seconds"] = round(self.seconds, 3)
        return data


def summarize(outcomes: Sequence[SessionOutcome], total: int) -> dict[str, int]:
    """How many ids ended in each outcome, and how many never started.

    >>> summarize([SessionOutcome("a", "exported"), SessionOutcome("b", "failed")], 3)
    {'exported': 1, 'up-to-date': 0, 'not-ready': 0, 'failed': 1, 'not-started': 1}
    """
    summary = {name: sum(o.outcome == name for o in outcomes) for name in OUTCOMES}
    summary["not-started"] = total - len(outcomes)
    return summary


def write_report(path: str | os.PathLike[str], outcomes: Sequence[SessionOutcome], total: int, started: datetime) -> None:
    """The ``--report`` file: when the run started and finished, the summary, and each id's outcome.

    Raises:
        OutputError: the report can't be written.
    """
    from datetime import datetime, timezone  # loaded only by the runs that write a report

    document = {
        "format": "transcribe-export/report",
        "format_version": 1,
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "summary": summarize(outcomes, total),
        "sessions": [o.as_dict() for o in outcomes],
    }
    try:
        write_atomic({Path(path): json.dumps(document, indent=2, ensure_ascii=False) + "\n"})
    except OSError as exc:
        raise OutputFolderError(f"cannot write the report {str(path)!r} ({exc.strerror or exc})") from None


def check_report_path(path: str | os.PathLike[str] | None) -> None:
    """Fail before any work if the report could not be written at the end."""
    if path is None:
        return
    parent = Path(path).parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK) or Path(path).is_dir():
        raise OutputFolderError(
            f"the report {str(path)!r} can't be written (its folder is missing or not writable); nothing was exported",
            hint="Create the folder first, or choose another path.",
        )


def exit_status(outcomes: Sequence[SessionOutcome], signals: Sequence[int] = ()) -> int:
    """The exit code a run's outcomes call for (the README's table): 128 + the first signal
    that stopped it; 70 a bug; 2 the run's configuration; 1 a session failed; 75 some were
    not ready; 0 all done.

    >>> exit_status([SessionOutcome("a", "exported"), SessionOutcome("b", "not-ready")])
    75
    """
    if signals:
        return 128 + signals[0]
    if any(o.bug for o in outcomes):
        return EX_SOFTWARE
    if any(o.configuration for o in outcomes):
        return 2
    if any(o.outcome == "failed" for o in outcomes):
        return 1
    return 75 if any(o.outcome == "not-ready" for o in outcomes) else 0


def failure_summary(outcomes: Sequence[SessionOutcome], total: int, *, stopped: bool = False) -> str | None:
    """``3 of 100 failed; 2 not started.``, or None when nothing failed.

    >>> failure_summary([SessionOutcome("a", "failed")], 20)
    '1 of 20 failed; 19 not started.'
    """
    failed = sum(o.outcome == "failed" for o in outcomes)
    if not failed:
        return None
    not_started = "" if stopped or len(outcomes) == total else f"; {total - len(outcomes)} not started"
    return f"{failed} of {total} failed{not_started}."
