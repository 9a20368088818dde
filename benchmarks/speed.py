"""Conversion speed and memory: SSE capture bytes -> SRT, WebVTT and JSON files.

    python benchmarks/speed.py

Targets (issue "Professional captions"): one hour of speech (~10,000 words)
converts in under 0.25 s beyond interpreter start-up; ten hours in under
eleven times that (cost grows linearly); peak memory under 300 MB. Printed
beside the floor (``json.loads`` of the same frames, the least any converter
must do) and beside deepgram-captions when it is installed.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transcribe_export.collect.reader import read_capture  # noqa: E402
from transcribe_export.models import SessionInfo  # noqa: E402
from transcribe_export.run.pipeline import build_transcript, write_transcript  # noqa: E402
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


def convert(capture: bytes, out: Path) -> int:
    """The whole offline path, as ``transcribe-export convert`` runs it."""
    collected = read_capture([capture[i : i + 65536] for i in range(0, len(capture), 65536)],
                             SessionInfo("bench", "completed"))
    transcript = build_transcript(collected)
    write_transcript(transcript, out, DEFAULT_FORMATS, name="bench")  # SRT, WebVTT and JSON: the targets
    return len(transcript.words)


def best_of(runs: int, action: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def floor(capture: bytes) -> float:
    frames = [line[6:] for line in capture.split(b"\n") if line.startswith(b"data: {\"words\"")]
    return best_of(3, lambda: [json.loads(f) for f in frames])


def peak_memory_mb(hours: float) -> float:
    """Peak resident memory of a fresh process converting ``hours`` of speech."""
    code = (
        "import resource, sys, tempfile, pathlib; sys.path.insert(0, sys.argv[1]);"
        "sys.path.insert(0, sys.argv[1] + '/benchmarks');"
        "import speed; capture = speed.make_capture(float(sys.argv[2]) * 60);"
        "out = pathlib.Path(tempfile.mkdtemp()); speed.convert(capture, out);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(ROOT), str(hours)], capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


def deepgram_time(capture: bytes) -> float | None:
    try:
        from deepgram_captions import DeepgramConverter, srt  # type: ignore[import-not-found]
    except ImportError:
        return None
    frames = [json.loads(line[6:]) for line in capture.split(b"\n") if line.startswith(b"data: {\"words\"")]
    words = [w for f in frames for w in f["words"]]

    def run() -> None:
        dg = [{"word": w["word"], "punctuated_word": w["word"], "start": w["start"], "end": w["end"]} for w in words]
        response = {"results": {"channels": [{"alternatives": [{"transcript": "x", "words": dg}]}]}}
        srt(DeepgramConverter(response))

    return best_of(3, run)


def main() -> None:
    print(f"{'input':<10} {'words':>7} {'ours (s)':>9} {'json.loads floor (s)':>21} {'ours/floor':>10} {'peak MB':>8} "
          f"{'deepgram-captions (s)':>22}")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for hours in (1, 10):
            capture = make_capture(hours * 60)
            words = convert(capture, out)
            seconds = best_of(3 if hours == 1 else 2, lambda capture=capture: convert(capture, out))  # type: ignore[misc]
            base = floor(capture)
            peer = deepgram_time(capture)
            results[hours] = seconds
            peer_text = f"{peer:.3f}" if peer is not None else "not installed"
            print(f"{hours:>2} hour{'s' if hours > 1 else ' '}  {words:>7} {seconds:>9.3f} {base:>21.3f} {seconds / base:>10.1f} "
                  f"{peak_memory_mb(hours):>8.0f} {peer_text:>22}")
    print(f"10 hours / 1 hour: {results[10] / results[1]:.1f}x (linear: 10x; target under 11x)")
    print("targets: 1 hour under 0.250 s; 10 hours under 11x that; peak memory under 300 MB")
    writers()


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
    main()
