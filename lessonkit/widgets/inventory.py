"""Lesson 02's Capacity Inventory as a guided four-step flow, built from the guide's exercise and the lesson's prompts.

Every field is a prompt from ``data/prompts/02-can-you-make-a-living.yaml``, saved on its own
key. The inventory only arranges them into steps and adds what is worked out from them: the
step 2 summary and chart (from :mod:`lessonkit.models.inventory`), the producers' names on the
tabs, a tick on each finished step, and the learner's definition of success from Lesson 01
beside step 4 (asked for there when it was never written).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from .. import kinds
from ..charts.inventory import inventory_layout, inventory_traces
from .figure import Chart, LiveFigure
from ..models import prompts as P
from ..models.inventory import Patterns, Producer, isolate, step_status
from .compact import compact, compacted, shared_layout
from .base import Summarised
from .prompts import MUTED, PromptWidget, build, button_layout

STEP_IDS = ("research", "patterns", "transferable", "your-own")


class LazyPrompt:
    """One of the inventory's prompts, whose controls are built the first time its step or tab is shown.

    Until then it answers from its saved value, so the step ticks, tab names and summary are right
    while an executed notebook stores only the controls a learner has opened. ``lesson.attach``
    treats it like the prompt itself: it restores into it and listens to it.
    """

    lesson_field = None

    def __init__(self, course: Any, key: str) -> None:
        self._course, self.key = course, key
        spec = course.prompt(key)
        self.answer_kind = spec.kind
        self.options = course.prompt_options(key.partition("/")[0], spec)
        self._widget: PromptWidget | None = None
        self._saved: dict[str, Any] | None = None
        self._listeners: list[Any] = []

    @property
    def built(self) -> bool:
        return self._widget is not None

    @property
    def widget(self) -> PromptWidget:
        if self._widget is None:
            with compact():
                widget = build(self._course, self.key)
            if self._saved is not None:
                widget.restore(self._saved)
            for listener in self._listeners:
                widget.on_change(listener)
            self._widget = widget
        return self._widget

    @property
    def view(self) -> W.Widget:
        return self.widget.view

    @property
    def message(self) -> Any:
        """The prompt's message line (a message to show builds the prompt, so it is seen)."""
        return self.widget.message

    def on_change(self, listener: Any) -> None:
        self._listeners.append(listener)
        if self._widget is not None:
            self._widget.on_change(listener)

    def restore(self, state: dict[str, Any]) -> None:
        if self._widget is not None:
            self._widget.restore(state)
        else:
            self._saved = state if isinstance(state, dict) else None

    @property
    def value(self) -> Any:
        if self._widget is not None:
            return self._widget.value
        saved = (self._saved or {}).get("value")
        return kinds.get(self.answer_kind).empty_value() if saved is None else saved

    @property
    def state(self) -> dict[str, Any]:
        return {"value": self.value}

    @property
    def answered(self) -> bool:
        return self._widget.answered if self._widget is not None else kinds.get(self.answer_kind).is_answered(self.value)

    def labels(self) -> list[str]:
        """A multiple-choice answer as words (as the built prompt gives them)."""
        if self._widget is not None:
            return self._widget.labels()  # type: ignore[attr-defined]
        value = self.value if isinstance(self.value, dict) else {}
        names = {o.id: o.label for o in self.options}
        return [names.get(c, c) for c in value.get("choices") or []] + P.listed(value.get("other") or "")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


class CapacityInventory(Summarised):
    """Composite: ``parts`` are its prompt widgets (``lesson.attach`` saves each on its own key)."""

    @compacted
    def __init__(self, course: Any, lesson_id: str) -> None:
        self.lesson_id = lesson_id
        self.exercise = course.context(lesson_id)["guide"].exercise
        prompts = course.lesson_prompts(lesson_id)
        self.fields: dict[str, LazyPrompt] = {p.id: LazyPrompt(course, f"{lesson_id}/{p.id}") for p in prompts}
        beside = next((p.beside for p in prompts if p.beside), None)
        self.success: LazyPrompt | None = LazyPrompt(course, beside) if beside else None
        self._success_mode = ""
        for widget in self.parts:
            widget.on_change(lambda _key, _state: self.refresh())

        n = self.exercise.producers
        # Each producer's tab and each step's page is filled the first time it is shown.
        self._tab_boxes = [W.VBox() for _ in range(n)]
        self._tabs = W.Tab(children=self._tab_boxes)
        for i in range(n):
            self._tabs.set_title(i, f"Producer {i + 1}")
        self._tabs.observe(lambda change: self._fill_tab(change["new"]), "selected_index")
        # The parts of steps 2 to 4 are made with their page (``_fill_page``), once: refresh() runs on every
        # keystroke and must not create widgets.
        self._summary: W.HTML | None = None
        self._chart: Chart | None = None
        self._capacity_heads: list[W.HTML] = []
        self._success: tuple[W.VBox, W.HTML, W.HTML, W.ToggleButton] | None = None  # box, quote, note, toggle
        steps = {step.id: step for step in self.exercise.steps}
        self._page_boxes = [W.VBox([W.HTML(self._step_intro(steps[sid]))]) for sid in STEP_IDS]
        self._filled: set[str] = set()
        self._pages = W.Stack(self._page_boxes, selected_index=0)
        self._step_buttons = [W.Button(layout=shared_layout(width="auto")) for _ in STEP_IDS]
        for index, button in enumerate(self._step_buttons):
            button.on_click(lambda _b, i=index: self.go(i))
        self._back = W.Button(description="Back", icon="arrow-left", layout=shared_layout(width="auto"))
        self._next = W.Button(description="Next step", icon="arrow-right", layout=shared_layout(width="auto"))
        self._back.on_click(lambda _b: self.go(self.step - 1))
        self._next.on_click(lambda _b: self.go(self.step + 1))
        self._where = W.HTML()
        head = W.HTML(f"<strong>{esc(self.exercise.title)}</strong> · ⏱ about {self.exercise.minutes} minutes. "
                      f'<span style="{MUTED}">Everything you type is saved as you go; you can stop and come back.</span>')
        self.view = W.VBox([head, W.HBox(self._step_buttons, layout=shared_layout(flex_flow="row wrap")), self._pages,
                            W.HBox([self._back, self._next, self._where], layout=shared_layout(align_items="center"))],
                           layout=shared_layout(border="1px solid var(--jp-border-color2, #ccc)", padding="0.6em"))
        self.view.add_class("lessonkit-inventory")
        self.refresh()

    # -- filled on first view
    def _fill_tab(self, index: int | None) -> None:
        if index is None or f"tab-{index}" in self._filled:
            return
        self._filled.add(f"tab-{index}")
        with compact():
            self._tab_boxes[index].children = [self._field(f"producer-{index + 1}-{name}")
                                               for name in ("name", "sources", "streams", "production-share")]

    def _fill_page(self, index: int) -> None:
        if f"page-{index}" in self._filled:
            return
        self._filled.add(f"page-{index}")
        n = self.exercise.producers
        with compact():
            if index == 0:
                page: W.Widget = self._tabs
                self._fill_tab(self._tabs.selected_index or 0)
            elif index == 1:
                self._summary = W.HTML()
                page = W.VBox([W.HBox([self._column(self._field("patterns")),
                                       self._column(W.VBox([W.HTML("<strong>Worked out from your step 1 answers</strong>"),
                                                            self._summary]))],
                                      layout=shared_layout(flex_flow="row wrap")),
                               self._make_figure()])
            elif index == 2:
                self._capacity_heads = [W.HTML() for _ in range(n)]
                page = W.VBox([w for i in range(1, n + 1)
                               for w in (self._capacity_heads[i - 1], self._field(f"producer-{i}-capacities"))])
            else:
                page = W.HBox([self._column(self._field("own-capacities")), self._column(self._make_success())],
                              layout=shared_layout(flex_flow="row wrap"))
            box = self._page_boxes[index]
            box.children = [*box.children, page]
        self.refresh()

    def _make_success(self) -> W.VBox:
        """Step 4's panel for Lesson 01's definition of success (quoted, or asked for)."""
        note = W.HTML(f'<p style="{MUTED}">Lesson 01 asked for this and you have not written it yet. '
                      "Write it here: it is saved with Lesson 01's answers.</p>")
        toggle = W.ToggleButton(description="Change it", icon="pencil", layout=button_layout())
        toggle.observe(lambda _c: self._show_success(), "value")
        self._success = (W.VBox(), W.HTML(), note, toggle)
        return self._success[0]

    def _make_figure(self) -> LiveFigure:
        traces, changes = inventory_traces(*Patterns(self.producers()).chart(isolate))
        self._chart = Chart(traces, inventory_layout(self.exercise.producers), changes)
        return self._chart.figure

    @property
    def _figure(self) -> LiveFigure | None:
        """The step 2 chart (built when step 2 is first shown)."""
        return self._chart.figure if self._chart else None

    # -- layout helpers
    def _field(self, prompt_id: str) -> W.Widget:
        return self.fields[prompt_id].view

    @staticmethod
    def _column(widget: W.Widget) -> W.Widget:
        widget.layout = shared_layout(flex="1 1 20em", min_width="18em", margin="0 0.6em 0 0")
        return widget

    @staticmethod
    def _step_intro(step: Any) -> str:
        return f"<h4>Step {step.number}: {esc(step.title)}</h4><p>{esc(step.task)}</p>"

    def summary(self) -> str:
        done = self.status()
        return (f"{self.exercise.title}: step {self.step + 1} of {len(done)} open; "
                f"{sum(done)} of {len(done)} steps finished.")

    @property
    def parts(self) -> list[PromptWidget]:
        return [*self.fields.values(), *([self.success] if self.success else [])]

    # -- moving between steps
    @property
    def step(self) -> int:
        return self._pages.selected_index or 0

    def go(self, index: int) -> None:
        index = max(0, min(index, len(STEP_IDS) - 1))
        self._fill_page(index)
        self._pages.selected_index = index
        self._paint_steps()

    def _paint_steps(self) -> None:
        done = self.status()
        steps = self.exercise.steps
        for i, (button, step) in enumerate(zip(self._step_buttons, steps)):
            button.description = f"{step.number} · {step.title}{' ✓' if done[i] else ''}"
            button.button_style = "primary" if i == self.step else ""
            button.tooltip = f"Step {step.number}{': finished' if done[i] else ''}"
        self._back.disabled = self.step == 0
        self._next.disabled = self.step == len(STEP_IDS) - 1
        self._where.value = f'<span style="{MUTED}; margin-left: 0.6em">Step {self.step + 1} of {len(STEP_IDS)} · ' \
                            f"{sum(done)} finished</span>"

    # -- what is worked out from the answers
    def producers(self) -> list[Producer]:
        out = []
        for i in range(1, self.exercise.producers + 1):
            streams = self.fields[f"producer-{i}-streams"]
            out.append(Producer(i, self.fields[f"producer-{i}-name"].value, streams.labels(),  # type: ignore[attr-defined]
                                self.fields[f"producer-{i}-production-share"].value))
        return out

    def status(self) -> list[bool]:
        producers = self.producers()
        n = self.exercise.producers
        return step_status(
            [p.name for p in producers],
            [P.filled(self.fields[f"producer-{i}-sources"].value) for i in range(1, n + 1)],
            [p.streams for p in producers],
            [p.share for p in producers],
            P.word_count(self.fields["patterns"].value),
            [P.filled(self.fields[f"producer-{i}-capacities"].value) for i in range(1, n + 1)],
            P.filled(self.fields["own-capacities"].value),
            per_producer=self.exercise.capacities_per_producer, own_min=self.exercise.own_capacities_min,
        )

    def refresh(self) -> None:
        """Bring the tabs, summary, chart, step ticks and success panel in line with the answers."""
        producers = self.producers()
        for i, p in enumerate(producers):
            self._tabs.set_title(i, p.label)
        for head, p in zip(self._capacity_heads, producers):
            head.value = f"<strong>{esc(p.label)}</strong>"
        patterns = Patterns(producers)
        if self._summary is not None:
            items = "".join(f"<li>{esc(line)}</li>" for line in patterns.per_producer(isolate))
            notes = "".join(f"<p>{esc(line)}</p>" for line in patterns.observations(isolate))
            self._summary.value = f'<div role="status"><ul>{items}</ul>{notes}</div>'
        if self._chart is not None:
            self._chart.update(*inventory_traces(*patterns.chart(isolate)))
        self._show_success()
        self._paint_steps()

    def start(self) -> None:
        """After the saved answers are back: open the first unfinished step, and settle how success is shown."""
        if self.success is not None:
            self._success_mode = "quote" if self.success.answered else "ask"
        done = self.status()
        self.go(next((i for i, finished in enumerate(done) if not finished), len(done) - 1))
        self.refresh()

    def _show_success(self) -> None:
        if self.success is None or self._success is None:
            return  # shown with step 4, and built only then
        box, quote, note, toggle = self._success
        if self._success_mode != "quote":
            if list(box.children) != [note, self.success.view]:
                box.children = [note, self.success.view]
            return
        text = esc(self.success.value).replace("\n", "<br>")
        quote.value = (f"<strong>Your definition of success (Lesson 01)</strong>"
                       f'<blockquote dir="auto" style="margin: 0.3em 0; padding-left: 0.8em; '
                       f'border-left: 3px solid var(--jp-border-color1, #999)">{text}</blockquote>')
        children = [quote, toggle]
        if toggle.value:
            children.append(self.success.view)
        if list(box.children) != children:
            box.children = children


def capacity_inventory(lesson: Any) -> CapacityInventory:
    """Lesson 02's Capacity Inventory, with the learner's saved answers back in it."""
    inventory = CapacityInventory(lesson.course, lesson.id)
    lesson.attach(inventory)
    inventory.start()
    return inventory
