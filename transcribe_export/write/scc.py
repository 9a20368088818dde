"""Scenarist SCC (``.scc``): CEA-608 pop-on captions at 29.97 fps drop-frame, written by ``ttconv``.

US broadcast and editing suites (Premiere Pro, Final Cut Pro, Avid) exchange
line-21 captions as SCC. ttconv (https://github.com/sandflow/ttconv) turns
its document model into the byte pairs; we give it cues that CEA-608 can
carry (docs/caption-rules.md §6), and check what it cannot check for us:

- **Characters.** CEA-608 has a standard set, 16 special characters and
  extended sets for Spanish, French, Portuguese, German and Danish. ttconv
  writes the first two and turns anything else into a space; we teach it the
  extended sets, each sent after a standard character that decoders without
  them show instead (CTA-608-E §6.4). A character outside all of them is
  replaced by the substitute in :data:`SUBSTITUTES` or by its base letter
  (``ő`` -> ``o``), and where there is none the session fails with a
  :class:`~transcribe_export.errors.FormatError` naming the characters:
  nothing is dropped silently.
- **Rows and columns.** At most 4 rows of 32 characters: longer lines are an
  error, never reflowed (the pipeline cuts SCC with the ``scc`` preset).
- **Bandwidth.** Line 21 carries 2 characters a frame, and a pop-on caption
  is loaded before it is shown, after the one before it has been loaded. A
  caption that cannot be loaded in time is shown a few frames late (as a
  broadcast encoder does); one that could not be shown at all is an error.
  ttconv clears a caption (EDM) inside the next one's load, two frames
  early; we ask for the clear two frames later so it lands on the cue's
  out-time.
"""

from __future__ import annotations

import logging
import unicodedata
from fractions import Fraction
from typing import Sequence

from ttconv import model
from ttconv import style_properties as styles
from ttconv.scc import writer as scc_writer
from ttconv.scc.codes.extended_characters import SccExtendedCharacter
from ttconv.scc.config import SccWriterConfiguration

from transcribe_export.errors import FormatError
from transcribe_export.models import Transcript
from transcribe_export.write.ttml import paragraph

__all__ = ["COLUMNS", "RATE", "ROWS", "SUBSTITUTES", "render_scc", "scc_text"]

log = logging.getLogger(__name__)

COLUMNS = 32
ROWS = 4
RATE = Fraction(30000, 1001)  # 29.97 fps, the SCC time base
_GROUP = 32

#: Characters outside CEA-608 and what is shown instead (typographic forms a
#: transcript often holds). Anything else falls back to its base letter.
SUBSTITUTES = {
    "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'", "\u201a": ",", "\u201e": '"', "\u2039": "'", "\u203a": "'",
    "\u2014": "--", "\u2013": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-", "\u2026": "...",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2002": " ", "\u2003": " ", "\u00b7": ".",
}
_EXTENDED = {char.get_unicode_value(): char.get_ch1_value() for char in SccExtendedCharacter}
# What decoders without the extended sets show, sent before each extended character.
_FALLBACK = {"\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u00a1": "!", "*": ".",
             "\\": "/", "_": "-", "{": "(", "}": ")", "|": "!", "~": "-", "\u00a9": "c", "\u00a5": "Y", "\u00df": "s"}
_standard = scc_writer.unicode_to_scc  # ttconv's: the standard and special sets, a space for anything else


def _encode(char: str) -> bytes:
    """The line-21 bytes of one character, extended sets included (standard fallback, padding, code)."""
    code = _EXTENDED.get(char)
    if code is None or char == "'":
        return bytes(_standard(char))
    base = unicodedata.normalize("NFKD", char)[0]
    fallback = base if base.isascii() and base.isalpha() else _FALLBACK.get(char, "-")
    # A 0 pads the fallback to a whole byte pair, so the code starts a pair of its own.
    return bytes(_standard(fallback)) + bytes((0, code >> 8, code & 0xFF))


scc_writer.unicode_to_scc = _encode  # ttconv looks the function up here for each character it writes


def _can_send(char: str) -> bool:
    return char == " " or char in _EXTENDED or _standard(char) != b" "


def scc_text(text: str) -> tuple[str, list[str]]:
    """``text`` in characters CEA-608 can show, and the characters that had no substitute.

    >>> scc_text("Müller’s café — «oui»… ő")
    ("Müller's café -- «oui»... o", [])
    >>> scc_text("日本 ok")
    ('日本 ok', ['日', '本'])
    """
    out = []
    missing = []
    for char in text:
        if _can_send(char):
            out.append(char)
            continue
        substitute = SUBSTITUTES.get(char)
        if substitute is None:
            base = unicodedata.normalize("NFKD", char)[0]
            substitute = base if base != char and _can_send(base) else None
        if substitute is None:
            missing.append(char)
            out.append(char)
        else:
            out.append(substitute)
    return "".join(out), missing


def _load_frames(lines: Sequence[str]) -> int:
    """Frames ttconv's pop-on load of these lines takes (its byte layout: doubled control codes, padded pairs)."""
    size = 0

    def control() -> None:
        nonlocal size
        size += (size % 2) + 4

    control()  # RCL
    control()  # ENM
    for line in lines:
        control()  # PAC
        size += ((COLUMNS - len(line)) // 2) % 4  # centring spaces after the PAC's indent
        for char in line:
            data = _encode(char)
            if len(data) > 1 and size % 2:
                size += 1
            size += len(data)
    control()  # EOC
    return (size + 1) // 2


def _frame(ms: int) -> int:
    return round(Fraction(ms, 1000) * RATE)


def _schedule(cues: Sequence[tuple[int, int, tuple[str, ...]]], stream_id: str) -> list[tuple[int, int]]:
    """(display frame, clear frame to ask ttconv for) per cue: late enough to load, clears on time."""
    shown: list[int] = []
    loads: list[int] = []
    late = 0
    for number, (start, end, lines) in enumerate(cues, 1):
        load = _load_frames(lines)
        earliest = load - 2 if not shown else shown[-1] + load + 2
        display = max(_frame(start), earliest)
        if display >= _frame(end):
            raise FormatError(
                f"SCC cannot show cue {number} in time: CEA-608 sends 2 characters a frame, and the caption before it "
                "is still being sent when this one should already be gone", stream_id=stream_id,
                hint="Cut with a longer `min_duration`, or leave `scc` out of `formats`.",
            )
        late = max(late, display - _frame(start))
        shown.append(display)
        loads.append(load)
    if late:
        log.info("stream %r: SCC captions shown up to %d frames late, to be loaded in time", stream_id, late)
    schedule = []
    for index, (_, end, _) in enumerate(cues):
        clear = _frame(end)
        if index + 1 < len(cues):
            next_load_begins = shown[index + 1] - loads[index + 1] + 2
            if clear + 4 >= next_load_begins:  # ttconv moves this clear into the next load, two frames early
                clear = min(clear + 2, shown[index + 1])
        schedule.append((shown[index], clear))
    return schedule


def render_scc(transcript: Transcript) -> str:
    """The transcript's cues as CEA-608 pop-on captions in an SCC file (29.97 fps drop-frame time codes).

    Raises:
        FormatError: a line longer than 32 characters or a cue of more than
            4 rows, a character CEA-608 cannot show, a cue that cannot be
            loaded before it should be gone, or a time past 24 hours.
    """
    if transcript.cues and transcript.cues[-1].end_ms >= 86_400_000:
        raise FormatError(
            f"cue {len(transcript.cues)} ends at {transcript.cues[-1].end_ms / 1000:.3f} s; SCC time codes stop at "
            "23:59:59;29", stream_id=transcript.stream_id, hint="Give an earlier `start_timecode`.",
        )
    cues = []
    missing: dict[str, int] = {}
    for number, cue in enumerate(transcript.cues, 1):
        lines = []
        for line in cue.lines:
            text, lost = scc_text(line)
            for char in lost:
                missing.setdefault(char, number)
            if len(text) > COLUMNS:
                raise FormatError(
                    f"cue {number} has a line of {len(text)} characters; a CEA-608 row holds {COLUMNS}",
                    stream_id=transcript.stream_id, hint="Cut SCC with the `preset` scc (the pipeline does).",
                )
            lines.append(text)
        if len(lines) > ROWS:
            raise FormatError(f"cue {number} has {len(lines)} lines; a CEA-608 pop-on caption has at most {ROWS}",
                              stream_id=transcript.stream_id, hint="Cut SCC with the `preset` scc (the pipeline does).")
        cues.append((cue.start_ms, cue.end_ms, tuple(lines)))
    if missing:
        shown = ", ".join(f"{char!r} (U+{ord(char):04X}, cue {number})" for char, number in list(missing.items())[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise FormatError(
            f"SCC (CEA-608) has no character for {shown}{more}", stream_id=transcript.stream_id,
            hint="CEA-608 carries Latin text; leave `scc` out of `formats` for this session.",
        )
    doc = model.ContentDocument()
    region = model.Region("bottom", doc)
    region.set_style(styles.StyleProperties.TextAlign, styles.TextAlignType.center)
    region.set_style(styles.StyleProperties.DisplayAlign, styles.DisplayAlignType.after)
    doc.put_region(region)
    body = model.Body(doc)
    body.set_region(region)
    doc.set_body(body)
    # ttconv works out what is on screen at each change by walking the whole document: one timed div
    # per group of cues lets it skip the groups not on screen (an hour: 0.3 s instead of 3 s).
    # A child's times count from its parent's begin.
    timed = list(zip(_schedule(cues, transcript.stream_id), cues))
    for first in range(0, len(timed), _GROUP):
        group = timed[first : first + _GROUP]
        div = model.Div(doc)
        origin = group[0][0][0]
        div.set_begin(origin / RATE)
        div.set_end(max(clear for (_, clear), _ in group) / RATE)
        body.push_child(div)
        for (display, clear), (_, _, cue_lines) in group:
            div.push_child(paragraph(doc, cue_lines, (display - origin) / RATE, (clear - origin) / RATE))
    if not cues:
        return "Scenarist_SCC V1.0\n"
    config = SccWriterConfiguration(allow_reflow=False, force_popon=True)
    return str(scc_writer.from_model(doc, config)) + "\n"
