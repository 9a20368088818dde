"""auto: the language found in the words, on the samples, the human references, short and mixed inputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, words_in_capture
from transcribe_export.cli import main
from transcribe_export.segmentation.languages import identify

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import human  # noqa: E402


@pytest.mark.parametrize(("sample", "language", "method"), [
    ("es-bienvenida", "es", "words"), ("product-demo", "en", "words"), ("support-answer", "en", "words"),
    ("ja-tutorial", "ja", "script"),
])
def test_every_sample(sample: str, language: str, method: str) -> None:
    found = identify(w["word"] for w in words_in_capture(SAMPLES / f"{sample}.sse"))
    assert (found.language, found.method) == (language, method)
    assert 0.5 < found.confidence <= 1


def test_every_human_reference() -> None:
    for reference in human.load_references():
        assert identify(reference.tokens).language == reference.language, reference.name


@pytest.mark.parametrize(("text", "language"), [
    ("Die Untertitel werden automatisch erstellt, und das ist nicht schwer.", "de"),
    ("Les sous-titres sont créés pour vous, et ce n'est pas difficile.", "fr"),
    ("I sottotitoli sono creati per te, e non è difficile con questo strumento.", "it"),
    ("As legendas são criadas para você, e não é difícil com isso.", "pt"),
    ("De ondertitels worden voor je gemaakt, en het is niet moeilijk.", "nl"),
    ("Субтитры создаются для вас, и это не так сложно, если вы уже знаете как.", "ru"),
    ("今天我们介绍如何制作视频", "zh"),
    ("오늘은 동영상을 만드는 방법을 소개합니다", "ko"),
    ("مرحبا بكم في الاستوديو", "ar"),
    ("שלום וברוכים הבאים", "he"),
    # mixed: the language of most of it wins
    ("今日はHeyGenのデモを見てみましょう", "ja"),
    ("We went to the Café de la Paix and it was the best evening of the trip.", "en"),
    ("El equipo de marketing dice que the new look is great, y que es muy fácil de usar para todos.", "es"),
])
def test_languages_by_script_and_by_words(text: str, language: str) -> None:
    assert identify(text.split()).language == language


@pytest.mark.parametrize("text", ["", "Hello", "Hola amigos", "OK OK OK", "1 2 3", "de la"])
def test_too_little_to_tell_falls_back_to_generic(text: str) -> None:
    found = identify(text.split())
    assert (found.language, found.confidence, found.method) == ("other", 0.0, "fallback")


def test_the_json_records_what_auto_found_and_language_overrides(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "es-bienvenida.sse"), "-o", str(tmp_path / "a"), "-f", "json"])
    assert result.exit_code == 0, result.output
    segmentation = json.loads((tmp_path / "a" / "es-bienvenida.json").read_text(encoding="utf-8"))["segmentation"]
    assert segmentation["name"] == "netflix-es" and segmentation["language"] == "es"
    assert segmentation["detected"]["language"] == "es" and segmentation["detected"]["method"] == "words"
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "es-bienvenida.sse"), "-o", str(tmp_path / "b"), "-f", "json",
                                       "--language", "fr"])
    segmentation = json.loads((tmp_path / "b" / "es-bienvenida.json").read_text(encoding="utf-8"))["segmentation"]
    assert segmentation["name"] == "netflix-fr" and "detected" not in segmentation
    bad = CliRunner().invoke(main, ["convert", str(SAMPLES / "es-bienvenida.sse"), "-o", str(tmp_path / "c"), "--language", "xx"])
    assert bad.exit_code == 2 and "unknown language 'xx'" in bad.output
