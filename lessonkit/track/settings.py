"""What one version of a track is made from, and the check that turns a lesson's parameters into it.

A version is fully described by a :class:`TrackSettings`: the same settings give the same
notes and the same audio, byte for byte, so the journal keeps settings, not sound.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ParameterError

PARTS = ("drums", "bass", "chords", "melody")
PART_LABELS = {"drums": "Drums", "bass": "Bass", "chords": "Chords", "melody": "Melody"}
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class TrackSettings:
    mood: str
    genre: str
    tempo: int
    key: str
    seed: int
    seconds: float = 30.0
    #: A part re-rolled on its own keeps its own seed here; the others follow ``seed``.
    part_seeds: dict[str, int] = field(default_factory=dict, hash=False)

    def seed_for(self, part: str) -> int:
        if part in self.part_seeds:
            return self.part_seeds[part]
        return (self.seed * 1_000_003 + PARTS.index(part) * 7_919) % (MAX_SEED + 1)

    def with_part_seed(self, part: str, seed: int) -> TrackSettings:
        return replace(self, part_seeds={**self.part_seeds, part: seed})

    def to_dict(self) -> dict[str, Any]:
        return {"mood": self.mood, "genre": self.genre, "tempo": self.tempo, "key": self.key, "seed": self.seed,
                "seconds": self.seconds, "part_seeds": dict(self.part_seeds)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrackSettings:
        seeds = {str(k): int(v) for k, v in dict(data.get("part_seeds") or {}).items() if k in PARTS}
        return cls(mood=str(data["mood"]), genre=str(data["genre"]), tempo=int(data["tempo"]), key=str(data["key"]),
                   seed=int(data["seed"]), seconds=float(data.get("seconds", 30.0)), part_seeds=seeds)


def _by_id(items: list[Any], wanted: str, name: str, plural: str) -> Any:
    for item in items:
        if item.id == wanted:
            return item
    valid = ", ".join(item.id for item in items)
    raise ParameterError(name, wanted, f"there is no such {name}. Valid {plural}: {valid}")


def check_settings(catalog: Any, *, mood: str, genre: str, tempo: int = 0, key: str = "", seed: int = 1,
                   seconds: float | None = None) -> TrackSettings:
    """Settings from a learner's or teacher's choices; a ParameterError names the bad value and lists the valid ones.

    ``tempo`` 0 means the genre's usual tempo, ``key`` "" the mood's usual key.
    """
    from ..pitches import PITCHES

    chosen_mood = _by_id(catalog.moods, str(mood), "mood", "moods")
    chosen_genre = _by_id(catalog.genres, str(genre), "genre", "genres")
    span = chosen_genre.tempo
    if isinstance(tempo, bool) or not isinstance(tempo, int):
        raise ParameterError("tempo", tempo, f"expected a whole number of beats per minute between {span.min} and "
                                             f"{span.max} for {chosen_genre.label}, or 0 for its usual {span.default}")
    if tempo and not span.min <= tempo <= span.max:
        raise ParameterError("tempo", tempo, f"{chosen_genre.label} is played between {span.min} and {span.max} "
                                             f"beats per minute; choose a tempo in that range, or 0 for its usual "
                                             f"{span.default}")
    if key and key not in PITCHES:
        raise ParameterError("key", key, f"there is no such key. Valid keys: {', '.join(PITCHES)}, "
                                         f"or \"\" for the mood's usual {chosen_mood.keys[0]}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ParameterError("seed", seed, f"expected a whole number from 0 to {MAX_SEED}")
    return TrackSettings(mood=chosen_mood.id, genre=chosen_genre.id, tempo=tempo or span.default,
                         key=key or chosen_mood.keys[0], seed=seed,
                         seconds=float(seconds if seconds is not None else catalog.seconds))


TAIL_SECONDS = 2.0  # room after the last bar for echoes and the final chord to die away
BEATS_PER_BAR = 4


def bars_for(tempo: int, seconds: float) -> int:
    """Whole four-bar phrases that come closest to ``seconds``, keeping the sketch between 20 and 60 s."""
    phrase = 4 * BEATS_PER_BAR * 60.0 / tempo
    phrases = max(1, round((seconds - TAIL_SECONDS) / phrase))
    while phrases > 1 and phrases * phrase + TAIL_SECONDS > 60:
        phrases -= 1
    while phrases * phrase + TAIL_SECONDS < 20:
        phrases += 1
    return phrases * 4


def length_seconds(settings: TrackSettings) -> float:
    """How long a version plays, known from its settings alone (its bars at its tempo, plus the tail): a player
    can say it before any sound is made."""
    return bars_for(settings.tempo, settings.seconds) * BEATS_PER_BAR * 60.0 / settings.tempo + TAIL_SECONDS


COVER_PREVIEW_SIZE = 480  # pixels: the cover as the studio shows it (lessonkit.track.cover draws it)


def check_export_dir(export_dir: str) -> Path:
    """The export folder as a path, refused early when a file stands where a folder must be.

    Nothing is created here; the folder is made when the track is exported.
    """
    if not isinstance(export_dir, (str, os.PathLike)) or not str(export_dir).strip():
        raise ParameterError("export_dir", export_dir, "expected the name of a folder to export into, "
                                                       "such as \"artifacts/my-track\"")
    path = Path(export_dir).expanduser()
    if path.exists() and not path.is_dir():
        raise ParameterError("export_dir", str(export_dir), "a file of that name is already there; "
                                                            "choose a folder name instead")
    for parent in path.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise ParameterError("export_dir", str(export_dir), f"'{parent}' is a file, so no folder can be "
                                                                    "made inside it; choose another folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise ParameterError("export_dir", str(export_dir), f"this account may not write in '{parent}'; "
                                                                    "choose a folder you can write to")
            break
    return path


def start_track(lesson: Any, *, mood: str, genre: str, tempo: int = 0, seed: int = 1, key: str = "",
                export_dir: str = "artifacts/my-track") -> TrackSettings:
    """Check Lesson 03's parameters against the course's moods and genres; the first version's settings."""
    catalog = lesson.course.track
    if catalog is None:
        raise ParameterError("data_dir", str(lesson.course.root), "this content folder has no track.yaml, "
                                                                   "so it has no moods or genres to make a track from")
    settings = check_settings(catalog, mood=mood, genre=genre, tempo=tempo, key=key, seed=seed)
    check_export_dir(export_dir)
    return settings
