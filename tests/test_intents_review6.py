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
