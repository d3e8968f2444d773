"""Facts a message does not state are not reported: the general causes of wrong facts found by
reading what the extractor says on question texts (which mostly ask, not state)."""

from __future__ import annotations

import pytest

from bot.matcher.facts import extractor_for


@pytest.fixture(scope="module")
def fx(book):
    return extractor_for(book)


@pytest.mark.parametrize("text, want", [
    # a negation belongs to the word it touches, not to one farther away across another
    ("povestka keldi grajdanstvo joq", {"summons": "yes"}),
    ("povestka keldi grajdanstvo jok", {"summons": "yes"}),
    ("другу кыргызу на работе вручили повестку он же не гражданин рф", {"summons": "yes", "ru_citizenship": "none", "home_country": "KG"}),
    ("мен рус фуқароси эмасман чақирув қоғозига бориш шартми", {"summons": "yes", "ru_citizenship": "none"}),
    # a Russian «не» after a verb is the next verb's
    ("брат недавно стал гражданином россии его не выпускают за границу", {"ru_citizenship": "naturalized"}),
    # the passport word beside the home country is that country's; the denied one is the Russian one
    ("мен Қазақстан азаматымын орыс паспортым жоқ", {"home_country": "KZ", "ru_citizenship": "none"}),
    # ... and the same fact twice takes the same negation
    ("No one threatened me with deportation", {"permit_threat": "no"}),
    # still: a negation reaches its own word across "me", "him" and a coordinated list
    ("Дядя в Перми, гражданство не получал, у него вид на жительство, повестку ему не приносили", {"in_russia": "yes", "ru_citizenship": "none", "summons": "no"}),
    ("I dont have a residence permit or russian passport, just a patent", {"ru_citizenship": "none"}),
])
def test_a_negation_belongs_to_the_word_it_touches(fx, text, want):
    assert fx.extract(text).facts == want
