"""REVIEW10 (session 10), what a worker reads: a citizenship he wants is not one he holds (H3); the
Decree 821 step names the decree (H9); the Tajik embassy step does not start with "also" (H9)."""

from __future__ import annotations

import pytest

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]


# --- H3: "хочу получить гражданство РФ по браку" is an application, not dual citizenship ----------
@pytest.mark.parametrize("text", [
    "я гражданин Узбекистана, хочу получить гражданство РФ по браку",
    "я из узбекистана, хочу получить российское гражданство",
    "hochu poluchit grajdanstvo rf",
])
def test_a_citizenship_he_wants_is_read_as_applied_for_not_held(ogoh, text):
    facts = ogoh.ask(text).facts
    assert facts.get("status_application") == "citizenship"
    assert "ru_citizenship" not in facts  # not "you ARE a dual citizen: 2 very serious risks"


@pytest.mark.parametrize("text, citizenship", [
    ("моя сестра получила гражданство по браку, ее мужа забрали по мобилизации", "naturalized"),  # past: held
    ("гражданин Узбекистана, гражданство РФ тоже есть", "dual"),
])
def test_a_citizenship_he_holds_is_still_read(ogoh, text, citizenship):
    facts = ogoh.ask(text).facts
    assert facts.get("ru_citizenship") == citizenship and "status_application" not in facts


def test_the_wished_citizenship_leads_with_decree_821_not_the_dual_citizens_risks(ogoh):
    facts = ogoh.ask("я гражданин Узбекистана, хочу получить гражданство РФ по браку").facts
    s = ogoh.assess(facts, "ru").summary
    assert all(r.topic_id not in ("dual-citizenship", "naturalized-citizens") for r in s.risks)
    assert "821" in " ".join(r.text for r in s.risks) + " ".join(s.steps)


# --- H9: "ask a lawyer whether the decree covers you": which decree -------------------------------
@pytest.mark.parametrize("about", ["self", "other"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_decree_step_names_decree_821(ogoh, lang, about):
    s = ogoh.assess({"status_application": "residence_permit", "home_country": "UZ"}, lang, about).summary
    first = s.steps[0]
    assert "821" in first, first


@pytest.mark.parametrize("about", ["self", "other"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_tajik_embassy_step_reads_alone_without_also(ogoh, lang, about):
    s = ogoh.assess({"home_country": "TJ", "ru_citizenship": "none"}, lang, about).summary
    also = {"en": "also", "ru": "также", "uz": " ham ", "uz-Cyrl": " ҳам ", "tg": "инчунин", "ky": " да ", "kk": " да "}[lang]
    embassy = [x for x in s.steps if "Tajik" in x or "Тадж" in x or "Тоҷик" in x or "Tojik" in x or "Тожик" in x
               or "Тажик" in x or "Тәжік" in x]
    assert embassy and all(also not in x.lower() for x in embassy), embassy


# --- H11: "can I get out of the contract before I am sent to the front" is about a signed contract ---
@pytest.mark.parametrize("text", [
    "можно ли отказаться от контракта если еще не уехал на фронт",
    "можно ли отказаться от контракта до отправки на фронт",
    "can i withdraw from the contract i signed",
])
def test_getting_out_of_a_signed_contract_gets_the_signed_answer(service, text):
    from bot.core.replies import families

    assert families(service, text).signed  # not the threats card "подпиши, или лишишься патента"


@pytest.mark.parametrize("text", ["брат не уехал на фронт, он дома", "мне предложили контракт, можно отказаться?"])
def test_an_offer_or_a_man_at_home_is_not_read_as_signed(service, text):
    from bot.core.replies import families

    assert not families(service, text).signed


@pytest.fixture(scope="module")
def service(ogoh):
    from bot.core.service import Service

    return Service(ogoh)
