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
from itertools import islice
from typing import Iterable

from transcribe_export.scripts import CJK_RANGES

__all__ = [
    "COPULAS", "FALLBACK", "LANGUAGES", "PARTICIPLE_ENDINGS", "UNSPACED_RANGES", "Detection", "Language", "detect_language",
    "identify", "identify_so_far", "language",
]

_EN_ARTICLES = (
    "a an the this that these those my your his her its our their some any no every each "
    "many much few several all both either neither another such whose"
)
_EN_PREPOSITIONS = (
    "of in on at to for with by from about into onto over under after before between through during without within upon than via"
)
_EN_CONJUNCTIONS = "and or but nor so yet because if when while although though unless since whether that"
_EN_PRONOUNS = "i you he she it we they there"
# Copulas (be) are auxiliaries only before a participle: the segmenter tells them apart (COPULAS below).
_EN_AUXILIARIES = (
    "am is are was were be been being have has had do does did will would shall should can could may might must "
    "i'm you're he's she's it's we're they're i've you've we've they've i'll you'll he'll she'll we'll they'll "
    "i'd you'd he'd she'd we'd they'd don't doesn't didn't won't wouldn't can't couldn't isn't aren't wasn't weren't "
    "haven't hasn't hadn't shouldn't not to"
)

# Adjectives come before their noun in English: a break between them splits a noun phrase (N-GEN
# "Line Treatment": do not separate a noun from its adjective). Without a tagger, an adjective is a
# common one or a word with an adjective's ending; the segmenter then looks at the next word too.
_EN_ADJECTIVES = (
    "new good high different important small large big long great little old other same right own early young "
    "major public bad best better full special easy clear free real whole strong certain social local late hard low "
    "main short true wrong simple open fast slow huge tiny"
)
_EN_ADJECTIVE_ENDINGS = ("al", "ful", "ous", "ive", "able", "ible", "ic", "less", "ary", "ish")

# In Spanish, French, Italian and Portuguese most adjectives follow the noun; these common ones come
# before it ("nuevas plantillas", "un grand projet"), so the same rule keeps them with their noun.
_ES_ADJECTIVES = (
    "nuevo nueva nuevos nuevas gran grande grandes buen buena buenos buenas mal mala malos malas mejor mejores "
    "peor peores primer primera primeros primeras último última últimos últimas próximo próxima próximos próximas "
    "pequeño pequeña pequeños pequeñas breve"
)
_FR_ADJECTIVES = (
    "nouveau nouvel nouvelle nouveaux nouvelles grand grande grands grandes petit petite petits petites "
    "bon bonne bons bonnes mauvais mauvaise mauvaises beau bel belle beaux belles premier première premiers "
    "premières dernier dernière derniers dernières prochain prochaine prochains prochaines jeune jeunes "
    "vieux vieil vieille vieilles gros grosse grosses meilleur meilleure meilleurs meilleures court courte"
)
_IT_ADJECTIVES = (
    "nuovo nuova nuovi nuove grande grandi gran piccolo piccola piccoli piccole buon buono buona buoni buone "
    "bel bello bella belli belle primo prima primi prime ultimo ultima ultimi ultime prossimo prossima prossimi "
    "prossime migliore migliori breve"
)
_PT_ADJECTIVES = (
    "novo nova novos novas grande grandes pequeno pequena pequenos pequenas bom boa bons boas primeiro primeira "
    "primeiros primeiras último última últimos últimas próximo próxima próximos próximas melhor melhores breve"
)

_ES_ARTICLES = (
    "el la los las un una unos unas lo al del mi tu su mis tus sus nuestro nuestra nuestros nuestras "
    "este esta estos estas ese esa esos esas aquel aquella cada algún alguna algunos algunas ningún ninguna "
    "todo toda todos todas otro otra otros otras mucho mucha muchos muchas varios varias cuyo cuya"
)
_ES = (
    f"{_ES_ARTICLES} "
    "de en a con por para sin sobre entre desde hasta hacia según contra "
    "y e o u pero ni que si porque aunque cuando mientras "
    "yo tú él ella nosotros vosotros ellos ellas usted ustedes "
    "he has ha hemos han había habían es son está están fue era ser estar se me te nos le les no"
)
_FR_ARTICLES = (
    "le la les un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs "
    "quelque quelques chaque plusieurs aucun aucune tout toute tous toutes certains certaines quel quelle quels quelles "
    # elided forms: the apostrophe binds them to the next word
    "l' d' qu' j' m' t' s' n' c' jusqu' lorsqu' puisqu' quelqu'"
)
_FR = (
    f"{_FR_ARTICLES} "
    "de à en dans sur sous avec pour par sans chez vers entre "
    "et ou mais ni que qui si car quand lorsque puisque "
    "je tu il elle on nous vous ils elles "
    "ai as a avons avez ont suis es est sommes êtes sont était ne pas se me te"
)
_DE_ARTICLES = (
    "der die das den dem des ein eine einen einem einer eines kein keine mein meine dein sein ihr unser euer "
    "jeder jede jedes jedem jeden alle allen aller viele vielen vieler wenige wenigen einige einigen mehrere mehreren "
    "manche manchen dieser diese dieses diesem diesen jener jene welcher welche welches "
    # a preposition and its article in one word: "im Monat", "zum Herunterladen"
    "im am zum zur vom beim ins ans"
)
_DE = (
    f"{_DE_ARTICLES} "
    "in an auf aus bei mit nach von zu für über unter vor hinter neben zwischen durch gegen ohne um "
    "und oder aber denn sondern dass weil wenn als ob obwohl "
    "ich du er sie es wir ihr "
    "bin bist ist sind seid war waren habe hast hat haben hatte wird werden wurde kann können muss müssen soll will nicht"
)

_IT_ARTICLES = (
    "il lo la i gli le un uno una del dello della dei degli delle al allo alla ai agli alle nel nella nei nelle "
    "mio mia miei mie tuo tua suo sua nostro nostra vostro vostra loro questo questa questi queste quel quella ogni "
    "l' un' dell' all' nell' sull' dall' quell' d'"
)
_IT = (
    f"{_IT_ARTICLES} "
    "di a da in con su per tra fra senza verso "
    "e ed o ma né che se perché quando mentre anche "
    "io tu lui lei noi voi essi "
    "ho hai ha abbiamo avete hanno è sono era erano sarà non si mi ti ci vi"
)
_PT_ARTICLES = (
    "o a os as um uma uns umas do da dos das no na nos nas ao aos pelo pela pelos pelas "
    "meu minha meus minhas seu sua seus suas nosso nossa este esta estes estas esse essa esses essas cada"
)
_PT = (
    f"{_PT_ARTICLES} "
    "de em com por para sem sobre entre até desde "
    "e ou mas nem que se porque quando enquanto "
    "eu tu ele ela nós vós eles elas você vocês "
    "tenho tem temos têm é são está estão foi era não se me te nos lhe"
)
_NL_ARTICLES = "de het een deze dit die dat mijn jouw zijn haar ons onze hun uw elke ieder geen"
_NL = (
    f"{_NL_ARTICLES} "
    "van in op aan met voor naar bij uit over onder door tot om tegen zonder tussen "
    "en of maar want dus omdat als dat wanneer terwijl "
    "ik jij je hij zij ze wij we u "
    "ben bent is zijn was waren heb hebt heeft hebben had wordt worden werd kan kunnen moet moeten zal zullen niet"
)
_RU_PREPOSITIONS = "в во на с со к ко у о об от из за по под над при про для без до через между перед"
_RU = (
    f"{_RU_PREPOSITIONS} "
    "и а но или что чтобы если когда потому как "
    "я ты он она оно мы вы они "
    "не ни был была было были будет будут это этот эта эти мой моя мои ваш ваша наш наша свой"
)

# Detection: the commonest function words of each language written in Latin or Cyrillic
# script. A word several languages share counts for each of them in part.
#: Forms of "to be": an auxiliary before a participle (no break after it), a copula otherwise,
#: which a break may follow (Netflix "Line Treatment" keeps verb and auxiliary together, not a
#: copula and its predicate). Told apart by the next word's ending (:data:`PARTICIPLE_ENDINGS`).
COPULAS = {
    "en": "am is are was were be been being 's 're",
    "fr": "suis es est sommes êtes sont étais était étions étiez étaient serai sera seront",
    "es": "soy eres es somos son era eran fue fueron estoy está estamos están estaba estaban",
    "de": "bin bist ist sind seid war waren",
}
#: endings of a participle, by language: after a copula they make it an auxiliary.
PARTICIPLE_ENDINGS = {
    "en": ("ing", "ed", "en"),
    "fr": ("é", "ée", "és", "ées", "i", "ie", "is", "u", "ue", "us", "ant", "it", "ert"),
    "es": ("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas", "ando", "iendo", "to", "cho"),
    "de": ("t", "en"),
}

_STOPWORDS = {
    "en": "the and of to is in that it you for with this are on be was have not what your can we they will how from an or but do",
    "es": "el la los las de que y en un una es por para con no se del al lo como más pero su sus este esta son también muy hay",
    "fr": "le la les de des du et est un une que qui pour dans pas ne sur au aux avec ce cette il vous nous sont mais ou en je",
    "de": "der die das und ist nicht ein eine zu den dem mit sich auf für von im es auch sie wir ich wird sind aber oder wie",
    "it": "il lo la gli le di che è e un una per non con del della sono si come anche ma più questo questa alla nel dei ha",
    "pt": "o a os as de que e do da dos das um uma não para com em no na por é se mais como mas você isso são também",
    "nl": "de het een en van is dat niet op te in voor met zijn je ik die er maar ook aan om wat dit naar bij kan wordt",
    "ru": "и в не на я что он с как это по но они мы вы к у же за из от так для о если есть его она уже только",
}


@dataclass(frozen=True, slots=True)
class Language:
    """What the joiner and the segmenter know about one language.

    Attributes:
        code: the language code presets use (``language: fr``).
        articles: articles and determiners: splitting one from its noun is the worst break of all.
        no_break_after: lower-case words a break should not come right after (articles included).
        break_before: lower-case words a break may well come right before (a new phrase starts).
        clause_before: those of them that start a clause (conjunctions, relative pronouns): a break
            right before one is better still.
        particles: words that belong to the word before them (no break right before one).
        adjectives: where adjectives come before nouns, common ones: no break between one and the
            content word after it (a noun, most likely).
        adjective_endings: endings that mark a longer word as an adjective, for the same rule.
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
    clause_before: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    adjectives: frozenset[str] = frozenset()
    adjective_endings: tuple[str, ...] = ()
    unspaced: tuple[tuple[int, int], ...] = ()
    nbsp_before: str = ""
    nbsp_after: str = ""
    preset: str | None = None
    detect: tuple[tuple[int, int], ...] = ()


# Conjunctions and relative pronouns: a clause starts right after a break before one (clause_before).
_EN_CLAUSE = _EN_CONJUNCTIONS + " which who whom whose where"
_ES_CLAUSE = "y o pero porque aunque cuando que quien donde cuyo cuya"
_FR_CLAUSE = "et ou mais parce quand qui que dont où lorsque"
_DE_CLAUSE = "und oder aber weil wenn dass wo deren dessen"
_IT_CLAUSE = "e o ma perché quando che"
_PT_CLAUSE = "e ou mas porque quando que"
_NL_CLAUSE = "en of maar omdat als wanneer die dat"
_RU_CLAUSE = "и а но или что чтобы если когда потому который которая которые"


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
            break_before=_words(_EN_PREPOSITIONS, _EN_CLAUSE),
            clause_before=_words(_EN_CLAUSE),
            adjectives=_words(_EN_ADJECTIVES),
            adjective_endings=_EN_ADJECTIVE_ENDINGS,
        ),
        Language(
            "es",
            preset="netflix-es",
            articles=_words(_ES_ARTICLES),
            no_break_after=_words(_ES),
            adjectives=_words(_ES_ADJECTIVES),
            break_before=_words("de en con por para sin sobre", _ES_CLAUSE),
            clause_before=_words(_ES_CLAUSE),
        ),
        Language(
            "fr",
            preset="netflix-fr",
            articles=_words(_FR_ARTICLES),
            no_break_after=_words(_FR),
            adjectives=_words(_FR_ADJECTIVES),
            break_before=_words("de à dans sur avec pour par sans", _FR_CLAUSE),
            clause_before=_words(_FR_CLAUSE),
            # French typography: a no-break space before these and inside « » (Netflix French guide).
            nbsp_before="?!:;»",
            nbsp_after="«",
        ),
        Language(
            "de",
            preset="netflix-de",
            articles=_words(_DE_ARTICLES),
            no_break_after=_words(_DE),
            break_before=_words("in an auf mit nach von zu für", _DE_CLAUSE),
            clause_before=_words(_DE_CLAUSE),
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
        Language(
            "it",
            preset="netflix-it",
            articles=_words(_IT_ARTICLES),
            no_break_after=_words(_IT),
            adjectives=_words(_IT_ADJECTIVES),
            break_before=_words("di a da in con su per tra", _IT_CLAUSE),
            clause_before=_words(_IT_CLAUSE),
        ),
        Language(
            "pt",
            preset="netflix-pt",
            articles=_words(_PT_ARTICLES),
            no_break_after=_words(_PT),
            adjectives=_words(_PT_ADJECTIVES),
            break_before=_words("de em com por para sem sobre", _PT_CLAUSE),
            clause_before=_words(_PT_CLAUSE),
        ),
        Language(
            "nl",
            preset="netflix-nl",
            articles=_words(_NL_ARTICLES),
            no_break_after=_words(_NL),
            break_before=_words("van in op met voor naar bij over door", _NL_CLAUSE),
            clause_before=_words(_NL_CLAUSE),
        ),
        Language(
            "ru",
            preset="netflix-ru",
            no_break_after=_words(_RU),
            break_before=_words(_RU_PREPOSITIONS, _RU_CLAUSE),
            clause_before=_words(_RU_CLAUSE),
        ),
        Language("ko", preset="netflix-ko", detect=((0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F))),  # Hangul
        Language("ar", preset="netflix-ar", detect=((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
        Language("he", preset="generic", detect=((0x0590, 0x05FF), (0xFB1D, 0xFB4F))),
        Language("other", preset="generic"),
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


#: The language ``auto`` falls back to when neither the script nor the words tell: no word lists, the generic preset.
FALLBACK = "other"


@dataclass(frozen=True, slots=True)
class Detection:
    """The language ``auto`` found, how sure it is (0 to 1), and how it knew (``script``, ``words`` or ``fallback``)."""

    language: str
    confidence: float
    method: str

    def as_dict(self) -> dict[str, object]:
        return {"language": self.language, "confidence": round(self.confidence, 3), "method": self.method}


_WEIGHTS: dict[str, dict[str, float]] = {}
#: how many words ``identify`` reads: a few minutes of speech tell the language as well as an hour.
_SAMPLE = 3000


def _weights() -> dict[str, dict[str, float]]:
    """word -> {language: share}: a word that several languages use counts for each in part."""
    if not _WEIGHTS:
        owners: dict[str, list[str]] = {}
        for code, words in _STOPWORDS.items():
            for word in words.split():
                owners.setdefault(word, []).append(code)
        _WEIGHTS.update({word: {code: 1 / len(codes) for code in codes} for word, codes in owners.items()})
    return _WEIGHTS


#: where ``identify`` decides: the first of these word counts at which it is sure (then ``_SAMPLE``).
_CHECKPOINTS = (50, 100, 200, 400, 800, 1600, _SAMPLE)


def identify(texts: Iterable[str]) -> Detection:
    """The language of a session's words: its script where that tells (kana, Han, Hangul, Arabic, Hebrew),
    else the function words of the languages written in Latin or Cyrillic script.

    It reads the words up to the first of 50, 100, 200, 400, 800, 1,600 and 3,000 where it is sure, so the
    answer depends on those words only: ``follow`` knows it as soon as they have arrived, and it is the
    answer the whole session gives. Sure enough means at least 3 function words, and the winner's
    score at least twice the next language's; otherwise, at 3,000 words or the session's end, the
    fallback (``other``), which the generic preset cuts. The confidence is the winner's share of all
    the scores.

    >>> identify(["今日", "は"]).language, identify(["今天", "好"]).language, identify(["안녕하세요"]).language
    ('ja', 'zh', 'ko')
    >>> d = identify("Hoy les muestro cómo crear un video para su empresa, y es muy fácil.".split())
    >>> d.language, d.method
    ('es', 'words')
    >>> identify(["Hello"]).language
    'other'
    """
    found = identify_so_far(texts, complete=True)
    assert found is not None  # a complete session always gets an answer
    return found


def identify_so_far(texts: Iterable[str], *, complete: bool) -> Detection | None:
    """:func:`identify` on the words that have arrived: ``None`` while it can't be sure it has
    the answer the whole session will give (``complete``: no more words will come).

    >>> identify_so_far(["Hello", "there"], complete=False) is None
    True
    >>> identify_so_far(("the cat and the dog " * 10).split(), complete=False).language
    'en'
    """
    scripts: dict[str, int] = {}
    letters = 0
    weights = _weights()
    scores: dict[str, float] = {}
    candidates = [lang for lang in LANGUAGES.values() if lang.detect]
    count = 0
    for text in islice(texts, _SAMPLE):
        count += 1
        for ch in text:
            if not ch.isalpha():
                continue
            letters += 1
            point = ord(ch)
            if point < 0x0590:
                continue  # Latin, Greek, Cyrillic: told apart by their words
            for lang in candidates:
                if any(lo <= point <= hi for lo, hi in lang.detect):
                    scripts[lang.code] = scripts.get(lang.code, 0) + 1
                    break
        for part in text.lower().replace("’", "'").split("'"):
            for language, share in weights.get(part.strip(".,;:!?¿¡\"«»()[]…-–—"), {}).items():
                scores[language] = scores.get(language, 0.0) + share
        if count in _CHECKPOINTS:
            sure = _sure(scripts, letters, scores)
            if sure is not None:
                return sure
    if count >= _SAMPLE or complete:
        return _sure(scripts, letters, scores) or Detection(FALLBACK, 0.0, "fallback")
    return None


def _sure(scripts: dict[str, int], letters: int, scores: dict[str, float]) -> Detection | None:
    scripted = sum(scripts.values())
    if letters and scripted * 2 >= letters:
        # Japanese writes Han with kana; Chinese, Han alone. The first in table order with a share wins.
        code = "ja" if scripts.get("ja") else max(scripts, key=lambda c: scripts[c])
        return Detection(code, scripted / letters, "script")
    total = sum(scores.values())
    if total >= 3:
        ranked = sorted(scores, key=lambda c: scores[c], reverse=True)
        runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
        if scores[ranked[0]] >= 2 * runner_up:
            return Detection(ranked[0], scores[ranked[0]] / total, "words")
    return None


def detect_language(texts: Iterable[str]) -> Language:
    """The table of the language :func:`identify` finds.

    >>> detect_language(["今日", "は"]).code, detect_language(["Hello"]).code
    ('ja', 'other')
    """
    return LANGUAGES[identify(texts).language]
