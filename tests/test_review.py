"""Review pages, opened in headless Chromium: self-contained, a bar per cue, violations marked, a click seeks the media."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import transcribe_export as tx
from conftest import SAMPLES
from transcribe_export.cli import main
from transcribe_export.models import CollectStats, Cue, Transcript, Word

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FFMPEG = shutil.which("ffmpeg")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")


def transcript_file(folder: Path) -> Path:
    """A session of four cues by hand: cue 2 has a 50-character line (a hard violation), cue 3 looks like markup."""
    texts = [("Hello there.",), ("This line is far too long for any subtitle preset.",),
             ("<script>document.title='pwned'</script>",), ("Goodbye.",)]
    cues, words = [], []
    for number, lines in enumerate(texts):
        start = 1.0 + number * 3
        cue_words = tuple(Word(token, start + 0.2 * k, start + 0.2 * k + 0.15) for k, token in enumerate(" ".join(lines).split()))
        words += cue_words
        cues.append(Cue(round(start * 1000), round(start * 1000) + 2500, lines, cue_words, "sentence"))
    t = Transcript("hand-made", "completed", None, None, tuple(words), tuple(cues),
                   {"algorithm": "t", **tx.Preset().as_dict()}, CollectStats())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hand-made.json"
    path.write_text(tx.to_json(t), encoding="utf-8")
    return path


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",  # type: ignore[list-item]
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=http://127.0.0.1:9", f"--user-data-dir={profile}", *args],  # no network: a dead proxy
        capture_output=True, text=True, timeout=120,
    )


def test_pages_need_nothing_from_the_network(tmp_path: Path) -> None:
    out = tmp_path / "review"
    tx.review([transcript_file(tmp_path / "subs")], out_dir=out)
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for reference in re.findall(r'(?:src|href)="([^"]*)"', text) + re.findall(r"url\(([^)]*)\)", text):
            assert not re.match(r"[a-z]+://|//", reference), (page.name, reference)
        assert "<link" not in text and "fetch(" not in text and "XMLHttpRequest" not in text


@needs_chromium
def test_one_bar_per_cue_and_the_violations_marked(tmp_path: Path) -> None:
    out = tmp_path / "review"
    tx.review([transcript_file(tmp_path / "subs")], out_dir=out)
    dom = chromium("--dump-dom", (out / "hand-made.html").as_uri(), profile=tmp_path / "profile").stdout
    assert 'data-ready="yes"' in dom  # the script ran to its end, from file://, with no network
    bars = re.findall(r'<button class="bar ([a-z ]+)" data-cue="(\d+)"', dom)
    assert [cue for _, cue in bars] == ["1", "2", "3", "4"]
    assert [cue for classes, cue in bars if "hard" in classes.split()] == ["2"]  # 50 characters > 42
    assert re.search(r'Look first: <a class="worst" href="#cue-2"', dom)  # the worst cue, one click away
    # a word that looks like markup is shown as text, never run: the title is untouched
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "<title>hand-made: review</title>" in dom


@needs_chromium
@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed")
def test_a_click_on_a_cue_seeks_the_media(tmp_path: Path) -> None:
    video = tmp_path / "session.mp4"
    subprocess.run([FFMPEG, "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=5:duration=15",  # type: ignore[list-item]
                    "-pix_fmt", "yuv420p", str(video)], check=True)
    out = tmp_path / "review"
    tx.review([transcript_file(tmp_path / "subs")], out_dir=out, media=video)
    # A page of the test's own frames the review page and clicks its third cue (file:// pages may
    # reach each other only with --allow-file-access-from-files).
    (out / "probe.html").write_text("""<!doctype html><pre id="out">waiting</pre><iframe id="f" src="hand-made.html"></iframe>
<script>const f=document.getElementById('f');f.addEventListener('load',function(){const d=f.contentDocument,
v=d.getElementById('media');d.getElementById('cue-3').click();setTimeout(function(){
document.getElementById('out').textContent=JSON.stringify({time:v.currentTime,track:v.textTracks.length});},1500);});</script>""",
                                    encoding="utf-8")
    dom = chromium("--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", (out / "probe.html").as_uri(),
                   profile=tmp_path / "profile").stdout
    found = re.search(r'<pre id="out">([^<]*)</pre>', dom)
    assert found is not None
    state = json.loads(found.group(1))
    assert state["time"] == pytest.approx(7.0, abs=0.01)  # cue 3 starts at 7 s
    assert state["track"] == 1  # our WebVTT, as the player's track


@needs_chromium
def test_a_screenshot_for_a_human_to_look_at(tmp_path: Path, record_property: pytest.RecordProperty) -> None:
    out = tmp_path / "review"
    subs = tmp_path / "subs"
    tx.convert([SAMPLES / "support-answer.sse"], out_dir=subs, formats="json")
    tx.review([subs / "support-answer.json"], out_dir=out)
    shot = tmp_path / "support-answer.png"
    chromium("--window-size=1280,900", f"--screenshot={shot}", (out / "support-answer.html").as_uri(), profile=tmp_path / "profile")
    assert shot.stat().st_size > 10_000
    record_property("screenshot", str(shot))
    print(f"review page screenshot: {shot}")


def test_the_command_writes_pages_and_an_index_worst_first(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    tx.convert([SAMPLES / "product-demo.sse"], out_dir=subs, formats="json")
    transcript_file(subs)
    result = CliRunner().invoke(main, ["review", str(subs / "product-demo.json"), str(subs / "hand-made.json"),
                                       "-o", str(tmp_path / "review")])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "review" / "index.html").read_text(encoding="utf-8")
    assert index.index('href="hand-made.html"') < index.index('href="product-demo.html"')  # a hard violation first
    assert (tmp_path / "review" / "product-demo.html").is_file()


def test_review_with_convert_and_without_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "es-bienvenida.sse"), "-o", str(tmp_path), "--review"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "review" / "es-bienvenida.html").is_file() and (tmp_path / "review" / "index.html").is_file()
    refused = CliRunner().invoke(main, ["convert", str(SAMPLES / "es-bienvenida.sse"), "-o", str(tmp_path / "b"), "-f", "srt",
                                        "--review"])
    assert refused.exit_code == 2 and "keep json in --format" in refused.output


@needs_chromium
def test_the_index_sorts_by_a_column(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    tx.convert([SAMPLES / "product-demo.sse", SAMPLES / "ja-tutorial.sse"], out_dir=subs, formats="json")
    transcript_file(subs)
    out = tmp_path / "review"
    tx.review(sorted(subs.glob("*.json")), out_dir=out)
    (out / "probe.html").write_text("""<!doctype html><pre id="out">waiting</pre><iframe id="f" src="index.html"></iframe>
<script>const f=document.getElementById('f');f.addEventListener('load',function(){const d=f.contentDocument;
const names=()=>Array.from(d.querySelectorAll('#index tbody tr td:first-child')).map(td=>td.textContent);
const before=names();d.querySelectorAll('#index th')[1].click();const after=names();
document.getElementById('out').textContent=JSON.stringify([before,after]);});</script>""", encoding="utf-8")
    dom = chromium("--allow-file-access-from-files", "--dump-dom", (out / "probe.html").as_uri(), profile=tmp_path / "profile").stdout
    found = re.search(r'<pre id="out">([^<]*)</pre>', dom)
    assert found is not None
    before, after = json.loads(found.group(1))
    assert before[0] == "hand-made"  # a hard violation: first
    assert after == ["hand-made", "ja-tutorial", "product-demo"]  # by words, fewest first: 12, 66, 169


def test_export_review_over_http(emulator: object, tmp_path: Path) -> None:
    from conftest import KEY

    env = {"HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emulator.base_url, "HEYGEN_BEARER_TOKEN": None}  # type: ignore[attr-defined]
    result = CliRunner().invoke(main, ["export", "product-demo", "support-answer", "-o", str(tmp_path), "--review"], env=env,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    index = (tmp_path / "review" / "index.html").read_text(encoding="utf-8")
    assert 'href="product-demo.html"' in index and 'href="support-answer.html"' in index


def test_pages_of_one_name_or_called_index_get_names_of_their_own(tmp_path: Path) -> None:
    first, second = transcript_file(tmp_path / "a"), transcript_file(tmp_path / "b")
    index_named = tmp_path / "c" / "index.json"
    index_named.parent.mkdir()
    index_named.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    written = tx.review([first, second, index_named], out_dir=tmp_path / "review", media=tmp_path / "my #1 video.mp4")
    assert [p.name for p in written] == ["hand-made.html", "hand-made-2.html", "index-2.html", "index.html"]
    assert "my%20%231%20video.mp4" in (tmp_path / "review" / "hand-made.html").read_text(encoding="utf-8")
