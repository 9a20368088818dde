"""Live segmentation: cues given out as words arrive equal segment() on the whole session, for every preset."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from test_segmenter import PRESETS, overlapping, sessions

from transcribe_export.models import CollectStats, Cue, Transcript, Word
from transcribe_export.segmentation.live import LiveSegmenter, live_cues
from transcribe_export.segmentation.presets import FRAME_RATES, PresetChoice, load_preset
from transcribe_export.segmentation.segmenter import segment
from transcribe_export.write import render_srt, render_vtt


@st.composite
def cuttings(draw: st.DrawFn, words: list[Word]) -> list[list[Word]]:
    """The words cut into arrival batches at random places (empty batches included)."""
    cuts = sorted(draw(st.lists(st.integers(0, len(words)), max_size=12)))
    edges = [0, *cuts, len(words)]
    return [words[a:b] for a, b in zip(edges, edges[1:])]


def files(cues: list[Cue], words: list[Word]) -> tuple[str, str]:
    transcript = Transcript("s", "completed", None, None, tuple(words), tuple(cues), {"name": "t", "language": "en"}, CollectStats())
    return render_srt(transcript), render_vtt(transcript, word_timing=True)


def check_live_equals_whole(words: list[Word], batches: list[list[Word]], preset: object) -> None:
    whole = segment(words, preset=preset)  # type: ignore[arg-type]
    live = LiveSegmenter(preset)  # type: ignore[arg-type]
    given_out: list[Cue] = []
    for batch in batches:
        fresh = live.add(batch)
        # a cue given out is never taken back: what has been given is the start of the whole
        assert whole[len(given_out) : len(given_out) + len(fresh)] == fresh
        given_out += fresh
    given_out += live.finish()
    assert given_out == whole
    assert files(given_out, words) == files(whole, words)  # byte for byte once written


@given(data=st.data(), words=sessions(most=160), name=st.sampled_from(PRESETS))
def test_live_cues_are_the_whole_sessions_cues_for_any_arrival(data: st.DataObject, words: list[Word], name: str) -> None:
    check_live_equals_whole(words, data.draw(cuttings(words)), load_preset(name))


@given(data=st.data(), words=sessions(realistic=False, most=160), name=st.sampled_from(PRESETS),
       fps=st.sampled_from([None, *sorted(FRAME_RATES)]))
def test_live_equals_whole_with_any_timing_and_frame_rate(data: st.DataObject, words: list[Word], name: str, fps: str | None) -> None:
    preset = load_preset(name)
    check_live_equals_whole(words, data.draw(cuttings(words)), replace(preset, fps=fps) if fps else preset)


@given(data=st.data(), words=overlapping(), name=st.sampled_from(PRESETS))
def test_live_equals_whole_where_times_overlap(data: st.DataObject, words: list[Word], name: str) -> None:
    check_live_equals_whole(words, data.draw(cuttings(words)), load_preset(name))


@given(data=st.data(), words=sessions(most=200))
def test_live_auto_waits_for_the_language_then_equals_whole(data: st.DataObject, words: list[Word]) -> None:
    check_live_equals_whole(words, data.draw(cuttings(words)), PresetChoice("auto"))


@st.composite
def spaced_sessions(draw: st.DrawFn) -> list[Word]:
    """Tokens that may carry their own spaces (Whisper-style), or white space and controls a player can't show."""
    vocabulary = st.sampled_from(["word", " word", "\x1cword", "\u200bword", " .", ".", ",", "\tx", "", " ", "日本", " 語"])
    count = draw(st.integers(0, 80))
    words, t = [], 0
    for _ in range(count):
        text = draw(vocabulary)
        t += draw(st.sampled_from([0, 50, 300, 2500]))
        duration = draw(st.sampled_from([0, 200, 500]))
        words.append(Word(text, t / 1000, (t + duration) / 1000))
        t += duration
    return words


@given(data=st.data(), words=spaced_sessions(), name=st.sampled_from(PRESETS))
def test_live_equals_whole_whatever_spacing_the_tokens_carry(data: st.DataObject, words: list[Word], name: str) -> None:
    check_live_equals_whole(words, data.draw(cuttings(words)), load_preset(name))


def test_a_long_pause_makes_the_cues_before_it_final_at_once() -> None:
    # The preset's pause break: no cue spans a pause this long, so the words after it can't change
    # the cues before it. The word after the pause is still open.
    preset = load_preset("netflix-en")
    said = "one two three four five six seven eight nine ten".split()
    words = [Word(t, i * 0.4, i * 0.4 + 0.3) for i, t in enumerate(said * 2)]  # 20 words: a cue of two lines
    later = 8 + preset.pause_break_ms / 1000
    words += [Word(t, later + i * 0.4, later + i * 0.4 + 0.3) for i, t in enumerate(["eleven", "twelve"])]
    live = LiveSegmenter(preset)
    assert live.add(words[:21]) == []  # nothing is final while the cue may still grow
    whole = segment(words, preset=preset)
    assert [c.text for c in whole[-1:]] == ["eleven twelve"]
    assert live.add(words[21:]) == whole[:-1]  # every cue before the pause, the moment a word follows it
    assert [c.text for c in live.finish()] == ["eleven twelve"]


def sentences(count: int) -> list[Word]:
    """Speech-like words: sentences of 4 to 12 words, a full stop, a short breath after it."""
    words, clock = [], 0.0
    for number in range(count):
        for position in range(4 + number * 7 % 9):
            text = ("Today", "we", "open", "the", "editor", "and", "choose", "a", "scene", "for", "it", "now")[position]
            words.append(Word(text, round(clock, 3), round(clock + 0.3, 3)))
            clock += 0.36
        words.append(Word(".", words[-1].end, words[-1].end))
        clock += 0.4
    return words


def test_with_sentences_cues_become_final_while_the_session_goes_on() -> None:
    # Where sentences end (the cheapest cue ends), every cutting still possible soon passes through
    # the same cue ends: nearly every cue is given out before the session ends, each within about
    # two cues' worth of speech (the reach of one cue, 7 s here, and its own length).
    preset = load_preset("netflix-en")
    words = sentences(60)
    live = LiveSegmenter(preset)
    lags = []
    for word in words:
        for cue in live.add([word]):
            lags.append(word.end_ms - cue.words[-1].end_ms)
    given_live = len(live.given)
    live.finish()
    assert live.given == segment(words, preset=preset)
    assert given_live >= 0.9 * len(live.given)
    assert max(lags) <= 2 * preset.max_duration_ms


def test_without_sentences_or_pauses_cues_wait(caplog: object) -> None:
    # Uniform words give the program no place every cutting must pass through: a later word can
    # still move any break, so nothing is final until a long pause or the end (stated in the README).
    words = [Word(f"w{i % 10}", i * 0.3, i * 0.3 + 0.2) for i in range(200)]
    live = LiveSegmenter("netflix-en")
    assert live.add(words) == []
    assert live.finish() == segment(words, preset="netflix-en")


def test_tokens_that_decide_own_spacing_only_once_shown_are_read_as_shown() -> None:
    # "\x1c" is white space to Python but a control character the joiner removes: the token shows as
    # "word", so these tokens do not carry their own spaces until the one with a real leading space.
    words = [Word("\x1cword" if i % 2 else "word", i * 0.4, i * 0.4 + 0.3) for i in range(12)]
    words += [Word("word", 8 + i * 0.4, 8.3 + i * 0.4) for i in range(3)]  # after a pause: the cues before are final
    words += [Word(" spaced", 10.0, 10.3)] + [Word("word", 10.4 + i * 0.4, 10.7 + i * 0.4) for i in range(30)]
    check_live_equals_whole(words, [words[:14], words[14:]], load_preset("netflix-en"))


def test_live_cues_generator_yields_every_cue_once() -> None:
    words = [Word(t, i * 0.5, i * 0.5 + 0.4) for i, t in enumerate(("Hello there . " * 30).split())]
    assert list(live_cues([words[:7], words[7:40], words[40:]], "netflix-en")) == segment(words, preset="netflix-en")


def test_words_out_of_start_order_are_reported(caplog: object) -> None:
    import logging

    words = sentences(20)
    words.append(Word("late", words[3].start, words[3].end))  # after cues holding word 4 were given out
    live = LiveSegmenter("netflix-en")
    assert live.add(words[:-1])
    with_caplog = caplog  # pytest's LogCaptureFixture
    with with_caplog.at_level(logging.WARNING):  # type: ignore[attr-defined]
        live.add(words[60:])
        live.finish()
    assert "out of start order" in with_caplog.text  # type: ignore[attr-defined]
