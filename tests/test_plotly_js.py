"""The charts' plotly.js bundle shipped in lessonkit is the pinned npm release, whole and unchanged."""

from __future__ import annotations

import hashlib

from lessonkit import plotly_js


def test_the_bundle_is_the_pinned_release_byte_for_byte():
    data = plotly_js.PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == plotly_js.SHA256
    header = data[:200].decode("utf-8")
    assert f"plotly.js (basic - minified) v{plotly_js.VERSION}" in header
    assert "Licensed under the MIT license" in header
    assert (plotly_js.PATH.parent / "plotly-basic.LICENSE.txt").read_text(encoding="utf-8").startswith("MIT License")


def test_the_bundle_is_a_umd_script_that_returns_plotly_through_module_exports():
    """The page loads it as an ES module that hands it a ``module`` object, so no global define() can take it."""
    head = plotly_js.data()[:600].decode("utf-8")
    assert 'typeof module === "object" && module.exports' in head
    assert "module.exports = factory()" in head
