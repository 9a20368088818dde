"""Presets: every bundled one loads and cites its sources; bad ones fail early and clearly."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import KEY, ROOT, SAMPLES
from transcribe_export.cli import main
from transcribe_export.emulate.server import Emulator
from transcribe_export.errors import ConfigurationError
from transcribe_export.segmentation.presets import Preset, PresetChoice, load_preset, preset_names

EXPECTED = {"netflix-en", "netflix-es", "netflix-fr", "netflix-de", "netflix-it", "netflix-pt", "netflix-nl", "netflix-ru",
            "netflix-ja", "netflix-zh", "netflix-ko", "netflix-ar", "generic", "bbc", "dcmp", "vertical", "scc"}


def test_every_preset_is_there_and_cites_caption_rules() -> None:
    assert set(preset_names()) == EXPECTED
    rules = (ROOT / "docs" / "caption-rules.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        text = (ROOT / "configs" / f"{name}.yaml").read_text(encoding="utf-8")
        assert "docs/caption-rules.md" in text, name
        for section in re.findall(r"§(\d+(?:\.\d+)?)", text):  # every section cited exists in the doc
            assert re.search(rf"^#+ {re.escape(section)}\.? ", rules, re.MULTILINE), (name, section)
        load_preset(name)


def test_nothing_points_outside_the_repository() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    outside = "../" + "shared"  # spelled apart so this file does not match itself
    offenders = [path for path in tracked if (ROOT / path).is_file() and outside in (ROOT / path).read_text("utf-8", "replace")]
    assert offenders == []


@pytest.mark.parametrize(
    ("name", "chars", "cps", "width"),
    [("netflix-en", 42, 20, "chars"), ("netflix-ja", 13, 4, "cjk"), ("netflix-zh", 16, 9, "cjk"), ("bbc", 37, 16, "chars"),
     ("dcmp", 32, 14, "chars"), ("vertical", 25, 16, "chars"), ("netflix-de", 42, 17, "chars")],
)
def test_preset_numbers_match_the_guides(name: str, chars: int, cps: float, width: str) -> None:
    preset = load_preset(name)
    assert (preset.max_chars_per_line, preset.max_cps, preset.width) == (chars, cps, width)


def test_netflix_gap_is_two_frames_and_chaining_half_a_second() -> None:
    preset = load_preset("netflix-en")
    assert (preset.min_gap_ms, preset.chain_gap_ms, preset.linger_ms, preset.max_duration_ms) == (84, 500, 500, 7000)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "custom.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max_char_per_line: 40\n", "unknown key 'max_char_per_line'"),
        ("max_lines: two\n", "max_lines is 'two'; it must be a whole number from 1 to 4"),
        ("max_lines: 9\n", "max_lines is 9; it must be a whole number from 1 to 4"),
        ("max_cps: -3\n", "max_cps is -3; it must be a number above 0 up to 100"),
        ("max_cps: .nan\n", "max_cps is nan"),
        ("width: wide\n", "width is 'wide'; it must be chars or cjk"),
        ("language: xx\n", "language is 'xx'; it must be one of en, es, fr"),
        ("min_duration: 5\nmax_duration: 2\n", "max_duration 2 is shorter than min_duration 5"),
        ("min_gap_frames: 5\nchain_gap_frames: 2\n", "chain_gap_frames 2 is below min_gap_frames 5"),
        ("fps: 33\n", "fps is 33; it must be null or one of 23.976"),
        ("[1, 2]\n", "expected a mapping of settings, not a list"),
        ("a: [\n", "not valid YAML"),
    ],
)
def test_config_errors_name_the_file_the_key_and_what_is_allowed(text: str, message: str, tmp_path: Path) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigurationError) as caught:
        load_preset("netflix-en", config=path)
    assert f"config file {str(path)!r}: " in str(caught.value)
    assert message in str(caught.value)
    assert caught.value.file == str(path)


def test_unknown_key_lists_the_allowed_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="Allowed keys: language, max_chars_per_line, max_lines"):
        load_preset("netflix-en", config=write(tmp_path, "colour: red\n"))


def test_config_merges_over_the_preset_and_a_file_can_be_a_preset(tmp_path: Path) -> None:
    merged = load_preset("netflix-ja", config=write(tmp_path, "max_lines: 1\n"))
    assert (merged.max_lines, merged.max_chars_per_line, merged.language) == (1, 13, "ja")
    own = load_preset(str(write(tmp_path, "max_chars_per_line: 30\n")))
    assert (own.max_chars_per_line, own.name) == (30, "custom")


def test_unknown_preset_name() -> None:
    with pytest.raises(ConfigurationError, match="unknown preset 'netflix-xx'. Choose one of bbc, dcmp, generic, netflix-ar"):
        load_preset("netflix-xx")


def test_auto_choice_validates_its_config_too(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        PresetChoice("auto", write(tmp_path, "max_lines: 0\n"))
    assert PresetChoice("auto").resolve(["日本語", "です"]).name == "netflix-ja"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "nope"], "Error: Invalid value for '--preset': unknown preset 'nope'."),
        (["--fps", "33"], "Invalid value for '--fps'"),
    ],
)
def test_bad_preset_exits_2_before_any_request(args: list[str], message: str, tmp_path: Path) -> None:
    with Emulator(SAMPLES, api_key=KEY) as emu:
        result = CliRunner().invoke(
            main, ["export", "product-demo", "-o", str(tmp_path), *args], env={"HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emu.base_url}
        )
        assert emu.requests == []
    assert result.exit_code == 2
    assert message in result.stderr


def test_bad_config_file_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, "max_lines: 7\n")
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "product-demo.sse"), "-o", str(tmp_path), "--config", str(path)])
    assert result.exit_code == 2
    assert "max_lines is 7; it must be a whole number from 1 to 4" in result.stderr


@pytest.mark.slow
def test_presets_and_samples_ship_inside_a_built_wheel(tmp_path: Path, built_wheel: Path) -> None:
    wheel = built_wheel
    names = zipfile.ZipFile(wheel).namelist()
    assert {f"transcribe_export/_data/configs/{n}.yaml" for n in EXPECTED} <= set(names)
    assert "transcribe_export/_data/samples/product-demo.sse" in names
    assert "transcribe_export/schema/transcript-v1.schema.json" in names
    # Install it alone in a fresh environment (its dependencies from this one) and use it from elsewhere.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, timeout=300)
    code = (
        "import transcribe_export, transcribe_export.segmentation.presets as p;"
        "print(transcribe_export.__file__); print(p.load_preset('netflix-ja').max_chars_per_line, len(p.preset_names()))"
    )
    done = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True, timeout=60)
    location, numbers = done.stdout.splitlines()
    assert location.startswith(str(venv))
    assert numbers == "13 17"
    demo = subprocess.run([str(python), "-m", "transcribe_export", "demo", "-o", str(tmp_path / "d")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr
    assert len(list((tmp_path / "d").iterdir())) == 3 * len(list(SAMPLES.glob("*.sse")))


def test_a_preset_built_directly_is_checked_too() -> None:
    # A library caller may build a Preset by hand; max_cps=0 would divide by zero in the segmenter.
    with pytest.raises(ConfigurationError, match=r"preset 'mine': max_cps is 0; it must be a number above 0 up to 100"):
        Preset(name="mine", max_cps=0)
    with pytest.raises(ConfigurationError, match="preset 'netflix-en': language is 'klingon'"):
        replace(load_preset("netflix-en"), language="klingon")


def test_the_flat_reader_reads_every_bundled_preset_as_yaml_does() -> None:
    import yaml

    from transcribe_export.segmentation.presets import read_flat

    for path in sorted((ROOT / "configs").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert read_flat(text) == yaml.safe_load(text), path.name
    assert read_flat("key: [1, 2]\n") is None and read_flat("flag: yes\n") is None  # more than flat: yaml reads it
