"""benchmarks/human.py: its measures checked by hand, and its numbers on the shipped human subtitles held as floors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import human  # noqa: E402
from quality import greedy, ours  # noqa: E402


def test_scores_by_hand() -> None:
    reference = ["", "eol", "", "eob", "", "eob"]
    system = ["eol", "", "", "eob", "", "eob"]
    # cue breaks: both of ours are right, both of theirs found
    assert human.scores([(system, reference)], ("eob",)) == (1.0, 1.0, 1.0)
    # line breaks: ours after word 1, theirs after word 2: none right
    assert human.scores([(system, reference)], ("eol",)) == (0.0, 0.0, 0.0)
    # any break: ours after words 1, 4, 6 and theirs after 2, 4, 6: two of three agree
    precision, recall, f1 = human.scores([(system, reference)], ("eob", "eol"))
    assert (precision, recall) == (2 / 3, 2 / 3) and f1 == pytest.approx(2 / 3)


def test_sigma_is_100_for_the_same_breaks_and_less_for_others() -> None:
    tokens = "Hello there, how are you today? I am fine.".split()
    tags = ["", "eol", "", "", "", "eob", "", "", "eob"]
    assert human.sigma([(tokens, tags, tags)]) == pytest.approx(100.0)
    moved = ["", "", "eol", "", "", "eob", "", "", "eob"]
    assert 0 < human.sigma([(tokens, moved, tags)]) < 100


def test_tags_are_read_from_what_a_system_shows() -> None:
    tokens = ["Hi", "there,", "you", "<b>"]
    text = "1\n00:00:00,000 --> 00:00:01,000\nHi there,\nyou\n\n2\n00:00:01,000 --> 00:00:02,000\n<\u2060b>\n"
    assert human.tags_from_srt(text, tokens)[0] == ["", "eol", "eob", "eob"]


def test_the_references_keep_their_notices_and_breaks() -> None:
    references = human.load_references()
    assert {r.language for r in references} == {"en", "es", "fr", "de"}
    assert sum(1 for r in references if r.line_breaks) == len(human.LINE_REFERENCES)
    for folder in (human.REFERENCES / "w3c-wai", human.REFERENCES / "tears-of-steel"):
        assert (folder / "NOTICE.md").is_file()
    # the timing model does not show the people's breaks: no pause after a word that ends a cue
    # unless the word ends in punctuation
    for reference in references:
        words = human.timed_words(reference.tokens)
        for word, following, token in zip(words, words[1:], reference.tokens):
            if not human._SENTENCE_END.search(token) and not human._CLAUSE_END.search(token):
                assert following.start == word.end


def test_ours_holds_its_measured_floor_and_beats_the_greedy_baseline() -> None:
    references = human.load_references()
    english = [r for r in references if r.language == "en"]
    result = human.evaluate(ours, english)
    # Measured 2026-11-28 (any F1 0.672, EOL F1 0.415, Sigma 79.5); the targets are 0.80, 0.60, 85.
    assert result["any F1"] >= 0.66 and result["EOL F1"] >= 0.40 and result["Sigma"] >= 79.0
    for language in ("en", "es", "fr", "de"):
        group = [r for r in references if r.language == language]
        mine, baseline, people = human.evaluate(ours, group), human.evaluate(greedy, group), human.people(group)
        assert mine["EOB F1 (all files)"] > baseline["EOB F1 (all files)"]
        assert mine["long lines"] <= people["long lines"] and mine["tall cues"] <= people["tall cues"]


def test_the_best_possible_breaks_by_hand() -> None:
    # netflix-en: 42 characters a line, 2 lines, 7 s. The people's first cue is one line of five
    # 9-letter words (49 characters), which no line may hold: a segmenter must break inside it.
    # Their second cue, "one two / three", can be matched exactly.
    long = "abcdefghi"
    reference = human.Reference("made-up.en", "en", [long] * 5 + ["one", "two", "three"],
                                ["", "", "", "", "eob", "", "eol", "eob"], [])
    # any break: the best is one break inside the first cue and the people's three:
    # 3 of 4 made are theirs, all 3 of theirs found: F1 = 2 * 3 / (4 + 3)
    assert human.ceiling([reference], ("eob", "eol")) == pytest.approx(6 / 7)
    # cue breaks alone: the break inside can be a line break, so every cue break can be theirs
    assert human.ceiling([reference], ("eob",)) == pytest.approx(1.0)
    # line breaks alone: the break inside can be a cue break, so the one line break is theirs
    assert human.ceiling([reference], ("eol",)) == pytest.approx(1.0)
    # ... and the breaks behind the first figure keep to the limits
    tags = human.best_tags(reference, human.load_preset("netflix-en"),
                           lambda i, kind: 2.0 * (reference.tags[i] != "") - 6 / 7)
    assert tags[5:] == ["", "eol", "eob"] and tags[4] == "eob" and tags[:4].count("") == 3


def test_no_system_scores_above_the_best_possible() -> None:
    lined = [r for r in human.load_references() if r.line_breaks and r.language == "en"]
    result = human.evaluate(ours, lined)
    for column, kinds in (("EOB F1", ("eob",)), ("EOL F1", ("eol",)), ("any F1", ("eob", "eol"))):
        assert result[column] <= human.ceiling(lined, kinds) + 1e-9
