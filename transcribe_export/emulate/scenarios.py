"""How the emulator misbehaves: named scenarios for every fault the network has.

A scenario is chosen per session, either by an id prefix,
``<scenario>--<session>`` (``drop--product-demo`` serves ``product-demo``
and cuts the first connection after 3 frames; ``crlf+tiny-chunks--…``
combines two), or by a scenario file given to ``emulate --scenarios``::

    sessions:
      my-live-test:            # the id your tool asks for
        session: product-demo  # which <name>.sse to serve (default: the id)
        scenario: lifecycle    # a built-in name, or "a+b" to combine...
        pace_s: 0.2            # ...and/or any field of Scenario to override

Every built-in is listed in :data:`BUILTIN` with what it shows; they are the
cases the collector's tests run over real sockets, and users can point their
own tooling at them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from transcribe_export.collect.sse import parse

__all__ = ["BUILTIN", "Scenario", "SessionData", "load_scenario_file", "render_stream", "scenario_for_id"]


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything the emulator can do differently for one session.

    Lifecycle:
        pending_s: the status says ``pending`` this long after the first request.
        live: frames are published in real time, ``pace_s`` apart; until the
            last one the status says ``streaming``, and a late subscriber
            gets the history at once, then the rest live.
        pace_s: seconds between two frames (live), or between two chunks (trickle).

    HTTP faults (by request count, per session):
        status_errors: the answers to the first status requests (``(429, 503)``).
        words_errors: the same for the first words requests.
        retry_after: the ``Retry-After`` header sent with 429 and 503.
        redirect: answer the words request with a 307 to the emulator's redirect target.
        redirect_words: the same, to this base URL instead.
        status: extra fields for the status answer (``{"status": "error", ...}``).
        drip_s: send the status answer one byte at a time, this many seconds apart
            (each byte resets a client's read timeout: only a total deadline ends it).
        echo: a hostile server: the credentials it was sent come back in its 401
            message, its status ``error_message``, the first word and the end
            event, wrapped in terminal escape sequences and a forged ``Error:`` line.

    Connection faults:
        drop_after: cut the connection (a chunk promised, not sent) after this many frames
            (-1: after the last frame, before the ``end`` event)...
        drop_connections: ...on this many connections (then serve normally).
        no_end_connections: close cleanly without the ``end`` event on this
            many connections (-1: always).
        idle_after, idle_s: after frame ``idle_after``, stay silent ``idle_s`` seconds.
        keepalive_s: during any wait, send a ``: keep-alive`` comment this often.

    Framing (legal SSE that naive clients get wrong):
        eol: the line ending (``"\\n"``, ``"\\r\\n"`` or ``"\\r"``).
        chunk_bytes: write the body in pieces this small (splits CRLF pairs and UTF-8).
        bom: start the stream with a UTF-8 BOM.
        multiline: split each frame's JSON over two ``data:`` lines.
        ids: give every frame an ``id:``.
        resume: how a reconnection with ``Last-Event-ID: N`` is answered: ``after``
            (frames after N), ``at`` (N again, then the rest) or ``before`` (from
            N - 2); without it, every connection replays the whole history.
        retry_ms: send a ``retry:`` field first.
        unknown_events: put an ``event: ping`` frame between the frames.
        end_without_data: send ``event: end`` with no data line.

    Content faults:
        garbage_frame: replace frame N (1-based) with text that is not JSON.
        bad_word: break the first word of frame 2: ``missing-word``,
            ``missing-start``, ``non-string``, ``nan``, ``infinity``,
            ``negative``, ``reversed``, ``far-future`` (1.7e18 s).
        deep_frame: replace frame N (1-based) with 100,000 nested ``[``.
        shuffle: send the frames in reverse order (out-of-order batches).
        duplicate: send every frame twice (a replayed history).
        huge_frame_bytes: add one frame holding a word this many bytes long.
        empty: send no words at all, just the ``end`` event.
        replay_differs: connections after the first replay a history in
            which one word has another time.
        zero_times: every word starts and ends at 0 (degenerate timings, in
            which the same word legitimately repeats with the same times).
    """

    pending_s: float = 0.0
    live: bool = False
    pace_s: float = 0.0
    status_errors: tuple[int, ...] = ()
    words_errors: tuple[int, ...] = ()
    retry_after: str | None = None
    redirect: bool = False
    redirect_words: str | None = None
    status: dict[str, Any] | None = None
    drip_s: float | None = None
    echo: bool = False
    drop_after: int | None = None
    drop_connections: int = 1
    no_end_connections: int = 0
    idle_after: int | None = None
    idle_s: float = 0.0
    keepalive_s: float | None = None
    eol: str = "\n"
    chunk_bytes: int | None = None
    bom: bool = False
    multiline: bool = False
    ids: bool = False
    resume: str | None = None
    retry_ms: int | None = None
    unknown_events: bool = False
    end_without_data: bool = False
    garbage_frame: int | None = None
    deep_frame: int | None = None
    bad_word: str | None = None
    shuffle: bool = False
    duplicate: bool = False
    huge_frame_bytes: int | None = None
    empty: bool = False
    replay_differs: bool = False
    zero_times: bool = False


#: name -> (scenario, what it shows). ``--`` in an id selects one.
BUILTIN: dict[str, tuple[Scenario, str]] = {
    "lifecycle": (Scenario(pending_s=0.5, live=True, pace_s=0.03), "pending, then streaming with real pacing, then completed"),
    "live": (Scenario(live=True, pace_s=0.05), "streaming from the first request, frames published in real time"),
    "ratelimit": (Scenario(status_errors=(429, 429), words_errors=(429,), retry_after="1"), "429 with Retry-After: 1"),
    "5xx": (Scenario(status_errors=(503, 502), words_errors=(500, 504)), "a burst of server errors before each endpoint works"),
    "drop": (Scenario(drop_after=3), "the first connection is cut after 3 frames (chunked body cut short)"),
    "eof-once": (Scenario(no_end_connections=1), "the first connection ends cleanly without the end event"),
    "no-end": (Scenario(no_end_connections=-1), "every connection ends without the end event: an incomplete stream"),
    "keepalive": (Scenario(idle_after=2, idle_s=1.5, keepalive_s=0.2), "a 1.5 s idle gap filled with keep-alive comments"),
    "idle": (Scenario(idle_after=2, idle_s=1.5), "a 1.5 s silence with no keep-alive (trips a short read timeout)"),
    "cr": (Scenario(eol="\r"), "lone-CR line endings"),
    "crlf": (Scenario(eol="\r\n"), "CRLF line endings"),
    "tiny-chunks": (Scenario(eol="\r\n", chunk_bytes=1), "CRLF, one byte per chunk: splits CRLF pairs and UTF-8 characters"),
    "bom": (Scenario(bom=True), "a UTF-8 byte order mark before the first frame"),
    "multiline": (Scenario(multiline=True), "each frame's JSON split over two data lines"),
    "ids": (Scenario(ids=True, retry_ms=50, drop_after=3), "id and retry fields; the cut connection resumes with Last-Event-ID"),
    "unknown-events": (Scenario(unknown_events=True), "event: ping frames between the word frames"),
    "end-no-data": (Scenario(end_without_data=True), "an end event with no data line"),
    "garbage": (Scenario(garbage_frame=2), "frame 2 is not JSON"),
    "bad-missing-word": (Scenario(bad_word="missing-word"), "a word without its word field"),
    "bad-missing-start": (Scenario(bad_word="missing-start"), "a word without its start field"),
    "bad-non-string": (Scenario(bad_word="non-string"), "a word whose word is a number"),
    "bad-nan": (Scenario(bad_word="nan"), "a start time of NaN"),
    "bad-infinity": (Scenario(bad_word="infinity"), "an end time of Infinity"),
    "bad-negative": (Scenario(bad_word="negative"), "a negative start time"),
    "bad-reversed": (Scenario(bad_word="reversed"), "an end time before the start"),
    "bad-far-future": (Scenario(bad_word="far-future"), "a time of 1.7e18 s, past what a subtitle file can hold"),
    "deep-nesting": (Scenario(deep_frame=2), "frame 2 is 100,000 nested ["),
    "shuffled": (Scenario(shuffle=True), "batches out of order"),
    "duplicated": (Scenario(duplicate=True), "every batch sent twice"),
    "huge-frame": (Scenario(huge_frame_bytes=5 * 1024 * 1024), "a 5 MB frame (over the 1 MiB limit)"),
    "trickle": (Scenario(chunk_bytes=16, pace_s=0.002), "the body trickles in 16-byte pieces"),
    "drip": (Scenario(drip_s=0.2), "the status answer, headers and all, one byte every 0.2 s"),
    "drip-body": (Scenario(chunk_bytes=1, pace_s=0.2), "the words stream one byte every 0.2 s"),
    "redirect": (Scenario(redirect=True), "the words endpoint redirects to another port (set by the emulator's redirect target)"),
    "empty": (Scenario(empty=True), "a session with no words"),
    "replay-differs": (Scenario(drop_after=3, replay_differs=True), "cut after 3 frames, then a replay that disagrees"),
    "resume-after": (Scenario(ids=True, drop_after=3, resume="after"), "cut after frame 3; the reconnection resumes after it"),
    "resume-at": (Scenario(ids=True, drop_after=3, resume="at"), "cut after frame 3; the reconnection sends frame 3 again"),
    "resume-before": (Scenario(ids=True, drop_after=3, resume="before"), "cut after frame 3; the reconnection starts at frame 1"),
    "resume-end-only": (Scenario(ids=True, drop_after=-1, resume="after"), "cut before end; the reconnection sends only end"),
    "zero-times": (Scenario(zero_times=True), "every word at 0-0 s: repeated words with identical times, all kept"),
    "error": (Scenario(status={"status": "error", "error_message": "avatar failed to load"}), "status error with error_message"),
    "echo": (Scenario(echo=True), "the key sent comes back in the 401 message, a word and the end event, with escapes"),
    "echo-error": (Scenario(echo=True, status={"status": "error"}), "the key comes back in error_message, with escapes"),
}


def combine(names: str) -> Scenario:
    """The scenario for ``a+b``: later names override earlier ones, field by field."""
    result = Scenario()
    default = Scenario()
    for name in names.split("+"):
        if name not in BUILTIN:
            raise KeyError(name)
        chosen = BUILTIN[name][0]
        changes = {
            f.name: getattr(chosen, f.name) for f in fields(Scenario) if getattr(chosen, f.name) != getattr(default, f.name)
        }
        result = replace(result, **changes)
    return result


def scenario_for_id(stream_id: str) -> tuple[str, Scenario] | None:
    """``drop--product-demo`` -> ``("product-demo", <drop>)``; ``None`` if the id has no known prefix."""
    prefix, sep, rest = stream_id.partition("--")
    if not sep or not rest:
        return None
    try:
        return rest, combine(prefix)
    except KeyError:
        return None


def load_scenario_file(path: Path) -> dict[str, tuple[str, Scenario]]:
    """Read a scenario file: ``{id: (session name, scenario)}``.

    Raises:
        ValueError: naming the id and key that are wrong.
    """
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sessions = document.get("sessions") if isinstance(document, dict) else None
    if not isinstance(sessions, dict):
        raise ValueError(f"{path}: expected a 'sessions:' mapping of id -> scenario")
    known = {f.name for f in fields(Scenario)}
    result: dict[str, tuple[str, Scenario]] = {}
    for stream_id, spec in sessions.items():
        spec = dict(spec or {})
        session = str(spec.pop("session", stream_id))
        try:
            scenario = combine(spec.pop("scenario")) if "scenario" in spec else Scenario()
        except KeyError as exc:
            raise ValueError(f"{path}: session {stream_id!r}: unknown scenario {exc.args[0]!r}") from None
        unknown = set(spec) - known
        if unknown:
            raise ValueError(f"{path}: session {stream_id!r}: unknown key {sorted(unknown)[0]!r}")
        for key in ("status_errors", "words_errors"):
            if key in spec:
                spec[key] = tuple(spec[key])
        result[str(stream_id)] = (session, replace(scenario, **spec))
    return result


@dataclass(frozen=True, slots=True)
class SessionData:
    """A session's frames (each a WordBatch JSON text) and its end event.

    Attributes:
        frames: the data of each word frame.
        has_end: the capture ends with an ``end`` event (a capture without
            one is served without one: an incomplete stream).
        end_data: that event's data, or ``None`` if it had no data line.
    """

    frames: tuple[str, ...]
    has_end: bool
    end_data: str | None

    @classmethod
    def from_capture(cls, body: bytes) -> "SessionData":
        events = parse(body, dispatch_empty_typed=True)
        frames = tuple(e.data for e in events if e.type == "message")
        end = next((e for e in events if e.type == "end"), None)
        return cls(frames, end is not None, end.data if end is not None and end.has_data else None)


def _break_word(frame: str, kind: str) -> str:
    batch = json.loads(frame)
    if not batch["words"]:
        batch["words"].append({"word": "x", "start": 0, "end": 0})
    word = batch["words"][0]
    if kind == "missing-word":
        del word["word"]
    elif kind == "missing-start":
        del word["start"]
    elif kind == "non-string":
        word["word"] = 42
    elif kind == "nan":
        word["start"] = math.nan
    elif kind == "infinity":
        word["end"] = math.inf
    elif kind == "negative":
        word["start"] = -1.5
    elif kind == "reversed":
        word["start"], word["end"] = word["end"] + 1, word["start"]
    elif kind == "far-future":
        word["start"] = word["end"] = 1.7e18
    return json.dumps(batch, ensure_ascii=False)  # allow_nan: NaN is the point


def _zero_times(frame: str) -> str:
    batch = json.loads(frame)
    for word in batch["words"]:
        word["start"] = word["end"] = 0
    return json.dumps(batch, ensure_ascii=False)


def frames_for(data: SessionData, scenario: Scenario, connection: int) -> list[str]:
    """The WordBatch texts to send on a connection (1-based), after content faults."""
    frames = [] if scenario.empty else list(data.frames)
    if scenario.replay_differs and connection > 1 and frames:
        batch = json.loads(frames[0])
        batch["words"][0]["start"] = batch["words"][0]["start"] + 0.25
        batch["words"][0]["end"] = batch["words"][0]["end"] + 0.25
        frames[0] = json.dumps(batch, ensure_ascii=False)
    if scenario.bad_word and len(frames) >= 2:
        frames[1] = _break_word(frames[1], scenario.bad_word)
    if scenario.garbage_frame and len(frames) >= scenario.garbage_frame:
        frames[scenario.garbage_frame - 1] = '{"words": [ this is not json'
    if scenario.deep_frame and len(frames) >= scenario.deep_frame:
        frames[scenario.deep_frame - 1] = "[" * 100_000
    if scenario.huge_frame_bytes:
        big = {"words": [{"word": "x" * scenario.huge_frame_bytes, "start": 99.0, "end": 99.5}]}
        frames.insert(min(1, len(frames)), json.dumps(big))
    if scenario.zero_times:
        frames = [_zero_times(frame) for frame in frames]
    if scenario.shuffle:
        frames.reverse()
    if scenario.duplicate:
        frames = [f for frame in frames for f in (frame, frame)]
    return frames


def render_event(data: str, scenario: Scenario, number: int, event: str | None = None) -> bytes:
    """One event's bytes with the scenario's framing."""
    eol = scenario.eol
    lines = []
    if event:
        lines.append(f"event: {event}")
    if scenario.ids and event is None:
        lines.append(f"id: {number}")
    if scenario.multiline and event is None and ", " in data:
        head, tail = data.split(", ", 1)
        lines += [f"data: {head},", f"data: {tail}"]
    else:
        lines += [f"data: {line}" for line in data.split("\n")]
    return (eol.join(lines) + eol + eol).encode("utf-8")


#: What a hostile server wraps around an echoed credential: an OSC that retitles the
#: terminal, an erase-line, and a newline that forges an error line of its own.
HOSTILE = "\x1b]0;owned\x07\x1b[2K{secret}\nError: stream 'forged': this line was written by the server"


def echo_frames(frames: list[str], end_data: str | None, secret: str) -> tuple[list[str], str]:
    """The ``echo`` scenario's words stream: the first word is the secret, the end event holds it."""
    if frames:
        batch = json.loads(frames[0])
        batch["words"][0]["word"] = secret
        frames = [json.dumps(batch, ensure_ascii=False), *frames[1:]]
    return frames, json.dumps({"echo": secret})


def first_frame(scenario: Scenario, last_event_id: str | None) -> int:
    """The 1-based number of the first frame a connection sends, after ``Last-Event-ID``.

    >>> first_frame(Scenario(resume="after"), "3"), first_frame(Scenario(resume="at"), "3"), first_frame(Scenario(), "3")
    (4, 3, 1)
    """
    if not scenario.resume or not last_event_id or not last_event_id.isdigit():
        return 1
    last = int(last_event_id)
    return {"after": last + 1, "at": last, "before": max(1, last - 2)}[scenario.resume]


def render_stream(
    data: SessionData, scenario: Scenario, connection: int, *, first: int = 1, secret: str = ""
) -> tuple[list[bytes], bytes | None]:
    """The events of one connection as bytes, from frame ``first`` on, and the end event (``None``: leave it out).

    The BOM and the ``retry`` field ride on the first event. ``secret`` is the
    credential the request carried, for the ``echo`` scenario.
    """
    events: list[bytes] = []
    frames = frames_for(data, scenario, connection)
    if scenario.echo:
        frames, end_data = echo_frames(frames, data.end_data, secret)
        data = SessionData(data.frames, data.has_end, end_data)
    for number, frame in enumerate(frames[first - 1 :], first):
        if scenario.unknown_events:
            events.append(render_event('{"t": %d}' % number, scenario, number, event="ping"))
        events.append(render_event(frame, scenario, number))
    end: bytes | None = None
    if scenario.end_without_data or (data.has_end and data.end_data is None):
        end = f"event: end{scenario.eol}{scenario.eol}".encode()
    elif data.has_end and data.end_data is not None:
        end = render_event(data.end_data, scenario, 0, event="end")
    if scenario.no_end_connections < 0 or connection <= scenario.no_end_connections:
        end = None
    prefix = b""
    if scenario.retry_ms is not None:
        prefix += f"retry: {scenario.retry_ms}{scenario.eol}".encode()
    if scenario.bom:
        prefix = b"\xef\xbb\xbf" + prefix
    if prefix:
        if events:
            events[0] = prefix + events[0]
        elif end is not None:
            end = prefix + end
    return events, end
