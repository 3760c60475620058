"""A picture with a text alternative: ``ipywidgets.Image`` has no ``alt``, so screen readers met a nameless image.

The bytes travel as a binary buffer, as ``ipywidgets.Image`` sends them, and are shown from a
local blob URL; ``alt`` says what the picture shows. A picture can also be drawn on request:
given a ``source``, it keeps only a short ``token`` in its state, and the page asks the kernel
for the bytes (a custom message, which notebooks never save) when it first shows the picture
or the token changes, so a picture no one looks at is never drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

ESM = r"""
export default {
  render({ model, el }) {
    const img = document.createElement("img");
    img.style.maxWidth = "100%";
    let url = "", alive = true;
    const showBytes = (bytes) => {
      if (url) URL.revokeObjectURL(url);
      url = bytes && bytes.byteLength ? URL.createObjectURL(new Blob([bytes], { type: `image/${model.get("format")}` })) : "";
      if (url) img.src = url; else img.removeAttribute("src");
    };
    const words = () => {
      img.alt = model.get("alt");
      img.width = model.get("width");
      img.height = model.get("height");
    };
    const onMsg = (msg, buffers) => {
      if (!alive || !msg || msg.type !== "lessonkit-picture" || msg.token !== model.get("token")) return;
      if (buffers && buffers.length) showBytes(buffers[0]);
    };
    const show = () => {
      words();
      const bytes = model.get("value");
      if (bytes && bytes.byteLength) { showBytes(bytes); return; }
      if (model.get("token")) model.send({ type: "lessonkit-need-picture", token: model.get("token") });
      else showBytes(null);
    };
    el.append(img);
    model.on("msg:custom", onMsg);
    const keys = ["value", "token", "format"];
    keys.forEach((k) => model.on(`change:${k}`, show));
    ["alt", "width", "height"].forEach((k) => model.on(`change:${k}`, words));
    show();
    return () => {
      alive = false;
      model.off("msg:custom", onMsg);
      keys.forEach((k) => model.off(`change:${k}`, show));
      ["alt", "width", "height"].forEach((k) => model.off(`change:${k}`, words));
      if (url) URL.revokeObjectURL(url);
    };
  },
};
"""


class Picture(anywidget.AnyWidget):
    """Shows ``value``; or, when made with a ``source``, whatever ``source(token)`` draws for the current token."""

    _esm = ESM
    value = traitlets.Bytes(b"").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)  # what the picture shows, in words
    format = traitlets.Unicode("png").tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)
    token = traitlets.Unicode("").tag(sync=True)  # names the picture ``source`` draws; "" when ``value`` is shown

    def __init__(self, source: Callable[[str], bytes] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._source = source
        if source is not None:
            self.on_msg(self._on_message)

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "lessonkit-need-picture":
            return
        token = content.get("token")
        if not token or token != self.token or self._source is None:
            return  # an old request: the picture has moved on
        self.send({"type": "lessonkit-picture", "token": token}, buffers=[self._source(token)])

    def show(self, token: str, alt: str) -> None:
        """Point the picture at new bytes (drawn when a page asks for them) and say in words what they show."""
        with self.hold_sync():
            self.alt = alt
            self.token = token
