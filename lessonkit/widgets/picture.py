"""A picture with a text alternative: ``ipywidgets.Image`` has no ``alt``, so screen readers met a nameless image.

The bytes travel as a binary buffer, as ``ipywidgets.Image`` sends them, and are shown from a
local blob URL; ``alt`` says what the picture shows. A picture can also be drawn on request:
given a ``source``, it keeps only a short ``token`` in its state, and the page asks the kernel
for the bytes (a custom message, which notebooks never save) when the picture first comes on
screen (or near it), and again whenever the token changes after that, so a picture no one
looks at is never drawn, and Run All does not wait for one below the fold. Until then its
place is kept, at its size, and its ``alt`` already says what it shows.
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
    img.style.background = "var(--jp-layout-color2, transparent)";  // the picture's place, before it is drawn
    let url = "", alive = true, seen = false, asked = "";
    const showBytes = (bytes) => {
      if (url) URL.revokeObjectURL(url);
      url = bytes && bytes.byteLength ? URL.createObjectURL(new Blob([bytes], { type: `image/${model.get("format")}` })) : "";
      if (url) img.src = url; else img.removeAttribute("src");
      img.dataset.state = url ? "shown" : model.get("token") ? "waiting to be seen" : "empty";
    };
    const words = () => {
      img.alt = model.get("alt");
      img.width = model.get("width");
      img.height = model.get("height");
    };
    const onMsg = (msg, buffers) => {
      if (!alive || !msg || msg.token !== model.get("token")) return;
      if (msg.type === "lessonkit-picture" && buffers && buffers.length) showBytes(buffers[0]);
      if (msg.type === "lessonkit-picture-failed") {  // said where the picture would be, in its words
        img.dataset.state = "failed";
        img.alt = `${model.get("alt")} ${msg.error}`;
      }
    };
    const ask = () => {  // once the picture is (or has been) on screen: a picture no one looks at is never drawn
      const token = model.get("token");
      if (!seen || !token || token === asked) return;
      asked = token;
      img.dataset.state = "drawing";
      model.send({ type: "lessonkit-need-picture", token });
    };
    const show = () => {
      words();
      const bytes = model.get("value");
      if (bytes && bytes.byteLength) { showBytes(bytes); return; }
      if (!model.get("token")) { showBytes(null); return; }
      if (!url) img.dataset.state = "waiting to be seen";
      ask();
    };
    const watch = typeof IntersectionObserver === "function" ? new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      seen = true;
      watch.disconnect();
      ask();
    }, { rootMargin: "200px" }) : null;
    if (watch) watch.observe(img); else seen = true;
    el.append(img);
    model.on("msg:custom", onMsg);
    const keys = ["value", "token", "format"];
    keys.forEach((k) => model.on(`change:${k}`, show));
    ["alt", "width", "height"].forEach((k) => model.on(`change:${k}`, words));
    show();
    return () => {
      alive = false;
      if (watch) watch.disconnect();
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
        try:
            picture = self._source(token)
        except Exception as error:  # noqa: BLE001 - said in the picture's place, never as a traceback
            self.send({"type": "lessonkit-picture-failed", "token": token,
                       "error": f"(It could not be drawn: {type(error).__name__}: {error}.)"})
            return
        self.send({"type": "lessonkit-picture", "token": token}, buffers=[picture])

    def show(self, token: str, alt: str) -> None:
        """Point the picture at new bytes (drawn when a page showing it asks for them) and say in words what they
        show."""
        with self.hold_sync():
            self.alt = alt
            self.token = token
