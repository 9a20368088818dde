"""The delivery formats (TTML, SCC, ASS, text) and the editor's timeline, read back by the readers made for them.

TTML by ttconv's IMSC reader, SCC by ttconv's SCC reader and ffmpeg, ASS by
pysubs2 and ffmpeg's libass renderer. What each file should hold comes from
the JSON transcript of the same run (the words and cue times, parsed with
``json``) or is worked out by hand in the test; never from the writer itself.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as et
from fractions import Fraction
from pathlib import Path
from typing import Any

import pysubs2
import pytest
import srt
import webvtt
from click.testing import CliRunner
from ttconv import model
from ttconv.imsc import reader as imsc_reader
from ttconv.isd import ISD
from ttconv.scc import reader as scc_reader

import transcribe_export as tx
from conftest import KEY, SAMPLES, outputs
from transcribe_export.cli import main
from transcribe_export.errors import ConfigurationError
from transcribe_export.models import CollectStats, Cue, Transcript, Word
from transcribe_export.write.timeline import WriteOptions, parse_offset, parse_timecode

FFMPEG = shutil.which("ffmpeg")
NTSC = Fraction(30000, 1001)
FRAME_MS = 1000 / NTSC  # one 29.97 fps frame, in milliseconds
LATIN = ["es-bienvenida", "product-demo", "support-answer"]
ALL = LATIN + ["ja-tutorial"]
PRESET = {"es-bienvenida": "netflix-es", "ja-tutorial": "netflix-ja", "product-demo": "netflix-en", "support-answer": "bbc"}


def export(tmp_path: Path, sample: str, formats: str, **options: Any) -> tuple[Path, dict[str, Any]]:
    """Convert one sample into tmp_path; its folder and its JSON transcript, parsed."""
    folder = tmp_path / "out"
    (outcome,) = tx.convert([SAMPLES / f"{sample}.sse"], out_dir=folder, formats=f"{formats},json", **options)
    assert outcome.outcome == "exported", outcome.reason
    return folder, json.loads((folder / f"{sample}.json").read_text(encoding="utf-8"))


def words_of(text: str) -> list[str]:
    return text.split()


def shown_by_ttconv(doc: Any) -> list[tuple[float, float, list[str]]]:
    """(begin s, end s, lines) of what a ttconv document shows, from its ISD sequence (what is on screen when)."""

    def walk(element: Any, lines: list[str]) -> list[str]:
        if isinstance(element, (model.P, model.Br)):
            lines.append("")
        if isinstance(element, model.Text):
            lines[-1] += element.get_text()
        for child in element:
            walk(child, lines)
        return lines

    states = []
    for begin, isd in ISD.generate_isd_sequence(doc):
        lines = [line.strip() for region in isd.iter_regions() for line in walk(region, [])]
        states.append((float(begin), [line for line in lines if line]))
    return [(b, e, lines) for (b, lines), (e, _) in zip(states, states[1:]) if lines]


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def read_with_warnings(read: Any) -> tuple[Any, list[str]]:
    records = Records()
    logging.getLogger("ttconv").addHandler(records)
    try:
        return read(), records.messages
    finally:
        logging.getLogger("ttconv").removeHandler(records)


# -- TTML (IMSC 1.1 Text Profile) --------------------------------------------------------


@pytest.mark.parametrize("sample", ALL)
def test_ttml_reads_back_through_ttconvs_imsc_reader(sample: str, tmp_path: Path) -> None:
    folder, doc = export(tmp_path, sample, "ttml", preset=PRESET[sample])
    path = folder / f"{sample}.ttml"
    root = et.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/ns/ttml}tt"
    assert root.get("{http://www.w3.org/ns/ttml#parameter}contentProfiles") == "http://www.w3.org/ns/ttml/profile/imsc1.1/text"
    language = "ja" if sample == "ja-tutorial" else "es" if sample.startswith("es") else "en"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    # IMSC 1.1 Text Profile: no images, text only; the outline at most 10% of the font size.
    assert not root.findall(".//{http://www.w3.org/ns/ttml}image")
    outlines = {e.get("{http://www.w3.org/ns/ttml#styling}textOutline") for e in root.iter()} - {None}
    assert all(float(re.search(r"([\d.]+)%", o).group(1)) <= 10 for o in outlines)  # type: ignore[union-attr]
    # ttconv's reader checks the document against the profile as it reads: not one complaint.
    read, complaints = read_with_warnings(lambda: imsc_reader.to_model(et.parse(path)))
    assert complaints == []
    shown = shown_by_ttconv(read)
    segments = doc["segments"]
    assert [lines for _, _, lines in shown] == [s["lines"] for s in segments]  # text, order and line breaks
    for (begin, end, _), segment in zip(shown, segments):  # media time: to the millisecond
        assert abs(begin - segment["start"]) < 0.0005 and abs(end - segment["end"]) < 0.0005


def test_ttml_counts_frames_when_the_preset_is_on_frames(tmp_path: Path) -> None:
    folder, doc = export(tmp_path, "product-demo", "ttml", fps="25")
    root = et.parse(folder / "product-demo.ttml").getroot()
    assert root.get("{http://www.w3.org/ns/ttml#parameter}frameRate") == "25"
    first = root.find(".//{http://www.w3.org/ns/ttml}p")
    assert first is not None and re.fullmatch(r"\d+f", first.get("begin", ""))
    assert int(first.get("begin", "")[:-1]) == round(doc["segments"][0]["start"] * 25)


def arabic_transcript() -> Transcript:
    words = (Word("مرحبا", 1.0, 1.5), Word("بكم.", 1.5, 2.0))
    cue = Cue(1000, 2500, ("مرحبا بكم.",), words)
    return Transcript("ar-1", "completed", None, None, words, (cue,), {"algorithm": "t", "name": "t", "language": "ar"},
                      CollectStats())


def test_ttml_marks_a_right_to_left_cue() -> None:
    root = et.fromstring(tx.to_ttml(arabic_transcript()).encode())
    (paragraph,) = root.iter("{http://www.w3.org/ns/ttml}p")
    assert paragraph.get("{http://www.w3.org/ns/ttml#styling}direction") == "rtl"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"


# -- SCC (CEA-608) -------------------------------------------------------------------------


def scc_cues(path: Path) -> list[tuple[float, float, list[str]]]:
    read, complaints = read_with_warnings(lambda: scc_reader.to_model(path.read_text(encoding="utf-8")))
    assert complaints == []
    return shown_by_ttconv(read)


def load_frames_at_most(lines: list[str]) -> int:
    """An upper bound, from CEA-608, on the frames a pop-on caption takes to send.

    Two bytes a frame; each control code (RCL, ENM, a PAC per row, EOC) is sent twice,
    a special or extended character takes a pair of its own (plus its standard
    fallback, plus a pad), and centring adds up to 3 spaces a row.
    """
    chars = sum(len(line) for line in lines)
    wide = sum(1 for line in lines for c in line if not (c.isascii() and c.isprintable()) or c in "*\\^_`{|}~")
    return 2 * (3 + len(lines)) + (chars + 3 * len(lines) + 3 * wide + 1) // 2 + 1


@pytest.mark.parametrize("sample", LATIN)
def test_scc_reads_back_through_ttconv_with_text_and_times(sample: str, tmp_path: Path) -> None:
    folder, doc = export(tmp_path, sample, "scc", preset="scc", start_timecode="01:00:00;00")
    text = (folder / f"{sample}.scc").read_text(encoding="utf-8")
    assert text.startswith("Scenarist_SCC V1.0\n")
    assert re.findall(r"^(\d\d:\d\d:\d\d[:;]\d\d)\t", text, re.MULTILINE)[0].startswith("00:59:5")  # loaded before 01:00:00;00
    assert all(";" in tc for tc in re.findall(r"^(\S+)\t", text, re.MULTILINE))  # drop-frame time codes
    shown = scc_cues(folder / f"{sample}.scc")
    segments = doc["segments"]
    assert [lines for _, _, lines in shown] == [s["lines"] for s in segments]  # the scc preset's cues, as cut
    shift = float(parse_timecode("01:00:00;00"))
    assert shift == pytest.approx(107892 * 1001 / 30000)  # 01:00:00;00 is frame 107,892 at 29.97 drop-frame
    previous_start = None
    for (begin, end, lines), segment in zip(shown, segments):
        start_ms, end_ms = (segment["start"] + shift) * 1000, (segment["end"] + shift) * 1000
        assert abs(end * 1000 - end_ms) <= FRAME_MS  # cleared within a frame of the out-time
        late = begin * 1000 - start_ms
        assert late >= -FRAME_MS  # never early
        if late > FRAME_MS:  # late only where line 21 could not have sent it in time
            assert previous_start is not None and start_ms - previous_start < (load_frames_at_most(lines) + 4) * FRAME_MS
            assert late <= load_frames_at_most(lines) * FRAME_MS
        previous_start = begin * 1000


@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed")
@pytest.mark.parametrize("sample", LATIN)
def test_ffmpeg_reads_the_same_words_from_scc(sample: str, tmp_path: Path) -> None:
    folder, doc = export(tmp_path, sample, "scc")  # the default preset: SCC is cut again to 32 columns
    # ffmpeg's CEA-608 decoder, to ASS (its SRT output drops text after a spoken "<"). It gives load
    # times, not display times, so only the text is compared.
    done = subprocess.run([FFMPEG, "-loglevel", "error", "-i", str(folder / f"{sample}.scc"), "-f", "ass", "-"],
                          capture_output=True, text=True, check=True)  # type: ignore[list-item]
    events = [line.split(",", 9)[9] for line in done.stdout.splitlines() if line.startswith("Dialogue:")]
    # its position tags, line breaks and centring hard spaces aside; CEA-608's apostrophe is shown as ’
    shown = " ".join(re.sub(r"\{[^}]*\}|\\N|\\h", " ", event) for event in events).replace("\u2019", "'")
    assert words_of(shown) == words_of(doc["text"])


def test_scc_carries_the_extended_sets_and_substitutes_the_rest(tmp_path: Path) -> None:
    spoken = "Zoë’s naïve café — «oui», ¿sí? Straße… {x}"
    words = tuple(Word(token, 1 + i * 0.4, 1.3 + i * 0.4) for i, token in enumerate(spoken.split()))
    t = Transcript("x-1", "completed", None, None, words, tuple(tx.segment(words, preset="scc")),
                   {"algorithm": "t", "name": "scc", "language": "fr"}, CollectStats())
    path = tmp_path / "x.scc"
    path.write_text(tx.to_scc(t), encoding="utf-8")
    shown = " ".join(" ".join(lines) for _, _, lines in scc_cues(path))
    # CEA-608 has ë ï é « » ¿ í ß { } (extended and standard sets): kept. ’ — … are not in it: their substitutes.
    assert shown == "Zoë's naïve café -- «oui», ¿sí? Straße... {x}"


def test_scc_refuses_what_cea608_cannot_show_and_writes_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "ja-tutorial.sse"), "-o", str(tmp_path), "-f", "srt,scc"])
    assert result.exit_code == 1
    assert "ja-tutorial" in result.output and "SCC (CEA-608) has no character for" in result.output
    assert "U+" in result.output and "Traceback" not in result.output
    assert outputs(tmp_path) == []


# -- ASS (pysubs2, libass) -------------------------------------------------------------------


@pytest.mark.parametrize("sample", ALL)
def test_ass_reads_back_through_pysubs2(sample: str, tmp_path: Path) -> None:
    folder, doc = export(tmp_path, sample, "ass", preset=PRESET[sample])
    subs = pysubs2.load(str(folder / f"{sample}.ass"))
    assert subs.info["PlayResY"] == "1080" and subs.styles["Default"].fontsize == 54
    events = [e for e in subs.events if not e.is_comment]
    assert [e.plaintext.split("\n") for e in events] == [s["lines"] for s in doc["segments"]]
    for event, segment in zip(events, doc["segments"]):  # centiseconds, rounded inwards
        assert 0 <= event.start - segment["start"] * 1000 < 10 and 0 <= segment["end"] * 1000 - event.end < 10


def frame(ass_text: str, tmp_path: Path, name: str) -> bytes:
    """One 320x180 grey frame of an ASS script burnt in by ffmpeg's subtitles filter (libass)."""
    path = tmp_path / f"{name}.ass"
    path.write_text(ass_text, encoding="utf-8")
    return subprocess.run(
        [FFMPEG, "-loglevel", "error", "-f", "lavfi", "-i", "color=black:s=320x180:d=2", "-vf", f"subtitles={path}",
         "-ss", "1.2", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],  # type: ignore[list-item]
        capture_output=True, check=True,
    ).stdout


def one_cue(text: str, language: str = "en") -> str:
    words = (Word(text, 1.0, 1.5),)
    t = Transcript("a", "completed", None, None, words, (Cue(1000, 2000, (text,), words),),
                   {"algorithm": "t", "name": "t", "language": language}, CollectStats())
    small = tx.to_ass(t).replace("PlayResX: 1920", "PlayResX: 320").replace("PlayResY: 1080", "PlayResY: 180")
    return re.sub(r"Style: Default,Arial,54,", "Style: Default,DejaVu Sans,30,", small)


@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed")
def test_libass_shows_braces_and_backslashes_as_spoken(tmp_path: Path) -> None:
    # libass hides an override block: written raw, "{x}" would leave the frame black.
    assert not any(frame(one_cue("{x}").replace("\\{x\\}", "{x}"), tmp_path, "raw"))
    assert any(frame(one_cue("{x}"), tmp_path, "ours"))
    # "\N" is a line break to libass; ours stays one line: the same height as a plain "xN".
    def rows(picture: bytes) -> int:
        return sum(1 for y in range(180) if any(picture[y * 320 : (y + 1) * 320]))
    assert rows(frame(one_cue("a\\Nb"), tmp_path, "slash")) == rows(frame(one_cue("a/Nb"), tmp_path, "plain"))


@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed")
def test_libass_puts_an_arabic_full_stop_at_the_left_end(tmp_path: Path) -> None:
    # Read right to left, "ممم." ends with its full stop at the left. A left-to-right line "." + "ممم"
    # draws the same picture; without the marks libass would draw the stop at the right.
    def columns(picture: bytes) -> list[bool]:  # which columns hold ink (antialiasing aside)
        return [any(picture[y * 320 + x] > 96 for y in range(180)) for x in range(320)]

    ours = columns(frame(one_cue("ممم.", "ar"), tmp_path, "ours"))
    reference = columns(frame(one_cue("\u200e.ممم").replace("\u200f", ""), tmp_path, "reference"))
    wrong = columns(frame(one_cue("ممم.").replace("\u200f", ""), tmp_path, "wrong"))
    assert any(ours)
    assert sum(a != b for a, b in zip(ours, reference)) <= 2  # a pixel of kerning at most
    assert sum(a != b for a, b in zip(ours, wrong)) > 6


# -- plain text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", ALL)
def test_txt_holds_every_word_in_order(sample: str, tmp_path: Path) -> None:
    folder, doc = export(tmp_path, sample, "txt", preset=PRESET[sample])
    text = (folder / f"{sample}.txt").read_text(encoding="utf-8")
    assert text.endswith("\n") and "\n\n\n" not in text
    assert re.sub(r"\s+", "", text) == re.sub(r"\s+", "", doc["text"])


def test_txt_starts_a_paragraph_after_a_pause_or_five_sentences() -> None:
    cues = []
    words = []
    starts = [0, 2, 4, 10, 12, 14, 16, 18, 20]  # a 4 s pause after the third sentence
    for n, start in enumerate(starts):
        word = Word(f"Sentence{n}.", start, start + 1)
        words.append(word)
        cues.append(Cue(start * 1000, start * 1000 + 1500, (word.text,), (word,)))
    t = Transcript("t", "completed", None, None, tuple(words), tuple(cues), {"algorithm": "t", "name": "t"}, CollectStats())
    assert tx.to_txt(t) == (
        "Sentence0. Sentence1. Sentence2.\n\n"
        "Sentence3. Sentence4. Sentence5. Sentence6. Sentence7.\n\n"
        "Sentence8.\n"
    )


# -- the editor's timeline -------------------------------------------------------------------------


@pytest.mark.parametrize(("timecode", "fps", "seconds"), [
    ("01:00:00:00", None, Fraction(3600)),
    ("00:00:01:12", "24", Fraction(3, 2)),
    ("01:00:00:00", "29.97", Fraction(108000 * 1001, 30000)),  # non-drop at 29.97: 108,000 frames, 3603.6 s
    ("01:00:00;00", None, Fraction(107892 * 1001, 30000)),     # drop-frame: 108,000 less 2 x 54 dropped numbers
    ("00:10:00;00", "29.97", Fraction(17982 * 1001, 30000)),   # 18,000 less 2 x 9
    ("00:01:00;02", "29.97", Fraction(1800 * 1001, 30000)),    # the first frame of minute 1 is numbered 02
    ("00:01:00;04", "59.94", Fraction(3600 * 1001, 60000)),
])
def test_timecodes_by_hand(timecode: str, fps: str | None, seconds: Fraction) -> None:
    assert parse_timecode(timecode, fps) == seconds


@pytest.mark.parametrize(("timecode", "fps", "why"), [
    ("00:01:00;00", "29.97", "skips"),
    ("00:00:00;00", "25", "only at 29.97 and 59.94"),
    ("00:00:01:25", "25", "frames run 00 to 24"),
    ("00:00:01:05", None, "no frame rate"),
    ("1:2:3", None, "HH:MM:SS:FF"),
])
def test_bad_timecodes_say_why(timecode: str, fps: str | None, why: str) -> None:
    with pytest.raises(ConfigurationError, match=why):
        parse_timecode(timecode, fps)


def test_offsets_in_seconds_or_timecode() -> None:
    assert parse_offset("-1.5") == Fraction(-3, 2) and parse_offset("+00:00:10:00") == 10
    assert WriteOptions.make(offset="-00:00:00:12", fps="24").shift_ms == -500
    with pytest.raises(ConfigurationError, match="offset"):
        parse_offset("ten")


@pytest.mark.parametrize(("timecode", "shift"), [
    ("01:00:00:00", 3600.0),
    ("01:00:00;00", 3599.996),  # drop-frame: 107,892 frames at 29.97 fps, 3.6 ms short of the hour
])
def test_every_format_moves_to_the_start_timecode_and_the_json_keeps_its_times(timecode: str, shift: float,
                                                                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "product-demo.sse"), "-o", str(out),
                                       "-f", "srt,vtt,json,ttml,scc,ass,txt", "--start-timecode", timecode])
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "product-demo.json").read_text(encoding="utf-8"))
    assert doc["timeline"] == {"shift": shift, "start_timecode": timecode, "offset": None}
    starts = [s["start"] for s in doc["segments"]]
    assert starts[0] < 1  # the JSON keeps the session's own times
    expected = [shift + s for s in starts]
    assert [s.start.total_seconds() for s in srt.parse((out / "product-demo.srt").read_text(encoding="utf-8"))] == \
        pytest.approx(expected, abs=0.0005)
    def seconds(stamp: str) -> float:  # webvtt-py gives "HH:MM:SS.mmm"
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    assert [seconds(c.start) for c in webvtt.read(str(out / "product-demo.vtt"))] == pytest.approx(expected, abs=0.0005)
    assert [e.start / 1000 for e in pysubs2.load(str(out / "product-demo.ass")).events] == pytest.approx(expected, abs=0.011)
    ttml = shown_by_ttconv(imsc_reader.to_model(et.parse(out / "product-demo.ttml")))
    assert [b for b, _, _ in ttml] == pytest.approx(expected, abs=0.0005)
    scc = scc_cues(out / "product-demo.scc")  # cut again for SCC: its first cue starts on the same word
    assert scc[0][0] == pytest.approx(expected[0], abs=0.034)  # loaded before the hour: on time, within a frame


def test_a_shift_before_zero_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "product-demo.sse"), "-o", str(tmp_path), "--offset", "-5"])
    assert result.exit_code == 1
    assert "product-demo" in result.output and "before zero" in result.output and "Traceback" not in result.output
    assert outputs(tmp_path) == []


def test_negative_offset_within_range_moves_every_cue(tmp_path: Path) -> None:
    folder, doc = export(tmp_path, "product-demo", "srt", offset="-0.25")
    shown = [s.start.total_seconds() for s in srt.parse((folder / "product-demo.srt").read_text(encoding="utf-8"))]
    assert shown == pytest.approx([s["start"] - 0.25 for s in doc["segments"]], abs=0.0005)
    assert doc["timeline"]["shift"] == -0.25


# -- files editors open without complaint ---------------------------------------------------------


def test_crlf_and_bom_where_each_format_allows(tmp_path: Path) -> None:
    folder, _ = export(tmp_path, "support-answer", "srt,vtt,ttml,scc,ass,txt", line_endings="crlf", bom=True)
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        assert b"\n" in data and data.count(b"\n") == data.count(b"\r\n"), path.name
        has_bom = data.startswith(b"\xef\xbb\xbf")
        assert has_bom == (path.suffix not in (".json", ".scc")), path.name  # RFC 8259 and SCC readers want none
    # and the readers still read them
    assert len(list(srt.parse((folder / "support-answer.srt").read_text(encoding="utf-8-sig")))) > 5
    assert len(webvtt.read(str(folder / "support-answer.vtt")).captions) > 5
    assert len(scc_cues(folder / "support-answer.scc")) > 5
    assert len(pysubs2.load(str(folder / "support-answer.ass")).events) > 5
    json.loads((folder / "support-answer.json").read_text(encoding="utf-8"))


def test_check_reads_what_we_write(tmp_path: Path) -> None:
    folder, _ = export(tmp_path, "support-answer", "srt,vtt,ttml,ass,scc", preset="scc")
    reports = tx.check(sorted(folder.glob("support-answer.*[!n]")), preset="scc")  # all but the JSON
    assert {Path(r.path).suffix for r in reports} == {".srt", ".vtt", ".ttml", ".ass", ".scc"}
    assert all(r.problems == [] and r.hard_failures == 0 for r in reports), [r.format() for r in reports]
    assert len({r.cues for r in reports}) == 1


def test_check_finds_a_long_line_in_a_ttml_file(tmp_path: Path) -> None:
    path = tmp_path / "long.ttml"
    path.write_text(
        '<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en"><body><div>'
        '<p begin="00:00:01.000" end="00:00:03.000">' + "many words " * 5 + "</p></div></body></tt>", encoding="utf-8")
    (report,) = tx.check([path], preset="netflix-en")
    assert report.violations["characters per line"] == [1] and report.cues == 1


# -- TTML in a browser: imscJS, the reference IMSC renderer, in headless Chromium ----------------------

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
IMSC_JS = next((p for p in (Path(os.environ.get("IMSC_JS", "/nonexistent")),
                            ROOT / ".ci" / "imsc" / "node_modules" / "imsc" / "dist" / "imsc.all.min.js") if p.is_file()), None)

PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="result"></pre><script>{library}</script>
<script>
const doc = imsc.fromXML({ttml});
const shown = [];
for (const time of doc.getMediaTimeEvents()) {{
  const box = document.createElement("div");
  box.style.cssText = "position: relative; width: 640px; height: 360px";
  document.body.appendChild(box);
  imsc.renderHTML(imsc.generateISD(doc, time), box);
  shown.push([time, box.innerText]);
}}
document.getElementById("result").textContent = JSON.stringify(shown);
</script></body></html>"""


@pytest.mark.skipif(CHROMIUM is None or IMSC_JS is None,
                    reason="needs Chromium and the imsc npm package (.ci/run installs both)")
def test_imscjs_renders_our_ttml_in_chromium(tmp_path: Path) -> None:
    folder, doc = export(tmp_path, "support-answer", "ttml", start_timecode="01:00:00:00")
    ttml = (folder / "support-answer.ttml").read_text(encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(PAGE.format(library=IMSC_JS.read_text(encoding="utf-8"), ttml=json.dumps(ttml)),  # type: ignore[union-attr]
                    encoding="utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",  # type: ignore[list-item]
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    assert found is not None, done.stderr[-2000:]
    shown = [(time, text.split("\n")) for time, text in json.loads(html.unescape(found.group(1))) if text.strip()]
    assert [lines for _, lines in shown] == [s["lines"] for s in doc["segments"]]
    assert [time for time, _ in shown] == pytest.approx([3600 + s["start"] for s in doc["segments"]], abs=0.0005)



# -- the whole export, over HTTP ------------------------------------------------------------------------


def test_export_writes_the_delivery_formats_on_the_timeline_and_redoes_them_when_it_moves(emulator: Any,
                                                                                            tmp_path: Path) -> None:
    env = {"HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emulator.base_url, "HEYGEN_BEARER_TOKEN": None}

    def export_at(timecode: str) -> str:
        result = CliRunner().invoke(main, ["export", "product-demo", "-o", str(tmp_path), "-f", "ttml,scc,ass,txt,json",
                                           "--start-timecode", timecode, "-v"], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    export_at("01:00:00:00")
    assert outputs(tmp_path) == [f"product-demo.{fmt}" for fmt in ("ass", "json", "scc", "ttml", "txt")]
    first = pysubs2.load(str(tmp_path / "product-demo.ass")).events[0].start
    assert 3_600_000 <= first < 3_601_000
    assert "up-to-date" in export_at("01:00:00:00")  # the same settings: nothing to do
    export_at("05:00:00:00")  # moved: the files are made again (from the saved transcript)
    assert pysubs2.load(str(tmp_path / "product-demo.ass")).events[0].start == first + 4 * 3_600_000
    assert json.loads((tmp_path / "product-demo.json").read_text(encoding="utf-8"))["timeline"]["start_timecode"] == "05:00:00:00"


@pytest.mark.parametrize(("fmt", "timecode", "limit"), [("ass", "09:59:58:00", "9:59:59.99"), ("scc", "23:59:58;00", "23:59:59;29")])
def test_a_time_past_what_the_format_can_write_is_an_error(fmt: str, timecode: str, limit: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "product-demo.sse"), "-o", str(tmp_path), "-f", f"srt,{fmt}",
                                       "--start-timecode", timecode])
    assert result.exit_code == 1 and limit in result.output and "product-demo" in result.output
    assert outputs(tmp_path) == []
