"""Lesson 03's track studio: make versions, compare two, mix, keep the ear's journal, design a cover, export.

One widget, shown a section at a time between the readings (``studio.maker``, ``studio.compare``,
``studio.mixer``, ``studio.journal``, ``studio.cover``, ``studio.exporter``). All the work is done
by :mod:`lessonkit.track`; this file only wires controls to it. Its ``state`` (versions as
settings and mix, the journal, the chosen version and the cover's words) is a few kilobytes
of JSON, saved through the lesson's answers store when the studio is attached.
"""

from __future__ import annotations

import contextlib
import html
import math
import mimetypes
import zlib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import ipywidgets as W

from ..errors import LessonkitError
from ..track import cover as covers
from ..track.export import Exported, export, wav_bytes
from ..track.mix import MixSettings, master_gain_for
from ..track.session import Session
from ..track.settings import MAX_SEED, PART_LABELS, PARTS, TrackSettings, check_export_dir, check_settings
from .compact import shared_layout
from .audio import AudioPlayer
from .base import LessonWidget, Message, prose_area
from .picture import Picture
from .slider import FloatSlider, IntSlider

KEY = "03-make-a-track/studio"
METER_LOW, METER_HIGH = -36.0, -6.0


class _Kit:
    """Layouts shared by the studio's controls: an executed notebook stores every model a widget makes."""

    wide = cached_property(lambda self: shared_layout(width="460px"))
    narrow = cached_property(lambda self: shared_layout(width="230px"))
    picker = cached_property(lambda self: shared_layout(width="320px"))
    fader = cached_property(lambda self: shared_layout(width="300px"))
    button = cached_property(lambda self: shared_layout(width="auto"))
    row = cached_property(lambda self: shared_layout(flex_flow="row wrap", align_items="center"))
    note = cached_property(lambda self: shared_layout(width="460px", height="80px"))
    label = cached_property(lambda self: shared_layout(width="70px"))
    toggle = cached_property(lambda self: shared_layout(width="64px"))
    label_width = "90px"  # the width of a control's label: the controls of a section line up
    style = cached_property(lambda self: {"description_width": "90px"})
    mid = cached_property(lambda self: {"description_width": "70px"})


def _next_seed(seed: int, salt: int) -> int:
    """A new seed that depends only on the old one and a counter, so a re-run makes the same choices."""
    return (seed * 48_271 + salt * 7_919 + 12_345) % MAX_SEED


def _html(text: str, role: str = "") -> str:
    attribute = f' role="{role}"' if role else ""
    return f'<div{attribute} style="color: var(--jp-content-font-color1, inherit)">{text}</div>'


class TrackStudio(LessonWidget):
    """Versions of one track, made and judged by the learner."""

    def __init__(self, catalog: Any, first: TrackSettings, *, export_dir: str, key: str = KEY) -> None:
        super().__init__(key)
        self.session = Session(catalog, first)
        self.export_dir = export_dir
        self.current = 1
        self._quiet = False
        self._tokens: dict[str, tuple[int, float]] = {}
        self._clicks = 0
        kit = _Kit()
        self.message = Message()

        # -- make
        self._mood = W.Dropdown(options=[(m.label, m.id) for m in catalog.moods], description="Mood",
                                style=kit.style, layout=kit.narrow)
        self._genre = W.Dropdown(options=[(g.label, g.id) for g in catalog.genres], description="Genre",
                                 style=kit.style, layout=kit.narrow)
        from ..schema import PITCHES

        self._key = W.Dropdown(options=list(PITCHES), description="Key", style=kit.style, layout=kit.narrow)
        self._tempo = IntSlider(description="Tempo (BPM)", unit=" BPM", description_width=kit.label_width,
                                layout=kit.wide)
        self._seed = W.BoundedIntText(min=0, max=MAX_SEED, description="Seed", style=kit.style, layout=kit.narrow)
        self._dice = W.Button(description="🎲 New seed", tooltip="Pick another seed: new drums, bass, chords and melody",
                              layout=kit.button)
        self._make = W.Button(description="Make a new version", button_style="primary", icon="play",
                              layout=kit.button)
        self._rerolls = {part: W.Button(description=f"New {PART_LABELS[part].lower()}", layout=kit.button,
                                        tooltip=f"A new version with only the {part} changed") for part in PARTS}
        self._status = W.HTML()
        self._player = AudioPlayer(self._sound)
        self.maker = W.VBox([
            W.HBox([self._mood, self._genre, self._key], layout=kit.row),
            self._tempo,
            W.HBox([self._seed, self._dice], layout=kit.row),
            W.HBox([self._make, *self._rerolls.values()], layout=kit.row),
            self.message, self._status, self._player,
        ])

        # -- compare
        self._a = W.Dropdown(description="Version A", style=kit.mid, layout=kit.picker)
        self._b = W.Dropdown(description="Version B", style=kit.mid, layout=kit.picker)
        self._match = W.Checkbox(value=True, description="Play A and B at the same loudness", indent=False)
        self._player_a, self._player_b = AudioPlayer(self._sound), AudioPlayer(self._sound)
        self._match_note = W.HTML()
        self.compare = W.VBox([
            W.HBox([self._a, self._b, self._match], layout=kit.row),
            W.HBox([self._player_a, self._player_b], layout=kit.row),
            self._match_note,
        ])

        # -- mix
        self._pick = W.Dropdown(description="Version", style=kit.style, layout=kit.wide)
        self._levels, self._pans, self._mutes, self._solos = {}, {}, {}, {}
        rows = []
        for part in PARTS:
            name = PART_LABELS[part]
            self._levels[part] = FloatSlider(min=-24, max=6, step=0.5, description="Level (dB)", decimals=1, signed=True,
                                             label=f"{name} level (dB)", unit=" dB", description_width="70px",
                                             layout=kit.fader)
            self._pans[part] = FloatSlider(min=-1, max=1, step=0.1, description="Pan (L–R)", decimals=1, signed=True,
                                           label=f"{name} pan (L–R, from −1 left to +1 right)",
                                           description_width="70px", layout=kit.fader)
            self._mutes[part] = W.ToggleButton(description="Mute", layout=kit.toggle,
                                               tooltip=f"Silence the {part}")
            self._solos[part] = W.ToggleButton(description="Solo", layout=kit.toggle,
                                               tooltip=f"Hear the {part} alone (with any other soloed parts)")
            rows.append(W.HBox([W.HTML(f"<b>{PART_LABELS[part]}</b>", layout=kit.label), self._levels[part],
                                self._pans[part], self._mutes[part], self._solos[part]], layout=kit.row))
        self._master = FloatSlider(min=-12, max=12, step=0.5, description="Master (dB)", decimals=1, signed=True,
                                   unit=" dB", description_width=kit.label_width, layout=kit.wide)
        self._to_target = W.Button(description=f"Set master to about {catalog.loudness.target_lufs:g} LUFS",
                                   layout=kit.button)
        self._meter = W.HTML()
        self.mixer = W.VBox([self._pick, *rows, W.HBox([self._master, self._to_target], layout=kit.row),
                             self._meter, self._player])

        # -- journal
        self._heard = prose_area(placeholder="What do you hear? What works, what feels off, and where?",
                                 description="I hear", continuous_update=False, style=kit.style, layout=kit.note)
        self._change = prose_area(placeholder="What would you change next, and why?", description="Change next",
                                  continuous_update=False, style=kit.style, layout=kit.note)
        self._the_one = W.Checkbox(description="This is the one: it sounds the way I want", indent=False)
        self._log = W.HTML()
        self.journal = W.VBox([self._pick, self._heard, self._change, self._the_one, self._log])

        # -- cover
        self._title = W.Text(description="Title", continuous_update=False, style=kit.style, layout=kit.wide)
        self._artist = W.Text(description="Artist", continuous_update=False, style=kit.style, layout=kit.wide)
        self._cover_seed = W.BoundedIntText(min=0, max=MAX_SEED, description="Cover seed", style=kit.style,
                                            layout=kit.narrow)
        self._new_cover = W.Button(description="🎲 Another cover", layout=kit.button)
        self._picture = Picture(format="jpeg", width=covers.PREVIEW_SIZE, height=covers.PREVIEW_SIZE)
        self._cover_note = W.HTML()
        self.cover = W.VBox([self._title, self._artist, W.HBox([self._cover_seed, self._new_cover], layout=kit.row),
                             self._cover_note, self._picture])

        # -- export
        self._folder = W.Text(value=str(export_dir), description="Folder", style=kit.style, layout=kit.wide)
        self._export = W.Button(description="Export the chosen version", icon="download", layout=kit.button)
        self._export_message = Message()
        # The files are handed to the browser only when asked for (the WAV alone is megabytes): in Voila, which
        # has no file browser and serves no files, and in JupyterLab alike.
        self._fetch = W.Button(description="Download the files", icon="download", layout=kit.button, disabled=True,
                               tooltip="Save the exported WAV, MIDI, cover and liner notes on your computer")
        self._downloads = W.HTML()
        self._exported: Exported | None = None
        self.exporter = W.VBox([W.HBox([self._folder, self._export, self._fetch], layout=kit.row),
                                self._export_message, self._downloads])

        self.view = W.VBox([self.maker, self.compare, self.mixer, self.journal, self.cover, self.exporter])
        self._wire()
        self._refresh()

    # ---------------------------------------------------------------- wiring
    def _wire(self) -> None:
        self._genre.observe(self._on_genre, "value")
        self._mood.observe(self._on_mood, "value")
        self._dice.on_click(lambda _: self._roll_seed())
        self._make.on_click(lambda _: self.make())
        for part, button in self._rerolls.items():
            button.on_click(lambda _, part=part: self.reroll(part))
        for control in (self._a, self._b, self._match):
            control.observe(lambda _: self._quiet or self._refresh_compare(), "value")
        self._pick.observe(self._on_pick, "value")
        for controls in (self._levels, self._pans, self._mutes, self._solos):
            for control in controls.values():
                control.observe(lambda _: self._quiet or self._on_mix(), "value")
        self._master.observe(lambda _: self._quiet or self._on_mix(), "value")
        self._to_target.on_click(lambda _: self.master_to_target())
        self._heard.observe(lambda _: self._quiet or self._on_notes(), "value")
        self._change.observe(lambda _: self._quiet or self._on_notes(), "value")
        self._the_one.observe(lambda _: self._quiet or self._on_the_one(), "value")
        for control in (self._title, self._artist, self._cover_seed):
            control.observe(lambda _: self._quiet or self._on_cover(), "value")
        self._new_cover.on_click(lambda _: self._on_new_cover())
        self._export.on_click(lambda _: self._on_export())
        self._fetch.on_click(lambda _: self.download())

    @contextlib.contextmanager
    def _hush(self) -> Iterator[None]:
        """Set controls from the session without each change counting as the learner's."""
        was, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = was

    # ---------------------------------------------------------------- actions (also what tests call)
    def make(self) -> int:
        """A new version from the controls' settings; returns its number."""
        try:
            settings = check_settings(self.session.catalog, mood=self._mood.value, genre=self._genre.value,
                                      tempo=int(self._tempo.value), key=self._key.value, seed=int(self._seed.value))
        except LessonkitError as error:
            self.message.error(str(error))
            return self.current
        return self._add(settings)

    def reroll(self, part: str) -> int:
        """A new version like the current one with only ``part`` written afresh."""
        base = self.session.version(self.current).settings
        self._clicks += 1
        fresh = _next_seed(base.seed_for(part), self._clicks)
        return self._add(base.with_part_seed(part, fresh), f"new {PART_LABELS[part].lower()}")

    def master_to_target(self) -> None:
        reading = self.session.mixdown(self.current).reading
        version = self.session.version(self.current)
        level = master_gain_for(reading.lufs, reading.target_lufs, version.mix.master_db)
        self._master.value = max(self._master.min, min(self._master.max, round(level * 2) / 2))

    def export(self, folder: str | None = None) -> Exported:
        """Write the chosen version's WAV, MIDI, cover and liner notes; raises a clear LessonkitError if it cannot."""
        target = check_export_dir(folder if folder is not None else self._folder.value)
        result = export(self.session, target)
        self._export_message.info(_export_words(result))
        self._exported, self._fetch.disabled, self._downloads.value = result, False, ""
        return result

    def download(self) -> None:
        """Links that save each exported file on the learner's computer (data: links, so no file server is needed)."""
        from .progress import download_link

        if self._exported is None:
            return
        try:
            links = [download_link(path.name, path.read_bytes(), mimetypes.guess_type(path.name)[0]
                                   or "application/octet-stream") for path in self._exported.files]
        except OSError as error:
            self._export_message.error(f"The exported files could not be read ({error.strerror or error}); "
                                       "export again.")
            return
        self._downloads.value = " · ".join(links)

    def _add(self, settings: TrackSettings, what: str = "") -> int:
        self.message.clear()
        version = self.session.add(settings, what)
        self.current = version.number
        self._refresh()
        self.changed()
        return version.number

    def _roll_seed(self) -> None:
        self._clicks += 1
        self._seed.value = _next_seed(int(self._seed.value), self._clicks)

    # ---------------------------------------------------------------- handlers
    def _on_genre(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self._set_tempo_range(change["new"], None)

    def _on_mood(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self._key.value = self.session.mood(change["new"]).keys[0]

    def _set_tempo_range(self, genre_id: str, tempo: int | None) -> None:
        span = self.session.genre(genre_id).tempo
        value = tempo if tempo is not None and span.min <= tempo <= span.max else span.default
        with self._hush():
            # Widen first so neither bound ever crosses the other or the value.
            self._tempo.min, self._tempo.max = 40, 220
            self._tempo.value = value
            self._tempo.min, self._tempo.max = span.min, span.max

    def _on_pick(self, change: dict[str, Any]) -> None:
        if self._quiet or change["new"] is None:
            return
        self.current = int(change["new"])
        self._refresh()

    def _on_mix(self) -> None:
        version = self.session.version(self.current)
        mix = MixSettings(master_db=float(self._master.value))
        for part in PARTS:
            mix = mix.with_part(part, level_db=float(self._levels[part].value), pan=round(float(self._pans[part].value), 2),
                                mute=bool(self._mutes[part].value), solo=bool(self._solos[part].value))
        if mix == version.mix:
            return
        self.session.set_mix(self.current, mix)
        self._refresh_sound()
        self.changed()

    def _on_notes(self) -> None:
        self.session.set_notes(self.current, heard=self._heard.value, change=self._change.value)
        self._refresh_log()
        self.changed()

    def _on_the_one(self) -> None:
        if self._the_one.value:
            self.session.choose(self.current)
        elif self.session.chosen == self.current:
            self.session.choose(None)
        self._refresh_log()
        self._refresh_cover()
        self.changed()

    def _on_cover(self) -> None:
        choice = self.session.cover
        choice.title = self._title.value.strip() or self.session.default_title()
        choice.artist = self._artist.value.strip() or "You"
        choice.seed = int(self._cover_seed.value)
        self._refresh_cover()
        self.changed()

    def _on_new_cover(self) -> None:
        self._clicks += 1
        self._cover_seed.value = _next_seed(int(self._cover_seed.value), self._clicks)

    def _on_export(self) -> None:
        try:
            self.export()
        except LessonkitError as error:
            self._export_message.error(str(error))

    # ---------------------------------------------------------------- showing the session
    def _refresh(self) -> None:
        """Every control from the session: after a new version, a change of version, or a restore."""
        session = self.session
        version = session.version(self.current)
        s = version.settings
        options = [(f"Version {v.number}: {v.what}", v.number) for v in session.versions]
        with self._hush():
            self._mood.value, self._genre.value = s.mood, s.genre
            self._set_tempo_range(s.genre, s.tempo)
            self._key.value, self._seed.value = s.key, s.seed
            self._pick.options = options
            self._pick.value = self.current
            numbers = [v.number for v in session.versions]
            if list(self._b.options) != options:  # a new version: compare it with the one before
                for dropdown in (self._a, self._b):
                    dropdown.options = options
                self._a.value = numbers[-2] if len(numbers) > 1 else numbers[-1]
                self._b.value = numbers[-1]
            for part in PARTS:
                p = version.mix.parts[part]
                self._levels[part].value, self._pans[part].value = p.level_db, p.pan
                self._mutes[part].value, self._solos[part].value = p.mute, p.solo
            self._master.value = version.mix.master_db
            self._heard.value, self._change.value = version.heard, version.change
            self._the_one.value = session.chosen == self.current
            self._title.value, self._artist.value = session.cover.title, session.cover.artist
            self._cover_seed.value = session.cover.seed
        self._status.value = _html(f"<b>Version {version.number} of {len(session.versions)}</b> · "
                                   f"{html.escape(session.describe(version.number))} · "
                                   f"{html.escape(version.what)}", role="status")
        self._refresh_sound()
        self._refresh_compare()
        self._refresh_log()
        self._refresh_cover()

    def _refresh_sound(self) -> None:
        reading = self.session.mixdown(self.current).reading
        self._meter.value = _meter_html(reading)
        self._player.play(self._token(self.current, 1.0), f"Version {self.current} · your mix")

    def _refresh_compare(self) -> None:
        a, b = self._a.value, self._b.value
        if a is None or b is None:
            return
        gain_a, gain_b = self.session.matched_gains(a, b) if self._match.value else (1.0, 1.0)
        self._player_a.play(self._token(a, gain_a), f"A · version {a}")
        self._player_b.play(self._token(b, gain_b), f"B · version {b}")
        if self._match.value and (gain_a < 0.999 or gain_b < 0.999):
            louder, gap = (a, -20 * math.log10(gain_a)) if gain_a < gain_b else (b, -20 * math.log10(gain_b))
            self._match_note.value = _html(f"Version {louder} is turned down {gap:.1f} dB here so both play "
                                           "equally loud: judge the music, not the volume.")
        else:
            self._match_note.value = ""

    def _refresh_log(self) -> None:
        cell = 'style="text-align:left;vertical-align:top;padding:3px 12px 3px 0"'
        head_cells = "".join(f"<th {cell}>{name}</th>" for name in
                             ("Version", "What changed", "I hear", "Change next", "The one?"))
        rows = [f'<table style="border-collapse:collapse"><thead><tr>{head_cells}</tr></thead><tbody>']
        for v in self.session.versions:
            mark = "✔ yes" if self.session.chosen == v.number else ""
            values = (str(v.number), v.what, v.heard, v.change)
            rows.append("<tr>" + "".join(f"<td {cell}>{html.escape(x)}</td>" for x in values) + f"<td {cell}>{mark}</td></tr>")
        rows.append("</tbody></table>")
        chosen = self.session.chosen
        head = (f"<p>Marked as the one: <b>version {chosen}</b>. That is the version the export writes.</p>"
                if chosen else "<p>No version is marked as the one yet; the export writes the latest.</p>")
        self._log.value = _html(head + "".join(rows))

    def _refresh_cover(self) -> None:
        version = self.session.to_export
        mood, genre = self.session.mood(version.settings.mood), self.session.genre(version.settings.genre)
        choice = self.session.cover
        self._picture.value = covers.preview(mood, genre, title=choice.title, artist=choice.artist, seed=choice.seed)
        self._picture.alt = (f"The cover: “{choice.title}” by {choice.artist}, written over {genre.label} shapes "
                             f"in the {mood.label} palette.")
        self._cover_note.value = _html(f"Painted from the <b>{html.escape(mood.label)}</b> palette with "
                                       f"<b>{html.escape(genre.label)}</b> shapes, for version {version.number} "
                                       "(the one marked, or the latest).")

    # ---------------------------------------------------------------- sound for the players
    def _token(self, number: int, gain: float) -> str:
        version = self.session.version(number)
        token = f"{number}:{zlib.crc32(repr(version.mix.to_dict()).encode()):08x}:{gain:.4f}"
        self._tokens[token] = (number, gain)
        return token

    def _sound(self, token: str) -> tuple[bytes, str]:
        number, gain = self._tokens[token]
        mixdown = self.session.mixdown(number)
        return wav_bytes(mixdown.audio * gain, 44_100), f"{mixdown.reading.lufs:.1f} LUFS as mixed"

    # ---------------------------------------------------------------- saving
    @property
    def state(self) -> dict[str, Any]:
        return {**self.session.to_state(), "current": self.current}

    def restore(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict) or not self.session.restore(state):
            return
        current = state.get("current")
        numbers = [v.number for v in self.session.versions]
        self.current = current if isinstance(current, int) and current in numbers else numbers[-1]
        self._refresh()


def _meter_html(reading: Any) -> str:
    """The loudness meter: a bar with the target marked, and the numbers said in words (never colour alone)."""
    if math.isinf(reading.lufs):
        return _html(html.escape(reading.words()), role="status")
    span = METER_HIGH - METER_LOW
    fill = max(0.0, min(1.0, (reading.lufs - METER_LOW) / span)) * 100
    target = (reading.target_lufs - METER_LOW) / span * 100
    bar = (f'<div aria-hidden="true" style="position:relative;width:420px;height:14px;'
           f'background:var(--jp-layout-color3,#ccc);border-radius:3px;margin:4px 0">'
           f'<div style="width:{fill:.1f}%;height:100%;background:var(--jp-brand-color1,#1976d2);border-radius:3px"></div>'
           f'<div style="position:absolute;left:{target:.1f}%;top:-3px;width:3px;height:20px;'
           f'background:var(--jp-content-font-color1,#000)"></div></div>')
    numbers = (f"<b>Loudness {reading.lufs:.1f} LUFS</b> (target about {reading.target_lufs:g}) · "
               f"<b>peak {reading.peak_dbfs:.1f} dBFS</b> (ceiling {reading.ceiling_dbfs:g})")
    return _html(f"{numbers}{bar}{html.escape(reading.words())}", role="status")


def _export_words(result: Exported) -> str:
    names = ", ".join(path.name for path in result.files)
    return (f"Exported version {result.version} ({result.lufs:.1f} LUFS, peak {result.peak_dbfs:.1f} dBFS) "
            f"to {result.folder}: {names}. Press Download the files to save them on your computer.")


def track_studio(lesson: Any, first: TrackSettings, *, export_dir: str = "artifacts/my-track") -> TrackStudio | Any:
    """Lesson 03's studio, attached to the lesson so its versions and journal are saved with the learner's answers;
    while the lesson is a locked extension, a stand-in whose parts say how many Depth points open it.

    For a visitor with no name (Voila), a relative ``export_dir`` is made inside the visit's own folder, never
    beside the notebook that every visitor shares."""
    state = lesson.access
    if not state.open:
        from .locked import LockedStudio

        return LockedStudio(state)
    if getattr(lesson, "visit", False) and lesson.store is not None and not Path(export_dir).expanduser().is_absolute():
        export_dir = str(lesson.store.path.parent / export_dir)
    return lesson.attach(TrackStudio(lesson.course.track, first, export_dir=export_dir))
