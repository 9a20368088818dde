"""Golden files: every sample under every preset, compared byte for byte with reviewed output.

The files in tests/golden/ were first produced by the code before the
"one house, by stage" layout change and read line by line; any change to
them is made on purpose by tests/golden/regenerate.py and reviewed in the
commit's diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from golden.regenerate import HERE, SAMPLES, VARIANTS, render


def test_every_variant_has_its_golden_folder() -> None:
    folders = {p.name for p in HERE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(VARIANTS)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_output_is_byte_for_byte_the_golden_files(variant: str, tmp_path: Path) -> None:
    render(variant, tmp_path)
    expected = sorted(p.name for p in (HERE / variant).iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    stems = VARIANTS[variant].get("samples", [s.stem for s in SAMPLES])
    formats = VARIANTS[variant].get("formats", "srt,vtt,json").split(",")
    assert expected == sorted(f"{stem}.{fmt}" for stem in stems for fmt in formats)
    for name in expected:
        assert (tmp_path / name).read_bytes() == (HERE / variant / name).read_bytes(), f"{variant}/{name}"
