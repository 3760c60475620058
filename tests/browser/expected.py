"""What each lesson cell shows in the browser after Run All: the browser suite's checklist.

Read from the notebooks themselves: every code cell is matched against ``CALLS`` (the
lesson function it calls) and gets that call's ``Shows``. A code cell that matches
nothing fails the suite until its row is added here, so a new widget cannot go unchecked.
Charts, players and pictures are counted exactly (a missing or a doubled chart fails);
controls are counted as a minimum (a new control does not break the suite).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import yaml

from labdriver import ROOT

EXACT = ("charts", "players", "images")
# What counts as ready for each exact kind: a chart drawn; a player drawn, named and playable (its sound is made
# when the learner first presses play, not at Run All); a picture loaded, or named and waiting to be seen (one
# drawn on request is drawn when it first comes on screen).
READY = {"charts": "charts_drawn", "players": "players_ready", "images": "images_ready"}


@dataclass(frozen=True)
class Shows:
    charts: int = 0  # plotly charts, each drawn (exact)
    players: int = 0  # audio players, each drawn, named and playable (exact)
    images: int = 0  # pictures, each loaded or, if drawn when seen, named and waiting (exact)
    sliders: int = 0  # the rest: at least this many
    textareas: int = 0
    texts: int = 0
    buttons: int = 0
    checkboxes: int = 0
    dropdowns: int = 0
    widgets: int = 0  # any widget view at all
    text: str = ""  # words the cell's output must contain

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "text"}


# In the page: how each kind is found inside one cell's outputs. "charts", "players" and
# "images" are counted by COUNT_JS below, which also checks that each is drawn or loaded.
SELECTORS = {
    "sliders": ".widget-slider",
    "textareas": ".widget-textarea textarea",
    "texts": ".widget-text input",
    "buttons": "button.jupyter-button",
    "checkboxes": ".widget-checkbox input",
    "dropdowns": ".widget-dropdown select",
    "widgets": ".jupyter-widgets",
}

# A regex on a code cell's source, and what that cell shows; the first row that matches wins.
CALLS: list[tuple[str, Shows]] = [
    (r"#\s*Parameters", Shows()),
    (r"\bstudio\.maker\b", Shows(players=1, sliders=1, buttons=6, dropdowns=3, texts=1)),
    (r"\bopen_lesson\(", Shows(text="Ready")),
    (r"\bcourse_progress\(", Shows(buttons=4, text="Your progress")),
    (r"\bfinish_lesson\(", Shows(textareas=1, buttons=3, checkboxes=1)),
    (r"\bwork_split\(", Shows(charts=1, sliders=2, texts=1)),
    (r"\bideal_week\(", Shows(charts=1, sliders=5, buttons=1, checkboxes=5, texts=1)),
    (r"\btypical_day\(", Shows(charts=1, sliders=1, buttons=7)),
    (r"\bpay_paths\(", Shows(charts=2, sliders=2)),
    (r"\bportfolio_builder\(", Shows(charts=2, texts=1, checkboxes=1)),
    # Step 1 of 4 is open: the chart of step 2 is drawn when the learner gets there (checked by a button press).
    (r"\bcapacity_inventory\(", Shows(buttons=6, texts=4, checkboxes=1)),
    (r"\bstudio\.compare\b", Shows(players=2, dropdowns=2, checkboxes=1)),
    (r"\bstudio\.mixer\b", Shows(players=1, sliders=9, buttons=9, dropdowns=1)),
    (r"\bstudio\.journal\b", Shows(textareas=2, checkboxes=1, dropdowns=1)),
    (r"\bstudio\.cover\b", Shows(images=1, buttons=1, texts=2)),
    (r"\bstudio\.exporter\b", Shows(buttons=2, texts=1, text="Nothing is exported yet")),
]

# lessonkit.prompt(lesson, "<id>") shows what its kind (data/prompts/<lesson>.yaml) asks for.
PROMPT_CALL = r"""\bprompt\(\s*lesson\s*,\s*["']([^"']+)["']"""
PROMPT_KINDS = {
    "long-text": Shows(textareas=1),
    "short-text": Shows(texts=1),
    "self-check": Shows(buttons=3),
    "multiple-choice": Shows(checkboxes=2),
    "list": Shows(texts=1),
}


@dataclass(frozen=True)
class Cell:
    index: int  # among the notebook's code cells
    source: str
    shows: Shows

    @property
    def label(self) -> str:
        return f"code cell {self.index + 1} ({self.source.strip().splitlines()[-1][:60]})"


def _prompt_kinds(lesson_id: str) -> dict[str, str]:
    path = ROOT / "data" / "prompts" / f"{lesson_id}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {p["id"]: p.get("kind", "") for p in data.get("prompts", []) if isinstance(p, dict) and "id" in p}


def cells(notebook: Path) -> list[Cell]:
    """Every code cell of the notebook with what it must show; KeyError names a cell nothing describes."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    out: list[Cell] = []
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for index, cell in enumerate(code):
        source = "".join(cell["source"])
        shows = None
        prompt = re.search(PROMPT_CALL, source)
        if prompt:
            kind = _prompt_kinds(notebook.stem).get(prompt.group(1), "")
            shows = PROMPT_KINDS.get(kind, Shows(widgets=1))
        else:
            shows = next((s for pattern, s in CALLS if re.search(pattern, source)), None)
        if shows is None:
            raise KeyError(f"{notebook.name}: code cell {index + 1} ({source.strip()[:80]!r}) is not in "
                           "tests/browser/expected.py CALLS: add what it shows there")
        out.append(Cell(index, source, shows))
    return out


def totals(notebook: Path) -> Shows:
    """What the whole lesson shows (for Voila, where outputs are not grouped by cell)."""
    sums = {f.name: 0 for f in fields(Shows) if f.name != "text"}
    for cell in cells(notebook):
        for name, value in cell.shows.counts().items():
            sums[name] += value
    return Shows(**sums)


# Counts inside one element (a cell's outputs, or a Voila page): selectors above, plus
# charts that plotly has drawn, players ready to play (and those whose sound has loaded) and pictures that have
# loaded. A player is ready when its sound is loaded, or when its Play button is shown, enabled and named.
COUNT_JS = """([root, selectors]) => {
  const r = {};
  for (const [name, sel] of Object.entries(selectors)) r[name] = root.querySelectorAll(sel).length;
  const plots = Array.from(root.querySelectorAll('.js-plotly-plot'));
  r.charts = plots.length;
  r.charts_drawn = plots.filter(p => p._fullLayout && p.querySelector('.main-svg')
      && p.getBoundingClientRect().width > 50 && p.getBoundingClientRect().height > 50).length;
  const players = Array.from(root.querySelectorAll('.lessonkit-player'));
  const loaded = (a) => !!a && !a.hidden && (a.currentSrc || a.src || '').startsWith('blob:') && a.readyState >= 1
      && a.duration > 0;
  const playable = (b) => !!b && !b.disabled && b.getBoundingClientRect().width > 0
      && /^Play \\S/.test(b.getAttribute('aria-label') || '');
  r.players = players.length;
  r.players_loaded = players.filter(p => loaded(p.querySelector('audio'))).length;
  r.players_ready = players.filter(p => loaded(p.querySelector('audio'))
      || playable(p.querySelector('button.lessonkit-play'))).length;
  const imgs = Array.from(root.querySelectorAll('img'));
  r.images = imgs.length;
  r.images_loaded = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
  r.images_ready = imgs.filter(i => (i.complete && i.naturalWidth > 0)
      || (i.dataset.state === 'waiting to be seen' && i.alt.trim() && i.width > 0)).length;
  r.text = root.innerText;
  return r;
}"""


def problems(counts: dict, shows: Shows, where: str) -> list[str]:
    """What is missing (or doubled, for exact kinds) in ``counts`` against ``shows``."""
    found: list[str] = []
    for name, want in shows.counts().items():
        have = counts.get(name, 0)
        if name in EXACT:
            if have != want:
                found.append(f"{where}: {have} {name}, expected exactly {want}")
            ready = counts.get(READY[name], 0)
            if ready < have:
                found.append(f"{where}: only {ready} of {have} {name} "
                             f"{ {'charts': 'drawn', 'players': 'ready to play'}.get(name, 'ready')}")
        elif have < want:
            found.append(f"{where}: {have} {name}, expected at least {want}")
    if shows.text and shows.text not in counts.get("text", ""):
        found.append(f"{where}: output does not say {shows.text!r}")
    return found


def missing_on_voila_page(page, want: Shows, timeout: float = 60) -> list[str]:
    """Wait until a Voila page shows everything its cells promise (``want``, from :func:`totals`); what is
    still missing after ``timeout`` seconds (empty once all is there)."""
    body = page.locator("body")
    count = COUNT_JS.replace("([root, selectors])", "(root, selectors)")
    deadline = time.monotonic() + timeout
    while True:
        missing = problems(body.evaluate(count, SELECTORS), want, "Voila page")
        if not missing or time.monotonic() > deadline:
            return missing
        time.sleep(0.5)
