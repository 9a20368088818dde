"""The demo: every bundled sample exported through the real HTTP path, offline."""

from __future__ import annotations

import os
from pathlib import Path

from transcribe_export.collect.client import HeyGenClient
from transcribe_export.emulate.server import Emulator
from transcribe_export.errors import TranscribeExportError
from transcribe_export.resources import bundled_dir
from transcribe_export.run.pipeline import export_session

__all__ = ["demo_table", "run_demo"]


def run_demo(out_dir: str | os.PathLike[str]) -> tuple[str, list[tuple[str, int, int]], list[TranscribeExportError]]:
    """Start the emulator on a free loopback port and export each bundled sample (preset ``auto``).

    No key and no network are needed: the client is a real one, the server
    this process's emulator. No state store is kept: the demo is not a run to resume.

    Returns:
        The emulator's base URL; per exported sample its id, words and cues; the failures.
    """
    rows: list[tuple[str, int, int]] = []
    failures: list[TranscribeExportError] = []
    with Emulator(bundled_dir("samples")) as emulator:
        client = HeyGenClient(base_url=emulator.base_url)
        for stream_id in emulator.sessions():
            try:
                transcript = export_session(stream_id, client=client, out_dir=Path(out_dir), preset="auto")
            except TranscribeExportError as error:
                failures.append(error)
                continue
            rows.append((stream_id, len(transcript.words), len(transcript.cues)))
    return emulator.base_url, rows, failures


def demo_table(rows: list[tuple[str, int, int]]) -> str:
    """The demo's table: per sample its id, words, cues and files.

    >>> print(demo_table([("product-demo", 169, 18)]))
      stream id     words  cues  files
      product-demo    169    18  product-demo.srt .vtt .json
    """
    width = max([len("stream id")] + [len(row[0]) for row in rows])
    lines = [f"  {'stream id':<{width}}  {'words':>5}  {'cues':>4}  files"]
    lines += [f"  {stream_id:<{width}}  {words:>5}  {cues:>4}  {stream_id}.srt .vtt .json" for stream_id, words, cues in rows]
    return "\n".join(lines)
