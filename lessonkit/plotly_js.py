"""plotly.js for the live charts: its "basic" bundle (scatter, bar and pie traces), shipped inside lessonkit.

Every chart in the course is made of scatter and bar traces, and the basic bundle is a quarter of the full
one (1.2 MB against 4.8 MB): that is what a page receives, parses and starts before its first chart draws.
The file is npm's ``plotly.js-basic-dist-min`` at the version below, unchanged (MIT licence beside it);
``make plotly-js`` fetches it again, and a test checks the file against this version and digest.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PACKAGE = "plotly.js-basic-dist-min"
VERSION = "4.1.1"
SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"
PATH = Path(__file__).resolve().parent / "static" / "plotly-basic.min.js"
#: The trace types the bundle can draw; a chart of any other type would stay blank.
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})


@lru_cache(maxsize=1)
def data() -> bytes:
    """The bundle's JavaScript (a UMD script: it sets ``module.exports`` when given a ``module``) as the file's
    UTF-8 bytes: what a page is sent, as a binary buffer, untouched."""
    return PATH.read_bytes()
