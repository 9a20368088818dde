"""Stage 2, segment: ordered words -> cues of one or two lines, by professional caption rules.

Read in this order: :mod:`.languages` (one table per language: the only
place a language is added), :mod:`.text` (tokens -> chunks: which take a
space, which glue), :mod:`.presets` (the limits, from ``configs/``),
:mod:`.costs` (every preference the dynamic program weighs, named with the
guide rule it encodes) and :mod:`.segmenter` (:func:`~.segmenter.segment`).

The default and the bundled presets' names are here, so that the command line
reads them without loading the stage.
"""

from __future__ import annotations

from transcribe_export.resources import bundled_dir

#: What is used when no preset is named: find the language, then its preset.
DEFAULT_PRESET = "auto"


def preset_names() -> list[str]:
    """The bundled presets, sorted."""
    return sorted(path.stem for path in bundled_dir("configs").glob("*.yaml"))
