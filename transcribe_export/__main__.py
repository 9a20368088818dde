"""Where ``transcribe-export`` and ``python -m transcribe_export`` start: :func:`run`.

The command line's modules (click, the commands and their options, the pipeline a command
loads) live as long as the process, so the cyclic garbage collector is kept from walking them
again and again: it is off while the command line loads, and :func:`gc.freeze` then sets aside
everything loaded so far for good. Without that, the collections during the imports and the
full collections of the interpreter's exit walked every one of those objects: about 12 ms of
every command (compiled build, median of 25 runs: a 30-second ``convert`` 88.6 -> 76.6 ms,
``--help`` 61.4 -> 51.6 ms, ``check`` 78.2 -> 67.4 ms). A library user, who imports
:mod:`transcribe_export` and never this module, keeps the collector as it was.
"""

import gc

_enabled = gc.isenabled()
gc.disable()
try:
    from transcribe_export.cli import main
finally:
    gc.freeze()
    if _enabled:
        gc.enable()

__all__ = ["run"]


def run() -> None:
    """The command line: the click group :data:`transcribe_export.cli.main` on ``sys.argv``."""
    main()


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    run()
