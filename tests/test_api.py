"""The public library API and the docs that describe it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

import transcribe_export as tx
from conftest import KEY, ROOT, SAMPLES, SESSIONS, outputs, words_in_capture
from transcribe_export.cli import main
from transcribe_export.emulate.server import Emulator


def test_all_lists_exactly_the_public_names() -> None:
    # In a fresh interpreter with every submodule imported: a submodule named like a
    # public function (tx.check, tx.segment) would replace it as an attribute.
    code = (
        "import importlib, pkgutil, types, transcribe_export as tx\n"
        "for m in pkgutil.walk_packages(tx.__path__, 'transcribe_export.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in tx.__all__ if isinstance(getattr(tx, n), types.ModuleType)]\n"
        "public = {n for n in dir(tx) if not n.startswith('_') and not isinstance(getattr(tx, n), types.ModuleType)}\n"
        "print(bad, sorted(public - set(tx.__all__) - {'annotations', 'importlib', 'logging', 'TYPE_CHECKING', 'Any'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] []"
    assert tx.__all__ == sorted(tx.__all__)


def test_every_public_name_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in tx.__all__:
        obj = getattr(tx, name)
        if callable(obj):
            assert obj.__doc__, name
        if name not in ("__version__",) and not name.endswith("Error"):
            assert re.search(rf"\b{re.escape(name)}\b", readme), f"{name} is not in the README"


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


def test_the_readme_library_examples_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 2
    served = tmp_path / "served"
    shutil.copytree(SAMPLES, served)
    for alias in ("7f3c2a1e", "9b0d44f1"):  # the ids the examples use, served as a real sample
        shutil.copy(SAMPLES / "product-demo.sse", served / f"{alias}.sse")
    shutil.copytree(SAMPLES, tmp_path / "samples")
    shutil.copy(SAMPLES / "es-bienvenida.sse", tmp_path / "session.sse")
    monkeypatch.chdir(tmp_path)
    with Emulator(served, api_key=KEY) as emu:
        monkeypatch.setenv("HEYGEN_API_KEY", KEY)
        monkeypatch.setenv("HEYGEN_BASE_URL", emu.base_url)
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - the README's own code
    assert outputs(tmp_path / "subs") == [
        "heygen-7f3c2a1e.json", "heygen-7f3c2a1e.srt", "heygen-7f3c2a1e.vtt",
        "heygen-9b0d44f1.json", "heygen-9b0d44f1.srt", "heygen-9b0d44f1.vtt",
        "session.json", "session.srt", "session.vtt",
    ]
    assert outputs(tmp_path / "vertical") == ["7f3c2a1e.srt"]


def test_check_names_a_file_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(tx.InputError, match="cannot read '.*missing.srt' \\(No such file or directory\\)"):
        tx.check([tmp_path / "missing.srt"])


def test_the_library_prints_nothing_unless_the_caller_configures_logging(tmp_path: Path) -> None:
    # --lenient drops a bad word with a logged warning; without a handler of the caller's, Python's
    # last-resort handler would print it on stderr. The package's NullHandler keeps the library silent.
    code = (
        "import sys, transcribe_export as tx\n"
        f"outcomes = tx.convert([{str(SESSIONS / 'bad-frame.sse')!r}], out_dir={str(tmp_path)!r}, lenient=True)\n"
        "print(outcomes[0].outcome)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (done.stdout, done.stderr) == ("exported\n", "")
    document = json.loads((tmp_path / "bad-frame.json").read_text(encoding="utf-8"))
    assert document["collection"]["repairs"]  # a warning was logged, and nobody saw it


def test_recut_keeps_the_words_and_changes_only_the_cues(tmp_path: Path) -> None:
    outcome, = tx.convert([SAMPLES / "product-demo.sse"], out_dir=tmp_path)
    assert outcome.outcome == "exported"
    first = tx.recut(tmp_path / "product-demo.json", preset="vertical")
    again = tx.recut(first, preset="netflix-en")
    for transcript in (first, again):
        assert [w.as_dict() for w in transcript.words] == words_in_capture(SAMPLES / "product-demo.sse")
    assert first.settings["name"] == "vertical" and again.settings["name"] == "netflix-en"
    assert max(len(line) for cue in first.cues for line in cue.lines) <= 25  # vertical's line length
    assert max(len(cue.lines) for cue in first.cues) == 3  # vertical allows a third line, and needs it here
    assert tx.to_srt(again) == (tmp_path / "product-demo.srt").read_text(encoding="utf-8")  # back to what convert wrote


def test_convert_stops_between_files_when_told(tmp_path: Path) -> None:
    # convert works through its files in the calling thread: a stop set while one file is under way
    # lets that file finish and starts no other.
    stop = threading.Event()
    files = [SAMPLES / "product-demo.sse", SAMPLES / "support-answer.sse"]
    outcomes = tx.convert(files, out_dir=tmp_path, formats="srt", stop=stop, on_done=lambda outcome: stop.set())
    assert [(o.stream_id, o.outcome) for o in outcomes] == [("product-demo", "exported")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["product-demo.srt"]
    assert tx.convert(files, out_dir=tmp_path / "all", formats="srt", stop=threading.Event())[1].outcome == "exported"
