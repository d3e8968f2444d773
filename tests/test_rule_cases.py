"""Runs the lawyer-readable cases in tests/rules/*.yaml against the shipped rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.engine.assess import assess

CASES_DIR = Path(__file__).parent / "rules"


def _cases():
    yaml = YAML(typ="safe")
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.load(path.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("case", list(_cases()))
def test_rule_case(book, case):
    result = assess(book, case["facts"])
    applies = [f.rule.id for f in result.findings if f.status == "applies"]
    possible = [f.rule.id for f in result.findings if f.status == "possible"]
    assert sorted(applies) == sorted(case["findings"])
    assert sorted(possible) == sorted(case.get("possible", []))
    assert result.next_fact == case["next_question"]


def test_every_rule_and_every_country_has_a_case(book):
    cases = [c.values[0] for c in _cases()]
    covered = {r for c in cases for r in c["findings"] + c.get("possible", [])}
    assert {r.id for r in book.rules} <= covered
    countries = {c["facts"].get("home_country") for c in cases}
    assert set(book.facts["home_country"].options) <= countries
