"""Writers, read back by independent parsers: srt, webvtt-py, ffmpeg, jsonschema."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from datetime import timedelta
from importlib import metadata, resources
from pathlib import Path

import jsonschema
import pytest
import srt
import webvtt

from transcribe_export.models import CollectStats, Cue, Transcript, Word
from transcribe_export.segmentation.presets import Preset
from transcribe_export.segmentation.segmenter import segment
from transcribe_export.write import FORMATS, render_json, render_srt, render_vtt, renderer
from transcribe_export.write.subrip import subtitle

# Texts that look like markup or syntax in one format or another.
TRICKY = [
    ("Hello, world.",),
    ("use <b> for bold", "and <i>this</i> too"),
    ("a & b && c", "x --> y"),
    ("{\\an8} is an ASS tag", "back\\Nslash and \\h"),
    ("< i> spaced tag", "1 < 2 > 0"),
    ("&amp; literally", "<v Bob> voice"),
    ("日本語「テスト」", "¿Qué? ¡Sí!"),
]


def transcript(lines_list: list[tuple[str, ...]] = TRICKY) -> Transcript:
    cues = []
    for number, lines in enumerate(lines_list):
        start = 1250 + number * 2000
        words = tuple(Word(token, (start + 10 * i) / 1000, (start + 10 * i + 5) / 1000)
                      for i, token in enumerate(" ".join(lines).split()))
        cues.append(Cue(start, start + 1500, lines, words, "sentence"))
    words = tuple(w for c in cues for w in c.words)
    return Transcript("s-1", "completed", None, '{"ok": true}', words, tuple(cues), {"algorithm": "test", "name": "test"}, CollectStats())


def test_lookup_table_names_every_writer() -> None:
    assert set(FORMATS) == {"srt", "vtt", "json", "ttml", "scc", "ass", "txt"}


def test_srt_reads_back_with_srt() -> None:
    t = transcript()
    parsed = list(srt.parse(render_srt(t)))
    assert [s.index for s in parsed] == list(range(1, len(t.cues) + 1))
    for sub, cue in zip(parsed, t.cues):
        assert sub.start == timedelta(milliseconds=cue.start_ms)
        assert sub.end == timedelta(milliseconds=cue.end_ms)
        assert sub.content.replace("\u2060", "") == "\n".join(cue.lines)


def test_srt_exact_bytes_for_a_simple_cue() -> None:
    t = transcript([("Hello, world.", "Second line")])
    assert render_srt(t) == "1\n00:00:01,250 --> 00:00:02,750\nHello, world.\nSecond line\n\n"


def test_srt_is_what_the_srt_library_composes_for_the_same_subtitles() -> None:
    # render_srt composes the text itself (the library's timedelta round trip is 2x slower): for
    # the same subtitles, srt.compose must write every byte the same.
    words = [Word(t, i * 0.4, i * 0.4 + 0.3) for i, t in enumerate("Hi <b> there & مرحبا . a {x} b\\N c --> d".split())]
    extra = Transcript("s", "completed", None, None, tuple(words), tuple(segment(words, preset=Preset(max_chars_per_line=12))),
                       {"algorithm": "t", "name": "t", "language": "en"})
    late = Transcript("s", "completed", None, None, (), (Cue(359_999_000, 360_061_001, ("a",), ()),), {})  # past 99 hours
    for t in (transcript(), extra, transcript([]), late):
        composed = srt.compose([subtitle(n, cue) for n, cue in enumerate(t.cues, 1)], reindex=False)
        assert render_srt(t) == composed


def test_vtt_reads_back_with_webvtt_py() -> None:
    t = transcript()
    captions = webvtt.from_string(render_vtt(t)).captions
    assert len(captions) == len(t.cues)
    for caption, cue in zip(captions, t.cues):
        assert caption.start_time.in_milliseconds() == cue.start_ms
        assert caption.end_time.in_milliseconds() == cue.end_ms
        # No tag survives (webvtt-py's .text strips tags); entities decode to the words.
        assert html.unescape(caption.text).replace("\u2060", "") == "\n".join(cue.lines)
        assert caption.raw_text == caption.text


@pytest.mark.parametrize("word_timing", [False, True])
def test_vtt_is_what_webvtt_py_writes_for_the_same_captions(word_timing: bool) -> None:
    # render_vtt composes the text itself (webvtt-py's writer is 4x slower): read back by
    # webvtt-py and written again by webvtt-py, every byte must come out the same.
    words = [Word(t, i * 0.4, i * 0.4 + 0.3) for i, t in enumerate("Hi <b> there & مرحبا . a {x} b\\N c".split())]
    extra = Transcript("s", "completed", None, None, tuple(words), tuple(segment(words, preset=Preset(max_chars_per_line=12))),
                       {"algorithm": "t", "name": "t", "language": "en"})
    for t in (transcript(), extra, transcript([])):
        text = render_vtt(t, word_timing=word_timing)
        assert webvtt.WebVTT(captions=webvtt.from_string(text).captions).content == text


def test_vtt_escapes_exactly_as_the_spec_requires() -> None:
    text = render_vtt(transcript([("a < b & c --> d",)]))
    assert text == "WEBVTT\n\n1\n00:00:01.250 --> 00:00:02.750\na &lt; b &amp; c --&gt; d\n"


def test_json_validates_and_keeps_every_token() -> None:
    t = transcript()
    document = json.loads(render_json(t))
    schema = json.loads(resources.files("transcribe_export").joinpath("schema/transcript-v1.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert [x["word"] for x in document["tokens"]] == [w.text for w in t.words]
    assert [len(s["words"]) for s in document["segments"]] == [len(c.words) for c in t.cues]
    assert document["session"]["end_event"] == '{"ok": true}'
    assert document["segments"][1]["start"] == 3.25


def test_json_text_is_json_dumps_of_the_transcript_dict() -> None:
    # render_json writes its segments by hand (speed); json itself, from transcript_dict, must agree.
    from transcribe_export.write.transcript_json import transcript_dict

    for t in (transcript(), transcript([("日本語", "です"), ("مرحبا.",), ('"q" \\ \u2028',)])):
        assert json.loads(render_json(t)) == json.loads(json.dumps(transcript_dict(t), ensure_ascii=False))


def test_json_keeps_raw_numbers_as_received() -> None:
    word = Word("x", 1, 2.5)
    t = Transcript("s", "completed", None, None, (word,), (Cue(1000, 2500, ("x",), (word,)),), {"algorithm": "t"})
    assert '{"word": "x", "start": 1, "end": 2.5}' in render_json(t)


FFMPEG = shutil.which("ffmpeg")


def ffmpeg_dialogue(path: Path, tmp_path: Path) -> list[str]:
    """The text of each event as ffmpeg decodes the file (via its ASS conversion)."""
    out = tmp_path / (path.stem + "." + path.suffix[1:] + ".ass")
    subprocess.run([FFMPEG, "-loglevel", "error", "-y", "-i", str(path), str(out)], check=True)  # type: ignore[list-item]
    texts = []
    for line in out.read_text(encoding="utf-8").splitlines():
        if line.startswith("Dialogue:"):
            texts.append(line.split(",", 9)[9])
    return texts


@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed")
@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_ffmpeg_shows_exactly_the_words(fmt: str, tmp_path: Path) -> None:
    t = transcript()
    path = tmp_path / f"t.{fmt}"
    path.write_text(renderer(fmt)(t), encoding="utf-8")
    shown = ffmpeg_dialogue(path, tmp_path)
    assert len(shown) == len(t.cues)
    for text, cue in zip(shown, t.cues):
        # No styling came out of the words: ffmpeg made no ASS override of its own.
        assert "{\\i" not in text and "{\\b" not in text and "{\\c" not in text
        # ASS writes a line break as \N; a spoken backslash is followed by U+2060.
        # From WebVTT, ffmpeg escapes braces as \{ \}, which libass shows as braces.
        lines = [line.replace("\u2060", "") for line in text.split("\\N")]
        if fmt == "vtt":
            lines = [line.replace("\\{", "{").replace("\\}", "}") for line in lines]
        assert lines == list(cue.lines)


def test_word_timing_puts_a_timestamp_before_each_later_word() -> None:
    words = (Word("Hi", 1.0, 1.2), Word("there", 1.25, 1.6), Word(",", 1.6, 1.6), Word("<you>", 2.0, 2.4))
    cues = tuple(segment(words, preset=Preset(max_chars_per_line=10)))  # the writer times the segmenter's chunks
    assert [(c.start_ms, c.end_ms, c.lines) for c in cues] == [(1000, 2400, ("Hi there,", "<you>"))]
    t = Transcript("s", "completed", None, None, words, cues, {"algorithm": "t", "name": "t", "language": "en"})
    text = render_vtt(t, word_timing=True)
    assert text.splitlines()[4:6] == ["Hi <00:00:01.250>there,", "<00:00:02.000>&lt;you&gt;"]
    (caption,) = webvtt.from_string(text).captions
    assert html.unescape(caption.text) == "Hi there,\n<you>"  # tags stripped, the words intact


def test_json_document_written_out_by_hand() -> None:
    words = (Word("Hi", 0.5, 0.8), Word(",", 0.8, 0.8), Word("you", 1, 1.25), Word("日本", 2, 2.5))
    cues = (Cue(500, 1250, ("Hi,", "you"), words[:3], "pause", ("clause",)), Cue(2000, 2833, ("日本",), words[3:], "end"))
    stats = CollectStats(frames=2, words_received=4, connections=1)
    t = Transcript("s-9", "completed", "final_marker", None, words, cues, {"algorithm": "dp-v2", "name": "netflix-en"}, stats)
    word = [{"word": "Hi", "start": 0.5, "end": 0.8}, {"word": ",", "start": 0.8, "end": 0.8},
            {"word": "you", "start": 1, "end": 1.25}, {"word": "日本", "start": 2, "end": 2.5}]
    assert json.loads(render_json(t)) == {
        "format": "transcribe-export/transcript",
        "format_version": 1,
        "exporter": {"name": "transcribe-export", "version": metadata.version("transcribe-export")},
        "stream_id": "s-9",
        "session": {"status": "completed", "end_reason": "final_marker", "end_event": None},
        "collection": {"frames": 2, "words_received": 4, "duplicates_removed": 0, "reordered": False, "connections": 1,
                       "restarts": 0, "repairs": []},
        "segmentation": {"algorithm": "dp-v2", "name": "netflix-en"},
        "text": "Hi, you 日本",
        "segments": [
            {"id": 0, "start": 0.5, "end": 1.25, "text": "Hi, you", "lines": ["Hi,", "you"], "break_reason": "pause",
             "line_break_reasons": ["clause"], "words": word[:3]},
            {"id": 1, "start": 2.0, "end": 2.833, "text": "日本", "lines": ["日本"], "break_reason": "end",
             "line_break_reasons": [], "words": word[3:]},
        ],
        "tokens": word,
    }


def _burnt_columns(path: Path, tmp_path: Path) -> list[bool]:
    """Which columns of a 320x180 frame hold ink once ffmpeg's subtitles filter (libass) draws the file at 1.5 s."""
    raw = subprocess.run(
        [FFMPEG, "-loglevel", "error", "-f", "lavfi", "-i", "color=black:s=320x180:d=3", "-vf",  # type: ignore[list-item]
         f"subtitles={path}:force_style='FontName=DejaVu Sans,FontSize=36,Outline=0,Shadow=0'", "-ss", "1.5",
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True, check=True,
    ).stdout
    return [any(raw[y * 320 + x] > 96 for y in range(180)) for x in range(320)]


@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed")
@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_libass_puts_an_arabic_full_stop_at_the_left_end(fmt: str, tmp_path: Path) -> None:
    # Read right to left, "ممم." ends with its full stop at the left: the same picture as a
    # left-to-right ".ممم". Written as is, libass (left to right) draws the stop at the right.
    word = Word("ممم.", 1.0, 2.0)
    t = Transcript("ar", "completed", None, None, (word,), (Cue(1000, 2500, ("ممم.",), (word,)),),
                   {"algorithm": "t", "name": "t", "language": "ar"}, CollectStats())
    ours = tmp_path / f"ours.{fmt}"
    ours.write_text(renderer(fmt)(t), encoding="utf-8")
    reference, wrong = tmp_path / "reference.srt", tmp_path / "wrong.srt"
    reference.write_text("1\n00:00:01,000 --> 00:00:02,500\n\u200e.ممم\n", encoding="utf-8")
    wrong.write_text("1\n00:00:01,000 --> 00:00:02,500\nممم.\n", encoding="utf-8")
    drawn = _burnt_columns(ours, tmp_path)
    assert any(drawn)
    assert sum(a != b for a, b in zip(drawn, _burnt_columns(reference, tmp_path))) <= 2  # a pixel of kerning at most
    assert sum(a != b for a, b in zip(drawn, _burnt_columns(wrong, tmp_path))) > 6
