"""An audio player whose sound is made and sent only when a learner asks to hear it.

``ipywidgets.Audio`` keeps its WAV bytes in the widget state, which papermill and nbclient
copy into every executed notebook: a few 30-second sketches would weigh tens of megabytes.
``AudioPlayer`` keeps only a short token in its state, and the page shows a Play button with
the version's name and length (known without making any sound). When the learner first
presses Play, the browser asks the kernel for the sound with a custom message (which notebooks
never save), says it is being made, and plays it from a local blob URL. Pointing at the button
(focus, or the mouse resting on it) asks ahead, so the first play is quicker. From then on the
player keeps its sound current: a new token (a new mix) is fetched at once, and a player that
was playing keeps playing from the same point, so a fader move is heard straight away. A sound
that cannot be made, or does not arrive, is said in words, and Play asks again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

PLAYER = r"""
// Each player (known by its id: every view of it gets a model object of its own) shares, across its views,
// whether the learner has asked to hear it and the one request for its current sound.
const KEY = "__lessonkit_audio__";
const shared = (globalThis[KEY] = globalThis[KEY] || new Map());
const WAIT_MS = 120000;  // a sound that has not come by then is said to be late, and Play asks again
const LATE = "The sound has not arrived: the lesson's kernel may be busy or stopped. Press play to ask again.";
function player(id) {
  let p = shared.get(id);
  if (!p) shared.set(id, (p = { wanted: false, entry: null, views: new Set() }));
  return p;
}
function sound(model) {
  const p = player(model.get("player_id")), token = model.get("token");
  let entry = p.entry;
  if (entry && entry.token === token && !entry.error) return entry.promise;
  if (entry && entry.url) { const old = entry.url; setTimeout(() => URL.revokeObjectURL(old), 60000); }
  entry = p.entry = { token };
  entry.promise = new Promise((resolve) => {
    let timer = 0;
    const onMsg = (msg, buffers) => {
      if (!msg || msg.token !== token) return;
      if (msg.type === "lessonkit-audio-note") {  // what was measured, sent just after the sound
        entry.note = msg.note || "";
        model.off("msg:custom", onMsg);
        p.views.forEach((paint) => paint());
        return;
      }
      if (msg.type === "lessonkit-audio" && buffers && buffers.length) {
        entry.url = URL.createObjectURL(new Blob([buffers[0]], { type: "audio/wav" }));
        entry.note = msg.note || "";
        done(!msg.later);
      } else if (msg.type === "lessonkit-audio-failed") {
        entry.error = msg.error || "The sound could not be made. Press play to try again.";
        done(true);
      }
    };
    const done = (last) => {
      clearTimeout(timer);
      if (last) model.off("msg:custom", onMsg);
      resolve(entry);
      p.views.forEach((paint) => paint());
    };
    timer = setTimeout(() => { entry.error = LATE; done(true); }, WAIT_MS);
    model.on("msg:custom", onMsg);
  });
  model.send({ type: "lessonkit-need-audio", token });
  return entry.promise;
}
const clock = (seconds) => {
  const whole = Math.round(seconds || 0);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
};
export default {
  render({ model, el }) {
    const p = player(model.get("player_id"));
    const box = document.createElement("div");
    box.className = "lessonkit-player";
    // A fixed size whatever it shows (Play, the sound being made, the player), so players side by side stay level.
    box.style.cssText = "display:flex;flex-direction:column;gap:4px;width:320px;margin-right:12px";
    const label = document.createElement("div");
    label.style.cssText = "font-weight:600;color:var(--jp-content-font-color1,inherit)";
    const row = document.createElement("div");
    row.style.cssText = "display:flex;align-items:center;gap:8px;height:54px";  // the audio element's height
    const button = document.createElement("button");
    button.type = "button";
    button.className = "jupyter-button lessonkit-play";
    button.style.cssText = "width:auto;flex:none;padding:0 12px";
    const detail = document.createElement("span");
    detail.style.cssText = "font-size:90%;color:var(--jp-content-font-color2,inherit)";
    row.append(button, detail);
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.preload = "auto";
    audio.hidden = true;
    audio.style.width = "100%";
    const status = document.createElement("div");
    status.setAttribute("role", "status");
    status.style.cssText = "font-size:90%;min-height:1.4em;color:var(--jp-content-font-color2,inherit)";
    box.append(label, row, audio, status);
    el.append(box);
    let alive = true, pressed = false, hover = 0;

    const swap = (url) => {  // a player that was playing carries on from the same moment
      const playing = !audio.paused, at = audio.currentTime;
      audio.src = url;
      audio.addEventListener("loadedmetadata", () => {
        if (at) audio.currentTime = Math.min(at, audio.duration || at);
        if (playing) audio.play().catch(() => {});
      }, { once: true });
    };
    const paint = () => {
      if (!alive) return;
      const name = model.get("label") || "Track", length = clock(model.get("seconds"));
      const entry = p.entry && p.entry.token === model.get("token") ? p.entry : null;
      label.textContent = name;
      audio.setAttribute("aria-label", name);
      if (p.wanted && entry && entry.url && audio.getAttribute("src") !== entry.url) swap(entry.url);
      const heard = p.wanted && !!audio.getAttribute("src");
      const making = p.wanted && entry && !entry.url && !entry.error;
      audio.hidden = !heard;
      row.style.display = heard ? "none" : "flex";  // its inline display would outrank `hidden`
      button.textContent = making ? "Making the sound…" : "▶ Play";
      button.setAttribute("aria-label", `Play ${name} (${length})`);
      button.setAttribute("aria-busy", making ? "true" : "false");
      detail.textContent = `${length} · made into sound when you press play`;
      status.textContent = entry && entry.error ? entry.error
        : making ? `Making the sound of ${name}…` : heard && entry ? entry.note : "";
    };
    const listen = () => {
      if (!model.get("token")) return;  // nothing to play yet
      p.wanted = pressed = true;
      const moveFocus = document.activeElement === button;
      sound(model).then((entry) => {
        if (!alive || !pressed || !entry.url || entry.token !== model.get("token")) return;
        pressed = false;
        paint();
        if (moveFocus) audio.focus();  // the button is gone: the keyboard carries on at the player
        audio.play().catch(() => { status.textContent = `${entry.note} Press play on the player to listen.`; });
      });
      p.views.forEach((other) => other());  // every view of this player says the sound is being made
    };
    const ahead = () => { if (model.get("token")) sound(model); };  // asked ahead: the first play is quicker
    const onToken = () => { if (p.wanted && model.get("token")) sound(model); paint(); };
    button.addEventListener("click", listen);
    button.addEventListener("focus", ahead);
    button.addEventListener("pointerenter", () => { hover = setTimeout(ahead, 250); });
    button.addEventListener("pointerleave", () => clearTimeout(hover));
    p.views.add(paint);
    model.on("change:label", paint);
    model.on("change:seconds", paint);
    model.on("change:token", onToken);
    if (p.wanted && model.get("token")) sound(model);  // a view drawn again after the learner has listened
    paint();
    return () => {
      alive = false;
      clearTimeout(hover);
      p.views.delete(paint);
      model.off("change:label", paint);
      model.off("change:seconds", paint);
      model.off("change:token", onToken);
    };
  },
};
"""


class AudioPlayer(anywidget.AnyWidget):
    """Plays whatever WAV bytes ``source(token)`` returns for the current token, once a learner asks to hear it.

    ``source`` returns the bytes and a note shown under the player: a string, or a function called once the sound
    has been sent, so work that only the note needs (a loudness reading) does not hold the sound back.
    """

    _esm = PLAYER
    label = traitlets.Unicode("").tag(sync=True)
    token = traitlets.Unicode("").tag(sync=True)
    seconds = traitlets.Float(0.0).tag(sync=True)  # how long the sound plays, said before it is made
    player_id = traitlets.Unicode("").tag(sync=True)

    def __init__(self, source: Callable[[str], tuple[bytes, str | Callable[[], str]]], **kwargs: Any) -> None:
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
        try:
            wav, note = self._source(token)
        except Exception as error:  # noqa: BLE001 - said in words beside the player, never as a traceback
            self.send({"type": "lessonkit-audio-failed", "token": token,
                       "error": f"The sound could not be made ({type(error).__name__}: {error}). "
                                "Press play to try again."})
            return
        later = callable(note)
        self.send({"type": "lessonkit-audio", "token": token, "note": "" if later else note, "later": later},
                  buffers=[wav])
        if later:
            try:
                words = note()
            except Exception as error:  # noqa: BLE001 - the sound is there; only its note is missing
                words = f"(Its loudness could not be read: {type(error).__name__}: {error}.)"
            self.send({"type": "lessonkit-audio-note", "token": token, "note": words})

    def play(self, token: str, label: str, seconds: float | None = None) -> None:
        """Point the player at new sound; a browser showing it fetches the sound when the learner asks to hear it."""
        with self.hold_sync():  # one message to the page for all
            self.label = label
            if seconds is not None:
                self.seconds = seconds
            self.token = token
