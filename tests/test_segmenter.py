"""The segmenter: invariants by Hypothesis, preferences by hand-made examples."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from transcribe_export.models import Word
from transcribe_export.segmenter import SegmentSettings, segment
from transcribe_export.text import chunk_words

RULES = SegmentSettings()
VISIBLE = re.compile(r"\s+")


def shown(text: str) -> str:
    """What a cue shows once spaces are ignored."""
    return VISIBLE.sub("", text)


@st.composite
def sessions(draw: st.DrawFn, *, realistic: bool = True) -> list[Word]:
    """Ordered words with speech-like timing: words, punctuation, pauses."""
    vocabulary = st.one_of(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzéñ", min_size=1, max_size=12),
        st.sampled_from([".", ",", "?", "!", ";", ":", "¿", "(", ")", '"', "'s", "3", "%", "日本", "。", "<b>", "&", "-->"]),
    )
    count = draw(st.integers(min_value=0, max_value=120))
    words, t = [], draw(st.integers(min_value=0, max_value=5000))
    for _ in range(count):
        text = draw(vocabulary)
        gap = draw(st.sampled_from([0, 20, 60, 120, 350, 900, 2500]) if realistic else st.integers(0, 3000))
        duration = 0 if text in ".,?!;:" else draw(st.integers(min_value=0 if not realistic else 80, max_value=900))
        t += gap
        words.append(Word(text, t / 1000, (t + duration) / 1000))
        t += duration
    return words


def check_invariants(words: list[Word], cues: list, rules: SegmentSettings) -> None:
    # every token exactly once, in order
    assert [w for cue in cues for w in cue.words] == words
    for number, cue in enumerate(cues):
        assert cue.end_ms > cue.start_ms
        assert all(cue.start_ms <= w.start_ms and w.end_ms <= cue.end_ms for w in cue.words)
        # what the cue shows is its tokens, in order, nothing added or lost
        assert shown("".join(cue.lines)) == shown("".join(w.text for w in cue.words))
        assert all(line and line == line.strip() for line in cue.lines)
        if number + 1 < len(cues):
            assert cue.end_ms <= cues[number + 1].start_ms


@settings(max_examples=300, deadline=None)
@given(words=sessions())
def test_invariants_on_speech_like_sessions(words: list[Word]) -> None:
    check_invariants(words, segment(words), RULES)


@settings(max_examples=200, deadline=None)
@given(words=sessions(realistic=False))
def test_invariants_with_zero_length_and_touching_words(words: list[Word]) -> None:
    check_invariants(words, segment(words), RULES)


@settings(max_examples=300, deadline=None)
@given(words=sessions())
def test_limits_hold_whenever_each_word_fits(words: list[Word]) -> None:
    # A "word" here is what can't be split: a token with the punctuation glued to it.
    units = chunk_words(words)
    assume(all(len(u.text) <= RULES.max_chars_per_line for u in units))
    assume(all(u.end_ms - u.start_ms <= RULES.max_duration_ms for u in units))
    cues = segment(words)
    for cue in cues:
        assert len(cue.lines) <= RULES.max_lines
        assert all(len(line) <= RULES.max_chars_per_line for line in cue.lines), cue.lines
        spoken = max(w.end_ms for w in cue.words) - cue.words[0].start_ms
        assert spoken <= RULES.max_duration_ms
        # lengthened to the minimum only where the next cue leaves room
    for cue, nxt in zip(cues, cues[1:]):
        if cue.end_ms - cue.start_ms < RULES.min_duration_ms:
            assert nxt.start_ms - cue.end_ms <= RULES.min_gap_ms or cue.end_ms == max(w.end_ms for w in cue.words)


def timed(text: str, *, pause_after: dict[int, int] | None = None, word_ms: int = 300) -> list[Word]:
    """Tokens of ``text`` (split on spaces), 300 ms each, 50 ms apart, punctuation zero-length."""
    pause_after = pause_after or {}
    words, t = [], 0
    for index, token in enumerate(text.split()):
        if token in ".,?!;:":
            words.append(Word(token, t / 1000, t / 1000))
        else:
            t += 50
            words.append(Word(token, t / 1000, (t + word_ms) / 1000))
            t += word_ms
        t += pause_after.get(index, 0)
    return words


def texts(cues: list) -> list[str]:
    return [" / ".join(c.lines) for c in cues]


def test_short_text_is_one_line_one_cue() -> None:
    assert texts(segment(timed("Hello , world ."))) == ["Hello, world."]


def test_breaks_at_the_sentence_end_rather_than_mid_clause() -> None:
    words = timed(
        "We shipped the new editor last week . Today I will show you how the timeline works , step by step ."
    )
    assert texts(segment(words)) == [
        "We shipped the new editor last week.",
        "Today I will show you how the / timeline works, step by step.",
    ]


def test_breaks_at_a_clause_when_no_sentence_end_fits() -> None:
    words = timed(
        "When the export finishes in the background , the editor shows a small green badge next to the project name"
    )
    # The clause is 43 characters, one over a line: two lines, broken before "in".
    assert texts(segment(words))[0] == "When the export finishes / in the background,"


def test_a_long_pause_always_ends_a_cue() -> None:
    words = timed("Yes I think so and then", pause_after={2: 2000})
    assert texts(segment(words)) == ["Yes I think", "so and then"]
    assert segment(words)[0].reason == "pause"


def test_two_lines_prefer_the_break_after_punctuation() -> None:
    words = timed("Open Settings and Billing , then choose Payment Methods .")
    assert segment(words)[0].lines == ("Open Settings and Billing,", "then choose Payment Methods.")


def test_seven_seconds_is_the_most_a_cue_lasts() -> None:
    words = timed(" ".join(["la"] * 40), word_ms=400)  # 40 short words over 18 s, no punctuation
    cues = segment(words)
    assert all(max(w.end_ms for w in c.words) - c.start_ms <= 7000 for c in cues)
    assert len(cues) >= 3


def test_short_cue_is_lengthened_into_the_silence_but_keeps_the_gap() -> None:
    words = [Word("Hi", 0, 0.2), Word(".", 0.2, 0.2), Word("Then", 2.0, 2.3)]
    first, second = segment(words)
    assert (first.start_ms, first.end_ms) == (0, 833)
    words = [Word("Hi", 0, 0.2), Word(".", 0.2, 0.2), Word("Then", 0.5, 0.8), Word("more", 0.85, 1.0)]
    first = segment(words, SegmentSettings(force_pause_ms=250))[0]
    assert first.end_ms == 500 - 83


def test_a_word_longer_than_a_line_stands_alone() -> None:
    long = "x" * 60
    cues = segment([Word("a", 0, 0.2), Word(long, 0.3, 0.9), Word("b", 1.0, 1.2)])
    assert [w.text for c in cues for w in c.words] == ["a", long, "b"]
    assert any(long in c.lines for c in cues)


def test_no_words_no_cues() -> None:
    assert segment([]) == []
    assert segment([Word("", 0, 1)]) == []
