"""A capture converted in stretches: the same cues and the same bytes as the whole session, in the memory of a stretch."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_live import cuttings, spaced_sessions
from test_segmenter import PRESETS, overlapping, sessions

import transcribe_export as tx
from transcribe_export.collect.options import CollectOptions
from transcribe_export.collect.reader import read_capture
from transcribe_export.errors import TranscribeExportError
from transcribe_export.models import Cue, SessionInfo, Word
from transcribe_export.run.pipeline import build_transcript
from transcribe_export.run.stream import CannotStream, convert_capture
from transcribe_export.segmentation.presets import FRAME_RATES, PresetChoice, load_preset
from transcribe_export.segmentation.segmenter import segment
from transcribe_export.segmentation.stream import StreamSegmenter
from transcribe_export.write import render
from transcribe_export.write.timeline import WriteOptions

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = sorted([*ROOT.glob("samples/*.sse"), *ROOT.glob("tests/sessions/*.sse")])


def streamed(words: list[Word], batches: list[list[Word]], preset: object, stretch: int) -> list[Cue] | None:
    """The cues of ``words`` arriving in ``batches``, cut in stretches; None where the stream hands them to the whole cut."""
    stream = StreamSegmenter(preset, stretch=stretch)  # type: ignore[arg-type]
    cues: list[Cue] = []
    try:
        for batch in batches:
            cues += stream.add(batch)
        return cues + stream.finish()
    except CannotStream:
        return None


def check_stream_equals_whole(words: list[Word], batches: list[list[Word]], preset: object, stretch: int) -> None:
    cues = streamed(words, batches, preset, stretch)
    if cues is not None:  # else the caller cuts the whole session: nothing to compare
        assert cues == segment(words, preset=preset)  # type: ignore[arg-type]


# Stretches of 1 to 40 new words: a random session of up to 160 words is cut in many stretches.
@given(data=st.data(), words=sessions(most=160), name=st.sampled_from(PRESETS), stretch=st.integers(1, 40))
def test_stretches_give_the_whole_sessions_cues(data: st.DataObject, words: list[Word], name: str, stretch: int) -> None:
    check_stream_equals_whole(words, data.draw(cuttings(words)), load_preset(name), stretch)


@given(data=st.data(), words=sessions(realistic=False, most=160), name=st.sampled_from(PRESETS),
       fps=st.sampled_from([None, *sorted(FRAME_RATES)]), stretch=st.integers(1, 40))
def test_stretches_equal_whole_with_any_timing_and_frame_rate(
    data: st.DataObject, words: list[Word], name: str, fps: str | None, stretch: int
) -> None:
    preset = load_preset(name)
    check_stream_equals_whole(words, data.draw(cuttings(words)), replace(preset, fps=fps) if fps else preset, stretch)


@given(data=st.data(), words=overlapping(), name=st.sampled_from(PRESETS), stretch=st.integers(1, 40))
def test_stretches_equal_whole_or_hand_over_where_times_overlap(
    data: st.DataObject, words: list[Word], name: str, stretch: int
) -> None:
    check_stream_equals_whole(words, data.draw(cuttings(words)), load_preset(name), stretch)


@given(data=st.data(), words=spaced_sessions(), name=st.sampled_from(PRESETS), stretch=st.integers(1, 40))
def test_stretches_equal_whole_whatever_spacing_the_tokens_carry(
    data: st.DataObject, words: list[Word], name: str, stretch: int
) -> None:
    check_stream_equals_whole(words, data.draw(cuttings(words)), load_preset(name), stretch)


@given(data=st.data(), words=sessions(most=200), stretch=st.integers(1, 40))
def test_stretches_with_auto_wait_for_the_language(data: st.DataObject, words: list[Word], stretch: int) -> None:
    check_stream_equals_whole(words, data.draw(cuttings(words)), PresetChoice("auto"), stretch)


def speech(count: int) -> list[Word]:
    """Sentences of 4 to 15 words, 0.35 s a word, a 0.5 s pause after each sentence (none reaches a pause break)."""
    words, clock = [], 0.0
    for n in range(count):
        words.append(Word(f"word{n % 7}", clock, clock + 0.3))
        clock += 0.35
        if n % 11 in (3, 10):
            words.append(Word(".", clock - 0.05, clock - 0.05))
            clock += 0.5
    return words


def test_the_stretch_holds_a_stretch_of_words_not_the_session() -> None:
    words = speech(6000)
    stream = StreamSegmenter("netflix-en", stretch=300)
    cues, held = [], []
    for start in range(0, len(words), 10):
        cues += stream.add(words[start : start + 10])
        held.append(len(stream.words))
    cues += stream.finish()
    assert cues == segment(words, preset="netflix-en")
    # 300 new words, and what came after the last final cue: about a cue or two (up to 84 characters, ~14 words)
    assert max(held) <= 300 + 50, max(held)
    assert len(words) > 7000


def test_a_word_out_of_start_order_hands_the_session_over() -> None:
    stream = StreamSegmenter("netflix-en", stretch=1)
    stream.add([Word("one", 1.0, 1.2)])
    with pytest.raises(CannotStream, match="starts before"):
        stream.add([Word("zero", 0.5, 0.7)])


def capture(frames: list[str], ids: bool = False) -> bytes:
    events = [(f"id: {n}\n" if ids else "") + f"data: {frame}\n\n" for n, frame in enumerate(frames)]
    return ("".join(events) + "event: end\ndata: {}\n\n").encode()


def whole_texts(
    data: bytes, preset: object = None, writing: WriteOptions | None = None, options: CollectOptions | None = None
) -> dict[str, str]:
    transcript = build_transcript(read_capture([data], SessionInfo("s", "completed"), options=options), preset)  # type: ignore[arg-type]
    return {fmt: render(transcript, fmt, options=writing or WriteOptions()) for fmt in ("srt", "vtt", "json")}


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("preset", ["auto", "netflix-en", "bbc", "netflix-ja"])
@pytest.mark.parametrize("writing", [WriteOptions(), WriteOptions(word_timing=True, line_endings="crlf", bom=True)], ids=["plain", "options"])
def test_a_capture_in_stretches_is_the_same_bytes_or_the_same_error(path: Path, preset: str, writing: WriteOptions) -> None:
    data = path.read_bytes()
    try:
        expected: object = whole_texts(data, preset, writing)
    except TranscribeExportError as error:
        expected = str(error)
    try:
        pieces = [data[i : i + 100] for i in range(0, len(data), 100)]
        got: object = convert_capture(pieces, SessionInfo("s", "completed"), preset, writing=writing, stretch=5).texts
    except CannotStream:
        assert path.name == "reordered.sse"  # its words come out of start order: the collector reorders them
        return
    except TranscribeExportError as error:
        got = str(error)
    assert got == expected
    assert path.name != "reordered.sse"


@pytest.mark.parametrize("options", [CollectOptions(lenient=True), CollectOptions(max_words=30)], ids=["lenient", "max-words"])
@pytest.mark.parametrize("path", [ROOT / "tests" / "sessions" / "bad-frame.sse", ROOT / "samples" / "product-demo.sse"],
                         ids=lambda p: p.name)
def test_the_collectors_options_hold_in_stretches(path: Path, options: CollectOptions) -> None:
    data = path.read_bytes()
    try:
        expected: object = whole_texts(data, options=options)
    except TranscribeExportError as error:
        expected = str(error)
    try:
        pieces = [data[i : i + 100] for i in range(0, len(data), 100)]  # words taken out between frames
        got: object = convert_capture(pieces, SessionInfo("s", "completed"), options=options, stretch=5).texts
    except TranscribeExportError as error:
        got = str(error)
    assert got == expected
    if options.lenient and path.name == "bad-frame.sse":  # the bad word dropped, the rest converted, the repair recorded
        assert isinstance(got, dict) and json.loads(got["json"])["collection"]["repairs"]
    if options.max_words == 30 and path.name == "product-demo.sse":  # stopped at the limit, in a later stretch
        assert isinstance(got, str) and "holds more than 30 words" in got


def test_the_json_of_stretches_reads_as_the_whole_sessions() -> None:
    data = (ROOT / "samples" / "product-demo.sse").read_bytes()
    converted = convert_capture([data], SessionInfo("s", "completed"), stretch=3)
    document = json.loads(converted.texts["json"])
    assert document == json.loads(whole_texts(data)["json"])
    assert len(document["tokens"]) == converted.words == sum(len(s["words"]) for s in document["segments"])
    assert len(document["segments"]) == converted.cues


def test_a_frame_without_an_id_sent_again_is_left_to_the_whole_reader() -> None:
    frame = json.dumps({"words": [{"word": "Hello", "start": 0.1, "end": 0.4}, {"word": "there", "start": 0.5, "end": 0.8}]})
    later = json.dumps({"words": [{"word": "Bye", "start": 1.1, "end": 1.4}]})
    with pytest.raises(CannotStream, match="came again"):
        convert_capture([capture([frame, frame, later])], SessionInfo("s", "completed"), stretch=1)
    # with ids the stream tells repeats itself, as the whole reader does
    data = capture([frame, frame, later], ids=True).replace(b"id: 1\n", b"id: 0\n", 1)
    converted = convert_capture([data], SessionInfo("s", "completed"), stretch=1)
    assert converted.texts == whole_texts(data)
    assert json.loads(converted.texts["json"])["collection"]["duplicates_removed"] == 2


def test_a_session_of_blank_tokens_is_left_to_the_whole_cut() -> None:
    frame = json.dumps({"words": [{"word": " ", "start": 0.1, "end": 0.4}, {"word": "", "start": 0.5, "end": 0.8}]})
    with pytest.raises(CannotStream, match="no cue"):
        convert_capture([capture([frame])], SessionInfo("s", "completed"))


def test_formats_beyond_the_three_or_a_shift_are_left_to_the_whole_cut() -> None:
    data = (ROOT / "samples" / "product-demo.sse").read_bytes()
    with pytest.raises(CannotStream):
        convert_capture([data], SessionInfo("s", "completed"), formats="srt,ttml")
    with pytest.raises(CannotStream):
        convert_capture([data], SessionInfo("s", "completed"), writing=WriteOptions(shift_ms=1000))


def test_convert_writes_captures_in_stretches_and_hands_the_rest_to_the_whole_cut(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    demo, reordered = ROOT / "samples" / "product-demo.sse", ROOT / "tests" / "sessions" / "reordered.sse"
    with caplog.at_level(logging.DEBUG, logger="transcribe_export"):
        outcomes = tx.convert([demo, reordered], out_dir=tmp_path)
    assert [o.outcome for o in outcomes] == ["exported", "exported"]
    handed = [r.getMessage() for r in caplog.records if "converted whole" in r.getMessage()]
    assert handed == ["file 'reordered': converted whole (a word starts before the one before it)"]
    for path in (demo, reordered):
        expected = whole_texts(path.read_bytes())
        for fmt, text in expected.items():
            written = (tmp_path / f"{path.stem}.{fmt}").read_text(encoding="utf-8")
            assert written == text.replace('"stream_id": "s"', f'"stream_id": "{path.stem}"', 1)
    document = json.loads((tmp_path / "product-demo.json").read_text(encoding="utf-8"))
    assert (outcomes[0].words, outcomes[0].cues) == (len(document["tokens"]), len(document["segments"]))


@pytest.mark.parametrize("frames", [[], [json.dumps({"words": [{"word": "Hi", "start": 0.2, "end": 0.5}]})]], ids=["empty", "one-word"])
def test_an_empty_or_one_word_capture_in_stretches_is_the_whole_paths(frames: list[str]) -> None:
    data = capture(frames)
    converted = convert_capture([data], SessionInfo("s", "completed"))
    assert converted.texts == whole_texts(data)
    assert (converted.words, converted.cues) == (len(frames), len(frames))
