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


@pytest.mark.parametrize("text, want", [
    # where one was ("oldin", "пештар", "edim", "будам", "I was in") is not where one is, when another
    # clause, before or after it, says "now" (a place abroad Ogoh does not know: nothing is said)
    ("hozir Dubayda ishlayapman, oldin Rossiyada edim", {}),
    ("холо дар Дубай кор мекунам, пештар дар Русия будам", {}),
    ("сейчас я в Дубае, я был в Москве", {}),
    ("now in Dubai, i worked in Moscow", {}),
    ("азыр Дубайдамын, Москвада иштегем", {}),
    ("қазір Дубайдамын, Мәскеуде жұмыс істедім", {}),
    # ... and a year is not such a word: "since 2019 I live in Moscow" is where one still is
    ("с 2019 года живу в Москве, сейчас работаю на стройке", {"in_russia": "yes"}),
    # came to a place: there now (a home city: from there, not in Russia)
    ("бачам, ман дар Москва будам, холо ба Хучанд омадам ба туй", {"in_russia": "no", "home_country": "TJ"}),
    ("Moskvada edim, hozir Namanganga to'yga keldim", {"in_russia": "no", "home_country": "UZ"}),
    ("Қазір Мәскеуде емеспін, тойға Шымкентке келдім", {"in_russia": "no", "home_country": "KZ"}),
    ("Мне 19, из Бишкека, приехал в Москву неделю назад", {"home_country": "KG", "in_russia": "yes"}),
    ("19 ёшдаман, Фарғонаданман, бир ҳафта олдин Москвага келдим", {"home_country": "UZ", "in_russia": "yes"}),
])
def test_a_place_one_was_in_and_a_place_one_came_to(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # (review) "Russia" that qualifies the word after it, the army or the police, is no Russian
    # passport beside a citizen word: a question about a Kazakh citizen in Russia's army is not dual
    ("Қазақстан азаматы Ресей армиясында соғысса не болады", {"home_country": "KZ"}),
    ("uzbekiston fuqarosiman rossiya armiyasiga olishadimi", {"home_country": "UZ"}),
    ("я гражданин Узбекистана, российская армия меня может забрать?", {"home_country": "UZ"}),
    ("я гражданин России и Узбекистана", {"ru_citizenship": "dual", "home_country": "UZ"}),
    # (review) a home country in a question is where the thing asked would happen: going to fight
    # for Russia is not being outside Russia, and the country is not said to be the writer's
    ("в Узбекистане посадят если я поеду воевать за россию?", {}),
    ("O'zbekistonda buning uchun jazo bormi bilmayman", {}),
    ("Контракт жасасам Қазақстанда сотталамын ба?", {}),
    # ... but "now" there, or a statement, is where he is
    ("hozir O'zbekistondaman, qaytib borsam meni qamashadimi?", {"home_country": "UZ", "in_russia": "no"}),
    ("я сейчас в Узбекистане", {"home_country": "UZ", "in_russia": "no"}),
])
def test_russias_army_and_a_country_asked_about(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # born or grew up there, the verb a few words after the place: from there, not there now
    ("men Qirg'iziston fuqarosiman, lekin O'shda o'zbek mahallasida tug'ilganman", {"home_country": "KG"}),
    ("ман узбек, дар Турсунзода калон шудам, лекин шаҳрвандиам Ӯзбекистон", {"home_country": "UZ"}),
    ("i grew up in Osh", {"home_country": "KG"}),
    ("в Москву приехал из Оша", {"home_country": "KG", "in_russia": "yes"}),  # (a preposition, not a verb)
    # the citizenship of a country not in the list outweighs where one grew up, in every language
    ("Ман шахрванди Озарбойчон, лекин дар Душанбе калон шудам, холо дар Москва", {"home_country": "other", "in_russia": "yes"}),
    ("Күйөөм азербайжан, орус паспорту жок, Краснодарда иштейт", {"home_country": "other", "ru_citizenship": "none", "in_russia": "yes"}),
    # Uzbek "o'sha" (that) folds like "Оша" (of Osh)
    ("ВНЖ хужжатларим МВДда, ўша ерда инспектор эркаклар контракт имзолаши керак деди",
     {"status_application": "residence_permit", "military_offer": "migration_center"}),
    ("я из Оша", {"home_country": "KG"}),
])
def test_grew_up_there_other_countries_and_osh(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, home", [
    # a home citizenship of a time that is over ("бывший", "раньше", "oldin ... edim", "бұрын ... едім")
    # beside a Russian one is given up: naturalized, not dual
    ("Мне 45 лет, гражданство РФ имею 3 года, бывший гражданин Таджикистана", "TJ"),
    ("45 ёшдаман, 3 йилдан бери Россия фуқаросиман, олдин Ўзбекистон фуқароси эдим", "UZ"),
    ("пештар шаҳрванди Тоҷикистон будам, ҳоло шаҳрванди Русия ҳастам", "TJ"),
    ("бұрын Қазақстан азаматы едім, қазір Ресей азаматымын", "KZ"),
    ("i was a citizen of Uzbekistan before, now i am a russian citizen", "UZ"),
])
def test_a_former_home_citizenship_is_given_up(fx, text, home):
    got = fx.extract(text).facts
    assert got["ru_citizenship"] == "naturalized" and got["home_country"] == home


def test_kazakh_this_year_is_not_russian_was(fx):
    # Kazakh «биыл» (this year) folds like Russian «был» (was)
    assert "ru_citizenship_since" not in fx.extract("раньше был гражданином Киргизии, сейчас гражданин России").facts
    assert fx.extract("Ресей азаматтығын биыл алдым").facts["ru_citizenship_since"] == "under_1_year"


@pytest.mark.parametrize("text", [
    # a countryman, a man from one's town ("земляк", "ҳамшаҳар", "ҳамватан", "жерлес") is someone
    # else: his offer is his, and "me not yet" is the writer's own "no"
    "Земляку на стройке в Мытищах предложили контракт, мне пока нет",
    "Ҳамшаҳаримга Мытищидаги қурилишда контракт таклиф қилишибди, менга ҳали йўқ",
    "ба ҳамватанам контракт пешниҳод карданд, ба ман не",
    "жерлесіме контракт ұсынды, маған ұсынған жоқ",
    "my countryman was offered a contract, me not",
])
def test_a_countrymans_offer_is_his(fx, text):
    assert fx.extract(text).facts == {"military_offer": "no"}


@pytest.mark.parametrize("text, who", [
    # who offered: a school, a teacher, a military commissar is "other" (not "yes", not an acquaintance);
    # a caller from an unknown number is a stranger (an acquaintance in facts.yaml's terms), and
    # "с незнакомого номера" is who called, not someone it happened to (as «от соседа», «у знакомого»)
    ("Сын в Кургане учится в колледже, им там предлагали контракт прямо на паре", "other"),
    ("Ўғлим Курганда коллежда ўқийди, уларга дарсда контракт таклиф қилишибди", "other"),
    ("i am student in Kazan from Turkmenabat, dekanat guy said sign contract and no need to pay for study", "other"),
    ("Военком сам пришёл к нам на рынок и всем раздавал анкеты на контракт", "other"),
    ("Звонил кто-то с незнакомого номера, предлагал контракт, 3 млн сразу на карту", "acquaintance"),
    ("ya iz Hudjanda, v Pitere taksuyu, vchera v migracionnom centre predlojili kontrakt", "migration_center"),
    # (English "uni" is not Uzbek «уни», him)
    ("Эрим Нижний Новгородда, унда фақат РВП бор. Уни миграция марказида контрактга ундашди", "migration_center"),
])
def test_who_offered(fx, text, who):
    assert fx.extract(text).facts["military_offer"] == who


@pytest.mark.parametrize("text, want", [
    # a home passport "with me", "in my hands" says which passports one holds (dual), not that
    # nobody took one
    ("гражданство олганман, қачонлигини аниқ эслолмайман. ўзбек паспорти ҳам ўзимда",
     {"ru_citizenship": "dual", "ru_citizenship_since": "dont_know", "home_country": "UZ"}),
    ("ду хафта пеш дар Омск гражданство гирифтам. мегуян ба учет рав. паспорти точики хануз дар дастам",
     {"in_russia": "yes", "ru_citizenship": "dual", "ru_citizenship_since": "under_1_year", "home_country": "TJ"}),
    ("гражданство РФ получил, узбекский паспорт тоже у меня", {"ru_citizenship": "dual", "home_country": "UZ"}),
    # ... while a passport with no country named is still not taken
    ("паспорт у меня", {"passport_taken": "no"}),
    ("pasportim o'zimda", {"passport_taken": "no"}),
])
def test_a_home_passport_in_hand_is_held(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, since", [
    # a guessed time, or "I don't remember when", is known when every number given falls in one answer
    ("гражданство гирифтам, аммо кай буд ёд надорам, шояд 5 ё 6 сол пеш", "1_to_10_years"),
    ("гражданство РФ получил, может быть 5 или 6 лет назад, узбекский паспорт сдал", "1_to_10_years"),
    ("rossiya fuqaroligini oldim, 5 yoki 6 yil oldin bo'lishi mumkin, o'zbek pasportimni topshirdim", "1_to_10_years"),
    ("got Russian citizenship maybe 10 or 11 yrs ago not sure, gave back my uzbek passport", "dont_know"),
    ("не помню когда получил гражданство РФ, узбекский паспорт сдал", "dont_know"),
])
def test_a_guessed_time_in_one_answer(fx, text, since):
    assert fx.extract(text).facts["ru_citizenship_since"] == since


@pytest.mark.parametrize("text, want", [
    # "nobody" (никто, hech kim, ҳеч кас, ешкім), and the "not" that goes with it, negates the verb
    # after a place, not the place: the writer is there; "never" / "not" beside the place still is not there
    ("Меня в Сахарово никто не вербовал, просто продлил патент и ушёл", {"in_russia": "yes", "military_offer": "no"}),
    ("Moskvada hech kim kontrakt taklif qilmadi", {"in_russia": "yes", "military_offer": "no"}),
    ("дар Москва ҳеч кас контракт пешниҳод накард", {"in_russia": "yes", "military_offer": "no"}),
    ("в Москве никогда не был", {"in_russia": "no"}),
    ("Moskvada hech qachon bo'lmaganman", {"in_russia": "no"}),
    ("я не в Москве", {"in_russia": "no"}),
])
def test_nobody_negates_the_verb_not_the_place(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text", [
    # Tajik "тоҷикӣ ҳам", "точикиро хам" (the Tajik one too) beside a Russian passport: both held
    "Мани гражданствои Русия 20 сол боз дорам, точикиро хам дорам",
    "mani pasporti rusi hast, tojiki ham hast. 4 sol shud.",
    "писарам 19 сола, дар Москва мехонад, паспорти руси дорад ва точики хам",
])
def test_the_tajik_one_too_is_dual(fx, text):
    got = fx.extract(text).facts
    assert got["ru_citizenship"] == "dual" and got["home_country"] == "TJ"


def test_learning_tajik_is_no_passport(fx):
    # (not the language learned: "тоҷикиро аз занам ёд гирифтам")
    got = fx.extract("Ман аз Ашхобод, туркман ҳастам, тоҷикиро аз занам ёд гирифтам. Паспорти рус аз соли 2015, туркманиаш ҳам ҳаст.").facts
    assert got["ru_citizenship"] == "dual" and got["home_country"] == "TM"


@pytest.mark.parametrize("text", [
    # a time in another clause that tells of a place is the time there, not how long citizenship is held
    "Муж гражданин Кыргызстана и России, живём в Оше, в Россию он не ездит с 2022",
    "I left Russia in 2023, now in Bishkek, still have my russian passport and kyrgyz one too",
    "Дадам Душанбедан, Маскавда 30 йил яшайди, Россия фуқароси, тожик паспортини ҳам сақлаб қолган",
])
def test_a_time_in_a_place_is_not_the_citizenships(fx, text):
    got = fx.extract(text).facts
    assert got["ru_citizenship"] == "dual" and "ru_citizenship_since" not in got


def test_the_citizenships_own_clause_still_tells_its_time(fx):
    got = fx.extract("в Омске 15 лет, гражданство получил 11 лет назад, узбекский паспорт сдал").facts
    assert got["ru_citizenship_since"] == "over_10_years"
    assert fx.extract("гражданство РФ получил 3 года назад, живу в Москве").facts["ru_citizenship_since"] == "1_to_10_years"


@pytest.mark.parametrize("text, want", [
    # the police station by its Russian names in Uzbek and Tajik ("otdelda", "дар отдел", ОВД)
    ("o'g'limni Rostovda registratsiya uchun ushlashdi, otdelda kontrakt yoki deport deyishdi", "police"),
    ("Два раза уже отказался от контракта в ОВД когда задерживали, теперь боюсь туда ходить", "police"),
    # military service talked about is an offer word ("про службу": its Russian "-бу" is no Kyrgyz question)
    ("В ММЦ Сахарово на продлении дали листовку про службу и сказали подумать", "migration_center"),
    ("MMTsdan qo'ng'iroq qilib xizmat haqida gaplashamiz kel deyishdi, men patent bilan Moskvadaman", "migration_center"),
])
def test_police_stations_and_service(fx, text, want):
    assert fx.extract(text).facts["military_offer"] == want


@pytest.mark.parametrize("text", [
    # threats in Tajik and Uzbek word forms: close the registration, not extend the patent, expel, cancel the RVP
    "мастер гуфт агар ба фронт наравед регистрацияи шуморо мебандем. ман аз Истаравшан",
    "бригадир гуфт хар ки контракт имзо накунад патенташро намедарозем",
    "Ба ман гуфтанд номат дар реестри контролируемых лиц аст, агар контракт имзо кунӣ хориҷ мекунем",
    "Жиянимга хизматга бормасанг РВПингни бекор қиламиз дейишяпти",
    "master frontga bormasangiz registratsiyangizni yopamiz dedi, men Qo‘qondanman",
])
def test_threats_in_more_words(fx, text):
    assert fx.extract(text).facts["permit_threat"] == "yes"


@pytest.mark.parametrize("text", [
    # Russian towns in the forms people write them (not "Курган-Тюбе", a Tajik town)
    "Муж из Мары, мы в Новом Уренгое. Ему участковый сказал или контракт или выдворение.",
    "Ўғлим Курганда коллежда ўқийди, уларга дарсда контракт таклиф қилишибди",
    "вам пишет сестра. брату пришла повестка в Стерлитамаке, у него нет российского гражданства",
    "Вахтамен Сахалинде жүрмін, қазақпын, Ресей паспортым жоқ, контракт ешкім ұсынған жоқ",
    "Аз Исфара ҳастам. Дар Қазон милиса маро дошт, гуфт ё ба СВО меравӣ ё депортатсия.",
])
def test_more_russian_towns(fx, text):
    assert fx.extract(text).facts["in_russia"] == "yes"


def test_kurgan_tyube_is_tajik(fx):
    assert fx.extract("ман аз Курган-Тюбе").facts == {"home_country": "TJ"}
