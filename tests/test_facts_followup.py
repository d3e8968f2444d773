"""Facts from free text: the NGO API review's follow-up (/tmp/s5/FACTS_FOLLOWUP.md #2, #3, #5, #7).

- fear is not a threat: "теперь боюсь депортации" says what the writer fears, not that anyone threatened;
- a threat to take the patent, with a condition in the verb ("согушка барбасаң патентиңди алып коёбуз");
- "I am his wife": a relative writing about him, the facts are his (about "other");
- a relative gone to the war who does not answer the phone is the `missing` attention."""

from __future__ import annotations

import pytest

from bot.matcher.facts import extractor_for
from bot.matcher.intents import intents_for


@pytest.fixture(scope="module")
def fx(book):
    return extractor_for(book)


@pytest.mark.parametrize("text", [
    "я отказался подписывать контракт в Сахарово, теперь боюсь депортации",
    "боюсь что меня депортируют",
    "I refused the contract, now I am afraid of deportation",
    "I'm worried they will deport me",
    "kontraktdan bosh tortdim, endi deport qilishlaridan qo'rqaman",
    "аз депортатсия метарсам",
    "депортациядан коркуп жатам",
    "депортациядан қорқамын",
])
def test_fear_of_deportation_is_no_threat(fx, text):
    assert "permit_threat" not in fx.extract(text).facts


def test_the_offer_beside_the_fear_is_still_read(fx):
    got = fx.extract("я отказался подписывать контракт в Сахарово, теперь боюсь депортации").facts
    assert got.get("military_offer") == "migration_center"


@pytest.mark.parametrize("text", [
    "они пригрозили депортацией и я боюсь",  # the threat is stated, the fear beside it does not undo it
    "deport qilamiz deb qo'rqitishdi",  # "they frightened me": a threat, not a fear
    "депортация кылабыз деп коркутушту",
])
def test_a_threat_beside_a_fear_is_still_a_threat(fx, text):
    assert fx.extract(text).facts.get("permit_threat") == "yes"


@pytest.mark.parametrize("text", [
    "Миграция борборунда келишим түзүүнү сунушташты, согушка барбасаң патентиңди алып коёбуз дешти",
    "келишимге кол койбосоң патентиңди жокко чыгарабыз дешти",
    "соғысқа бармасаң патентіңді аламыз деді",
    "urushga bormasang patentingni olib qo'yamiz deyishdi",
    "агар ба ҷанг наравӣ патентатро мегирем гуфтанд",
    "сказали не подпишешь заберем патент",
    "they told me if you refuse we will take away your patent",
])
def test_we_will_take_your_patent_is_a_threat(fx, text):
    assert fx.extract(text).facts.get("permit_threat") == "yes"


def test_getting_a_patent_is_no_threat(fx):
    assert "permit_threat" not in fx.extract("патент алабыз").facts  # Kyrgyz "we will get a patent"


@pytest.mark.parametrize("text", [
    "he went to fight in Ukraine, I am his wife, we are from Kyrgyzstan",
    "I'm his mother, he signed a contract",
    "он уехал воевать, я его жена, мы из Кыргызстана",
    "мой муж уехал воевать на СВО по контракту",
    "ал согушка кетти, мен анын аялымын, биз Кыргызстандан",
    "u urushga ketdi, men uning xotiniman",
    "вай ба ҷанг рафт, ман занаш ҳастам",
    "ол соғысқа кетті, мен оның әйелімін",
])
def test_his_wife_or_mother_writes_about_him(fx, text):
    got = fx.extract(text)
    assert got.about == "other" and got.facts.get("contract_signed") == "yes"


@pytest.mark.parametrize("text", [
    "akam SVOga ketdi, telefon ko'tarmayapti",
    "брат уехал на СВО, не берет трубку",
    "my brother went to the war, he doesnt answer the phone",
    "Акам СВОга кетти, телефон албайт",
    "Ағам СВО-ға кетті, телефон алмайды",
    "бародарам ба СВО рафт, телефонашро намебардорад",
])
def test_a_relative_who_does_not_answer_the_phone_is_missing(ogoh, text):
    assert "missing" in intents_for(ogoh.book).read(text)


def test_not_answering_alone_is_not_missing(ogoh):
    assert "missing" not in intents_for(ogoh.book).read("работодатель не отвечает на вопрос про зарплату")
