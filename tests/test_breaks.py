"""Hand-checked breaks, per language: where a subtitler would (not) break a line or a cue.

Each case is a sentence too long for one line, so a break must fall somewhere; the
assertion names the place it must not fall (a word and the one after it kept together),
or where it should. The rules are the Netflix "Line Treatment" ones (docs/caption-rules.md §1.1).
"""

from __future__ import annotations

import pytest

from transcribe_export.models import Word
from transcribe_export.segmentation.segmenter import segment


def breaks(text: str, preset: str) -> list[str]:
    """The words after which a line or cue break fell."""
    tokens = text.split()
    words = [Word(t, round(i * 0.25, 3), round(i * 0.25 + 0.25, 3)) for i, t in enumerate(tokens)]
    after = []
    for cue in segment(words, preset=preset):
        for line in cue.chunks:
            after.append(line[-1].text)
    return after[:-1]


KEPT_TOGETHER = [
    # (preset, sentence, word a break must not follow)
    ("netflix-en", "Your price won't change because it stays at $20 per month for the whole of the next year", "$20"),
    ("netflix-en", "We are offering all of our loyal customers the 3.5% loyalty discount on every single renewal", "3.5%"),
    ("netflix-en", "Open the settings page and then choose the payment methods that you would like to use today", "the"),
    ("netflix-en", "Several of the people who use our product every day have asked us for many more templates", "many"),
    ("netflix-en", "The assistant is going to suggest a shorter version of every scene that you have written", "is"),
    ("netflix-fr", "Les objectifs de nos équipes sont de rendre nos vidéos plus claires pour vos clients partout", "nos"),
    ("netflix-fr", "Je pense qu'il faut encore quelque chose de plus simple pour les personnes qui regardent", "quelque"),
    ("netflix-fr", "Ce n'est pas la première fois que nous parlons de ce sujet avec toute notre équipe ici", "n'est"),
    ("netflix-fr", "C'était vraiment une très belle surprise pour chacun de vos collègues de travail hier soir", "c'était"),
    ("netflix-fr", "Vous pouvez choisir quelques avatars dans la bibliothèque avant de commencer votre vidéo", "quelques"),
    ("netflix-es", "Hoy les muestro cómo crear un video profesional en cinco minutos con nuestra nueva herramienta", "un"),
    ("netflix-es", "Elijan un presentador o una presentadora de la biblioteca antes de escribir el guion completo", "o"),
    ("netflix-es", "Todos los clientes pueden usar cada plantilla de la biblioteca sin pagar nada más este mes", "cada"),
    ("netflix-de", "Wir zeigen Ihnen heute, wie jeder Kunde seine Videos in wenigen Minuten erstellen kann", "jeder"),
    ("netflix-de", "Die Untertitel werden für alle Sprachen automatisch erstellt und sind sofort verfügbar", "alle"),
]


@pytest.mark.parametrize(("preset", "sentence", "word"), KEPT_TOGETHER)
def test_no_break_right_after(preset: str, sentence: str, word: str) -> None:
    assert word not in breaks(sentence, preset), breaks(sentence, preset)


def test_a_copula_may_be_followed_by_a_break_an_auxiliary_not() -> None:
    # "sont" before a participle is an auxiliary ("sont devenus"); before an adjective, a copula.
    assert "sont" not in breaks("Les résultats de toutes nos équipes de production sont devenus meilleurs cette année", "netflix-fr")
