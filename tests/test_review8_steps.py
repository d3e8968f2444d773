"""What the first screen's steps say (REVIEW8 F8, F4, item 4): at most 3 steps, each action once
(by the action ids of rules.yaml, not by their words), a penalty at home not counted for a call-up
paper alone, and nobody who already signed a contract told not to sign."""

from __future__ import annotations

import pytest

from bot.engine.i18n import Localizer
from bot.engine.problems import RuleBookError
from bot.engine.rulebook import load_rulebook
from tests.conftest import replace_in

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]


@pytest.fixture(scope="module")
def svc(ogoh):
    from bot.core.service import Service

    return Service(ogoh)


def actions_of(book, lang: str) -> dict[str, set[str]]:
    """Each step text a rule or topic can show in `lang` -> its actions (rules.yaml, topics.yaml)."""
    loc = Localizer(book, lang)
    owners = [(f"rule.{r.id}.steps", r.actions) for r in book.rules]
    owners += [(f"topic.{tid}.steps", t.actions) for tid, t in book.topics.items()]
    table: dict[str, set[str]] = {}
    for key, actions in owners:
        for variant in (key, key + ".other"):
            if any(variant in book.texts.get(c, {}) for c in loc.chain()):
                for line, action in zip([s.strip() for s in loc.text(variant).splitlines() if s.strip()], actions, strict=False):
                    table.setdefault(line, set()).update(action.split("+"))
    return table


@pytest.mark.parametrize("lang", LANGS)
def test_a_dual_citizen_with_a_call_up_paper_reads_three_steps_one_lawyer(svc, book, lang):
    """«мне дали повестку, у меня паспорт РФ и Узбекистана»: five steps, three of them "see a
    lawyer" in other words, before; now three, each action once, and the Uzbek penalty is not a
    risk counted as his (no source tells of a man called up against his will prosecuted at home):
    it is good to know, worded for if one signs a contract and fights."""
    s = svc.assess_now({"summons": "yes", "ru_citizenship": "dual", "home_country": "UZ"}, lang).summary
    assert 1 <= len(s.steps) <= 3, s.steps
    table = actions_of(book, lang)
    said = [a for step in s.steps for a in table.get(step, {step})]
    assert said.count("lawyer") == 1 and said.count("dont_sign") == 1, s.steps
    assert len(said) == len(set(said)), s.steps
    assert "home-country-penalties" not in {r.topic_id for r in s.risks}
    assert "home-country-penalties" in {r.topic_id for r in s.good_to_know}


def test_the_reviewers_message_as_typed(svc):
    out = svc.ask_now("мне дали повестку, у меня паспорт РФ и Узбекистана")
    assert out.summary is not None and len(out.summary.steps) <= 3
    assert "home-country-penalties" not in {r.topic_id for r in out.summary.risks}
    assert not any("если вас обвиняют" in step.lower() for step in out.summary.steps)
    assert not any("прокремл" in step.lower() for step in out.summary.steps)


@pytest.mark.parametrize("lang", LANGS)
def test_no_first_screen_says_an_action_twice(svc, book, lang):
    """Every country (and none) x citizenship x one or two events: at most 3 steps, none the same
    action twice (bench/first_screen_steps.py: 3,370 of 13,860 did before, 11,931 had more than 3)."""
    table = actions_of(book, lang)
    events = [("summons", "yes"), ("military_offer", "police"), ("military_offer", "migration_center"),
              ("permit_threat", "yes"), ("status_application", "residence_permit"), ("passport_taken", "yes")]
    for home in (None, "UZ", "TJ", "KG", "KZ", "TM"):
        for cit in (None, "none", "dual", "naturalized"):
            for i, first in enumerate(events):
                for second in [None] + events[i + 1:]:
                    facts = dict([first] + ([second] if second and second[0] != first[0] else []))
                    facts |= {k: v for k, v in (("home_country", home), ("ru_citizenship", cit)) if v}
                    for about in ("self", "other"):
                        s = svc.assess_now(facts, lang, about).summary
                        said = [a for step in s.steps for a in table.get(step, {step})]
                        assert len(s.steps) <= 3 and len(said) == len(set(said)), (facts, about, s.steps)


@pytest.mark.parametrize("text,lang", [
    ("I signed a contract with the army at the migration center", "en"),
    ("я подписал контракт с минобороны в сахарово, что теперь будет", "ru"),
    ("men kontraktga imzo chekdim, endi nima bo'ladi", "uz"),
])
def test_someone_who_signed_is_never_told_not_to_sign(svc, book, text, lang):
    """A contract already signed: no "do not sign" / "you can say no" in the personal answer's
    steps, the lead's steps, its card or the matched topic's card (REVIEW8 item 4)."""
    out = svc.ask_now(text)
    assert out.facts.get("contract_signed") == "yes"
    table = actions_of(book, out.reply_lang)
    shown = list(out.summary.steps if out.summary else [])
    if out.lead is not None:
        shown += out.lead.steps + out.lead.card.steps + out.lead.card.more_steps
    for card in svc.match_cards(out):
        shown += card.steps + card.more_steps
    shown += [step for m in out.matches for step in m.steps]
    assert shown
    assert not [step for step in shown if "dont_sign" in table.get(step, set())], shown


@pytest.mark.parametrize("lang", LANGS)
def test_a_signed_contract_with_a_call_up_paper_or_a_threat_is_not_told_not_to_sign(svc, book, lang):
    table = actions_of(book, lang)
    for event in ({"summons": "yes"}, {"permit_threat": "yes"}, {"military_offer": "employer"}, {"passport_taken": "yes"}):
        for home in ("UZ", "TJ", "KG"):
            s = svc.assess_now({**event, "contract_signed": "yes", "home_country": home}, lang).summary
            assert not [step for step in s.steps if "dont_sign" in table.get(step, set())], (event, s.steps)


def test_a_step_without_its_action_fails_the_check(rules_copy):
    """`ogoh check`: a rule's steps need one action per line, in every language (a translator's
    extra line would be merged as another action)."""
    replace_in(rules_copy / "rules.yaml", "actions: [dont_sign, embassy]", "actions: [dont_sign]")
    with pytest.raises(RuleBookError) as err:
        load_rulebook(rules_copy)
    assert any("rule.summons-foreigner.steps" in p.message and "1 actions" in p.message for p in err.value.problems)


def test_an_unknown_action_fails_the_check(rules_copy):
    line = replace_in(rules_copy / "rules.yaml", "actions: [dont_sign, embassy]", "actions: [dont_sign, ambassy]")
    with pytest.raises(RuleBookError) as err:
        load_rulebook(rules_copy)
    assert any(p.line == line and "unknown action 'ambassy'" in p.message for p in err.value.problems), err.value.problems
