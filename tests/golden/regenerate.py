"""Regenerate the golden files: every sample under every bundled preset, plus the timing options.

Run it only after an intended change of output, then read the diff line by
line and commit it with the change that caused it:

    python tests/golden/regenerate.py && git diff --stat tests/golden

``tests/test_golden.py`` renders the same variants into a temporary folder
and compares them with these files byte for byte.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from transcribe_export.run.batch import convert  # noqa: E402
from transcribe_export.segmentation.presets import preset_names  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.sse"))

#: folder name -> the convert options that produce it.
VARIANTS: dict[str, dict[str, Any]] = {
    **{name: {"preset": name} for name in preset_names()},
    "netflix-en-fps25-word-timing": {"preset": "netflix-en", "fps": "25", "word_timing": True},
    # The delivery formats, on a broadcast timeline (SCC carries Latin text only, so not the Japanese sample).
    "delivery-formats": {"formats": "ttml,scc,ass,txt", "start_timecode": "01:00:00:00",
                         "samples": ["es-bienvenida", "support-answer"]},
    "delivery-formats-ja": {"formats": "ttml,ass,txt", "preset": "auto", "samples": ["ja-tutorial"]},
}


def render(variant: str, out_dir: Path) -> None:
    """Write every sample's files (SRT, VTT and JSON unless the variant says) for one variant into ``out_dir``."""
    options = dict(VARIANTS[variant])
    only = options.pop("samples", None)
    samples = [s for s in SAMPLES if only is None or s.stem in only]
    outcomes = convert(samples, out_dir=out_dir, **options)
    failed = [o.reason for o in outcomes if o.outcome != "exported"]
    if failed:
        raise RuntimeError(f"{variant}: {failed}")


def main() -> None:
    for folder in HERE.iterdir():
        if folder.is_dir() and folder.name not in VARIANTS:
            shutil.rmtree(folder)  # a variant that is gone
    for variant in VARIANTS:
        target = HERE / variant
        shutil.rmtree(target, ignore_errors=True)
        render(variant, target)
        print(f"{variant}: {len(list(target.iterdir()))} files")


if __name__ == "__main__":
    main()
