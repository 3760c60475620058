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
import json
import math
import mimetypes
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LessonkitError, ParameterError
from ..track.mix import MixSettings, master_gain_for
from ..track.session import Session
from ..track.settings import (MAX_SEED, PART_LABELS, PARTS, TrackSettings, check_export_dir, check_settings,
                              length_seconds)
from .base import LessonWidget, clock_time
from .track_layout import StudioLayout
from .track_words import (NOT_MEASURED, export_failed_words, export_stale_words, export_waiting_words, export_words,
                          meter_html, pending_meter_html, status_html, the_one_words)

if TYPE_CHECKING:
    from ..track.export import Exported

KEY = "03-make-a-track/studio"


def _next_seed(seed: int, salt: int) -> int:
    """A new seed that depends only on the old one and a counter, so a re-run makes the same choices."""
    return (seed * 48_271 + salt * 7_919 + 12_345) % MAX_SEED


class TrackStudio(StudioLayout, LessonWidget):
    """Versions of one track, made and judged by the learner.

    A version becomes sound only when it is first played (a learner presses a player's Play, or points at it) or
    exported: building the studio, making a version or restoring a saved session synthesises nothing, and neither
    does a page drawing the players, so Run All does not wait for audio no one has asked to hear. The meter and
    the loudness match fill in once a version has been heard. Likewise the cover is drawn when a page first shows
    it, and files are exported only when the learner presses Export (or a teacher's ``export_at_run`` asks for it).
    """

    def __init__(self, catalog: Any, first: TrackSettings, *, export_dir: str, key: str = KEY) -> None:
        super().__init__(key)
        self.session = Session(catalog, first)
        self.export_dir = export_dir
        self.current = 1
        self._quiet = False
        self._tokens: dict[str, tuple[int, int | None]] = {}  # token: (version, the version it is matched with)
        self._clicks = 0
        self._exported: Exported | None = None
        self._exported_at = ""  # when the last export was written (clock_time), and what the session was then
        self._exported_state = ""
        self._covers: dict[str, tuple[Any, ...]] = {}  # token: what the cover preview is drawn from
        self._drawn: tuple[str, bytes] | None = None  # the last preview drawn, by token
        self._build(catalog, export_dir, self._sound, self._cover_picture, self._section_words(), self._start())
        self._wire()
        self._refresh()

    def _start(self) -> dict[str, dict[str, Any]]:
        """The controls' first values, as ``_refresh`` would set them: given as the controls are made, so building
        the studio sends each control to the page once, already right."""
        s = self.session.version(self.current).settings
        span = self.session.genre(s.genre).tempo
        options = self._version_options()
        numbers = [number for _, number in options]
        a, b = (numbers[-2] if len(numbers) > 1 else numbers[-1]), numbers[-1]
        choice = self.session.cover
        picture, alt = self._cover_token()
        return {
            "mood": {"value": s.mood}, "genre": {"value": s.genre}, "key": {"value": s.key}, "seed": {"value": s.seed},
            "tempo": {"min": span.min, "max": span.max, "value": s.tempo if span.min <= s.tempo <= span.max
                      else span.default},
            "pick": {"options": options, "value": self.current}, "a": {"options": options, "value": a},
            "b": {"options": options, "value": b},
            "player": {"token": self._token(self.current), "label": f"Version {self.current} · your mix",
                       "seconds": self._seconds(self.current)},
            "player_a": {"token": self._token(a, b), "label": f"A · version {a}", "seconds": self._seconds(a)},
            "player_b": {"token": self._token(b, a), "label": f"B · version {b}", "seconds": self._seconds(b)},
            "title": {"value": choice.title}, "artist": {"value": choice.artist}, "cover_seed": {"value": choice.seed},
            "picture": {"token": picture, "alt": alt},
            "status": {"value": self._status_html()}, "meter": {"value": self._meter_html()},
            "log": {"value": self._log_html()}, "cover_note": {"value": self._cover_note_html()},
        }

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
        self._folder.observe(lambda _: self._refresh_export_status(), "value")
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
        from ..track import export as exporting  # numpy, Pillow and mido: imported when first asked for

        target = check_export_dir(folder if folder is not None else self._folder.value)
        result = exporting.export(self.session, target)
        again = self._exported is not None
        self._exported_at, self._exported_state = clock_time(), self._fingerprint()
        self._export_message.info(export_words(result, self._exported_at, again))
        self._exported, self._fetch.disabled, self._downloads.value = result, False, ""
        self._refresh_meter()  # the export made the version into sound: the meter can read it now
        self._refresh_match_note()
        return result

    def changed(self) -> None:
        """Save, as every lesson widget does; and once files are exported, say when the track no longer matches them."""
        super().changed()
        if self._exported is not None and self._fingerprint() != self._exported_state:
            self._export_message.info(export_stale_words(self._exported_at, self._exported.folder))

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
        if (self._tempo.min, self._tempo.max) == (span.min, span.max):  # the same genre's range: only the value
            with self._hush():
                self._tempo.value = value
            return
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
        """The Export button: says it is working (an export takes a few seconds), then what was written where, or
        what went wrong and what to do; never a traceback, and the learner's session is untouched either way."""
        folder = self._folder.value
        self._export.disabled = True
        self._export_message.info("Exporting: making the sound, the MIDI file and the cover (a few seconds)…")
        try:
            self.export()
        except ParameterError as error:  # the folder, refused before anything is made
            self._export_message.error(export_failed_words(folder, error.expected[:1].upper() + error.expected[1:] + "."))
        except LessonkitError as error:
            self._export_message.error(str(error))
        except Exception as error:  # noqa: BLE001 - said in words on the page, never as a traceback
            self._export_message.error(export_failed_words(folder, f"the export stopped ({type(error).__name__}: "
                                                                   f"{error})."))
        finally:
            self._export.disabled = False

    # ---------------------------------------------------------------- showing the session
    def _refresh(self) -> None:
        """Every control from the session: after a new version, a change of version, or a restore."""
        session = self.session
        version = session.version(self.current)
        s = version.settings
        options = self._version_options()
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
        self._status.value = self._status_html()
        self._refresh_sound()
        self._refresh_compare()
        self._refresh_log()
        self._refresh_cover()

    # ---------------------------------------------------------------- each section in words
    def _section_words(self) -> dict[str, Callable[[], str]]:
        """Each section's plain text by its name: what it shows now, in a sentence or two (what an executed notebook
        read without its widgets, a printout and a text view show in its place)."""
        return {"maker": self._maker_words, "compare": self._compare_words, "mixer": self._mixer_words,
                "journal": self._journal_words, "cover": self._cover_words,
                "exporter": lambda: self._export_message.text}

    def _maker_words(self) -> str:
        number, count = self.current, len(self.session.versions)
        return (f"Track studio: version {number} of {count}, {self.session.describe(number)} "
                f"({self.session.version(number).what}).")

    def _compare_words(self) -> str:
        how = "played equally loud" if self._match.value else "each played as mixed"
        return f"Compare: version {self._a.value} as A and version {self._b.value} as B, {how}."

    def _mixer_words(self) -> str:
        number = self.current
        mix = self.session.version(number).mix
        parts = []
        for part in PARTS:
            p = mix.parts[part]
            parts.append(f"{PART_LABELS[part]} {p.level_db:+.1f} dB, pan {p.pan:+.1f}"
                         + (", muted" if p.mute else "") + (", solo" if p.solo else ""))
        heard = self.session.is_rendered(number)
        loudness = self.session.mixdown(number).reading.words() if heard else NOT_MEASURED
        return f"Mix of version {number}: {'; '.join(parts)}; master {mix.master_db:+.1f} dB. {loudness}"

    def _journal_words(self) -> str:
        versions = self.session.versions
        noted = sum(1 for v in versions if v.heard or v.change)
        marked = the_one_words(self.session.chosen)
        return f"The ear's journal: {noted} of {len(versions)} versions have notes. {marked}"

    def _cover_words(self) -> str:
        """The cover in words: what screen readers hear for the picture."""
        choice, version = self.session.cover, self.session.to_export
        mood, genre = self.session.mood(version.settings.mood), self.session.genre(version.settings.genre)
        return (f"The cover: “{choice.title}” by {choice.artist}, written over {genre.label} shapes in the "
                f"{mood.label} palette.")

    def _version_options(self) -> list[tuple[str, int]]:
        return [(f"Version {v.number}: {v.what}", v.number) for v in self.session.versions]

    def _refresh_sound(self) -> None:
        self._refresh_meter()
        self._player.play(self._token(self.current), f"Version {self.current} · your mix", self._seconds(self.current))

    def _refresh_meter(self) -> None:
        self._meter.value = self._meter_html()

    def _meter_html(self) -> str:
        """The meter reads a version once it has been made into sound (played or exported), never before."""
        heard = self.session.is_rendered(self.current)
        return meter_html(self.session.mixdown(self.current).reading) if heard else pending_meter_html()

    def _status_html(self) -> str:
        version = self.session.version(self.current)
        return status_html(f"<b>Version {version.number} of {len(self.session.versions)}</b> · "
                           f"{html.escape(self.session.describe(version.number))} · {html.escape(version.what)}",
                           role="status")

    def _refresh_compare(self) -> None:
        a, b = self._a.value, self._b.value
        if a is None or b is None:
            return
        match = bool(self._match.value)
        self._player_a.play(self._token(a, b if match else None), f"A · version {a}", self._seconds(a))
        self._player_b.play(self._token(b, a if match else None), f"B · version {b}", self._seconds(b))
        self._refresh_match_note()

    def _refresh_match_note(self) -> None:
        """How far the louder of A and B is turned down: known once both have been made into sound."""
        a, b = self._a.value, self._b.value
        if a is None or b is None or not self._match.value or not (self.session.is_rendered(a)
                                                                    and self.session.is_rendered(b)):
            self._match_note.value = ""
            return
        gain_a, gain_b = self.session.matched_gains(a, b)
        if gain_a < 0.999 or gain_b < 0.999:
            louder, gap = (a, -20 * math.log10(gain_a)) if gain_a < gain_b else (b, -20 * math.log10(gain_b))
            self._match_note.value = status_html(f"Version {louder} is turned down {gap:.1f} dB here so both play "
                                                 "equally loud: judge the music, not the volume.")
        else:
            self._match_note.value = ""

    def _refresh_log(self) -> None:
        self._log.value = self._log_html()
        self._refresh_export_status()  # the version the export writes may have changed

    def _log_html(self) -> str:
        """The ear's journal as a table, and which version the export writes."""
        cell = 'style="text-align:left;vertical-align:top;padding:3px 12px 3px 0"'
        head_cells = "".join(f"<th {cell}>{name}</th>" for name in
                             ("Version", "What changed", "I hear", "Change next", "The one?"))
        rows = [f'<table style="border-collapse:collapse"><thead><tr>{head_cells}</tr></thead><tbody>']
        for v in self.session.versions:
            mark = "✔ yes" if self.session.chosen == v.number else ""
            values = (str(v.number), v.what, v.heard, v.change)
            rows.append("<tr>" + "".join(f"<td {cell}>{html.escape(x)}</td>" for x in values) + f"<td {cell}>{mark}</td></tr>")
        rows.append("</tbody></table>")
        head = f"<p>{the_one_words(self.session.chosen, lambda version: f'<b>{version}</b>')}</p>"
        return status_html(head + "".join(rows))

    def _cover_token(self) -> tuple[str, str]:
        """The cover's token (what ``_cover_picture`` draws it from) and its words for screen readers."""
        version = self.session.to_export
        mood, genre = self.session.mood(version.settings.mood), self.session.genre(version.settings.genre)
        choice = self.session.cover
        drawn_from = (mood.id, genre.id, choice.title, choice.artist, choice.seed)
        token = f"{zlib.crc32(json.dumps(drawn_from).encode()):08x}"
        self._covers = {token: drawn_from}  # a page asks only for the current cover
        return token, self._cover_words()

    def _refresh_cover(self) -> None:
        """Point the cover at the session's choices; the picture is drawn when a page shows it (``_cover_picture``)."""
        self._picture.show(*self._cover_token())
        self._cover_note.value = self._cover_note_html()

    def _cover_note_html(self) -> str:
        version = self.session.to_export
        mood, genre = self.session.mood(version.settings.mood), self.session.genre(version.settings.genre)
        return status_html(f"Painted from the <b>{html.escape(mood.label)}</b> palette with "
                           f"<b>{html.escape(genre.label)}</b> shapes, for version {version.number} "
                           "(the one marked, or the latest).")

    def _cover_picture(self, token: str) -> bytes:
        """The cover preview a page asks for (a JPEG), drawn once per set of choices."""
        if self._drawn is None or self._drawn[0] != token:
            from ..track import cover as covers

            mood_id, genre_id, title, artist, seed = self._covers[token]
            picture = covers.preview(self.session.mood(mood_id), self.session.genre(genre_id), title=title,
                                     artist=artist, seed=seed)
            self._drawn = (token, picture)
        return self._drawn[1]

    def _refresh_export_status(self) -> None:
        """Before any export, the exporter's line says what the button writes and where."""
        if self._exported is None:
            self._export_message.info(export_waiting_words(self._folder.value, self.session.to_export.number))

    def _fingerprint(self) -> str:
        """The session as the export writes it (the version shown is left out: looking is not changing)."""
        return json.dumps(self.session.to_state(), sort_keys=True)

    # ---------------------------------------------------------------- sound for the players
    def _token(self, number: int, matched_with: int | None = None) -> str:
        """What a player plays, as a short string: the version, its mix, and the version it is matched with."""
        token = f"{number}:{self._mix_crc(number)}"
        if matched_with is not None:
            token += f":{matched_with}:{self._mix_crc(matched_with)}"
        self._tokens[token] = (number, matched_with)
        return token

    def _seconds(self, number: int) -> float:
        """How long a version plays, known from its settings: a player says it before the sound is made."""
        return round(length_seconds(self.session.version(number).settings), 2)

    def _mix_crc(self, number: int) -> str:
        return f"{zlib.crc32(repr(self.session.version(number).mix.to_dict()).encode()):08x}"

    def _sound(self, token: str) -> tuple[bytes, Callable[[], str]]:
        """A player's sound, made when first asked for, and what to say about it once it is sent: the meter and the
        match note then say what was measured (the loudness is read after the sound is on its way, unless matching
        two versions needs it first)."""
        from ..track.wav import wav_bytes  # not the exporter: Play needs no Pillow or mido

        number, matched_with = self._tokens[token]
        mixdown = self.session.mixdown(number)
        gain = self.session.matched_gains(number, matched_with)[0] if matched_with is not None else 1.0

        def measured() -> str:
            self._refresh_meter()
            self._refresh_match_note()
            return f"{mixdown.reading.lufs:.1f} LUFS as mixed"

        return wav_bytes(mixdown.audio * gain, 44_100), measured

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


def track_studio(lesson: Any, first: TrackSettings, *, export_dir: str = "artifacts/my-track",
                 export_at_run: bool = False) -> TrackStudio | Any:
    """Lesson 03's studio, attached to the lesson so its versions and journal are saved with the learner's answers;
    while the lesson is a locked extension, a stand-in whose parts say how many Depth points open it.

    For a visitor with no name (Voila), a relative ``export_dir`` is made inside the visit's own folder, never
    beside the notebook that every visitor shares. Nothing is exported until the learner presses Export, unless
    a teacher running the lesson (papermill) sets ``export_at_run``: then the chosen version is exported as the
    studio is made, and a folder that cannot be written stops the run with a message saying why."""
    state = lesson.access
    if not state.open:
        from .locked import LockedStudio

        return LockedStudio(state)
    if getattr(lesson, "visit", False) and lesson.store is not None and not Path(export_dir).expanduser().is_absolute():
        export_dir = str(lesson.store.path.parent / export_dir)
    studio = lesson.attach(TrackStudio(lesson.course.track, first, export_dir=export_dir))
    from .. import parameters

    if parameters.get("export_at_run").read(export_at_run):  # "no" from papermill's command line is False
        studio.export()
    return studio
