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
    # a trailing «нет» belongs to what it follows across «рф», not to the event after it (no comma:
    # REVIEW5 F19 read "no Russian passport, offered a contract" as "nobody offered")
    ("я узбек паспорта рф нет контракт предложили в сахарово",
     {"home_country": "UZ", "ru_citizenship": "none", "in_russia": "yes", "military_offer": "migration_center"}),
    ("паспорта рф нет повестка пришла", {"ru_citizenship": "none", "summons": "yes"}),
    ("я узбек паспорта рф нет", {"home_country": "UZ", "ru_citizenship": "none"}),  # the "RF" passport is denied, not his Uzbek one
    ("Эрим Ўзбекистон ва Россия паспортларини олиб юради", {"home_country": "UZ", "ru_citizenship": "dual"}),
])
def test_a_negation_belongs_to_the_word_it_touches(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # a received Russian passport (Uzbek oldi, Tajik гирифт, English "take") or citizenship is not a taken one
    ("ukam rus pasportini oldi endi uni chet elga chiqarishmayapti", {}),
    ("домодам 2 моҳ пеш паспорти РФ гирифт", {}),
    ("бародарам гражданство гирифт ва паспорти точикиро супорид", {}),
    # still taken: the worker's own passport
    ("бригадир паспорти маро гирифтааст ва намедиҳад", {"passport_taken": "yes"}),
])
def test_a_received_passport_is_not_a_taken_one(fx, text, want):
    assert {k: v for k, v in fx.extract(text).facts.items() if k == "passport_taken"} == want


@pytest.mark.parametrize("text", [
    "Бізде тек қана патент бар, РФ паспорты жоқ, маған повестка келе ме?",  # a final question word asks what is just before it
    "Бизде патент гана бар, РФ паспорт жок, мага повестка келиши мумкунбу?",
    "ВНЖ-мен тұрамын әскерге шақыруы мүмкін бе",
    "жігіттер айтады Сахаровода ұстап алып контрактқа қол қойғызады екен, рас па?",  # a tag question asks its sentence
    "мегуянд дар Донецк барои строитель пули хуб хаст. рост?",
])
def test_what_a_question_word_asks_is_not_stated_even_about_oneself(fx, text):
    facts = fx.extract(text).facts
    assert "summons" not in facts and "military_offer" not in facts and "occupied_job_offer" not in facts


def test_where_one_would_be_reported_is_not_who_offers(fx):
    assert fx.extract("начальник гуфт: контракт имзо кун, вагарна в миграционку занг мезанем депорт мешави").facts.get("military_offer") == "employer"


def test_kazakh_qr_is_kazakhstan_and_russian_kr_kyrgyzstan(fx):
    assert fx.extract("Мен ҚР азаматымын").facts.get("home_country") == "KZ"
    assert fx.extract("я гражданин КР").facts.get("home_country") == "KG"


def test_a_city_in_a_russian_locative_is_not_an_uzbek_question_ending(fx):
    assert fx.extract("Дядя в Перми, гражданство не получал, у него вид на жительство").facts.get("in_russia") == "yes"


@pytest.mark.parametrize("text, fact", [
    # not signing, not going, not agreeing: was offered, so not "nobody offered"
    ("контракт не подписывал и не собираюсь", "military_offer"),
    ("kontraktga imzo chekmaganman va chekmayman ham", "military_offer"),
    ("Урушга бормайман!", "military_offer"),
    ("меня не депортируют? я ничего не подписывал", "permit_threat"),
    # Kazakh «не» is "what"
    ("kontrakt degen ne ozi, tusindirinizshi", "military_offer"),
    ("добровольческий батальон деген не, мени шакырып жатыр", "military_offer"),
    # a court summons, a document check, a work contract
    ("сотқа повестка келді айыппұл үшін", "summons"),
    ("povestka v sud po trudovomu sporu prishla, chto delat", "summons"),
    ("забрали на проверке документов в отдел", "passport_taken"),
    ("трудовой контракт работодатель не хочет подписывать", "military_offer"),
    ("контракти кор бо ширкат имзо кардам нусхаашро надоданд", "military_offer"),
    # a permit wanted or talked about is not one held
    ("They said if I go to Zaporozhye to build, they will help me with RVP", "ru_citizenship"),
    ("документы для внж какой список", "ru_citizenship"),
    ("821-указ деген эмне, ВНЖ алыш учун контракт керекпи", "ru_citizenship"),
])
def test_words_that_mention_a_fact_without_stating_it(fx, text, fact):
    assert fact not in fx.extract(text).facts


@pytest.mark.parametrize("text, want", [
    ("Kazak pasportymdy tapsyrgam, kazir tek Rossiya azamatymyn", "naturalized"),
    ("мурда Кыргызстандын жараны элем, азыр РФ паспорт гана бар", "naturalized"),
    ("I became Russian 1 year and half ago. Kept Tajik passport also.", "dual"),
    ("Сын получил российский паспорт 3 года назад, таджикский тоже оставил", "dual"),
])
def test_only_russian_now_and_kept_the_home_passport(fx, text, want):
    assert fx.extract(text).facts.get("ru_citizenship") == want


@pytest.mark.parametrize("text", ["я родился в Ташкенте но гражданство рф получил ещё в 2005", "Toshkentda tug'ilganman lekin rossiya fuqaroligini olganman"])
def test_born_there_is_from_there_not_there_now(fx, text):
    facts = fx.extract(text).facts
    assert facts.get("home_country") == "UZ" and "in_russia" not in facts


@pytest.mark.parametrize("text", [
    "Говорят в Сахарово забирают паспорта у тех кто не подписывает",  # «тех кто» stays general beside «кто не»
    "Saxarovoda imzolamaganlarning pasportini olib qo'yishyapti deyishyapti",  # Uzbek -ganlar: those who
])
def test_what_happens_to_people_in_general_is_not_the_writers_fact(fx, text):
    assert "passport_taken" not in fx.extract(text).facts


def test_said_to_those_who_do_not_sign_is_said_to_the_writer(fx):
    assert fx.extract("участковый приходил, сказал всех без гражданства депортируют если не пойдут служить. у меня патент").facts.get("permit_threat") == "yes"


def test_an_acquaintances_country_is_not_the_writers(fx):
    assert "home_country" not in fx.extract("Рус тилини яхши билмайман, бир тожик таниш контрактга ёзилиш учун ҳужжатимни сўради").facts
    assert fx.extract("қўшни хонадаги тожик йигит шу ҳафта повестка олди").facts.get("home_country") == "TJ"  # about him


def test_tajik_did_not_give_back_is_taken(fx):
    assert fx.extract("паспортамро дар отдели полиса гирифтанд ва пас надоданд").facts.get("passport_taken") == "yes"


@pytest.mark.parametrize("text", [
    "can they take back my russian passport if i dont register for military",
    "should i apply for russian citizenship now or is it dangerous",
    "will i go to jail in uzbekistan if i fought in ukraine",
    "can russia expel me because i refuse to fight",
])
def test_an_english_question_without_a_question_mark_asks(fx, text):
    assert fx.extract(text).facts == {}


def test_what_comes_before_the_question_is_still_stated(fx):
    assert fx.extract("i got povestka but i am uzbek citizen, can they take me").facts.get("summons") == "yes"


@pytest.mark.parametrize("text", ["Мен ҚР азаматымын, орыс паспортына тапсырғанмын, 2 ай болды", "КР жараныммын, орус паспортуна тапшыргам, 3 ай болду"])
def test_submitting_for_a_russian_passport_is_applying_not_holding(fx, text):
    facts = fx.extract(text).facts
    assert facts.get("status_application") == "citizenship" and "ru_citizenship" not in facts


def test_a_question_about_a_call_up_paper_is_not_having_one(fx):
    assert "summons" not in fx.extract("Жоқ, маған жаңа аймақтарға жұмыс ұсынған ешкім жоқ. Тек повестка жайлы сұрағым бар еді").facts


def test_a_family_at_home_says_nothing_against_the_writer_in_russia(fx):
    assert fx.extract("Салам, я Фарход, третий год работаю в Балашихе на складе, жена с детьми в Фергане").facts.get("in_russia") == "yes"


def test_a_wifes_russian_citizenship_is_hers(fx):
    assert fx.extract("Мен Ресей азаматы емеспін, бірақ әйелім Ресей азаматы.").facts.get("ru_citizenship") == "none"


@pytest.mark.parametrize("text, since", [
    ("пришла электронная повестка на госуслуги, паспорт рф у меня 8 месяцев", "under_1_year"),
    ("gosuslugiga elektron povestka keldi, rus pasportim 8 oylik", "under_1_year"),
])
def test_a_russian_passport_held_for_months_is_naturalized(fx, text, since):
    facts = fx.extract(text).facts
    assert facts.get("ru_citizenship") == "naturalized" and facts.get("ru_citizenship_since") == since


@pytest.mark.parametrize("text", ["law firm promise russian citizenship for 2 months service, pay 60k, scam?", "интернетте жарнама шыгып жатыр, армияга жазыл азаматтык береміз деп"])
def test_citizenship_promised_is_not_citizenship_held(fx, text):
    assert "ru_citizenship" not in fx.extract(text).facts


@pytest.mark.parametrize("text, want", [
    ("my brothers passport is with his boss in Novgorod", {"passport_taken": "yes"}),
    ("Otamni Moskvada bozordan olib ketishdi, pasporti ularda", {"passport_taken": "yes"}),
    ("Мен Ақмоладанмын, Сургутта вахтадамын. Паспортымды ешкім алған жоқ", {"passport_taken": "no"}),
    ("сына задержали в метро, паспорт вернули, отпустили", {"passport_taken": "no"}),
    ("Орус паспорт алдым, 10 кун болду", {"ru_citizenship": "naturalized"}),
    ("Se hafta pesh pasporti RF giriftam", {"ru_citizenship": "naturalized"}),
    ("15 сол дар Русия зиндаги мекунам, вале шахрванд нестам", {"ru_citizenship": "none"}),
    ("hello i am from osh, work in novosibirsk, boss say sign contract or patent finish", {"permit_threat": "yes"}),
])
def test_more_ways_people_write_these_facts(fx, text, want):
    facts = fx.extract(text).facts
    assert {k: facts.get(k) for k in want} == want


def test_a_threat_to_your_patent_does_not_by_itself_say_your_citizenship(fx):
    assert "ru_citizenship" not in fx.extract("полиция контрактқа қол қоймасаң патентіңді жоямыз деді").facts


@pytest.mark.parametrize("text", ["obshejitiyadagi qo'shnimni, samarqandlik yigitni SVOga olib ketishdi, aldashgan, sklad deb",
                                  "рус паспорти олган дўстимни қурилишда ушлаб армияга олиб кетишди"])
def test_an_acquaintance_it_happened_to_is_not_the_offerer(fx, text):
    assert "military_offer" not in fx.extract(text).facts


@pytest.mark.parametrize("text", ["is dual citizenship allowed for uzbeks", "узбекам повестки присылают или только русским", "кыргыздарга Россияда патент керекпи"])
def test_a_nationality_in_the_plural_is_people_in_general(fx, text):
    assert fx.extract(text).facts == {}


def test_a_russian_acquaintance_in_the_accusative_is_not_the_offerer(fx):
    assert "military_offer" not in fx.extract("соседа по общаге из Самарканда забрали на сво, обманули, сказали работа на складе").facts
    assert fx.extract("знакомый предложил подписать контракт").facts.get("military_offer") == "acquaintance"


@pytest.mark.parametrize("text, absent", [
    ("Достарым айтады Мәскеуде рейд болып жатыр, жаңа азаматтарды ұстайды деп.", "in_russia"),  # hearsay
    ("Запорожьеде иштесем Украина мени сообщник деп эсептейби", "occupied_job_offer"),  # "if I work there"
    ("писарам шахрвандии русия гирифт, 19 сола", "ru_citizenship_since"),  # an age, not a duration
    ("registratsiyani qanday uzaytirsa bo'ladi, kvartira egasi qarshi", "home_country"),  # qarshi: "against", not Qarshi
    ("Тәжіктер мен Ресейдің арасында екі азаматтық бойынша келісім бар дейді", "ru_citizenship"),  # мен: "and", not "I"
])
def test_words_that_only_look_like_a_fact(fx, text, absent):
    assert absent not in fx.extract(text).facts


def test_qarshi_the_city_is_still_uzbekistan(fx):
    assert fx.extract("мен Қарши шаҳриданман, Воронежда қурилишда ишлайман").facts.get("home_country") == "UZ"


def test_passports_taken_from_everyone_said_by_the_writer_are_his_too(fx):
    facts = fx.extract("Ман дар Панчакент, писарам дар Маскав. Гуфт менеджерашон паспорти хамаро гирифт").facts
    assert facts.get("passport_taken") == "yes"


def test_a_tajik_stranger_is_an_acquaintance_offering(fx):
    assert fx.extract("Лекин як марди бегона дар бозор ба дӯконам омада контракт пешниҳод кард.").facts.get("military_offer") == "acquaintance"


@pytest.mark.parametrize("text, want", [
    ("Kecha MMTsda kontrakt taklif qilishdi, rad etdim.", "migration_center"),  # ММЦ with an Uzbek ending
    ("Менга ВКонтактеда ёзишди, СВОда хизмат таклиф қилишди", "online"),
])
def test_an_offerer_named_with_a_case_ending(fx, text, want):
    assert fx.extract(text).facts.get("military_offer") == want


def test_an_old_passport_cancelled_is_given_up(fx):
    assert fx.extract("2019dan beri rus pasportim bor, eski o'zbek pasportim bekor qilingan").facts.get("ru_citizenship") == "naturalized"


@pytest.mark.parametrize("text", ["горячая линия для мигрантов из таджикистана", "hotline for migrants from tajikistan"])
def test_where_people_in_general_are_from_is_not_the_writers_country(fx, text):
    assert "home_country" not in fx.extract(text).facts
    assert fx.extract("я из таджикистана").facts.get("home_country") == "TJ"


@pytest.mark.parametrize("text, want", [
    ("Полиция ұстап алып 'не контракт, не выдворение' деді, қазір Тюменьдемін", {"military_offer": "police", "permit_threat": "yes"}),
    ("Азаматтыққа құжат тапсырдым Калугада, көші-қон қызметінде 'алдымен контракт не анықтама' деді", {"military_offer": "migration_center"}),
])
def test_kazakh_ne_is_or_not_not(fx, text, want):
    facts = fx.extract(text).facts
    assert {k: facts.get(k) for k in want} == want


def test_russian_ne_still_negates(fx):
    assert fx.extract("повестку не получал, живу в Казани").facts.get("summons") == "no"


@pytest.mark.parametrize("text, since", [
    ("Rossiya pasportini 2016da oldim, lekin o'zbek pasportimni ham saqlayman", "1_to_10_years"),
    ("Toshkentda tug'ilganman lekin rossiya fuqaroligini 2005da olganman, o'zbek pasportim yo'q", "over_10_years"),
])
def test_a_year_with_a_turkic_ending_dates_the_citizenship(fx, text, since):
    assert fx.extract(text).facts.get("ru_citizenship_since") == since


def test_a_citizenship_named_with_its_country_outweighs_where_one_grew_up(fx):
    assert fx.extract("Мен Армениянын жараныммын, Ошто чоңойгом, кыргызча билем. Азыр Воронеждемин.").facts.get("home_country") == "other"


@pytest.mark.parametrize("text", ["ikki fuqaroligim bor", "икки фуқаролигим бор", "у меня 2 гражданства",
                                  "екі азаматтығым бар", "эки жарандыгым бар"])
def test_two_citizenships_in_the_possessive_are_dual(fx, text):
    """'I have two citizenships' in its natural form (Turkic -лиг/-тығ before the possessive ending,
    Russian with a digit): REVIEW5 F25 read nothing, and the most exposed worker got no risk."""
    assert fx.extract(text).facts.get("ru_citizenship") == "dual"
