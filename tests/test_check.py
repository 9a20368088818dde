"""`transcribe-export check` on hand-written files, and on our own output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from transcribe_export.cli import main

HERE = Path(__file__).resolve().parent / "check"


def run(*args: str) -> "object":
    return CliRunner().invoke(main, ["check", *args])


def test_every_kind_of_violation_is_found_with_its_cue_numbers() -> None:
    result = run(str(HERE / "violations.srt"), "--json")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    (report,) = json.loads(result.stdout)  # type: ignore[attr-defined]
    rules = {rule: entry["cues"] for rule, entry in report["rules"].items()}
    # Expected by reading the file (see the comments in the table below), not by running the code.
    assert rules == {
        "characters per line": [1, 3, 4, 10],  # 57, 45, 44 and 53 characters
        "lines per cue": [2],  # three lines
        "longest duration": [3],  # 8 s
        "minimum gap": [3],  # 20 ms before cue 4
        "overlap": [4],  # cue 5 starts before 4 ends
        "order": [6],  # cue 6 starts (14.0) before cue 5 started (14.4)
        "empty cue": [7],
        "malformed time": [8, 9],  # a full stop in an SRT time; an end before the start
        "shortest duration": [11],  # 0.4 s with room after it
        "reading speed": [1, 4, 5, 10, 12],  # cue 6 is 40 characters in 2 s: exactly 20, allowed
        "unchained gap": [1, 2],  # gaps of exactly 0.5 s, not closed to 2 frames
    }
    assert report["cues"] == 13 and report["passed"] is False
    assert report["excused"] == {
        "characters per line": [{"cue": 12, "why": "a single word longer than a line"}],
        "longest duration": [{"cue": 13, "why": "one word lasting over 7 s"}],
    }


def test_a_clean_file_passes_and_the_text_report_says_so() -> None:
    result = run(str(HERE / "clean.vtt"))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout.splitlines()[0] == f"{HERE / 'clean.vtt'}: 2 cues against netflix-en: passes"  # type: ignore[attr-defined]


def test_the_preset_changes_the_verdict() -> None:
    # 35-character lines pass Netflix's 42 but not DCMP's 32.
    assert run(str(HERE / "clean.vtt"), "--preset", "dcmp").exit_code == 1  # type: ignore[attr-defined]


# The last column: the sample's sentences and clauses fit the preset's limits, so
# 95% of cue ends must fall on them. In 32- or 25-character lines, or Japanese
# at 13, long clauses must be cut elsewhere (benchmarks/quality.py measures those).
@pytest.mark.parametrize(("sample", "preset", "roomy"), [
    ("product-demo", "netflix-en", True), ("support-answer", "netflix-en", True), ("es-bienvenida", "netflix-es", True),
    ("product-demo", "bbc", True), ("ja-tutorial", "netflix-ja", False), ("product-demo", "dcmp", False),
    ("support-answer", "vertical", False),
])
def test_our_own_output_passes_every_hard_rule(sample: str, preset: str, roomy: bool, tmp_path: Path) -> None:
    convert = CliRunner().invoke(main, ["convert", str(SAMPLES / f"{sample}.sse"), "-o", str(tmp_path), "--preset", preset])
    assert convert.exit_code == 0, convert.stderr
    for suffix in ("srt", "vtt"):
        result = run(str(tmp_path / f"{sample}.{suffix}"), "--preset", preset, "--words", str(tmp_path / f"{sample}.json"), "--json")
        assert result.exit_code == 0, result.stdout  # type: ignore[attr-defined]
        (report,) = json.loads(result.stdout)  # type: ignore[attr-defined]
        if roomy:
            assert report["cue_ends"]["good"] >= 0.95, report["cue_ends"]


def test_words_excuse_gaps_the_speech_itself_forces(tmp_path: Path) -> None:
    (tmp_path / "w.json").write_text(json.dumps([
        {"word": "One", "start": 1.0, "end": 1.5}, {"word": "two", "start": 1.52, "end": 2.0}]))
    (tmp_path / "x.srt").write_text("1\n00:00:01,000 --> 00:00:01,500\nOne\n\n2\n00:00:01,520 --> 00:00:02,500\ntwo\n\n")
    assert run(str(tmp_path / "x.srt")).exit_code == 1  # type: ignore[attr-defined]
    result = run(str(tmp_path / "x.srt"), "--words", str(tmp_path / "w.json"))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "excused: cue 1, minimum gap: its words are closer than the minimum gap" in result.stdout  # type: ignore[attr-defined]
    assert "cue ends: 0% at a sentence end, clause or pause" in result.stdout  # type: ignore[attr-defined]


def test_auto_finds_each_files_language(tmp_path: Path) -> None:
    spanish = tmp_path / "es.srt"
    spanish.write_text("1\n00:00:01,000 --> 00:00:03,000\nHoy les muestro cómo crear un video\n\n"
                       "2\n00:00:04,000 --> 00:00:06,000\npara su empresa, y es muy fácil.\n", encoding="utf-8")
    short = tmp_path / "short.srt"
    short.write_text(GOOD_SRT, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(spanish), str(short)])  # auto is the default
    headers = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert headers == [f"{spanish}: 2 cues against netflix-es: passes", f"{short}: 2 cues against generic: passes"]


# -- a gate: what is not a subtitle file it reads fails, and says why ---------------

GOOD_SRT = "1\n00:00:01,000 --> 00:00:03,000\nHello there.\n\n2\n00:00:04,000 --> 00:00:06,000\nGeneral Kenobi.\n"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("photo.srt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "it is not UTF-8 text (line 1 holds the byte 0xff)"),
        ("latin.srt", GOOD_SRT.replace("there", "caf\u00e9").encode("latin-1"), "it is not UTF-8 text (line 3 holds the byte 0xe9)"),
        ("empty.srt", b"", "it holds no cue (an empty session's file passes with allow_empty)"),
        ("cut.srt", GOOD_SRT.encode()[: GOOD_SRT.index("General")], "cue 2 is cut off after its timing line: the file is truncated"),
        ("cut-early.srt", GOOD_SRT.encode()[: GOOD_SRT.index("00:00:04")], "block 2 is cut off before its timing line: '2'"),
        ("notes.srt", b"just some text\nthat is not a subtitle\n", "block 1 is no cue: 'just some text'"),
        ("header.vtt", b"00:00:01.000 --> 00:00:02.000\nHi\n", "it does not start with the WEBVTT header"),
    ],
)
def test_what_is_not_a_subtitle_file_fails_and_says_why(name: str, content: bytes, problem: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert "FAILS" in result.stdout.splitlines()[0]
    assert any(line.startswith(f"  file: {problem}") for line in result.stdout.splitlines()), result.stdout


def test_utf16_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.srt"
    path.write_bytes(GOOD_SRT.encode("utf-16"))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[0] == f"{path}: 2 cues against generic: passes"  # too few words to tell


def test_an_empty_sessions_files_pass_with_allow_empty(tmp_path: Path) -> None:
    for name, content in (("empty.srt", ""), ("empty.vtt", "WEBVTT\n")):
        (tmp_path / name).write_text(content, encoding="utf-8")
        assert CliRunner().invoke(main, ["check", str(tmp_path / name)]).exit_code == 1
        assert CliRunner().invoke(main, ["check", str(tmp_path / name), "--allow-empty"]).exit_code == 0


def test_with_the_words_reading_speed_is_forced_or_avoidable() -> None:
    from transcribe_export.checker import check_text
    from transcribe_export.models import Word
    from transcribe_export.segmentation.presets import load_preset

    # Cue 1: 39 characters spoken in 1 s, the next word 0.1 s later: no timing can show it under
    # 20 cps (it may stay at most until 1.1 s less the 84 ms gap: 38 cps). Cue 2: 12 characters shown
    # for 0.4 s (30 cps), but the speaker then pauses: it could stay 0.4 s + 0.5 s linger (13 cps): avoidable.
    first = "Forty characters of text said very fast".split()
    words = [Word(w, i * 1.0 / len(first), (i + 1) * 1.0 / len(first)) for i, w in enumerate(first)]
    words += [Word("Then", 1.1, 1.3), Word("slowly.", 1.3, 1.5), Word("End.", 5.0, 5.5)]
    text = ("1\n00:00:00,000 --> 00:00:01,000\nForty characters of text said very fast\n\n"
            "2\n00:00:01,100 --> 00:00:01,500\nThen slowly.\n\n"
            "3\n00:00:05,000 --> 00:00:06,000\nEnd.\n")
    report = check_text(text, preset=load_preset("netflix-en"), words=words)
    assert report.violations["reading speed"] == [2]  # the avoidable one
    assert [(cue, why.split(":")[0]) for cue, why in report.excused["reading speed"]] == [(1, "forced by the speaker's pace")]
    without = check_text(text, preset=load_preset("netflix-en"))
    assert without.violations["reading speed"] == [1, 2]  # without the words, both are reported


def test_on_frames_the_minimum_gap_is_counted_in_frames_of_that_rate(tmp_path: Path) -> None:
    # Cut with --fps 25, two frames are 80 ms; netflix-en's own frame counts are at 24 fps (2 frames: 84 ms).
    assert CliRunner().invoke(main, ["convert", str(SAMPLES / "product-demo.sse"), "-o", str(tmp_path), "-f", "srt",
                                     "--fps", "25", "--preset", "netflix-en"]).exit_code == 0
    srt_file = str(tmp_path / "product-demo.srt")
    on_frames = CliRunner().invoke(main, ["check", srt_file, "--preset", "netflix-en", "--fps", "25"])
    assert on_frames.exit_code == 0, on_frames.stdout
    at_24 = CliRunner().invoke(main, ["check", srt_file, "--preset", "netflix-en"])
    assert at_24.exit_code == 1 and "minimum gap" in at_24.stdout
