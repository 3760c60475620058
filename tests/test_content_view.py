"""Checked content read as plain views: the same fields and values as the schema models, frozen, and kept by pickle."""

from __future__ import annotations

import copy
import pickle

import pytest

from lessonkit import schema
from lessonkit.content_view import View, field_names, freeze


def test_every_model_in_the_course_is_a_view_with_the_models_fields(course):
    """The course a lesson gets holds views, each with its schema model's fields in the model's order and values
    equal to the model's own dump."""
    card = course.careers["music-producer"]
    assert isinstance(card, View) and card.model_name == "CareerCard"
    for view in (card, card.pay.salaried, card.work.activities[0], course.map, course.lessons()[0],
                 next(iter(course.prompts.values())), *course.sources.values()):
        model = getattr(schema, view.model_name)
        assert view.field_names == tuple(model.model_fields)
        assert model.model_validate(view.model_dump()).model_dump() == view.model_dump()


def test_a_view_equals_the_view_of_an_equal_model_and_differs_from_another():
    first = freeze(schema.Option(id="a", label="A"))
    assert first == freeze(schema.Option(id="a", label="A"))
    assert hash(first) == hash(freeze(schema.Option(id="a", label="A")))
    assert first != freeze(schema.Option(id="b", label="A"))
    assert first != freeze(schema.Capacity(id="a", label="A"))  # same values, another model


def test_a_view_cannot_be_changed():
    view = freeze(schema.Option(id="a", label="A"))
    with pytest.raises(AttributeError, match="cannot be changed"):
        view.label = "B"
    with pytest.raises(AttributeError, match="cannot be changed"):
        del view.label
    assert view.label == "A"


def test_model_copy_replaces_only_the_fields_named(course):
    prompt = next(p for f in course.prompts.values() for p in f.prompts)
    copied = prompt.model_copy(update={"id": "other"})
    assert copied.id == "other" and prompt.id != "other"
    assert {k: v for k, v in copied.model_dump().items() if k != "id"} == \
           {k: v for k, v in prompt.model_dump().items() if k != "id"}


def test_views_survive_pickle_and_deepcopy_unchanged(course):
    card = course.careers["music-producer"]
    for again in (pickle.loads(pickle.dumps(card)), copy.deepcopy(card)):
        assert again == card and again is not card
        assert again.pay.salaried.median == card.pay.salaried.median


def test_field_names_reads_views_and_models_alike():
    model = schema.Option(id="a", label="A")
    assert field_names(freeze(model)) == field_names(model) == ("id", "label")
    assert field_names("text") is None and field_names({"id": 1}) is None
