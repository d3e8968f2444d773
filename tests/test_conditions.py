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


@pytest.mark.parametrize("condition,answer,expected", [
    ("x in [a, b, c]", "any", True),  # holds for every refinement: holds for "offered, by someone"
    ("x == b", "any", None),  # holds for some: not known until he says who
    ("x != b", "any", None),
    ("x in [d]", "any", False),  # holds for none
    ("x == any", "any", True),
    ("x == b", ("any", "d"), None),
    ("x == d", ("any", "d"), True),
    ("not x == a", "any", None),
])
def test_a_coarse_answer_stands_for_its_refinements_not_yet_known(condition, answer, expected):
    from bot.engine.conditions import refined

    node = refined(parse_condition(condition), {"x": {"any": ("a", "b", "c")}})
    assert evaluate(node, {"x": answer})[0] is expected


def test_offered_by_someone_not_said_is_asked_who_and_the_answer_replaces_it(book):
    """'мне предложили контракт' (military_offer "yes"): an offer, then "who?"; the answer replaces
    it, and "I don't know" keeps the offer (as "someone else") without asking again."""
    from bot.core.answers import add_answer
    from bot.engine.assess import assess, validate_answers

    result = assess(book, {"military_offer": "yes"})
    assert {"offer-military-contract", "contract-length"} <= {f.rule.id for f in result.findings}
    assert result.exposed is True and result.next_fact == "military_offer"
    assert add_answer(book, {"military_offer": "yes"}, "military_offer", "police") == {"military_offer": "police"}
    assert add_answer(book, {"military_offer": "yes"}, "military_offer", ["employer", "online"]) == {"military_offer": ["employer", "online"]}
    kept = add_answer(book, {"military_offer": "yes"}, "military_offer", "dont_know")
    assert kept == {"military_offer": "other"}
    after = assess(book, kept)
    assert "offer-military-contract" in {f.rule.id for f in after.findings} and after.next_fact != "military_offer"
    with pytest.raises(ValueError):  # "no" is not an answer to "who offered it?"
        add_answer(book, {"military_offer": "yes"}, "military_offer", "no")
    # "offered" beside "by the employer": the finer answer says it all
    assert validate_answers(book, {"military_offer": ["yes", "employer"]}) == {"military_offer": "employer"}
    police = assess(book, {"military_offer": "police", "home_country": "UZ"})
    assert "offer-in-detention" in {f.rule.id for f in police.findings}
