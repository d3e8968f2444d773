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


@pytest.mark.parametrize("text, want", [
    # someone else's event, then the writer's own elided "no": the writer's facts
    ("my friend got summons, me not", {"summons": "no"}),
    ("Досыма повестка келді, маған келген жоқ", {"summons": "no"}),
    ("Бир жолдошума жумушта контракт сунушташыптыр, мага эч ким сунуштаган жок", {"military_offer": "no"}),
    ("рафикам гуфт ки ба у дар работа контракт пешниход карданд. ба ман не", {"military_offer": "no"}),
    # a third person's story ("him", "оған", "уро"), the writer speaks of himself: nothing of the writer's
    ("my coworker says at Sakharovo they offered him contract. I didn't go there yet", {}),
    ("Әріптесім Сахаровода оған контракт ұсынды дейді, мен әлі ол жаққа барған жоқпын", {}),
    ("хамкорам гуфт ки уро дар Сахарово ба контракт таклиф карданд. ман хануз у чо нарафтаам", {}),
    # the relative's events, the writer's own place: about the relative
    ("Я в Душанбе сейчас, муж остался в Москве, ему бригадир предлагает ехать в Херсон на стройку",
     {"in_russia": "yes", "occupied_job_offer": "yes"}),
])
def test_whose_fact(fx, text, want):
    assert fx.extract(text).facts == want


def test_a_pronoun_after_an_offerer_is_the_offerer(fx):
    # "come to him" is the master's, not a third person's story
    assert fx.extract("master at object says who want job in Crimea come to him. I am from Jizzakh").facts == {
        "occupied_job_offer": "yes", "home_country": "UZ"}


def test_the_first_person_of_a_quote_is_the_speakers(fx):
    # "бригадир: I will destroy your patent, says he": not the writer speaking of himself
    assert fx.extract("Жияним Курскда, бригадир патентингни йўқотиб юбораман, контрактга ёзил деяпти").facts == {
        "in_russia": "yes", "military_offer": "employer", "permit_threat": "yes"}


@pytest.mark.parametrize("text, want", [
    # a passport given back, a copy taken: not taken
    ("Жумушка кирерде паспортумдун ксерокопиясын алышты, паспорттун өзү менде", {"passport_taken": "no"}),
    # "nothing came" here: no summons; "not yet" (Kyrgyz «элек») negates
    ("Повестка азырынча келе элек", {"summons": "no"}),
    ("salam i am from Dushanbe, taxi in Moscow. nobody offer kontrakt, povestka also no",
     {"home_country": "TJ", "in_russia": "yes", "military_offer": "no", "summons": "no"}),
    # the language one writes in is not one's country; "реестрге киргизип" (put into the register) is no Kyrgyz
    ("Мен қырғызбын, бірақ қазақша жазамын", {"home_country": "KG"}),
    ("Мени реестрге киргизип коюптур, контракт түзбөсөң выдворение дешти", {"permit_threat": "yes"}),
    # a past deportation for a fine, "nothing to do with the army": no threat, no "no offer"
    ("Былтыр Ресейден депортация болдым, айыппұл үшін, соғысқа қатысы жоқ. Қазір Түркістандамын", {"in_russia": "no", "home_country": "KZ"}),
    # a contract offered in prison: the police's offer
    ("My husband is in Russian prison, they offered him to sign contract and be free", {"military_offer": "police"}),
    # "didn't keep his passport": gave it up
    ("My uncle lives in Samara, Russian citizen for 15 years, he didnt keep his Tajik passport",
     {"in_russia": "yes", "ru_citizenship": "naturalized", "ru_citizenship_since": "over_10_years", "home_country": "TJ"}),
])
def test_ended_events_languages_and_giving_up(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # a summons, and a home country one was in, at a time that is over, then "now": not what holds now
    ("Бұрын, 2021 жылы Қазақстанда әскерге повестка алғанмын. Қазір Мәскеуде тұрамын, мұнда ештеңе келген жоқ.",
     {"in_russia": "yes", "summons": "no"}),
    ("Мурун, 2021де Кыргызстанда армияга повестка алгам. Азыр Москвада жашайм, бул жакта эч нерсе келген жок.",
     {"in_russia": "yes", "summons": "no"}),
    # without a "now" the past still holds
    ("2021 жылы повестка алғанмын", {"summons": "yes"}),
    # the relative's events and the writer's place (an occupied place is an event)
    ("Ман дар Тоҷикистон ҳастам, писарам дар Маскав. Ба ӯ дар кор гуфтанд, ки ба Херсон барои сохтмон мефиристонанд.",
     {"in_russia": "yes", "occupied_job_offer": "yes"}),
])
def test_a_time_that_is_over(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # a friend's story (not family), the writer speaks of himself: the friend's facts are not his
    ("My friend from Bukhara told me they took his passport at work. Mine is still with me.", {"passport_taken": "no"}),
    ("dustam az Hisor zang zad, meguyad dar Rossiya hamaro ba voenkomat mebarand. man hozir dar Kazan, ba man kase kontrakt pesh nakardaast",
     {"in_russia": "yes", "military_offer": "no"}),
    # a message about a friend alone stays about him
    ("my friend from Khujand got e-povestka on gosuslugi", {"summons": "yes", "home_country": "TJ"}),
    # "he will make documents": a subject before the modal states, it does not ask
    ("a recruiter took my passport saying he will make documents and vanished, phone off", {"passport_taken": "yes"}),
])
def test_friends_and_modals(fx, text, want):
    got = fx.extract(text)
    assert {k: v for k, v in got.facts.items() if k != "contract_signed"} == want


@pytest.mark.parametrize("text, want", [
    # Kyrgyz "Россиянын жараны" (Russia's citizen) folds like Russian «россиянин»: the negated pair decides
    ("мага повестка келди, бирок мен Россиянын жараны эмесмин. Самарадамын", {"summons": "yes", "in_russia": "yes", "ru_citizenship": "none"}),
    # "РВП-ны": the accusative ending after a hyphen is no Russian «ни»
    ("Менің РВП-м бар, Ресей паспорты жоқ. Контракт жасамасаң РВП-ны жоямыз дейді", {"ru_citizenship": "none", "permit_threat": "yes"}),
    # a passport put in the safe
    ("Хозяин баарыбыздын паспортторубузду сейфке салып койду", {"passport_taken": "yes"}),
])
def test_genitives_hyphens_and_safes(fx, text, want):
    got = fx.extract(text)
    assert {k: v for k, v in got.facts.items() if k != "contract_signed"} == want


@pytest.mark.parametrize("text, want", [
    # "not in Moscow now", the "not" right beside the place: not in Russia
    ("Ман ҳоло дар Маскав нестам, ба Ёвон баргаштам", {"home_country": "TJ", "in_russia": "no"}),
    ("Азыр Москвада эмесмин, тойго Ошко келдим", {"in_russia": "no", "home_country": "KG"}),  # came to Osh: from there
    # a "never" farther away is another verb's
    ("се сол пеш паспорти рус гирифтам дар Подольск зиндагӣ мекунам ҳеҷ гоҳ ба военкомат нарафтам",
     {"ru_citizenship": "naturalized", "ru_citizenship_since": "1_to_10_years"}),
    # "without a contract" inside a longer fact still cancels the contract
    ("Эч бир вербовщик чалган жок. Жөн гана ВНЖны контрактсыз алгым келет.", {"military_offer": "no", "status_application": "residence_permit"}),
    # two citizenships, Kazakh; coming back to Russia later: not there now
    ("Госуслугиге электронды повестка келді. Мен қос азаматпын.", {"summons": "yes", "ru_citizenship": "dual"}),
    ("coming back to Russia in two weeks", {"in_russia": "no"}),
])
def test_not_there_now_and_wholes(fx, text, want):
    got = fx.extract(text)
    assert {k: v for k, v in got.facts.items() if k != "contract_signed"} == want
