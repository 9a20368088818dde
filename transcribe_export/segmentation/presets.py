"""Caption presets: YAML files in ``configs/`` (shipped inside the package).

Each preset cites the sections of the caption guides it takes its numbers
from (``docs/caption-rules.md`` has the links). Loading validates everything before any network call: an
unknown key, a wrong type or an impossible value fails with the file, the
key and what is allowed. Times in YAML are seconds; the segmenter works in
whole milliseconds.
"""

from __future__ import annotations

import functools
import math
import os
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from transcribe_export.errors import ConfigurationError
from transcribe_export.models import FRAME_RATES
from transcribe_export.resources import bundled_dir
from transcribe_export.segmentation import DEFAULT_PRESET, preset_names
from transcribe_export.segmentation.languages import LANGUAGES, Detection, identify

__all__ = [
    "BASE_PRESET", "DEFAULT_PRESET", "FRAME_RATES", "Preset", "PresetChoice", "auto_preset_name", "check_language",
    "load_preset", "preset_names", "preset_of", "check_preset_name", "resolve_preset", "resolve_preset_detected",
]

#: The preset whose numbers :class:`Preset` holds by default.
BASE_PRESET = "netflix-en"


@dataclass(frozen=True, slots=True)
class Preset:
    """How captions are cut and timed. The defaults are Netflix English.

    Attributes:
        name: the preset's name (or the file it came from).
        language: a code of :data:`~transcribe_export.segmentation.languages.LANGUAGES`
            (``en es fr de it pt nl ru ja zh ko ar he other``): chooses joining rules and word lists.
        max_chars_per_line: characters per line (hard).
        max_lines: lines per cue (hard).
        min_duration: seconds a cue stays at least, where the silence after allows.
        max_duration: longest cue in seconds (hard), or ``None`` for no limit.
        max_cps: reading speed, characters per second (spaces and punctuation count).
        frame_rate: the frame rate the frame counts below are in.
        min_gap_frames: the least gap between two cues.
        chain_gap_frames: a gap this short or shorter is closed to the minimum gap.
        linger: seconds a cue may stay after its last word when reading speed needs it.
        pause_break: a silence this long (seconds) always ends a cue.
        good_pause: a silence this long is a good place to end a cue.
        width: ``chars`` counts every character as 1; ``cjk`` counts full-width
            characters 1 and half-width ones 0.5 (Netflix's rule for Japanese and Chinese).
        fps: snap every in- and out-time to this frame rate's boundaries
            (one of :data:`FRAME_RATES`), or ``None`` to keep milliseconds.
    """

    name: str = BASE_PRESET
    language: str = "en"
    max_chars_per_line: int = 42
    max_lines: int = 2
    min_duration: float = 0.833
    max_duration: float | None = 7.0
    max_cps: float = 20.0
    frame_rate: float = 24.0
    min_gap_frames: int = 2
    chain_gap_frames: int = 12
    linger: float = 0.5
    pause_break: float = 1.5
    good_pause: float = 0.3
    width: str = "chars"
    fps: str | None = None

    def __post_init__(self) -> None:
        # Every value in range wherever a Preset comes from (a caller may build one directly):
        # a max_cps of 0 would divide by zero in the segmenter. Files are checked first, with their name.
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "name"}
        _validate(values, f"preset {self.name!r}", None)

    # -- derived, in milliseconds ---------------------------------------------

    @property
    def min_duration_ms(self) -> int:
        return round(self.min_duration * 1000)

    @property
    def max_duration_ms(self) -> int | None:
        return None if self.max_duration is None else round(self.max_duration * 1000)

    @property
    def min_gap_ms(self) -> int:
        return math.ceil(self.min_gap_frames * 1000 / self.frame_rate)

    @property
    def chain_gap_ms(self) -> int:
        return round(self.chain_gap_frames * 1000 / self.frame_rate)

    @property
    def linger_ms(self) -> int:
        return round(self.linger * 1000)

    @property
    def pause_break_ms(self) -> int:
        return round(self.pause_break * 1000)

    @property
    def good_pause_ms(self) -> int:
        return round(self.good_pause * 1000)

    def measure(self, text: str) -> float:
        """The width of ``text`` as this preset counts it.

        >>> Preset().measure("Hi, you"), Preset(width="cjk").measure("日本語 OK")
        (7, 4.5)
        """
        if self.width == "chars":
            return len(text)
        return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)

    def as_dict(self) -> dict[str, Any]:
        """Every setting, for the JSON transcript (enough to reproduce the cues)."""
        return asdict(self)


# key -> (type check, description of what is allowed)
def _int_between(low: int, high: int) -> tuple[Any, str]:
    return (lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high, f"a whole number from {low} to {high}")


def _number_between(low: float, high: float, *, low_open: bool = False) -> tuple[Any, str]:
    def ok(v: Any) -> bool:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return False
        return (v > low if low_open else v >= low) and v <= high

    return ok, f"a number {'above' if low_open else 'from'} {low:g}{' up' if low_open else ''} to {high:g}"


_RULES: dict[str, tuple[Any, str]] = {
    "language": (lambda v: isinstance(v, str) and v in LANGUAGES, f"one of {', '.join(LANGUAGES)}"),
    "max_chars_per_line": _int_between(1, 200),
    "max_lines": _int_between(1, 4),
    "min_duration": _number_between(0, 10),
    "max_duration": ((lambda v: v is None or _number_between(0, 60, low_open=True)[0](v)), "a number above 0 up to 60, or null"),
    "max_cps": _number_between(0, 100, low_open=True),
    "frame_rate": _number_between(1, 240),
    "min_gap_frames": _int_between(0, 100),
    "chain_gap_frames": _int_between(0, 1000),
    "linger": _number_between(0, 10),
    "pause_break": _number_between(0, 60, low_open=True),
    "good_pause": _number_between(0, 60),
    "width": (lambda v: v in ("chars", "cjk"), "chars or cjk"),
    "fps": (lambda v: v is None or str(v) in FRAME_RATES, f"null or one of {', '.join(FRAME_RATES)}"),
}


def _read(path: Path, label: str) -> dict[str, Any]:
    import yaml  # only when a file is read: the bundled presets are read once, and --help needs none

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"{label}: cannot read it ({exc.strerror})", file=str(path)) from None
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{label}: not valid YAML ({str(exc).splitlines()[0]})", file=str(path)) from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ConfigurationError(f"{label}: expected a mapping of settings, not a {type(document).__name__}", file=str(path))
    return document


def _validate(values: dict[str, Any], label: str, path: Path | None) -> dict[str, Any]:
    for key, value in values.items():
        if key not in _RULES:
            raise ConfigurationError(
                f"{label}: unknown key {key!r}",
                key=str(key),
                file=None if path is None else str(path),
                hint=f"Allowed keys: {', '.join(_RULES)}.",
            )
        check, allowed = _RULES[key]
        if not check(value):
            raise ConfigurationError(
                f"{label}: {key} is {value!r}; it must be {allowed}", key=key, file=None if path is None else str(path)
            )
    return values


def _check_together(preset: Preset, label: str, path: Path) -> Preset:
    def bad(problem: str, key: str) -> ConfigurationError:
        return ConfigurationError(f"{label}: {problem}", key=key, file=str(path))

    if preset.max_duration is not None and preset.max_duration < preset.min_duration:
        raise bad(f"max_duration {preset.max_duration:g} is shorter than min_duration {preset.min_duration:g}", "max_duration")
    if preset.chain_gap_frames < preset.min_gap_frames:
        raise bad(
            f"chain_gap_frames {preset.chain_gap_frames} is below min_gap_frames {preset.min_gap_frames}", "chain_gap_frames"
        )
    if preset.pause_break < preset.good_pause:
        raise bad(f"pause_break {preset.pause_break:g} is shorter than good_pause {preset.good_pause:g}", "pause_break")
    return preset


_FLAT_LINE = re.compile(r"([a-z_]+):[ \t]*(.*?)[ \t]*")


def read_flat(text: str) -> dict[str, Any] | None:
    r"""The settings of a flat ``key: value`` YAML file (what the bundled presets are), or ``None`` if it is more.

    Reading the bundled presets this way spares every command the 10 ms of importing yaml;
    a test holds it to ``yaml.safe_load`` on every bundled preset.

    >>> read_flat("# a comment\nmax_cps: 17\nmax_duration: null\nfps: \"29.97\"\nlinger: 0.5\nwidth: chars\n")
    {'max_cps': 17, 'max_duration': None, 'fps': '29.97', 'linger': 0.5, 'width': 'chars'}
    """
    values: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _FLAT_LINE.fullmatch(line)
        if match is None or "#" in match.group(2):
            return None
        key, raw = match.groups()
        if raw == "null":
            value: Any = None
        elif re.fullmatch(r"-?\d+", raw):
            value = int(raw)
        elif re.fullmatch(r"-?\d+\.\d+", raw):
            value = float(raw)
        elif re.fullmatch(r'"[^"\\]*"', raw):
            value = raw[1:-1]
        elif re.fullmatch(r"[a-z][a-z0-9-]*", raw) and raw not in ("true", "false", "yes", "no", "on", "off"):
            value = raw
        else:
            return None
        values[key] = value
    return values


@functools.lru_cache(maxsize=None)
def _bundled(name: str) -> Preset:
    """A bundled preset, read and validated once per process (package data doesn't change)."""
    path, label = bundled_dir("configs") / f"{name}.yaml", f"preset {name!r}"
    flat = read_flat(path.read_text(encoding="utf-8"))
    values = _validate(flat if flat is not None else _read(path, label), label, path)
    return _check_together(replace(Preset(), name=name, **values), label, path)


def _base(name: str) -> Preset:
    """A bundled preset by name, or a preset file by path."""
    if (bundled_dir("configs") / f"{name}.yaml").is_file():
        return _bundled(name)
    if name.endswith((".yaml", ".yml")) and Path(name).is_file():
        path, label = Path(name), f"preset file {name!r}"
        values = _validate(_read(path, label), label, path)
        return _check_together(replace(Preset(), name=path.stem, **values), label, path)
    raise ConfigurationError(
        f"unknown preset {name!r}",
        key="preset",
        hint=f"Choose one of {', '.join(preset_names())}, auto, or a path to a .yaml file.",
    )


def _frame_rate(fps: str | float | None) -> str | None:
    if fps is None:
        return None
    text = fps if isinstance(fps, str) else f"{fps:g}"
    if text not in FRAME_RATES:
        raise ConfigurationError(
            f"`fps` {fps!r} is not a supported frame rate", key="fps", hint=f"Choose one of {', '.join(FRAME_RATES)}."
        )
    return text


@dataclass(frozen=True)
class PresetChoice:
    """What the user asked for: a preset name (or ``auto``), a config file over it, a frame rate.

    Everything is read and validated once, when the choice is made (before
    any network call); ``auto`` is resolved per session, once its words are
    known, by :meth:`resolve`.

    Args:
        name: a bundled preset, ``auto``, or a path to a ``.yaml`` preset file.
        config: a YAML file of preset keys merged over the preset.
        fps: snap times to this frame rate (``"25"``, ``"29.97"``, or a number).
        language: the session's language (``es``): ``auto`` takes its preset
            without looking at the words; a named preset takes its word lists.

    Raises:
        ConfigurationError: naming the file, the key and what is allowed.
    """

    name: str = DEFAULT_PRESET
    config: str | os.PathLike[str] | None = None
    fps: str | float | None = None
    language: str | None = None
    _overrides: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.name != "auto":
            _base(self.name)
        if self.language is not None:
            check_language(self.language)
        overrides: dict[str, Any] = {}
        if self.config is not None:
            path = Path(self.config)
            label = f"config file {str(path)!r}"
            overrides = _validate(_read(path, label), label, path)
            _check_together(replace(Preset(), **overrides), label, path)
        if "fps" in overrides and overrides["fps"] is not None:
            overrides["fps"] = str(overrides["fps"])
        fps = _frame_rate(self.fps)
        if fps is not None:
            overrides["fps"] = fps
        if self.language is not None:
            overrides["language"] = self.language
        object.__setattr__(self, "_overrides", overrides)
        if self.name != "auto":
            self.resolve(())  # the merged preset must hold together too

    @property
    def overrides(self) -> dict[str, Any]:
        """The settings the config file and ``fps`` put over the preset (read once, validated)."""
        return dict(self._overrides)

    def resolve(self, texts: Iterable[str]) -> Preset:
        """The preset for a session whose words have these texts (only ``auto`` looks at them)."""
        return self.resolve_detected(texts)[0]

    def resolve_detected(self, texts: Iterable[str]) -> tuple[Preset, Detection | None]:
        """The preset, and what ``auto`` found in the words (``None`` when it did not look)."""
        detection = None
        if self.name != "auto":
            name = self.name
        elif self.language is not None:
            name = LANGUAGES[self.language].preset or "generic"
        else:
            detection = identify(texts)
            name = LANGUAGES[detection.language].preset or "generic"
        preset = _base(name)
        if self._overrides:
            label = f"config file {str(self.config)!r}" if self.config is not None else "the options"
            preset = _check_together(replace(preset, **self._overrides), label, Path(self.config or "."))
        if preset.fps is not None and not isinstance(preset.fps, str):
            preset = replace(preset, fps=str(preset.fps))
        return preset, detection


def preset_of(settings: Mapping[str, Any]) -> Preset | None:
    """The preset a transcript was cut with, from its settings (the JSON's ``segmentation``), or ``None``.

    >>> preset_of({"algorithm": "dp-v2", "detected": {}, **load_preset("netflix-fr").as_dict()}).name
    'netflix-fr'
    """
    known = {f.name for f in fields(Preset)}
    try:
        return Preset(**{key: value for key, value in settings.items() if key in known})
    except (TypeError, ValueError, ConfigurationError):
        return None


def check_language(code: str) -> str:
    """A language code the segmenter has a table for (``other`` for none).

    Raises:
        ConfigurationError: an unknown code.
    """
    if code not in LANGUAGES:
        raise ConfigurationError(
            f"unknown language {code!r}", key="language", hint=f"Choose one of {', '.join(LANGUAGES)}.",
        )
    return code


def load_preset(
    name: str = BASE_PRESET, *, config: str | os.PathLike[str] | None = None, fps: str | float | None = None
) -> Preset:
    """A bundled preset by name (or a YAML file by path), with ``config`` merged over it.

    Raises:
        ConfigurationError: naming the file, the key and what is allowed.

    >>> load_preset("netflix-ja").max_chars_per_line
    13
    """
    if name == "auto":
        raise ConfigurationError("auto chooses a preset from the words; pass it to segment() or export()", key="preset")
    return PresetChoice(name, config, fps).resolve(())


def check_preset_name(name: str, *, allow_auto: bool = True) -> str:
    """A preset name that loads: a bundled preset, a ``.yaml`` file, or (where allowed) ``auto``.

    Raises:
        ConfigurationError: an unknown name or a bad file.
    """
    if name == "auto" and not allow_auto:
        raise ConfigurationError("a named preset is needed here, not auto", key="preset")
    if name != "auto":
        load_preset(name)
    return name


def resolve_preset(preset: Preset | PresetChoice | str | None, texts: Iterable[str]) -> Preset:
    """A :class:`Preset` from a preset, a choice, a name, ``"auto"`` or ``None`` (the default: ``auto``)."""
    return resolve_preset_detected(preset, texts)[0]


def resolve_preset_detected(preset: Preset | PresetChoice | str | None, texts: Iterable[str]) -> tuple[Preset, Detection | None]:
    """:func:`resolve_preset`, and what ``auto`` found in the words (``None`` when it did not look)."""
    if isinstance(preset, Preset):
        return preset, None
    if not isinstance(preset, PresetChoice):
        preset = PresetChoice(preset or DEFAULT_PRESET)
    return preset.resolve_detected(texts)


def auto_preset_name(texts: Iterable[str]) -> str:
    """The preset ``auto`` picks for words with these texts (:func:`.languages.detect_language`).

    >>> auto_preset_name(["今日", "は"]), auto_preset_name(["今天", "好"]), auto_preset_name(["Hello"])
    ('netflix-ja', 'netflix-zh', 'generic')
    """
    return LANGUAGES[identify(texts).language].preset or "generic"
