"""One learner-id rule (lessonkit.identity) for lessons, the class list, hand-in file names and collect."""

from __future__ import annotations

import pytest

from lessonkit.errors import ParameterError
from lessonkit.identity import DEFAULT_LEARNER, file_name_for, owner_of, parse_learner_id


def test_a_handed_in_file_belongs_to_its_learner_id_or_else_to_its_home():
    assert owner_of(" ada ", "home-of-bo") == "ada"
    assert owner_of(DEFAULT_LEARNER, "bo") == "bo" and owner_of("", "bo") == "bo"
    assert owner_of(DEFAULT_LEARNER, None) == DEFAULT_LEARNER


@pytest.mark.parametrize("learner", ["ada", "ada.lovelace-2", "Grace_H"])
def test_a_valid_learner_id_names_its_files_as_it_is(learner):
    assert file_name_for(learner) == parse_learner_id(learner) == learner


@pytest.mark.parametrize("learner", ["ada@uni.edu", "../../etc/passwd", "con", "x" * 80, "<img src=x>"])
def test_any_other_id_is_made_into_a_name_the_rule_accepts(learner):
    with pytest.raises(ParameterError):
        parse_learner_id(learner)
    name = file_name_for(learner)
    assert parse_learner_id(name) == name and "/" not in name
