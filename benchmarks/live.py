"""Live latency: from a word's arrival to the cue that holds it becoming final.

    python benchmarks/live.py

The emulator serves sessions with the ``live`` scenario's behaviour (frames
published one by one over a real socket) and the collector follows them as
``transcribe-export follow`` does, feeding a LiveSegmenter. HeyGen publishes
each frame as its words are spoken, so a word arrives about when it ends; the
emulator publishes faster than speech (a frame every few milliseconds) to keep
the run short, so latency is measured on the session's clock: the end of the
last word received when the cue became final, minus the end of the word.
Also printed: the time each update of the live cut takes (it cuts the session
so far again), which is all the latency the machine adds.

The bound, explained in the README: a cue is final once every way of cutting
the words still to come passes its end. A pause of the preset's
``pause_break_ms`` settles everything before it at once; otherwise the
words must reach about one cue's length (characters per line times lines, and
the longest duration) past a place every cutting shares, usually a sentence end.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from speed import make_capture  # noqa: E402

from transcribe_export.collect.client import HeyGenClient  # noqa: E402
from transcribe_export.collect.session import collect  # noqa: E402
from transcribe_export.emulate.scenarios import Scenario  # noqa: E402
from transcribe_export.emulate.server import Emulator  # noqa: E402
from transcribe_export.models import Word  # noqa: E402
from transcribe_export.segmentation.live import LiveSegmenter  # noqa: E402

SAMPLES = ROOT / "samples"
PACE_S = 0.003  # seconds between two published frames


def measure(folder: Path, session: str, preset: str) -> dict[str, float]:
    scenario = Scenario(live=True, pace_s=PACE_S)
    with Emulator(folder, scenarios={"bench": (session, scenario)}) as emu:
        client = HeyGenClient(api_key="benchmark-key", base_url=emu.base_url)
        live = LiveSegmenter(preset)
        spoken_lag: list[float] = []
        updates: list[float] = []
        heard = [0]  # the end of the last word received (ms, session clock)

        def arrived(words: list[Word]) -> None:
            heard[0] = max([heard[0], *(w.end_ms for w in words)])
            started = time.perf_counter()
            fresh = live.add(words)
            updates.append(time.perf_counter() - started)
            for cue in fresh:
                spoken_lag.extend((heard[0] - w.end_ms) / 1000 for w in cue.words)

        collected = collect(client, "bench", on_words=arrived)
        live.finish()
        final_at_end = len(collected.words) - len(spoken_lag)
    spoken_lag.sort()
    return {
        "words": len(collected.words),
        "median": statistics.median(spoken_lag) if spoken_lag else float("nan"),
        "p95": spoken_lag[int(0.95 * (len(spoken_lag) - 1))] if spoken_lag else float("nan"),
        "at end": final_at_end,
        "update median ms": statistics.median(updates) * 1000,
        "update max ms": max(updates) * 1000,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        for sample in SAMPLES.glob("*.sse"):
            (path / sample.name).write_bytes(sample.read_bytes())
        (path / "talk-20min.sse").write_bytes(make_capture(20))
        rows = [("product-demo", "auto"), ("support-answer", "auto"), ("es-bienvenida", "netflix-es"),
                ("ja-tutorial", "netflix-ja"), ("talk-20min", "auto"), ("talk-20min", "netflix-en")]
        print(f"{'session':<16} {'preset':<11} {'words':>6} {'latency median (s)':>19} {'p95 (s)':>8} "
              f"{'final only at end':>18} {'update median (ms)':>19} {'update max (ms)':>16}")
        for session, preset in rows:
            r = measure(path, session, preset)
            print(f"{session:<16} {preset:<11} {r['words']:>6.0f} {r['median']:>19.2f} {r['p95']:>8.2f} "
                  f"{r['at end']:>18.0f} {r['update median ms']:>19.1f} {r['update max ms']:>16.1f}")
    print("\nlatency: speech seconds from a word's end to its cue becoming final (on the session's clock);"
          "\nfinal only at end: words whose cue became final only with the end event (the last cues, or all of"
          "\na session too short for auto to be sure of its language before it ends).")


if __name__ == "__main__":
    main()
