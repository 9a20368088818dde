"""The two objects made per word (``Word``, ``Chunk``): the same in both builds.

``tests/test_native.py`` runs this module against the compiled build too, where they are native
classes (``transcribe_export/tokens.py``): frozen to everyone else, an int as received stays an
int, and they pickle, copy and ``replace`` like any frozen data class.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcribe_export.models import Chunk, Cue, Word
from transcribe_export.tokens import ms_text, seconds_text, to_ms


def test_a_word_keeps_its_times_as_received_and_works_out_the_milliseconds() -> None:
    word = Word("hi", 1, 2.5)
    assert type(word.start) is int and type(word.end) is float  # an int stays an int, for the JSON
    assert json.dumps(word.as_dict()) == '{"word": "hi", "start": 1, "end": 2.5}'
    assert (word.start_ms, word.end_ms) == (1000, 2500)
    # a tie, decided on the digits as written: 1.2345 is 1.23449999... in binary, yet 1235 ms
    assert (Word("x", 0.0005, 1.2345).start_ms, Word("x", 0.0005, 1.2345).end_ms) == (1, 1235)


@pytest.mark.parametrize("made", [Word("a", 0.1, 0.4), Chunk("Hello,", 0, 1, 100, 400, " ", False, True)])
def test_frozen_pickled_copied_and_replaced(made: Word | Chunk) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.text = "b"  # type: ignore[misc]
    for again in (pickle.loads(pickle.dumps(made)), copy.copy(made), copy.deepcopy(made)):
        assert again == made and hash(again) == hash(made) and repr(again) == repr(made)
    changed = dataclasses.replace(made, text="other")
    assert changed.text == "other" and changed.start_ms == made.start_ms


def test_equality_ignores_the_worked_out_milliseconds_and_a_cue_holds_words() -> None:
    assert Word("a", 1, 2) == Word("a", 1, 2) and Word("a", 1, 2) != Word("a", 1.5, 2)
    assert repr(Word("a", 1, 2)) == "Word(text='a', start=1, end=2)"
    cue = Cue(0, 900, ("Hello, world.",), (Word("Hello", 0, 0.4), Word(",", 0.4, 0.4)))
    assert pickle.loads(pickle.dumps(cue)) == cue and cue.words[1].is_punctuation


# Times as the JSON writes them: the fast path must give repr's digits (json writes repr), byte for byte.
@pytest.mark.parametrize("seconds", [0.001, 0.01, 0.1, 0.5, 1.0, 7.0, 2.25, 3599.999, 36000.001, 35999.5, 123456.789,
                                     0.0, -0.0, -1.5, 1.2345, 0.0005, 1e-05, 2, 0, 999999999.999, 1e9, 1e12, 1e16, 0.1 + 0.2])
def test_a_time_is_written_as_repr_writes_it(seconds: int | float) -> None:
    assert seconds_text(seconds, to_ms(seconds)) == repr(seconds)


@pytest.mark.parametrize("ms", [0, 1, 999, 1000, 1500, 3600250, 10**12 - 1, 10**12, 10**19, 10**19 + 1, -1500])
def test_a_time_in_milliseconds_is_written_as_repr_writes_it(ms: int) -> None:
    assert ms_text(ms) == repr(ms / 1000)


@given(st.integers(min_value=0, max_value=10**13), st.sampled_from([1, 10, 100, 1000]))
def test_any_time_in_whole_milliseconds_is_written_as_repr_writes_it(ms: int, step: int) -> None:
    ms -= ms % step  # trailing zeros as often as not: 1.5, 1.25, 1.0
    assert ms_text(ms) == repr(ms / 1000)
    assert seconds_text(ms / 1000, ms) == repr(ms / 1000)


@given(st.floats(min_value=0, max_value=1e13, allow_nan=False))
def test_any_float_is_written_as_repr_writes_it(seconds: float) -> None:
    assert seconds_text(seconds, to_ms(seconds)) == repr(seconds)
    assert seconds_text(round(seconds, 3), to_ms(round(seconds, 3))) == repr(round(seconds, 3))
