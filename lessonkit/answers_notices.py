"""What the store tells a learner: what "Load my answers" did, and which saved records were kept aside."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    kept: int
    learner: str
    kept_aside: int = 0

    def __str__(self) -> str:
        parts = [f"{self.added} new", f"{self.updated} updated"]
        text = f"Loaded: {', '.join(parts)}"
        if self.kept:
            text += f"; {self.kept} kept as they were here, because they were saved more recently here"
        if self.kept_aside:
            one = self.kept_aside == 1
            text += (f"; {self.kept_aside} could not be read and {'was' if one else 'were'} kept aside in your "
                     f"answers file, as {'it was' if one else 'they were'}")
        return text + "."


def kept_notice(name: str, kept: list[str]) -> str:
    count = len(kept)
    listed = "; ".join(kept[:3]) + ("; ..." if count > 3 else "")
    return (f"{count} saved record{'s' if count != 1 else ''} in {name} could not be read ({listed}). "
            f"{'They were' if count != 1 else 'It was'} kept aside in the file exactly as found (under "
            "\"kept_aside\"), and everything else was loaded.")
