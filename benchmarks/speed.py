"""Conversion speed and memory: SSE capture bytes -> SRT, WebVTT and JSON; and start-up of each command.

    python benchmarks/speed.py
    python benchmarks/speed.py --stages   # where one hour's in-process time goes
    python benchmarks/speed.py --instructions   # ten hours / one hour in instructions (valgrind), a repeatable ratio

Printed beside the floor (``json.loads`` of the same frames, the least any
converter must do) and the peers where they are installed (deepgram-captions,
openai-whisper's writer, stable-ts: see benchmarks/quality.py), and ends with a
verdict: each figure beside its target, pass or fail. The targets (issue
"Instant commands"): start-up of ``--help``, ``convert`` of a 30-second capture
and ``check`` of one SRT, whole processes, 0.10 s each (started as from a fresh
virtual environment, which runs no start-up hooks of this machine's: see
``clean_environment``; the figures with this machine's interpreter are printed
beside them); one hour in-process
(SSE bytes to the three texts) 0.10 s; ``convert`` of one hour as a whole
process 0.25 s; ten hours at most 10.5 times one hour (each converted in a
process of its own, as `convert` meets them); peak memory 150 MB.

What is measured is the package as ``pip install .`` builds it: its hot
modules compiled by mypyc (``hatch_build.py``), here built into a temporary
folder first. The pure-Python build (an editable install, or a machine with no
C compiler) follows, for comparison; ``--pure`` measures it alone.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
# The build measured: the source tree (pure Python), or SPEED_TREE, a tree with the compiled modules
# (main() makes one with hatch_build.native_tree, as `pip install .` builds them, and measures it).
TREE = Path(os.environ.get("SPEED_TREE", ROOT))
sys.path.insert(0, str(TREE))

from transcribe_export.collect.reader import read_capture  # noqa: E402
from transcribe_export.gcpause import paused_gc  # noqa: E402
from transcribe_export.models import SessionInfo  # noqa: E402
from transcribe_export.run.pipeline import build_transcript, write_texts, write_transcript  # noqa: E402
from transcribe_export.run.stream import CannotStream, convert_capture  # noqa: E402
from transcribe_export.segmentation.presets import load_preset  # noqa: E402
from transcribe_export.write import DEFAULT_FORMATS, FORMATS, render  # noqa: E402

VOCABULARY = (
    "the a to and of in that is for it you with on as this we be at your can have will from or by an our all more one "
    "video avatar script export caption subtitle timeline editor scene voice language platform studio project render "
    "click choose open change preview review publish upload record speaking background master vertical widescreen"
).split()


def make_capture(minutes: float, seed: int = 7) -> bytes:
    """A realistic words stream: ~160 words a minute, punctuation tokens, batches of <= 10 words or ~1 s."""
    rng = random.Random(seed)
    words, t = [], 0.3
    target = int(minutes * 160)
    count = 0
    while count < target:
        length = rng.randint(4, 18)
        for position in range(length):
            text = rng.choice(VOCABULARY)
            if position == 0:
                text = text.capitalize()
            duration = 0.12 + len(text) * 0.045
            words.append({"word": text, "start": round(t, 3), "end": round(t + duration, 3)})
            t += duration + rng.uniform(0.03, 0.09)
            count += 1
            if position in (length // 2,) and rng.random() < 0.4:
                words.append({"word": ",", "start": words[-1]["end"], "end": words[-1]["end"]})
                t += 0.15
        mark = rng.choice(".?!") if rng.random() < 0.2 else "."
        words.append({"word": mark, "start": words[-1]["end"], "end": words[-1]["end"]})
        t += rng.uniform(0.3, 0.7)
    frames, batch = [], []
    for word in words:
        if batch and (len(batch) >= 10 or word["end"] - batch[0]["start"] > 1.0):
            frames.append(batch)
            batch = []
        batch.append(word)
    frames.append(batch)
    body = "".join(f"data: {json.dumps({'words': f})}\n\n" for f in frames) + 'event: end\ndata: {"done": true}\n\n'
    return body.encode()


def convert(capture: bytes, out: Path | None = None) -> int:
    """SSE bytes to the SRT, WebVTT and JSON texts in-process (the target's definition), or to
    files in ``out`` as ``transcribe-export convert`` writes them (atomically): in stretches
    (run/stream.py), or whole where the capture needs it, as ``convert`` does (run/batch.py)."""
    with paused_gc():  # as `transcribe-export convert` does for each file (run/batch.py)
        session = SessionInfo("bench", "completed")
        try:
            converted = convert_capture((capture[i : i + 65536] for i in range(0, len(capture), 65536)), session)
        except CannotStream:
            pass
        else:
            if out is not None:
                write_texts(out, "bench", converted.texts, stream_id="bench")
            return converted.words
        collected = read_capture([capture[i : i + 65536] for i in range(0, len(capture), 65536)], session)
        transcript = build_transcript(collected)
        if out is None:
            for fmt in DEFAULT_FORMATS:
                render(transcript, fmt)
        else:
            write_transcript(transcript, out, DEFAULT_FORMATS, name="bench")
        words = len(transcript.words)
        del collected, transcript  # freed inside the pause, as convert's files are: nothing left for the collector
    return words


def best_of(runs: int, action: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_alternating(runs: int, *actions: Callable[[], object]) -> list[float]:
    """The best of ``runs`` for each action, run in turn (a, b, a, b, ...): a ratio of their times
    then compares runs made at the same moments, not one burst of runs with a later one (this
    machine's speed drifts by several per cent from minute to minute)."""
    best = [float("inf")] * len(actions)
    for _ in range(runs):
        for index, action in enumerate(actions):
            start = time.perf_counter()
            action()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def floor(capture: bytes) -> float:
    frames = [line[6:] for line in capture.split(b"\n") if line.startswith(b"data: {\"words\"")]
    return best_of(3, lambda: [json.loads(f) for f in frames])


def peak_memory_mb(hours: float) -> float:
    """Peak resident memory of a fresh process converting a capture file of ``hours`` of speech.

    The capture is made here and written to a file first: making it (random words, json.dumps)
    is the benchmark's work, not the converter's, and would count in the child's peak.
    """
    code = (
        "import sys, tempfile, pathlib; sys.path.insert(0, sys.argv[1]);"
        "sys.path.insert(0, sys.argv[1] + '/benchmarks');"
        "import speed; capture = pathlib.Path(sys.argv[2]).read_bytes();"
        "out = pathlib.Path(tempfile.mkdtemp()); speed.convert(capture, out);"  # files: the peak of a real run
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))"
    )  # VmHWM, this process's own peak: getrusage's ru_maxrss keeps the parent's across fork and exec (Linux)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "capture.sse"
        path.write_bytes(make_capture(hours * 60))
        done = subprocess.run([sys.executable, "-c", code, str(ROOT), str(path)], capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


# A fresh process converting the capture file given: timed in-process after the imports and a 30-second
# warm-up conversion, as one `convert` of one file meets memory, every page the conversion touches new to it.
_FRESH = (
    "import sys, time, pathlib; sys.path.insert(0, sys.argv[1] + '/benchmarks'); import speed;"
    "speed.convert(speed.make_capture(0.5)); capture = pathlib.Path(sys.argv[2]).read_bytes();"
    "start = time.perf_counter(); speed.convert(capture); print(time.perf_counter() - start)"
)


def fresh_process_seconds(path: Path) -> float:
    """One conversion of the capture file at ``path`` in a process of its own (see ``_FRESH``)."""
    done = subprocess.run([sys.executable, "-c", _FRESH, str(ROOT), str(path)], capture_output=True, text=True,
                          check=True, env={**os.environ, "SPEED_TREE": str(TREE)})
    return float(done.stdout)


def in_rounds(one: Callable[[], float], ten: Callable[[], float], rounds: int = 7) -> tuple[float, float]:
    """How much longer ``ten`` takes than ``one`` (each a whole fresh process, returning its time).

    Each round runs ``ten`` once and ``one`` ten times (five before, five after), so both sides of
    the ratio do the same work over the same stretch of the machine's time; a round's ratio is the
    ``ten`` time over the mean of its ten ``one`` times, and the figure is the median of the rounds'
    (medians, as the issue "Instant commands" measures and as the start-ups here are).

    Why not the best of N of each, as this benchmark took before: this machine's speed varies by
    several per cent within a second, and a 0.07 s run meets a quick moment whole where a 0.7 s run
    averages over ten, so the best short time is the luckier draw, and the ratio of two bests swings
    with it. ``control`` shows it: on a loop of exactly ten times the work, over eight runs the
    best-of ratio came out 9.81-10.30, the median of rounds 9.92-10.07.

    Returns the median of rounds and, for comparison, the best-of ratio (the best ``ten`` over
    the best of each round's fifth ``one``, as many runs of each).
    """
    fifths: list[float] = []  # each round's fifth ``one``, the one right before its ``ten``
    tens: list[float] = []
    ratios = []
    for _ in range(rounds):
        before = [one() for _ in range(5)]
        tens.append(ten())
        after = [one() for _ in range(5)]
        fifths.append(before[-1])
        ratios.append(tens[-1] / statistics.mean(before + after))
    return statistics.median(ratios), min(tens) / min(fifths)


def linearity(one_hour: bytes, ten_hours: bytes, rounds: int = 7) -> tuple[float, float]:
    """Ten hours' conversion over one hour's (``in_rounds``), each conversion in a process of its own.

    In one long-lived process the one-hour runs would reuse the memory the ten-hour runs left behind
    (0 page faults against 5,000-12,000 for ten hours, each about 1.8 us here): hence the processes.
    """
    with tempfile.TemporaryDirectory() as folder:
        short, long = Path(folder) / "1.sse", Path(folder) / "10.sse"
        short.write_bytes(one_hour)
        long.write_bytes(ten_hours)
        return in_rounds(lambda: fresh_process_seconds(short), lambda: fresh_process_seconds(long), rounds)


# A fresh process running a loop of ``argv[1]`` steps of pure arithmetic (no memory to speak of), timed after a warm-up.
_LOOP = (
    "import sys, time\n"
    "def work(steps):\n    total = 0\n    for i in range(steps): total += i * i % 7\n    return total\n"
    "work(200_000); start = time.perf_counter(); work(int(sys.argv[1])); print(time.perf_counter() - start)"
)


def control(rounds: int = 7) -> tuple[float, float]:
    """``in_rounds`` on work that is exactly ten times as long (a loop of 1.4 and of 14 million
    steps, about as long as one and ten hours' conversion): what the measurement itself makes of
    a ratio of 10 on this machine, printed beside the conversion's."""

    def loop(steps: int) -> float:
        return float(subprocess.run([sys.executable, "-c", _LOOP, str(steps)], capture_output=True, text=True,
                                    check=True).stdout)

    return in_rounds(lambda: loop(1_400_000), lambda: loop(14_000_000), rounds)


def peer_times(capture: bytes) -> dict[str, float | None]:
    """Each peer's own work on the same words (its SRT from its input shape, made beforehand:
    benchmarks/quality.py has both halves), or ``None`` where it is not installed."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import quality

    words = list(read_capture([capture], SessionInfo("bench", "completed")).words)
    preset = load_preset("netflix-en")
    peers = {"deepgram-captions": (quality.deepgram_input, quality.deepgram_srt),
             "whisper writer": (quality.whisper_input, quality.whisper_srt),
             "stable-ts": (quality.whisper_input, quality.stable_ts_srt)}
    times: dict[str, float | None] = {}
    for name, (prepare, run) in peers.items():
        given = prepare(words, preset)
        try:
            run(given, preset)
        except ImportError:
            times[name] = None
            continue
        times[name] = best_of(3, lambda given=given, run=run: run(given, preset))  # type: ignore[misc]
    return times


def stages() -> None:
    """Where one hour's in-process time goes, stage by stage (best of 5 each, the collector paused):
    ``python benchmarks/speed.py --stages``. The stages as the whole-session path runs them
    (run/pipeline.py); ``convert`` runs the same ones a stretch at a time (run/stream.py)."""
    from transcribe_export.segmentation import segmenter
    from transcribe_export.segmentation.presets import resolve_preset
    from transcribe_export.segmentation.text import chunk_words

    capture = make_capture(60)
    pieces = [capture[i : i + 65536] for i in range(0, len(capture), 65536)]

    def timed(label: str, action: Callable[[], Any]) -> Any:
        with paused_gc():
            result = action()
            print(f"{label:<40} {best_of(5, action):.4f}")
        return result

    collected = timed("collect (SSE bytes -> words)", lambda: read_capture(pieces, SessionInfo("bench", "completed")))
    words = collected.words
    preset = resolve_preset("auto", (w.text for w in words))
    chunks = timed("chunk (join tokens)", lambda: [c for c in chunk_words(words, preset.language) if c.text])
    timed("plan (arrays, break costs)", lambda: segmenter._Plan(chunks, words, preset))
    timed("plan + dynamic program", lambda: segmenter._Plan(chunks, words, preset).solve())
    timed("segment (all of the above but collect)", lambda: segmenter.segment(words, preset=preset))
    transcript = timed("build_transcript (segment + checks)", lambda: build_transcript(collected))
    for fmt in DEFAULT_FORMATS:
        timed(f"render {fmt}", lambda fmt=fmt: render(transcript, fmt))  # type: ignore[misc]


def instructions() -> None:
    """The instructions one conversion of one and of ten hours executes, each in a process of its own
    under valgrind's callgrind, less those of the same process that only reads the file: a count the
    machine's load doesn't move, so the ten-to-one ratio it gives is the same on every run, where
    the wall-time ratio swings by a few per cent on a shared machine."""
    import re
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    if shutil.which("valgrind") is None:
        print("valgrind is not installed: no instruction counts")
        return
    code = (
        "import sys, pathlib; sys.path.insert(0, sys.argv[1] + '/benchmarks'); import speed;"
        "speed.convert(speed.make_capture(0.5)); capture = pathlib.Path(sys.argv[2]).read_bytes();"
        "sys.argv[3] == 'convert' and speed.convert(capture)"
    )
    with tempfile.TemporaryDirectory() as folder:
        paths = {hours: Path(folder) / f"{hours}.sse" for hours in (1, 10)}
        words = {}
        for hours, path in paths.items():
            capture = make_capture(hours * 60)
            path.write_bytes(capture)
            words[hours] = capture.count(b'"word"')

        def count(hours: int, action: str) -> int:
            done = subprocess.run(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/{hours}-{action}.out", sys.executable,
                 "-c", code, str(ROOT), str(paths[hours]), action],
                capture_output=True, text=True, check=True,
                env={**os.environ, "SPEED_TREE": str(TREE), "PYTHONHASHSEED": "0"})  # the same dicts' layout each run
            return int(re.findall(r"Collected : (\d+)", done.stderr)[-1])

        runs = [(hours, action) for hours in (1, 10) for action in ("read", "convert")]
        with ThreadPoolExecutor(max_workers=2) as pool:
            counts = dict(zip(runs, pool.map(lambda run: count(*run), runs)))
    spent = {hours: counts[hours, "convert"] - counts[hours, "read"] for hours in (1, 10)}
    print(f"instructions of one conversion: one hour {spent[1]:,}, ten hours {spent[10]:,}: "
          f"{spent[10] / spent[1]:.3f}x for {words[10] / words[1]:.2f}x the words")


def main() -> None:
    """The compiled build's report and verdict, then the pure build's in-process figures."""
    if "SPEED_TREE" in os.environ and "--instructions" in sys.argv[1:]:
        instructions()
        return
    if "SPEED_TREE" in os.environ or "--pure" in sys.argv[1:]:
        report()
        return
    sys.path.insert(0, str(ROOT))
    from hatch_build import native_tree

    with tempfile.TemporaryDirectory() as folder:
        try:
            tree = native_tree(ROOT, Path(folder))
        except subprocess.CalledProcessError as error:
            print(f"(no compiled build here, so the pure-Python one is measured: {error.stderr.strip().splitlines()[-1:]})")
            instructions() if "--instructions" in sys.argv[1:] else report()
            return
        print("The package as `pip install .` builds it (its hot modules compiled by mypyc):\n")
        subprocess.run([sys.executable, __file__, *sys.argv[1:]], env={**os.environ, "SPEED_TREE": str(tree)}, check=True)
    if "--instructions" in sys.argv[1:]:
        return
    hour_capture = make_capture(60)
    convert(hour_capture)
    hour = best_of(5, lambda: convert(hour_capture))
    ratio = linearity(hour_capture, make_capture(600), rounds=3)[0]
    print(f"\nPure Python (an editable install, or no C compiler), in-process: one hour {hour:.3f} s; "
          f"ten hours / one hour {ratio:.2f}x; `python benchmarks/speed.py --pure` for all of its figures")


def report() -> None:
    print(f"{'input':<10} {'words':>7} {'ours (s)':>9} {'json.loads floor (s)':>21} {'ours/floor':>10} {'peak MB':>8}")
    results = {}
    memory = {}
    peers: dict[str, float | None] = {}
    captures = {hours: make_capture(hours * 60) for hours in (1, 10)}
    counts = {hours: convert(capture) for hours, capture in captures.items()}
    # In-process, the figure the targets are about: the two sizes timed in turn (see best_of_alternating).
    in_process = dict(zip(captures, best_of_alternating(7, *(lambda c=c: convert(c) for c in captures.values()))))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for hours, capture in captures.items():
            words, seconds = counts[hours], in_process[hours]
            to_files = best_of(3 if hours == 1 else 2, lambda capture=capture: convert(capture, out))  # type: ignore[misc]
            print(f"   ({hours} h to files on disk, in-process: {to_files:.3f} s)")
            base = floor(capture)
            if hours == 1:
                peers = peer_times(capture)
            results[hours] = seconds
            memory[hours] = peak_memory_mb(hours)
            print(f"{hours:>2} hour{'s' if hours > 1 else ' '}  {words:>7} {seconds:>9.3f} {base:>21.3f} {seconds / base:>10.1f} "
                  f"{memory[hours]:>8.0f}")
    ratio, best = linearity(captures[1], captures[10])
    exact, exact_best = control()
    print(f"10 hours / 1 hour: {ratio:.2f}x, each conversion in a process of its own, the median of 7 rounds of one "
          f"ten-hour and ten one-hour conversions ({results[10] / results[1]:.2f}x in this one); "
          f"{counts[10] / counts[1]:.2f}x the words.\n  The best of 7 of each, as this benchmark measured before: "
          f"{best:.2f}x. A loop of exactly ten times the work, measured both ways: {exact:.2f}x and {exact_best:.2f}x "
          "(the measurement's own error here: see in_rounds).")
    print("\npeers, one hour, the same words (their SRT only; netflix-en's 42 x 2 where they take limits)")
    for name, peer in peers.items():
        print(f"{name:<20} {'not installed' if peer is None else f'{peer:.3f} s'}")
    writers()
    both = startups()
    startup = {name: machine if clean is None else clean for name, (machine, clean) in both.items()}
    bare = startup.pop("python -c pass")
    floor_help = startup.pop("a bare click command's --help")
    print(f"\n{'whole processes, median of 9 (s)':<44} {'this machine':>12} {'clean venv':>11}")
    for name, (machine, clean) in both.items():
        print(f"{name:<44} {machine:>12.3f} {'-' if clean is None else f'{clean:.3f}':>11}")
    print(f"\n'this machine': its interpreter as it is, whose site-packages run start-up hooks in every Python process "
          f"(`python -c pass` {both['python -c pass'][0]:.3f} s); 'clean venv': a virtual environment that sees the same "
          f"installed packages and runs no hooks (`python -c pass` {bare:.3f} s), as a `pip install` into a fresh venv "
          "is started (benchmarks/speed.py: clean_environment). The verdict takes the clean venv's, where there is one.")
    print(f"A click command of no code of ours prints its --help in {floor_help:.3f} s there, loading the standard modules "
          "every command of ours needs (logging, json, dataclasses, pathlib); beside it, ours take "
          + ", ".join(f"{name.split(' (')[0]} {startup[name] - floor_help:+.3f} s" for name in startup if "hour" not in name)
          + " (ours set what they load aside from the garbage collector: transcribe_export/__main__.py).")
    print(f"\n{'verdict':<50} {'measured':>9} {'target':>8}")
    rows = [(f"whole process: {name}" if "hour" in name else f"start-up: {name}", seconds, 0.25 if "hour" in name else 0.10)
            for name, seconds in startup.items()]
    rows += [("one hour, in-process (s)", results[1], 0.10), ("ten hours / one hour (x)", ratio, 10.5),
             ("peak memory, ten hours (MB)", memory[10], 150.0)]
    for label, value, target in rows:
        print(f"{label:<50} {value:>9.3f} {target:>8.2f}  {'pass' if value <= target else 'FAIL'}")


# The floor under our start-up: click and the standard modules every command of ours loads, and no code of ours.
_BARE_CLICK = (
    "import dataclasses, json, logging, pathlib, sys, click\n"
    "@click.group()\ndef main(): 'A command.'\n"
    "@main.command()\n@click.option('--output-dir', type=click.Path(path_type=pathlib.Path))\n"
    "def convert(output_dir): 'Convert.'\n"
    "main(['--help'])"
)


# The console script pip writes for `transcribe-export` (pyproject's [project.scripts]), for the clean environment.
_SCRIPT = """\
import re
import sys
from transcribe_export.__main__ import run
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(run())
"""


def clean_environment(folder: Path, installed: list[str] | None = None) -> tuple[str, str]:
    """A virtual environment with no start-up hooks of its own that sees the installed packages:
    its ``python`` and a ``transcribe-export`` console script in it.

    An interpreter runs every ``.pth`` file of its site-packages at start-up: on some machines
    that is more than the packages (this one's sandbox loads certifi and ``importlib.resources``
    in every Python process, about 0.03 s, which no user's install pays). The virtual environment
    reaches the same installed packages through a path line in a ``.pth`` of its own (a folder
    added that way is on ``sys.path``, but its ``.pth`` files are not run), as a ``pip install``
    into a fresh venv would see them. ``installed``: those folders (by default this interpreter's
    site-packages).
    """
    import site
    import sysconfig

    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    if installed is None:
        installed = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    Path(purelib, "_installed.pth").write_text("\n".join(dict.fromkeys(installed)) + "\n")
    script = venv / "bin" / "transcribe-export"
    script.write_text(f"#!{python}\n" + _SCRIPT)
    script.chmod(0o755)
    return str(python), str(script)


def startups() -> dict[str, tuple[float, float | None]]:
    """Median wall time of 9 runs of each command as a whole process (interpreter start-up included),
    with this machine's interpreter and in a clean environment (:func:`clean_environment`), the
    two in turn (``None`` for the second where no virtual environment can be made here).

    With compiled bytecode, as an installed package has it (pip compiles it at install time): an
    editable install, or ``PYTHONDONTWRITEBYTECODE`` (set on some machines, CI among them), would
    compile every module on every run, some 0.03 s that no user's install pays. So the commands run
    with their bytecode cached in a folder of their own (``PYTHONPYCACHEPREFIX``), after one run
    to fill it; nothing is written beside the sources.
    """
    import shutil

    exe = str(Path(sys.executable).parent / "transcribe-export")
    if not Path(exe).exists():
        exe = shutil.which("transcribe-export") or exe
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(out / "bytecode")
        clean_env = {**env, "PYTHONPATH": str(TREE)}  # the editable install's .pth is not run there
        if TREE != ROOT:
            env["PYTHONPATH"] = str(TREE)  # the commands import the build measured, not the installed one
        try:
            python, script = clean_environment(out)
        except (OSError, subprocess.CalledProcessError) as error:  # a Python without venv (Debian's, without python3-venv)
            print(f"(no virtual environment here, so start-up is timed with this interpreter only: {error})")
            python, script, clean_env = "", "", {}
        capture = out / "half-minute.sse"
        capture.write_bytes(make_capture(0.5))
        subprocess.run([exe, "convert", str(capture), "-o", str(out), "-f", "srt"], check=True, capture_output=True, env=env)
        hour = out / "hour.sse"
        hour.write_bytes(make_capture(60))
        commands = {
            "python -c pass": ([sys.executable, "-c", "pass"], [python, "-c", "pass"]),
            "a bare click command's --help": ([sys.executable, "-c", _BARE_CLICK], [python, "-c", _BARE_CLICK]),
            "--help": ([exe, "--help"], [script, "--help"]),
            "convert (30 s capture -> srt, vtt, json)": ([exe, "convert", str(capture), "-o", str(out / "c")],
                                                         [script, "convert", str(capture), "-o", str(out / "c")]),
            "check (one SRT)": ([exe, "check", str(out / "half-minute.srt")], [script, "check", str(out / "half-minute.srt")]),
            "convert (one hour -> srt, vtt, json)": ([exe, "convert", str(hour), "-o", str(out / "h")],
                                                     [script, "convert", str(hour), "-o", str(out / "h")]),
        }
        medians = {}
        runs = [(env, 0)] + ([(clean_env, 1)] if python else [])
        for name, argvs in commands.items():
            for environment, which in runs:
                subprocess.run(argvs[which], capture_output=True, env=environment)  # fills the bytecode cache
            times: tuple[list[float], list[float]] = ([], [])
            for _ in range(9):
                for environment, which in runs:
                    started = time.perf_counter()
                    subprocess.run(argvs[which], capture_output=True, env=environment)
                    times[which].append(time.perf_counter() - started)
            medians[name] = (statistics.median(times[0]), statistics.median(times[1]) if python else None)
    return medians


def writers() -> None:
    """Each writer alone on one hour of cues (SCC on its own cut: the pipeline's scc_cut)."""
    from transcribe_export.run.pipeline import scc_cut

    capture = make_capture(60)
    collected = read_capture([capture], SessionInfo("bench", "completed"))
    transcript = build_transcript(collected)
    print(f"\n{'writer, one hour':<18} {'seconds':>8}")
    for fmt in FORMATS:
        source = scc_cut(transcript) if fmt == "scc" else transcript
        print(f"{fmt:<18} {best_of(3, lambda source=source, fmt=fmt: render(source, fmt)):>8.3f}")  # type: ignore[misc]


if __name__ == "__main__":
    if "--stages" in sys.argv[1:]:
        stages()
    else:
        main()
