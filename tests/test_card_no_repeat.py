"""A topic card never says the same thing twice on its first screen: a country's own sentence that
already says "contact your embassy or consulate" (no confirmed hotline for Kazakhstan or
Turkmenistan) is not followed by the topic's "Contact your country's embassy or consulate."
(REVIEW_API #8: in every language, twice in a row)."""

from __future__ import annotations

import pytest

from bot.core.cards import _said_in
from bot.core.service import Service
from bot.engine.sentences import split_answer
from bot.engine.summary import HOME_COUNTRIES

LANGS = ["en", "ru", "uz", "uz-Cyrl", "tg", "ky", "kk"]


@pytest.fixture(scope="module")
def service(ogoh):
    return Service(ogoh)


def sentences(text: str) -> list[str]:
    out = []
    while text:
        first, text = split_answer(text, 1)
        out.append(first)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_no_sentence_of_a_cards_lead_repeats_the_one_before(service, lang):
    repeated = []
    for topic_id in service.book.topics:
        for home in [None, *HOME_COUNTRIES]:
            lead = service.topic_card(topic_id, lang, home=home).lead
            said = sentences(lead)
            repeated += [(topic_id, home, b) for a, b in zip(said, said[1:], strict=False) if _said_in(b, a)]
    assert repeated == []


@pytest.mark.parametrize("lang", LANGS)
def test_where_we_know_no_hotline_the_card_says_contact_your_embassy_once(service, lang):
    loc = service.localizer(lang)
    embassy = split_answer(loc.text("topic.get-help.answer"), 1)[0]
    for home in ("KZ", "TM"):
        lead = service.topic_card("get-help", lang, home=home).lead
        assert lead and embassy not in lead, (home, lead)
