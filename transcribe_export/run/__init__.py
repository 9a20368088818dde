"""Running the stages: :mod:`.pipeline` takes one session through collect ->
segment -> write; :mod:`.batch` runs many (the ``export`` and ``convert``
commands, as library calls) with :mod:`.state`, the output folder's record
of what earlier runs did, and its lock. :mod:`.inputs` decodes what a run is
asked for, :mod:`.outcomes` reports how it ended, :mod:`.signals` stops it.

The defaults here are read by the command line without loading the rest.
"""

DEFAULT_JOBS = 4
DEFAULT_OUT_DIR = "."
DEFAULT_NAME_TEMPLATE = "{stream_id}"
