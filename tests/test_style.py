"""The house style, enforced: mypy strict on the package, ruff on everything."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.parametrize("tool", [["mypy"], ["ruff", "check", "."]])
def test_tool_passes(tool: list[str]) -> None:
    pytest.importorskip(tool[0])
    done = subprocess.run([sys.executable, "-m", *tool], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_module_reaches_500_lines() -> None:
    # The house splits a module before it reaches 500 lines (the layout in the README names each part).
    package = ROOT / "transcribe_export"
    long = {str(path.relative_to(ROOT)): count for path in sorted(package.rglob("*.py"))
            if (count := len(path.read_text(encoding="utf-8").splitlines())) >= 500}
    assert long == {}
