"""Stage 2, segment: ordered words -> cues of one or two lines, by professional caption rules.

Read in this order: :mod:`.languages` (one table per language: the only
place a language is added), :mod:`.text` (tokens -> chunks: which take a
space, which glue), :mod:`.presets` (the limits, from ``configs/``),
:mod:`.costs` (every preference the dynamic program weighs, named with the
guide rule it encodes) and :mod:`.segmenter` (:func:`~.segmenter.segment`).
"""
