"""The frame rates times may be snapped to (``--fps``), as exact ratios of frames to seconds.

Here, with nothing imported, so that the command line lists them without loading the pipeline;
:data:`transcribe_export.models.FRAME_RATES` holds them as fractions for the stages that count frames.
"""

#: name -> (frames, seconds): the NTSC rates exactly (24000 frames in 1001 s), the others whole.
FRAME_RATIOS: dict[str, tuple[int, int]] = {
    "23.976": (24000, 1001),
    "24": (24, 1),
    "25": (25, 1),
    "29.97": (30000, 1001),
    "30": (30, 1),
    "50": (50, 1),
    "59.94": (60000, 1001),
    "60": (60, 1),
}
