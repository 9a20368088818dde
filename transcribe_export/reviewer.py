"""Review pages: one self-contained HTML page per session, and an index for a batch.

Made from the JSON transcript alone, so any past export can be reviewed
without the API. Each page holds its data, styles and script inline: no
network, no CDN, it works from ``file://``. It shows

* at the top, what ``check`` finds (against the preset the cues were cut with);
* a timeline of the whole session: a tick per word, a bar per cue coloured
  by reading speed against the preset, hard-rule violations marked; zoom
  and scroll; a cue's text on hover or focus;
* the cue list: times, duration, characters per line, CPS, why the cue and
  each line ended; a cue links to its place on the timeline;
* with a media file, a player with the session's WebVTT as its track;
  choosing a cue seeks to it.

Bars are DOM elements (one per cue, 11,000 for ten hours); the word ticks
are drawn on a canvas, only where the timeline is in view. Everything the
words hold is put in the page with ``textContent``: no word is ever markup.
"""

from __future__ import annotations

import base64
import html
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import quote

from transcribe_export.errors import InputError
from transcribe_export.models import Cue, Transcript, Word
from transcribe_export.scripts import join_lines

__all__ = ["SessionPage", "page", "review", "session_page"]


@dataclass(frozen=True)
class SessionPage:
    """One session's review page and the figures the index shows."""

    name: str
    stream_id: str
    html: str
    words: int
    cues: int
    duration: float
    language: str
    hard: int
    worst_cps: float
    sparkline: list[float]


def _transcript(document: dict[str, Any], source: str) -> Transcript:
    """Our JSON transcript (format version 1) as a :class:`Transcript` with its own cues, as cut."""
    try:
        tokens = tuple(Word(t["word"], t["start"], t["end"]) for t in document["tokens"])
        cues = []
        position = 0
        for segment in document["segments"]:
            count = len(segment["words"])
            cues.append(Cue(round(segment["start"] * 1000), round(segment["end"] * 1000), tuple(segment["lines"]),
                            tokens[position : position + count], segment["break_reason"],
                            tuple(segment["line_break_reasons"])))
            position += count
        return Transcript(document["stream_id"], document["session"]["status"], document["session"]["end_reason"], None,
                          tokens, tuple(cues), dict(document["segmentation"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{source!r} is not a transcript this tool wrote ({type(exc).__name__}: {exc})") from None


def session_page(transcript: Transcript, *, name: str | None = None, media: str | None = None) -> SessionPage:
    """The review page of one session.

    Args:
        name: the page's name (the file name without ``.html``); the stream id by default.
        media: a path or URL of the session's video or audio, as the page should load it.
    """
    from transcribe_export.checker import HARD, check_text
    from transcribe_export.segmentation.presets import load_preset, preset_of
    from transcribe_export.write import render_srt, render_vtt

    preset = preset_of(transcript.settings) or load_preset()
    report = check_text(render_srt(transcript), preset=preset, path=transcript.stream_id, words=transcript.words,
                        allow_empty=True)
    marks: dict[int, list[str]] = {}
    for rule, numbers in report.violations.items():
        for number in numbers:
            marks.setdefault(number, []).append(rule)
    cues: list[dict[str, Any]] = []
    worst = 0.0
    for number, cue in enumerate(transcript.cues, 1):
        seconds = max(cue.end_ms - cue.start_ms, 1) / 1000
        cps = preset.measure(join_lines(cue.lines)) / seconds
        worst = max(worst, cps)
        rules = marks.get(number, [])
        cues.append({
            "n": number, "start": cue.start_ms / 1000, "end": cue.end_ms / 1000, "lines": list(cue.lines),
            "chars": [preset.measure(line) for line in cue.lines], "cps": round(cps, 1), "reason": cue.reason,
            "lineReasons": list(cue.line_reasons), "hard": [r for r in rules if r in HARD],
            "soft": [r for r in rules if r not in HARD],
        })
    words = [[w.start_ms / 1000, w.end_ms / 1000] for w in transcript.words]
    duration = float(max([c["end"] for c in cues] + [w[1] for w in words] + [0.0]))
    detected = transcript.settings.get("detected")
    language = str(detected["language"] if isinstance(detected, dict) else transcript.settings.get("language", ""))
    data = {
        "stream": transcript.stream_id, "preset": preset.name, "maxCps": preset.max_cps, "maxChars": preset.max_chars_per_line,
        "maxLines": preset.max_lines, "duration": duration, "cues": cues, "words": words,
        "media": media, "vtt": "data:text/vtt;base64," + base64.b64encode(render_vtt(transcript).encode()).decode() if media else None,
    }
    hard = report.hard_failures
    title = f"{transcript.stream_id}: review"
    look = ""
    if cues:  # the cue to look at first: the most hard violations, then the fastest
        first = max(range(len(cues)), key=lambda i: (len(cues[i]["hard"]), cues[i]["cps"]))
        worst_cue = cues[first]
        why = ", ".join(worst_cue["hard"]) or f"reading speed {worst_cue['cps']} cps"
        look = (f'<p>Look first: <a class="worst" href="#cue-{worst_cue["n"]}" data-i="{first}">cue {worst_cue["n"]}</a> '
                f'({html.escape(why)})</p>')
    body = (
        _HEAD.replace("$TITLE", html.escape(title))
        + f'<header><h1>{html.escape(transcript.stream_id)}</h1>'
        + f'<p class="summary">{len(transcript.words)} words, {len(cues)} cues, {duration:.1f} s, language '
        + f'{html.escape(language or "?")}, preset {html.escape(preset.name)}: '
        + (f'<strong class="bad">{hard} hard violations</strong>' if hard else '<strong class="good">no hard violation</strong>')
        + f'</p>{look}<pre class="check" aria-label="check report">{html.escape(report.format())}</pre></header>'
        + _BODY
        + '<script type="application/json" id="data">' + json.dumps(data, ensure_ascii=False).replace("</", "<\\/") + "</script>"
        + "<script>" + _SCRIPT + "</script></body></html>\n"
    )
    spark = [0.0] * 40
    for row in cues:
        slot = min(39, int(row["start"] / duration * 40)) if duration else 0
        spark[slot] = max(spark[slot], row["cps"] / preset.max_cps)
    return SessionPage(name or transcript.stream_id, transcript.stream_id, body, len(transcript.words), len(cues), duration,
                       language, hard, round(worst, 1), spark)


def page(transcript_path: str | os.PathLike[str], *, media: str | None = None) -> SessionPage:
    """The review page of a JSON transcript file."""
    path = Path(transcript_path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read {str(path)!r} as a JSON transcript ({exc})") from None
    if not isinstance(document, dict):
        raise InputError(f"{str(path)!r} is not a transcript this tool wrote")
    return session_page(_transcript(document, str(path)), name=path.stem, media=media)


def index_page(pages: Sequence[SessionPage]) -> str:
    """The batch index: a row per session, those that need a look first, sortable by any column."""
    ordered = sorted(pages, key=lambda p: (-p.hard, -p.worst_cps, p.name))
    rows = []
    for p in ordered:
        points = " ".join(f"{i * 3},{20 - min(v, 2.0) * 10:.1f}" for i, v in enumerate(p.sparkline))
        rows.append(
            f'<tr class="{"bad" if p.hard else ""}"><td><a href="{html.escape(p.name)}.html">{html.escape(p.stream_id)}</a></td>'
            f'<td data-v="{p.words}">{p.words}</td><td data-v="{p.cues}">{p.cues}</td>'
            f'<td data-v="{p.duration:.1f}">{p.duration:.1f} s</td><td>{html.escape(p.language)}</td>'
            f'<td data-v="{p.hard}">{p.hard}</td><td data-v="{p.worst_cps}">{p.worst_cps}</td>'
            f'<td><svg width="120" height="22" role="img" aria-label="reading speed over the session">'
            f'<line x1="0" y1="10" x2="120" y2="10" class="limit"/><polyline points="{points}"/></svg></td></tr>'
        )
    return (
        _HEAD.replace("$TITLE", "Review: sessions")
        + f"<header><h1>Review: {len(pages)} sessions</h1><p>Sessions with hard violations first; click a column to sort.</p></header>"
        + '<table id="index"><thead><tr><th>session</th><th>words</th><th>cues</th><th>duration</th><th>language</th>'
        + '<th>hard</th><th>worst CPS</th><th>reading speed</th></tr></thead><tbody>'
        + "".join(rows) + "</tbody></table><script>" + _SORT + "</script></body></html>\n"
    )


def review(
    transcripts: Iterable[str | os.PathLike[str]], *, out_dir: str | os.PathLike[str], media: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Write a review page per JSON transcript and an ``index.html`` into ``out_dir``.

    Args:
        media: one video or audio file for the session(s); the pages load it
            by a path relative to ``out_dir``.

    Returns:
        The pages written, the index last.
    """
    from transcribe_export.write.files import write_atomic

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    source = None
    if media is not None:  # a relative URL: each path segment percent-encoded ("#" or "?" in a name)
        source = quote(os.path.relpath(Path(media).resolve(), folder.resolve()).replace(os.sep, "/"))
    pages = []
    taken = {"index"}  # the index's own name
    for path in transcripts:
        made = page(path, media=source)
        name, count = made.name, 1
        while name in taken:  # two transcripts of one name (from two folders), or one called index
            count += 1
            name = f"{made.name}-{count}"
        taken.add(name)
        pages.append(replace(made, name=name))
    files = {folder / f"{p.name}.html": p.html for p in pages}
    files[folder / "index.html"] = index_page(pages)
    write_atomic(files)
    return list(files)


_HEAD = """<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>$TITLE</title><style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 1.5rem 2rem;color:#1a1a1a;background:#fff}
h1{font-size:1.3rem;margin:1rem 0 .3rem}.summary{margin:.2rem 0}.bad{color:#a40000}.good{color:#1d6b1d}
pre.check{background:#f4f4f4;padding:.5rem;font-size:12px;overflow:auto;max-height:14rem}
#controls{margin:.6rem 0}#controls button{font:inherit;padding:.15rem .6rem;margin-right:.3rem}
#timeline{position:relative;overflow-x:auto;overflow-y:hidden;border:1px solid #888;height:92px;background:#fafafa}
#track{position:relative;height:90px}#ticks{position:sticky;left:0;top:0;display:block;height:26px}
.bar{position:absolute;top:32px;height:34px;border:1px solid #333;box-sizing:border-box;padding:0;cursor:pointer;font:11px system-ui}
.bar.ok{background:#7fbf7f}.bar.warm{background:#f0c75e}.bar.hot{background:#e07b6a}
.bar.hard{outline:3px solid #a40000;outline-offset:-3px}.bar:focus{outline:3px solid #0645ad;z-index:2}
.bar .mark{position:absolute;top:-14px;left:0;color:#a40000;font-weight:bold}
#tip{position:fixed;display:none;background:#222;color:#fff;padding:.3rem .5rem;font-size:13px;white-space:pre;z-index:9;pointer-events:none}
table{border-collapse:collapse;margin-top:1rem;width:100%}th,td{border-bottom:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}
th{cursor:pointer;background:#eee}tr.bad td:first-child{border-left:4px solid #a40000}td.text{white-space:pre-wrap}
#cues{margin-top:1rem}.row{display:grid;grid-template-columns:3rem 6.5rem 6.5rem 5rem 7rem 3.5rem 5.5rem 6rem 9rem 1fr;
border-bottom:1px solid #ccc;padding:.2rem 0}.row>span{padding:0 .3rem}.row.head{background:#eee;font-weight:bold}
#rows .row{content-visibility:auto;contain-intrinsic-size:auto 2.8rem}.row.bad>span:first-child{border-left:4px solid #a40000}
.row.current{background:#e6efff}.row .text{white-space:pre-wrap}
tr.current{background:#e6efff}video,audio{max-width:100%;margin-top:.6rem}
svg polyline{fill:none;stroke:#0645ad;stroke-width:1.5}svg .limit{stroke:#a40000;stroke-dasharray:2 2}
@media print{#controls,#timeline,video,audio,#tip{display:none}pre.check{max-height:none}body{margin:0}#rows .row{content-visibility:visible}}
</style></head><body>"""

_BODY = """<div id="player"></div>
<div id="controls" role="toolbar" aria-label="timeline"><button id="zoomin" aria-label="zoom in">+</button>
<button id="zoomout" aria-label="zoom out">&minus;</button><span id="scale"></span></div>
<div id="timeline" tabindex="0" aria-label="timeline: a tick per word, a bar per cue"><canvas id="ticks" height="26"></canvas><div id="track"></div></div>
<div id="tip" role="tooltip"></div>
<div id="cues" role="table" aria-label="cues"><div class="row head" role="row"><span role="columnheader">#</span>
<span role="columnheader">in</span><span role="columnheader">out</span><span role="columnheader">duration</span>
<span role="columnheader">chars per line</span><span role="columnheader">CPS</span><span role="columnheader">cue ends</span>
<span role="columnheader">lines end</span><span role="columnheader">rules</span><span role="columnheader">text</span></div>
<div id="rows" role="rowgroup"></div></div>"""

_SCRIPT = r"""
(function(){
const data=JSON.parse(document.getElementById('data').textContent);
const track=document.getElementById('track'),timeline=document.getElementById('timeline'),canvas=document.getElementById('ticks');
const tip=document.getElementById('tip'),tbody=document.getElementById('rows');
let pxPerSecond=Math.max(20,Math.min(200,(timeline.clientWidth||1000)/Math.max(1,Math.min(data.duration,60))));
let player=null;
function fmt(t){const h=Math.floor(t/3600),m=Math.floor(t%3600/60),s=(t%60).toFixed(3);return (h?h+':':'')+String(m).padStart(2,'0')+':'+s.padStart(6,'0');}
function heat(c){return c.cps>data.maxCps?'hot':c.cps>0.85*data.maxCps?'warm':'ok';}
if(data.media){
  const isAudio=/\.(mp3|wav|m4a|aac|ogg|opus|flac)$/i.test(data.media);
  player=document.createElement(isAudio?'audio':'video');player.controls=true;player.preload='metadata';player.src=data.media;player.id='media';
  const track_=document.createElement('track');track_.kind='subtitles';track_.default=true;track_.label='captions';track_.src=data.vtt;
  player.appendChild(track_);document.getElementById('player').appendChild(player);
}
const bars=[];
function seek(c){if(player){player.currentTime=c.start+0.001;}}
function show(c,el){tip.textContent=c.lines.join('\n')+'\n'+fmt(c.start)+' \u2192 '+fmt(c.end)+'  '+c.cps+' cps';
  const r=el.getBoundingClientRect();tip.style.left=Math.max(0,r.left)+'px';tip.style.top=(r.bottom+4)+'px';tip.style.display='block';}
function select(i){const c=data.cues[i],el=bars[i];timeline.scrollLeft=Math.max(0,c.start*pxPerSecond-timeline.clientWidth/3);
  el.focus({preventScroll:true});document.querySelectorAll('.row.current').forEach(r=>r.classList.remove('current'));
  tbody.children[i].classList.add('current');seek(c);}
function esc(v){return String(v).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;').replace(/"/g,'&quot;');}
// Built as one string each (escaped): thousands of cues appear at once; one listener serves them all.
const barHtml=[],rowHtml=[];
data.cues.forEach(function(c,i){
  const label='cue '+c.n+': '+c.lines.join(' / ')+(c.hard.length?' ('+c.hard.join(', ')+')':'');
  barHtml.push('<button class="bar '+heat(c)+(c.hard.length?' hard':'')+'" data-cue="'+c.n+'" data-i="'+i+'" id="cue-'+c.n+
    '" style="left:'+(c.start*pxPerSecond)+'px;width:'+Math.max(2,(c.end-c.start)*pxPerSecond)+'px" aria-label="'+esc(label)+'">'+
    (c.hard.length?'<span class="mark" title="'+esc(c.hard.join(', '))+'">!</span>':'')+'</button>');
  const cells=[fmt(c.start),fmt(c.end),(c.end-c.start).toFixed(2)+' s',c.chars.join(' / '),c.cps,c.reason,c.lineReasons.join(', '),
    c.hard.concat(c.soft).join(', ')];
  rowHtml.push('<div class="row'+(c.hard.length?' bad':'')+'" role="row" data-i="'+i+'"><span role="cell"><a href="#cue-'+c.n+
    '" data-i="'+i+'">'+c.n+'</a></span>'+cells.map(v=>'<span role="cell">'+esc(v)+'</span>').join('')+
    '<span role="cell" class="text">'+esc(c.lines.join('\n'))+'</span></div>');
});
track.innerHTML=barHtml.join('');tbody.innerHTML=rowHtml.join('');
track.querySelectorAll('button.bar').forEach(b=>bars.push(b));
function indexOf(e){const el=e.target.closest('[data-i]');return el?Number(el.dataset.i):-1;}
track.addEventListener('click',function(e){const i=indexOf(e);if(i>=0)select(i);});
track.addEventListener('mouseover',function(e){const i=indexOf(e);if(i>=0)show(data.cues[i],bars[i]);});
track.addEventListener('focusin',function(e){const i=indexOf(e);if(i>=0)show(data.cues[i],bars[i]);});
track.addEventListener('mouseout',()=>tip.style.display='none');track.addEventListener('focusout',()=>tip.style.display='none');
track.addEventListener('keydown',function(e){const i=indexOf(e);if(i<0)return;
  if(e.key==='ArrowRight'&&i+1<bars.length){e.preventDefault();select(i+1);}if(e.key==='ArrowLeft'&&i>0){e.preventDefault();select(i-1);}});
tbody.addEventListener('click',function(e){const i=indexOf(e);if(i>=0){e.preventDefault();select(i);}});
const worst=document.querySelector('a.worst');if(worst)worst.addEventListener('click',function(e){e.preventDefault();select(Number(worst.dataset.i));});
function layout(){track.style.width=Math.ceil(data.duration*pxPerSecond+40)+'px';
  data.cues.forEach(function(c,i){const st=bars[i].style;st.left=(c.start*pxPerSecond)+'px';st.width=Math.max(2,(c.end-c.start)*pxPerSecond)+'px';});
  document.getElementById('scale').textContent=pxPerSecond.toFixed(0)+' px a second';draw();}
function draw(){const w=timeline.clientWidth||1000;canvas.width=w;const g=canvas.getContext('2d');g.clearRect(0,0,w,26);
  const from=timeline.scrollLeft/pxPerSecond,to=from+w/pxPerSecond;g.fillStyle='#333';
  let lo=0,hi=data.words.length;while(lo<hi){const m=(lo+hi)>>1;if(data.words[m][1]<from)lo=m+1;else hi=m;}
  for(let k=lo;k<data.words.length&&data.words[k][0]<=to;k++){const x=(data.words[k][0]-from)*pxPerSecond;
    g.fillRect(x,4,Math.max(1,(data.words[k][1]-data.words[k][0])*pxPerSecond),14);}
  g.fillStyle='#666';g.font='10px system-ui';const step=pxPerSecond>=80?1:pxPerSecond>=20?5:30;
  for(let t=Math.ceil(from/step)*step;t<=to;t+=step){g.fillText(fmt(t).replace(/\.\d+$/,''),(t-from)*pxPerSecond+2,25);}}
timeline.addEventListener('scroll',draw);window.addEventListener('resize',draw);
document.getElementById('zoomin').addEventListener('click',()=>{pxPerSecond=Math.min(800,pxPerSecond*2);layout();});
document.getElementById('zoomout').addEventListener('click',()=>{pxPerSecond=Math.max(0.5,pxPerSecond/2);layout();});
timeline.addEventListener('wheel',function(e){if(e.ctrlKey){e.preventDefault();pxPerSecond=Math.max(0.5,Math.min(800,pxPerSecond*(e.deltaY<0?1.25:0.8)));layout();}},{passive:false});
track.style.width=Math.ceil(data.duration*pxPerSecond+40)+'px';document.getElementById('scale').textContent=pxPerSecond.toFixed(0)+' px a second';
draw();document.body.dataset.ready='yes';
})();
"""

_SORT = r"""
document.querySelectorAll('#index th').forEach(function(th,col){th.addEventListener('click',function(){
  const body=document.querySelector('#index tbody'),rows=Array.from(body.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
  rows.sort(function(a,b){const x=a.cells[col],y=b.cells[col];const u=x.dataset.v,v=y.dataset.v;
    const r=(u!==undefined&&v!==undefined)?(parseFloat(u)-parseFloat(v)):x.textContent.localeCompare(y.textContent);return asc?r:-r;});
  rows.forEach(r=>body.appendChild(r));});});
document.body.dataset.ready='yes';
"""
