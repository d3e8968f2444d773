"""REVIEW7 (a worker's use of every face): what the personal answer says for the situations it found wrong."""

from __future__ import annotations

import pytest

from bot.engine.i18n import Localizer

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
UZBEK = {"ru": "узбек", "uz": "o'zbek", "uz-Cyrl": "ўзбек", "tg": "ӯзбек", "ky": "өзбек", "kk": "өзбек", "en": "uzbek"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("country", ["TJ", "KG", "KZ"])
def test_a_threat_is_said_as_the_threat_not_as_uzbek_courts(ogoh, book, lang, country):
    """F3: 'ya iz tadjikistana ... ili kontrakt ili deportatsiya' read, as his serious risk, 'Uzbek
    courts jailed men who signed under pressure', and not the threat he told of; his steps said
    'tell your consulate where you are held' though nobody held him."""
    loc = Localizer(book, lang)
    s = ogoh.assess({"home_country": country, "permit_threat": "yes"}, lang).summary
    pressure = next(r for r in s.risks if r.topic_id == "work-permit-pressure")
    assert pressure.status == "applies" and pressure.rule_ids[0] == "permit-threat"
    assert pressure.text == " ".join(loc.text("rule.permit-threat.short").split())
    assert not any(UZBEK[lang] in r.text.lower() for r in s.risks + s.good_to_know), [r.text for r in s.risks]
    held = {"ru": "где вас держат", "en": "where you are held", "tg": "нигоҳ медоранд", "uz": "saqlanayotgan",
            "uz-Cyrl": "сақланаётган", "ky": "кармалып", "kk": "ұстап отыр"}[lang]
    assert not any(held in step for step in s.steps), s.steps


@pytest.mark.parametrize("lang", ["ru", "en", "uz"])
def test_an_uzbek_threatened_still_reads_the_threat_first(ogoh, book, lang):
    """The Uzbek convictions stay for an Uzbek (their source is Uzbek courts), after the threat."""
    loc = Localizer(book, lang)
    s = ogoh.assess({"home_country": "UZ", "permit_threat": "yes"}, lang).summary
    pressure = next(r for r in s.risks if r.topic_id == "work-permit-pressure")
    assert pressure.rule_ids[0] == "permit-threat" and "pressure-no-protection-at-home" in pressure.rule_ids
    assert pressure.text == " ".join(loc.text("rule.permit-threat.short").split())


@pytest.mark.parametrize("lang", LANGS)
def test_the_exact_law_step_only_under_a_penalty_he_faces(ogoh, book, lang):
    """F10: 'check the exact law with your embassy or a lawyer' stood as a step beside 'if you sign
    a contract and fight ...' (good to know), a law he does not face; a relative read it as all there
    was to do (F6). Under a serious penalty it stays (after the concrete steps)."""
    loc = Localizer(book, lang)
    law = loc.text("rule.penalties-kg.steps")
    s = ogoh.assess({"home_country": "KG", "ru_citizenship": "none", "in_russia": "yes", "military_offer": "no"}, lang).summary
    assert "home-country-penalties" in {r.topic_id for r in s.good_to_know}
    assert law not in s.steps and loc.text("rule.foreigner-not-conscripted.steps") in s.steps, s.steps
    other = ogoh.assess({"home_country": "UZ", "in_russia": "yes"}, lang, about="other").summary
    assert loc.text("rule.penalties-uz.steps.other") not in other.steps, other.steps
    offered = ogoh.assess({"home_country": "KG", "ru_citizenship": "none", "military_offer": "employer"}, lang).summary
    # faced, the penalty is serious; its "check the exact law" step may fall behind the first three
    # (at most 3 steps, REVIEW8 F8) but never stands before a step that acts
    assert "home-country-penalties" in {r.topic_id for r in offered.risks} and offered.steps[:1] != [law]


@pytest.mark.parametrize("lang", ["ru", "en", "tg"])
def test_a_relative_with_nothing_serious_yet_gets_the_family_step(ogoh, book, lang):
    """F6: after Right, a wife ('муж на фронте подписал контракт, связи нет') read as the one step
    'If you are not a Russian citizen and got a call-up paper, sign nothing': the writer's call-up
    steps. With nothing serious found yet, a relative's first step is the family reply's."""
    from bot.core import replies
    from bot.core.service import Service

    svc = Service(ogoh)
    loc = Localizer(book, lang)
    family_first = loc.text("topic.get-help.steps.other").splitlines()[0].strip()
    summary = ogoh.assess({"in_russia": "yes"}, lang, about="other").summary
    assert not summary.risks
    aid = replies.first_aid(svc, summary, "foreigner-conscription", lang, "other", None)
    assert aid.step == family_first and aid.topic_id == "get-help"
    assert aid.step != svc.topic_card("foreigner-conscription", lang, "other", None).steps[0]


@pytest.mark.parametrize("lang", LANGS)
def test_an_application_beside_an_offer_brings_decree_821(ogoh, book, lang):
    """F8: 'хочу подать на ВНЖ, в миграционной сказали сначала подпиши контракт на год' read the
    application and the offer, and said only 'you were offered a contract': nothing about Decree 821
    (a contract or proof of unfitness to apply; ask a lawyer before applying). While his citizenship
    and country are not asked, it is there worded with 'if'; for a Kazakh (a residence permit is
    not covered) it is not."""
    loc = Localizer(book, lang)
    for facts in ({"status_application": "residence_permit", "military_offer": "migration_center"},
                  {"status_application": "residence_permit", "ru_citizenship": "none", "military_offer": "migration_center"},
                  {"status_application": "citizenship"}):
        s = ogoh.assess(facts, lang).summary
        decree = next(r for r in s.risks if r.topic_id == "foreigner-conscription")
        assert decree.rule_ids[0] == "decree-821-application" and decree.status == "possible", facts
        assert decree.text == " ".join(loc.text("rule.decree-821-application.short_possible").split())
        assert any(step in s.steps for step in loc.text("rule.decree-821-application.steps").splitlines()), s.steps
    kz = ogoh.assess({"status_application": "residence_permit", "home_country": "KZ", "ru_citizenship": "none",
                      "military_offer": "migration_center"}, lang).summary
    assert "decree-821-application" not in {rid for r in kz.risks for rid in r.rule_ids}


@pytest.mark.parametrize("lang", ["ru", "uz", "en"])
def test_the_answers_sources_first_those_behind_its_first_screen(ogoh, book, lang):
    """F9: Sources under the flagship's personal answer gave 28 items (1,407 characters). The tap
    gives the sources behind its risks and what is good to know; the rest one tap further."""
    from bot.telegram import keyboards
    from bot.telegram.render import first_sources, sources_list

    loc = Localizer(book, lang)
    out = ogoh.assess({"home_country": "UZ", "ru_citizenship": "none", "in_russia": "yes", "military_offer": "employer",
                       "permit_threat": "yes"}, lang)
    s = out.summary
    first = first_sources(out)
    cited = {f.rule_id: {c.source_id for c in f.citations} for f in out.findings}
    behind = {i for r in s.risks + s.good_to_know for i in cited[r.rule_ids[0]]}  # the finding each item's text is
    assert first and {src.source_id for src in first} == behind and len(first) < len(out.sources)
    short, every = sources_list(loc, out), sources_list(loc, out, every=True)
    assert short.count("\n• ") == len(first) < every.count("\n• ") == len(out.sources)
    buttons = [b for row in keyboards.quotes(loc, more=len(out.sources) - len(first)).inline_keyboard for b in row]
    assert [b.callback_data for b in buttons] == ["SQ", "SA", "M:menu"]
    assert str(len(out.sources) - len(first)) in buttons[1].text
    assert "SA" not in [b.callback_data for row in keyboards.quotes(loc).inline_keyboard for b in row]
