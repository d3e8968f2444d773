"""An offer of a military contract with nobody named ("мне предложили контракт", REVIEW4 R15, R2,
R9): the message states an offer (military_offer "yes"), the personal answer shows the offer's
risks, and the check asks who made it next, in every language and every face."""

from __future__ import annotations

import time

import pytest

from bot.matcher.facts import extractor_for
from tests.test_api import make_client


@pytest.fixture(scope="module")
def fx(book):
    return extractor_for(book)


@pytest.mark.parametrize("text, want", [
    ("мне предложили контракт", {"military_offer": "yes"}),
    ("мне предложили пойти на войну", {"military_offer": "yes"}),
    ("I was offered a military contract", {"military_offer": "yes"}),
    ("menga kontrakt taklif qilishdi", {"military_offer": "yes"}),
    ("менга контракт таклиф килишди", {"military_offer": "yes"}),  # uz Cyrillic on a Russian keyboard
    ("маған келісімшарт ұсынды", {"military_offer": "yes"}),
    ("Мага контракт сунушташты", {"military_offer": "yes"}),
    ("Ба ман контракт пешниҳод карданд", {"military_offer": "yes"}),
    ("мен қазақстан азаматымын, ресей паспорты жоқ, маған келісімшарт ұсынды",
     {"home_country": "KZ", "ru_citizenship": "none", "military_offer": "yes"}),
    # who it was, when said, is said: the finer answer
    ("работодатель предложил контракт", {"military_offer": "employer"}),
    ("brigadir kontrakt taklif qildi", {"military_offer": "employer"}),
])
def test_an_offer_with_nobody_named_is_an_offer(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text", [
    "подписал контракт",  # a contract word alone is no offer
    "если предложат контракт, что делать?",  # asked, not stated
    "мигрантам предлагают контракт?",  # people in general
    "мне никто не предлагал контракт",  # (this one is "no")
    "предложили работу в Мариуполе на стройке",  # a job, not the army
    "что такое контракт",
])
def test_no_unnamed_offer_where_none_is_stated(fx, text):
    assert fx.extract(text).facts.get("military_offer") in (None, "no")


def test_a_relative_offered_a_contract_is_about_that_person(fx):
    got = fx.extract("брату предложили контракт на СВО 5 млн обещают, он гражданин таджикистана")
    assert got.facts == {"home_country": "TJ", "military_offer": "yes"} and got.about == "other"


def test_the_api_answers_the_offer_and_asks_who_made_it(ogoh):
    client = make_client(ogoh, rate_limit_per_minute=100_000)
    out = client.post("/v1/ask", json={"text": "мен қазақстан азаматымын, ресей паспорты жоқ, маған келісімшарт ұсынды"}).json()
    assert out["facts"]["military_offer"] == "yes"
    assert out["summary"]["risks"], out["summary"]  # the offer is a risk, not "answer the questions"
    assert "offer-military-contract" in out["summary"]["risks"][0]["rule_ids"]
    q = out["next_question"]
    assert q["fact_id"] == "military_offer" and q["refines"] == "yes"
    assert "кім ұсынды" in q["question"].lower()
    assert [o["value"] for o in q["options"]] == ["migration_center", "employer", "police", "online", "acquaintance", "other", "dont_know"]
    assessed = client.post("/v1/assess", json={"facts": {"military_offer": "yes", "home_country": "UZ"}, "lang": "en"}).json()
    assert {"offer-military-contract", "contract-length"} <= {f["rule_id"] for f in assessed["findings"]}
    assert assessed["exposed"] is True and assessed["next_question"]["refines"] == "yes"
    because = next(f for f in assessed["findings"] if f["rule_id"] == "offer-military-contract")["because"]
    assert because[0]["answer_label"] == "Yes (who offered it is not said yet)"
    # the finer answer replaces it: the detention risk appears, nobody asks who again
    police = client.post("/v1/assess", json={"facts": {"military_offer": "police", "home_country": "UZ"}, "lang": "en"}).json()
    assert "offer-in-detention" in {f["rule_id"] for f in police["findings"]}
    assert (police["next_question"] or {}).get("fact_id") != "military_offer"
    # /v1/facts: "yes" is a valid answer, labelled, never a button
    facts = {f["fact_id"]: f for f in client.get("/v1/facts?lang=ru").json()["facts"]}
    assert "yes" not in [o["value"] for o in facts["military_offer"]["options"]]
    assert [o["value"] for o in facts["military_offer"]["also"]] == ["yes"]


@pytest.mark.parametrize("lang", ["en", "ru", "uz", "uz-Cyrl", "tg", "ky", "kk"])
def test_the_who_question_exists_in_every_language(ogoh, lang):
    out = ogoh.assess({"military_offer": "yes"}, lang)
    q = out.next_question
    assert q is not None and q.refines == "yes" and q.lang == lang
    assert q.question and all(o.label for o in q.options)
    other = ogoh.assess({"military_offer": "yes"}, lang, about="other").next_question
    assert other is not None and other.question != q.question  # asked about that person


KZ = "мен қазақстан азаматымын, ресей паспорты жоқ, маған келісімшарт ұсынды"


def test_telegram_typed_offer_reads_as_a_risk_and_the_check_asks_who(ogoh):
    """Against the fake Bot API: "I understood" shows the offer, Right gives its risks, the first
    question is who offered it; "police" then brings the detention risk, back restores the offer."""
    from tests.test_understood import datas, sent_to, tap, text_of, understood_message, visible
    from tests.fake_telegram import running_bot

    with running_bot(ogoh, "123:TEST") as bot:
        fake, chat = bot.fake, 3301
        card = understood_message(bot, chat, KZ, "kk")
        shown = visible(card)
        assert f"{text_of(ogoh, 'kk', 'fact.military_offer.label')}: {text_of(ogoh, 'kk', 'fact.military_offer.option.yes')}" in shown
        uid = next(d for d in datas(bot, card) if d.endswith(":ok")).split(":")[1]
        n = len(fake.calls_to("sendMessage"))
        tap(bot, chat, f"U:{uid}:ok", "kk")
        expected = ogoh.assess({"home_country": "KZ", "ru_citizenship": "none", "military_offer": "yes"}, "kk")
        assert "offer-military-contract" in expected.summary.risks[0].rule_ids
        answer = sent_to(fake, chat, since=n, where=lambda c: expected.summary.headline in visible(c))[-1]
        assert expected.summary.risks[0].lead[:40] in visible(answer)  # the offer, not "answer the questions"
        question = sent_to(fake, chat, since=n, where=lambda c: any(d.startswith("a:") for d in datas(bot, c)))[0]
        assert text_of(ogoh, "kk", "fact.military_offer.refine.yes") in visible(question)
        check_id = next(d for d in datas(bot, question) if d.startswith("a:")).split(":")[1]
        assert f"a:{check_id}:military_offer:no" not in datas(bot, question)  # he said he was offered one
        m = len(fake.calls_to("editMessageText"))
        tap(bot, chat, f"a:{check_id}:military_offer:police", "kk")  # a tick (several may have offered)
        fake.wait_for("editMessageText", since=m)
        tap(bot, chat, f"a:{check_id}:military_offer:+", "kk")
        fake.wait_for("editMessageText", since=m, count=2)
        key = bot.store.hash_id("tg-user", chat)
        deadline = time.time() + 5
        while bot.store.get_state(key)["answers"].get("military_offer") != "police" and time.time() < deadline:
            time.sleep(0.05)
        state = bot.store.get_state(key)
        assert state["answers"]["military_offer"] == "police"
        assert "offer-in-detention" in {f.rule_id for f in ogoh.assess(state["answers"], "kk").findings}
        # back: the offer as typed again, and who is asked again
        k = len(fake.calls_to("editMessageText"))
        tap(bot, chat, f"b:{check_id}:{len(state['history'])}", "kk")
        again = fake.wait_for("editMessageText", since=k)[-1]
        assert text_of(ogoh, "kk", "fact.military_offer.refine.yes") in visible(again)
        assert bot.store.get_state(key)["answers"]["military_offer"] == "yes"


def test_web_typed_offer_reads_as_a_risk_and_the_check_asks_who(ogoh):
    from html import unescape

    from tests.test_web import make_client as web_client

    client = web_client(ogoh)
    kk = ogoh.book.texts["kk"]
    page = unescape(client.post("/ask", data={"q": KZ, "lang": "kk"}).text)
    assert kk["fact.military_offer.option.yes"].text in page  # "I understood": offered, who not said
    expected = ogoh.assess({"home_country": "KZ", "ru_citizenship": "none", "military_offer": "yes"}, "kk")
    assert expected.summary.risks[0].lead[:40] in page
    base = "/check?lang=kk&home_country=KZ&ru_citizenship=none&military_offer=yes"
    question = unescape(client.get(base).text)
    assert kk["fact.military_offer.refine.yes"].text in question
    assert 'value="police"' in question and 'name="military_offer" value="no"' not in question
    after = client.get(base + "&military_offer=police")
    assert after.status_code == 200 and kk["fact.military_offer.refine.yes"].text not in unescape(after.text)
    assert "military_offer=yes" in unescape(after.text)  # back keeps the offer as typed
    kept = client.get(base + "&military_offer=dont_know")  # "I don't know who": the offer stays, not asked again
    assert kept.status_code == 200 and kk["fact.military_offer.refine.yes"].text not in unescape(kept.text)


@pytest.mark.parametrize("text, want", [
    # "from X" says where he is from, whatever passport word follows, comma or not (R1)
    ("я из таджикистана паспорта рф нет", {"home_country": "TJ", "ru_citizenship": "none"}),
    ("я из узбекистана паспорта рф нет, в миграционном центре в сахарово предложили подписать контракт",
     {"home_country": "UZ", "ru_citizenship": "none", "in_russia": "yes", "military_offer": "migration_center"}),
    # a person at a place or in a channel is that place's offer (R8)
    ("I'm from Uzbekistan, no Russian passport, a recruiter at the migration centre offered me a contract",
     {"home_country": "UZ", "ru_citizenship": "none", "military_offer": "migration_center"}),
    ("вербовщик в миграционном центре предложил контракт", {"military_offer": "migration_center"}),
    ("парень в телеграме предложил контракт", {"military_offer": "online"}),
    ("земляк предложил контракт", {"military_offer": "acquaintance"}),
    # asking about something is not stating it (R23)
    ("мне никто ничего не предлагал, просто спрашиваю про двойное гражданство", {"military_offer": "no"}),
    ("I have a question about dual citizenship", {}),
    ("ikki fuqarolik haqida so'ramoqchi edim", {}),
    ("у меня двойное гражданство, хочу спросить про мобилизацию", {"ru_citizenship": "dual"}),
    # "I, as a foreigner" says he is not a Russian citizen (R3); foreigners in general do not
    ("мне как иностранцу пришла повестка, это законно?", {"summons": "yes", "ru_citizenship": "none"}),
    ("маған повестка берді бірақ мен шетелдікпін", {"summons": "yes", "ru_citizenship": "none"}),
    ("can foreigners be drafted?", {}),
    ("могут ли иностранца призвать?", {}),
])
def test_general_causes_of_wrong_or_missed_facts(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want, about", [
    # a relative in a Russian loanword with an Uzbek ending, and citizenship received in the third person (R24)
    ("bratim voennkomatga chaqirishdi, u rossiya grajdanstvosini olgan 2022da",
     {"summons": "yes", "ru_citizenship": "naturalized", "ru_citizenship_since": "1_to_10_years"}, "other"),
    ("akam rossiya fuqaroligini olgan", {"ru_citizenship": "naturalized"}, "other"),
    ("yurist firma grajdanstvo beramiz deb pul oldi, endi xizmat qilish kerak deyapti", {}, "self"),  # money taken, not citizenship
])
def test_relatives_and_citizenship_received_in_code_switched_uzbek(fx, text, want, about):
    got = fx.extract(text)
    assert got.facts == want and got.about == about
