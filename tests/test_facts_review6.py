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


@pytest.mark.parametrize("text, want", [
    # offered something on the condition of serving is an offer; Sakharovo is the migration centre
    ("сахарово предложили гражданство быстро если пойду служить", {"in_russia": "yes", "military_offer": "migration_center"}),
    ("they offered me citizenship fast if i go serve", {"military_offer": "yes"}),
    # a leaflet handed about contract service is an offer, in every language
    ("they gave me a leaflet about contract service with 5 million rubles", {"military_offer": "yes"}),
    ("дали листовку про контракт на 5 миллионов", {"military_offer": "yes"}),
    ("menga kontrakt haqida varaqa berishdi", {"military_offer": "yes"}),
    ("ба ман варақа дар бораи контракт доданд", {"military_offer": "yes"}),
    ("мага контракт жөнүндө баракча беришти", {"military_offer": "yes"}),
    ("маған келісімшарт туралы парақша берді", {"military_offer": "yes"}),
])
def test_offers_on_condition_and_leaflets(fx, text, want):
    assert fx.extract(text).facts == want
