"""TTML in the IMSC 1.1 Text Profile (``.ttml``), written by ``ttconv``.

IMSC 1.1 (W3C Recommendation, https://www.w3.org/TR/ttml-imsc1.1/) is the
timed-text format Netflix and most streaming deliveries take. We build
ttconv's document model from our cues and let ttconv's IMSC writer
serialize it: ttconv (sandflow, https://github.com/sandflow/ttconv) is the
reference implementation of IMSC conversion, so escaping, namespaces and
time expressions are its, not ours.

- one ``<p>`` per cue, one ``<span>`` per line, ``<br/>`` between lines:
  our line breaks are kept, never reflowed;
- ``xml:lang`` from the transcript's language; ``ttp:contentProfiles``
  names the IMSC 1.1 Text Profile;
- times are frames (``ttp:frameRate``) when the preset snaps to a frame
  rate, media time (``HH:MM:SS.fff``) otherwise;
- a cue whose first strong character reads right to left gets
  ``tts:direction="rtl"``, so its full stop sits at the left end;
- one region at the bottom of the title-safe area (10% margins), white
  text with a black outline (within IMSC's limit of 10% of the font size).
"""

from __future__ import annotations

import xml.etree.ElementTree as et
from fractions import Fraction
from typing import Sequence

from ttconv import model
from ttconv import style_properties as styles
from ttconv.imsc import writer as imsc_writer
from ttconv.imsc.attributes import TimeExpressionSyntaxEnum
from ttconv.imsc.config import ContentProfilesSignaling, IMSCWriterConfiguration

from transcribe_export.models import FRAME_RATES, Transcript
from transcribe_export.scripts import is_rtl

__all__ = ["IMSC_TEXT_PROFILE", "bcp47", "paragraph", "render_ttml"]

#: the designator of the IMSC 1.1 Text Profile (IMSC 1.1 §6.2).
IMSC_TEXT_PROFILE = "http://www.w3.org/ns/ttml/profile/imsc1.1/text"



def bcp47(language: object) -> str:
    """The ``xml:lang`` value for a preset's language: its code, or empty (unknown) for ``other``.

    >>> bcp47("fr"), bcp47("other"), bcp47(None)
    ('fr', '', '')
    """
    return language if isinstance(language, str) and language.isalpha() and language != "other" else ""


def paragraph(doc: model.ContentDocument, lines: Sequence[str], begin: Fraction, end: Fraction) -> model.P:
    """One cue in ttconv's model: a ``<p>`` with a ``<span>`` per line and ``<br/>`` between (SCC builds on it too)."""
    element = model.P(doc)
    element.set_begin(begin)
    element.set_end(end)
    for number, line in enumerate(lines):
        if number:
            element.push_child(model.Br(doc))
        span = model.Span(doc)
        span.push_child(model.Text(doc, line))
        element.push_child(span)
    return element


def document(transcript: Transcript, rate: Fraction | None = None) -> model.ContentDocument:
    """ttconv's model of the transcript's cues: times in seconds, or on the nearest frame at ``rate``.

    Times on frames are whole milliseconds, a fraction of a millisecond off the
    frame itself; the nearest frame is the one they stand for.
    """

    def when(ms: int) -> Fraction:
        return Fraction(ms, 1000) if rate is None else round(Fraction(ms, 1000) * rate) / rate

    doc = model.ContentDocument()
    doc.set_lang(bcp47(transcript.settings.get("language")))
    doc.set_content_profiles({IMSC_TEXT_PROFILE})
    region = model.Region("bottom", doc)
    percent = styles.LengthType.Units.pct
    margin, extent = styles.LengthType(10, percent), styles.LengthType(80, percent)
    region.set_style(styles.StyleProperties.Origin, styles.CoordinateType(margin, margin))
    region.set_style(styles.StyleProperties.Extent, styles.ExtentType(extent, extent))
    region.set_style(styles.StyleProperties.DisplayAlign, styles.DisplayAlignType.after)
    region.set_style(styles.StyleProperties.TextAlign, styles.TextAlignType.center)
    region.set_style(styles.StyleProperties.FontFamily, (styles.GenericFontFamilyType.proportionalSansSerif,))
    region.set_style(styles.StyleProperties.LineHeight, styles.LengthType(125, percent))
    region.set_style(styles.StyleProperties.Color, styles.NamedColors.white.value)
    region.set_style(
        styles.StyleProperties.TextOutline,
        styles.TextOutlineType(styles.LengthType(5, percent), styles.NamedColors.black.value),
    )
    doc.put_region(region)
    body = model.Body(doc)
    body.set_region(region)
    doc.set_body(body)
    div = model.Div(doc)
    body.push_child(div)
    for cue in transcript.cues:
        element = paragraph(doc, cue.lines, when(cue.start_ms), when(cue.end_ms))
        if is_rtl("".join(cue.lines)):
            element.set_style(styles.StyleProperties.Direction, styles.DirectionType.rtl)
        div.push_child(element)
    return doc


def render_ttml(transcript: Transcript) -> str:
    """The transcript's cues as an IMSC 1.1 Text Profile document (UTF-8 XML, LF line endings)."""
    fps = transcript.settings.get("fps")
    rate = FRAME_RATES.get(str(fps)) if fps is not None else None
    config = IMSCWriterConfiguration(
        time_format=TimeExpressionSyntaxEnum.frames if rate is not None else TimeExpressionSyntaxEnum.clock_time,
        fps=rate,
        profile_signaling=ContentProfilesSignaling.CONTENT_PROFILES,
    )
    tree = imsc_writer.from_model(document(transcript, rate), config)
    text = str(et.tostring(tree.getroot(), encoding="unicode", xml_declaration=True))
    # One cue a line, for people reading the file: whitespace between a div's elements is not content
    # (TTML2 §8.1.3: a div holds elements only); a "<" inside a cue is always escaped, so this finds tags only.
    return text.replace("><p ", ">\n<p ").replace("</p></div>", "</p>\n</div>") + "\n"
