"""The public library API and the docs that describe it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import requests

import transcribe_export as tx
from conftest import KEY, ROOT, SAMPLES, outputs
from transcribe_export.cli import main
from transcribe_export.emulator import Emulator


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in vars(tx) if not name.startswith("_")} - {"annotations"}
    modules = {name for name in public if type(getattr(tx, name)).__name__ == "module"}
    assert set(tx.__all__) == (public - modules) | {"__version__"}
    assert all(hasattr(tx, name) for name in tx.__all__)


def test_every_error_carries_the_stream_id_and_has_one_base() -> None:
    for name in tx.__all__:
        obj = getattr(tx, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, tx.TranscribeExportError)


def test_library_path_does_not_import_click() -> None:
    code = "import sys, transcribe_export; transcribe_export.segment([]); print('click' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_export_session_with_a_callers_session(tmp_path: Path) -> None:
    session = requests.Session()
    with Emulator(SAMPLES, api_key=KEY) as emu:
        client = tx.HeyGenClient(api_key=KEY, base_url=emu.base_url, session=session)
        transcript = tx.export_session("product-demo", client=client, out_dir=tmp_path, formats=["srt"])
    assert transcript.status == "completed" and transcript.cues
    assert outputs(tmp_path) == ["product-demo.srt"]
    assert tx.to_srt(transcript) == (tmp_path / "product-demo.srt").read_text(encoding="utf-8")


def test_collect_segment_write_one_by_one() -> None:
    with Emulator(SAMPLES) as emu:
        collected = tx.collect_words("es-bienvenida", client=tx.HeyGenClient(base_url=emu.base_url))
    cues = tx.segment(collected.words)
    assert cues[0].lines == ("¡Hola y bienvenidos a Lumen Studio!",)


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        assert f"transcribe-export {name}" in readme, name
        for param in command.params:
            for option in param.opts:
                if option.startswith("-") and option not in ("-h", "--help"):
                    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", readme), f"{name} {option}"
