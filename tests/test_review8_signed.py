"""A man who has signed already is never told what an offer calls for (REVIEW8 F2): his wife read
"he was offered a contract ... tell him not to sign ... he can refuse: it is an offer, not an order"
under «муж на фронте, подписал контракт в сахарово»."""

from __future__ import annotations

import pytest

from bot.engine.assess import assess
from bot.engine.summary import build_summary
from bot.engine.i18n import Localizer

OFFERS = ["yes", "migration_center", "employer", "police", "online", "acquaintance"]


@pytest.mark.parametrize("lang", ["ru", "uz", "tg", "ky", "kk", "en"])
@pytest.mark.parametrize("offer", OFFERS)
def test_a_signed_contract_brings_no_offer_advice(book, lang, offer):
    facts = {"contract_signed": "yes", "military_offer": offer, "home_country": "UZ", "in_russia": "yes"}
    summary = build_summary(book, assess(book, facts), Localizer(book, lang), "other")
    offer_rules = {r.id for r in book.rules if "military_offer" in r.when}
    shown = {i for r in summary.risks + summary.good_to_know for i in r.rule_ids}
    assert not shown & offer_rules
    # what signing brings stays: the home country's penalty is a serious risk for him
    assert any(r.topic_id == "home-country-penalties" for r in summary.risks)


def test_an_offer_not_signed_still_gets_the_offer_advice(book):
    summary = build_summary(book, assess(book, {"military_offer": "migration_center", "home_country": "UZ"}), Localizer(book, "ru"))
    assert any("offer-military-contract" in r.rule_ids for r in summary.risks)
