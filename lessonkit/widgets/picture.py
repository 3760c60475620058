"""A picture with a text alternative: ``ipywidgets.Image`` has no ``alt``, so screen readers met a nameless image.

The bytes travel as a binary buffer, as ``ipywidgets.Image`` sends them, and are shown from a
local blob URL; ``alt`` says what the picture shows.
"""

from __future__ import annotations

import anywidget
import traitlets

ESM = r"""
export default {
  render({ model, el }) {
    const img = document.createElement("img");
    img.style.maxWidth = "100%";
    let url = "";
    const show = () => {
      if (url) URL.revokeObjectURL(url);
      const bytes = model.get("value");
      url = bytes && bytes.byteLength ? URL.createObjectURL(new Blob([bytes], { type: `image/${model.get("format")}` })) : "";
      if (url) img.src = url; else img.removeAttribute("src");
      img.alt = model.get("alt");
      img.width = model.get("width");
      img.height = model.get("height");
    };
    el.append(img);
    const keys = ["value", "alt", "format", "width", "height"];
    keys.forEach((k) => model.on(`change:${k}`, show));
    show();
    return () => { keys.forEach((k) => model.off(`change:${k}`, show)); if (url) URL.revokeObjectURL(url); };
  },
};
"""


class Picture(anywidget.AnyWidget):
    _esm = ESM
    value = traitlets.Bytes(b"").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)  # what the picture shows, in words
    format = traitlets.Unicode("png").tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)
