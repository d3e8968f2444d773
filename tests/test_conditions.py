from __future__ import annotations

import pytest

from bot.engine.conditions import ConditionError, evaluate, parse_condition


@pytest.mark.parametrize(
    "condition, answers, expected",
    [
        ("a == x", {}, None),  # unknown is not false
        ("a == x", {"a": "x"}, True),
        ("a == x", {"a": "y"}, False),
        ("a == x", {"a": "dont_know"}, None),
        ("a == dont_know", {"a": "dont_know"}, True),
        ("a != x", {"a": "y"}, True),
        ("a in [x, y]", {"a": "y"}, True),
        ("a not in [x, y]", {"a": "y"}, False),
        ("a == x and b == y", {"a": "z"}, False),  # false wins over unknown
        ("a == x and b == y", {"a": "x"}, None),
        ("a == x or b == y", {"b": "y"}, True),  # true wins over unknown
        ("a == x or b == y", {"a": "z"}, None),
        ("not (a == x)", {}, None),
        ("not (a == x)", {"a": "z"}, True),
        ("true", {}, True),
        ('a == "yes"', {"a": "yes"}, True),
    ],
)
def test_three_valued_logic(condition, answers, expected):
    assert evaluate(parse_condition(condition), answers)[0] is expected


def test_because_names_only_the_facts_that_made_it_true():
    value, support = evaluate(parse_condition("a == x or b == y"), {"a": "z", "b": "y"})
    assert value is True and support == {"b"}


@pytest.mark.parametrize("bad", ["", "a ==", "a = x", "a == x b == y", "(a == x", "a in x", "a.b == x", "exec('x')", "a == x; b"])
def test_anything_outside_the_grammar_is_rejected_with_a_column(bad):
    with pytest.raises(ConditionError) as info:
        parse_condition(bad)
    assert info.value.column >= 1


@pytest.mark.parametrize("condition,answer,expected", [
    ("x == b", ("a", "b"), True),
    ("x == c", ("a", "b"), False),
    ("x != b", ("a", "b"), False),
    ("x != c", ("a", "b"), True),
    ("x in [c, b]", ("a", "b"), True),
    ("x not in [c, d]", ("a", "b"), True),
    ("x in [c, d]", ("a", "b"), False),
])
def test_a_set_answer_holds_a_value_when_it_is_among_them(condition, answer, expected):
    assert evaluate(parse_condition(condition), {"x": answer})[0] is expected
    assert evaluate(parse_condition(condition), {})[0] is None  # unknown stays unknown


def test_several_answers_are_checked_and_no_or_dont_know_stand_alone(book):
    from bot.engine.assess import InvalidAnswers, validate_answers

    assert validate_answers(book, {"military_offer": ["online", "employer"]}) == {"military_offer": ("employer", "online")}
    assert validate_answers(book, {"military_offer": ["police"]}) == {"military_offer": "police"}
    for bad in (["no", "employer"], ["dont_know", "online"], ["employer", "nobody"], [], ["online", "online"]):
        with pytest.raises(InvalidAnswers):
            validate_answers(book, {"military_offer": bad})
    with pytest.raises(InvalidAnswers):  # a fact without `multiple` takes one answer
        validate_answers(book, {"in_russia": ["yes", "no"]})
