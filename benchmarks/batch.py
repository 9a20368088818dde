"""Batch export against a slow API: how close --jobs gets to the ideal.

    python benchmarks/batch.py [--sessions 100] [--latency 0.2]

The emulator serves 100 completed sessions and waits 200 ms before every
answer, like a far-away API. ``transcribe-export export`` runs in its own
process with ``--jobs 1, 4, 8``. Printed: wall time, the ideal (requests x
latency / jobs: two requests a session), their ratio, and the process's peak
memory. Target: within 1.3x of the ideal at 8 jobs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transcribe_export.emulate.server import Emulator  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 4, 8])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        samples = Path(folder) / "sessions"
        samples.mkdir()
        ids = [f"session-{n:03d}" for n in range(args.sessions)]
        for stream_id in ids:
            shutil.copy(ROOT / "samples" / "product-demo.sse", samples / f"{stream_id}.sse")
        print(f"{args.sessions} sessions, {args.latency * 1000:.0f} ms before every answer, 2 requests a session")
        print(f"{'jobs':>4} {'wall (s)':>9} {'ideal (s)':>10} {'ratio':>6} {'peak MB':>8}")
        for jobs in args.jobs:
            with Emulator(samples, latency=args.latency) as emulator:
                out = Path(folder) / f"out-{jobs}"
                env = {**os.environ, "HEYGEN_BASE_URL": emulator.base_url}
                command = [sys.executable, "-m", "transcribe_export", "export", *ids, "-o", str(out), "--jobs", str(jobs)]
                start = time.monotonic()
                process = subprocess.Popen(command, env=env, cwd=ROOT)
                _, status, usage = os.wait4(process.pid, 0)
                wall = time.monotonic() - start
                if status != 0:
                    raise SystemExit(f"export failed with status {status}")
            ideal = 2 * args.sessions * args.latency / jobs
            peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
            print(f"{jobs:>4} {wall:>9.2f} {ideal:>10.2f} {wall / ideal:>6.2f} {peak:>8.0f}")
    print("target: ratio within 1.3 at 8 jobs")


if __name__ == "__main__":
    main()
