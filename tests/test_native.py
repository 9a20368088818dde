"""The compiled build against the pure-Python one.

``pip install .`` compiles the hot modules with mypyc (``hatch_build.py``);
an editable install, which runs every other test, is pure Python. Here the
wheel is unpacked and run: its compiled modules are the ones imported, the
tests of those modules pass against them, and every preset cuts the samples,
the benchmark hour and random odd-token streams into the same bytes as the
pure build. Where the wheel came out pure (no C compiler, no mypyc), these
tests skip and say so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hatch_build import NATIVE_MODULES  # noqa: E402

pytestmark = pytest.mark.slow

#: The tests of the compiled modules (and of what they feed: live cuts, golden files, writers).
MODULE_TESTS = ["tests/test_models.py", "tests/test_sse.py", "tests/test_frames.py", "tests/test_text.py", "tests/test_breaks.py",
                "tests/test_segmenter.py", "tests/test_live.py", "tests/test_golden.py", "tests/test_writers.py"]
MODULES = [path.removesuffix(".py").replace("/", ".") for path in NATIVE_MODULES]


@pytest.fixture(scope="module")
def unpacked(built_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if built_wheel.name.endswith("-py3-none-any.whl"):
        pytest.skip("the wheel was built pure Python here (mypyc or a C compiler is missing)")
    folder = tmp_path_factory.mktemp("unpacked")
    zipfile.ZipFile(built_wheel).extractall(folder)
    return folder


def test_the_wheel_holds_every_compiled_module_and_imports_it(unpacked: Path) -> None:
    code = "import importlib, sys; print('\\n'.join(importlib.import_module(m).__file__ for m in sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, *MODULES], cwd=unpacked, capture_output=True, text=True, check=True)
    files = done.stdout.splitlines()
    assert len(files) == len(MODULES)
    for module, file in zip(MODULES, files):
        assert file.startswith(str(unpacked)) and file.endswith((".so", ".pyd")), (module, file)


def test_the_tests_of_the_compiled_modules_pass_against_them(unpacked: Path) -> None:
    # The compiled package is imported first, so every test imports it (not the source tree).
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import transcribe_export.segmentation.segmenter as compiled\n"
        "import transcribe_export.tokens as tokens\n"
        "assert tokens.COMPILED, tokens.__file__\n"
        "import pytest\n"
        "code = pytest.main(['-q', '--no-header', '-rN', '--tb=short', '-p', 'no:cacheprovider', *sys.argv[2:]])\n"
        "print('imported', compiled.__file__)\n"
        "sys.exit(code)\n"
    )
    # Hypothesis's quick profile here: the thorough one already runs on the pure modules, and this run is about the
    # compiled ones behaving alike (the digest below compares their output on 400 random streams); under CI's
    # thorough profile it took 47 s of a suite that must stay under five minutes.
    done = subprocess.run([sys.executable, "-c", code, str(unpacked), *MODULE_TESTS], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, env={**os.environ, "HYPOTHESIS_PROFILE": "quick"})
    assert done.returncode == 0, done.stdout[-4000:]
    assert f"imported {unpacked}" in done.stdout and " passed" in done.stdout


# Every preset over the samples, an hour of speech and random streams of odd tokens: a digest of each cue
# (times, lines, reasons, tokens) and of the three default files.
_DIGEST = r"""
import hashlib, random, sys
sys.path.insert(0, sys.argv[1])
import transcribe_export.segmentation.segmenter  # first: from here on every module comes from this build
sys.path.append(sys.argv[2] + "/benchmarks")
import speed  # (it puts the source tree first on sys.path, too late to matter)
from pathlib import Path
from transcribe_export.collect.reader import read_capture
from transcribe_export.models import SessionInfo, Word
from transcribe_export.run.pipeline import build_transcript
from transcribe_export.segmentation.presets import preset_names
from transcribe_export.segmentation.segmenter import segment
from transcribe_export.write import render
digest = hashlib.sha256()
def cut(words):
    for preset in [*preset_names(), "auto"]:
        for c in segment(words, preset=preset):
            digest.update(repr((c.start_ms, c.end_ms, c.lines, c.reason, c.line_reasons, [w.text for w in c.words])).encode())
captures = [p.read_bytes() for p in sorted(Path(sys.argv[2], "samples").glob("*.sse"))] + [speed.make_capture(60)]
for capture in captures:
    collected = read_capture([capture], SessionInfo("x", "completed"))
    cut(collected.words)
    transcript = build_transcript(collected)
    for fmt in ("srt", "vtt", "json"):
        digest.update(render(transcript, fmt).encode())
rng = random.Random(5)
tokens = ["the", "a", "I", "New", "York", "3", ".", "5", "%", "$", "20", ",", "?", "!", "(Applause)", "[", "music", "]",
          "「", "もっと", "」", "l'", "homme", "n'est", "i.e", ":", "don", "'t", '"', "'", "qu'", "—", "日本", "語",
          "مرحبا", "»", "«", "example", "com", "-", "très", "Straße", " spaced", ""]
for _ in range(400):
    t, words = 0.0, []
    for _ in range(rng.randint(1, 120)):
        t = max(0.0, t + rng.choice([0, 0, 0.01, 0.1, 0.5, 1.5, 3.0, -0.1]))
        d = rng.choice([0, 0.05, 0.2, 0.4, 0.9])
        words.append(Word(rng.choice(tokens), round(t, 3), round(t + d, 3)))
        t += d
    words.sort(key=lambda w: w.start)
    cut(words)
print(digest.hexdigest(), transcribe_export.segmentation.segmenter.__file__)
"""


def test_the_compiled_build_writes_what_the_pure_one_does(unpacked: Path) -> None:
    (pure, pure_file), (compiled, compiled_file) = (
        subprocess.run([sys.executable, "-c", _DIGEST, str(tree), str(ROOT)], capture_output=True, text=True, check=True,
                       timeout=900).stdout.split()
        for tree in (ROOT, unpacked)
    )
    assert pure_file == str(ROOT / "transcribe_export" / "segmentation" / "segmenter.py")
    assert compiled_file.startswith(str(unpacked)) and compiled_file.endswith((".so", ".pyd"))
    assert len(pure) == 64 and compiled == pure
