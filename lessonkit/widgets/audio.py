"""An audio player whose sound is sent on request by message, so a saved notebook never stores it.

``ipywidgets.Audio`` keeps its WAV bytes in the widget state, which papermill and nbclient
copy into every executed notebook: a few 30-second sketches would weigh tens of megabytes.
``AudioPlayer`` keeps only a short token in its state. When the page shows the player, or the
token changes (a new mix), the browser asks the kernel for the sound with a custom message,
which notebooks never save, and plays it from a local blob URL. A player that was playing
keeps playing from the same point, so a fader move is heard straight away.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

PLAYER = r"""
// One fetch per sound, however many places the player is shown: every view of a player
// shares the request and the blob URL it produces. Views get different model objects, so
// the player is known by its id, not by object identity.
const KEY = "__lessonkit_audio__";
const shared = (globalThis[KEY] = globalThis[KEY] || new Map());
function sound(model) {
  const id = model.get("player_id"), token = model.get("token");
  let entry = shared.get(id);
  if (entry && entry.token === token) return entry.promise;
  if (entry && entry.url) { const old = entry.url; setTimeout(() => URL.revokeObjectURL(old), 60000); }
  entry = { token };
  entry.promise = new Promise((resolve) => { entry.resolve = resolve; });
  shared.set(id, entry);
  const onMsg = (msg, buffers) => {
    if (!msg || msg.type !== "lessonkit-audio" || msg.token !== token || !buffers || !buffers.length) return;
    model.off("msg:custom", onMsg);
    entry.url = URL.createObjectURL(new Blob([buffers[0]], { type: "audio/wav" }));
    entry.note = msg.note || "";
    entry.resolve(entry);
  };
  model.on("msg:custom", onMsg);
  model.send({ type: "lessonkit-need-audio", token });
  return entry.promise;
}
export default {
  render({ model, el }) {
    const box = document.createElement("div");
    box.style.cssText = "display:flex;flex-direction:column;gap:4px;min-width:260px";
    const label = document.createElement("div");
    label.style.cssText = "font-weight:600;color:var(--jp-content-font-color1,inherit)";
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.preload = "auto";
    audio.style.width = "100%";
    const status = document.createElement("div");
    status.setAttribute("role", "status");
    status.style.cssText = "font-size:90%;color:var(--jp-content-font-color2,inherit)";
    box.append(label, audio, status);
    el.append(box);
    let alive = true;
    const show = () => {
      label.textContent = model.get("label");
      audio.setAttribute("aria-label", model.get("label") || "track player");
    };
    const load = () => {
      if (!model.get("token")) { status.textContent = ""; return; }
      const token = model.get("token");
      status.textContent = "Loading the sound…";
      sound(model).then((entry) => {
        if (!alive || entry.token !== model.get("token")) return;
        // A player that was playing carries on from the same moment, so a fader move is heard at once.
        const playing = !audio.paused, at = audio.currentTime;
        audio.src = entry.url;
        audio.addEventListener("loadedmetadata", () => {
          if (at) audio.currentTime = Math.min(at, audio.duration || at);
          if (playing) audio.play().catch(() => {});
        }, { once: true });
        status.textContent = entry.note;
      });
    };
    model.on("change:label", show);
    model.on("change:token", load);
    show();
    load();
    return () => { alive = false; model.off("change:label", show); model.off("change:token", load); };
  },
};
"""


class AudioPlayer(anywidget.AnyWidget):
    """Plays whatever WAV bytes ``source(token)`` returns for the current token."""

    _esm = PLAYER
    label = traitlets.Unicode("").tag(sync=True)
    token = traitlets.Unicode("").tag(sync=True)
    player_id = traitlets.Unicode("").tag(sync=True)

    def __init__(self, source: Callable[[str], tuple[bytes, str]], **kwargs: Any) -> None:
        # An id of its own from the start (not the model id, known only once the model exists): setting it
        # afterwards would cost every player an extra message to the page.
        super().__init__(player_id=uuid.uuid4().hex, **kwargs)
        self._source = source
        self.on_msg(self._on_message)

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "lessonkit-need-audio":
            return
        token = content.get("token")
        if token != self.token or not token:
            return  # an old request: the player has moved on
        wav, note = self._source(token)
        self.send({"type": "lessonkit-audio", "token": token, "note": note}, buffers=[wav])

    def play(self, token: str, label: str) -> None:
        """Point the player at new sound; a browser showing it fetches the sound itself."""
        with self.hold_sync():  # one message to the page for both
            self.label = label
            self.token = token
