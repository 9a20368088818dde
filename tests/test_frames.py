"""Frame validation: each kind of bad WordBatch, with the exact message."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcribe_export.collect.frames import parse_word_batch
from transcribe_export.collect.reader import WordStreamReader, order_words
from transcribe_export.errors import IncompleteStreamError, InvalidFrameError, StreamError
from transcribe_export.models import Word

BAD_FRAMES = [
    ('{"words": [', "frame 4 is not valid JSON (Expecting value at line 1 column 12)", None),
    ("[1, 2]", 'frame 4 is a JSON array, not an object with a "words" list', None),
    ('"words"', "frame 4 is the string 'words', not an object with a \"words\" list", None),
    ("{}", 'frame 4 has no "words" key', "words"),
    ('{"words": {"word": "a"}}', 'frame 4: "words" is a JSON object, not a list', "words"),
    ('{"words": [7]}', "frame 4: words[0] is 7, not an object", "words[0]"),
    ('{"words": [{"start": 0, "end": 1}]}', "frame 4: words[0].word is missing", "words[0].word"),
    ('{"words": [{"word": "a", "end": 1}]}', "frame 4: words[0].start is missing", "words[0].start"),
    ('{"words": [{"word": 5, "start": 0, "end": 1}]}', "frame 4: words[0].word is 5, not a string", "words[0].word"),
    ('{"words": [{"word": "a", "start": "0", "end": 1}]}', "frame 4: words[0].start is the string '0', not a number", "words[0].start"),
    ('{"words": [{"word": "a", "start": true, "end": 1}]}', "frame 4: words[0].start is the boolean true, not a number", "words[0].start"),
    ('{"words": [{"word": "a", "start": null, "end": 1}]}', "frame 4: words[0].start is null, not a number", "words[0].start"),
    ('{"words": [{"word": "a", "start": 0, "end": 1e999}]}', "frame 4: words[0].end is inf, not a finite number", "words[0].end"),
    ('{"words": [{"word": "a", "start": -0.5, "end": 1}]}', "frame 4: words[0].start is -0.5, a negative time", "words[0].start"),
    ('{"words": [{"word": "a", "start": 0, "end": 1}, {"word": "b", "start": 2, "end": 1.5}]}',
     "frame 4: words[1].end is 1.5, before its start 2", "words[1].end"),
    ('{"words": [{"word": "a", "start": NaN, "end": 1}]}', "frame 4 holds NaN, which is not a finite number (JSON has no NaN)", None),
    ('{"words": [{"word": "a", "start": 0, "end": Infinity}]}',
     "frame 4 holds Infinity, which is not a finite number (JSON has no Infinity)", None),
    # an object, then more: the frame starts and ends like the usual one, yet is not one JSON value
    ('{"words": []} {"x": 1}', "frame 4 is not valid JSON (Extra data at line 1 column 15)", None),
    ('{"words": [' + "[" * 100_000 + "]" * 100_000 + "]}", "frame 4 is not valid JSON (it is nested too deeply to read)", None),
    ('{"words": [{"word": "a\\udc00", "start": 0, "end": 1}]}',
     "frame 4: words[0].word is 'a\\udc00', which holds an unpaired surrogate (not text)", "words[0].word"),
]


@pytest.mark.parametrize(("data", "problem", "field"), BAD_FRAMES)
def test_bad_frame_message_names_stream_frame_and_field(data: str, problem: str, field: str | None) -> None:
    with pytest.raises(InvalidFrameError) as caught:
        parse_word_batch(data, stream_id="s-1", frame=4)
    assert str(caught.value) == f"stream 's-1': {problem}."
    assert (caught.value.stream_id, caught.value.frame, caught.value.field) == ("s-1", 4, field)


def test_a_huge_integer_time_is_not_finite() -> None:
    with pytest.raises(InvalidFrameError, match="not a finite number"):
        parse_word_batch('{"words": [{"word": "a", "start": 0, "end": 1' + "0" * 400 + "}]}", stream_id="s", frame=1)


def test_good_frame_keeps_values_exactly_and_ignores_extra_keys() -> None:
    words = parse_word_batch(
        '{"words": [{"word": " Hi", "start": 0, "end": 0.25, "confidence": 0.9}], "seq": 3}', stream_id="s", frame=1
    )
    assert words == [Word(" Hi", 0, 0.25)]
    assert isinstance(words[0].start, int)


def test_reader_counts_frames_ignores_unknown_events_and_keeps_end_payload() -> None:
    reader = WordStreamReader("s")
    stream = (
        b'data: {"words": [{"word": "a", "start": 0, "end": 1}]}\n\n'
        b"event: ping\ndata: whatever\n\n"
        b'data: {"words": [{"word": "b", "start": 1, "end": 2}]}\n\n'
        b'event: end\ndata: {"total": 2}\n\n'
        b'data: {"words": [{"word": "after-end", "start": 3, "end": 4}]}\n\n'
    )
    assert reader.feed(stream) is True
    reader.finish()
    assert [w.text for w in reader.words] == ["a", "b"]
    assert (reader.frames, reader.end_event) == (2, '{"total": 2}')


def test_reader_frame_numbers_count_data_frames_only() -> None:
    reader = WordStreamReader("s")
    reader.feed(b'data: {"words": []}\n\nevent: ping\ndata: x\n\n')
    with pytest.raises(InvalidFrameError, match=r"^stream 's': frame 2 is not valid JSON"):
        reader.feed(b"data: {oops\n\n")


def test_end_without_data_still_ends() -> None:
    reader = WordStreamReader("s")
    assert reader.feed(b'data: {"words": []}\n\nevent: end\n\n') is True
    reader.finish()
    assert reader.end_event is None


def test_missing_end_is_an_incomplete_stream() -> None:
    reader = WordStreamReader("s")
    reader.feed(b'data: {"words": [{"word": "a", "start": 0, "end": 1}]}\n\ndata: {"words"')
    with pytest.raises(IncompleteStreamError) as caught:
        reader.finish()
    assert caught.value.words_received == 1
    assert "ended in the middle of an event without its 'end' event after 1 words" in str(caught.value)


def test_limits() -> None:
    with pytest.raises(StreamError, match="frame 1 is larger than the 64-byte limit"):
        WordStreamReader("s", max_frame_bytes=64).feed(b"data: " + b"x" * 100)
    reader = WordStreamReader("s", max_words=2)
    with pytest.raises(StreamError, match="more than 2 words"):
        reader.feed(b'data: {"words": [' + b",".join([b'{"word": "a", "start": 0, "end": 1}'] * 3) + b"]}\n\n")


def test_order_words_is_stable_and_drops_nothing() -> None:
    a1, a2 = Word("a", 1, 2), Word("a", 3, 4)  # the same word spoken twice: both kept
    tie1, tie2 = Word("x", 5, 5), Word(".", 5, 5)  # same start: arrival order kept
    same = Word("a", 1.0, 2.0)  # same text and times as a1: kept too (degenerate timings repeat)
    words, reordered = order_words([a2, a1, tie1, tie2, a1, same])
    assert words == (a1, a1, same, a2, tie1, tie2) and reordered


def test_a_frame_sent_twice_is_dropped_once_by_id_or_by_timed_content() -> None:
    frame = b'data: {"words": [{"word": "a", "start": 0, "end": 1}, {"word": "b", "start": 1, "end": 2}]}\n\n'
    with_id = b'id: 7\n' + frame
    zero = b'data: {"words": [{"word": "the", "start": 0, "end": 0}]}\n\n'
    for body, kept, dropped in ((frame * 2, 2, 2), (with_id * 2, 2, 2), (zero * 3, 3, 0)):
        reader = WordStreamReader("s")
        reader.feed(body + b"event: end\n\n")
        assert (len(reader.words), reader.duplicates) == (kept, dropped), body


# -- fuzzing: whatever a server sends, only clean errors -----------------------

JSONISH = st.one_of(
    st.text(),
    st.recursive(
        st.none() | st.booleans() | st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["words", "word", "start", "end", "x"]), inner, max_size=4),
    ).map(lambda value: json.dumps(value)),
    st.integers(min_value=1, max_value=3000).map(lambda depth: "[" * depth + "]" * (depth // 2)),
)


@given(data=JSONISH, lenient=st.booleans())
def test_the_frame_validator_raises_only_its_own_error(data: str, lenient: bool) -> None:
    repairs: list = [] if lenient else None  # type: ignore[assignment]
    try:
        words = parse_word_batch(data, stream_id="fuzz", frame=1, repairs=repairs)
    except InvalidFrameError as error:
        assert not lenient and error.stream_id == "fuzz" and "\n" not in str(error)
    else:
        assert all(0 <= w.start <= w.end <= 359_999.999 for w in words)


@given(body=st.binary(max_size=600), split=st.integers(min_value=1, max_value=64))
def test_the_reader_ends_cleanly_or_with_a_stream_error_on_any_bytes(body: bytes, split: int) -> None:
    reader = WordStreamReader("fuzz", max_frame_bytes=1024)
    try:
        for offset in range(0, len(body), split):
            if reader.feed(body[offset : offset + split]):
                break
        reader.finish()
    except StreamError as error:
        assert error.stream_id == "fuzz"


@given(body=st.lists(st.sampled_from([b"data: ", b"event: end", b"id: 1", b"\n", b"\r", b'{"words": [', b"]}", b"[" * 50,
                                      b'{"word": "a", "start": 0, "end": 1}', b",", b"\xff", b": c"]), max_size=40))
def test_the_reader_on_sse_shaped_noise(body: list[bytes]) -> None:
    test_the_reader_ends_cleanly_or_with_a_stream_error_on_any_bytes.hypothesis.inner_test(b"".join(body), 7)  # type: ignore[attr-defined]
