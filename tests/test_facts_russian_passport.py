"""A worker who says he holds a Russian passport and names no other is read as a Russian citizen
(REVIEW8 #1: "у меня паспорт рф, пришла повестка" was answered "a foreigner cannot be called up").
Russian citizenship he only asks about, doubts, is told not to take, or that belongs to someone
else stays unread."""

from __future__ import annotations

import pytest

from bot.matcher.facts import extractor_for


@pytest.fixture(scope="module")
def extractor(book):
    return extractor_for(book)  # the service's extractor, from the shared rule book (conftest)


@pytest.mark.parametrize("text", [
    "у меня паспорт рф, пришла повестка",
    "у меня гражданство рф",
    "I have a Russian passport, got a summons",
    "rossiya pasporti bor, povestka keldi",
    "пасспорти рус дорам",
    "ресей паспорты бар",
    "россия паспортум бар",
])
def test_a_russian_passport_stated_alone_is_russian_citizenship(extractor, text):
    assert extractor.extract(text).facts.get("ru_citizenship") == "naturalized"


@pytest.mark.parametrize("text", [
    "если у меня паспорт рф меня могут призвать?",   # asked, conditional
    "у мигрантов с паспортом рф могут быть проблемы",  # people in general
    "Әкем ресей азаматтығын алма дейді, әлі ойланып жүрмін",  # told not to take it
    "my father says dont take russian citizenship, still thinking",
    "Уулум Россиянын жараны, 20 жашта, ошол жакта туулган. Повестка келди.",  # the son's, born there
])
def test_russian_citizenship_not_stated_as_his_own_is_not_read(extractor, text):
    assert extractor.extract(text).facts.get("ru_citizenship") != "naturalized"
