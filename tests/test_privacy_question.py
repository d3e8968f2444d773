"""REVIEW6 #11: «это безопасно? вы храните мои данные?» was answered "Maybe you meant … [Work in
occupied areas]". A question about privacy (rules/lexicon/intents.yaml, family `privacy`) gets
what Ogoh keeps and how to delete it (/forget), in every language and on every face: the API and
the CLI `small_talk` kind "privacy", the bot the privacy notice its Privacy button shows, the web
page what the page keeps."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

from bot.core.service import Service
from bot.engine.i18n import Localizer
from tests.fake_telegram import running_bot, text_update
from tests.test_web import make_client

ASKED = {  # reply language: a privacy question as a worker types it
    "ru": "это безопасно? вы храните мои данные?",
    "en": "is this bot safe? do you store my data?",
    "uz": "bot xavfsizmi? ma'lumotlarimni saqlaysizmi?",
    "uz-Cyrl": "бот хавфсизми? маълумотларимни сақлайсизми?",
    "tg": "шумо маълумотҳоямро нигоҳ медоред?",
    "ky": "сиз менин маалыматтарымды сактайсызбы?",
    "kk": "менің деректерімді сақтайсыз ба?",
}
NOT_PRIVACY = [  # "is it safe?" about a job, "do you give information about …": not about his data
    "предлагают работу в Мариуполе, это безопасно?",
    "is it safe to go to work in Mariupol?",
]


@pytest.mark.parametrize("lang", list(ASKED))
def test_a_privacy_question_gets_what_ogoh_keeps_and_forget_in_every_language(ogoh, lang):
    svc = Service(ogoh)
    out = svc.ask_now(ASKED[lang], prior=lang)
    assert out.reply_lang == lang
    assert "privacy" in out.attention
    assert out.small_talk is not None and out.small_talk.kind == "privacy"
    assert out.small_talk.reply == Localizer(ogoh.book, lang).text("ui.smalltalk.privacy")
    assert "/forget" in out.small_talk.reply
    assert not out.matches and not out.suggestions and out.message is None and out.lead is None


@pytest.mark.parametrize("text", NOT_PRIVACY)
def test_is_it_safe_about_a_job_is_no_privacy_question(ogoh, text):
    out = Service(ogoh).ask_now(text)
    assert out.small_talk is None or out.small_talk.kind != "privacy"


def test_the_api_says_so_and_lists_the_kind(ogoh):
    client = make_client(ogoh, rate_limit_per_minute=100_000)
    body = client.post("/v1/ask", json={"text": ASKED["ru"]}).json()
    assert body["small_talk"]["kind"] == "privacy" and not body["suggestions"]
    enum = client.get("/openapi.json").json()["components"]["schemas"]["SmallTalkOut"]["properties"]["kind"]
    assert "privacy" in str(enum)
    page = client.post("/ask", data={"q": ASKED["ru"], "lang": "ru"}).text
    loc = Localizer(ogoh.book, "ru")
    assert unescape(page).count(loc.text("ui.smalltalk.privacy")) == 1 and loc.text("ui.web.privacy") in unescape(page)
    assert loc.text("topic.occupied-territory-jobs.title") not in unescape(page.split("<footer", 1)[0])


def test_the_bot_answers_with_its_privacy_notice(ogoh):
    with running_bot(ogoh, "123:TEST") as bot:
        fake, chat = bot.fake, 4601
        for lang, text in (("ru", ASKED["ru"]), ("ky", ASKED["ky"])):
            n = len(fake.calls_to("sendMessage"))
            fake.push(text_update(text, chat, lang))
            reply = fake.wait_for("sendMessage", since=n, where=lambda c: str(c.params.get("chat_id")) == str(chat))[-1]
            time.sleep(0.3)
            shown = unescape(re.sub(r"<[^>]+>", "", reply.params["text"]))
            assert Localizer(ogoh.book, lang).text("bot.privacy_notice") in shown and "/forget" in shown
            assert not any(d.startswith("T:") for _, d in bot.buttons(reply))  # no topic it resembles
