"""Urgent wordings a reviewer found unanswered (REVIEW6 #1, #2): a Tajik family whose brother is
being sent to the war gets the family reply; a Kyrgyz worker held by the police and told to sign
gets the urgent reply at once. Holding a phone in one's hand ("кармап") is no detention."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, attention, about", [
    ("бародарамро дар Москва гирифтанд, ба ҷанг мефиристанд, чӣ кор кунем", "drafted", "other"),
    ("мени полиция кармап, контракт кол кой дешти", "detained", "self"),
])
def test_an_urgent_message_leads_with_what_to_do_now(ogoh, text, attention, about):
    from bot.core.service import Service

    out = Service(ogoh).ask_now(text)
    assert attention in out.attention and out.about == about
    assert out.lead is not None and out.lead.steps


def test_holding_a_phone_is_no_detention(ogoh):
    assert ogoh.ask("колума телефон кармап турам").attention == []


def test_the_cli_shows_the_personal_answer_of_a_stated_situation(capsys):
    """`ogoh ask` in text mode (REVIEW6 #7): the flagship message printed only "did you mean"."""
    from bot.cli import main

    main(["ask", "я гражданин узбекистана, паспорта рф нет, в миграционном центре предложили контракт, "
                 "сказали не подпишешь заберут патент"])
    out = capsys.readouterr().out
    assert "серьёзн" in out.splitlines()[0]  # the headline first: "... 3 серьёзных риска"
    assert "+7 925 045-47-44" in out  # the Uzbek Migration Agency, to tap
