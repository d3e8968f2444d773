"""REVIEW7 F5, F9 and F10, left after session 6, as a worker reads the answer.

F5: a Turkmen in Kazan asking "are they forcing us to go to the war?" («я туркмен, работаю в
казани, нас заставляют идти на войну?», uz «… urushga olib ketishadimi») read that nothing points
to a risk and the penalty at home, never the one thing he asked: by Russian law a foreigner cannot
be called up. F9: the flagship's steps said "do not sign" three times in five; the expulsion-appeal
NGO stood beside the Uzbek agency for a threat over the patent; Sources on the web listed all 28.
F10: the text face printed "? … (0.51)" suggestion lines and full addresses under the answer."""

from __future__ import annotations

import glob
import json
import re

import pytest

from bot.core.replies import first_sources
from bot.engine.i18n import Localizer

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
GDP = "gdp-2023-06"  # "foreign citizens cannot be called up for military service" (FACTS R17)
# "do not sign" as each language writes it in the rule texts (read as a worker would)
DONT_SIGN = {"ru": r"не подписыв", "en": r"(do not|don't|never|not to) sign", "uz": r"imzo chekmang|imzolamang|imzo chekmasin",
             "uz-Cyrl": r"имзо чекманг|имзоламанг|имзо чекмасин", "tg": r"имзо накун", "ky": r"кол койбо",
             "kk": r"қол қоймаңыз|қол қоймасын"}
FLAGSHIP = {"home_country": "UZ", "military_offer": "employer", "permit_threat": "yes"}


@pytest.fixture(scope="module")
def svc(ogoh):
    from bot.core.service import Service

    return Service(ogoh)


def _first_sentence(loc: Localizer, key: str) -> str:
    return re.split(r"(?<=[.!?])\s", " ".join(loc.text(key).split()))[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("home", ["TM", "UZ", "TJ", "KG", "KZ"])
def test_a_stated_foreigner_reads_first_that_he_cannot_be_called_up(ogoh, book, lang, home):
    """Who he said he is (a country, nothing about a Russian passport yet), nothing happened: the
    first thing good to know is "if you are not a Russian citizen, by Russian law you cannot be
    called up", with its source among the first ones, and "refuse any contract" among the steps."""
    loc = Localizer(book, lang)
    out = ogoh.assess({"home_country": home, "in_russia": "yes"}, lang)
    s = out.summary
    assert not s.risks and s.good_to_know, s
    first = s.good_to_know[0]
    assert first.rule_ids[0] == "foreigner-not-conscripted" and first.status == "possible"
    assert first.text == " ".join(loc.text("rule.foreigner-not-conscripted.short_possible").split())
    assert GDP in {src.source_id for src in first_sources(out)}
    assert loc.text("rule.foreigner-not-conscripted.steps") in s.steps


@pytest.mark.parametrize("text,lang", [
    ("я туркмен, работаю в казани, нас заставляют идти на войну?", "ru"),
    ("salom men turkmanistonlikman moskvada ishlayman urushga olib ketishadimi", "uz"),
    ("мне 45 лет, гражданин узбекистана, просто работаю, бояться чего-то?", "ru"),
])
def test_the_typed_question_is_answered_on_every_face(svc, book, text, lang):
    """The personal answer (`message` of the API and the CLI, the bot's and the web page's answer,
    all from the summary) says the no-call-up statement, and the answer cites its source."""
    loc = Localizer(book, lang)
    out = svc.ask_now(text)
    assert out.reply_lang == lang and out.lead is None
    said = _first_sentence(loc, "rule.foreigner-not-conscripted.short_possible")
    assert said in out.message, out.message
    assert GDP in {src.source_id for src in out.sources}
    assert GDP in {src.source_id for src in first_sources(out, book)}


@pytest.mark.parametrize("citizenship", ["dual", "naturalized", "dont_know"])
def test_no_if_for_someone_who_said_he_has_a_russian_passport(ogoh, citizenship):
    """A stated Russian (or unsure) citizen is not told "if you are not a Russian citizen" in place
    of what his citizenship means."""
    s = ogoh.assess({"home_country": "UZ", "ru_citizenship": citizenship}, "ru").summary
    assert s.risks, s  # his citizenship is the serious risk
    assert "foreigner-not-conscripted" not in {rid for r in s.risks + s.good_to_know for rid in r.rule_ids}


def _dev_situations():
    for path in sorted(glob.glob("tests/data/dev/facts/*.jsonl") + glob.glob("tests/data/dev[356]/facts/*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                if row.get("facts"):
                    yield row["lang"], row["facts"], row.get("about", "self")


def test_no_answer_says_do_not_sign_twice(ogoh):
    """Over the dev situations (labelled facts, every language): no personal answer shows two steps
    that tell him not to sign (28.7 % of 1,883 did before, 114 of them three times), and none lists
    the expulsion-appeal NGO beside his own country's help (172 did)."""
    seen = twice = civic = 0
    for lang, facts, about in _dev_situations():
        try:
            s = ogoh.assess(facts, lang, about=about).summary
        except Exception:  # a labelled answer the rules no longer take (InvalidAnswers)
            continue
        seen += 1
        twice += sum(1 for step in s.steps if re.search(DONT_SIGN[lang], step.lower())) >= 2
        civic += any(c.id == "civic-assistance" for c in s.contacts)
    assert seen > 1000
    assert twice == 0 and civic == 0, (twice, civic)


@pytest.mark.parametrize("lang", LANGS)
def test_the_flagship_says_each_action_once(ogoh, book, lang):
    """The flagship (an Uzbek, the employer's offer, the patent threatened): "do not sign" once,
    "ask for a copy of any paper" still in the first three, the Uzbek agency its only help."""
    loc = Localizer(book, lang)
    s = ogoh.assess(FLAGSHIP, lang).summary
    assert sum(1 for step in s.steps if re.search(DONT_SIGN[lang], step.lower())) == 1, s.steps
    copy = loc.text("rule.offer-military-contract.steps").splitlines()[1].strip()
    assert copy in s.steps[:3], s.steps
    assert s.contacts and {c.country for c in s.contacts} == {"UZ"}, s.contacts
    assert len(s.steps) == len(set(s.steps))


def test_a_second_do_not_sign_keeps_its_other_action(book):
    """"Do not sign anything under pressure; ask for a lawyer." after another "do not sign": the
    lawyer stays, the sign is not said again."""
    from bot.engine.summary import each_action_once

    steps = [("Не подписывайте контракт.", ("dont_sign",)),
             ("Ничего не подписывайте под давлением; попросите адвоката.", ("dont_sign", "lawyer")),
             ("Не подписывайте под давлением.", ("dont_sign",)),
             ("Просите копию.", ("copy",))]
    assert each_action_once(steps) == ["Не подписывайте контракт.", "Попросите адвоката.", "Просите копию."]


def test_contact_your_embassy_is_said_once(ogoh, book):
    """"Contact your consulate." beside "Ask for a lawyer and contact your embassy." (a threat and
    an offer in detention) is the same action: the step that also asks for a lawyer stays."""
    from bot.engine.summary import each_action_once

    steps = [("Свяжитесь со своим консульством.", ("embassy",)),
             ("Требуйте адвоката и свяжитесь с посольством.", ("lawyer", "embassy")),
             ("Обратитесь в посольство или консульство своей страны.", ("embassy",))]
    assert each_action_once(steps) == ["Требуйте адвоката и свяжитесь с посольством."]
    lawyer = [("Прежде чем что-либо подписывать, требуйте адвоката.", ("lawyer",)),
              ("Требуйте адвоката и свяжитесь с посольством.", ("lawyer", "embassy"))]
    assert each_action_once(lawyer) == ["Требуйте адвоката и свяжитесь с посольством."]
    alone = [("Покажите повестку в посольстве.", ("embassy",)),
             ("Просите копию.", ("copy",))]
    assert each_action_once(alone) == [text for text, _ in alone]
    for lang in LANGS:
        loc = Localizer(book, lang)
        s = ogoh.assess({"home_country": "TJ", "military_offer": "police", "permit_threat": "yes"}, lang).summary
        detention = [step.strip() for step in loc.text("rule.offer-in-detention.steps").splitlines()]
        assert not set(detention) & set(s.steps), (lang, s.steps)  # "ask for a lawyer", "contact your consulate": said by the threat's step


def test_the_text_face_lists_its_sources_short(capsys, svc, book):
    """`ogoh ask` as text: the personal answer, then its sources numbered by publisher and date
    (those behind what it says), no "? … (0.51)" lines and no addresses; --json keeps them."""
    from bot.cli import main

    text = "я гражданин узбекистана, работодатель предлагает контракт с армией, говорит иначе заберут патент"
    assert main(["ask", text]) == 0
    shown = capsys.readouterr().out
    loc = Localizer(book, "ru")
    assert "http" not in shown and "\n  ? " not in shown, shown
    line = next(ln for ln in shown.splitlines() if ln.strip().startswith(loc.text("ui.sources") + ":"))
    out = svc.ask_now(text)
    first = first_sources(out, book)
    assert len(first) < len(out.sources)  # the rest are in --json
    numbers = [int(n) for n in re.findall(r"(?:: |; )(\d+)\. ", line)]
    assert numbers == list(range(1, len(first) + 1)) and f"{len(first)}. {first[-1].publisher_text}" in line
    assert "refugee.ru" not in shown
    assert main(["ask", "--json", text]) == 0
    assert all(src["url"] or src.get("url_note") for src in json.loads(capsys.readouterr().out)["sources"])


def test_the_web_sources_page_lists_the_first_sources_first(ogoh, book):
    """The web page's Sources for the flagship: those behind what the answer says, then the rest in
    a closed section ("All sources (N)"), each once."""
    from fastapi.testclient import TestClient

    from bot.api import create_app
    from bot.settings import Settings

    client = TestClient(create_app(Settings(storage_url="sqlite://:memory:", rules_dir=ogoh.rules_dir), ogoh=ogoh, watch=False))
    query = "&".join(f"{k}={v}" for k, v in {"lang": "ru", **FLAGSHIP}.items())
    page = client.get(f"/check/sources?{query}").text
    out = ogoh.assess(FLAGSHIP, "ru")
    first = first_sources(out)
    rest = [src for src in out.sources if src not in first]
    assert first and rest
    head, _, more = page.partition('<details class="sources" id="sources-more">')
    assert more, page
    assert all(f'id="src-{src.source_id}"' in head for src in first)
    assert all(f'id="src-{src.source_id}"' in more and f'id="src-{src.source_id}"' not in head for src in rest)
    loc = Localizer(book, "ru")
    assert loc.text("ui.sources_all", n=str(len(rest))) in more


def test_the_text_face_answers_as_the_other_faces(capsys, svc):
    """A message the bot and the web page do not answer with a personal answer (one fact, no
    topic: "nobody offered me anything") gets on the text face what they show ("I can't answer
    that reliably" and the topics), not a bare "answer the questions" headline."""
    from bot.cli import main

    text = "hech kim hech narsa taklif qilmagan"
    out = svc.ask_now(text)
    assert out.summary is not None and not svc.understood(out)
    assert main(["ask", text]) == 0
    shown = capsys.readouterr().out
    assert out.message in shown and out.summary.headline not in shown, shown
