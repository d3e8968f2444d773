"""Facts from free text: the classes of false readings found on tests/data/dev6 (written blind,
studied by kind), each fixed for every language where the mechanism exists."""

from __future__ import annotations

import pytest

from bot.matcher.facts import extractor_for


@pytest.fixture(scope="module")
def fx(book):
    return extractor_for(book)


@pytest.mark.parametrize("text", [
    # hearsay: the "I" of "I heard" (a verb ending or a word of its own) and the "my" of "my friend"
    # are the one who heard it, not the one it happened to
    "я слышал что в Сахарово забирают паспорта",
    "do'stimdan eshitdim Saxarovoda pasportlarni olib qolishyapti ekan",
    "men eshitdim Saxarovoda kontrakt taklif qilishyapti",
    "Мени ушлашмаган, фақат эшитдим Химкида отделда ҳаммага контракт таклиф қилишяпти экан",
    "аз дустам шунидам ки дар Сахарово паспортҳоро мегиранд",
    "i heard in sakharovo they take passports",
    "мен естідім Сахаровода паспорт алып қояды",
])
def test_hearsay_states_nothing_of_the_writer(fx, text):
    assert fx.extract(text).facts == {}


def test_hearsay_then_ones_own_event(fx):
    got = fx.extract("я слышал что в Сахарово забирают паспорта, у меня тоже забрали паспорт").facts
    assert got == {"passport_taken": "yes"}
