"""The Capacity Inventory's step 2 summary, worked out from the learner's step 1 answers (pure, no widgets)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Mark = Callable[[str], str]


def plain(text: str) -> str:
    return text


def isolate(text: str) -> str:
    """Learner text set apart for the bidi algorithm, so a right-to-left name keeps the sentence around it in order."""
    return f"\u2068{text}\u2069"


@dataclass(frozen=True)
class Producer:
    """What the learner found about one producer: a name, the income streams, the production share."""

    number: int
    name: str
    streams: list[str]
    share: int | str | None  # a percentage, "unknown", or None when not estimated yet

    @property
    def label(self) -> str:
        return self.name.strip() or f"Producer {self.number}"

    @property
    def share_words(self) -> str:
        if isinstance(self.share, int):
            return f"about {self.share}%"
        return "you could not tell" if self.share == "unknown" else "no estimate yet"


@dataclass(frozen=True)
class Patterns:
    producers: list[Producer]

    def per_producer(self, mark: Mark = plain) -> list[str]:
        lines = []
        for p in self.producers:
            listed = ", ".join(mark(s) for s in p.streams)
            streams = f"{len(p.streams)} income stream{'' if len(p.streams) == 1 else 's'} ({listed})" \
                if p.streams else "no income streams ticked yet"
            lines.append(f"{mark(p.label)}: {streams}; production share: {p.share_words}.")
        return lines

    def observations(self, mark: Mark = plain) -> list[str]:
        with_streams = [p for p in self.producers if p.streams]
        if not with_streams:
            return ["Tick the income streams you found in step 1, and what they have in common will show here."]
        out = []
        single = [p for p in with_streams if len(p.streams) == 1]
        if single:
            out.append("Relying on a single source: " + "; ".join(f"{mark(p.label)} ({mark(p.streams[0])})"
                                                                  for p in single) + ".")
        else:
            out.append(f"Nobody you researched relies on a single source"
                       f"{'' if len(with_streams) == len(self.producers) else ' (of those filled in so far)'}.")
        counts = [len(p.streams) for p in with_streams]
        if len(counts) > 1:
            out.append(f"Streams kept going: from {min(counts)} to {max(counts)} per producer.")
        shares = [p.share for p in self.producers if isinstance(p.share, int)]
        if len(shares) > 1:
            out.append(f"Your estimates of the share from production work run from {min(shares)}% to {max(shares)}%.")
        elif len(shares) == 1:
            out.append(f"You have estimated one production share so far: {shares[0]}%.")
        return out

    def chart(self, mark: Mark = plain) -> tuple[list[str], list[int | None], list[int | None]]:
        """Bar labels, the production share and the rest, per producer (None where there is no estimate)."""
        labels, production, rest = [], [], []
        for p in self.producers:
            streams = f"{len(p.streams)} stream{'' if len(p.streams) == 1 else 's'}"
            labels.append(f"{mark(p.label)} · {streams}")
            production.append(p.share if isinstance(p.share, int) else None)
            rest.append(100 - p.share if isinstance(p.share, int) else None)
        return labels, production, rest


def step_status(names: list[str], sources: list[list[str]], streams: list[list[str]], shares: list[object],
                patterns_words: int, capacities: list[list[str]], own: list[str], *,
                per_producer: int, own_min: int) -> list[bool]:
    """Which of the four steps look finished, from what the learner has filled in."""
    research = all(n.strip() for n in names) and all(s for s in sources) and all(s for s in streams) \
        and all(s is not None for s in shares)
    return [research, patterns_words > 0, all(len(c) >= per_producer for c in capacities), len(own) >= own_min]
