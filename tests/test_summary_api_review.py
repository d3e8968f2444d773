"""The personal answer as an NGO integrator reviewed it (REVIEW_API): one more true fact never
takes a serious risk away (#4); a risk's text is shown whole in every language (#6)."""

from __future__ import annotations

import itertools

import pytest

from bot.engine.assess import assess
from bot.engine.i18n import Localizer
from bot.engine.rulebook import SHORT_CHARS
from bot.engine.summary import MAX_RISKS, build_summary

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
# Answers that tell of something that happened (each exposes the person on its own).
EVENTS = [("military_offer", "yes"), ("military_offer", "employer"), ("military_offer", "migration_center"),
          ("military_offer", "police"), ("military_offer", "online"), ("permit_threat", "yes"), ("summons", "yes"),
          ("occupied_job_offer", "yes"), ("passport_taken", "yes"), ("status_application", "citizenship"),
          ("status_application", "residence_permit")]


@pytest.mark.parametrize("lang", LANGS)
def test_who_offered_does_not_remove_the_permit_threat(ogoh, lang):
    """«работодатель угрожает аннулировать патент, если не подпишу контракт»: with the employer
    read as the offerer, the threat over the patent (critical, "if" while citizenship is not
    known) was no longer in the answer; only the offer was."""
    threat_only = ogoh.assess({"permit_threat": "yes"}, lang=lang).summary
    both = ogoh.assess({"permit_threat": "yes", "military_offer": "employer"}, lang=lang).summary
    assert "work-permit-pressure" in [r.topic_id for r in threat_only.risks]
    risk = next(r for r in both.risks if r.topic_id == "work-permit-pressure")
    # the threat is stated: whatever his citizenship a threat rule holds, so it applies and is
    # counted (REVIEW6 #5; it was "possible" while citizenship was not known)
    assert risk.severity == "critical" and risk.status == "applies"
    assert [r.topic_id for r in both.risks][:2] == ["recruitment-offers", "work-permit-pressure"]
    # the headline does not count "1 serious risk" over two
    assert both.headline != ogoh.assess({"military_offer": "employer"}, lang=lang).summary.headline
    assert both.headline == Localizer(ogoh.book, lang).text("ui.summary.headline_2")


def test_one_more_event_never_removes_a_serious_risk(book):
    """Every pair of events (and each with a home country or "no Russian citizenship"): the
    serious risks of the smaller situation are all still listed, unless the list is full."""
    loc = Localizer(book, "en")

    def risks(answers):
        return {r.topic_id for r in build_summary(book, assess(book, answers), loc).risks}

    lost = []
    for extra in ({}, {"home_country": "UZ"}, {"home_country": "TJ"}, {"ru_citizenship": "none"}):
        for (f1, v1), (f2, v2) in itertools.permutations(EVENTS, 2):
            if f1 == f2 or f1 in extra or f2 in extra:
                continue
            before = risks({**extra, f1: v1})
            after = risks({**extra, f1: v1, f2: v2})
            if len(after) < MAX_RISKS and before - after:
                lost.append((extra, f1, v1, f2, v2, sorted(before - after)))
    assert lost == []


def test_decree_821_stays_beside_a_foreigners_call_up_paper(book):
    """A citizenship application and a call-up paper: Decree 821 (high, "if") speaks for its topic,
    not the foreigner's call-up paper (medium) of the same topic, which hid it."""
    s = build_summary(book, assess(book, {"status_application": "citizenship", "summons": "yes"}), Localizer(book, "ru"))
    assert "foreigner-conscription" in [r.topic_id for r in s.risks]


def short_keys(book):
    return sorted(k for k in book.texts[book.source_language] if k.startswith("rule.") and ".short" in k)


@pytest.mark.parametrize("lang", LANGS)
def test_every_risk_text_is_shown_whole(book, lang):
    """The summary cut a text over 300 characters, in 5 languages mid-sentence: the Uzbek, Tajik,
    Kyrgyz, Kazakh and Uzbek Cyrillic permit-threat risk lost "those who sign are almost certain to
    go to the front". Every risk text, in every language, fits whole."""
    loc = Localizer(book, lang)
    long = {k: len(loc.text(k)) for k in short_keys(book) if len(" ".join(loc.text(k).split())) > SHORT_CHARS}
    assert long == {}


@pytest.mark.parametrize("lang", ["uz", "uz-Cyrl", "tg", "ky", "kk"])
def test_permit_threat_says_signers_go_to_the_front(ogoh, lang):
    s = ogoh.assess({"home_country": "UZ", "ru_citizenship": "none", "permit_threat": "yes"}, lang=lang).summary
    text = next(r.text for r in s.risks if r.topic_id == "work-permit-pressure")
    assert not text.endswith("…") and text.endswith(".")
    assert text == " ".join(Localizer(ogoh.book, lang).text("rule.permit-threat.short").split())


@pytest.mark.parametrize("lang", LANGS)
def test_citizen_since_beside_no_citizenship_is_flagged(ogoh, lang):
    """{"ru_citizenship": "none", "ru_citizenship_since": "over_10_years"} was taken without a
    word; "only Russian citizenship" beside "none" had the contradiction note (REVIEW_API #14)."""
    loc = Localizer(ogoh.book, lang)
    note = loc.text("ui.summary.conflict", facts="").split("(")[0].strip()
    clash = ogoh.assess({"ru_citizenship": "none", "ru_citizenship_since": "over_10_years"}, lang=lang).summary
    assert any(n.startswith(note) for n in clash.notes), clash.notes
    for fine in ({"ru_citizenship": "dual", "ru_citizenship_since": "over_10_years"},
                 {"ru_citizenship": "dont_know", "ru_citizenship_since": "over_10_years"},
                 {"ru_citizenship": "dual", "status_application": "no"}):
        assert not any(n.startswith(note) for n in ogoh.assess(fine, lang=lang).summary.notes), fine


def test_disclaimer_gives_the_oldest_date_relied_on(book):
    """«Проверено: декабрь 2026» came from the newest as_of: once topics are checked at different
    times, the answer said it was fresher than its stalest part."""
    import datetime as dt

    from bot.engine.views import disclaimer

    for lang in LANGS:
        loc = Localizer(book, lang)
        old, new = dt.date(2025, 3, 1), dt.date(2026, 12, 1)
        text = disclaimer(loc, [new, old])
        assert loc.date(old) in text and loc.date(new) not in text
        oldest = min(t.as_of for t in book.topics.values())
        assert loc.date(oldest) in disclaimer(loc, [])


def test_summary_order_is_the_documented_one(ogoh):
    """KZ, no Russian citizenship, applying for citizenship: Decree 821 (high) before the penalty at
    home (critical) is the documented order (the event first); findings stay most severe first."""
    out = ogoh.assess({"ru_citizenship": "none", "status_application": "citizenship", "home_country": "KZ"}, lang="en")
    assert [r.topic_id for r in out.summary.risks] == ["foreigner-conscription", "home-country-penalties"]
    ranks = {"critical": 3, "high": 2, "medium": 1, "info": 0}
    assert [ranks[f.severity] for f in out.findings] == sorted((ranks[f.severity] for f in out.findings), reverse=True)
    schema = type(out.summary).model_json_schema()["properties"]["risks"]["description"]
    assert "two steps lower" in schema


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_turkmen_penalty_is_not_good_to_know(ogoh, lang):
    """Turkmenistan is the one country whose penalty we do not know: it was labelled "info / Good to
    know" while exposure was unknown. It is "Important" and its text says the penalty is unknown."""
    loc = Localizer(ogoh.book, lang)
    s = ogoh.assess({"home_country": "TM"}, lang=lang).summary
    risk = next(r for r in s.risks + s.good_to_know if r.topic_id == "home-country-penalties")
    assert risk.severity == "medium" and risk.severity_label == loc.text("ui.severity.medium") != loc.text("ui.severity.info")
    # worded for if he signs and fights while nothing shows him exposed (REVIEW6 #3)
    assert risk.text == " ".join(loc.text("rule.penalties-tm.short_unexposed").split())
    # exposed: a serious risk
    exposed = ogoh.assess({"home_country": "TM", "military_offer": "employer"}, lang=lang).summary
    assert "home-country-penalties" in [r.topic_id for r in exposed.risks]
    assert next(r for r in exposed.risks if r.topic_id == "home-country-penalties").text == " ".join(
        loc.text("rule.penalties-tm.short").split())


@pytest.mark.parametrize("text", ["I'm from Turkmenistan, what happens to me at home if I join the Russian army?",
                                  "я из Туркменистана, что мне будет дома, если я пойду воевать за Россию"])
def test_match_severity_fields_say_whose_they_are(ogoh, text):
    """matches[].severity is the person's when a situation is stated (personal: true) and
    topic_severity is always the topic's, as /v1/topics gives it (REVIEW_API #5)."""
    out = ogoh.ask(text)
    topics = {t.id: t.severity for t in ogoh.topics("en").topics}
    assert out.matches
    for m in out.matches:
        assert m.topic_severity == topics[m.topic_id]
        if m.personal:
            item = next(r for r in out.summary.risks + out.summary.good_to_know if r.topic_id == m.topic_id)
            assert (m.severity, m.severity_label) == (item.severity, item.severity_label)
        else:
            assert m.severity == m.topic_severity
    penalty = [m for m in out.matches if m.topic_id == "home-country-penalties"]
    assert penalty and penalty[0].severity != "info"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("home,severity", [("UZ", "critical"), ("TJ", "high"), ("KG", "critical"), ("KZ", "critical"), ("TM", "high")])
def test_who_already_signed_gets_the_home_penalty_as_a_serious_risk(ogoh, lang, home, severity):
    """Someone who already signed or went to the war (REVIEW_API #1): the penalty at home was
    "info / Good to know" and the headline said nothing points to a risk. It is a serious risk,
    with the penalty rule's own sources, for him and for a relative asking about him."""
    for about in ("self", "other"):
        out = ogoh.assess({"contract_signed": "yes", "home_country": home}, lang=lang, about=about)
        assert out.exposed is True
        risk = next(r for r in out.summary.risks if r.topic_id == "home-country-penalties")
        assert risk.severity == severity and risk.status == "applies"
        rule = next(r for r in ogoh.book.rules if r.id == f"penalties-{home.lower()}")
        assert risk.source_ids == list(dict.fromkeys(c.source for c in rule.citations))
        assert out.summary.headline == Localizer(ogoh.book, lang).text(
            "ui.summary.headline_1" + (".other" if about == "other" else ""))


@pytest.mark.parametrize("text,home", [
    ("я уже подписал контракт в военкомате, я гражданин Узбекистана, что теперь будет", "UZ"),
    # "не выходит на связь" is no negation of what he did: no "nobody offered him anything" made up
    ("брат пропал, уехал на СВО и не выходит на связь, он из Таджикистана", "TJ"),
    ("мой муж уехал воевать на СВО по контракту, он из Узбекистана", "UZ"),
    ("he went to fight in Ukraine, we are from Kyrgyzstan", "KG"),
    ("akam SVOga ketdi, telefon ko'tarmayapti, biz O'zbekistondanmiz", "UZ"),
])
def test_a_message_saying_he_already_went_reads_the_fact(ogoh, text, home):
    out = ogoh.ask(text)
    assert out.facts.get("contract_signed") == "yes" and out.facts.get("home_country") == home
    assert out.facts.get("military_offer") != "no"
    assert "home-country-penalties" in [r.topic_id for r in out.summary.risks]


@pytest.mark.parametrize("text", ["я не подписал контракт, что будет если подпишу?",
                                  "что будет если я подпишу контракт, я из Узбекистана",
                                  "мне предложили контракт в Сахарово, я из Узбекистана",
                                  "I did not sign anything, they offered me a contract"])
def test_an_offer_or_a_question_is_not_a_signed_contract(ogoh, text):
    assert "contract_signed" not in ogoh.ask(text).facts
