"""One table per language: everything the segmenter knows about it, in one place.

A line or cue break must not separate an article from its noun, a preposition
or conjunction from what follows, a subject pronoun from its verb, or an
auxiliary from its verb (Netflix Timed Text Style Guide, General
Requirements, "Line Treatment"; BBC Subtitle Guidelines 3.4; DCMP Captioning
Key, "Line division"). So a break right *after* one of these words is costly,
and a break *before* a preposition or conjunction is a good one (Netflix,
"Line Treatment": "before conjunctions; before prepositions"). In Japanese
and Chinese a particle belongs to the word before it, so a break must not
fall right before one. ``docs/caption-rules.md`` has the numbers and links.

Adding a language
-----------------
1. Write its word lists below (lower case, space-separated): articles and
   determiners; the words a break must not follow (prepositions,
   conjunctions, subject pronouns, auxiliaries; articles are added for you);
   the words a break may well come before.
2. Add a :class:`Language` entry to :data:`LANGUAGES` with those lists, any
   particles, the Unicode ranges of a script it writes without spaces
   between words (``unspaced``; the joiner then joins those characters
   tight, and its fast path for plain words steps below the lowest such
   code point by itself), and the marks that take a no-break space.
3. Add a preset ``configs/<guide>-<code>.yaml`` with ``language: <code>``
   and the guide's numbers, citing its sections; name it in the entry's
   ``preset``, and give ``detect`` characters if its script tells it apart
   (``auto`` tries the entries in table order).
4. Add break examples to ``tests/test_segmenter.py`` and a sample if you
   can, then run ``python tests/golden/regenerate.py`` and review the diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from transcribe_export.scripts import CJK_RANGES

__all__ = ["FALLBACK", "LANGUAGES", "UNSPACED_RANGES", "Language", "detect_language", "language"]

_EN_ARTICLES = "a an the this that these those my your his her its our their some any no every each"
_EN_PREPOSITIONS = (
    "of in on at to for with by from about into onto over under after before between through during without within upon than via"
)
_EN_CONJUNCTIONS = "and or but nor so yet because if when while although though unless since whether that"
_EN_PRONOUNS = "i you he she it we they there"
_EN_AUXILIARIES = (
    "am is are was were be been being have has had do does did will would shall should can could may might must "
    "i'm you're he's she's it's we're they're i've you've we've they've i'll you'll he'll she'll we'll they'll "
    "i'd you'd he'd she'd we'd they'd don't doesn't didn't won't wouldn't can't couldn't isn't aren't wasn't weren't "
    "haven't hasn't hadn't shouldn't not to"
)

_ES_ARTICLES = "el la los las un una unos unas lo al del mi tu su mis tus sus nuestro nuestra este esta estos estas ese esa"
_ES = (
    f"{_ES_ARTICLES} "
    "de en a con por para sin sobre entre desde hasta hacia según contra "
    "y e o u pero ni que si porque aunque cuando mientras "
    "yo tú él ella nosotros vosotros ellos ellas usted ustedes "
    "he has ha hemos han había habían es son está están fue era ser estar se me te nos le les no"
)
_FR_ARTICLES = "le la les un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre votre leur leurs"
_FR = (
    f"{_FR_ARTICLES} "
    "de à en dans sur sous avec pour par sans chez vers entre "
    "et ou mais ni que qui si car quand lorsque puisque "
    "je tu il elle on nous vous ils elles "
    "ai as a avons avez ont suis es est sommes êtes sont était ne pas se me te"
)
_DE_ARTICLES = "der die das den dem des ein eine einen einem einer eines kein keine mein meine dein sein ihr unser euer"
_DE = (
    f"{_DE_ARTICLES} "
    "in an auf aus bei mit nach von zu für über unter vor hinter neben zwischen durch gegen ohne um "
    "und oder aber denn sondern dass weil wenn als ob obwohl "
    "ich du er sie es wir ihr "
    "bin bist ist sind seid war waren habe hast hat haben hatte wird werden wurde kann können muss müssen soll will nicht"
)



@dataclass(frozen=True, slots=True)
class Language:
    """What the joiner and the segmenter know about one language.

    Attributes:
        code: the language code presets use (``language: fr``).
        articles: articles and determiners: splitting one from its noun is the worst break of all.
        no_break_after: lower-case words a break should not come right after (articles included).
        break_before: lower-case words a break may well come right before (a new phrase starts).
        particles: words that belong to the word before them (no break right before one).
        unspaced: code point ranges of a script written without spaces between words.
        nbsp_before: marks that take a no-break space before them (French ``?`` ``!`` ``:`` ``;`` ``»``).
        nbsp_after: marks that take a no-break space after them (French ``«``).
        preset: the bundled preset ``auto`` picks for this language.
        detect: code point ranges whose characters show a session is in this
            language (``auto`` tries the languages in table order).
    """

    code: str
    articles: frozenset[str] = frozenset()
    no_break_after: frozenset[str] = frozenset()
    break_before: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    unspaced: tuple[tuple[int, int], ...] = ()
    nbsp_before: str = ""
    nbsp_after: str = ""
    preset: str | None = None
    detect: tuple[tuple[int, int], ...] = ()


def _words(*texts: str) -> frozenset[str]:
    return frozenset(" ".join(texts).split())


#: Every language a preset may name, by code. ``other`` has no word lists.
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language(
            "en",
            preset="netflix-en",
            articles=_words(_EN_ARTICLES),
            no_break_after=_words(_EN_ARTICLES, _EN_PREPOSITIONS, _EN_CONJUNCTIONS, _EN_PRONOUNS, _EN_AUXILIARIES),
            break_before=_words(_EN_PREPOSITIONS, _EN_CONJUNCTIONS, "which who where"),
        ),
        Language(
            "es",
            preset="netflix-es",
            articles=_words(_ES_ARTICLES),
            no_break_after=_words(_ES),
            break_before=_words("de en con por para sin sobre y o pero porque aunque cuando que"),
        ),
        Language(
            "fr",
            preset="netflix-fr",
            articles=_words(_FR_ARTICLES),
            no_break_after=_words(_FR),
            break_before=_words("de à dans sur avec pour par sans et ou mais parce quand qui que"),
            # French typography: a no-break space before these and inside « » (Netflix French guide).
            nbsp_before="?!:;»",
            nbsp_after="«",
        ),
        Language(
            "de",
            preset="netflix-de",
            articles=_words(_DE_ARTICLES),
            no_break_after=_words(_DE),
            break_before=_words("in an auf mit nach von zu für und oder aber weil wenn dass"),
        ),
        Language(
            "ja",
            preset="netflix-ja",
            detect=((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),  # kana: only Japanese has it
            particles=_words("は が を に で と も の へ や から まで より ね よ か な だ です ます でした ました"),
            unspaced=CJK_RANGES,
        ),
        Language(
            "zh",
            preset="netflix-zh",
            detect=((0x4E00, 0x9FFF), (0x3400, 0x4DBF)),  # Han without kana (Japanese is tried first)
            particles=_words("的 了 吗 呢 吧 啊 着 过 地 得 们"),
            unspaced=CJK_RANGES,
        ),
        Language("ar"),
        Language("he"),
        Language("other"),
    )
}

#: Scripts that some language writes without spaces: the joiner joins their characters tight
#: whatever the session's language (a Japanese name in an English sentence is still Japanese).
UNSPACED_RANGES: tuple[tuple[int, int], ...] = tuple(sorted({r for lang in LANGUAGES.values() for r in lang.unspaced}))


def language(code: str) -> Language:
    """The table for a language code (``other`` for one without a table).

    >>> "the" in language("en").articles, language("xx").code
    (True, 'other')
    """
    return LANGUAGES.get(code, LANGUAGES["other"])


#: The language ``auto`` assumes when no table's ``detect`` characters occur.
FALLBACK = "en"


def detect_language(texts: Iterable[str]) -> Language:
    """The first language, in table order, whose ``detect`` characters occur in the texts.

    >>> detect_language(["今日", "は"]).code, detect_language(["今天", "好"]).code, detect_language(["Hello"]).code
    ('ja', 'zh', 'en')
    """
    candidates = [lang for lang in LANGUAGES.values() if lang.detect]
    found: set[str] = set()
    for text in texts:
        for ch in text:
            code = ord(ch)
            for lang in candidates:
                if lang.code not in found and any(lo <= code <= hi for lo, hi in lang.detect):
                    found.add(lang.code)
        if candidates and candidates[0].code in found:
            break  # the first language found can't be outranked
    return next((lang for lang in candidates if lang.code in found), LANGUAGES[FALLBACK])
