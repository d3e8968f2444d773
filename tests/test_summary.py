"""The personal answer (issue 11): one summary per assessment, the same for every face; severity
from exposure; "I don't know" stays conditional; no two statements contradict each other."""

from __future__ import annotations

import itertools
import re

import pytest

from bot.engine.assess import assess
from bot.engine.i18n import Localizer
from bot.engine.rulebook import can_be_possible
from bot.engine.summary import MAX_RISKS, MAX_STEPS, person_key

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
NO_EXPOSURE = {"military_offer": "no", "occupied_job_offer": "no", "permit_threat": "no", "passport_taken": "no",
               "status_application": "no"}

RU_CLAIM = re.compile(r"\byou are a Russian citizen\b|\bas a Russian citizen\b|\bwith dual citizenship\b|\byou have dual citizenship\b", re.I)
FOREIGN_CLAIM = re.compile(r"\byou are not a Russian citizen\b|\bas a foreign citizen\b|\byou are a foreign(er| citizen)\b", re.I)
COUNTRY_CLAIM = {c: re.compile(rf"\bIn {name}\b") for c, name in
                 [("UZ", "Uzbekistan"), ("TJ", "Tajikistan"), ("KG", "Kyrgyzstan"), ("KZ", "Kazakhstan"), ("TM", "Turkmenistan")]}


def sentences(summary) -> list[str]:
    texts = [summary.headline, *summary.notes, *(r.text for r in summary.risks), *summary.steps]
    return [s.strip() for t in texts for s in re.split(r"(?<=[.!?:])\s+", t) if s.strip()]


def conditional(sentence: str) -> bool:
    return bool(re.match(r"(If|Whether|Unless)\b", sentence))


def situations(book):
    facts = book.facts
    citizenship = facts["ru_citizenship"].options + ["dont_know"]
    summons = facts["summons"].options + ["dont_know"]
    homes = facts["home_country"].options + ["dont_know"]
    in_russia = facts["in_russia"].options + ["dont_know"]
    for c, s, h, r in itertools.product(citizenship, summons, homes, in_russia):
        answers = {"home_country": h, "ru_citizenship": c, "summons": s, "in_russia": r, **NO_EXPOSURE}
        if c in ("dual", "naturalized"):
            answers["ru_citizenship_since"] = "1_to_10_years"
        yield {k: v for k, v in answers.items() if k in facts}


def test_no_contradictions_in_any_combination(ogoh, book):
    checked = 0
    for answers in situations(book):
        out = ogoh.assess(answers, "en")
        said = [s for s in sentences(out.summary) if not conditional(s)]
        ru = [s for s in said if RU_CLAIM.search(s)]
        foreign = [s for s in said if FOREIGN_CLAIM.search(s)]
        where = (answers, ru, foreign)
        assert not (ru and foreign), where
        citizenship = out.answers["ru_citizenship"]  # given, or implied by home_country RU
        if citizenship in ("none", "dont_know"):
            assert not ru, where
        if citizenship in ("dual", "naturalized", "dont_know"):
            assert not foreign, where
        countries = {c for c, rx in COUNTRY_CLAIM.items() if any(rx.search(s) for s in said)}
        assert countries <= {answers["home_country"]}, (answers, countries)
        checked += 1
    assert checked >= 4 * 3 * 7 * 3


@pytest.mark.parametrize("lang", LANGS)
def test_possible_risks_use_their_conditional_wording(ogoh, book, lang):
    loc = Localizer(book, lang)
    answers = {"home_country": "UZ", "ru_citizenship": "dont_know", "summons": "yes", "in_russia": "yes",
               "military_offer": "dont_know", "occupied_job_offer": "dont_know", "permit_threat": "dont_know",
               "passport_taken": "dont_know"}
    out = ogoh.assess(answers, lang)
    possible = [r for r in out.summary.risks if r.status == "possible"]
    assert possible, out.summary
    for risk in possible:
        lead = risk.rule_ids[0]
        assert can_be_possible(next(r for r in book.rules if r.id == lead))
        assert risk.text == " ".join(loc.text(f"rule.{lead}.short_possible").split())
    # "I don't know" is never stated as fact: no risk says "You are a Russian citizen"
    english = ogoh.assess(answers, "en").summary
    assert not any(RU_CLAIM.search(s) for s in sentences(english) if not conditional(s))


@pytest.mark.parametrize("lang", LANGS)
def test_summary_shape_in_every_language(ogoh, lang):
    out = ogoh.assess({"home_country": "TJ", "ru_citizenship": "dual", "ru_citizenship_since": "under_1_year",
                       "in_russia": "yes", "military_offer": "employer", "summons": "yes", "permit_threat": "yes",
                       "passport_taken": "yes", "occupied_job_offer": "yes"}, lang)
    s = out.summary
    assert s.headline and s.lang == lang
    assert 1 <= len(s.risks) <= MAX_RISKS and len(s.steps) <= MAX_STEPS
    assert len({r.topic_id for r in s.risks}) == len(s.risks)  # merged per topic
    assert all(len(r.text) <= 300 for r in s.risks)
    ranks = [{"critical": 4, "high": 3, "medium": 2, "info": 1}[r.severity] for r in s.risks]
    assert ranks == sorted(ranks, reverse=True)
    assert len({" ".join(x.lower().split()) for x in s.steps}) == len(s.steps)  # deduplicated
    # every finding keeps its full text as detail; every risk points at findings that exist
    rule_ids = {f.rule_id for f in out.findings}
    assert all(f.detail for f in out.findings)
    assert all(set(r.rule_ids) <= rule_ids for r in s.risks)
    # help for the home country first
    assert s.contacts and s.contacts[0].country == "TJ"
    assert [c.country for c in s.contacts] == sorted((c.country for c in s.contacts), key=lambda c: c == "any")


@pytest.mark.parametrize("country", ["UZ", "TJ", "KG", "KZ", "TM", "other"])
def test_all_no_gives_the_no_specific_risk_headline(ogoh, book, country):
    answers = {"home_country": country, "ru_citizenship": "none", "summons": "no", "in_russia": "yes", **NO_EXPOSURE}
    answers = {k: v for k, v in answers.items() if k in book.facts}
    out = ogoh.assess(answers, "en")
    assert out.complete, out.next_question
    s = out.summary
    assert s.headline == Localizer(book, "en").text("ui.summary.headline_none")
    assert not s.risks, s.risks  # nothing serious: nothing numbered or counted (REVIEW4 R10)
    assert s.good_to_know  # the short general warnings are still there
    assert all(c.country in (country, "any") for c in s.contacts)  # never another country's hotline


def test_contacts_are_tappable_and_dated(ogoh):
    s = ogoh.assess({"home_country": "UZ", "ru_citizenship": "naturalized"}, "ru").summary
    by_id = {c.id: c for c in s.contacts}
    phone = by_id["uz-migration-agency-phone"]
    assert phone.href == "tel:+79250454744" and phone.last_confirmed == "2025-06" and phone.last_confirmed_text == "июнь 2025"
    assert by_id["uz-migration-agency-bot"].href == "https://t.me/huquqiy_yordam_uzbot"
    assert "get-lost" in by_id  # for Russian citizens only
    assert "get-lost" not in {c.id for c in ogoh.assess({"home_country": "UZ", "ru_citizenship": "none"}, "ru").summary.contacts}


def test_unknown_home_country_still_shows_help(ogoh, book):
    answers = {"home_country": "dont_know", "ru_citizenship": "none", "summons": "no", "in_russia": "yes", **NO_EXPOSURE}
    out = ogoh.assess({k: v for k, v in answers.items() if k in book.facts}, "ru")
    assert all(c.country == "any" for c in out.summary.contacts)  # no threat: no contact fits, the faces show the embassy
    assert Localizer(book, "ru").text("ui.summary.unknown_country") in out.summary.notes


def test_contact_value_must_be_in_its_quote(rules_copy):
    from tests.conftest import replace_in
    from tests.test_exposure import errors_of

    line = replace_in(rules_copy / "contacts.yaml", 'value: "+7 925 045-47-44"', 'value: "+7 925 045-47-45"')
    errs = errors_of(rules_copy)
    assert any(p.file == "rules/contacts.yaml" and p.line == line and "is not in the quote" in p.message for p in errs), errs


@pytest.mark.parametrize("lang", ["ru", "uz", "ky", "en"])
def test_partial_answers_never_say_nothing_points_to_a_risk(ogoh, book, lang):
    # Who he is alone never gives the finished check's "nothing points to a risk": the call-up,
    # the offer are still to be asked. But "I'm a Kyrgyz citizen, no Russian passport" is enough
    # to say he cannot be called up (REVIEW6 #10: he read "answer the questions" over the Kyrgyz
    # penalty): nothing he *wrote* points to a risk, the questions check the rest, and the first
    # thing good to know is that he cannot be called up; the penalty is a warning for if he signs.
    # (Before: headline_incomplete here.)
    out = ogoh.assess({"home_country": "KG", "ru_citizenship": "none"}, lang)
    assert not out.complete
    loc = Localizer(book, lang)
    s = out.summary
    assert s.headline != loc.text("ui.summary.headline_none")
    assert s.headline == loc.text("ui.summary.headline_none_so_far")
    assert not s.risks and s.good_to_know[0].rule_ids[0] == "foreigner-not-conscripted"
    assert s.good_to_know[1].text == " ".join(loc.text("rule.penalties-kg.short_unexposed").split())



@pytest.mark.parametrize("lang", LANGS)
def test_tajik_dual_citizen_reads_the_treaty_caveat_on_the_first_screen(ogoh, book, lang):
    # shown as its bare topic title ("Dual citizenship: Russia treats you as a Russian citizen") the
    # first risk would say the opposite of the Tajik exception: its text must fit the first message
    from html import unescape

    from bot.telegram.render import summary_card

    answers = {"home_country": "TJ", "ru_citizenship": "dual", "ru_citizenship_since": "over_10_years",
               "in_russia": "yes", "summons": "no", **NO_EXPOSURE}
    out = ogoh.assess({k: v for k, v in answers.items() if k in book.facts}, lang)
    first = out.summary.risks[0]
    assert first.rule_ids[0] == "dual-tajik-treaty"
    card = unescape(re.sub(r"<[^>]+>", "", summary_card(Localizer(book, lang), out)))
    assert first.lead in card, card  # its sentences, never its title (REVIEW4 R34)


@pytest.mark.parametrize("lang", LANGS)
def test_threat_and_leaflet_texts_are_dated_in_every_language(book, lang):
    # the permit-threat short shows the embassy's 2022 "fake" beside the migrants' reports, and the
    # Sakharovo leaflets are from 2022: the date (a number, the same in every language) must be there
    loc = Localizer(book, lang)
    # and "contracts run until the end of the SMO" is the 2022 explanation of a government portal
    for key in ("rule.permit-threat.short", "rule.permit-threat.short_possible", "rule.offer-at-migration-center.short",
                "rule.contract-length.short", "rule.contract-length.short_possible",
                "rule.decree-821-contract-length.short", "rule.decree-821-contract-length.short_possible"):
        assert "2022" in loc.text(key), (lang, key)


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_risk_keeps_its_words_before_later_risks_keep_their_titles(ogoh, book, lang):
    # on one phone screen the first risk's own text is worth more than the titles of risks 2 and 3
    # (they keep their "Risk N" buttons): whenever the first risk fits the screen beside the
    # headline, it is shown in full, for every home country and citizenship with a call-up paper
    from html import unescape

    from bot.telegram.render import FIRST_MESSAGE_CHARS, summary_card

    loc = Localizer(book, lang)
    checked = 0
    for country, citizenship, occupied in itertools.product(["UZ", "TJ", "KG", "KZ", "TM"], ["none", "dual", "naturalized"],
                                                            ["no", "yes"]):
        answers = {"home_country": country, "ru_citizenship": citizenship, "ru_citizenship_since": "under_1_year",
                   "in_russia": "yes", "summons": "yes", **NO_EXPOSURE, "occupied_job_offer": occupied}
        out = ogoh.assess({k: v for k, v in answers.items() if k in book.facts}, lang)
        if not out.summary.risks:
            continue
        first = out.summary.risks[0]
        if len(out.summary.headline) + len(first.text) > FIRST_MESSAGE_CHARS - 150:
            continue
        checked += 1
        card = unescape(re.sub(r"<[^>]+>", "", summary_card(loc, out)))
        assert first.lead in card, (country, citizenship, card)
    assert checked >= 10


@pytest.mark.parametrize("lang", ["ru", "uz", "tg", "ky", "kk", "en"])
def test_with_nothing_serious_yet_two_general_warnings_not_three(ogoh, lang):
    """"Я гражданин Узбекистана, работаю на стройке, российского паспорта нет" (the check not yet
    done, nothing serious) showed three 'good to know' texts, ~900 characters before the first
    step on a phone; with no exposure it was two. Now two either way, and the steps follow."""
    out = ogoh.ask("я гражданин Узбекистана, работаю на стройке в Москве, российского паспорта нет, мне ничего не предлагали", lang=lang)
    s = out.summary
    assert s.exposed is None and not s.risks
    assert 1 <= len(s.good_to_know) <= 2 and s.steps and s.contacts
    # a serious risk still shows up to three
    serious = ogoh.assess({"home_country": "TJ", "ru_citizenship": "dual", "military_offer": "employer"}, lang).summary
    assert len(serious.risks) == 3


def test_a_typed_threat_is_answered_before_citizenship_is_known(ogoh, book):
    """"Грозят отобрать патент, если не подпишу контракт" states the threat and nothing else: the
    threat rule waits for citizenship, so the personal answer had no risk and no step at all
    (only a contact). Now the risk the unasked citizenship question decides is shown with "if"
    (short_possible), with its steps; the next question is the one that decides it."""
    out = ogoh.ask("mne ugrozhayut otobrat patent esli ne podpishu kontrakt", lang="ru")
    assert out.facts == {"permit_threat": "yes"}
    s = out.summary
    loc = Localizer(book, "ru")
    risk = next(r for r in s.risks if "permit-threat" in r.rule_ids)
    # The threat is stated, and whatever his citizenship a threat rule holds (permit-threat for a
    # foreigner, threat-russian-citizen for a Russian citizen): a fact, worded as stated, counted
    # by the headline (REVIEW6 #5: it was "If you are threatened …" under "depends on what is not
    # known"). Before: status possible, short_possible.
    assert risk.status == "applies" and risk.text == loc.text("rule.permit-threat.short")
    assert s.headline == loc.text("ui.summary.headline_1")
    assert s.steps[:2] == [x for x in loc.text("rule.permit-threat.steps").splitlines()]
    assert out.next_question is not None and out.next_question.fact_id == "ru_citizenship"


def test_a_call_up_paper_with_citizenship_unknown_shows_both_ways_it_can_go(ogoh, book):
    s = ogoh.assess({"summons": "yes", "home_country": "UZ"}, "ru").summary
    ids = {rid for r in s.risks + s.good_to_know for rid in r.rule_ids}
    assert {"summons-russian-citizen", "summons-foreigner"} <= ids
    assert all(r.status == "possible" for r in s.risks + s.good_to_know if {"summons-russian-citizen", "summons-foreigner"} & set(r.rule_ids))
    # never an event the person did not mention ("if you were detained or threatened")
    assert "pressure-no-protection-at-home" not in ids


def test_pending_risks_only_for_someone_exposed_and_never_in_a_finished_check(ogoh, book):
    from bot.engine.summary import pending_findings

    assert pending_findings(book, assess(book, {"home_country": "UZ", "ru_citizenship": "none", "in_russia": "yes"})) == []
    answers: dict = {"home_country": "TJ", "permit_threat": "yes"}
    for _ in range(len(book.facts) + 1):
        a = assess(book, answers)
        if a.complete:
            break
        answers[a.next_fact] = "dont_know"
    assert a.complete and pending_findings(book, a) == []


def test_a_pending_risk_keeps_its_sources_and_says_what_decides_it(ogoh, book):
    out = ogoh.assess({"permit_threat": "yes"}, "tg")
    finding = next(f for f in out.findings if f.rule_id == "permit-threat")
    assert finding.status == "possible" and finding.citations and finding.detail
    assert finding.note == Localizer(book, "tg").text("ui.summary.pending", facts=Localizer(book, "tg").text("fact.ru_citizenship.label"))
    assert {c.source_id for c in finding.citations} <= {s.source_id for s in out.sources}
    assert "permit-threat" in {rid for r in out.summary.risks for rid in r.rule_ids}


@pytest.mark.parametrize("lang", ["en", "ru", "uz", "tg", "ky", "kk"])
def test_the_exit_ban_for_people_on_mobilization_lists_is_said_with_its_date_and_limit(book, lang):
    """RFE/RL (January 2023, FACTS R5): "no right to go abroad until February 12". The short text
    said "they could not leave Russia": more than the source (no end, no date)."""
    text = book.texts[lang]["rule.naturalized-raids-and-exit.short"].text
    assert "12" in text and "2023" in text.split(";")[-1]


def test_no_if_risk_about_what_the_person_did_not_say(ogoh, book):
    """"Pasportimni olib qoʻyishdi, tojikistonlikman" got "If you apply for a residence permit …
    Decree No. 821" beside the taken passport: the decree waits on an application nobody
    mentioned. A rule waits on unasked facts only if it uses what makes the person exposed."""
    for answers in ({"passport_taken": "yes", "home_country": "TJ"}, {"occupied_job_offer": "yes", "home_country": "KG"}):
        ids = {rid for r in ogoh.assess(answers, "uz").summary.risks for rid in r.rule_ids}
        assert "decree-821-application" not in ids, answers
    ids = {rid for r in ogoh.assess({"status_application": "residence_permit", "home_country": "TJ"}, "uz").summary.risks for rid in r.rule_ids}
    assert "decree-821-application" in ids  # said: I apply for a permit


TYPED_NO_EXPOSURE = {
    "ru": "я из Узбекистана, работаю на стройке, паспорт только узбекский, никто ничего не предлагал",
    "en": "I am from Uzbekistan, I work on a construction site, I only have an Uzbek passport, nobody offered me anything",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_typed_situation_with_no_exposure_says_nothing_points_to_a_risk(ogoh, book, lang):
    """Home UZ, only a home passport, nobody offered anything (typed, so the check is not done):
    the answer opened with "Answer the questions to get an answer about your situation" over the
    Uzbek penalty as "1." — now, as a finished check says it, nothing he wrote points to a
    specific risk, the general warnings are information, and more questions check the rest."""
    loc = Localizer(book, lang)
    out = ogoh.assess({"home_country": "UZ", "ru_citizenship": "none", "military_offer": "no"}, lang)
    s = out.summary
    assert not out.complete and s.exposed is None
    assert s.headline == loc.text("ui.summary.headline_none_so_far")
    assert s.headline != loc.text("ui.summary.headline_incomplete")
    assert not s.risks and s.good_to_know and all(r.severity == "info" for r in s.good_to_know) and len(s.good_to_know) <= 2
    other = ogoh.assess({"home_country": "UZ", "ru_citizenship": "none", "military_offer": "no"}, lang, about="other").summary
    assert other.headline == loc.text(person_key(loc, "ui.summary.headline_none_so_far", "other"))
    # an event he did not tell of, or an "I don't know", is not "nothing points to a risk"
    # ({"home_country": "UZ", "ru_citizenship": "none"} does now: a foreigner cannot be called up, REVIEW6 #10)
    for answers in ({"home_country": "UZ", "summons": "dont_know"},):
        assert ogoh.assess(answers, lang).summary.headline != loc.text("ui.summary.headline_none_so_far"), answers


@pytest.mark.parametrize("lang", sorted(TYPED_NO_EXPOSURE))
def test_the_typed_words_get_the_nothing_points_headline(ogoh, book, lang):
    out = ogoh.ask(TYPED_NO_EXPOSURE[lang], lang=lang)
    assert out.facts.get("military_offer") == "no", out.facts
    assert out.summary.headline == Localizer(book, lang).text("ui.summary.headline_none_so_far")


def test_no_pending_risk_rests_on_an_event_nobody_mentioned(ogoh, book):
    """A KG worker with a call-up paper who never mentioned applying for a permit read three
    Decree 821 steps ("before you apply …"): a status application is an event, never assumed."""
    from bot.engine.summary import event_facts, pending_findings

    assert {"status_application", "summons", "military_offer", "permit_threat", "passport_taken"} <= event_facts(book)
    assert not {"ru_citizenship", "home_country"} & event_facts(book)
    stated = [{"summons": "yes"}, {"military_offer": "employer"}, {"permit_threat": "yes"}, {"passport_taken": "yes"},
              {"occupied_job_offer": "yes"}]
    who = [{}, {"ru_citizenship": "none"}, {"ru_citizenship": "dont_know"}]
    for event, person, home in itertools.product(stated, who, [{}, {"home_country": "KG"}, {"home_country": "TJ"}]):
        a = assess(book, {**event, **person, **home})
        for f in pending_findings(book, a):
            assert not set(f.because) & event_facts(book), (event, person, home, f.rule.id, f.because)
        s = ogoh.assess({**event, **person, **home}, "ru").summary
        assert not {"decree-821-application", "decree-821-contract-length"} & {rid for r in s.risks for rid in r.rule_ids}
        decree_steps = Localizer(book, "ru").text("rule.decree-821-application.steps").splitlines()
        assert not set(decree_steps) & set(s.steps), (event, person, home)


def test_contacts_fit_the_situation(ogoh):
    """Civic Assistance (appeals against expulsion decisions) in no personal answer: no answer says
    an expulsion was decided, and a threat over the permit or police pressure beside the Uzbek
    agency read as a second help for the same (REVIEW7 F9; it stays on the threats card and for a
    question about expulsion, tests/test_out_of_scope_contact.py); Get Lost for Russian citizens
    and for a call-up paper to someone unsure of his citizenship (FACTS H4, H5)."""
    def ids(answers):
        return {c.id for c in ogoh.assess(answers, "ru").summary.contacts}

    assert "civic-assistance" not in ids({"home_country": "KG", "ru_citizenship": "none", "summons": "yes"})
    assert "civic-assistance" not in ids({"home_country": "dont_know", "occupied_job_offer": "yes"})
    assert "civic-assistance" not in ids({"home_country": "KG", "permit_threat": "yes"})
    assert "civic-assistance" not in ids({"home_country": "UZ", "military_offer": "employer", "permit_threat": "yes"})
    assert "civic-assistance" not in ids({"home_country": "KZ", "military_offer": "police"})
    assert "get-lost" in ids({"home_country": "KG", "ru_citizenship": "dont_know", "summons": "yes"})
    assert "get-lost" not in ids({"home_country": "KG", "ru_citizenship": "none", "summons": "yes"})


def test_no_fitting_contact_shows_the_embassy_in_every_face(ogoh, book):
    from bot.telegram.render import summary_card

    from bot.engine.summary import same_step
    from bot.telegram import keyboards

    loc = Localizer(book, "ky")
    out = ogoh.assess({"home_country": "KG", "ru_citizenship": "none", "summons": "yes"}, "ky")
    assert not out.summary.contacts
    # the embassy once: its steps already say it, so no "• Your country's embassy" line repeats it
    # (REVIEW4 R27), and where to get help is a button to tap (R14)
    embassy = loc.text("ui.summary.embassy")
    assert out.summary.help is None and any(same_step(embassy, step) for step in out.summary.steps[:3])
    assert embassy not in summary_card(loc, out)
    assert "T:get-help" in [b.callback_data for row in keyboards.summary(loc, out).inline_keyboard for b in row]
    alone = ogoh.assess({"home_country": "KZ", "ru_citizenship": "none", "military_offer": "no"}, "ky")
    if not alone.summary.contacts and not any(same_step(embassy, st) for st in alone.summary.steps[:3]):
        assert alone.summary.help == embassy and embassy in summary_card(loc, alone)


LEAFLET = {"en": "leaflet", "ru": "листовк", "uz": "varaqa", "uz-Cyrl": "варақа", "tg": "варақа", "ky": "баракча", "kk": "парақша"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_three_steps_come_from_different_risks_and_never_repeat(ogoh, book, lang):
    """A dual citizen read five steps, two of them "find out by when to register … keep proof";
    a call-up paper gave "do not sign a contract at the military office" and "do not sign the
    call-up paper or any contract". The first screen shows three steps: one per risk shown, none
    saying what another says; and no step speaks of a leaflet the person never mentioned."""
    from bot.engine.summary import same_step

    loc = Localizer(book, lang)
    s = ogoh.assess({"home_country": "UZ", "ru_citizenship": "dual", "ru_citizenship_since": "1_to_10_years",
                     "in_russia": "yes", "summons": "no", **NO_EXPOSURE}, lang).summary
    # nothing offered, signed or called up: the home penalty is good to know, worded "if you sign
    # a contract and fight", not a third serious risk (REVIEW7 F4: mobilisation is not mercenarism)
    assert len(s.risks) == 2 and "home-country-penalties" not in {r.topic_id for r in s.risks}
    assert [r.text for r in s.good_to_know] == [loc.text("rule.penalties-uz.short_unexposed")]
    # one per risk, except the penalty at home: "check the exact law with your embassy or a
    # lawyer: we did not read the code" comes after the concrete steps (REVIEW6 #3, #8)
    concrete = [r for r in s.risks if r.topic_id != "home-country-penalties"]
    for step, risk in zip(s.steps, concrete):
        assert any(step in loc.text(f"rule.{rid}.steps").splitlines() for rid in risk.rule_ids), (step, risk.topic_id)
    assert loc.text("rule.penalties-uz.steps") not in s.steps[:3]
    registration = [loc.text(f"rule.{rid}.steps").splitlines()[0] for rid in ("naturalized-military-registration", "citizenship-revocation")]
    assert sum(x in s.steps for x in registration) <= 1, s.steps
    for answers in ({"summons": "yes"}, {"summons": "yes", "home_country": "KG"}, {"military_offer": "migration_center"}):
        steps = ogoh.assess(answers, lang).summary.steps
        assert not any(same_step(a, b) for a, b in itertools.combinations(steps, 2)), (answers, steps)
    for offer in book.facts["military_offer"].options:
        for about in ("self", "other"):
            steps = ogoh.assess({"military_offer": offer, "home_country": "TJ", "ru_citizenship": "none"}, lang, about=about).summary.steps
            assert not any(LEAFLET[lang] in step.lower() for step in steps), (offer, steps)


def test_two_different_steps_are_both_kept(book):
    from bot.engine.summary import same_step

    loc = Localizer(book, "en")
    assert same_step(*[loc.text(f"rule.{r}.steps").splitlines()[0] for r in ("naturalized-military-registration", "citizenship-revocation")])
    assert not same_step("Do not sign the contract, or any paper you are rushed through or have not read.",
                         "Ask for a copy of every paper you are given.")
    assert not same_step("Contact Uzbekistan's Migration Agency, embassy or a consulate.", "Show the paper to your embassy or consulate.")


@pytest.mark.parametrize("lang", LANGS)
def test_a_counted_headline_never_stands_over_an_if(ogoh, book, lang):
    """"Мне пришла повестка, я из Кыргызстана": "Your answers point to 1 serious risk" stood over
    three cards, the first "If you have Russian citizenship …" (Very serious). A headline that
    counts serious risks counts cards that apply; with an "if" beside them it says what the "if"
    means."""
    loc = Localizer(book, lang)
    counted = {loc.text(f"ui.summary.headline_{k}") for k in ("1", "2", "3")}
    # A paper alone is no exposure now (REVIEW6 #3): the Kyrgyz penalty is no longer a counted
    # risk beside the "if", and the "if" waits on a question not asked yet, not on something he
    # does not know (REVIEW6 #5). Before: headline_mixed here.
    s = ogoh.assess({"summons": "yes", "home_country": "KG"}, lang).summary
    assert s.headline == loc.text("ui.summary.headline_pending") != loc.text("ui.summary.headline_possible")
    assert s.risks and all(r.status == "possible" for r in s.risks)
    s = ogoh.assess({"summons": "yes", "home_country": "KG", "military_offer": "employer"}, lang).summary
    assert s.headline == loc.text("ui.summary.headline_mixed")
    assert any(r.status == "possible" for r in s.risks) and any(r.status == "applies" for r in s.risks)
    checked = 0
    for event, who, home in itertools.product(
            [{"summons": "yes"}, {"military_offer": "employer"}, {"permit_threat": "yes"}, {"passport_taken": "yes"}],
            [{}, {"ru_citizenship": "none"}, {"ru_citizenship": "dont_know"}, {"ru_citizenship": "dual"}],
            [{}, {"home_country": "UZ"}, {"home_country": "TJ"}, {"home_country": "dont_know"}]):
        s = ogoh.assess({**event, **who, **home}, lang).summary
        if s.headline in counted:
            checked += 1
            serious = [r for r in s.risks if r.severity in ("critical", "high")]
            assert all(r.status == "applies" for r in serious), ({**event, **who, **home}, s.headline, s.risks)
            assert len(serious) <= int(re.search(r"\d", s.headline).group()), s.headline
    assert checked >= 10


@pytest.mark.parametrize("lang", LANGS)
def test_the_tajik_penalty_is_not_labelled_beyond_its_hedge(ogoh, book, lang):
    """Its text says whether Art. 401 covers the Russian army is not decided and no case was known
    (FACTS T5): labelled "Very serious", the card claimed more than its source."""
    s = ogoh.assess({"home_country": "TJ", "ru_citizenship": "none", "military_offer": "migration_center"}, lang).summary
    risk = next(r for r in s.risks if r.topic_id == "home-country-penalties")
    assert risk.severity == "high" and risk.severity_label == Localizer(book, lang).text("ui.severity.high")
    assert "2025" in risk.text  # "… no case was known as of 2025"
    uz = next(r for r in ogoh.assess({"home_country": "UZ", "ru_citizenship": "none", "military_offer": "migration_center"},
                                     lang).summary.risks if r.topic_id == "home-country-penalties")
    assert uz.severity == "critical"  # Uzbek courts have sentenced returnees


@pytest.mark.parametrize("lang, country", [("uz", "UZ"), ("uz-Cyrl", "UZ"), ("tg", "TJ"), ("ru", None), ("en", None)])
def test_reply_language_hints_at_the_home_country_contacts_when_none_is_given(ogoh, lang, country):
    """'Saxarovoda… kontrakt taklif qilishdi' with no country: the Uzbek Migration Agency (P2.8);
    the hint chooses contacts only, it never becomes the home country. With no hint (Russian,
    English) every country's first channel, as the urgent reply gives them (REVIEW6 #6; before:
    none, only the embassy line)."""
    for answers in ({"military_offer": "migration_center"}, {"home_country": "dont_know", "military_offer": "migration_center"}):
        out = ogoh.assess(answers, lang)
        countries = {c.country for c in out.summary.contacts} - {"any"}
        assert countries == ({country} if country else {"UZ", "TJ"}), (lang, answers, countries)
        assert out.summary.contacts == [] or all(c.label for c in out.summary.contacts)
        assert "home_country" not in answers or answers["home_country"] == "dont_know"
    stated = ogoh.assess({"home_country": "KG", "military_offer": "migration_center"}, lang).summary.contacts
    assert all(c.country in ("KG", "any") for c in stated)  # a stated country wins over the language


@pytest.mark.parametrize("text,lang", [("мне пришла повестка, у меня только паспорт Кыргызстана", "ru"),
                                       ("маган повестка келди, мен Кыргызстанданмын", "ky"),
                                       ("I got a call-up paper, I am a citizen of Kyrgyzstan, no Russian passport", "en"),
                                       ("у меня двойное гражданство Узбекистана и России", "ru")])
def test_one_severity_per_risk_in_one_answer(ogoh, text, lang):
    """One API response said matches[].severity "medium" (Важно) and summary "high" (Серьёзно)
    for the same call-up paper: the topic card shown beside a personal answer carries the person's."""
    out = ogoh.ask(text, lang=lang)
    personal = {r.topic_id: r for r in out.summary.risks + out.summary.good_to_know}
    shared = [m for m in out.matches if m.topic_id in personal]
    assert shared, (out.matches, personal)
    for m in shared:
        assert (m.severity, m.severity_label) == (personal[m.topic_id].severity, personal[m.topic_id].severity_label)
    # the topic card itself (asked on its own) keeps the topic's general severity
    general = ogoh.topic(shared[0].topic_id, lang).topic
    assert general.severity == ogoh.book.topics[shared[0].topic_id].severity.value
