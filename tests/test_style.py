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
