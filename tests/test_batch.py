"""Batch, cron and library use: many ids, parallel workers, runs that never redo or lose work."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml
from click.testing import CliRunner, Result

import transcribe_export as tx
from conftest import KEY, SAMPLES, outputs, words_in_capture
from transcribe_export.cli import main
from transcribe_export.emulate.scenarios import load_scenario_file
from transcribe_export.emulate.server import Emulator


def scenarios(tmp_path: Path, sessions: dict) -> dict:
    path = tmp_path / "scenarios.yaml"
    path.write_text(yaml.safe_dump({"sessions": sessions}))
    return load_scenario_file(path)


def run(emu: Emulator, *args: str, stdin: str | None = None) -> Result:
    env = {"HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emu.base_url, "HEYGEN_BEARER_TOKEN": None}
    return CliRunner().invoke(main, ["export", *args], env=env, input=stdin, catch_exceptions=False)


@pytest.fixture
def emu(tmp_path: Path) -> Emulator:
    many = {f"s{n:02d}": {"session": "es-bienvenida"} for n in range(12)}
    extra = {
        "later": {"session": "es-bienvenida", "pending_s": 1.0},
        "failed": {"session": "es-bienvenida", "scenario": "error"},
        "flaky": {"session": "es-bienvenida", "status_errors": [503, 503, 503]},
    }
    with Emulator(SAMPLES, api_key=KEY, scenarios=scenarios(tmp_path, {**many, **extra})) as emulator:
        yield emulator


def requested(emu: Emulator, stream_id: str) -> int:
    return sum(1 for r in emu.requests if r.stream_id == stream_id)


# -- inputs -------------------------------------------------------------------


def test_ids_from_a_file_and_from_stdin(emu: Emulator, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("# finished yesterday\ns00\n\n  s01  # the demo\ns00\n")
    result = run(emu, "--ids-file", str(ids), "s02", "-o", str(tmp_path / "a"))
    assert result.exit_code == 0, result.stderr
    assert outputs(tmp_path / "a") == sorted(f"{i}.{s}" for i in ("s00", "s01", "s02") for s in ("json", "srt", "vtt"))
    result = run(emu, "-", "-o", str(tmp_path / "b"), stdin="s03\n# nothing\ns04\ns03\n")
    assert result.exit_code == 0, result.stderr
    assert outputs(tmp_path / "b") == sorted(f"{i}.{s}" for i in ("s03", "s04") for s in ("json", "srt", "vtt"))
    assert requested(emu, "s00") == 2  # a duplicate id is exported once


def test_no_ids_at_all_is_a_usage_error(emu: Emulator, tmp_path: Path) -> None:
    result = run(emu, "-", "-o", str(tmp_path), stdin="# only comments\n\n")
    assert result.exit_code == 2 and "no stream ids given" in result.stderr
    assert emu.requests == []


# -- concurrency and the shared rate limit -------------------------------------


def test_a_429_seen_by_one_worker_holds_back_every_worker(tmp_path: Path) -> None:
    sessions = {f"r{n}": {"session": "es-bienvenida", "status_errors": [429], "retry_after": "1"} for n in range(6)}
    with Emulator(SAMPLES, api_key=KEY, scenarios=scenarios(tmp_path, sessions)) as emulator:
        result = run(emulator, *sessions, "-o", str(tmp_path / "out"), "--jobs", "4")
        assert result.exit_code == 0, result.stderr
        requests = sorted(emulator.requests, key=lambda r: r.at)
    assert len(outputs(tmp_path / "out")) == 18  # all six exported
    assert len(requests) == 18  # per session: a 429, the status, the words; nothing retried twice
    # Only requests already under way when the first 429 came back (at most one per worker, each a
    # session's first status request) may arrive within the second it asked for: every other
    # request, from any worker, waits behind the shared limiter. A lower bound only, so no timing flake.
    first = requests[0].at
    early = [r for r in requests if r.at - first < 0.95]
    assert 1 <= len(early) <= 4
    assert all(not r.raw_path.endswith("/words") for r in early)
    assert len({r.stream_id for r in early}) == len(early)


def test_jobs_run_sessions_at_the_same_time(tmp_path: Path) -> None:
    with Emulator(SAMPLES, latency=0.2) as emulator:
        ids = [f"x{n}" for n in range(8)]
        for stream_id in ids:
            (tmp_path / f"{stream_id}.sse").write_bytes((SAMPLES / "es-bienvenida.sse").read_bytes())
    with Emulator(tmp_path, latency=0.2) as emulator:
        result = run(emulator, *ids, "-o", str(tmp_path / "out"), "--jobs", "8")
        requests = sorted(emulator.requests, key=lambda r: r.at)
    assert result.exit_code == 0, result.stderr
    # One worker asks for a session's status, then (0.2 s later) its words, then the next session.
    # Several sessions' status requests before the first words request means workers ran at once.
    first_words = next(k for k, r in enumerate(requests) if r.raw_path.endswith("/words"))
    assert len({r.stream_id for r in requests[:first_words]}) >= 2


# -- idempotent, resumable runs ------------------------------------------------


def test_a_rerun_fetches_nothing_and_force_fetches_again(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(emu, "s00", "s01", "-o", str(out)).exit_code == 0
    before = len(emu.requests)
    result = run(emu, "s00", "s01", "-o", str(out), "-v")
    assert result.exit_code == 0
    assert len(emu.requests) == before  # nothing re-fetched
    assert "stream 's00': up-to-date" in result.stderr
    assert run(emu, "s00", "-o", str(out), "--force").exit_code == 0
    assert len(emu.requests) == before + 2


def test_a_deleted_file_is_made_again_from_the_saved_transcript(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(emu, "s00", "-o", str(out))
    original = (out / "s00.vtt").read_bytes()
    (out / "s00.vtt").unlink()
    before = len(emu.requests)
    assert run(emu, "s00", "-o", str(out)).exit_code == 0
    assert len(emu.requests) == before  # cut again from s00.json: no network call
    assert (out / "s00.vtt").read_bytes() == original
    (out / "s00.json").unlink()  # without the transcript, only the server has the words
    assert run(emu, "s00", "-o", str(out)).exit_code == 0
    assert len(emu.requests) == before + 2 and (out / "s00.json").is_file()


def test_not_ready_then_ready_across_two_runs(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run(emu, "later", "s00", "-o", str(out), "--no-wait")
    assert (first.exit_code, first.stderr) == (75, "")  # silent: cron mails nothing
    assert outputs(out) == ["s00.json", "s00.srt", "s00.vtt"]
    deadline = time.monotonic() + 30
    while (second := run(emu, "later", "s00", "-o", str(out), "--no-wait")).exit_code == 75 and time.monotonic() < deadline:
        time.sleep(0.05)  # poll until the session has completed
    assert second.exit_code == 0, second.stderr
    assert "later.srt" in outputs(out)


def test_permanent_failures_wait_for_retry_failed_transient_ones_are_retried(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run(emu, "failed", "nope", "flaky", "s00", "-o", str(out), "--retries", "0")
    assert first.exit_code == 1
    assert first.stderr.count("Error: ") == 3
    counts = {i: requested(emu, i) for i in ("failed", "nope", "flaky")}
    second = run(emu, "failed", "nope", "flaky", "s00", "-o", str(out), "--retries", "0")
    assert second.exit_code == 1
    assert requested(emu, "failed") == counts["failed"] and requested(emu, "nope") == counts["nope"]  # permanent: left alone
    assert requested(emu, "flaky") > counts["flaky"]  # transient: tried again
    assert "a permanent failure: --retry-failed tries it again" in second.stderr
    third = run(emu, "failed", "-o", str(out), "--retry-failed")
    assert requested(emu, "failed") > counts["failed"] and third.exit_code == 1


def test_report_file(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(emu, "s00", "-o", str(out))
    report_path = tmp_path / "report.json"
    result = run(emu, "s00", "s01", "later", "nope", "-o", str(out), "--no-wait", "--report", str(report_path))
    assert result.exit_code == 1
    report = json.loads(report_path.read_text())
    assert report["summary"] == {"exported": 1, "up-to-date": 1, "not-ready": 1, "failed": 1, "not-started": 0}
    by_id = {s["stream_id"]: s for s in report["sessions"]}
    assert [s["stream_id"] for s in report["sessions"]] == ["s00", "s01", "later", "nope"]
    assert by_id["s01"]["files"] == ["s01.srt", "s01.vtt", "s01.json"]
    assert by_id["s01"]["words"] == len(words_in_capture(SAMPLES / "es-bienvenida.sse")) and by_id["s01"]["cues"] > 0
    assert by_id["s01"]["seconds"] > 0
    assert by_id["nope"]["reason"].startswith("stream 'nope': no session with id 'nope'")
    assert by_id["later"]["reason"] == "stream 'later': the session is still pending. Export it again once the session has completed."
    assert KEY not in report_path.read_text()


def test_name_template(emu: Emulator, tmp_path: Path) -> None:
    assert run(emu, "s00", "-o", str(tmp_path / "a"), "--name-template", "heygen-{stream_id}").exit_code == 0
    assert outputs(tmp_path / "a") == ["heygen-s00.json", "heygen-s00.srt", "heygen-s00.vtt"]
    bad = run(emu, "s00", "-o", str(tmp_path / "b"), "--name-template", "same-for-all")
    assert bad.exit_code == 2 and "has no {stream_id}" in bad.stderr


def test_json_logs(emu: Emulator, tmp_path: Path) -> None:
    result = run(emu, "s00", "-o", str(tmp_path), "-v", "--log-format", "json")
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert any(r["message"].startswith("stream 's00': exported") and r["level"] == "INFO" for r in records)


# -- processes: the lock, SIGKILL, SIGTERM ------------------------------------


def cli(emu: Emulator, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emu.base_url}
    return subprocess.Popen([sys.executable, "-m", "transcribe_export", "export", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def slow(tmp_path: Path) -> Emulator:
    """Twelve sessions that each stream for about half a second."""
    sessions = {f"slow{n:02d}": {"session": "es-bienvenida", "scenario": "trickle"} for n in range(12)}
    with Emulator(SAMPLES, api_key=KEY, scenarios=scenarios(tmp_path, sessions)) as emulator:
        yield emulator


def wait_for_requests(emu: Emulator, count: int) -> None:
    deadline = time.monotonic() + 20
    while len(emu.requests) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_second_run_on_the_same_folder_exits_at_once(slow: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = cli(slow, "slow00", "slow01", "slow02", "-o", str(out), "--jobs", "1")
    wait_for_requests(slow, 1)
    second = subprocess.run(
        [sys.executable, "-m", "transcribe_export", "export", "slow03", "-o", str(out)],
        env={**os.environ, "HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": slow.base_url}, capture_output=True, text=True,
    )
    assert second.returncode == 75  # at once: had it waited for the lock, it would have exported (exit 0)
    assert f"another transcribe-export run (pid {first.pid}) is using the output folder" in second.stderr
    assert first.wait(timeout=60) == 0
    assert not any(r.stream_id == "slow03" for r in slow.requests)


def test_killed_mid_batch_then_rerun_gives_every_file_exactly(slow: Emulator, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    ids = [f"slow{n:02d}" for n in range(12)]
    assert cli(slow, *ids, "-o", str(reference), "--jobs", "4").wait(timeout=120) == 0
    out = tmp_path / "out"
    victim = cli(slow, *ids, "-o", str(out), "--jobs", "3")
    deadline = time.monotonic() + 60
    while not (out.is_dir() and outputs(out)) and time.monotonic() < deadline:  # kill it once some files are written
        time.sleep(0.01)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    # Whatever stands under a final name is whole: it equals the reference. (A hidden temporary
    # may be left when the kill lands mid-write; the next run sweeps it away.)
    finals = [name for name in outputs(out) if not name.endswith(".tmp")]
    for name in finals:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    assert len(finals) < len(outputs(reference))  # it really was cut short
    rerun = cli(slow, *ids, "-o", str(out), "--jobs", "4")
    assert rerun.wait(timeout=120) == 0, rerun.stderr.read()  # type: ignore[union-attr]
    assert outputs(out) == outputs(reference)  # every file, and no temporary left
    for name in outputs(reference):
        if not name.endswith(".json"):
            assert (out / name).read_bytes() == (reference / name).read_bytes(), name


def test_sigterm_stops_cleanly_after_the_sessions_under_way(slow: Emulator, tmp_path: Path) -> None:
    ids = [f"slow{n:02d}" for n in range(12)]
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    process = cli(slow, *ids, "-o", str(out), "--jobs", "2", "--report", str(report))
    wait_for_requests(slow, 3)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 143
    summary = json.loads(report.read_text())["summary"]
    assert summary["not-started"] > 0 and summary["failed"] == 0
    assert len(outputs(out)) == 3 * summary["exported"]  # the ones under way finished whole


# -- the library --------------------------------------------------------------


def test_export_from_the_library_takes_the_flags_names(emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEYGEN_API_KEY", KEY)
    monkeypatch.setenv("HEYGEN_BASE_URL", emu.base_url)
    seen: list[str] = []
    outcomes = tx.export(["s00", "later", "nope"], out_dir=str(tmp_path / "out"), formats="srt", no_wait=True,
                         name_template="heygen-{stream_id}", on_done=lambda o: seen.append(o.outcome))
    assert [(o.stream_id, o.outcome) for o in outcomes] == [("s00", "exported"), ("later", "not-ready"), ("nope", "failed")]
    assert sorted(seen) == ["exported", "failed", "not-ready"]
    assert outcomes[2].permanent
    assert outputs(tmp_path / "out") == ["heygen-s00.srt"]


def test_export_session_with_client_from_the_environment(emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEYGEN_API_KEY", KEY)
    monkeypatch.setenv("HEYGEN_BASE_URL", emu.base_url)
    (tmp_path / "out").mkdir()
    transcript = tx.export_session("s00", out_dir=tmp_path / "out", formats=["srt"], preset="netflix-es")
    assert transcript.settings["name"] == "netflix-es" and outputs(tmp_path / "out") == ["s00.srt"]
    session = requests.Session()
    client = tx.HeyGenClient(api_key=KEY, base_url=emu.base_url, session=session)
    assert tx.collect_words("s01", client=client).words


def test_progress_bar_only_on_a_terminal(emu: Emulator, tmp_path: Path) -> None:
    import pty

    primary, secondary = pty.openpty()
    env = {**os.environ, "HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emu.base_url, "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-m", "transcribe_export", "export", "s00", "s01", "s02", "-o", str(tmp_path / "tty")],
                          env=env, stderr=secondary, stdout=subprocess.PIPE, timeout=60)
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    assert done.returncode == 0
    assert b"Exporting" in shown and b"3/3" in shown
    piped = run(emu, "s03", "s04", "-o", str(tmp_path / "pipe"))
    assert piped.stderr == ""  # not a terminal: no bar, and silent on success


# -- every wait is bounded, and a stop stops the waits ---------------------------------


@pytest.fixture
def waiting(tmp_path: Path) -> Emulator:
    """'forever' stays pending for an hour; 'odd' reports a status nobody documented; 'quick' is ordinary."""
    sessions = {
        "forever": {"session": "es-bienvenida", "pending_s": 3600.0},
        "odd": {"session": "es-bienvenida", "status": {"status": "cancelled"}},
        "quick": {"session": "es-bienvenida"},
    }
    with Emulator(SAMPLES, api_key=KEY, scenarios=scenarios(tmp_path, sessions)) as emulator:
        yield emulator


def test_an_unknown_status_is_reported_not_polled(waiting: Emulator, tmp_path: Path) -> None:
    result = run(waiting, "odd", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: stream 'odd': HeyGen reported the status 'cancelled', which this version does not know; nothing was"
        " written. Check the session in HeyGen's dashboard, or update transcribe-export."
    )
    assert requested(waiting, "odd") == 1


@pytest.mark.parametrize(("signals", "code"), [([signal.SIGTERM], 143), ([signal.SIGINT, signal.SIGINT], 130)])
def test_sigterm_or_a_second_ctrl_c_stops_the_waits_at_once(
    signals: list[int], code: int, waiting: Emulator, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    process = cli(waiting, "quick", "forever", "-o", str(out), "--jobs", "2", "--report", str(report))
    deadline = time.monotonic() + 60
    while not (requested(waiting, "forever") >= 1 and out.is_dir() and "quick.json" in outputs(out)):
        assert time.monotonic() < deadline, "the run never got going"
        time.sleep(0.02)
    said = []
    for number in signals:
        process.send_signal(number)
        # Wait until this press was handled (the run says so) before the next: two signals sent at
        # once would reach the process as one.
        while not (line := process.stderr.readline()).strip():  # type: ignore[union-attr]
            assert line, "the process ended without saying it was stopping"
        said.append(line.strip())
    assert said[-1].startswith("Stopping now: the sessions under way stop waiting")
    # 'forever' would poll for the whole --wait-timeout (600 s): stopping its wait ends the run now.
    assert process.wait(timeout=60) == code
    stderr = process.stderr.read()  # type: ignore[union-attr]
    assert "Traceback" not in stderr and "Stopped after 1 of 2" in stderr
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert summary["exported"] == 1 and summary["not-started"] == 1  # 'forever' left for the next run
    with sqlite3.connect(out / ".transcribe-export.sqlite") as db:
        assert [row[0] for row in db.execute("SELECT stream_id FROM sessions")] == ["quick"]
