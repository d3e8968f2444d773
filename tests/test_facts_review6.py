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
