"""REVIEW6 #3, #5, #6, #8, #10, #14: what a worker reads first matches what he told.

Each test types the reviewer's message (or states its facts) and checks the personal answer a
worker reads: the headline, the numbered risks, what is good to know, the steps and contacts."""

from __future__ import annotations

import pytest

from bot.engine.i18n import Localizer

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
FOREIGNER_WITH_PAPER = {"home_country": "TJ", "ru_citizenship": "none", "summons": "yes"}
FLAGSHIP = {"home_country": "UZ", "ru_citizenship": "none", "military_offer": "migration_center", "permit_threat": "yes"}


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", LANGS)
def test_a_foreigner_with_a_call_up_paper_reads_he_cannot_be_called_up_not_12_to_20_years(ogoh, book, lang):
    """#3: «мне как иностранцу пришла повестка…, я из таджикистана, паспорта рф нет» read "1 serious
    risk: 12 to 20 years in prison" and the news he needs second."""
    loc = Localizer(book, lang)
    s = ogoh.assess(FOREIGNER_WITH_PAPER, lang).summary
    assert not s.risks and s.exposed is not True
    assert s.headline == loc.text("ui.summary.headline_no_serious_so_far")  # "nothing … serious; read this:"
    first = s.good_to_know[0]
    assert first.rule_ids[0] == "summons-foreigner" and first.text == _flat(loc.text("rule.summons-foreigner.short"))
    penalty = next(r for r in s.good_to_know if r.topic_id == "home-country-penalties")
    assert penalty.severity == "info" and penalty.text == _flat(loc.text("rule.penalties-tj.short_unexposed"))
    # "sign nothing, show the paper at the embassy" are the first steps; "check the exact law" is not among the first three
    assert s.steps[:2] == loc.text("rule.summons-foreigner.steps").splitlines()
    assert loc.text("rule.penalties-tj.steps") not in s.steps[:3]


def test_the_reviewers_message_reads_the_same_typed(ogoh, book):
    out = ogoh.ask("мне как иностранцу пришла повестка из военкомата, я из таджикистана, паспорта рф нет", lang="ru")
    assert out.facts == FOREIGNER_WITH_PAPER
    loc = Localizer(book, "ru")
    assert not out.summary.risks
    assert "нельзя призвать" in out.summary.good_to_know[0].text
    assert out.summary.good_to_know[1].text.startswith("Если подписать контракт")  # a warning, not his risk


@pytest.mark.parametrize("lang", LANGS)
def test_a_paper_with_citizenship_not_asked_or_not_known_is_an_if_either_way(ogoh, book, lang):
    """#3: with his citizenship not asked yet, both ways the paper can go, with "if", and a
    headline that says the next questions decide (not "what you do not know"); "I don't know"
    about it is no exposure either: the penalty is no serious risk beside them."""
    loc = Localizer(book, lang)
    s = ogoh.assess({"summons": "yes", "home_country": "UZ"}, lang).summary
    assert s.headline == loc.text("ui.summary.headline_pending")
    assert [r.rule_ids[0] for r in s.risks] == ["summons-russian-citizen"] and s.risks[0].status == "possible"
    assert "home-country-penalties" not in {r.topic_id for r in s.risks}
    unsure = ogoh.assess({"summons": "yes", "home_country": "UZ", "ru_citizenship": "dont_know"}, lang).summary
    assert unsure.exposed is not True and "home-country-penalties" not in {r.topic_id for r in unsure.risks}
    # with an offer as well he is exposed: the offer, then the penalty, as serious risks
    offered = ogoh.assess({**FOREIGNER_WITH_PAPER, "military_offer": "employer"}, lang).summary
    assert [r.topic_id for r in offered.risks][:2] == ["recruitment-offers", "home-country-penalties"]
    assert offered.good_to_know and offered.good_to_know[0].rule_ids[0] == "summons-foreigner"


@pytest.mark.parametrize("lang", LANGS)
def test_a_stated_threat_is_said_as_stated_and_counted(ogoh, book, lang):
    """#5: «bro мне сказали в ммц подпиши kontrakt, yoki patentni olib qo'yamiz» read "2. If you are
    threatened with your patent" under "those with 'if' depend on what is not known"."""
    loc = Localizer(book, lang)
    s = ogoh.assess({"military_offer": "migration_center", "permit_threat": "yes"}, lang).summary
    assert all(r.status == "applies" for r in s.risks)
    threat = next(r for r in s.risks if r.topic_id == "work-permit-pressure")
    assert threat.text == _flat(loc.text("rule.permit-threat.short"))
    assert s.headline == loc.text(f"ui.summary.headline_{len(s.risks)}")


def test_the_code_switched_threat_as_typed(ogoh, book):
    out = ogoh.ask("bro мне сказали в ммц подпиши kontrakt, yoki patentni olib qo'yamiz", lang="ru")
    assert out.facts.get("permit_threat") == "yes"
    loc = Localizer(book, "ru")
    assert out.summary.headline == loc.text(f"ui.summary.headline_{len(out.summary.risks)}")
    assert not any(r.text.startswith("Если") for r in out.summary.risks)


@pytest.mark.parametrize("lang", LANGS)
def test_the_flagship_says_each_thing_once_and_the_copy_step_is_on_the_first_screen(ogoh, book, lang):
    """#8: risk 1 said the home country may prosecute, and risk 3 said it again with the articles;
    "ask for a copy of any paper" was not in the first three steps, "check the exact law" was."""
    loc = Localizer(book, lang)
    s = ogoh.assess(FLAGSHIP, lang).summary
    topics = [r.topic_id for r in s.risks]
    assert "home-country-penalties" in topics
    offer = next(r for r in s.risks if r.topic_id == "recruitment-offers")
    assert offer.text == _flat(loc.text("rule.offer-military-contract.short_home_listed"))
    assert offer.text != _flat(loc.text("rule.offer-military-contract.short"))
    copy = loc.text("rule.offer-military-contract.steps").splitlines()[1]  # "Ask for a copy of every paper"
    assert copy in s.steps[:3]
    assert loc.text("rule.penalties-uz.steps") not in s.steps[:3]
    # without the penalty beside it (no country), the offer still says the home country may prosecute
    alone = ogoh.assess({"military_offer": "migration_center"}, lang).summary
    assert next(r for r in alone.risks if r.topic_id == "recruitment-offers").text == _flat(loc.text("rule.offer-military-contract.short"))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_pressure_with_no_country_gives_every_countrys_number_not_only_the_expulsion_ngo(ogoh, book, lang):
    """#6: «меня задержали…, подпиши контракт» with no country: the personal answer's only contact
    was «Гражданское содействие: обжалование выдворения»."""
    loc = Localizer(book, lang)
    for facts in ({"permit_threat": "yes"}, {"military_offer": "police"}, {"military_offer": "police", "home_country": "dont_know"}):
        s = ogoh.assess(facts, lang).summary
        assert {"UZ", "TJ"} <= {c.country for c in s.contacts}, (facts, s.contacts)
        from bot.engine.summary import embassy_line
        assert s.help == embassy_line(book, loc, None, True)
    # a stated country: its own, as before
    s = ogoh.assess({"permit_threat": "yes", "home_country": "UZ"}, lang).summary
    assert {c.country for c in s.contacts} <= {"UZ", "any"} and s.contacts[0].country == "UZ"


@pytest.mark.parametrize("lang", LANGS)
def test_a_foreigner_with_no_russian_passport_reads_he_cannot_be_called_up(ogoh, book, lang):
    """#10: «мен Кыргызстандын жаранымын, орус паспорту жок, мага эч нерсе болбойбу» read "answer
    the questions" over the Kyrgyz penalty."""
    loc = Localizer(book, lang)
    s = ogoh.assess({"home_country": "KG", "ru_citizenship": "none"}, lang).summary
    assert s.headline == loc.text("ui.summary.headline_none_so_far")
    assert s.good_to_know[0].rule_ids[0] == "foreigner-not-conscripted"
    # also outside Russia (foreigner-not-conscripted no longer waits on in_russia)
    away = ogoh.assess({"home_country": "KG", "ru_citizenship": "none", "in_russia": "no"}, lang).summary
    assert "foreigner-not-conscripted" in {rid for r in away.good_to_know for rid in r.rule_ids}


def test_the_kyrgyz_message_as_typed(ogoh, book):
    out = ogoh.ask("мен Кыргызстандын жаранымын, орус паспорту жок, мага эч нерсе болбойбу", lang="ky")
    loc = Localizer(book, "ky")
    assert out.summary.headline == loc.text("ui.summary.headline_none_so_far")
    assert out.summary.good_to_know[0].rule_ids[0] == "foreigner-not-conscripted"


@pytest.mark.parametrize("lang", ["ru", "uz", "tg", "ky", "kk", "en"])
def test_the_family_reply_starts_with_what_to_do(book, lang):
    """#14: its first step read as an anecdote ("after the mother's appeal the Kyrgyz MFA began …"):
    it asks the consular service to help bring him home first, its source after the colon."""
    first = book.texts[lang]["topic.get-help.steps.other"].text.splitlines()[0]
    ask, _, backing = first.partition(":")
    assert backing and "2025" in backing and "2025" not in ask
    assert "19" not in ask  # the case is the evidence, not the step
