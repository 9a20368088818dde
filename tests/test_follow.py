"""`follow`: cues while the session streams, files that grow, and at the end export's files byte for byte.

Against the emulator over loopback sockets: the live and lifecycle scenarios,
a connection dropped mid-session; the HLS rendition read back by ffmpeg.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
import srt
import webvtt
from click.testing import CliRunner, Result

from conftest import KEY, SAMPLES, words_in_capture
from transcribe_export.cli import main
from transcribe_export.collect.client import HeyGenClient
from transcribe_export.emulate.server import Emulator
from transcribe_export.models import Cue
from transcribe_export.run.follow import follow, follow_cues
from transcribe_export.write.files import safe_name


@pytest.fixture
def emu() -> Emulator:
    with Emulator(SAMPLES, api_key=KEY) as emulator:
        yield emulator


def run(emu: Emulator, *args: str) -> Result:
    env = {"HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emu.base_url, "HEYGEN_BEARER_TOKEN": None}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def client(emu: Emulator) -> HeyGenClient:
    return HeyGenClient(api_key=KEY, base_url=emu.base_url)


def same_files(a: Path, b: Path, stream_id: str, *, same_network: bool = True) -> None:
    for fmt in ("srt", "vtt", "json"):
        name = f"{safe_name(stream_id)}.{fmt}"
        if fmt == "json" and not same_network:
            # what the collector counted (connections, duplicates) is each run's own network history
            ours, theirs = (json.loads((folder / name).read_text(encoding="utf-8")) for folder in (a, b))
            assert ours.pop("collection") != theirs.pop("collection")
            assert ours == theirs
            continue
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.parametrize(
    ("stream_id", "preset"),
    [
        ("live--product-demo", "auto"),
        ("lifecycle--support-answer", "auto"),
        ("live+drop--product-demo", "auto"),  # the first connection is cut after 3 frames
        # 85 tokens: too few for auto to be sure before the end (it decides at 50, 100, ... words), so named
        ("lifecycle--es-bienvenida", "netflix-es"),
    ],
)
def test_cues_come_while_the_session_streams_and_the_files_are_exports(
    emu: Emulator, tmp_path: Path, stream_id: str, preset: str
) -> None:
    printed: list[tuple[float, int, Cue, bool]] = []
    name = safe_name(stream_id)

    def on_cue(number: int, cue: Cue) -> None:
        # While the session streams the JSON (written at the end only) is not there yet, and the
        # growing SRT already holds this cue.
        streaming = not (tmp_path / "f" / f"{name}.json").exists()
        if streaming:
            shown = list(srt.parse((tmp_path / "f" / f"{name}.srt").read_text(encoding="utf-8")))
            assert len(shown) >= number
        printed.append((time.monotonic(), number, cue, streaming))

    transcript = follow(stream_id, client=client(emu), out_dir=tmp_path / "f", on_cue=on_cue, preset=preset)
    assert [number for _, number, _, _ in printed] == list(range(1, len(transcript.cues) + 1))
    assert [cue for _, _, cue, _ in printed] == list(transcript.cues)
    live = sum(streaming for *_, streaming in printed)
    assert live >= len(printed) / 2, f"only {live} of {len(printed)} cues came before the end"
    # every word, each once (the dropped connection included)
    sample = stream_id.split("--")[1]
    assert [w.text for w in transcript.words] == [w["word"] for w in words_in_capture(SAMPLES / f"{sample}.sse")]
    assert run(emu, "export", stream_id, "-o", str(tmp_path / "e"), "--preset", preset).exit_code == 0
    same_files(tmp_path / "f", tmp_path / "e", stream_id, same_network="drop" not in stream_id)


def test_the_command_prints_srt_and_keeps_an_hls_rendition_ffmpeg_reads(emu: Emulator, tmp_path: Path) -> None:
    stream_id = "live--product-demo"
    result = run(emu, "follow", stream_id, "-o", str(tmp_path), "--format", "srt", "--hls", str(tmp_path / "hls"),
                 "--hls-segment", "2")
    assert result.exit_code == 0, result.output
    files = (tmp_path / f"{safe_name(stream_id)}.srt").read_text(encoding="utf-8")
    assert result.stdout == files  # the printed cues are the file's, numbered the same
    expected = list(srt.parse(files))
    playlist = (tmp_path / "hls" / "captions.m3u8").read_text(encoding="utf-8")
    assert playlist.startswith("#EXTM3U\n") and playlist.rstrip().endswith("#EXT-X-ENDLIST")
    assert "#EXT-X-TARGETDURATION:2\n" in playlist
    for segment in (tmp_path / "hls").glob("captions-*.vtt"):
        assert segment.read_text(encoding="utf-8").startswith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n")
        webvtt.read(str(segment))  # each segment is a WebVTT file of its own
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    done = subprocess.run(["ffmpeg", "-v", "error", "-i", str(tmp_path / "hls" / "captions.m3u8"), "-f", "srt", "-"],
                          capture_output=True, text=True, check=True)
    read = list(srt.parse(done.stdout))
    # every cue once, at its time, with its text (ffmpeg joins the segments, a cue spanning two counted once)
    assert [(s.start, s.end, s.content) for s in read] == [(s.start, s.end, s.content.replace("\u2060", "")) for s in expected]


def test_the_playlist_grows_while_the_session_streams(emu: Emulator, tmp_path: Path) -> None:
    seen: list[str] = []

    def on_cue(number: int, cue: Cue) -> None:
        playlist = tmp_path / "hls" / "captions.m3u8"
        seen.append(playlist.read_text(encoding="utf-8"))

    transcript = follow("live--product-demo", client=client(emu), out_dir=tmp_path, hls_dir=tmp_path / "hls", hls_segment=2,
                        on_cue=on_cue)
    during = [text for text in seen if "#EXT-X-ENDLIST" not in text]
    assert during and any("captions-00000.vtt" in text for text in during)  # segments listed before the end
    lengths = [text.count("#EXTINF") for text in during]
    assert lengths == sorted(lengths)  # only ever added to (EVENT playlist)
    final = (tmp_path / "hls" / "captions.m3u8").read_text(encoding="utf-8")
    last_end = max(cue.end_ms for cue in transcript.cues)
    assert final.count("#EXTINF") == -(-last_end // 2000)  # segments up to the last cue's end


@pytest.mark.parametrize("shown", ["jsonl", "vtt"])
def test_printed_cues_read_back(emu: Emulator, tmp_path: Path, shown: str) -> None:
    result = run(emu, "follow", "live--es-bienvenida", "-o", str(tmp_path), "--format", shown)
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "live--es-bienvenida.json").read_text(encoding="utf-8"))
    segments = document["segments"]
    if shown == "jsonl":
        records = [json.loads(line) for line in result.stdout.splitlines()]
        assert [(r["start"], r["end"], r["lines"]) for r in records] == [(s["start"], s["end"], s["lines"]) for s in segments]
    else:
        captions = webvtt.from_string(result.stdout).captions
        assert [(c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.text.splitlines()) for c in captions] == [
            (round(s["start"] * 1000), round(s["end"] * 1000), s["lines"]) for s in segments
        ]


def test_follow_cues_yields_each_cue_as_it_becomes_final(emu: Emulator, tmp_path: Path) -> None:
    cues = list(follow_cues("live--support-answer", client=client(emu), out_dir=tmp_path))
    document = json.loads((tmp_path / "live--support-answer.json").read_text(encoding="utf-8"))
    assert [c.lines for c in cues] == [tuple(s["lines"]) for s in document["segments"]]


@pytest.mark.parametrize(
    ("stream_id", "code", "message"),
    [
        ("error--product-demo", 1, "HeyGen reports the session failed: avatar failed to load"),
        ("no-such-session", 1, "no-such-session"),
        ("garbage--product-demo", 1, "frame 2 is not valid JSON"),
    ],
)
def test_a_failure_names_the_stream_exits_and_writes_no_end_file(emu: Emulator, tmp_path: Path, stream_id: str, code: int,
                                                                  message: str) -> None:
    result = run(emu, "follow", stream_id, "-o", str(tmp_path), "--retries", "0")
    assert result.exit_code == code
    assert message in result.stderr and stream_id in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / f"{safe_name(stream_id)}.json").exists()


def test_the_library_generator_raises_the_failure_after_the_cues_before_it(emu: Emulator, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="avatar failed to load"):
        list(follow_cues("error--product-demo", client=client(emu), out_dir=tmp_path))


def test_times_of_printed_srt_match_the_session(emu: Emulator, tmp_path: Path) -> None:
    result = run(emu, "follow", "live--support-answer", "-o", str(tmp_path), "--format", "srt")
    printed = list(srt.parse(result.stdout))
    words = words_in_capture(SAMPLES / "support-answer.sse")
    assert printed[0].start == timedelta(milliseconds=round(words[0]["start"] * 1000))


@pytest.mark.parametrize(("sig", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_signal_stops_following_at_once_leaving_whole_files(emu: Emulator, tmp_path: Path, sig: str, code: int) -> None:
    import os
    import signal
    import sys

    env = {**os.environ, "HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emu.base_url}
    env.pop("HEYGEN_BEARER_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "transcribe_export", "follow", "live--product-demo", "-o", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # a cue is out: the session is streaming
    assert json.loads(first)["number"] == 1
    process.send_signal(getattr(signal, sig))
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == code
    assert "Stopped following stream 'live--product-demo'" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "live--product-demo.json").exists()
    assert list(srt.parse((tmp_path / "live--product-demo.srt").read_text(encoding="utf-8")))  # whole, readable
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_completed_session_is_read_at_once_with_exports_files(emu: Emulator, tmp_path: Path) -> None:
    result = run(emu, "follow", "ja-tutorial", "-o", str(tmp_path / "f"), "--format", "none")
    assert result.exit_code == 0 and result.stdout == ""
    assert run(emu, "export", "ja-tutorial", "-o", str(tmp_path / "e")).exit_code == 0
    same_files(tmp_path / "f", tmp_path / "e", "ja-tutorial")


@pytest.mark.parametrize("where", ["out", "hls"])
def test_a_folder_that_cannot_be_made_is_exit_73_before_any_request(emu: Emulator, tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out, hls = (blocker / "sub", tmp_path / "h") if where == "out" else (tmp_path / "o", blocker / "sub")
    before = len(emu.requests)
    result = run(emu, "follow", "live--product-demo", "-o", str(out), "--hls", str(hls))
    assert result.exit_code == 73, result.output
    assert "Traceback" not in result.stderr and str(blocker / "sub") in result.stderr
    assert len(emu.requests) == before  # nothing was asked of the server
