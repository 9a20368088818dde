"""What a run is asked for, decoded and checked: the ids (from arguments, files or
standard input) and the file names their sessions get.

An ids file is UTF-8 (a byte order mark is dropped; anything else is refused,
naming the line); an id that cannot be sent in a URL path fails on its own; a
name template holds exactly one ``{stream_id}`` field; and two ids never share
a file, within a run or across runs (:func:`clash`).
"""

from __future__ import annotations

import os
import string
import sys
from pathlib import Path
from typing import Sequence

from transcribe_export.errors import ConfigurationError, printable
from transcribe_export.run import DEFAULT_NAME_TEMPLATE
from transcribe_export.write.files import safe_name

__all__ = ["DEFAULT_NAME_TEMPLATE", "check_name_template", "clash", "file_name", "id_problem", "read_ids"]



def check_name_template(template: str) -> str:
    """A file-name template: text with exactly one ``{stream_id}`` field and nothing else to fill in.

    >>> check_name_template("heygen-{stream_id}")
    'heygen-{stream_id}'
    >>> check_name_template("heygen-{{stream_id}}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    transcribe_export.errors.ConfigurationError: `name_template` 'heygen-{{stream_id}}' has no {stream_id} field, ...
    """
    hint = "Use {stream_id} once, e.g. 'heygen-{stream_id}'."
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ConfigurationError(f"`name_template` {template!r} is not valid ({exc})", key="name_template", hint=hint) from None
    if not fields:
        raise ConfigurationError(
            f"`name_template` {template!r} has no {{stream_id}} field, so every session would write the same file",
            key="name_template", hint=hint,
        )
    if len(fields) > 1 or fields[0] != ("stream_id", "", None):
        raise ConfigurationError(
            f"`name_template` {template!r} must hold exactly one {{stream_id}} field and no other", key="name_template", hint=hint
        )
    return template


def file_name(template: str, stream_id: str) -> str:
    """The file name (without suffix) for an id: the template filled in, then made safe.

    >>> file_name("{stream_id}", "7f3c"), file_name("heygen-{stream_id}", "A/B").split("~")[0]
    ('7f3c', 'heygen-A_B')
    """
    return safe_name(template.format(stream_id=stream_id))


def read_ids(arguments: Sequence[str] = (), ids_file: str | os.PathLike[str] | None = None) -> list[str]:
    """Ids from arguments and an ids file (``-`` for standard input, as an argument too).

    One id a line; blank lines and ``#`` comments are skipped; repeats collapse, order kept.

    Raises:
        ConfigurationError: a file can't be read, or there are no ids at all.
    """
    lines: list[str] = []
    sources: list[str] = [os.fspath(ids_file)] if ids_file is not None else []
    for argument in arguments:
        if argument == "-":
            sources.append("-")
        else:
            lines.append(argument)
    for source in dict.fromkeys(sources):
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except OSError as exc:
            raise ConfigurationError(f"cannot read the ids file {source!r} ({exc.strerror})", key="ids_file") from None
        lines += [line.split("#", 1)[0].strip() for line in _decode_ids(data, "standard input" if source == "-" else source)]
    ids = list(dict.fromkeys(line for line in lines if line))
    if not ids:
        raise ConfigurationError(
            "no stream ids given", key="stream_ids",
            hint="Pass ids as arguments, in an ids file, or on standard input with -.",
        )
    return ids


def _decode_ids(data: bytes, source: str) -> list[str]:
    """The lines of an ids file: UTF-8, a byte order mark dropped; anything else is refused, naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigurationError(f"the ids file {source!r} is UTF-16, not UTF-8", key="ids_file",
                                 hint="Save it as UTF-8 (one id a line).")
    try:
        return data.decode("utf-8").removeprefix("\ufeff").splitlines()
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigurationError(
            f"the ids file {source!r} is not UTF-8 (line {line} holds the byte 0x{data[exc.start]:02x})",
            key="ids_file", hint="Save it as UTF-8 (one id a line).",
        ) from None


def id_problem(stream_id: str) -> str | None:
    """Why an id can't be asked for (it can't be sent in a URL path as UTF-8), or None.

    >>> id_problem("7f3c2a1e"), id_problem("bad\\udcff"), id_problem("a\\nb")
    (None, 'it is not valid UTF-8', 'it holds control characters')
    """
    try:
        stream_id.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not valid UTF-8"
    if printable(stream_id) != stream_id:
        return "it holds control characters"
    if len(stream_id) > 1000:
        return "it is longer than 1,000 characters"
    return None


def clash(stream_id: str, files: list[str], names: dict[str, str], owners: dict[str, str]) -> str | None:
    """Two ids must never share a file: not in one run, not across runs (checked, whatever the template)."""
    for name in files:
        other = names.get(name) or owners.get(name)
        if other is not None and other != stream_id:
            return f"its file {name} would replace that of stream {other!r}"
    return None
