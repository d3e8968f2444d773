"""Contracts 1, 2 and 5: implied answers, severity from exposure, and the sources schema."""

from __future__ import annotations

import pytest

from bot.engine.assess import assess
from bot.engine.i18n import Localizer
from bot.engine.problems import RuleBookError
from bot.engine.rulebook import load_rulebook
from bot.engine.views import render_assessment
from tests.conftest import replace_in

ALL_NO = {"ru_citizenship": "none", "in_russia": "yes", "military_offer": "no", "occupied_job_offer": "no",
          "permit_threat": "no", "summons": "no", "passport_taken": "no", "status_application": "no"}


def errors_of(rules_dir):
    with pytest.raises(RuleBookError) as info:
        load_rulebook(rules_dir)
    return [p for p in info.value.problems if p.level == "error"]


@pytest.mark.parametrize("country", ["UZ", "TJ", "KG", "KZ", "TM", "other"])
def test_home_penalties_are_information_without_exposure(book, country):
    result = assess(book, {**ALL_NO, "home_country": country})
    assert result.exposed is False
    assert result.findings
    assert all(f.effective_severity.value in ("info", "medium") for f in result.findings), [
        (f.rule.id, f.effective_severity) for f in result.findings]


# (A call-up paper is no longer here: to a foreigner it exposes him to nothing, see below.)
@pytest.mark.parametrize("exposure", [{"military_offer": "employer"}, {"permit_threat": "yes"},
                                      {"occupied_job_offer": "yes"}, {"passport_taken": "yes"},
                                      {"ru_citizenship": "dual", "military_offer": "employer"},
                                      {"ru_citizenship": "naturalized", "military_offer": "police"}])
def test_penalties_stay_serious_when_the_answers_show_exposure(book, exposure):
    result = assess(book, {**ALL_NO, "home_country": "UZ", **exposure})
    assert result.exposed is True
    penalty = next(f for f in result.findings if f.rule.id == "penalties-uz")
    assert penalty.effective_severity.value == "critical"
    out = render_assessment(book, result, "ru")
    shown = next(f for f in out.findings if f.rule_id == "penalties-uz")
    assert shown.severity == "critical" and shown.rule_severity == "critical"


@pytest.mark.parametrize("country", ["UZ", "TJ", "KG", "KZ"])
@pytest.mark.parametrize("citizenship", ["dual", "naturalized"])
def test_a_russian_passport_alone_is_no_penalty_at_home(book, country, citizenship):
    """REVIEW7 F4: a mother's 'my son, 19, is a citizen of Russia and Tajikistan, can they take
    him?' read '3. In Tajikistan mercenarism: 12 to 20 years'. Nothing was offered, signed or
    planned, and mobilisation is not mercenarism: he is exposed (his citizenship), yet the penalty
    at home is information, worded for if he signs and fights (short_unexposed)."""
    result = assess(book, {**ALL_NO, "home_country": country, "ru_citizenship": citizenship})
    assert result.exposed is True
    penalty = next(f for f in result.findings if f.rule.id == f"penalties-{country.lower()}")
    assert penalty.effective_severity.value == "info"
    summary = render_assessment(book, result, "ru").summary
    assert "home-country-penalties" not in {r.topic_id for r in summary.risks}
    assert [r.text for r in summary.good_to_know] == [Localizer(book, "ru").text(f"rule.penalties-{country.lower()}.short_unexposed")]
    assert summary.good_to_know[0].text.startswith("Если подписать контракт")


@pytest.mark.parametrize("country", ["UZ", "TJ", "KG", "KZ"])
def test_a_call_up_paper_alone_does_not_expose_a_foreigner(book, country):
    """REVIEW6 #3: a foreigner with a call-up paper and nothing else read "1 serious risk: 12 to 20
    years in prison in Tajikistan". He cannot be called up (FACTS R17): the paper is no exposure,
    and the penalty at home is information for him, worded for if he signs and fights."""
    result = assess(book, {**ALL_NO, "home_country": country, "summons": "yes"})
    assert result.exposed is False
    penalty = next(f for f in result.findings if f.rule.id == f"penalties-{country.lower()}")
    assert penalty.effective_severity.value == "info"
    assert "summons-foreigner" in {f.rule.id for f in result.findings}
    # not beside "I don't know" about his citizenship either (that is no exposure), nor while it is not asked
    for who in ({"ru_citizenship": "dont_know"}, {}):
        answers = {**{k: v for k, v in ALL_NO.items() if k not in ("ru_citizenship", "status_application")},
                   "home_country": country, "summons": "yes", **who}
        assert assess(book, answers).exposed is not True, who
    # a Russian citizen's paper, or an offer beside the paper, is exposure
    assert assess(book, {**ALL_NO, "home_country": country, "summons": "yes", "ru_citizenship": "dual"}).exposed is True
    assert assess(book, {**ALL_NO, "home_country": country, "summons": "yes", "military_offer": "police"}).exposed is True


def test_findings_sorted_by_the_severity_for_this_person(book):
    result = assess(book, {**ALL_NO, "home_country": "KZ"})
    ranks = [f.effective_severity.rank for f in result.findings]
    assert ranks == sorted(ranks, reverse=True)
    out = render_assessment(book, result, "kk")
    assert {f.severity for f in out.findings} <= {"info", "medium"}


def test_implied_answer_counts_as_given_and_is_not_asked(book):
    result = assess(book, {"home_country": "RU"})
    assert result.answers["ru_citizenship"] == "naturalized"
    assert result.implied == {"ru_citizenship": "home_country"}
    assert result.next_fact != "ru_citizenship"
    assert "naturalized-military-registration" in [f.rule.id for f in result.findings]
    out = render_assessment(book, result, "en")
    finding = next(f for f in out.findings if f.rule_id == "naturalized-military-registration")
    assert [(b.fact_id, b.implied_by) for b in finding.because] == [("ru_citizenship", "home_country")]
    # "I don't know" gives way to the implied answer; a different explicit answer is a conflict
    assert assess(book, {"home_country": "RU", "ru_citizenship": "dont_know"}).answers["ru_citizenship"] == "naturalized"
    clash = assess(book, {"home_country": "RU", "ru_citizenship": "none"})
    assert clash.answers["ru_citizenship"] == "none" and clash.conflicts == (("ru_citizenship", "home_country"),)


def test_implies_with_unknown_option_or_value_names_file_and_line(rules_copy):
    line = replace_in(rules_copy / "facts.yaml", "    implies: {RU: {ru_citizenship: naturalized}}\n",
                      "    implies: {XX: {ru_citizenship: russian}}\n")
    errs = errors_of(rules_copy)
    messages = [(p.file, p.line, p.message) for p in errs]
    assert any(f == "rules/facts.yaml" and "'XX' is not an answer of 'home_country'" in m for f, _, m in messages), messages
    assert any("'russian' is not an answer of 'ru_citizenship'" in m and abs(n - line) <= 1 for _, n, m in messages), messages


def test_exposure_condition_errors_name_file_and_line(rules_copy):
    line = replace_in(rules_copy / "rules.yaml", 'or permit_threat == "yes" or occupied_job_offer', 'or permit_thraet == "yes" or occupied_job_offer')
    errs = errors_of(rules_copy)
    assert any(p.file == "rules/rules.yaml" and "unknown fact 'permit_thraet'" in p.message and p.line <= line for p in errs), errs


def test_severity_without_exposure_must_be_lower(rules_copy):
    line = replace_in(rules_copy / "rules.yaml", "    severity: info\n", "    severity: info\n    severity_without_exposure: medium\n")
    errs = errors_of(rules_copy)
    assert any(p.line == line + 1 and "must be lower than severity 'info'" in p.message for p in errs), errs


def test_severity_without_exposure_needs_an_exposure_condition(rules_copy):
    text = (rules_copy / "rules.yaml").read_text(encoding="utf-8")
    start = text.index("exposure: >-")
    end = text.index("rules:\n", start)
    (rules_copy / "rules.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    errs = errors_of(rules_copy)
    assert any("needs a top-level `exposure:`" in p.message for p in errs), errs


def test_publisher_is_a_proper_name_only(rules_copy):
    line = replace_in(rules_copy / "sources.yaml", 'publisher: "Kun.uz"', 'publisher: "Kun.uz, citing RTVI"')
    errs = errors_of(rules_copy)
    assert any(p.file == "rules/sources.yaml" and abs(p.line - line) <= 3 and "proper names only" in p.message for p in errs), errs


def test_via_needs_a_relation(rules_copy):
    replace_in(rules_copy / "sources.yaml", 'publisher: "Kun.uz"', 'publisher: "Kun.uz"\n    via: "RTVI"')
    assert any("via and relation go together" in p.message for p in errors_of(rules_copy))


def test_own_date_note_needs_its_text(rules_copy):
    replace_in(rules_copy / "sources.yaml", 'publisher: "Kun.uz"', 'publisher: "Kun.uz"\n    date_note: text')
    errs = errors_of(rules_copy)
    assert any(p.file == "rules/text/en.yaml" and "source.kunuz-2022-08.date_note" in p.message for p in errs), errs


@pytest.mark.parametrize("lang,expected", [("ru", "сентябрь 2022"), ("uz", "2022-yil sentabr"), ("en", "September 2022"),
                                           ("kk", "2022 жыл, қыркүйек"), ("uz-Cyrl", "2022-йил сентябрь")])
def test_source_dates_are_month_and_year_in_the_reply_language(ogoh, lang, expected):
    out = ogoh.assess({"ru_citizenship": "dual", "home_country": "UZ"}, lang)
    finding = next(f for f in out.findings if f.rule_id == "dual-treated-as-russian")
    georgia = next(c for c in finding.citations if c.source_id == "georgiatoday-2022-09")
    assert georgia.date_text == expected
    assert expected in georgia.line


@pytest.mark.parametrize("lang", ["ru", "uz", "tg", "ky", "kk"])
def test_source_descriptions_are_in_the_reply_language(ogoh, lang):
    english = ("citing", "reprinted", "organisation", "the page shows", "research notes", "as described")
    out = ogoh.assess({"home_country": "UZ", "ru_citizenship": "dual", "military_offer": "online",
                       "occupied_job_offer": "yes", "permit_threat": "yes"}, lang)
    for f in out.findings:
        for c in f.citations:
            for text in (c.publisher_text, c.date_text, c.url_note or "", c.date_note or "", c.note or ""):
                assert not any(w in text for w in english), (lang, c.source_id, text)
            assert c.quote is None or c.quote_lang in ("en", "ru")


@pytest.mark.parametrize("lang", ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"])
def test_a_risk_whose_sources_differ_keeps_its_caveat_on_the_first_screen(book, lang):
    """REVIEW7 F4: the bot's first screen (a risk's `lead`) read '12 to 20 years' without 'whether
    this covers service in the Russian army is unresolved; no case was known up to 2025', which
    the web page showed: a risk whose sources differ is shown whole on every face."""
    for answers in ({"home_country": "TJ", "ru_citizenship": "none", "military_offer": "employer"},
                    {"home_country": "TJ", "ru_citizenship": "dual", "summons": "yes"}):
        summary = render_assessment(book, assess(book, {**ALL_NO, **answers}), lang).summary
        penalty = next(r for r in summary.risks + summary.good_to_know if r.topic_id == "home-country-penalties")
        assert penalty.lead == penalty.text
        caveat = Localizer(book, lang).text("rule.penalties-tj.short").split(". ")[-1].rstrip(".")
        assert caveat in penalty.lead, (answers, penalty.lead)
