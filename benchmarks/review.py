"""How fast a review page opens and scrolls, for one hour and ten hours of speech, in headless Chromium.

    python benchmarks/review.py

For each: the page's size, the seconds Python takes to write it, and, measured
inside the page (``performance.now()``): the time until its script has laid out
every cue, and the time to scroll the timeline from start to end in 50 steps,
redrawing the word ticks at each. Target: a ten-hour page usable within a few
seconds. Needs Chromium (``chromium`` on the PATH).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from speed import make_capture  # noqa: E402

from transcribe_export.collect.reader import read_capture  # noqa: E402
from transcribe_export.models import SessionInfo  # noqa: E402
from transcribe_export.reviewer import session_page  # noqa: E402
from transcribe_export.run.pipeline import build_transcript  # noqa: E402

PROBE = """<!doctype html><pre id="out">waiting</pre>
<iframe id="f" src="page.html" width="1280" height="900"></iframe><script>
const t0=performance.now(),f=document.getElementById('f');
f.addEventListener('load',function(){const loaded=performance.now()-t0,d=f.contentDocument,tl=d.getElementById('timeline');
const s0=performance.now();for(let k=0;k<=50;k++){tl.scrollLeft=tl.scrollWidth*k/50;tl.dispatchEvent(new Event('scroll'));}
const scrolled=performance.now()-s0;
const bars=d.querySelectorAll('button.bar').length;
document.getElementById('out').textContent=[loaded.toFixed(0),scrolled.toFixed(0),bars].join(' ');});
</script>"""


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        print("Chromium is not installed: nothing to measure")
        return
    print(f"{'input':<10} {'cues':>7} {'page MB':>8} {'write (s)':>10} {'load (s)':>9} {'scroll x50 (s)':>15}")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for hours in (1, 10):
            capture = make_capture(hours * 60)
            transcript = build_transcript(read_capture([capture], SessionInfo("bench", "completed")))
            started = time.perf_counter()
            page = session_page(transcript, name="page")
            written = time.perf_counter() - started
            (out / "page.html").write_text(page.html, encoding="utf-8")
            (out / "probe.html").write_text(PROBE, encoding="utf-8")
            dom = subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--user-data-dir={out / 'profile'}",
                 "--allow-file-access-from-files", "--virtual-time-budget=60000", "--dump-dom", (out / "probe.html").as_uri()],
                capture_output=True, text=True, timeout=600,
            ).stdout
            found = re.search(r'<pre id="out">(\d+) (\d+) (\d+)</pre>', dom)
            load, scroll = (f"{int(found.group(1)) / 1000:.2f}", f"{int(found.group(2)) / 1000:.2f}") if found else ("?", "?")
            print(f"{hours:>2} hour{'s' if hours > 1 else ' '}  {page.cues:>7} {len(page.html) / 1e6:>8.1f} {written:>10.2f} "
                  f"{load:>9} {scroll:>15}")
    print("target: a ten-hour page loads and scrolls within a few seconds")


if __name__ == "__main__":
    main()
