"""Words a caption break must not follow, per language, and particles for ja and zh.

From the guides in ``../shared/CAPTION-RULES.md``: a break must not separate
an article from its noun, a preposition or conjunction from what follows,
a subject pronoun from its verb, or an auxiliary from its verb (Netflix
N-GEN "Line Treatment", BBC 3.4, DCMP "Line division"). So a break right
*after* one of these words is costly; a break *before* a preposition or
conjunction is a good one. In Japanese and Chinese a particle belongs to
the word before it, so a break must not fall right before one.
"""

from __future__ import annotations

__all__ = ["ARTICLES", "BREAK_BEFORE_GOOD", "NO_BREAK_AFTER", "PARTICLES"]

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

#: language -> lower-case words a break should not come right after.
NO_BREAK_AFTER: dict[str, frozenset[str]] = {
    "en": frozenset(f"{_EN_ARTICLES} {_EN_PREPOSITIONS} {_EN_CONJUNCTIONS} {_EN_PRONOUNS} {_EN_AUXILIARIES}".split()),
    "es": frozenset(_ES.split()),
    "fr": frozenset(_FR.split()),
    "de": frozenset(_DE.split()),
}

#: language -> articles and determiners: splitting one from its noun is the worst break of all.
ARTICLES: dict[str, frozenset[str]] = {
    "en": frozenset(_EN_ARTICLES.split()),
    "es": frozenset(_ES_ARTICLES.split()),
    "fr": frozenset(_FR_ARTICLES.split()),
    "de": frozenset(_DE_ARTICLES.split()),
}

#: language -> lower-case words a break may well come right before (a new phrase starts).
BREAK_BEFORE_GOOD: dict[str, frozenset[str]] = {
    "en": frozenset(f"{_EN_PREPOSITIONS} {_EN_CONJUNCTIONS} which who where".split()),
    "es": frozenset("de en con por para sin sobre y o pero porque aunque cuando que".split()),
    "fr": frozenset("de à dans sur avec pour par sans et ou mais parce quand qui que".split()),
    "de": frozenset("in an auf mit nach von zu für und oder aber weil wenn dass".split()),
}

#: language -> particles that belong to the word before them (no break right before one).
PARTICLES: dict[str, frozenset[str]] = {
    "ja": frozenset("は が を に で と も の へ や から まで より ね よ か な だ です ます でした ました".split()),
    "zh": frozenset("的 了 吗 呢 吧 啊 着 过 地 得 们".split()),
}
