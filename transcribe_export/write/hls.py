"""An HLS subtitle rendition: WebVTT segments and a live media playlist that grows as cues become final.

RFC 8216 (HTTP Live Streaming): a subtitle rendition is a media playlist of
WebVTT segments (§3.5), each starting with ``X-TIMESTAMP-MAP`` to map its cue
times onto the video's MPEG-2 timestamps; ``#EXT-X-PLAYLIST-TYPE:EVENT``
promises that segments are only ever added (§4.3.3.5), and
``#EXT-X-ENDLIST`` says no more will come (§4.3.3.4). Reference the playlist
from the master playlist with ``#EXT-X-MEDIA:TYPE=SUBTITLES,...,URI="captions.m3u8"``.

Which cues go in which segment is webvtt-py's rule (``webvtt.segmenter.slice_segments``):
a cue goes in every segment its time overlaps. A segment is written once every
cue that could touch it is known: when the live cues have settled past its end.
Every file is written atomically, the playlist last, so a player never lists a
segment that is not there, nor reads half a file.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

from transcribe_export.models import Cue
from transcribe_export.write import HLS_MPEGTS, HLS_SEGMENT_SECONDS
from transcribe_export.write.files import write_atomic
from transcribe_export.write.vtt import cue_block, timestamp

__all__ = ["DEFAULT_MPEGTS", "DEFAULT_SEGMENT_SECONDS", "PLAYLIST", "HLSWriter"]

DEFAULT_MPEGTS = HLS_MPEGTS
DEFAULT_SEGMENT_SECONDS = HLS_SEGMENT_SECONDS
PLAYLIST = "captions.m3u8"


class HLSWriter:
    """Write ``folder/captions.m3u8`` and ``folder/captions-00000.vtt``... as cues become final.

    Args:
        folder: where the playlist and the segments go (created if missing).
        seconds: each segment's duration (the playlist's target duration), a whole number.
        mpegts: the video's MPEG-TS time (90 kHz) at the session's zero.
    """

    def __init__(self, folder: str | Path, *, seconds: int = DEFAULT_SEGMENT_SECONDS, mpegts: int = DEFAULT_MPEGTS) -> None:
        if type(seconds) is not int or seconds <= 0:
            raise ValueError(f"a segment lasts a whole number of seconds above zero, not {seconds!r}")
        if type(mpegts) is not int or not 0 <= mpegts < 2**33:
            raise ValueError(f"an MPEG-TS time is a whole number from 0 to 2**33 - 1, not {mpegts!r}")
        self.folder = Path(folder)
        self.seconds = seconds
        self.mpegts = mpegts
        self.written = 0  # segments written so far
        self.ended = False
        self.folder.mkdir(parents=True, exist_ok=True)
        self._playlist()

    def update(self, cues: Sequence[Cue], settled_ms: int) -> None:
        """Write the segments that end at or before ``settled_ms`` (every cue starting before it is in ``cues``)."""
        self._write(cues, settled_ms // (self.seconds * 1000))

    def finish(self, cues: Sequence[Cue]) -> None:
        """The session has ended: every cue is in ``cues``. Write the rest and close the playlist."""
        end_ms = max((cue.end_ms for cue in cues), default=0)
        self._write(cues, max(self.written, math.ceil(end_ms / (self.seconds * 1000))))
        self.ended = True
        self._playlist(last_ms=end_ms)

    def _write(self, cues: Sequence[Cue], count: int) -> None:
        if count <= self.written:
            return
        import webvtt  # here: the command line imports this module's defaults at start-up
        from webvtt.segmenter import slice_segments

        first_ms = self.written * self.seconds * 1000  # the new segments' start: earlier cues can't be in them
        captions = [webvtt.Caption(timestamp(cue.start_ms), timestamp(cue.end_ms), identifier=str(number))
                    for number, cue in enumerate(cues, 1) if cue.end_ms > first_ms]
        slices = slice_segments(captions, self.seconds)
        files = {}
        for index in range(self.written, count):
            in_segment = slices[index] if index < len(slices) else []
            numbers = [int(caption.identifier or 0) for caption in in_segment]  # every caption here has one
            blocks = "".join(cue_block(number, cues[number - 1]) for number in numbers)
            header = f"WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:{self.mpegts},LOCAL:00:00:00.000\n"
            # A blank line at the end: readers that join the segments (ffmpeg) see the next header as a block of its own.
            files[self.folder / _segment_name(index)] = header + blocks + "\n"
        write_atomic(files)
        self.written = count
        self._playlist()

    def _playlist(self, last_ms: int | None = None) -> None:
        lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{self.seconds}", "#EXT-X-MEDIA-SEQUENCE:0",
                 "#EXT-X-PLAYLIST-TYPE:EVENT"]
        for index in range(self.written):
            duration = float(self.seconds)
            if self.ended and last_ms is not None and index == self.written - 1:  # the last may be shorter
                duration = min(duration, max(0.001, last_ms / 1000 - index * self.seconds))
            lines += [f"#EXTINF:{duration:.3f},", _segment_name(index)]
        if self.ended:
            lines.append("#EXT-X-ENDLIST")
        write_atomic({self.folder / PLAYLIST: "\n".join(lines) + "\n"})


def _segment_name(index: int) -> str:
    return f"captions-{index:05d}.vtt"
