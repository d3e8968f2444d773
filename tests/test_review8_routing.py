"""REVIEW8, routing: what a worker reads first for what he wrote (message in -> first screen).

- F5: a message that states one fact which changes the assessment ("ya iz Tadzhikistana prosto
  rabotayu", "I am from Uzbekistan, I just work here") gets the personal answer for it, not "I
  cannot answer that reliably"; where he is alone ("the weather in Moscow") is no situation.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from bot.core.service import Service
from bot.engine.i18n import Localizer
from tests.fake_telegram import running_bot, text_update

# one fact each, no risk, no topic the matcher is sure of
ONE_FACT = [
    ("ru", "ya iz Tadzhikistana prosto rabotayu", "TJ"),
    ("ru", "я из Таджикистана просто работаю", "TJ"),
    ("uz", "salom men qirgizstondanman ishlayman faqat", "KG"),
    ("uz-Cyrl", "мен тожикистонданман", "TJ"),
    ("tg", "Ман аз Тоҷикистон ҳастам, кор мекунам", "TJ"),
    ("ky", "мен кыргызстанданмын", "KG"),
    ("kk", "мен қазақстанданмын, жай жұмыс істеймін", "KZ"),
    ("en", "I am from Uzbekistan, I just work here", "UZ"),
    ("en", "im from khujand", "TJ"),
]


@pytest.fixture(scope="module")
def svc(ogoh):
    return Service(ogoh)


@pytest.mark.parametrize("lang, text, home", ONE_FACT)
def test_one_fact_that_changes_the_answer_gets_the_personal_answer(svc, lang, text, home):
    out = svc.ask_now(text, None, lang)
    loc = Localizer(svc.book, out.reply_lang)
    assert out.facts.get("home_country") == home
    assert svc.understood(out) == {"home_country": home}
    assert out.lead is None and out.summary is not None and not out.summary.risks
    first = out.message or ""
    assert first.startswith(out.summary.headline), first
    assert loc.text("ui.no_match") not in first and loc.text("ui.suggestions") not in first
    assert out.summary.good_to_know  # what is good to know for someone of his country


@pytest.mark.parametrize("lang, text", [("ru", "погода в москве"), ("en", "the weather in Moscow"), ("ru", "я в москве работаю")])
def test_where_he_is_alone_is_no_situation(svc, lang, text):
    out = svc.ask_now(text, None, lang)
    assert not svc.understood(out)
    assert not any(svc.decisive(f, v) for f, v in out.facts.items())


def test_decisive_is_what_a_rule_finds(svc):
    assert svc.decisive("home_country", "KG") and svc.decisive("ru_citizenship", "dual")
    assert svc.decisive("ru_citizenship", "none") and svc.decisive("summons", "yes")
    assert not svc.decisive("in_russia", "yes")


def _visible(call) -> str:
    return unescape(re.sub(r"<[^>]+>", "", call.params["text"]))


def _first_reply(bot, text: str, chat: int, lang: str):
    """Push one message from a user to the bot; the first message it sends back to that chat."""
    bot.fake.push(text_update(text, chat, lang))
    return bot.fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(chat))[0]


def test_telegram_a_stated_country_alone_gets_i_understood_and_a_number(ogoh):
    """The English worker from Uzbekistan, in the bot: "I understood: Home country: Uzbekistan"
    with Right / Change, one step and his country's agency to tap, not "I can't answer that"."""
    loc = Localizer(ogoh.book, "en")
    with running_bot(ogoh, "123:TEST") as bot:
        first = _first_reply(bot, "I am from Uzbekistan, I just work here", 4201, "en")
        text = _visible(first)
        assert loc.text("ui.no_match") not in text
        assert "+7 925 045-47-44" in text  # Uzbekistan's Migration Agency (tashkenttimes-2025-06-contacts)
        assert any(d.startswith("U:") for _, d in bot.buttons(first))  # Right / Change


# --- REVIEW8 #1: forced, detained or taken, and signed already: the signed reply, never "do not sign" ---

SIGNED_UNDER_PRESSURE = [
    ("ru", "меня заставили подписать контракт, я уже подписал"),
    ("ru", "меня забрали в военкомат, я там подписал контракт"),
    ("uz", "menga kontrakt imzolatishdi majburlab, imzoladim"),
    ("uz-Cyrl", "менга контракт имзолатишди мажбурлаб, имзоладим"),
    ("tg", "маро маҷбур карданд, шартнома имзо кардам"),
    ("ky", "мен контрактка кол койдум, мени мажбурлашты"),
    ("kk", "мені мәжбүрлеп келісімшартқа қол қойғызды, мен қол қойдым"),
    ("en", "they forced me to sign a contract, I already signed it"),
    ("en", "I was detained and I signed a contract there"),
]


def _dont_sign_steps(svc, lang: str) -> set[str]:
    """Every urgent topic's steps that tell him not to sign (the line's action, else its words)."""
    from bot.core.replies import FAMILY_TOPIC

    loc = Localizer(svc.book, lang)
    english = Localizer(svc.book, "en")
    out = set()
    for topic in set(FAMILY_TOPIC.values()):
        lines = [s.strip() for s in loc.text(f"topic.{topic}.steps").splitlines() if s.strip()]
        source = [s.strip() for s in english.text(f"topic.{topic}.steps").splitlines() if s.strip()]
        out |= {line for line, en in zip(lines, source, strict=False) if re.search(r"\b(do not|don't) sign|refuse", en, re.I)}
    return out


@pytest.mark.parametrize("lang, text", SIGNED_UNDER_PRESSURE)
def test_signed_under_pressure_gets_the_signed_reply(svc, lang, text):
    out = svc.ask_now(text, None, lang)
    loc = Localizer(svc.book, out.reply_lang)
    assert out.lead is not None and out.lead.kind == "signed", out.lead
    assert out.lead.lead == loc.text("ui.urgent.signed")  # no checked answer on cancelling
    assert out.lead.lead != loc.text("ui.urgent.now")
    assert out.lead.steps and not set(out.lead.steps) & _dont_sign_steps(svc, out.reply_lang)
    assert out.lead.card.id == "home-country-penalties" and out.lead.card.citations  # the steps' sources


def test_a_relative_who_signed_gets_what_the_family_can_do(svc):
    """«бародарам ба ҷанг рафт, шартнома имзо кард» (my brother went to the war, signed a contract):
    the Tajik sister read "If you have already signed, talk to a lawyer before you go home"."""
    out = svc.ask_now("бародарам ба ҷанг рафт, шартнома имзо кард", None, "tg")
    loc = Localizer(svc.book, "tg")
    assert out.about == "other" and out.lead is not None
    family = loc.text("topic.get-help.steps.other").splitlines()[0].strip()
    assert out.lead.steps[0] == family
    signed_self = loc.text("topic.home-country-penalties.steps").splitlines()
    assert not set(out.lead.steps) & {s.strip() for s in signed_self}
    assert out.lead.also == "home-country-penalties"


def test_telegram_forced_and_signed_never_reads_do_not_sign(ogoh):
    loc = Localizer(ogoh.book, "ru")
    with running_bot(ogoh, "123:TEST") as bot:
        first = _first_reply(bot, "меня заставили подписать контракт, я уже подписал", 4202, "ru")
        text = _visible(first)
        assert text.startswith(loc.text("ui.urgent.signed"))
        assert loc.text("ui.urgent.now") not in text
        assert "Ничего не подписывайте" not in text and "не подписывайте" not in text.lower()
        assert "+7 925 045-47-44" in text  # a number to tap (no country stated: every country's)


# --- F6: where no number fits, the line names the countries and says we have none checked ---

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("home", ["KG", "KZ", "TM"])
def test_a_country_with_no_number_is_named_and_said_to_have_none(svc, lang, home):
    loc = Localizer(svc.book, lang)
    out = svc.assess_now({"home_country": home, "ru_citizenship": "none", "summons": "yes"}, lang)
    assert not out.summary.contacts
    line = out.summary.help
    # none where a step already sends him to the embassy (said once, REVIEW4 R27); else his country, named
    assert line is None or line.startswith(loc.text(f"fact.home_country.option.{home}") + ":"), line
    alone = svc.assess_now({"home_country": home, "ru_citizenship": "none", "military_offer": "no"}, lang).summary
    assert alone.help is None or alone.help.startswith(loc.text(f"fact.home_country.option.{home}") + ":"), alone.help
    assert not any(c.country == home for c in svc.book.contacts)  # none invented


@pytest.mark.parametrize("lang", LANGS)
def test_every_countrys_numbers_then_the_others_by_name(svc, lang):
    loc = Localizer(svc.book, lang)
    card = svc.topic_card("work-permit-pressure", lang, "self", None, "home")
    if {c.country for c in card.contacts} >= {"UZ", "TJ"}:
        names = ", ".join(loc.text(f"fact.home_country.option.{c}") for c in ("KG", "KZ", "TM"))
        assert card.help == loc.text("ui.summary.embassy_none", countries=names)


def test_telegram_kyrgyz_reader_reads_which_embassy_and_no_number(ogoh):
    loc = Localizer(ogoh.book, "ky")
    with running_bot(ogoh, "123:TEST") as bot:
        first = _first_reply(bot, "мен кыргызстанданмын", 4203, "ky")
        text = _visible(first)
        assert loc.text("ui.summary.embassy") not in text
        assert loc.text("ui.summary.embassy_none", countries=loc.text("fact.home_country.option.KG")) in text


def test_kyrgyz_threat_to_take_the_patent_unless_he_signs_is_read_and_answered(svc):
    """«келишимге кол кой, болбосо патентти алабыз дешти» (sign, or we take the patent): a threat,
    answered with its serious risk; «биз патентти алабыз» (we will get the patent) is none."""
    for text in ("келишимге кол кой, болбосо патентти алабыз дешти", "болбосо патентти алабыз"):
        out = svc.ask_now(text, None, "ky")
        assert out.facts.get("permit_threat") == "yes", text
        assert out.summary is not None and any("permit-threat" in r.rule_ids for r in out.summary.risks)
        assert (out.message or "").startswith(out.summary.headline) or out.lead is not None
    assert "permit_threat" not in svc.ask_now("биз патентти алабыз", None, "ky").facts


def test_telegram_language_of_short_messages_is_the_users(ogoh):
    """Issue: "Salom" from a user whose Telegram language is Uzbek got a Tajik greeting,
    "voenkomat" an English card, "1" from a Russian user an Uzbek card. Telegram's language_code
    is the prior (session.prior_language): each stays in the user's language."""
    cases = [("Salom", "uz", 4301), ("voenkomat", "ru", 4302), ("voenkomat", "uz", 4303), ("1", "ru", 4304)]
    with running_bot(ogoh, "123:TEST") as bot:
        for text, lang, chat in cases:
            first = _first_reply(bot, text, chat, lang)
            shown = _visible(first)
            loc = Localizer(ogoh.book, lang)
            expected = {"Salom": "ui.smalltalk.greeting", "voenkomat": "ui.suggestions", "1": "ui.no_match"}[text]
            starts = [loc.text(expected)] + ([loc.text(f"topic.{t}.title") for t in ogoh.book.topics] if text == "voenkomat" else [])
            assert any(shown.startswith(s) for s in starts), (text, lang, shown[:80])  # a card or "did you mean", in his language
