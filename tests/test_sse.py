"""The SSE parser against the WHATWG rules, case by case.

The cases are the edge cases listed in docs/collecting.md §1 (many of them
from the WPT eventsource tests); the expected events are written
by hand from the spec text, not produced by the parser. Every case is also
fed split at every byte offset and one byte at a time, and the parser is
compared with a separate whole-buffer transcription of the spec on random
streams.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcribe_export.collect.sse import Event, FrameTooLargeError, SSEParser, parse

END = b"event: end\ndata: {}\n\n"


def E(data: str, type: str = "message", id: str = "") -> Event:  # noqa: A002 - mirrors the field
    return Event(type, data, id)


E_END = E("{}", "end")

# (name, segments as sent, expected events). Expectations are from the spec.
CASES: list[tuple[str, list[bytes], list[Event]]] = [
    ("lf", [b"data: a\n\n", END], [E("a"), E_END]),
    ("crlf", [b"data: a\r\n\r\n", b"event: end\r\ndata: {}\r\n\r\n"], [E("a"), E_END]),
    ("cr", [b"data: a\rdata: b\r\r", b"event: end\rdata: {}\r\r"], [E("a\nb"), E_END]),
    (
        "mixed_eol",
        [b"data: a\n\r\n", b"data: b\r\n\n", b"data: c\r\r\n", b"data: d\r\n\r", b"event: end\rdata: {}\n\n"],
        [E("a"), E("b"), E("c"), E("d"), E_END],
    ),
    ("split_crlf", [b"data: a\r", b"\ndata: b\r", b"\n\r", b"\nevent: end\r\ndata: {}\r\n\r\n"], [E("a\nb"), E_END]),
    (
        "split_utf8",
        [b'data: {"w":"h\xc3', b'\xa9llo","x":"\xe6', b"\x97\xa5\xe6\x9c", b'\xac\xe8\xaa\x9e","y":"\xf0\x9f', b'\x8e\x89"}\n\n', END],
        [E('{"w":"héllo","x":"日本語","y":"🎉"}'), E_END],
    ),
    ("bom", [b"\xef\xbb\xbfdata: first\n\n", b"data: second\n\n", END], [E("first"), E("second"), E_END]),
    ("bom_split", [b"\xef", b"\xbb", b"\xbfdata: first\n\n", END], [E("first"), E_END]),
    # Only one BOM is stripped: the second makes the first field "\ufeffdata", ignored.
    ("bom_double", [b"\xef\xbb\xbf\xef\xbb\xbfdata: 1\n\ndata: 2\n\n", END], [E("2"), E_END]),
    (
        "comments",
        [b": keep-alive\n\n", b":\n", b"data: a\n: mid-event comment\ndata: b\n\n", b": ping\r\n", b":" + b"x" * 2048 + b"\r", END],
        [E("a\nb"), E_END],
    ),
    (
        "wpt_comments",
        [b"data:1\r:\x00\n:\r\ndata:2\n:" + b"x" * 2048 + b"\rdata:3\n:data:fail\r:" + b"x" * 2048 + b"\ndata:4\n\n", END],
        [E("1\n2\n3\n4"), E_END],
    ),
    ("no_colon", [b"data:\n\ndata\ndata\n\ndata:test\n\n", END], [E(""), E("\n"), E("test"), E_END]),
    (
        "space",
        [b"data:\ttest\rdata: \ndata:test\n\n", b"data:  two\n\n", b"data:nospace\n\n", END],
        [E("\ttest\n\ntest"), E(" two"), E("nospace"), E_END],
    ),
    (
        "wpt_field_parsing",
        [b"data:\x00\ndata:  2\rData:1\ndata\x00:2\ndata:1\r\x00data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n", END],
        [E("\x00\n 2\n1\n3\n\n4"), E_END],
    ),
    (
        "wpt_unknown_fields",
        [b"data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n", END],
        [E("test\n\ntest"), E_END],
    ),
    ("multiline", [b'data: {"words":[\ndata: ]}\n\n', END], [E('{"words":[\n]}'), E_END]),
    (
        "event_reset",
        [b"event: foo\ndata: 1\n\ndata: 2\n\nevent: bar\n\ndata: 3\n\n", END],
        [E("1", "foo"), E("2"), E("3"), E_END],
    ),
    (
        "id",
        [b"id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: x\x00y\ndata: d\n\n", END],
        [E("a", id="1"), E("b", id="1"), E("c"), E("d"), E_END],
    ),
    ("retry", [b"retry: 20\ndata: a\n\nretry: 15a\ndata: b\n\n", END], [E("a"), E("b"), E_END]),
    ("eof_incomplete", [b"data: a\n\n", b"data: partial\n"], [E("a")]),
    ("eof_incomplete_nonl", [b"data: a\n\n", b"data: partial"], [E("a")]),
    ("null_char", [b"data: a\x00b\n\n", END], [E("a\x00b"), E_END]),
    ("invalid_utf8", [b"data: \xff\xfeok\n\n", END], [E("\ufffd\ufffdok"), E_END]),
    ("case_sensitive", [b"Data: x\n\nDATA: y\n\ndata: z\n\n", END], [E("z"), E_END]),
    ("ws_line", [b"data: a\n \ndata: b\n\n", END], [E("a\nb"), E_END]),
    ("u2028", [b'data: {"word":"a\xe2\x80\xa8b\xc2\x85c"}\n\n', END], [E('{"word":"a\u2028b\x85c"}'), E_END]),
    ("end_no_data", [b"data: a\n\n", b"event: end\n\n"], [E("a")]),
]


def feed_all(segments: list[bytes], **options: object) -> list[Event]:
    parser = SSEParser(**options)  # type: ignore[arg-type]
    events: list[Event] = []
    for segment in segments:
        events.extend(parser.feed(segment))
    parser.close()
    return events


@pytest.mark.parametrize(("name", "segments", "expected"), CASES, ids=[c[0] for c in CASES])
def test_case_as_sent(name: str, segments: list[bytes], expected: list[Event]) -> None:
    assert feed_all(segments) == expected


@pytest.mark.parametrize(("name", "segments", "expected"), CASES, ids=[c[0] for c in CASES])
def test_case_split_at_every_offset(name: str, segments: list[bytes], expected: list[Event]) -> None:
    whole = b"".join(segments)
    for cut in range(len(whole) + 1):
        assert feed_all([whole[:cut], whole[cut:]]) == expected, f"split at byte {cut}"


@pytest.mark.parametrize(("name", "segments", "expected"), CASES, ids=[c[0] for c in CASES])
def test_case_one_byte_at_a_time(name: str, segments: list[bytes], expected: list[Event]) -> None:
    whole = b"".join(segments)
    assert feed_all([whole[i : i + 1] for i in range(len(whole))]) == expected


def test_id_survives_until_reset_and_retry_is_read() -> None:
    parser = SSEParser()
    parser.feed(b"id: 7\nretry: 02000\ndata: a\n\n")
    assert (parser.last_event_id, parser.retry_ms) == ("7", 2000)
    parser.feed(b"retry: 1000x\nretry\ndata: b\n\n")
    assert parser.retry_ms == 2000  # bogus values are ignored


def test_id_of_an_event_cut_at_eof_is_not_used() -> None:
    parser = SSEParser()
    parser.feed(b"id: 1\ndata: a\n\nid: 2\ndata: cut")
    assert parser.close() is True
    assert parser.last_event_id == "1"


def test_data_less_typed_event_only_when_asked() -> None:
    stream = b"data: a\n\nevent: end\n\n"
    assert [e.type for e in feed_all([stream])] == ["message"]
    events = feed_all([stream], dispatch_empty_typed=True)
    assert [(e.type, e.has_data) for e in events] == [("message", True), ("end", False)]


def test_close_reports_a_cut_event() -> None:
    parser = SSEParser()
    parser.feed(b"data: a\n\n")
    assert parser.close() is False
    parser.feed(b"data: b")
    assert parser.close() is True


def test_frame_too_large_in_one_line_and_across_lines() -> None:
    with pytest.raises(FrameTooLargeError):
        SSEParser(max_event_bytes=100).feed(b"data: " + b"x" * 200)
    parser = SSEParser(max_event_bytes=100)
    with pytest.raises(FrameTooLargeError):
        for _ in range(20):
            parser.feed(b"data: " + b"y" * 10 + b"\n")


def test_a_large_line_in_many_chunks_is_exact() -> None:
    payload = b"x" * 1_000_000
    parser = SSEParser()
    stream = b"data: " + payload + b"\n\n"
    events = []
    for i in range(0, len(stream), 65536):
        events.extend(parser.feed(stream[i : i + 65536]))
    assert [len(e.data) for e in events] == [1_000_000]


# -- differential test against a literal whole-buffer reading of the spec ----


def reference(stream: bytes) -> list[Event]:
    """§9.2.5-9.2.6 read as plainly as possible: decode all, split, interpret."""
    text = stream.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines: list[str] = []
    line = ""
    i = 0
    complete_upto = 0
    while i < len(text):
        ch = text[i]
        if ch == "\r":
            lines.append(line)
            line = ""
            i += 2 if text[i + 1 : i + 2] == "\n" else 1
        elif ch == "\n":
            lines.append(line)
            line = ""
            i += 1
        else:
            line += ch
            i += 1
        complete_upto = len(lines)
    events: list[Event] = []
    data, etype, id_buffer, last_id = "", "", "", ""
    for line in lines[:complete_upto]:
        if line == "":
            last_id = id_buffer
            if data == "":
                etype = ""
                continue
            events.append(Event(etype or "message", data[:-1] if data.endswith("\n") else data, last_id))
            data, etype = "", ""
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            name, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            name, value = line, ""
        if name == "data":
            data += value + "\n"
        elif name == "event":
            etype = value
        elif name == "id" and "\0" not in value:
            id_buffer = value
    return events


ALPHABET = [b"data", b"data:", b": ", b"event: end", b"event:x", b"id: 1", b"id", b"retry: 5", b":c",
            b"\n", b"\r", b"\r\n", b" ", b"\xc3\xa9", b"\xe6\x97\xa5", b"\xff", b"\xef\xbb\xbf", b"a", b"\x00"]


@given(
    pieces=st.lists(st.sampled_from(ALPHABET), max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=8),
)
def test_matches_the_reference_reading_under_any_chunking(pieces: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(pieces)
    # The reference decodes the whole buffer: it can only be compared where
    # invalid bytes are not split differently, which holds because the
    # parser decodes per line and lines split on ASCII bytes only.
    points = sorted({c for c in cuts if c <= len(stream)})
    chunks = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)])]
    assert feed_all(chunks) == reference(stream)


def test_random_real_streams_split_randomly() -> None:
    rng = random.Random(20261121)
    for _ in range(300):
        stream = b"".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 80)))
        cuts = sorted(rng.sample(range(len(stream) + 1), k=min(len(stream) + 1, rng.randint(0, 10))))
        chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)])]
        assert feed_all(chunks) == reference(stream)


def test_parse_whole_capture() -> None:
    assert parse(b"data: a\n\nevent: end\n\n", dispatch_empty_typed=True) == [E("a"), Event("end", "", "", False)]
