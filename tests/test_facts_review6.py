"""Facts from free text: REVIEW6 #4, facts made up from what a message does not state."""

from __future__ import annotations

import pytest

from bot.matcher.facts import extractor_for


@pytest.fixture(scope="module")
def fx(book):
    return extractor_for(book)


@pytest.mark.parametrize("text, want", [
    # an age is not the time since one got citizenship; "citizen of Russia and Tajikistan" is dual
    ("мой сын 19 лет гражданин РФ и Таджикистана, его могут забрать?", {"ru_citizenship": "dual", "home_country": "TJ"}),
    ("я гражданин Узбекистана и России", {"ru_citizenship": "dual", "home_country": "UZ"}),
    ("rossiya va o'zbekiston fuqarosiman", {"ru_citizenship": "dual", "home_country": "UZ"}),
    ("my son is 19 years old, citizen of Russia and Tajikistan", {"ru_citizenship": "dual", "home_country": "TJ"}),
])
def test_age_and_two_citizenships(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, guess", [
    # a guess ("maybe he went to war") states no contract; without it the same words do
    ("akam urushga ketgan", "akam yo'qolib qoldi, urushga ketgan bo'lishi mumkin"),
    ("бародарам ба ҷанг рафт", "бародарам шояд ба ҷанг рафт"),
    ("агам согушка кетти", "агам согушка кеткен болушу мүмкүн"),
    ("ағам соғысқа кетті", "ағам соғысқа кеткен болуы мүмкін"),
])
def test_a_guess_is_not_stated(fx, text, guess):
    assert fx.extract(text).facts.get("contract_signed") == "yes"
    assert "contract_signed" not in fx.extract(guess).facts


def test_a_guessed_time_is_not_known(fx):
    got = fx.extract("got Russian citizenship maybe 10 or 11 yrs ago not sure, gave back my uzbek passport").facts
    assert got["ru_citizenship"] == "naturalized" and got["ru_citizenship_since"] == "dont_know"
