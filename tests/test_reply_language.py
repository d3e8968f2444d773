"""The reply language (issue 12 item 4): the language the user chose, else Telegram's
language_code, else the browser's Accept-Language is the prior, left only on strong evidence in
the text; small talk and gibberish are answered in the prior (no prior: the default language).
The bot is the real python-telegram-bot against tests/fake_telegram.py."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.fake_telegram import callback_update, running_bot, text_update
from tests.test_api import make_client

TOKEN = "123:TEST"
UZ_SUMMONS = "bugun menga povestka keldi endi nma qilay"  # Uzbek Latin with a Russian word in translit


@pytest.fixture()
def bot(ogoh):
    with running_bot(ogoh, TOKEN) as harness:
        yield harness


def visible(call) -> str:
    return unescape(re.sub(r"<[^>]+>", "", call.params["text"]))


def sent(bot, chat: int, since: int = 0, count: int = 1, where=None):
    return bot.fake.wait_for("sendMessage", count=count, since=since,
                             where=lambda c: str(c.params.get("chat_id")) == str(chat) and (where is None or where(c)))


def text(ogoh, lang: str, key: str) -> str:
    return ogoh.book.texts[lang][key].text


@pytest.mark.parametrize("code", ["uz", "uz-UZ"])
def test_a_new_user_with_telegram_in_uzbek_gets_uzbek_small_talk(bot, ogoh, code):
    chat = 5201 if code == "uz" else 5202
    for words in ("salom", "rahmat katta"):
        n = len(bot.fake.calls_to("sendMessage"))
        bot.fake.push(text_update(words, chat, code))
        reply = sent(bot, chat, since=n)[-1]
        kind = ogoh.ask(words, "uz").small_talk.kind
        assert visible(reply) == text(ogoh, "uz", f"ui.smalltalk.{kind}")
        assert visible(reply) != text(ogoh, "tg", f"ui.smalltalk.{kind}")  # was the Tajik greeting


@pytest.mark.parametrize("code", ["uz", "ru"])  # Telegram in Uzbek; in Russian, the text clearly Uzbek
def test_a_new_uzbek_user_gets_card_answer_and_next_question_in_uzbek(bot, ogoh, code):
    chat = 5203 if code == "uz" else 5205
    bot.fake.push(text_update(UZ_SUMMONS, chat, code))
    card = sent(bot, chat, where=lambda c: "U:" in str(c.params.get("reply_markup")))[-1]
    assert visible(card).startswith(text(ogoh, "uz", "ui.understood.intro"))  # was Kazakh
    assert text(ogoh, "uz", "fact.summons.label") in visible(card)
    uid = re.search(r"U:([0-9a-f]+):ok", str(card.params["reply_markup"])).group(1)
    n = len(bot.fake.calls_to("sendMessage"))
    bot.fake.push(callback_update(f"U:{uid}:ok", 5, chat, code))
    expected = ogoh.assess({"summons": "yes"}, "uz")
    answer = sent(bot, chat, since=n, where=lambda c: expected.summary.headline in visible(c))[-1]
    assert expected.summary.headline in visible(answer)
    question = sent(bot, chat, since=n, where=lambda c: "'a:" in str(c.params.get("reply_markup")))[-1]
    # "more questions will refine this" opens the next question (it no longer pushes the risks off
    # the answer's first screen), in Uzbek too
    assert text(ogoh, "uz", "ui.understood.more_questions") in visible(question)
    asked = expected.next_question
    assert asked is not None and asked.question in visible(question)  # the next check question, in Uzbek
    assert ogoh.assess({"summons": "yes"}, "kk").next_question.question not in visible(question)


def test_a_chosen_language_is_kept_for_small_talk_in_the_script_typed(bot, ogoh):
    chat = 5204
    bot.fake.push(callback_update("L:uz", 5, chat, "ru"))  # chose Oʻzbekcha; Telegram in Russian
    sent(bot, chat)
    n = len(bot.fake.calls_to("sendMessage"))
    bot.fake.push(text_update("салом", chat, "ru"))
    reply = sent(bot, chat, since=n)[-1]
    assert visible(reply) == ogoh.ask("салом", "uz-Cyrl").small_talk.reply  # Uzbek, in the script typed
    assert visible(reply) != ogoh.ask("салом", "tg").small_talk.reply


def test_web_question_box_uses_the_browsers_language_as_the_prior(ogoh):
    client = make_client(ogoh, rate_limit_per_minute=100_000)
    for words in ("salom", UZ_SUMMONS, "povestka keldi"):
        page = client.post("/ask", data={"q": words}, headers={"Accept-Language": "uz-UZ,uz;q=0.9,ru;q=0.5"})
        assert page.status_code == 200 and '<html lang="uz"' in page.text, words
    page = client.post("/ask", data={"q": "qwrtzp"}, headers={"Accept-Language": "ky"})
    assert '<html lang="ky"' in page.text  # gibberish: the prior


def test_api_reply_language_with_and_without_lang(ogoh):
    client = make_client(ogoh, rate_limit_per_minute=100_000)

    def reply(words: str, **kwargs) -> str:
        headers = kwargs.pop("headers", {})
        return client.post("/v1/ask", json={"text": words, **kwargs}, headers=headers).json()["reply_lang"]

    assert reply(UZ_SUMMONS) == "uz"  # was kk
    assert reply("salom") == "uz"  # Latin letters: not the Tajik greeting
    assert reply("qwrtzp") == "ru"  # no evidence of any language: the default, not English
    assert reply("qwrtzp", headers={"Accept-Language": "tg"}) == "tg"
    assert reply("salom", headers={"Accept-Language": "uz"}) == "uz"
    assert reply("салом", headers={"Accept-Language": "uz"}) == "uz-Cyrl"
    assert reply(UZ_SUMMONS, lang="kk") == "kk"  # `lang` given: the reply's language, whatever the text


@pytest.mark.parametrize("words, lang", [
    ("маған повестка келді, не істеуім керек", "kk"),
    ("мен Кыргызстандан келдим, мага повестка келди, эмне кылышым керек", "ky"),
    ("ба ман повестка омад, чӣ кор кунам", "tg"),
    ("мне пришла повестка, а паспорта России у меня нет, что теперь делать", "ru"),
    ("I got a call-up paper but I am not a Russian citizen, what now", "en"),
])
def test_a_text_clearly_in_another_language_switches_from_the_prior(ogoh, words, lang):
    for prior in ("ru", "uz", "en"):
        assert ogoh.ask(words, None, prior).reply_lang == lang
    assert ogoh.ask(words).reply_lang == lang


@pytest.mark.parametrize("words", ["salom", "rahmat", "voenkomat", "povestka keldi", "1", "asdfgh", "ok"])
def test_small_talk_single_words_and_gibberish_never_switch_from_the_prior(ogoh, words):
    for prior in ("ru", "uz", "tg", "ky", "kk", "en"):
        assert ogoh.ask(words, None, prior).reply_lang == prior
