"""Runs tests/rules/summaries.yaml: the personal answer for each situation, in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.engine.i18n import Localizer
from bot.engine.summary import LANGUAGE_COUNTRY

# In a folder of its own: tests/rules/*.yaml are the rule cases of test_rule_cases.py.
CASES = Path(__file__).parent / "rules" / "summaries" / "cases.yaml"
LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
RANK = {"info": 1, "medium": 2, "high": 3, "critical": 4}


def _cases():
    for case in YAML(typ="safe").load(CASES.read_text(encoding="utf-8")):
        yield pytest.param(case, id=case["name"])


def test_at_least_twenty_situations():
    assert len(list(_cases())) >= 20


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(_cases()))
def test_summary_case(ogoh, book, case, lang):
    facts = {k: v for k, v in case["facts"].items() if v is not None and k in book.facts}
    out = ogoh.assess(facts, lang)
    s = out.summary
    loc = Localizer(book, lang)
    assert out.complete, (case["name"], out.next_question and out.next_question.fact_id)
    want = case.get("headline")
    serious = {k: loc.text(f"ui.summary.headline_{k}") for k in ("1", "2", "3", "many")}
    if want == "none":
        assert s.headline == loc.text("ui.summary.headline_none")
        assert not s.risks, s.risks  # nothing serious: no numbered risk (REVIEW4 R10)
        assert s.good_to_know  # the short general warnings
    elif want == "serious_any":
        assert s.headline in serious.values()
    elif want == "serious_many":
        assert s.headline == serious["many"]
    elif want == "possible":
        assert s.headline == loc.text("ui.summary.headline_possible")
    elif want == "no_serious":
        assert s.headline == loc.text("ui.summary.headline_no_serious")
        assert s.headline != loc.text("ui.summary.headline_none")
    listed = s.risks + s.good_to_know  # the serious risks, then what is good to know
    assert all(r.severity in ("critical", "high") for r in s.risks)
    assert all(r.severity not in ("critical", "high") for r in s.good_to_know)
    # The order holds inside each list: a serious risk always comes before what is good to know
    # (a Kyrgyz worker's call-up paper: "1. the penalty at home", then "good to know: a foreigner
    # cannot be called up"), so "first" is the first of the list the case's first risk is in.
    first = next((lst for lst in (s.risks, s.good_to_know) if lst and lst[0].topic_id == case.get("first_risk")), listed)
    if "first_severity" in case:
        assert first and first[0].severity == case["first_severity"], listed
    if "max_severity" in case:
        assert all(RANK[r.severity] <= RANK[case["max_severity"]] for r in listed)
    topics = [r.topic_id for r in listed]
    if "first_risk" in case:  # what the answers point to comes before background made serious by them
        assert first and first[0].topic_id == case["first_risk"], topics
    for tid, rid in case.get("leads", {}).items():  # the finding whose short text speaks for the topic
        assert next(r for r in listed if r.topic_id == tid).rule_ids[0] == rid, listed
    if "exposed" in case:
        assert s.exposed is case["exposed"]
    for tid in case.get("warned", []):  # worded "if he signs and fights", not a risk he faces (REVIEW6 #3)
        risk = next(r for r in listed if r.topic_id == tid)
        assert risk.severity not in ("critical", "high") and risk.text == " ".join(
            loc.text(f"rule.{risk.rule_ids[0]}.short_unexposed").split()), risk
    if "max_risks" in case:
        assert len(s.risks) <= case["max_risks"], topics
    for tid in case.get("risks", []):
        assert tid in topics, (tid, topics)
    for tid in case.get("possible", []):
        risk = next(r for r in listed if r.topic_id == tid)
        assert risk.status == "possible"
        assert risk.text == " ".join(loc.text(f"rule.{risk.rule_ids[0]}.short_possible").split())
    if not s.contacts:  # help is always shown: with no contact that fits, the embassy
        from bot.telegram.render import summary_card

        from bot.engine.summary import same_step
        from bot.telegram import keyboards

        # the embassy, in a step or its own line (never both), and "Get help" to tap (REVIEW4 R14)
        embassy = loc.text("ui.summary.embassy")
        # (its own line "• Your country's embassy …"; a step may hold the same words: "Davlatingiz
        # elchixonasi yoki konsulligiga murojaat qiling")
        card_lines = [ln.removeprefix("• ").strip() for ln in summary_card(loc, out).splitlines()]
        assert (s.help in card_lines) != any(same_step(embassy, st) for st in s.steps[:3]), "help is always shown"
        assert "T:get-help" in [b.callback_data for row in keyboards.summary(loc, out).inline_keyboard for b in row]
    if "contacts_first" in case:
        assert s.contacts[0].country == case["contacts_first"]
    hint = LANGUAGE_COUNTRY.get(loc.base)
    hint = hint if any(c.country == hint for c in book.contacts) else None  # a hint with no number: as none (REVIEW7 F2)
    if case.get("contacts_any") and (hint or not s.exposed):
        # no country given: general ones, and those the reply language hints at
        assert all(c.country in ("any", hint) for c in s.contacts)
    elif case.get("contacts_any"):  # exposed, no country, no hint with a number: every country's, never only a general one (REVIEW6 #6)
        assert {c.country for c in s.contacts} - {"any"} == {"UZ", "TJ"}, s.contacts
        from bot.engine.summary import embassy_line
        assert s.help == embassy_line(book, loc, None, True)  # and the embassy line naming the others (REVIEW8 F6)
    given = case["facts"].get("home_country") not in (None, "dont_know")
    for country in case.get("no_contacts_from", []):  # unless no country was given and the language hints at it
        if given or LANGUAGE_COUNTRY.get(loc.base) != country:
            assert all(c.country != country for c in s.contacts)
    if case.get("note") == "unknown_country":
        assert loc.text("ui.summary.unknown_country") in s.notes
    if case.get("note") == "conflict":
        assert any(n.startswith(loc.text("ui.summary.conflict").split("(")[0].strip()) for n in s.notes), s.notes
    # the shape every face relies on
    assert len(s.risks) <= 3 and len(s.steps) <= 5 and all(len(r.text) <= 300 for r in s.risks)
    assert all(c.href.startswith(("tel:+", "https://")) for c in s.contacts)


def test_cli_json_and_text_carry_the_summary(capsys):
    import json

    from bot.cli import main

    facts = {k: v for k, v in next(iter(_cases())).values[0]["facts"].items() if v is not None}
    assert main(["assess", "--facts", json.dumps(facts), "--lang", "ru", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    s = data["summary"]
    assert {"headline", "risks", "steps", "contacts"} <= set(s)
    assert all({"topic_id", "severity", "text"} <= set(r) for r in s["risks"])
    assert all({"kind", "value", "label", "country", "last_confirmed"} <= set(c) for c in s["contacts"])
    assert main(["assess", "--facts", json.dumps(facts), "--lang", "ru"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(s["headline"])  # the summary is printed first


def test_api_assess_documents_and_returns_the_summary(ogoh):
    from fastapi.testclient import TestClient

    from bot.api import create_app
    from bot.settings import Settings

    app = create_app(Settings(storage_url="sqlite://:memory:", rules_dir=ogoh.rules_dir), ogoh=ogoh, watch=False)
    client = TestClient(app)
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "summary" in schemas["AssessOut"]["properties"] and schemas["Summary"].get("examples")
    r = client.post("/v1/assess", json={"facts": {"home_country": "UZ", "military_offer": "employer"}, "lang": "uz"})
    assert r.status_code == 200
    assert r.json()["summary"]["contacts"][0]["href"] == "tel:+79250454744"
