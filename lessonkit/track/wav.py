"""A version's sound as WAV bytes (44.1 kHz, 16-bit, stereo): what a player plays and the export writes.

Apart from the exporter so that a learner's first press of Play imports only what the sound needs, not the
cover painter (Pillow) or the MIDI writer (mido).
"""

from __future__ import annotations

import io
import wave

import numpy as np


def wav_bytes(audio: np.ndarray, rate: int) -> bytes:
    """16-bit stereo WAV of float audio in [-1, 1] (rounded, not dithered, so the bytes repeat exactly)."""
    samples = np.clip(np.round(np.asarray(audio, dtype=np.float64).T * 32767), -32767, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(samples.shape[1])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()
