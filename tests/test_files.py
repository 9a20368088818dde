"""Safe file names and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcribe_export.write.files import remove_stale_temporaries, safe_name, write_atomic


@pytest.mark.parametrize(
    "stream_id",
    ["../x", "a/b", "..", ".", "/etc/passwd", "C:\\x", "CON", "nul.txt", "com1", "a" * 5000, "", " ", "x.", "~", "é", "a\x00b", "\n"],
)
def test_unsafe_ids_become_one_plain_name(stream_id: str, tmp_path: Path) -> None:
    name = safe_name(stream_id)
    assert name and len(name) <= 100 and "/" not in name and "\\" not in name
    assert not name.startswith(".") and name not in (".", "..")
    assert name.split(".")[0].lower() not in {"con", "prn", "aux", "nul", "com1", "lpt1"}
    target = (tmp_path / f"{name}.srt").resolve()
    assert target.parent == tmp_path.resolve()
    target.write_text("ok")  # the file system accepts it


@pytest.mark.parametrize("stream_id", ["7f3c2a1e", "product-demo", "a.b_c-d", "0"])
def test_plain_ids_are_kept(stream_id: str) -> None:
    assert safe_name(stream_id) == stream_id


@given(a=st.text(max_size=30), b=st.text(max_size=30))
def test_two_ids_never_share_a_file_even_ignoring_case(a: str, b: str) -> None:
    if a != b:
        assert safe_name(a).lower() != safe_name(b).lower()


def test_plain_id_cannot_collide_with_a_hashed_one() -> None:
    hashed = safe_name("a/b")
    assert safe_name(hashed) != hashed  # "~" is never plain, so it is hashed again


def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "x.srt"
    target.write_text("old")
    write_atomic({target: "new", tmp_path / "x.vtt": "vtt"})
    assert target.read_text() == "new" and (tmp_path / "x.vtt").read_text() == "vtt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.srt", "x.vtt"]


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "x.srt"
    target.write_text("old")
    missing_folder = tmp_path / "gone" / "x.vtt"
    with pytest.raises(OSError):
        write_atomic({target: "new", missing_folder: "vtt"})
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.srt"]


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic({tmp_path / "x.srt": "x"})
    finally:
        os.umask(old)
    assert (tmp_path / "x.srt").stat().st_mode & 0o777 == 0o644


def test_stale_temporaries_are_removed_and_nothing_else(tmp_path: Path) -> None:
    for name in (".a.srt.0123abcd.tmp", ".b.json.ffffffff.tmp", "a.srt", ".a.srt.tmp", ".x.srt.0123ABCD.tmp", "keep.tmp"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / ".linked.srt.00000000.tmp").symlink_to(tmp_path / "a.srt")
    assert sorted(remove_stale_temporaries(tmp_path)) == [".a.srt.0123abcd.tmp", ".b.json.ffffffff.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".a.srt.tmp", ".linked.srt.00000000.tmp", ".x.srt.0123ABCD.tmp", "a.srt", "keep.tmp"
    ]
