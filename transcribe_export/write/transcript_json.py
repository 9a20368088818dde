"""The JSON transcript: every word and its timing, plus how the cues were cut.

A superset of Whisper's ``verbose_json`` (``text`` and
``segments[{id, start, end, text, words}]``), so tools that read Whisper
output read ours. On top it keeps the tokens exactly as HeyGen sent them
(``tokens``), the session metadata and the segmentation settings, so a
later run can re-cut the captions (``transcribe-export convert``) without
calling the API again. The format is versioned (``format_version``) and
described by the JSON Schema shipped at ``transcribe_export/schema/``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from transcribe_export._version import __version__
from transcribe_export.models import TRANSCRIPT_FORMAT, Cue, Transcript, Word
from transcribe_export.scripts import join_lines
from transcribe_export.tokens import ms_text, seconds_text

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "assemble", "header", "render_json", "segment", "transcript_dict", "word"]

FORMAT_NAME = TRANSCRIPT_FORMAT
FORMAT_VERSION = 1


def transcript_dict(transcript: Transcript, *, words: bool = True, timeline: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON transcript as a dict (:func:`render_json` writes the same, faster).

    Args:
        words: include the word lists (``segments[].words`` and ``tokens``);
            :func:`render_json` writes those itself.
        timeline: the shift the other files were written with; the times
            here stay the session's own.
    """
    segments = [
        {
            "id": number,
            "start": cue.start_ms / 1000,
            "end": cue.end_ms / 1000,
            "text": join_lines(cue.lines),
            "lines": list(cue.lines),
            "break_reason": cue.reason,
            "line_break_reasons": list(cue.line_reasons),
            "words": [word.as_dict() for word in cue.words] if words else [],
        }
        for number, cue in enumerate(transcript.cues)
    ]
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exporter": {"name": "transcribe-export", "version": __version__},
        "stream_id": transcript.stream_id,
        "session": {
            "status": transcript.status,
            "end_reason": transcript.end_reason,
            "end_event": transcript.end_event,
        },
        "collection": transcript.stats.as_dict(),
        "segmentation": dict(transcript.settings),
        **({"timeline": timeline} if timeline is not None else {}),
        "text": join_lines([join_lines(cue.lines) for cue in transcript.cues]),
        "segments": segments,
        "tokens": [word.as_dict() for word in transcript.words] if words else [],
    }


# One encoder for every item: json.dumps with options builds a new one per call.
_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
_string = json.encoder.encode_basestring  # the C string encoder json itself uses


def word(token: Word) -> str:
    """One token as JSON: the hot path of a long transcript, so written out by hand.

    Numbers are written as ``repr`` writes them, which is what ``json`` does
    (they were validated finite; :func:`~transcribe_export.tokens.seconds_text` writes the usual
    ones from their milliseconds, faster), so the output is the same as ``_dumps(token.as_dict())``.

    >>> word(Word("a\\"b", 1, 2.5)) == _dumps(Word("a\\"b", 1, 2.5).as_dict())
    True
    """
    start, end = seconds_text(token.start, token.start_ms), seconds_text(token.end, token.end_ms)
    return f'{{"word": {_string(token.text)}, "start": {start}, "end": {end}}}'


def render_json(transcript: Transcript, *, timeline: dict[str, Any] | None = None) -> str:
    """The JSON transcript as text: one key per line, one list item per line.

    ``json.dumps(indent=…)`` falls back to the pure-Python encoder, which
    is several times slower on an hour of words; this layout stays readable
    and uses the C encoder for every item.
    """
    cues = transcript.cues
    texts = [join_lines(cue.lines) for cue in cues]
    words = [word(w) for w in transcript.words]
    segments = []
    position = 0
    for index, cue in enumerate(cues):
        count = len(cue.words)
        segments.append(segment(index, cue, texts[index], words[position : position + count]))
        position += count
    document = header(transcript, join_lines(texts), timeline)
    tokens = [",\n    ".join(words)] if words else []  # one piece: one more copy of the tokens, but one call, not 10^4
    del words, texts  # each token's own string: not held while the whole text is joined
    return assemble(document, segments, tokens)


def header(transcript: Transcript, text: str, timeline: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every key of the JSON transcript, from :func:`transcript_dict` with no cues and no words; its
    ``text`` (the cues' texts by :func:`~transcribe_export.scripts.join_lines`) given, as the segments
    and the tokens will be to :func:`assemble`."""
    document = transcript_dict(replace(transcript, cues=(), words=()), words=False, timeline=timeline)
    document["text"] = text
    return document


def segment(index: int, cue: Cue, text: str, words: list[str]) -> str:
    """Cue ``index`` as a segment of the JSON transcript (``text``: its lines joined; ``words``: its
    tokens, each as :func:`word` writes it): :func:`transcript_dict`'s segment, as json writes it (a
    test holds the two together)."""
    return (
        f'{{"id": {index}, "start": {ms_text(cue.start_ms)}, "end": {ms_text(cue.end_ms)}, '
        f'"text": {_string(text)}, "lines": [{", ".join(map(_string, cue.lines))}], '
        f'"break_reason": {_string(cue.reason)}, '
        f'"line_break_reasons": [{", ".join(map(_string, cue.line_reasons))}], '
        f'"words": [{", ".join(words)}]}}'
    )


def assemble(document: dict[str, Any], segments: list[str], tokens: list[str]) -> str:
    """The JSON transcript's text: the keys of ``document`` (:func:`header`), one per line, with
    ``segments`` (:func:`segment`, one per cue) and ``tokens`` (pieces of one or more tokens, each
    token as :func:`word` writes it, joined by ``",\\n    "``) written in place of their lists.

    One flat list of pieces, joined once: a ten-hour transcript is tens of megabytes, and every
    intermediate string (a list's body, then its line) would hold another copy of it.
    """
    parts = ["{\n"]
    for number, (key, value) in enumerate(document.items()):
        if number:
            parts.append(",\n")
        if key in ("segments", "tokens") and (segments if key == "segments" else tokens):
            parts.append(f'  "{key}": [\n    ')
            for index, piece in enumerate(segments if key == "segments" else tokens):
                if index:
                    parts.append(",\n    ")
                parts.append(piece)
            parts.append("\n  ]")
        elif isinstance(value, list) and value:
            body = ",\n    ".join(_dumps(item) for item in value)
            parts.append(f"  {_dumps(key)}: [\n    {body}\n  ]")
        else:
            parts.append(f"  {_dumps(key)}: {_dumps(value)}")
    parts.append("\n}\n")
    return "".join(parts)
