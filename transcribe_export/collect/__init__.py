"""Stage 1, collect: a session's status and its whole words stream -> ordered, validated words.

Read in this order: :mod:`.options` (what can be set, with every default),
:mod:`.client` (the only HTTP, with :mod:`.retry`), :mod:`.sse` (bytes ->
events, pure), :mod:`.frames` (one ``data`` frame -> words),
:mod:`.reader` (one connection -> words; replays merged), :mod:`.session`
(status, waiting, reconnects: :func:`~.session.collect`), and
:mod:`.offline` (saved captures and JSON inputs through the same reader).
Out comes a :class:`~transcribe_export.models.Collected`.
"""
