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
