"""The track studio's controls and how its six sections are laid out: building them is this module's only job.

:class:`StudioLayout` makes every control of Lesson 03's studio and groups them into the sections a lesson
shows between its readings (``maker``, ``compare``, ``mixer``, ``journal``, ``cover``, ``exporter``).
What the controls do is wired in :mod:`lessonkit.widgets.track`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

import ipywidgets as W

from ..track.settings import COVER_PREVIEW_SIZE, MAX_SEED, PART_LABELS, PARTS
from .audio import AudioPlayer
from .base import Message, prose_area, view_bundle
from .compact import shared_layout
from .picture import Picture
from .slider import FloatSlider, IntSlider
from .track_words import EXPORT_BUTTON


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


class Section(W.VBox):
    """One section of the studio: its controls on the page, and ``words()`` as its plain text, what an executed
    notebook read without its widgets, a printout or a text view shows, instead of the repr of every control."""

    def __init__(self, children: list[W.Widget], words: Callable[[], str]) -> None:
        super().__init__(children)
        self._words = words

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return view_bundle(self, self._words())


class StudioLayout:
    """Every control of the studio, grouped into its sections; ``sound`` answers the players' requests for audio,
    ``cover`` the cover picture's request for its preview, ``words`` each section's plain text by its name."""

    _view: W.Widget | None  # LessonWidget's, made by the ``view`` property below

    def _build(self, catalog: Any, export_dir: str, sound: Any, cover: Any, words: Mapping[str, Callable[[], str]],
               start: Mapping[str, Mapping[str, Any]]) -> None:
        """``start``: each control's first values by its name ("tempo": {"min": 60, ...}), given as it is made so no
        control is changed (one more message to the page) right after it is sent."""
        kit = _Kit()

        def first(name: str) -> dict[str, Any]:
            return dict(start.get(name, {}))

        self.message = Message()

        # -- make
        self._mood = W.Dropdown(options=[(m.label, m.id) for m in catalog.moods], description="Mood",
                                style=kit.style, layout=kit.narrow, **first("mood"))
        self._genre = W.Dropdown(options=[(g.label, g.id) for g in catalog.genres], description="Genre",
                                 style=kit.style, layout=kit.narrow, **first("genre"))
        from ..pitches import PITCHES

        self._key = W.Dropdown(options=list(PITCHES), description="Key", style=kit.style, layout=kit.narrow,
                               **first("key"))
        self._tempo = IntSlider(description="Tempo (BPM)", unit=" BPM", description_width=kit.label_width,
                                layout=kit.wide, **first("tempo"))
        self._seed = W.BoundedIntText(min=0, max=MAX_SEED, description="Seed", style=kit.style, layout=kit.narrow,
                                      **first("seed"))
        self._dice = W.Button(description="🎲 New seed", tooltip="Pick another seed: new drums, bass, chords and melody",
                              layout=kit.button)
        self._make = W.Button(description="Make a new version", button_style="primary", icon="play",
                              layout=kit.button)
        self._rerolls = {part: W.Button(description=f"New {PART_LABELS[part].lower()}", layout=kit.button,
                                        tooltip=f"A new version with only the {part} changed") for part in PARTS}
        self._status = W.HTML(**first("status"))
        self._player = AudioPlayer(sound, **first("player"))
        self.maker = Section([
            W.HBox([self._mood, self._genre, self._key], layout=kit.row),
            self._tempo,
            W.HBox([self._seed, self._dice], layout=kit.row),
            W.HBox([self._make, *self._rerolls.values()], layout=kit.row),
            self.message, self._status, self._player,
        ], words["maker"])

        # -- compare
        self._a = W.Dropdown(description="Version A", style=kit.mid, layout=kit.picker, **first("a"))
        self._b = W.Dropdown(description="Version B", style=kit.mid, layout=kit.picker, **first("b"))
        self._match = W.Checkbox(value=True, description="Play A and B at the same loudness", indent=False)
        self._player_a, self._player_b = AudioPlayer(sound, **first("player_a")), AudioPlayer(sound, **first("player_b"))
        self._match_note = W.HTML()
        self.compare = Section([
            W.HBox([self._a, self._b, self._match], layout=kit.row),
            W.HBox([self._player_a, self._player_b], layout=kit.row),
            self._match_note,
        ], words["compare"])

        # -- mix
        self._pick = W.Dropdown(description="Version", style=kit.style, layout=kit.wide, **first("pick"))
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
        self._meter = W.HTML(**first("meter"))
        self.mixer = Section([self._pick, *rows, W.HBox([self._master, self._to_target], layout=kit.row),
                             self._meter, self._player], words["mixer"])

        # -- journal
        self._heard = prose_area(placeholder="What do you hear? What works, what feels off, and where?",
                                 description="I hear", continuous_update=False, style=kit.style, layout=kit.note)
        self._change = prose_area(placeholder="What would you change next, and why?", description="Change next",
                                  continuous_update=False, style=kit.style, layout=kit.note)
        self._the_one = W.Checkbox(description="This is the one: it sounds the way I want", indent=False)
        self._log = W.HTML(**first("log"))
        self.journal = Section([self._pick, self._heard, self._change, self._the_one, self._log],
                               words["journal"])

        # -- cover
        self._title = W.Text(description="Title", continuous_update=False, style=kit.style, layout=kit.wide,
                             **first("title"))
        self._artist = W.Text(description="Artist", continuous_update=False, style=kit.style, layout=kit.wide,
                              **first("artist"))
        self._cover_seed = W.BoundedIntText(min=0, max=MAX_SEED, description="Cover seed", style=kit.style,
                                            layout=kit.narrow, **first("cover_seed"))
        self._new_cover = W.Button(description="🎲 Another cover", layout=kit.button)
        self._picture = Picture(cover, format="jpeg", width=COVER_PREVIEW_SIZE, height=COVER_PREVIEW_SIZE,
                                **first("picture"))
        self._cover_note = W.HTML(**first("cover_note"))
        self.cover = Section([self._title, self._artist, W.HBox([self._cover_seed, self._new_cover], layout=kit.row),
                             self._cover_note, self._picture], words["cover"])

        # -- export
        self._folder = W.Text(value=str(export_dir), description="Folder", style=kit.style, layout=kit.wide)
        self._export = W.Button(description=EXPORT_BUTTON, icon="download", layout=kit.button,
                                tooltip="Write the WAV, MIDI, cover and liner notes into the folder in the box")
        self._export_message = Message()
        # The files are handed to the browser only when asked for (the WAV alone is megabytes): in Voila, which
        # has no file browser and serves no files, and in JupyterLab alike.
        self._fetch = W.Button(description="Download the files", icon="download", layout=kit.button, disabled=True,
                               tooltip="Save the exported WAV, MIDI, cover and liner notes on your computer")
        self._downloads = W.HTML()
        self.exporter = Section([W.HBox([self._folder, self._export, self._fetch], layout=kit.row),
                                self._export_message, self._downloads], words["exporter"])

    @property
    def view(self) -> W.Widget:
        """Every section in one box, made when first asked for: a lesson shows the sections one at a time, between
        its readings, so a Run All never sends the page a box it does not draw."""
        if self._view is None:
            self._view = W.VBox([self.maker, self.compare, self.mixer, self.journal, self.cover, self.exporter])
        return self._view
