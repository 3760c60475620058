"""The twelve pitch names a key is written in (data/track.yaml, the track maker's key list, its parameters).

Kept apart from :mod:`lessonkit.schema`, which checks content against them, so that a lesson reading
them does not load the content models.
"""

from __future__ import annotations

PITCHES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
