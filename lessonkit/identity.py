"""Who a learner is: the one rule for a learner id, used by lessons, the roster, hand-ins and collect.

A learner id names the learner's answers file, so it must be a safe file name on every system.
When a teacher sets none, the engine's sign-in (``JUPYTERHUB_USER`` on a hub) names the learner.
"""

from __future__ import annotations

import re

from . import engines
from .errors import ParameterError

DEFAULT_LEARNER = "learner"
_LEARNER_ID = re.compile(r"^[^\W_][\w.-]{0,63}$")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def parse_learner_id(value: str) -> str:
    """The learner id, which names the answers file; "" means the default."""
    text = str(value or "").strip()
    if not text:
        return DEFAULT_LEARNER
    if not _LEARNER_ID.match(text) or text.lower().split(".")[0] in _RESERVED:
        raise ParameterError("learner_id", value, "expected a name made of letters, digits, dots, dashes or "
                                                  "underscores, starting with a letter or digit and at most 64 "
                                                  "long, such as ada-lovelace (it becomes the answers file's name), "
                                                  "or an empty string for the default")
    return text


def learner_for(value: str, env: engines.Env | None = None) -> tuple[str, bool]:
    """The learner id and whether it names a person: ``learner_id`` if a teacher set it; else the name the
    engine gives (``JUPYTERHUB_USER`` on a hub), through the same rule (a name the rule refuses, such as an
    email address, made file-safe first: :func:`engines.file_safe`); else the default, which names nobody."""
    if str(value or "").strip():
        return parse_learner_id(value), True
    found = engines.signed_in(env)
    if found is None:
        return DEFAULT_LEARNER, False
    name, identity = found
    try:
        return parse_learner_id(name), True
    except ParameterError:
        pass
    try:  # a name such as ada@uni.edu: made file-safe, with a fingerprint so two such names never meet
        return parse_learner_id(engines.file_safe(name)), True
    except ParameterError as error:
        raise ParameterError("learner_id", value, f"{identity.where} {name!r} cannot name an answers file: "
                                                  f"{error.expected.split(' (it becomes')[0]}. Ask your teacher "
                                                  "to set learner_id for you") from None


def file_name_for(learner: str) -> str:
    """A name for files made from a learner's answers (their hand-in): the learner id where the rule accepts it,
    otherwise (a loaded file's id could hold anything) the id made file-safe, with a fingerprint so two ids
    never share a name."""
    try:
        return parse_learner_id(learner)
    except ParameterError:
        return engines.file_safe(str(learner))


def owner_of(learner: str, home: str | None) -> str:
    """Whose a handed-in file is: the learner id it carries, or the name of the home folder it was found in when it
    carries only the default id (a hub learner who never set one)."""
    text = str(learner or "").strip()
    return home if home and text in ("", DEFAULT_LEARNER) else text
