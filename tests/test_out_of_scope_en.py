"""REVIEW5 F7 (English): "my boss doesn't pay my salary" got "I can't answer that reliably" and
nine topic buttons in the bot, while the same question in every other language got the honest
out-of-scope reply."""

from __future__ import annotations

import re
from html import unescape

import pytest

from bot.core.service import Service
from tests.fake_telegram import running_bot, text_update

TOKEN = "123:OUTOFSCOPEEN"
QUESTIONS = ["my boss doesn't pay my salary", "my boss does not pay my salary", "boss not paying me"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_an_unpaid_salary_in_english_is_said_to_be_outside_ogoh(ogoh, question):
    out = Service(ogoh).ask_now(question, "en")
    assert "out_of_scope" in out.attention and not out.matches


def test_the_bot_says_so_in_english(ogoh):
    said = ogoh.book.texts["en"]["ui.out_of_scope"].text
    with running_bot(ogoh, TOKEN) as bot:
        bot.fake.push(text_update(QUESTIONS[0], 5201, "en"))
        sent = bot.fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "5201")[-1]
    text = unescape(re.sub(r"<[^>]+>", "", sent.params["text"]))
    assert text.startswith(said[:40]) and "can't answer that reliably" not in text
