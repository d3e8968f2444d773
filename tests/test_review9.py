"""REVIEW9, what a worker or a relative reads first (F1, F2, F5, F6), through the service every face
calls (Service.ask_now: the lead the bot, the web page, the CLI and /v1/ask show) and the bot.

- F1: a relative already at the front, taken there or gone to the war, gets what the family can do
  (the consular service, as a Kyrgyz mother did; his country's contact), never "nothing points to a
  risk for this person".
- F2: a residence-permit / Decree 821 question gets the decree's finding, with the Kazakhstan
  carve-out as the sources give it.
- F5: "what happens at home if I fight" with the country named leads with that country's penalty
  and its recent cases, never "nothing points to a risk".
- F6: "I signed and want out" gets what the sources do say, the home contact first."""

from __future__ import annotations

import pytest

from bot.core.service import Service
from bot.engine.i18n import Localizer


@pytest.fixture(scope="module")
def svc(ogoh):
    return Service(ogoh)


def text(ogoh, lang: str, key: str) -> str:
    return Localizer(ogoh.book, lang).text(key)


def first_lines(svc, message: str, lang: str) -> tuple[object, str]:
    """The reply and the text a worker reads first (the lead and its steps, else the message)."""
    out = svc.ask_now(message, None, lang)
    if out.lead is not None:
        return out, "\n".join([out.lead.lead] + out.lead.steps)
    return out, out.message or ""


# --- F1 ----------------------------------------------------------------------------------------
AT_THE_FRONT = [  # (reply language, a relative taken to the front, gone to the war, or fighting there)
    ("ru", "сына забрали на фронт, он гражданин кыргызстана, что делать матери"),
    ("ru", "муж уже на фронте, он из таджикистана, что нам делать"),
    ("en", "my son was taken to the front, he is from kyrgyzstan"),
    ("en", "my husband is fighting in ukraine now, what can I do"),
    ("ky", "уулум согушка кетти, кантип кайтарсам болот"),
    ("ky", "күйөөм фронтто, эмне кылам"),
    ("kk", "күйеуім соғысқа кетті, не істеймін"),
    ("kk", "ұлым майданда, не істейміз"),
    ("tg", "писарам дар фронт аст, чӣ кор кунем"),
    ("uz", "erim urushda, nima qilay"),
    ("uz-Cyrl", "ўғлим фронтда, нима қилай"),
]


@pytest.mark.parametrize("lang, message", AT_THE_FRONT)
def test_a_relative_at_the_front_gets_what_the_family_can_do(svc, ogoh, lang, message):
    out, first = first_lines(svc, message, lang)
    assert out.lead is not None and out.lead.kind == "urgent"
    assert first.startswith(text(ogoh, lang, "ui.urgent.family"))
    consular = text(ogoh, lang, "topic.get-help.steps.other").splitlines()[0].strip()
    assert consular in first  # the consular service, as a Kyrgyz mother did (Azattyk, December 2025)
    assert text(ogoh, lang, "ui.summary.headline_none_so_far.other").split(";")[0] not in first
    assert out.message is None  # the lead is the reply, not "nothing points to a risk" under it


def test_a_kyrgyz_mother_reads_her_countrys_line_not_the_uzbek_agency(svc, ogoh):
    for lang, message in [("ru", "сына забрали на фронт, он гражданин кыргызстана, что делать матери"),
                          ("ky", "уулум согушка кетти, кантип кайтарсам болот")]:
        out, first = first_lines(svc, message, lang)
        assert "+7 925 045-47-44" not in first, (lang, first)


# --- F6 ----------------------------------------------------------------------------------------
SIGNED = [  # (reply language, a contract signed and wanting out)
    ("ru", "я подписал контракт в сахарово по пьяни, как расторгнуть"),
    ("uz", "kontrakt imzolab qoydim, endi qanday chiqsam boladi"),
    ("uz-Cyrl", "контрактга имзо чекдим, қандай чиқсам бўлади"),
    ("en", "I signed a contract last week and want to get out"),
    ("tg", "шартнома имзо кардам, чӣ тавр аз он бароям"),
    ("ky", "контрактка кол коюп койдум, кантип чыксам болот"),
    ("kk", "келісімшартқа қол қойдым, қалай шығамын"),
]


@pytest.mark.parametrize("lang, message", SIGNED)
def test_someone_who_signed_reads_what_the_sources_say(svc, ogoh, lang, message):
    out, first = first_lines(svc, message, lang)
    assert out.lead is not None and out.lead.kind == "signed"
    assert text(ogoh, lang, "ui.signed.contract_length") in first  # runs until the end of the "SMO" (N13)
    cited = {c.source_id for c in out.lead.card.citations}
    assert {"interfax-2022-09-contracts", "yurist-online-contracts"} <= cited
    if lang in ("ru", "en", "uz", "uz-Cyrl"):  # Uzbek, or no country known: the Uzbek cases (N17-N19)
        assert text(ogoh, lang, "ui.signed.pressure") in first
        assert text(ogoh, lang, "ui.signed.lawyer_home") in first
        assert {"centralasia-media-2025-08-uz", "centralasia-media-2026-01-uz", "lenta-2025-10-uz-embassy"} <= cited
    else:  # another country: its own penalty, not Uzbek cases (REVIEW7 F3)
        assert text(ogoh, lang, "ui.signed.pressure") not in first
        country = {"tg": "tj", "ky": "kg", "kk": "kz"}[lang]
        assert text(ogoh, lang, f"rule.penalties-{country}.short") in first


@pytest.mark.parametrize("lang, message, number", [
    ("uz", "kontrakt imzolab qoydim, endi qanday chiqsam boladi", "+7 925 045-47-44"),
    ("ru", "я из узбекистана, подписал контракт, как выйти", "+7 925 045-47-44"),
    ("tg", "шартнома имзо кардам, чӣ тавр аз он бароям", "+7 (495) 967 98 44"),
])
def test_the_home_contact_comes_first_for_someone_who_signed(svc, ogoh, lang, message, number):
    out, first = first_lines(svc, message, lang)
    steps = out.lead.steps
    at = next(i for i, s in enumerate(steps) if number in s)
    assert at <= 1, steps  # his country's number (after the Uzbek agency's own appeal), before the rest
    assert not out.lead.card.contacts  # not a second time under the steps
    if lang == "uz":
        assert steps[0] == text(ogoh, lang, "ui.signed.home_uz")  # "contact immediately" (Zamin.uz, 2025)


def test_a_russian_citizen_who_signed_reads_get_lost_with_its_caveat(svc, ogoh):
    out, first = first_lines(svc, "у меня двойное гражданство, я уже подписал контракт, как выйти", "ru")
    assert text(ogoh, "ru", "ui.signed.get_lost") in first
    out, first = first_lines(svc, "я подписал контракт, как расторгнуть", "ru")
    assert text(ogoh, "ru", "ui.signed.get_lost") not in first  # a foreigner: not his help


# --- F5 ----------------------------------------------------------------------------------------
FIGHT_AT_HOME = [  # (reply language, "what happens at home if I fight", the country it concerns)
    ("ru", "если я повоюю год и вернусь в узбекистан что будет", "UZ"),
    ("uz", "agar urushga borsam ozbekistonda nima boladi", "UZ"),
    ("uz-Cyrl", "агар урушга борсам Ўзбекистонда нима бўлади", "UZ"),
    ("tg", "агар ба ҷанг равам дар Тоҷикистон чӣ мешавад", "TJ"),
    ("ky", "согушка барсам Кыргызстанда эмне болот", "KG"),
    ("kk", "соғысқа барсам Қазақстанда не болады", "KZ"),
    ("ru", "что будет дома если пойду воевать, я из казахстана", "KZ"),
    ("en", "I am Turkmen, what happens at home if I fight", "TM"),
]


@pytest.mark.parametrize("lang, message, country", FIGHT_AT_HOME)
def test_what_happens_at_home_leads_with_that_countrys_penalty_and_its_cases(svc, ogoh, lang, message, country):
    out, first = first_lines(svc, message, lang)
    assert out.lead is not None and out.lead.kind == "finding" and out.lead.card.home == country
    assert first.startswith(text(ogoh, lang, f"rule.penalties-{country.lower()}.short"))
    if country != "TM":  # its recent cases (Turkmenistan: none known to us)
        assert text(ogoh, lang, f"ui.penalty.cases.{country}") in first
    assert text(ogoh, lang, "ui.signed.contract_length") in first  # the contract has no end date (N13)
    assert text(ogoh, lang, "ui.summary.headline_none_so_far").split(";")[0] not in first
    assert out.message is None


def test_uzbek_cases_name_the_coerced_signers_and_the_tajik_line_that_no_case_is_known(svc, ogoh):
    assert "6" in text(ogoh, "ru", "ui.penalty.cases.UZ") and "депортации" in text(ogoh, "ru", "ui.penalty.cases.UZ")
    out, first = first_lines(svc, "агар ба ҷанг равам дар Тоҷикистон чӣ мешавад", "tg")
    assert "Asia-Plus" in first and "Azattyk Asia" in first  # T5: no case; Russian citizens not prosecuted (2023)
    cited = {c.source_id for c in out.lead.card.citations}
    assert {"azattyk-asia-2025-tj", "asiaplus-2023-05-tj"} <= cited


def test_a_mother_of_a_returnee_reads_about_him_not_do_not_sign(svc, ogoh):
    out, first = first_lines(svc, "соғысқа барған ұлым қайтып келді, оны сотқа бере ме", "kk")
    assert out.lead is not None and out.lead.card.home == "KZ"
    assert text(ogoh, "kk", "ui.penalty.cases.KZ") in first
    dont_sign = text(ogoh, "kk", "topic.home-country-penalties.steps").splitlines()[0].strip()
    assert dont_sign not in first


# --- F2 ----------------------------------------------------------------------------------------
DECREE = [  # (reply language, a residence-permit / Decree 821 question)
    ("ru", "указ 821 внж мне нужно подписывать контракт? я из узбекистана"),
    ("ru", "хочу подать на внж, слышал нужен контракт с армией, правда?"),
    ("uz-Cyrl", "яшаш учун рухсатнома олмоқчиман, 821 фармон ҳақида эшитдим"),
    ("uz", "yashash uchun ruxsatnoma olmoqchiman, kontrakt kerakmi"),
    ("tg", "иҷозати истиқомат гирифтан мехоҳам, шартнома лозим аст?"),
    ("ky", "жашоого уруксат алгым келет, 821 жарлык"),
    ("kk", "ВНЖ алғым келеді, әскермен келісімшарт керек пе"),
    ("en", "what does decree 821 mean for me, I am from Tajikistan"),
]


@pytest.mark.parametrize("lang, message", DECREE)
def test_a_residence_permit_question_gets_decree_821(svc, ogoh, lang, message):
    out, first = first_lines(svc, message, lang)
    assert out.lead is not None and out.lead.kind == "finding" and out.lead.card.id == "foreigner-conscription"
    assert "821" in out.lead.lead
    assert text(ogoh, lang, "rule.decree-821-application.steps").splitlines()[1].strip() in first  # no contract for a permit
    assert text(ogoh, lang, "ui.summary.headline_none_so_far").split(";")[0] not in first
    if out.facts.get("home_country") is None and out.country_named is None:  # who he is not known: the Kazakh carve-out, with "if"
        # only to who may be a Kazakh: a reader of Uzbek, Tajik or Kyrgyz is not told it (REVIEW9b G7)
        kazakh_maybe = lang in ("ru", "en", "kk")
        assert (text(ogoh, lang, "rule.decree-821-kz-permit.short_possible") in first) == kazakh_maybe, first
    cited = {c.source_id for c in out.lead.card.citations}
    assert {"rferl-2025-12-decree821", "mailru-2025-12-mvd", "newsgram-2025-12-decree821"} <= cited


def test_a_kazakh_citizen_reads_that_the_decree_covers_only_citizenship(svc, ogoh):
    out, first = first_lines(svc, "мен Қазақстан азаматымын, ВНЖ алғым келеді, әскермен келісімшарт керек пе", "kk")
    assert first.startswith(text(ogoh, "kk", "rule.decree-821-kz-permit.short"))
    out, first = first_lines(svc, "я гражданин казахстана, хочу внж, нужен контракт?", "ru")
    assert first.startswith(text(ogoh, "ru", "rule.decree-821-kz-permit.short"))


def test_an_offer_beside_a_residence_permit_keeps_its_own_risks(svc):
    out = svc.ask_now("у меня внж, работодатель предлагает подписать контракт с армией", None, "ru")
    assert out.lead is None or out.lead.kind != "finding"  # the offer's risks lead, in the personal answer


def test_an_offer_beside_the_penalty_question_keeps_the_personal_answer(svc):
    out = svc.ask_now("мне предложили контракт в сахарово, я из узбекистана, что будет дома если подпишу", None, "ru")
    assert out.lead is None or out.lead.kind != "finding"
    assert out.summary is not None and out.summary.risks  # the offer's serious risks, numbered
