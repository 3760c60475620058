"""Lesson 03's track maker: how fast a sketch renders, a fader move re-mixes, the meter reads and a cover draws.

Each figure is the median of several runs after one warm-up (which fills the oscillator
tables and font caches, as the first version in a lesson does).
- track.render_realtime_x: seconds of audio per second of composing and synthesising a sketch
  of about 30 s (hopeful lo-fi, four stems, stereo, 44.1 kHz); target >= 100.
- track.remix_ms: one level change to a new limited stereo mix from the kept stems; target <= 50.
- track.meter_ms: integrated loudness (BS.1770) of that mix.
- track.cover_s: drawing the 3000 x 3000 cover with its words; target <= 1.
- track.cover_png_s: encoding it as the exported PNG.
- track.studio_build_ms: making Lesson 03's studio (every control, no sound, no cover drawn), as Run All does.
- track.export_click_s: what the learner waits for after pressing Export on a version not yet heard: its sound,
  the mix and meter, the MIDI file, the large cover and its PNG, and the four files written.
- track.first_play_ms: the kernel's part of a learner's first press of Play on a version not yet heard (Run All
  makes no sound, so this is where it is made): composing and synthesising it, the mix, the meter and the WAV
  sent to the page. bench_track_browser times the whole wait in a page.
"""

from __future__ import annotations

import statistics
import time

RUNS = 5


def _median(func, runs: int = RUNS) -> float:
    func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> list[tuple[str, float, str]]:
    from lessonkit.content import load_course
    from lessonkit.track.compose import compose
    from lessonkit.track.cover import png_bytes, render_cover
    from lessonkit.track.loudness import integrated_loudness
    from lessonkit.track.mix import MixSettings, limit, mix
    from lessonkit.track.settings import check_settings
    from lessonkit.track.synth import render

    track = load_course().track
    settings = check_settings(track, mood="hopeful", genre="lofi", tempo=70, seed=7, seconds=30)
    mood = next(m for m in track.moods if m.id == "hopeful")
    genre = next(g for g in track.genres if g.id == "lofi")
    stems = render(compose(settings, mood, genre), mood, genre)
    print(f"  sketch length {stems.seconds:.1f} s", flush=True)

    render_s = _median(lambda: render(compose(settings, mood, genre), mood, genre))
    levels = iter(range(10_000))

    def remix():
        return limit(mix(stems, MixSettings().with_part("drums", level_db=-(next(levels) % 12) * 0.5)))

    remix_s = _median(remix, runs=15)
    audio = remix()[0]
    meter_s = _median(lambda: integrated_loudness(audio, stems.rate))
    cover_s = _median(lambda: render_cover(mood, genre, title="Hopeful Lo-fi hip hop", artist="You", seed=3), runs=3)
    image = render_cover(mood, genre, title="Hopeful Lo-fi hip hop", artist="You", seed=3).image
    png_s = _median(lambda: png_bytes(image, fast=False), runs=3)
    build_s, export_s, play_s = _studio(track, settings)
    return [
        ("track.render_realtime_x", stems.seconds / render_s, "x"),
        ("track.remix_ms", remix_s * 1000, "ms"),
        ("track.meter_ms", meter_s * 1000, "ms"),
        ("track.cover_s", cover_s, "s"),
        ("track.cover_png_s", png_s, "s"),
        ("track.studio_build_ms", build_s * 1000, "ms"),
        ("track.export_click_s", export_s, "s"),
        ("track.first_play_ms", play_s * 1000, "ms"),
    ]


def _studio(track, settings) -> tuple[float, float, float]:
    """Median seconds to make the studio, to export from a fresh one (its first export, as a learner's click), and
    to answer a fresh one's first request for a player's sound."""
    import tempfile

    from lessonkit.widgets.track import TrackStudio

    with tempfile.TemporaryDirectory() as folder:
        build_s = _median(lambda: TrackStudio(track, settings, export_dir=folder))
        studios = iter([TrackStudio(track, settings, export_dir=folder) for _ in range(4)])
        export_s = _median(lambda: next(studios).export(), runs=3)
        players = iter([TrackStudio(track, settings, export_dir=folder)._player for _ in range(RUNS + 1)])
        play_s = _median(lambda: _first_play(next(players)))
    return build_s, export_s, play_s


def _first_play(player) -> None:
    """What the kernel does when a page asks for a player's sound, the WAV handed to the page's send."""
    sent = []
    player.send = lambda content, buffers=None: sent.append(buffers)
    player._on_message(player, {"type": "lessonkit-need-audio", "token": player.token}, [])
    assert sent and sent[0] and sent[0][0][:4] == b"RIFF", "the player sent no sound"
