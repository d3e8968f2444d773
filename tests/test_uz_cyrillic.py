"""Uzbek Cyrillic done right (issue 11 item 4): names, domains, /commands, @handles and addresses are
never transliterated; Russian loanwords keep the soft sign; ts across a morpheme boundary stays тс;
e after a vowel is э; the tutuq belgisi is ъ."""

from __future__ import annotations

import pytest

from bot.engine.i18n import Localizer, uzbek_latin_to_cyrillic

WORDS = [
    # loanwords with the soft sign (and with suffixes)
    ("yanvar", "январь"), ("fevral", "февраль"), ("aprel", "апрель"), ("iyun", "июнь"), ("iyul", "июль"),
    ("sentabr", "сентябрь"), ("sentyabr", "сентябрь"), ("oktabr", "октябрь"), ("noyabr", "ноябрь"),
    ("dekabr", "декабрь"), ("2022-yil sentabrda", "2022-йил сентябрьда"), ("oktabrdagi", "октябрьдаги"),
    ("Mariupol", "Мариуполь"), ("Mariupolda", "Мариупольда"), ("Kreml", "Кремль"), ("Kremlga", "Кремльга"),
    ("batalonlari", "батальонлари"), ("batalyonlarga", "батальонларга"), ("avtomobil", "автомобиль"),
    ("rubl", "рубль"),
    # Russian loanwords whose е after a vowel stays е (not э)
    ("(voenkomatdan)", "(военкоматдан)"), ("voenkomatga", "военкоматга"), ("voyenkomatda", "военкоматда"),
    ("reestrga", "реестрга"), ("proyekt", "проект"),
    # ts: ц in loanwords, тс across a morpheme boundary
    ("ketsa", "кетса"), ("aytsa", "айтса"), ("koʻrsatsa", "кўрсатса"), ("tutsa", "тутса"), ("maslahatsiz", "маслаҳатсиз"), ("kafolatsiz", "кафолатсиз"),
    ("politsiya", "полиция"), ("migratsiya", "миграция"), ("deportatsiya", "депортация"),
    ("operatsiyalarga", "операцияларга"), ("mobilizatsiya", "мобилизация"), ("tsement", "цемент"),
    # e after a vowel and at the start of a word, the tutuq belgisi
    ("aeroport", "аэропорт"), ("poeziya", "поэзия"), ("eʼlon", "эълон"), ("maʼlumot", "маълумот"),
    ("vaʼda", "ваъда"), ("taʼlim", "таълим"), ("elchixona", "элчихона"),
    # ordinary Uzbek
    ("Oʻzbekiston", "Ўзбекистон"), ("yoʻq", "йўқ"), ("gʻarb", "ғарб"), ("shartnoma", "шартнома"),
    ("chaqiruv", "чақирув"), ("qogʻozi", "қоғози"), ("harbiy", "ҳарбий"), ("xizmat", "хизмат"),
    ("yordam", "ёрдам"), ("yurist", "юрист"), ("Rossiya", "Россия"), ("fuqaroligi", "фуқаролиги"),
    ("AQSh", "АҚШ"), ("Saxarovo", "Сахарово"), ("Toshkent", "Тошкент"), ("qoʻrqitish", "қўрқитиш"),
    ("yanvarda", "январьда"), ("iyunda", "июньда"),
]
NAMES = [
    "The Diplomat", "The Moscow Times", "Tashkent Times", "RFE/RL", "Get Lost", "CentralAsia.media",
    "Caliber.az", "Kun.uz", "Asia-Plus", "Eurasianet", "Meduza", "Mediazona", "Kyiv Post", "Censor.NET",
    "UzNews", "AFP", "RBC", "ICRC", "Fergana", "Azattyk", "Caravanserai", "United24", "Verstka",
    "Russian Life", "Global Detention Project", "Wikipedia", "Telegram", "WhatsApp", "Zamin.uz",
]
UNTOUCHED = ["/forget", "/clear", "/start", "@huquqiy_yordam_uzbot", "@pomoshrussiamigrant",
             "https://kun.uz/news/2022", "https://iditelesom.org/en/", "tashkenttimes.uz", "{date}"]


@pytest.mark.parametrize("latin, cyrillic", WORDS)
def test_words(latin, cyrillic):
    assert uzbek_latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize("name", NAMES)
def test_proper_names_stay_as_they_are(book, name):
    assert uzbek_latin_to_cyrillic(f"{name} xabar berdi", book.protected_names) == f"{name} хабар берди"


@pytest.mark.parametrize("token", UNTOUCHED)
def test_commands_handles_addresses_and_placeholders_stay(token):
    assert uzbek_latin_to_cyrillic(f"Buyruq {token} orqali") == f"Буйруқ {token} орқали"


def test_enough_cases():
    assert len(WORDS) + len(NAMES) >= 60


def test_privacy_notice_keeps_its_commands(book):
    loc = Localizer(book, "uz-Cyrl")
    text = loc.text("bot.privacy_notice")
    latin = Localizer(book, "uz").text("bot.privacy_notice")
    for command in ("/forget", "/clear"):
        if command in latin:
            assert command in text
    assert "/форгет" not in text


def test_source_lines_keep_publisher_names(ogoh):
    out = ogoh.assess({"home_country": "UZ", "ru_citizenship": "dual"}, "uz-Cyrl")
    publishers = {c.publisher for f in out.findings for c in f.citations}
    lines = " ".join(s.line for s in out.sources)
    for name in publishers:
        assert name in lines
    assert "сентябрь" in lines and "сентабр" not in lines
