"""Shared fixtures: the emulator on a real loopback socket, and readers that
recover the words from a session file or an output file without using the
code under test."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import Iterator

import pytest
import srt
import webvtt
from hypothesis import settings

from transcribe_export.emulate.server import Emulator

# Hypothesis: a quick profile by default, a thorough one for CI (CI=true, as .ci/run runs),
# or name one with HYPOTHESIS_PROFILE. Property tests set no example counts of their own.
settings.register_profile("quick", max_examples=50, deadline=None)
settings.register_profile("thorough", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("thorough" if os.environ.get("CI") else "quick"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SESSIONS = Path(__file__).resolve().parent / "sessions"
KEY = "test-key-Zq81"  # never a real key; tests grep every output for it


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel ``pip install .`` builds (hatch_build.py compiles its hot modules where it can), in a
    build environment of its own as pip makes it, built once for the tests that install or unpack it."""
    import subprocess
    import sys

    wheels = tmp_path_factory.mktemp("wheels")
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(root)],
        check=True, capture_output=True, timeout=600,
    )
    (wheel,) = wheels.glob("*.whl")
    return wheel


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """The bundled samples, served with KEY required."""
    with Emulator(SAMPLES, api_key=KEY) as emu:
        yield emu


@pytest.fixture
def bad_emulator() -> Iterator[Emulator]:
    """The failing test sessions in tests/sessions, served with KEY required."""
    with Emulator(SESSIONS, api_key=KEY) as emu:
        yield emu


def words_in_capture(path: Path) -> list[dict]:
    """The words of a capture, read the dumb way: every `data: {` line with "words".

    Independent of our SSE parser; good enough for the well-formed files it
    is used on (one data line per frame, any line ending).
    """
    words: list[dict] = []
    for line in re.split(r"\r\n|\r|\n", path.read_text(encoding="utf-8")):
        if line.startswith("data: {") and '"words"' in line:
            words.extend(json.loads(line[len("data: ") :])["words"])
    return words


def squeeze(text: str) -> str:
    """Text with whitespace and the invisible word joiner removed: what is seen, in order."""
    return re.sub(r"[\s\u2060]+", "", text)


def shown_in_srt(path: Path) -> str:
    return squeeze("".join(s.content for s in srt.parse(path.read_text(encoding="utf-8"))))


def shown_in_vtt(path: Path) -> str:
    return squeeze(html.unescape("".join(c.text for c in webvtt.read(str(path)).captions)))


def outputs(folder: Path) -> list[str]:
    """The files a run wrote in a folder, without its state store and lock."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".transcribe-export."))
