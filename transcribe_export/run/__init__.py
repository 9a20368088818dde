"""Running the stages: :mod:`.pipeline` takes one session through collect ->
segment -> write; :mod:`.batch` runs many (the ``export`` and ``convert``
commands, as library calls) with :mod:`.state`, the output folder's record
of what earlier runs did, and its lock.
"""
