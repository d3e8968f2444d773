"""Asking about fighting is not having gone to fight: "can kazakhstan jail me for fighting in
ukraine" states no contract_signed (it read 'yes', and the answer then spoke to a man who had
signed); "I went to fight in Ukraine" does."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text", [
    "can kazakhstan jail me for fighting in ukraine",
    "will I be jailed at home if I fight for Russia",
    "если я поеду воевать, меня посадят дома?",
])
def test_a_question_about_fighting_states_no_signed_contract(ogoh, text):
    assert "contract_signed" not in ogoh.ask(text).facts


@pytest.mark.parametrize("text", ["I went to fight in Ukraine", "брат уехал на СВО"])
def test_having_gone_to_the_war_is_stated(ogoh, text):
    assert ogoh.ask(text).facts.get("contract_signed") == "yes"
