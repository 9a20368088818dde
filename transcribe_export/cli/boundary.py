"""The command line's boundary with the library: values checked by the library's own functions,
its errors turned into usage errors and exit codes (never a traceback), outcomes into lines on
stderr and a progress bar. Part of :mod:`transcribe_export.cli`, the only code that imports click.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Sequence

import click

from transcribe_export.errors import ConfigurationError, TranscribeExportError, printable

if TYPE_CHECKING:
    from transcribe_export.run.outcomes import SessionOutcome

__all__ = ["Checked", "Command", "Reporter", "exit_with", "flags", "later"]

log = logging.getLogger("transcribe_export")


def later(module: str, name: str) -> Callable[..., Any]:
    """A library function imported when first called: every command must start fast, and most need little."""
    return lambda *args, **kwargs: getattr(importlib.import_module(module), name)(*args, **kwargs)


class Checked(click.ParamType):  # type: ignore[type-arg]
    """A value checked by the library's own function; its ConfigurationError is reported the click way."""

    def __init__(self, name: str, check: Callable[[Any], Any]) -> None:
        self.name, self.check = name, check

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return self.check(value)
        except ConfigurationError as error:
            self.fail(flags(str(error), ctx) if ctx is not None else str(error), param, ctx)


def flags(message: str, ctx: click.Context) -> str:
    """A library message with its parameter names (quoted `like_this`) worded as this command's flags,
    on one printable line (text from a server or a file never reaches the terminal raw)."""
    for param in ctx.command.params:
        if param.name and param.opts and param.opts[0].startswith("-"):
            message = message.replace(f"`{param.name}`", max(param.opts, key=len))
    return printable(message)


class Command(click.Command):
    """Every command's boundary: a ConfigurationError is a usage error (exit 2); any other expected
    failure is ``Error: …`` with the error's own exit code; neither shows a traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # click keeps the last of an option given twice (-f srt -f vtt writes only VTT): refuse it instead.
        seen: dict[str, str] = {}
        args = list(args)
        value_next = False  # the argument before was an option that takes this one as its value
        for index, arg in enumerate(args[: args.index("--") if "--" in args else len(args)]):
            is_value, value_next = value_next, False
            flag = arg.split("=", 1)[0] if arg.startswith("--") else arg[:2] if arg.startswith("-") and arg != "-" else ""
            param = next((p for p in self.params if flag in p.opts + p.secondary_opts), None) if flag and not is_value else None
            if param is None:
                continue
            value_next = arg == flag and isinstance(param, click.Option) and not param.is_flag and not param.count
            if arg == flag and flag in param.opts and not flag.startswith("--"):
                # -o -> --output: click tries every short option as a long one first, and the miss
                # builds "did you mean" suggestions with difflib (a millisecond of start-up each).
                args[index] = max(param.opts, key=len)
            if getattr(param, "multiple", False) or getattr(param, "count", False) or not param.name:
                continue
            if param.name in seen:
                several = " (several formats: -f srt,vtt)" if param.name == "formats" else ""
                raise click.UsageError(f"{seen[param.name]} is given twice; give it once{several}", ctx)
            seen[param.name] = max(param.opts, key=len)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigurationError as error:
            raise click.UsageError(flags(str(error), ctx), ctx) from None
        except TranscribeExportError as error:
            failure = click.ClickException(flags(str(error), ctx))
            failure.exit_code = error.exit_code
            raise failure from None


def exit_with(code: int) -> NoReturn:
    raise click.exceptions.Exit(code)


class Reporter:
    """Shows each outcome as it comes (and a progress bar on a terminal), stops on a signal, ends with the exit code."""

    def __init__(self, total: int, label: str, ctx: click.Context, *, json_lines: bool = False) -> None:
        self.total, self.ctx, self.json_lines = total, ctx, json_lines
        from transcribe_export.run.signals import Stop

        self.stop = Stop()
        self.show_bar = total > 1 and sys.stderr.isatty()
        # built only to be shown: click's progress bar module costs start-up
        self.bar = (
            click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True) if self.show_bar else None
        )

    def __call__(self, outcome: SessionOutcome) -> None:
        reason = flags(outcome.reason, self.ctx) if outcome.reason else ""
        if outcome.outcome == "failed":
            self._error(reason)
        elif outcome.outcome == "exported":
            files = ", ".join(outcome.files)
            log.info("stream %r: exported: %d words, %d cues, %.1f s -> %s", outcome.stream_id, outcome.words, outcome.cues,
                     outcome.seconds, files)
        else:
            log.info("stream %r: %s%s", outcome.stream_id, outcome.outcome, f": {reason}" if reason else "")
        if self.bar is not None:
            self.bar.update(1)

    def _error(self, message: str) -> None:
        """An ``Error:`` line on stderr, or with ``--log-format json`` an ERROR record like every other line."""
        if self.json_lines:
            log.error("%s", message)
        else:
            click.echo(f"{chr(10) if self.show_bar else ''}Error: {message}", err=True)

    def run(self, work: Callable[..., list[SessionOutcome]], items: Sequence[Any], **options: Any) -> NoReturn:
        """Run ``work`` over ``items`` with this reporter, then exit with the code the outcomes call for."""
        with self.stop.on_signals(lambda: click.echo(f"\n{self.stop.describe()}", err=True)):
            with self.bar if self.bar is not None else contextlib.nullcontext():
                outcomes = work(items, **options, on_done=self, stop=self.stop)
        from transcribe_export.run.outcomes import exit_status, failure_summary

        summary = failure_summary(outcomes, self.total, stopped=bool(self.stop.signals))
        if summary is not None:
            log.error("%s", summary) if self.json_lines else click.echo(summary, err=True)
        if self.stop.signals:
            click.echo(f"Stopped after {len(outcomes)} of {self.total}; run again to do the rest.", err=True)
        exit_with(exit_status(outcomes, self.stop.signals))
