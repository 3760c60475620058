"""Every version a learner makes, its mix, and what they wrote about it: the ear's journal.

A version is kept as its settings and mix (a few hundred bytes of JSON); its sound is made
again on demand, identical to the first time. Only the few most recent versions keep their
stems in memory, so a long session of iterating stays light.
"""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .mix import MixSettings
from .settings import TrackSettings, check_settings

if TYPE_CHECKING:
    import numpy as np

    from .compose import Arrangement
    from .loudness import Reading
    from .synth import Stems

KEEP_RENDERED = 4


# The composer and the synthesiser (numpy) are imported when a version is first made into sound, so a session
# that only holds settings, as a studio does at Run All, costs no numpy import.
def compose(settings: TrackSettings, mood: Any, genre: Any) -> Arrangement:
    from .compose import compose as write_notes

    return write_notes(settings, mood, genre)


def render(arrangement: Arrangement, mood: Any, genre: Any) -> Stems:
    from .synth import render as synthesise

    return synthesise(arrangement, mood, genre)


@dataclass
class Version:
    number: int
    settings: TrackSettings
    mix: MixSettings = field(default_factory=MixSettings)
    what: str = ""  # what changed from the version before, in words
    heard: str = ""  # the learner: what I hear
    change: str = ""  # the learner: what I would change

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "settings": self.settings.to_dict(), "mix": self.mix.to_dict(),
                "what": self.what, "heard": self.heard, "change": self.change}


@dataclass(frozen=True)
class Mixdown:
    """A version through its mix and the limiter. Its loudness reading is measured when first asked for, so a
    player can send the sound first and the meter read it just after."""

    audio: np.ndarray  # (2, samples) float32, limited
    measure: Callable[[], Reading] = field(repr=False, compare=False)

    @cached_property
    def reading(self) -> Reading:
        return self.measure()


@dataclass
class CoverChoice:
    title: str
    artist: str
    seed: int = 1


class Session:
    """The versions of one track, the one marked as right, and the cover's choices."""

    def __init__(self, catalog: Any, first: TrackSettings, *, artist: str = "You") -> None:
        self.catalog = catalog
        self.versions: list[Version] = []
        self.chosen: int | None = None
        self.cover = CoverChoice(title="", artist=artist, seed=first.seed)
        self._rendered: OrderedDict[int, tuple[Arrangement, Stems]] = OrderedDict()
        self._mixdowns: dict[int, tuple[str, Mixdown]] = {}
        self.add(first, "the first version")
        self.cover.title = self.default_title()

    # -- the palette
    def mood(self, mood_id: str) -> Any:
        return next(m for m in self.catalog.moods if m.id == mood_id)

    def genre(self, genre_id: str) -> Any:
        return next(g for g in self.catalog.genres if g.id == genre_id)

    # -- versions
    @property
    def latest(self) -> Version:
        return self.versions[-1]

    def version(self, number: int) -> Version:
        for version in self.versions:
            if version.number == number:
                return version
        raise KeyError(f"there is no version {number}")

    def add(self, settings: TrackSettings, what: str = "") -> Version:
        """A new version; it starts from the latest version's mix, so mixing decisions carry forward."""
        mix_settings = self.versions[-1].mix if self.versions else MixSettings()
        version = Version(len(self.versions) + 1, settings, mix_settings, what or self.difference(settings))
        self.versions.append(version)
        return version

    def difference(self, settings: TrackSettings) -> str:
        """What ``settings`` changes from the latest version, in words."""
        if not self.versions:
            return "the first version"
        before = self.latest.settings
        changes = []
        for name in ("mood", "genre", "tempo", "key", "seed"):
            old, new = getattr(before, name), getattr(settings, name)
            if old != new:
                changes.append(f"{name} {old} → {new}")
        for part in sorted(set(settings.part_seeds) | set(before.part_seeds)):
            if settings.part_seeds.get(part) != before.part_seeds.get(part) and "seed" not in " ".join(changes):
                changes.append(f"new {part}")
        return ", ".join(changes) or "the same settings again"

    def describe(self, number: int) -> str:
        s = self.version(number).settings
        mood, genre = self.mood(s.mood), self.genre(s.genre)
        return f"{mood.label} · {genre.label} · {s.tempo} BPM · {s.key} {mood.mode} · seed {s.seed}"

    # -- sound
    def is_rendered(self, number: int) -> bool:
        """Whether the version's sound is made and kept (so its mixdown and loudness cost no synthesis)."""
        return number in self._rendered

    def rendered(self, number: int) -> tuple[Arrangement, Stems]:
        if number in self._rendered:
            self._rendered.move_to_end(number)
            return self._rendered[number]
        settings = self.version(number).settings
        mood, genre = self.mood(settings.mood), self.genre(settings.genre)
        arrangement = compose(settings, mood, genre)
        result = (arrangement, render(arrangement, mood, genre))
        self._rendered[number] = result
        while len(self._rendered) > KEEP_RENDERED:
            old, _ = self._rendered.popitem(last=False)
            self._mixdowns.pop(old, None)
        return result

    def set_mix(self, number: int, mix_settings: MixSettings) -> None:
        self.version(number).mix = mix_settings

    def mixdown(self, number: int) -> Mixdown:
        """The version through its mix and the limiter, with its loudness reading (both kept until the mix changes;
        the reading is measured when first asked for)."""
        version = self.version(number)
        key = json.dumps(version.mix.to_dict(), sort_keys=True)
        cached = self._mixdowns.get(number)
        if cached and cached[0] == key and number in self._rendered:
            return cached[1]
        from .loudness import Reading, integrated_loudness, peak_dbfs
        from .mix import limit, mix

        _, stems = self.rendered(number)
        ceiling, target = self.catalog.loudness.ceiling_dbfs, self.catalog.loudness.target_lufs
        audio, reduction = limit(mix(stems, version.mix), ceiling)
        result = Mixdown(audio, lambda: Reading(integrated_loudness(audio, stems.rate), peak_dbfs(audio), target,
                                                ceiling, reduction))
        self._mixdowns[number] = (key, result)
        return result

    def matched_gains(self, a: int, b: int) -> tuple[float, float]:
        """Gains that play two versions at the same loudness (the louder one turned down), so the ear
        compares the music and not the volume: a little louder almost always sounds "better"."""
        la, lb = self.mixdown(a).reading.lufs, self.mixdown(b).reading.lufs
        if math.isinf(la) or math.isinf(lb):
            return 1.0, 1.0
        quiet = min(la, lb)
        return 10 ** ((quiet - la) / 20), 10 ** ((quiet - lb) / 20)

    # -- the journal
    def set_notes(self, number: int, *, heard: str | None = None, change: str | None = None) -> None:
        version = self.version(number)
        if heard is not None:
            version.heard = heard
        if change is not None:
            version.change = change

    def choose(self, number: int | None) -> None:
        if number is not None:
            self.version(number)  # an unknown number raises
        self.chosen = number

    @property
    def to_export(self) -> Version:
        """The version marked as right, or the latest when none is marked yet."""
        return self.version(self.chosen) if self.chosen is not None else self.latest

    def default_title(self) -> str:
        s = self.latest.settings
        return f"{self.mood(s.mood).label} {self.genre(s.genre).label}"

    # -- saving
    def to_state(self) -> dict[str, Any]:
        return {"versions": [v.to_dict() for v in self.versions], "chosen": self.chosen,
                "cover": {"title": self.cover.title, "artist": self.cover.artist, "seed": self.cover.seed}}

    def restore(self, state: dict[str, Any]) -> bool:
        """Put saved versions back; anything that no longer fits the course's moods and genres is skipped.

        Returns False (and changes nothing) when the state holds no usable version.
        """
        versions: list[Version] = []
        renumbered: dict[Any, int] = {}
        for item in list(state.get("versions") or []):
            try:
                s = TrackSettings.from_dict(item["settings"])
                checked = check_settings(self.catalog, mood=s.mood, genre=s.genre, tempo=s.tempo, key=s.key,
                                         seed=s.seed, seconds=s.seconds)
                version = Version(len(versions) + 1, replace(checked, part_seeds=s.part_seeds),
                                  MixSettings.from_dict(item.get("mix") or {}), str(item.get("what", "")),
                                  str(item.get("heard", "")), str(item.get("change", "")))
            except Exception:  # noqa: BLE001 - a saved item that no longer fits is skipped, never raised
                continue
            versions.append(version)
            if isinstance(item.get("number"), int):
                renumbered[item["number"]] = version.number
        if not versions:
            return False
        self.versions = versions
        self._rendered.clear()
        self._mixdowns.clear()
        chosen = state.get("chosen")
        self.chosen = renumbered.get(chosen) if isinstance(chosen, int) else None
        cover = state.get("cover") or {}
        seed = cover.get("seed")
        self.cover = CoverChoice(str(cover.get("title") or self.default_title()), str(cover.get("artist") or "You"),
                                 seed if isinstance(seed, int) and not isinstance(seed, bool) else self.cover.seed)
        return True
