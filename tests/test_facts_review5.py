"""Facts from free text: REVIEW5 findings on facts and the general mechanisms behind dev5's misses."""

from __future__ import annotations

import pytest

from bot.matcher.facts import extractor_for


@pytest.fixture(scope="module")
def fx(book):
    return extractor_for(book)


@pytest.mark.parametrize("text, want", [
    # F27: making someone sign, forcing, pressing is an offer (by someone not said), in every language
    ("інім ресейде жұмыс істейді, оны әскерге келісімшартқа қол қойдырмақ", {"in_russia": "yes", "military_offer": "yes"}),
    ("күйөөмдү контрактка кол койдурганы жатышат", {"military_offer": "yes"}),
    ("kontraktga majburlashyapti", {"military_offer": "yes"}),
    ("маро мачбур мекунанд контракт имзо кунам", {"military_offer": "yes"}),
    ("меня заставляют подписать контракт", {"military_offer": "yes"}),
    ("they forced me to sign a contract", {"military_offer": "yes"}),
    # F20: a contract offered, Tajik "шартнома" with the verb of offering
    ("шиносномаи русия надорам ба ман шартнома пешниҳод карданд", {"ru_citizenship": "none", "military_offer": "yes"}),
])
def test_pushing_to_sign_is_an_offer(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text", [
    # F29: pre-trial detention, an investigator, a contract instead of a sentence: the police's offer
    "брат в сизо, ему предлагают контракт вместо срока",
    "my brother is in pre-trial detention, the investigator offers him a contract instead of prison",
    "ukam sizoda, tergovchi kontrakt taklif qilyapti",
    "укам дар сизо, муфаттиш контракт пешниҳод мекунад",
])
def test_a_contract_instead_of_a_sentence_is_offered_by_the_police(fx, text):
    got = fx.extract(text)
    assert got.facts == {"military_offer": "police"} and got.about == "other"


def test_kyrgyz_brother_got_russian_citizenship(fx):
    # F6: "орусиянын жарандыгын алган" (has got Russia's citizenship)
    got = fx.extract("агам орусиянын жарандыгын алган, ага повестка келди, эмне кылат")
    assert got.facts == {"summons": "yes", "ru_citizenship": "naturalized"} and got.about == "other"
