"""REVIEW7 F1, F2, F7 and F10 (the Kazakh penalty question), as a worker reads the reply.

F1: «…ду шаҳрвандӣ дорам, маро ба ҷанг мебаранд?» asks whether he can be taken: no "if this is
happening now" block, and never the foreigner's "if you are not a Russian citizen" steps to someone
who stated Russian citizenship. F2: a detained Kyrgyz or Kazakh (no number of his own) gets every
country's published number, as a Russian message does, not only "your embassy" or the
expulsion-appeal NGO. F7 / F10: a stated citizen asking whether to worry reads that nothing points
to a risk, not "answer the questions"."""

from __future__ import annotations

import pytest

UZ_AGENCY = "+7 925 045-47-44"
TJ_MINISTRY = "+7 (495) 967-98-44"


@pytest.fixture(scope="module")
def svc(ogoh):
    from bot.core.service import Service

    return Service(ogoh)


@pytest.mark.parametrize("text", [
    "ман шаҳрванди Тоҷикистон ва Русия ҳастам, ду шаҳрвандӣ дорам, маро ба ҷанг мебаранд?",
    "я туркмен, работаю в казани, нас заставляют идти на войну?",
])
def test_a_question_about_being_taken_is_not_happening_now(svc, text):
    out = svc.ask_now(text)
    assert out.lead is None, out.lead
    assert out.summary is not None


def test_a_dual_citizen_taken_to_the_office_gets_no_foreigner_steps(svc):
    out = svc.ask_now("я гражданин РФ и Таджикистана, меня забрали в военкомат")
    assert out.lead is not None and out.lead.kind == "urgent" and out.lead.steps
    assert not any("не гражданин России" in s for s in out.lead.steps), out.lead.steps
    assert any("не понимаете" in s for s in out.lead.steps)  # do not sign papers you do not understand
    assert any(c.value == TJ_MINISTRY for c in out.lead.card.contacts)  # his country's number


@pytest.mark.parametrize("text", [
    "мени полиция кармап, контракт кол кой дешти",
    "мені полиция ұстады, келісімшартқа қол қой дейді, не істеймін",
])
def test_a_detained_kyrgyz_or_kazakh_gets_every_countrys_number(svc, text):
    out = svc.ask_now(text)
    assert out.lead is not None and out.lead.kind == "urgent"
    shown = {c.value for c in out.lead.card.contacts}
    assert {UZ_AGENCY, TJ_MINISTRY} <= shown and out.lead.card.help  # and the embassy line for the others
    # after "Right": the personal answer's contacts are not the expulsion-appeal NGO alone
    values = [c.value for c in out.summary.contacts]
    assert UZ_AGENCY in values and TJ_MINISTRY in values and out.summary.help


def test_a_stated_kyrgyz_still_gets_his_own_answer(svc):
    """The language hint gives way; a stated country does not (no other country's number)."""
    out = svc.ask_now("мен Кыргызстандын жаранымын, полиция кармап, контракт кол кой дешти")
    assert out.lead is not None
    assert not {c.value for c in out.lead.card.contacts} & {UZ_AGENCY, TJ_MINISTRY}


@pytest.mark.parametrize("text, not_headline", [
    ("мне 45 лет, гражданин узбекистана, просто работаю, бояться чего-то?", "Ответьте на вопросы"),
    ("Қазақстан азаматы Ресей армиясында соғысса не болады", "сұрақтарға жауап беріңіз"),
    ("salom men turkmanistonlikman moskvada ishlayman urushga olib ketishadimi", "savollarga javob bering"),
])
def test_a_stated_citizen_asking_whether_to_worry_reads_nothing_points_to_a_risk(svc, text, not_headline):
    out = svc.ask_now(text)
    assert out.summary is not None
    assert not_headline not in out.summary.headline
    assert out.summary.good_to_know  # what the headline leads into ("Good to know:")


# --- Telegram: the real python-telegram-bot against tests/fake_telegram.py -------------------------

@pytest.fixture(scope="module")
def bot(ogoh):
    from tests.fake_telegram import running_bot
    from tests.test_urgent import TOKEN

    with running_bot(ogoh, TOKEN) as harness:
        yield harness


DUAL = [
    ("tg", "ман шаҳрванди Тоҷикистон ва Русия ҳастам, ду шаҳрвандӣ дорам, маро ба ҷанг мебаранд?"),
    ("ru", "мой сын 19 лет гражданин РФ и Таджикистана, его могут забрать?"),
    ("kk", "менде қазақстан мен ресей азаматтығы бар, повестка келді"),
]


@pytest.mark.parametrize("lang, message", DUAL)
def test_telegram_never_gives_get_losts_link_without_its_caveat(bot, ogoh, lang, message):
    """REVIEW7 F10: the web page says "we have not checked whether it works now" under Get Lost;
    the bot's first screen gave the link alone, on the phone of a dual citizen police may check."""
    from bot.engine.i18n import Localizer
    from tests.fake_telegram import callback_update
    from tests.test_urgent import _chats, replies_to, visible

    chat = next(_chats)
    calls = replies_to(bot, message, lang, chat)
    assert not visible(calls[0]).startswith(Localizer(ogoh.book, lang).text("ui.urgent.now"))  # F1: a question, not an event
    card = next(c for c in calls if any(d.endswith(":ok") for _, d in bot.buttons(c)))
    uid = next(d for _, d in bot.buttons(card) if d.endswith(":ok")).split(":")[1]
    n = len(bot.fake.calls_to("sendMessage"))
    bot.fake.push(callback_update(f"U:{uid}:ok", 5, chat, lang))
    answer = bot.fake.wait_for("sendMessage", since=n, where=lambda c: str(c.params.get("chat_id")) == str(chat) and (
        "iditelesom" in c.params.get("text", "") or any(":X:" in d for _, d in bot.buttons(c))))[-1]
    shown = visible(answer)
    caveat = Localizer(ogoh.book, lang).text("contact.get-lost.caveat")
    assert ("iditelesom" not in shown) or caveat in shown, shown


def test_telegram_detained_kyrgyz_can_tap_a_number_at_once(bot):
    from tests.test_urgent import replies_to, visible

    shown = visible(replies_to(bot, "мени полиция кармап, контракт кол кой дешти", "ky")[0])
    assert UZ_AGENCY in shown and TJ_MINISTRY in shown  # F2: not only "your embassy"
