"""Joining tokens into display text: one example per rule, written by hand."""

from __future__ import annotations

import subprocess
import sys

import pytest

from transcribe_export.models import Word
from transcribe_export.segmentation.text import RULES, chunk_words, join

# Well-spaced times (nothing abuts) unless a case says otherwise.
EXAMPLES = [
    (["Hello", ",", "world", "."], "Hello, world."),
    (["He", "said", ",", '"', "hi", '"', "."], 'He said, "hi".'),
    (['"', "Stop", "!", '"', "she", "said", "."], '"Stop!" she said.'),
    (["“", "Quoted", "”", "text"], "“Quoted” text"),
    (["(", "yes", ")", "really"], "(yes) really"),
    (["¿", "Qué", "tal", "?", "¡", "Bien", "!"], "¿Qué tal? ¡Bien!"),
    (["don", "'t", "go"], "don't go"),
    (["we", "’re", "here"], "we’re here"),
    (["l'", "homme", "d'", "affaires"], "l'homme d'affaires"),
    (["Wait", "…", "what", "?"], "Wait… what?"),
    (["日本", "語", "です", "。"], "日本語です。"),
    (["はい", "、", "そう", "です", "。"], "はい、そうです。"),
    (["a", "「", "b", "」", "c"], "a 「b」 c"),
    (["costs", "$", "20", "now"], "costs $20 now"),
    (["Settings", "&", "Billing"], "Settings & Billing"),
]


@pytest.mark.parametrize(("tokens", "expected"), EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_join_examples(tokens: list[str], expected: str) -> None:
    assert join(tokens) == expected


def abutting(tokens: list[str]) -> list[tuple[float, float]]:
    """Each token starts exactly where the one before ends."""
    return [(i * 0.5, i * 0.5 + 0.5) for i in range(len(tokens))]


ABUTTING = [
    (["It", "grew", "3", ".", "5", "%"], "It grew 3.5%"),
    (["at", "10", ":", "30"], "at 10:30"),
    (["see", "help", ".", "example", ".", "com", "/", "billing"], "see help.example.com/billing"),
    (["mail", "me", "@", "example", ".", "org"], "mail me@example.org"),
    (["a", "well", "-", "known", "fact"], "a well-known fact"),
    (["and", "/", "or"], "and/or"),
    # Contiguous TTS timing must not glue sentences or lists:
    (["the", "end", ".", "Next", "one"], "the end. Next one"),
    (["items", "1", ",", "2"], "items 1, 2"),
    (["Why", "?", "because"], "Why? because"),
    (["Note", ":", "this"], "Note: this"),
]


@pytest.mark.parametrize(("tokens", "expected"), ABUTTING, ids=[e[1] for e in ABUTTING])
def test_join_when_tokens_abut(tokens: list[str], expected: str) -> None:
    assert join(tokens, abutting(tokens)) == expected


def test_decimal_with_a_pause_is_a_sentence_end_and_a_number() -> None:
    tokens = ["was", "3", ".", "5", "came"]
    times = [(0, 0.5), (0.5, 1.0), (1.0, 1.0), (1.6, 2.0), (2.1, 2.5)]
    assert join(tokens, times) == "was 3. 5 came"


def test_tokens_with_their_own_spaces_are_trusted() -> None:
    assert join(["Hello", " world", ",", " how", " are", " you", "?"]) == "Hello world, how are you?"
    # partial words: no leading space means "continue the word"
    assert join([" Trans", "cribe", " this", "."]) == "Transcribe this."


def test_blank_and_control_tokens_show_nothing_and_break_nothing() -> None:
    assert join(["a", "", "b"]) == "a b"
    assert join(["line", "one\ntwo"]) == "line one two"
    assert join(["bell\x07", "x"]) == "bell x"


def test_punctuation_first_and_all_punctuation() -> None:
    assert join([",", "so"]) == ", so"
    assert join(["?", "!"]) == "?!"


def test_chunks_keep_token_ranges_and_times() -> None:
    words = [Word("Hi", 0, 0.4), Word(",", 0.4, 0.4), Word("you", 0.6, 0.9)]
    chunks = chunk_words(words)
    assert [(c.text, c.first, c.last, c.start_ms, c.end_ms, c.sep) for c in chunks] == [
        ("Hi,", 0, 1, 0, 400, " "),
        ("you", 2, 2, 600, 900, " "),
    ]


def test_cjk_words_join_tight_but_stay_breakable() -> None:
    chunks = chunk_words([Word("日本", 0, 1), Word("語", 1, 2), Word("。", 2, 2)])
    assert [(c.text, c.sep) for c in chunks] == [("日本", " "), ("語。", "")]


def test_every_rule_is_named() -> None:
    assert all(name and callable(rule) for name, rule in RULES)


LANGUAGE_EXAMPLES = [
    ("fr", ["Quoi", "?", "Il", "a", "dit", ":", "«", "Bonjour", "»", "."], "Quoi\u00a0? Il a dit\u00a0: «\u00a0Bonjour\u00a0»."),
    ("fr", ["C'", "est", "l'", "homme", "!"], "C'est l'homme\u00a0!"),
    ("en", ["Quoi", "?"], "Quoi?"),  # the no-break space is French only
    ("es", ["¿", "Vienes", "?", "¡", "Claro", "!"], "¿Vienes? ¡Claro!"),
    ("ar", ["هل", "أنت", "بخير", "؟", "نعم", "،", "شكرا", "."], "هل أنت بخير؟ نعم، شكرا."),
    ("he", ["שלום", ",", "מה", "שלומך", "?"], "שלום, מה שלומך?"),
    ("zh", ["今天", "天气", "很", "好", "，", "我们", "出去", "吧", "！"], "今天天气很好，我们出去吧！"),
    ("ja", ["彼", "は", "「", "はい", "」", "と", "言った", "。"], "彼は「はい」と言った。"),
    ("en", ["an", "em", "—", "dash"], "an em — dash"),
]


@pytest.mark.parametrize(("language", "tokens", "expected"), LANGUAGE_EXAMPLES, ids=[e[2] for e in LANGUAGE_EXAMPLES])
def test_join_in_every_language(language: str, tokens: list[str], expected: str) -> None:
    assert join(tokens, language=language) == expected


def test_french_no_break_space_keeps_the_mark_with_its_word() -> None:
    chunks = chunk_words([Word("Quoi", 0, 0.3), Word("?", 0.3, 0.3)], "fr")
    assert [c.text for c in chunks] == ["Quoi\u00a0?"]  # one chunk: a line can't break before "?"


def test_a_language_added_to_the_table_alone_is_joined_by_its_rules() -> None:
    # Thai is written without spaces between words. Added to the language table (and nowhere
    # else), its words must join tight: the joiner's fast path for two alphanumeric tokens
    # must not skip the rule, as it once did for every script below U+2E80.
    code = (
        "from transcribe_export.segmentation import languages as table\n"
        "table.LANGUAGES['th'] = table.Language('th', unspaced=((0x0E00, 0x0E7F),))\n"
        "table.UNSPACED_RANGES = tuple(sorted({r for lang in table.LANGUAGES.values() for r in lang.unspaced}))\n"
        "from transcribe_export.segmentation.text import join\n"
        "print(join(['สวัสดี', 'ครับ', 'OK'], language='th'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "สวัสดีครับ OK\n"


ABUTTING = [(0, 1), (1, 1), (1, 2)]  # the full stop abuts both words, as text-to-speech timings often do


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["i.e", ".", "not"], "i.e. not"),
        (["a.m", ".", "to"], "a.m. to"),
        (["e.g", ".", "this"], "e.g. this"),
        (["3", ".", "5"], "3.5"),  # still a decimal
        (["example", ".", "com"], "example.com"),  # still a domain
    ],
)
def test_an_abbreviation_gets_its_space_back(tokens: list[str], expected: str) -> None:
    assert join(tokens, times=ABUTTING) == expected


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["say", "'bye'", "now"], "say 'bye' now"),  # a quoted word is not a clitic
        (["say", "'", "bye", "'", "now"], "say 'bye' now"),  # straight single quotes pair like double ones
        (["get", "'em"], "get 'em"),
        (["don", "'t"], "don't"),
        (["we", "'re", "here"], "we're here"),
        (["it", "’s"], "it’s"),
    ],
)
def test_straight_single_quotes_and_clitics(tokens: list[str], expected: str) -> None:
    assert join(tokens) == expected


def test_repeated_punctuation_tokens_all_survive() -> None:
    assert join(["wait", ".", ".", "."], times=[(0, 1), (1, 1), (1, 1), (1, 1)]) == "wait..."
    assert join(["what", "?", "!"]) == "what?!"


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["Hello,", "world."], "Hello, world."),
        (["", "Hello,", "", "world.", ""], "Hello, world."),  # empty pieces add neither text nor a space
        (["日本語です。", "はい。"], "日本語です。はい。"),  # CJK meets CJK: no space
        (["日本語", "OK", "はい"], "日本語 OK はい"),  # CJK meets Latin: a space either way
        (["مرحبا", "بكم."], "مرحبا بكم."),
        ([], ""),
    ],
)
def test_join_lines_runs_lines_together(pieces: list[str], expected: str) -> None:
    from transcribe_export.scripts import join_lines

    assert join_lines(pieces) == expected
