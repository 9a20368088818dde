"""`convert`, `demo`, `emulate` and the entry points."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from conftest import ROOT, SAMPLES, SESSIONS, outputs, shown_in_srt, shown_in_vtt, squeeze, words_in_capture
from transcribe_export.cli import main

SAMPLE_IDS = sorted(p.stem for p in SAMPLES.glob("*.sse"))


def invoke(*args: str) -> "object":
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_convert_a_capture(tmp_path: Path) -> None:
    capture = SAMPLES / "product-demo.sse"
    result = invoke("convert", str(capture), "-o", str(tmp_path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")  # type: ignore[attr-defined]
    expected = squeeze("".join(w["word"] for w in words_in_capture(capture)))
    assert shown_in_srt(tmp_path / "product-demo.srt") == expected
    assert shown_in_vtt(tmp_path / "product-demo.vtt") == expected


def test_convert_a_word_list_and_a_word_batch(tmp_path: Path) -> None:
    words = [{"word": "Hi", "start": 0.0, "end": 0.3}, {"word": "there", "start": 0.4, "end": 0.8}, {"word": ".", "start": 0.8, "end": 0.8}]
    (tmp_path / "list.json").write_text(json.dumps(words))
    (tmp_path / "batch.json").write_text(json.dumps({"words": words}))
    out = tmp_path / "out"
    result = invoke("convert", str(tmp_path / "list.json"), str(tmp_path / "batch.json"), "-o", str(out), "-f", "srt")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert (out / "list.srt").read_text() == (out / "batch.srt").read_text() == "1\n00:00:00,000 --> 00:00:00,833\nHi there.\n\n"


def test_convert_our_own_transcript_recuts_without_the_api(tmp_path: Path) -> None:
    first = tmp_path / "first"
    invoke("convert", str(SAMPLES / "support-answer.sse"), "-o", str(first))
    again = tmp_path / "again"
    result = invoke("convert", str(first / "support-answer.json"), "-o", str(again))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    # The same words and settings give the same captions and tokens.
    assert (again / "support-answer.srt").read_text() == (first / "support-answer.srt").read_text()
    one, two = (json.loads((d / "support-answer.json").read_text()) for d in (first, again))
    assert one["tokens"] == two["tokens"]
    assert two["session"] == one["session"]


def test_convert_refuses_a_capture_without_end(tmp_path: Path) -> None:
    result = invoke("convert", str(SESSIONS / "no-end.sse"), "-o", str(tmp_path))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr.startswith("Error: stream 'no-end': the words stream ended without its 'end' event")  # type: ignore[attr-defined]
    assert outputs(tmp_path) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"word": "a", "start": 0, "end": NaN}]', "is not valid JSON (NaN is not a finite number (JSON has no NaN))"),
        ('[{"word": "a", "start": 2, "end": 1}]', "words[0].end is 1, before its start 2"),
        ('{"something": 1}', "is not a words capture or transcript (a JSON document, but not a list of words"),
        ("[1", "is not valid JSON"),
    ],
)
def test_convert_bad_json_inputs(content: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = invoke("convert", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr.startswith("Error: stream 'bad': ")  # type: ignore[attr-defined]
    assert message in result.stderr  # type: ignore[attr-defined]
    assert list((tmp_path / "out").iterdir()) == []


def test_convert_refuses_two_inputs_with_one_output_name(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "product-demo.sse", tmp_path / "x.sse")
    (tmp_path / "x.json").write_text("[]")
    result = invoke("convert", str(tmp_path / "x.sse"), str(tmp_path / "x.json"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "would both be written as 'x'" in result.stderr  # type: ignore[attr-defined]


def test_demo_writes_every_sample_and_prints_a_table(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = invoke("demo", "-o", str(out))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert outputs(out) == sorted(f"{i}.{s}" for i in SAMPLE_IDS for s in ("srt", "vtt", "json"))
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    assert lines[0].startswith(f"Exported {len(SAMPLE_IDS)} sessions from the built-in emulator (http://127.0.0.1:")
    for stream_id in SAMPLE_IDS:
        count = len(words_in_capture(SAMPLES / f"{stream_id}.sse"))
        assert any(line.split()[:2] == [stream_id, str(count)] for line in lines), stream_id


def test_demo_ignores_a_real_key_in_the_environment(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "-o", str(tmp_path)], env={"HEYGEN_API_KEY": "real-key-999"})
    assert result.exit_code == 0
    assert "real-key-999" not in result.stdout + result.stderr


def test_python_dash_m_and_the_console_script() -> None:
    done = subprocess.run([sys.executable, "-m", "transcribe_export", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("Usage: "), done.stderr
    try:
        metadata.distribution("transcribe-export")
    except metadata.PackageNotFoundError:
        pytest.skip("the package is not installed, so it has no console script")
    # pip puts the script beside the interpreter it installed into; PATH may hold another one.
    script = Path(sys.executable).parent / "transcribe-export"
    assert script.is_file(), f"no console script at {script}"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"transcribe-export, version {metadata.version('transcribe-export')}\n"


def _speed_benchmark() -> Any:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import speed
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return speed


def test_the_speed_benchmarks_clean_environment_runs_no_start_up_hooks(tmp_path: Path) -> None:
    """benchmarks/speed.py times start-up in a venv that sees the installed packages but runs none
    of their folders' .pth hooks (a machine's own, such as a sandbox's certificate loader)."""
    import site
    import sysconfig

    speed = _speed_benchmark()
    hooked = tmp_path / "hooked"
    hooked.mkdir()
    (hooked / "hook.pth").write_text("import os; os.environ['HOOK_RAN'] = 'yes'\n")
    probe = "import os, click, transcribe_export; print(os.environ.get('HOOK_RAN', 'no'), transcribe_export.__file__)"
    # the control: where the folder is a site folder, as site-packages is, its hook runs
    ran = subprocess.run([sys.executable, "-c", f"import site; site.addsitedir({str(hooked)!r}); {probe}"],
                         capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT)})
    assert ran.stdout.split()[0] == "yes"
    installed = [str(hooked), sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    python, script = speed.clean_environment(tmp_path / "env", installed)
    clean = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT)})
    assert clean.stdout.split() == ["no", str(ROOT / "transcribe_export" / "__init__.py")]
    version = subprocess.run([script, "--version"], capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
    assert version.returncode == 0 and version.stdout.startswith("transcribe-export, version "), version.stderr


def test_the_speed_benchmarks_ratio_is_the_median_of_rounds_of_equal_work() -> None:
    """benchmarks/speed.py's ten-to-one ratio: each round five short runs, the long one, five short
    ones; a round's ratio is the long time over the mean of its ten short ones; the median of the
    rounds' is the figure, the best-of ratio (best long over best fifth short run) beside it.
    The times are scripted and the figures worked out by hand."""
    speed = _speed_benchmark()
    short = iter([1, 1, 1, 1, 2] + [1] * 5 + [2, 2, 2, 2, 4] + [2] * 5 + [0.5, 1, 1, 1, 1.5] + [1.5] * 5)  # means 1.1, 2.2, 1.25
    long = iter([11, 33, 15])  # ratios 10, 15, 12
    order: list[str] = []

    def one() -> float:
        order.append("1")
        return float(next(short))

    def ten() -> float:
        order.append("10")
        return float(next(long))

    ratio, best = speed.in_rounds(one, ten, rounds=3)
    assert ratio == pytest.approx(12.0)
    assert best == pytest.approx(11 / 1.5)  # the fifth short runs were 2, 4, 1.5 (the quickest of all, 0.5, isn't one)
    assert order == (["1"] * 5 + ["10"] + ["1"] * 5) * 3


def test_emulate_serves_until_interrupted(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "transcribe_export", "emulate", "--port", "0", "--samples", str(SESSIONS), "--api-key", "k"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stderr.readline()  # type: ignore[union-attr]
        assert banner.startswith(f"Serving {len(list(SESSIONS.glob('*.sse')))} sessions from ")
        base = banner.rsplit(" at ", 1)[1].strip()
        status = requests.get(f"{base}/v3/avatar-realtime/failed", headers={"x-api-key": "k"}, timeout=5)
        assert status.json() == {"data": {"stream_id": "failed", "status": "error", "error_message": "avatar failed to load"}}
        denied = requests.get(f"{base}/v3/avatar-realtime/failed", headers={"x-api-key": "no"}, timeout=5)
        assert denied.status_code == 401 and denied.json()["error"]["code"] == "authentication_failed"
        missing = requests.get(f"{base}/v3/avatar-realtime/zzz/words", headers={"x-api-key": "k"}, timeout=5)
        assert missing.status_code == 404 and missing.json()["error"]["message"] == "Streaming session not found."
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_emulate_port_in_use_is_a_usage_error() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke("emulate", "--port", str(port))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr  # type: ignore[attr-defined]


def test_the_readme_shows_what_demo_really_prints(tmp_path: Path) -> None:
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ transcribe-export demo\n", 1)[1].split("$ head", 1)[0]
    documented = [line for line in block.splitlines() if line.startswith("  ")]
    printed = [line for line in invoke("demo", "-o", str(tmp_path)).stdout.splitlines() if line.startswith("  ")]  # type: ignore[attr-defined]
    assert printed == documented


def test_convert_never_overwrites_its_input(tmp_path: Path) -> None:
    words = tmp_path / "words.json"
    original = '[{"word": "hi", "start": 0, "end": 0.5}]'
    words.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(words), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {str(words)!r} would be overwritten by its own json output."
        " Convert into another folder (--output-dir), or leave that format out."
    )
    assert words.read_text(encoding="utf-8") == original
    assert CliRunner().invoke(main, ["convert", str(words), "-o", str(tmp_path), "-f", "srt"]).exit_code == 0  # no JSON: fine


@pytest.mark.parametrize(("name", "content"), [("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"), ("film.srt", b"1\n00:00:01,000 --> 00:00:02,000\nHi\n")])
def test_convert_names_what_is_not_a_capture(name: str, content: bytes, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["convert", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{str(path)!r} is not a words capture or transcript (it starts with" in result.stderr
    assert "without its 'end' event" not in result.stderr


@pytest.mark.parametrize("args", [["-f", "srt", "-f", "vtt"], ["--preset", "bbc", "--preset=dcmp"], ["-fsrt", "--format", "vtt"]])
def test_an_option_given_twice_is_refused_not_half_ignored(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "product-demo.sse"), "-o", str(tmp_path), *args])
    assert result.exit_code == 2
    assert "is given twice; give it once" in result.stderr.splitlines()[-1]
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []


NETWORK_AND_STATE = ("requests", "urllib3", "http.server", "sqlite3", "transcribe_export.emulate.server",
                     "transcribe_export.collect.client", "transcribe_export.run.state")
# What only some paths need, and costs start-up: checksums and the state file's fingerprint (export),
# click's "did you mean" suggestions (a mistyped option), its progress bar (a terminal), and the
# thread pool of export's jobs (convert reads, cuts and writes its files in one thread).
NOT_AT_START_UP = ("hashlib", "difflib", "click._termui_impl", "concurrent.futures")


# What --help and a usage error never load: the pipeline's data, its presets and its writers' timeline.
PIPELINE = ("transcribe_export.models", "transcribe_export.segmentation.presets", "transcribe_export.write.timeline",
            "fractions")


@pytest.mark.parametrize("args", [["--help"], ["export", "--help"], ["convert", "--help"], ["convert", "--no-such-flag"]])
def test_help_and_usage_errors_load_none_of_the_pipeline(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from transcribe_export.cli import main\n"
        f"try:\n    main({args!r}, standalone_mode=False)\nexcept Exception:\n    pass\n"
        f"print(sorted(m for m in {PIPELINE!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--help"], ["export", "--help"], ["convert", str(SAMPLES / "product-demo.sse"), "-f", "srt"],
        ["check", str(ROOT / "tests" / "check" / "clean.vtt")], ["review", "TRANSCRIPT"],
    ],
    ids=["help", "export-help", "convert", "check", "review"],
)
def test_commands_that_need_no_network_never_load_it(args: list[str], tmp_path: Path) -> None:
    # In a fresh interpreter: the command runs, then we look at what it imported.
    if args[0] == "review":  # a transcript to review, made first in another process
        subprocess.run([sys.executable, "-m", "transcribe_export", "convert", str(SAMPLES / "product-demo.sse"), "-f", "json",
                        "-o", str(tmp_path / "in")], check=True, capture_output=True)
        args = ["review", str(tmp_path / "in" / "product-demo.json")]
    code = (
        "import sys\n"
        "from transcribe_export.cli import main\n"
        f"args = {args!r} + (['-o', {str(tmp_path / 'out')!r}] if {args!r}[0] in ('convert', 'review') else [])\n"
        "try:\n    main(args, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {NETWORK_AND_STATE + NOT_AT_START_UP!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
    if args[0] in ("convert", "review"):
        assert any((tmp_path / "out").iterdir())  # the command did its work


def test_the_command_sets_its_modules_aside_from_the_collector_and_a_library_user_keeps_it() -> None:
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="transcribe-export")
    assert script.value == "transcribe_export.__main__:run"
    probe = "import gc, sys\n{}\nprint(gc.get_freeze_count() > 0, gc.isenabled())"
    command = subprocess.run([sys.executable, "-c", probe.format("import transcribe_export.__main__")],
                             capture_output=True, text=True, check=True)
    assert command.stdout.split() == ["True", "True"]  # frozen, and the collector back on for the command's work
    library = subprocess.run([sys.executable, "-c", probe.format("import transcribe_export, transcribe_export.cli")],
                             capture_output=True, text=True, check=True)
    assert library.stdout.split() == ["False", "True"]
    off = subprocess.run([sys.executable, "-c", "import gc; gc.disable()\n" + probe.format("import transcribe_export.__main__")],
                         capture_output=True, text=True, check=True)
    assert off.stdout.split() == ["True", "False"]  # a collector that was off stays off
