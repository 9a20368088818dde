"""The segmenter: invariants by Hypothesis for every preset, preferences by hand-made examples."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from transcribe_export.models import Cue, Word
from transcribe_export.segmentation.presets import FRAME_RATES, Preset, load_preset, preset_names
from transcribe_export.segmentation.segmenter import segment

VISIBLE = re.compile(r"[\s\u00a0]+")
PRESETS = preset_names()


def shown(text: str) -> str:
    """What a cue shows once spaces are ignored."""
    return VISIBLE.sub("", text)


@st.composite
def sessions(draw: st.DrawFn, *, realistic: bool = True, mostly_words: bool = False, most: int = 120) -> list[Word]:
    """Ordered words with speech-like timing: words, punctuation, pauses, several scripts.

    ``mostly_words`` draws plain words four times as often as anything else, so that most
    sessions leave the segmenter room to meet every limit.
    """
    plain = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéñ", min_size=1, max_size=12)
    vocabulary = st.one_of(
        *([plain] * (4 if mostly_words else 1)),
        st.sampled_from([".", ",", "?", "!", ";", ":", "¿", "(", ")", '"', "'s", "3", "%", "the", "and", "of",
                         "日本", "語", "は", "。", "、", "<b>", "&", "-->", "John", "Smith"]),
    )
    count = draw(st.integers(min_value=0, max_value=most))
    words, t = [], draw(st.integers(min_value=0, max_value=5000))
    for _ in range(count):
        text = draw(vocabulary)
        gap = draw(st.sampled_from([0, 20, 60, 120, 350, 900, 2500]) if realistic else st.integers(0, 3000))
        duration = 0 if text in ".,?!;:。、" else draw(st.integers(min_value=0 if not realistic else 80, max_value=900))
        t += gap
        words.append(Word(text, t / 1000, (t + duration) / 1000))
        t += duration
    return words


def spoken_end(cue: Cue) -> int:
    return max(w.end_ms for w in cue.words)


def check_invariants(words: list[Word], cues: list[Cue], preset: Preset | None = None) -> None:
    # On frames, the out-time is pulled back to keep the minimum gap even into the last word
    # (N-TIM: 2 frames at any rate): by the gap and at most one frame of rounding.
    # And in milliseconds by the gap (each word still starts inside its cue).
    # On frames a word starts in a frame its cue shows, or in the one the next cue starts in
    # (their first words share a frame).
    pulled_back = 0 if preset is None else preset.min_gap_ms
    late = 0
    if preset is not None and preset.fps is not None:
        pulled_back = math.ceil((preset.min_gap_frames + 1) * 1000 / FRAME_RATES[preset.fps])
        late = math.ceil(1000 / FRAME_RATES[preset.fps])
    # every token exactly once, in order
    assert [w for cue in cues for w in cue.words] == words
    for number, cue in enumerate(cues):
        assert cue.end_ms > cue.start_ms
        if cue.reason != "overlap":  # overlapping times left no legal cue: their span was shared out instead
            # each spoken token starts inside its cue; a zero-length mark goes with the word it follows
            assert all(cue.start_ms <= w.start_ms < cue.end_ms + late for w in cue.words if w.end_ms > w.start_ms)
            assert all(cue.start_ms <= w.start_ms for w in cue.words)
            assert all(w.end_ms <= cue.end_ms + pulled_back for w in cue.words)
        # what the cue shows is its tokens, in order, nothing added or lost
        assert shown("".join(cue.lines)) == shown("".join(w.text for w in cue.words))
        assert all(line and line == line.strip() for line in cue.lines)
        assert len(cue.line_reasons) == len(cue.lines) - 1
        if number + 1 < len(cues):
            assert cue.end_ms <= cues[number + 1].start_ms


@given(words=sessions(), name=st.sampled_from(PRESETS))
def test_invariants_for_every_preset(words: list[Word], name: str) -> None:
    check_invariants(words, segment(words, preset=name), load_preset(name))


@given(words=sessions(realistic=False), name=st.sampled_from(PRESETS))
def test_invariants_with_zero_length_and_touching_words(words: list[Word], name: str) -> None:
    check_invariants(words, segment(words, preset=name), load_preset(name))


PLAIN_WORD = re.compile(r"[a-zéñA-Z]+|[\u3040-\u30ff\u4e00-\u9fff]+")  # Latin letters, or kana and Han


def unsplittable_runs(words: list[Word]) -> list[list[Word]]:
    """Runs of tokens a break may not fall inside, judged without the joiner, conservatively.

    A break is certain only between two plain words (Latin letters, or kana and Han, which
    take no space but may break) more than 10 ms apart: no punctuation, bracket, quote or
    connector rule can glue them. Anywhere else
    the tokens are taken as one run, which can only make a run longer than the joiner's.
    """
    runs: list[list[Word]] = []
    for word in words:
        if runs and not (PLAIN_WORD.fullmatch(runs[-1][-1].text) and PLAIN_WORD.fullmatch(word.text)
                         and word.start_ms - runs[-1][-1].end_ms > 10):
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


@settings(suppress_health_check=[HealthCheck.filter_too_much])  # the filter below is the point: only inputs that allow it
@given(words=sessions(mostly_words=True, most=60), name=st.sampled_from(PRESETS))
def test_limits_and_gaps_hold_whenever_the_words_allow(words: list[Word], name: str) -> None:
    preset = load_preset(name)
    # Where the limits can be met: every run of tokens that might not be splittable fits a line
    # and a cue, and no two runs overlap in time (then every break between runs is possible).
    units = unsplittable_runs(words)
    assume(all(preset.measure(" ".join(w.text for w in u)) <= preset.max_chars_per_line for u in units))
    if preset.max_duration_ms is not None:
        assume(all(max(w.end_ms for w in u) - u[0].start_ms <= preset.max_duration_ms for u in units))
    assume(all(max(w.end_ms for w in a) <= b[0].start_ms and a[0].start_ms < b[0].start_ms for a, b in zip(units, units[1:])))
    cues = segment(words, preset=preset)
    for cue in cues:
        assert len(cue.lines) <= preset.max_lines
        assert all(preset.measure(line) <= preset.max_chars_per_line for line in cue.lines), cue.lines
        if preset.max_duration_ms is not None:
            assert spoken_end(cue) - cue.start_ms <= preset.max_duration_ms
    for cue, nxt in zip(cues, cues[1:]):
        gap = nxt.start_ms - cue.end_ms
        if preset.fps is not None:  # on frames: the minimum gap in frames of the video, always (a cue keeps one frame)
            frame = 1000 / FRAME_RATES[preset.fps]
            last_start_frame = math.floor(max(w.start_ms for w in cue.words) / frame)
            assert (round(gap / frame) >= preset.min_gap_frames or round((cue.end_ms - cue.start_ms) / frame) == 1
                    or round(nxt.start_ms / frame) - last_start_frame <= preset.min_gap_frames)
            continue
        last_start = max(w.start_ms for w in cue.words)
        if gap < preset.min_gap_ms:  # only where the next cue starts within the gap of this one's last word
            assert nxt.start_ms - last_start <= preset.min_gap_ms
        if gap <= preset.chain_gap_ms:  # short gaps are closed to the minimum
            assert gap == preset.min_gap_ms or nxt.start_ms - last_start <= preset.min_gap_ms


@given(words=sessions(), fps=st.sampled_from(sorted(FRAME_RATES)))
def test_fps_puts_every_time_on_a_frame_boundary(words: list[Word], fps: str) -> None:
    cues = segment(words, preset=replace(load_preset(), fps=fps))
    rate = FRAME_RATES[fps]
    for cue in cues:
        for ms in (cue.start_ms, cue.end_ms):
            frame = round(ms * rate / 1000)
            assert abs(frame * 1000 / rate - ms) < 1, (fps, ms)
    for cue, nxt in zip(cues, cues[1:]):
        assert cue.end_ms <= nxt.start_ms
        # two frames of the video between cues at every rate (N-TIM), even where the words abut;
        # only a cue already down to one frame keeps less, or one whose last word starts within
        # the gap of the next cue's first frame (it still shows the frame that word starts in)
        frames_between = round((nxt.start_ms - cue.end_ms) * rate / 1000)
        last_start_frame = math.floor(max(w.start_ms for w in cue.words) * rate / 1000)
        next_frame = round(nxt.start_ms * rate / 1000)
        assert (frames_between >= 2 or round((cue.end_ms - cue.start_ms) * rate / 1000) == 1
                or next_frame - last_start_frame <= 2), (fps, cue, nxt)
    assert [w for cue in cues for w in cue.words] == words


# -- hand-made examples: one per preference ---------------------------------


def timed(text: str, *, pause_after: dict[int, int] | None = None, word_ms: int = 300) -> list[Word]:
    """Tokens of ``text`` (split on spaces), 300 ms each, 50 ms apart, punctuation zero-length."""
    pause_after = pause_after or {}
    words, t = [], 0
    for index, token in enumerate(text.split()):
        if token in ".,?!;:。、":
            words.append(Word(token, t / 1000, t / 1000))
        else:
            t += 50
            words.append(Word(token, t / 1000, (t + word_ms) / 1000))
            t += word_ms
        t += pause_after.get(index, 0)
    return words


def texts(cues: list[Cue]) -> list[str]:
    return [" / ".join(c.lines) for c in cues]


def test_short_text_is_one_line_one_cue() -> None:
    assert texts(segment(timed("Hello , world ."))) == ["Hello, world."]


def test_a_cue_ends_at_the_sentence_end() -> None:
    words = timed("We shipped the new editor last week . Today I will show you how the timeline works , step by step .")
    cues = segment(words)
    assert texts(cues) == ["We shipped the new editor last week.", "Today I will show you how / the timeline works, step by step."]
    assert cues[0].reason == "sentence"


def test_a_cue_ends_at_a_clause_when_no_sentence_end_fits() -> None:
    words = timed("When the export finishes in the background , the editor shows a small green badge next to the project name")
    cues = segment(words)
    assert cues[0].lines[-1].endswith("background,") and cues[0].reason == "clause"


def test_a_long_pause_always_ends_a_cue() -> None:
    cues = segment(timed("Yes I think so and then", pause_after={2: 2000}))
    assert texts(cues) == ["Yes I think", "so and then"]
    assert cues[0].reason == "pause"


def test_one_line_when_it_fits_else_a_shorter_top_line() -> None:
    assert segment(timed("Open the settings page now ."))[0].lines == ("Open the settings page now.",)
    lines = segment(timed("Open Settings and Billing , then choose Payment Methods ."))[0].lines
    assert lines == ("Open Settings and Billing,", "then choose Payment Methods.")
    assert segment(timed("Open Settings and Billing , then choose Payment Methods ."))[0].line_reasons == ("clause",)


def test_never_right_after_an_article_preposition_or_pronoun() -> None:
    words = timed("We looked everywhere for the missing files in the shared archive folder yesterday")
    for cue in segment(words):
        for line in cue.lines:
            assert line.split()[-1] not in {"the", "for", "in", "We"}, line


def test_never_between_an_auxiliary_and_its_verb() -> None:
    words = timed("Our support engineers have been reviewing every single ticket that customers have opened")
    lines = [line for cue in segment(words) for line in cue.lines]
    assert all(not line.endswith((" have", " been")) for line in lines), lines


def test_word_lists_in_spanish_french_and_german() -> None:
    for name, text, bad in [
        ("netflix-es", "Primero elijan un presentador de la biblioteca y después escriban el guion completo", {"un", "de", "la", "y", "el"}),
        ("netflix-fr", "Ensuite il faut choisir une présentatrice dans la bibliothèque et écrire le script", {"une", "dans", "la", "et", "le", "il"}),
        ("netflix-de", "Danach wählen Sie einen Sprecher aus der Bibliothek und schreiben das ganze Skript", {"einen", "aus", "der", "und", "das"}),
    ]:
        # Long words, spoken at a realistic pace (reading speed must not force the split).
        for cue in segment(timed(text, word_ms=450), preset=name):
            for line in cue.lines:
                assert line.split()[-1] not in bad, (name, line)


def test_first_and_last_name_stay_together() -> None:
    words = timed("Yesterday our product lead Maria Fernandez presented the complete roadmap to everyone")
    lines = [line for cue in segment(words) for line in cue.lines]
    assert not any(line.endswith("Maria") for line in lines), lines


def test_no_break_before_a_japanese_particle() -> None:
    tokens = "台本 から 動画 を 作る 方法 を ご紹介 します 。 まず ライブラリ から アバター を 選んで ください 。".split()
    words = timed(" ".join(tokens))
    cues = segment(words, preset="netflix-ja")
    for cue in cues:
        for line in cue.lines:
            assert not line.startswith(("を", "から", "は")), line
        assert all(load_preset("netflix-ja").measure(line) <= 13 for line in cue.lines)


def test_no_single_word_cue_unless_pauses_isolate_it() -> None:
    cues = segment(timed("So . We moved the entire pipeline to the new cluster last month , and it works ."))
    assert all(len(" ".join(c.lines).split()) > 1 for c in cues), texts(cues)
    # 0.6 s of silence on both sides (more than the 0.3 s good pause, less than a forced break)
    isolated = segment(timed("Well . We moved the entire pipeline to the new cluster .", pause_after={1: 600}))
    assert texts(isolated)[0] == "Well."


def test_reading_speed_lengthens_a_cue_up_to_the_linger() -> None:
    # 40 characters spoken in 1.0 s need 2 s at 20 cps: the cue stays 0.5 s past the audio (linger).
    words = [Word("Supercalifragilistic", 0, 0.5), Word("expialidociously", 0.5, 1.0), Word(".", 1.0, 1.0)]
    (cue,) = segment(words)
    assert (cue.start_ms, cue.end_ms) == (0, 1500)


def test_short_cue_is_lengthened_but_keeps_the_minimum_gap() -> None:
    words = [Word("Hi", 0, 0.2), Word(".", 0.2, 0.2), Word("Then", 2.0, 2.3), Word("more", 2.4, 2.7)]
    first, _ = segment(words)
    assert (first.start_ms, first.end_ms) == (0, 833)
    words = [Word("Hi", 0, 0.2), Word(".", 0.2, 0.2), Word("Then", 0.6, 0.8), Word("more", 0.85, 1.0)]
    preset = replace(load_preset(), pause_break=0.35)
    first = segment(words, preset=preset)[0]
    assert first.end_ms == 600 - preset.min_gap_ms


def test_short_gaps_are_chained() -> None:
    # a gap of 300 ms (under 12 frames at 24 fps) closes to the 2-frame minimum
    words = timed("First sentence is here . Second one follows now .", pause_after={4: 300})
    first, second = segment(words, preset=replace(load_preset(), max_chars_per_line=25, max_lines=1))
    assert second.start_ms - first.end_ms == load_preset().min_gap_ms


def test_seven_seconds_is_the_most_a_cue_lasts() -> None:
    cues = segment(timed(" ".join(["la"] * 40), word_ms=400))  # 18 s of short words, no punctuation
    assert all(spoken_end(c) - c.start_ms <= 7000 for c in cues)
    assert len(cues) == 3


def test_a_word_longer_than_a_line_stands_alone() -> None:
    long = "x" * 60
    cues = segment([Word("a", 0, 0.2), Word(long, 0.3, 0.9), Word("b", 1.0, 1.2)])
    assert [w.text for c in cues for w in c.words] == ["a", long, "b"]
    assert any(long in c.lines for c in cues)


def test_auto_preset_picks_the_language_from_the_script() -> None:
    ja = timed("今日 は 台本 から 動画 を 作る 方法 を ご紹介 します 。")
    assert all(load_preset("netflix-ja").measure(line) <= 13 for c in segment(ja, preset="auto") for line in c.lines)


def test_no_words_no_cues() -> None:
    assert segment([]) == []
    assert segment([Word("", 0, 1)]) == []


def test_default_preset_is_netflix_english() -> None:
    assert load_preset() == replace(Preset(), name="netflix-en")


@st.composite
def overlapping(draw: st.DrawFn) -> list[Word]:
    """Words whose times overlap or coincide: long words starting close together, or all at one instant."""
    texts = draw(st.lists(st.sampled_from(["word", "another", "the", "x", "longerword", ",", "."]), min_size=1, max_size=80))
    if draw(st.booleans()):
        return [Word(text, 0, 0) for text in texts]
    step, length = draw(st.integers(0, 200)), draw(st.integers(0, 9000))
    return [Word(text, i * step / 1000, (i * step + length) / 1000) for i, text in enumerate(texts)]


# Found by the thorough profile: words packed into one frame, two cues starting in it (on frames).
@example(words=[Word(t, n / 1000, n / 1000) for n, t in enumerate(["word", "another", "longerword", "longerword"] + ["word"] * 5)],
         name="scc")
@example(words=[Word(t, n * 5 / 1000, n * 5 / 1000) for n, t in enumerate(["word", "another", "longerword", "longerword"] + ["word"] * 5)],
         name="scc")
@given(words=overlapping(), name=st.sampled_from(PRESETS))
def test_overlapping_times_still_give_cues_within_the_limits(words: list[Word], name: str) -> None:
    preset = load_preset(name)
    cues = segment(words, preset=preset)
    check_invariants(words, cues, preset)
    for cue in cues:
        if len(cue.words) > 1 and " " in " ".join(cue.lines):  # a lone word may be longer than a line
            assert len(cue.lines) <= preset.max_lines, cue.lines
            assert all(preset.measure(line) <= preset.max_chars_per_line for line in cue.lines if " " in line), cue.lines
    for cue, nxt in zip(cues, cues[1:]):
        assert cue.end_ms <= nxt.start_ms


def test_a_session_at_one_instant_is_divided_into_readable_cues_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    words = [Word(text, 0, 0) for text in ("the cat saw the dog and the dog saw the cat " * 6).split()]
    with caplog.at_level("WARNING"):
        cues = segment(words, preset="netflix-en")
    assert len(cues) > 1 and all(c.reason == "overlap" for c in cues)
    assert [w for c in cues for w in c.words] == words  # every word once, in order
    assert all(len(c.lines) <= 2 and all(len(line) <= 42 for line in c.lines) for c in cues)
    assert all(c.end_ms - c.start_ms >= 833 for c in cues[:-1])  # each long enough to read
    assert f"cues 1-{len(cues)}: the words' times overlap, so no cue could hold them within the limits" in caplog.text


def _spoken(tokens: list[str], step: float = 0.3) -> list[Word]:
    return [Word(t, round(i * step, 3), round(i * step + step, 3)) for i, t in enumerate(tokens)]


def test_a_sound_label_stands_as_its_own_unit() -> None:
    cues = segment(_spoken("(Applause) The traditions we keep are what make this place home for everyone here today .".split()),
                   preset="netflix-en")
    assert cues[0].lines == ("(Applause)",)


def test_a_japanese_quotation_stays_whole_where_the_line_allows() -> None:
    tokens = ["アシスタント", "が", "「", "もっと", "短い", "表現", "」", "を", "提案", "します", "。"]
    cues = segment(_spoken(tokens), preset=replace(load_preset("netflix-ja"), max_chars_per_line=16))
    shown = [line for cue in cues for line in cue.lines]
    assert any("「もっと短い表現」" in line for line in shown), shown


def _timed(spec: list[tuple[str, float, float]]) -> list[Word]:
    return [Word(text, start, end) for text, start, end in spec]


def test_a_cue_too_short_to_read_joins_its_neighbour_where_the_limits_allow() -> None:
    # "Hi!" then 0.5 s: alone it could stay up 0.26 + 0.5 - 0.084 = 0.676 s, under netflix-en's 0.833 s
    # minimum; both sentences fit one line (32 characters), so they share a cue (N-TIM minimum duration).
    tokens = [("Hi", 0.0, 0.26), ("!", 0.26, 0.26), ("My", 0.76, 0.9), ("name", 0.9, 1.1), ("is", 1.1, 1.2),
              ("Shadi", 1.2, 1.5), ("Abou-Zahra", 1.5, 2.1), (".", 2.1, 2.1)]
    cues = segment(_timed(tokens), preset="netflix-en")
    assert [c.lines for c in cues] == [("Hi! My name is Shadi Abou-Zahra.",)]
    # With a second's pause after it, "Hi!" has the time to stand alone, and does (one sentence a cue).
    later = [(t, s + 0.5 if s > 0.5 else s, e + 0.5 if s > 0.5 else e) for t, s, e in tokens]
    assert [c.lines for c in segment(_timed(later), preset="netflix-en")] == [("Hi!",), ("My name is Shadi Abou-Zahra.",)]


def test_a_sound_label_keeps_a_cue_of_its_own_when_it_has_the_time() -> None:
    # 1.2 s of applause, then speech at once: one word with no pause around it, but a label is not an
    # orphan word, and a sentence may not share its cue (before, "(Applause) Thank you." on one line).
    words = _timed([("(Applause)", 0.0, 1.2), ("Thank", 1.2, 1.5), ("you", 1.5, 1.8), (".", 1.8, 1.8)])
    assert [c.lines for c in segment(words, preset="netflix-en")] == [("(Applause)",), ("Thank you.",)]


def test_a_cue_left_short_or_of_one_word_says_why_in_its_break_reason() -> None:
    # One line of 20: "It all works now. Go." (21) has no room for "Go.", nor has "Go. Come back very soon." (24).
    # Alone, "Go." (2.0 s) may stay up only until the next cue's 2.5 s less the 84 ms gap: 0.416 s,
    # under the 0.833 s minimum; "Go. Come back very" would split the next sentence and strand "soon.".
    narrow = replace(load_preset("netflix-en"), max_chars_per_line=20, max_lines=1)
    after = [("Come", 2.5, 2.7), ("back", 2.7, 2.9), ("very", 2.9, 3.1), ("soon", 3.1, 3.4), (".", 3.4, 3.4)]
    words = _timed([("It", 0.0, 0.2), ("all", 0.2, 0.4), ("works", 0.4, 0.8), ("now", 0.8, 1.2), (".", 1.2, 1.2),
                    ("Go", 2.0, 2.2), (".", 2.2, 2.2), *after])
    cues = segment(words, preset=narrow)
    assert [c.lines for c in cues] == [("It all works now.",), ("Go.",), ("Come back very soon.",)]
    assert cues[1].reason == "sentence; short (0.42 s): no room in the cue before, a new sentence follows"
    assert ";" not in cues[0].reason and ";" not in cues[2].reason  # long enough, and more than a word
    # The same "Go." after 2 s of silence (a forced break at netflix-en's 1.5 s pause).
    words = _timed([("Done", 0.0, 0.5), (".", 0.5, 0.5), ("Go", 2.5, 2.7), (".", 2.7, 2.7),
                    *[(t, s + 0.5, e + 0.5) for t, s, e in after]])
    cues = segment(words, preset=narrow)
    assert cues[1].reason == "sentence; short (0.42 s): a pause of 2.00 s before, a new sentence follows"


def test_a_one_word_cue_says_why_and_a_sound_label_needs_no_reason() -> None:
    # "Hi!" with a second's pause after it: up for the full 0.833 s, so not short, but a single word.
    tokens = [("Hi", 0.0, 0.26), ("!", 0.26, 0.26), ("My", 1.26, 1.4), ("name", 1.4, 1.6), ("is", 1.6, 1.7),
              ("Shadi", 1.7, 2.0), ("Abou-Zahra", 2.0, 2.6), (".", 2.6, 2.6)]
    first = segment(_timed(tokens), preset="netflix-en")[0]
    assert first.lines == ("Hi!",)
    assert first.reason == "sentence; one word: it opens the session, a new sentence follows"
    words = _timed([("(Applause)", 0.0, 1.2), ("Thank", 1.2, 1.5), ("you", 1.5, 1.8), (".", 1.8, 1.8)])
    assert [c.reason for c in segment(words, preset="netflix-en")] == ["sentence", "end"]


BASE_REASONS = {"sentence", "clause", "pause", "length", "duration", "end", "overlap"}


@given(words=sessions(), name=st.sampled_from(PRESETS))
def test_a_reason_after_the_break_reason_exactly_where_a_cue_is_short_or_one_word(words: list[Word], name: str) -> None:
    preset = load_preset(name)
    for cue in segment(words, preset=preset):
        base, _, kept = cue.reason.partition("; ")
        assert base in BASE_REASONS
        short = cue.end_ms - cue.start_ms < preset.min_duration_ms
        # a sound label: every chunk shown closes a bracket, "(Applause)" (README: "How captions are cut")
        label = all(not c.text.isalnum() and c.text.rstrip(".,;:!?").endswith((")", "]")) for line in cue.chunks for c in line)
        if base == "overlap" or label:
            assert not kept, cue  # a divided span, or a sound label: their brevity is the words' own
        elif short:
            assert kept.startswith("short ("), cue
        elif kept:
            assert kept.startswith("one word: "), cue
        if kept:
            assert kept.split(": ", 1)[1], cue  # and at least one reason
