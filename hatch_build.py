"""Build hook: the pipeline's hot modules compiled with mypyc, where a C compiler is present.

The compiled modules are the mypyc translation of the very ``.py`` files beside
them (Python imports an extension module before a source file of the same
name), so there is one source and two builds of it:

* ``pip install .`` (a wheel): :data:`NATIVE_MODULES` compiled, about a third
  less time per session (``python benchmarks/speed.py``). Where mypyc or a C
  compiler is missing, the pure-Python package, with a warning;
  ``TRANSCRIBE_EXPORT_PURE=1`` asks for it on purpose.
* ``pip install -e .`` (editable, for development): pure Python, the
  reference; ``tests/test_native.py`` runs the tests of these modules against
  the compiled build too, and holds its output to the pure one's.

mypyc holds the type hints to account at run time (a value of the wrong type
raises ``TypeError``), which mypy strict on the package already checks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # imported by the tests and benchmarks for compile_native alone
    BuildHookInterface = object  # type: ignore[misc,assignment]

#: Where the time of a conversion goes (benchmarks/speed.py --stages): making the words and chunks,
#: reading the stream, joining tokens, the break costs, the dynamic program and the cues' times.
NATIVE_MODULES = (
    "transcribe_export/tokens.py",
    "transcribe_export/collect/sse.py",
    "transcribe_export/collect/frames.py",
    "transcribe_export/segmentation/text.py",
    "transcribe_export/segmentation/breaks.py",
    "transcribe_export/segmentation/segmenter.py",
    "transcribe_export/segmentation/cues.py",
)

_SETUP = """
import sys
from mypyc.build import mypycify
from setuptools import setup

out, temp, *modules = sys.argv[1:]
# The modules compiled are type-checked; the ones they import only read for their types (silently), and a
# library missing from the build environment (pip builds in one of its own) counts as untyped.
flags = ["--follow-imports=silent", "--ignore-missing-imports", f"--cache-dir={temp}/mypy"]  # nothing in the tree
setup(name="transcribe-export-native", packages=[], py_modules=[],
      ext_modules=mypycify([*flags, *modules], opt_level="3", group_name="transcribe_export._native", target_dir=temp),
      script_args=["build_ext", "--build-lib", out, "--build-temp", temp])
"""


def compile_native(root: Path, out: Path) -> list[Path]:
    """Compile :data:`NATIVE_MODULES` of the tree at ``root``; the extension files land in ``out``
    under their package paths (``transcribe_export/segmentation/segmenter.cpython-311-….so``).

    Raises:
        subprocess.CalledProcessError: mypyc, setuptools or the C compiler is missing or failed
            (its output is in the error's ``stderr``).
    """
    with tempfile.TemporaryDirectory(prefix="transcribe-export-mypyc-") as temp:
        subprocess.run([sys.executable, "-c", _SETUP, str(out), temp, *NATIVE_MODULES], cwd=root, check=True,
                       capture_output=True, text=True)
    return sorted(p for p in out.rglob("*") if p.suffix in (".so", ".pyd"))


def native_tree(root: Path, dest: Path) -> Path:
    """A copy of the package at ``dest`` with the compiled modules beside their sources, as the
    wheel installs it: put ``dest`` first on ``sys.path`` to run the compiled build."""
    package = dest / "transcribe_export"
    shutil.copytree(root / "transcribe_export", package, ignore=shutil.ignore_patterns("__pycache__"))
    for data in ("samples", "configs"):  # where the wheel puts them (pyproject.toml, force-include)
        shutil.copytree(root / data, package / "_data" / data)
    compile_native(root, dest)
    return dest


class NativeBuildHook(BuildHookInterface):  # type: ignore[misc]
    """hatchling's ``custom`` build hook (``[tool.hatch.build.targets.wheel.hooks.custom]``)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable" or os.environ.get("TRANSCRIBE_EXPORT_PURE"):
            return
        self._out = Path(tempfile.mkdtemp(prefix="transcribe-export-native-"))
        try:
            made = compile_native(Path(self.root), self._out)
        except (OSError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", "") or str(error)
            self.app.display_warning("transcribe-export: building the pure-Python package; mypyc could not compile "
                                     f"the native modules: {detail.strip().splitlines()[-1] if detail.strip() else error}")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for path in made:
            build_data["force_include"][str(path)] = path.relative_to(self._out).as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
