"""What a worker reads first, session 9: a stated foreigner's call-up paper answered for him (F3),
nothing that a man who signed reads says "do not sign" (its Details, its topic buttons, the match
cards), a card beside the personal answer does not repeat its steps (by action id)."""

from __future__ import annotations

import itertools

import pytest

from bot.core.cards import card_ref, contact_for_ref, parse_ref, signed_ref, step_actions, topic_ref
from bot.core.service import Service
from bot.engine.i18n import Localizer
from bot.engine.summary import SERIOUS

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
FOREIGNER_SUMMONS = {"ru_citizenship": "none", "summons": "yes"}


@pytest.fixture(scope="module")
def service(ogoh):
    return Service(ogoh)


def actions_of(service, card) -> list[tuple[str, ...]]:
    known = step_actions(service.book, Localizer(service.book, card.lang), card.id, card.about)
    return [known.get(s, ()) for s in card.steps + card.more_steps]


# --- F3: a stated foreign citizen with a call-up paper --------------------------------------------
@pytest.mark.parametrize("about", ["self", "other"])
@pytest.mark.parametrize("lang", LANGS)
def test_a_stated_foreigners_call_up_paper_reads_the_answer_for_him_first(ogoh, lang, about):
    s = ogoh.assess({**FOREIGNER_SUMMONS, "home_country": "UZ"}, lang, about).summary
    assert s.risks == []  # no "if you have Russian citizenship, the paper is serious"
    first = s.good_to_know[0]
    assert (first.topic_id, first.status, first.rule_ids[0]) == ("foreigner-conscription", "applies", "summons-foreigner")
    assert all(r.topic_id != "naturalized-citizens" for r in s.good_to_know)
    assert {a for acts in s.step_actions[:2] for a in acts} >= {"dont_sign", "embassy"}  # don't sign; the consulate


@pytest.mark.parametrize("lang", LANGS)
def test_with_citizenship_not_known_the_call_up_paper_stays_conditional(ogoh, lang):
    s = ogoh.assess({"summons": "yes", "home_country": "UZ"}, lang).summary
    assert s.risks and s.risks[0].topic_id == "naturalized-citizens" and s.risks[0].status == "possible"


EVENTS = {"military_offer": [None, "employer"], "permit_threat": [None, "yes"], "passport_taken": [None, "yes"],
          "occupied_job_offer": [None, "yes"], "status_application": [None, "residence_permit", "citizenship"]}


def test_saying_he_is_no_russian_citizen_loses_no_serious_risk_that_does_not_rest_on_citizenship(ogoh):
    """Monotonic: every serious risk a situation shows while citizenship is not known, and that does
    not wait on it (status applies), is still shown once he says he has no Russian citizenship."""
    lost = []
    for home, *values in itertools.product(["UZ", "TJ", "KG", None], *EVENTS.values()):
        answers = {f: v for f, v in zip(EVENTS, values, strict=True) if v is not None} | {"summons": "yes"}
        if home:
            answers["home_country"] = home
        unknown = ogoh.assess(answers, "en").summary
        stated = ogoh.assess({**answers, "ru_citizenship": "none"}, "en").summary
        kept = {r.topic_id for r in stated.risks}
        gone = {r.topic_id for r in unknown.risks if r.severity in SERIOUS and r.status == "applies"} - kept
        if gone and len(stated.risks) < 3:  # (a fourth risk may be left for the findings)
            lost.append((answers, gone))
    assert lost == []


# --- a contract already signed: never "do not sign" a tap away -------------------------------------
SIGNED = {
    "ru": "меня заставили подписать контракт, я уже подписал, сейчас везут в военкомат",
    "en": "they forced me, I signed a contract yesterday, help",
    "uz": "politsiya ushlab oldi, kontraktga imzo chekdim, yordam bering",
    "tg": "маро боздошт карданд ва маҷбур карданд, шартнома имзо кардам",
    "ky": "мени кармап алышты, контрактка кол койдум",
    "kk": "мені ұстап алды, келісімшартқа қол қойдым",
    "uz-Cyrl": "мени ушлаб олишди, контрактга имзо чекдим",
}


def test_card_ref_says_signed_and_reads_back(service):
    card = service.topic_card("home-country-penalties", "ru", "other", "UZ", "home", signed=True)
    ref = card_ref(card)
    assert ref == "home-country-penalties:ohsUZ" and len(ref.encode()) <= 31
    assert parse_ref(ref) == ("home-country-penalties", "other", "UZ") and contact_for_ref(ref) == "home" and signed_ref(ref)
    assert not signed_ref("home-country-penalties:hUZ") and parse_ref("x:ohUZ") == ("x", "other", "UZ")
    assert topic_ref("recruitment-offers", "self", True) == "recruitment-offers:s"


@pytest.mark.parametrize("lang", LANGS)
def test_what_a_man_who_signed_can_tap_never_says_do_not_sign(service, lang):
    out = service.ask_now(SIGNED[lang], None, lang)
    lead = out.lead
    assert lead is not None and lead.kind == "signed", (lang, out.attention, out.facts)
    ref = card_ref(lead.card)
    topic_id, about, home = parse_ref(ref)
    details = service.topic_card(topic_id, lang, about, home, contact_for_ref(ref), signed_ref(ref))  # Sources, Details
    assert details.signed and all("dont_sign" not in a for a in actions_of(service, details))
    also = topic_ref(lead.also, lead.card.about, lead.card.signed)
    topic_id, about, home = parse_ref(also)
    card = service.topic_card(topic_id, lang, about, home, signed=signed_ref(also))
    assert all("dont_sign" not in a for a in actions_of(service, card)), (lang, card.steps)
    for c in service.match_cards(out):
        assert all("dont_sign" not in a for a in actions_of(service, c)), (lang, c.id, c.steps)


# --- a card beside the personal answer: not its steps again --------------------------------------
@pytest.mark.parametrize("about", ["self", "other"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_card_beside_a_foreigners_call_up_answer_does_not_repeat_its_steps(service, lang, about):
    s = service.assess_now({**FOREIGNER_SUMMONS, "home_country": "TJ"}, lang, about).summary
    said = {a for acts in s.step_actions for a in acts}
    assert len(s.step_actions) == len(s.steps)
    card = service.topic_card("foreigner-conscription", lang, about, "TJ")
    shown = service.card_beside(card, s)
    assert shown.steps and len(shown.steps) + len(shown.more_steps) < len(card.steps) + len(card.more_steps)
    assert all(not set(a) <= said for a in actions_of(service, shown)), (lang, shown.steps, said)
    assert "lawyer" in {a for acts in actions_of(service, shown) for a in acts}  # Decree 821: not said above, kept


def test_match_cards_leave_the_steps_only_beside_the_personal_answer(service):
    out = service.ask_now("I am a citizen of Uzbekistan, no Russian passport, I got a call-up paper", None, "en")
    if out.facts.get("ru_citizenship") != "none" or not out.matches:
        pytest.skip("the fact reader reads this message otherwise now")
    whole, beside = service.match_cards(out)[0], service.match_cards(out, personal=True)[0]
    assert len(beside.steps + beside.more_steps) < len(whole.steps + whole.more_steps)


# --- REVIEW9 F4: pressed right now, the risk is said before what to do ------------------------------
PRESSED = [
    ("ru", "меня задержали за просроченный патент, в отделе предлагают контракт вместо суда"),
    ("uz", "Saxarovoda kontrakt taklif qilishdi, imzolamasang deport qilamiz deyishdi"),
    ("en", "I was detained by police and they offer me a contract instead of court"),
]


@pytest.mark.parametrize("lang,text", PRESSED)
def test_an_urgent_reply_states_the_serious_risks_before_what_to_do(service, lang, text):
    out = service.ask_now(text, None, lang)
    lead = out.lead
    assert lead is not None and lead.kind == "urgent", (out.attention, out.facts)
    s = out.summary
    assert s is not None and s.risks, out.facts
    loc = service.localizer(out.reply_lang)
    # the offer under pressure: what the sources report (REVIEW9b G4), not "your country may prosecute you"
    expected = [loc.text("ui.urgent.pressure") if r.rule_ids[0] == "offer-military-contract" and out.reply_lang in ("ru", "en", "uz")
                else r.lead or r.text for r in s.risks][:2]
    assert lead.headline and lead.risks == expected
    assert "recruitment-offers" in {r.topic_id for r in s.risks}  # a contract means the front, and a crime at home
    # a typed message: "What you wrote points to …", never "Your answers …": he answered no question
    n = str(len(s.risks)) if len(s.risks) <= 2 and s.headline == loc.text(f"ui.summary.headline_{len(s.risks)}") else "many"
    assert lead.headline == (loc.text(f"ui.urgent.headline_{n}") if n != "many" or len(s.risks) > 2 else s.headline)
    assert lead.headline != s.headline


@pytest.mark.parametrize("lang", LANGS)
def test_an_urgent_typed_message_is_not_told_your_answers(service, lang):
    """Session 9: 'меня задержали за просроченный патент, в отделе предлагают контракт вместо суда'
    read 'Ваши ответы указывают на 2 серьёзных риска' though he answered no question."""
    loc = service.localizer(lang)
    out = service.ask_now("меня задержали за просроченный патент, в отделе предлагают контракт вместо суда", "ru", "ru")
    assert out.lead is not None and out.lead.headline == service.localizer("ru").text("ui.urgent.headline_2")
    assert out.lead.headline.startswith("То, что вы написали")
    for k in ("1", "2", "3", "many", "mixed"):  # every typed variant differs from the answers' one, in every language
        assert loc.text(f"ui.urgent.headline_{k}") != loc.text(f"ui.summary.headline_{k}")
    if lang == "en":
        assert loc.text("ui.urgent.headline_2") == "What you wrote points to 2 serious risks."


# --- REVIEW9 F9: a privacy request typed as text ---------------------------------------------------
@pytest.mark.parametrize("lang,text", [
    ("ru", "удали мои данные"), ("ru", "забудь меня, удали всё"), ("en", "forget me, delete my data"),
    ("uz", "ma'lumotlarimni o'chiring"), ("uz-Cyrl", "маълумотларимни ўчиринг"), ("tg", "маълумотҳои маро нест кунед"),
    ("ky", "маалыматтарымды өчүрүңүз"), ("kk", "деректерімді өшіріңіз"),
])
def test_a_request_to_delete_ones_data_gets_the_privacy_notice(service, lang, text):
    out = service.ask_now(text, None, lang)
    assert out.small_talk is not None and out.small_talk.kind == "privacy" and not out.matches, (out.attention, out.matches)


@pytest.mark.parametrize("lang", LANGS)
def test_the_threats_card_opens_with_what_migrants_report_not_the_2022_denial(service, lang):
    """REVIEW9 F4: "sign or be deported" opened the threats card with the Russian embassy calling such
    reports "fake" in 2022; what migrants reported since (AFP 2023), and the 2024 law, come first."""
    from bot.engine.sentences import split_answer

    card = service.topic_card("work-permit-pressure", lang)
    first = split_answer(card.lead, 1)[0]
    assert "2022" not in first and "AFP, 2023" in first, first
    assert "2022" in card.answer  # the denial is still said, after


# --- REVIEW9 F7: a Kyrgyz or Kazakh reader reads his own embassy before other countries' numbers ---
@pytest.mark.parametrize("lang", ["ky", "kk"])
def test_a_kyrgyz_or_kazakh_reader_reads_his_embassy_before_the_uzbek_agency(ogoh, lang):
    from bot.telegram import render
    from bot.telegram.render import visible_length  # noqa: F401  (the face's own text)

    out = ogoh.assess({"occupied_job_offer": "yes"}, lang)
    loc = Localizer(ogoh.book, lang)
    text = render.summary_card(loc, out)
    assert out.summary.help and "+7 925 045-47-44" in text  # every country's number still (REVIEW7 F2)
    assert text.index(out.summary.help) < text.index("+7 925 045-47-44"), text


def test_a_russian_reader_with_no_country_keeps_the_numbers_first(ogoh):
    from bot.telegram import render

    out = ogoh.assess({"occupied_job_offer": "yes"}, "ru")
    text = render.summary_card(Localizer(ogoh.book, "ru"), out)
    assert not out.summary.help or text.index("+7 925 045-47-44") < text.index(out.summary.help)


# --- REVIEW9 F8: "I signed nothing and won't" is told that nothing points to a risk ----------------
@pytest.mark.parametrize("about", ["self", "other"])
@pytest.mark.parametrize("lang", LANGS)
def test_nothing_told_that_exposes_him_is_not_answer_the_questions(ogoh, lang, about):
    from bot.engine.summary import person_key

    loc = Localizer(ogoh.book, lang)
    for answers in ({"military_offer": "no"}, {"military_offer": "no", "contract_signed": "no"}):
        s = ogoh.assess(answers, lang, about).summary
        assert s.headline == loc.text(person_key(loc, "ui.summary.headline_nothing_so_far", about)), answers
        assert not s.headline.rstrip().endswith(":")
    # nothing told at all: still "answer the questions"
    assert ogoh.assess({}, lang, about).summary.headline == loc.text(person_key(loc, "ui.summary.headline_incomplete", about))
