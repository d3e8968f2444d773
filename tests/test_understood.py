"""A typed message that states a situation (issue 12 item 2): "I understood: … [Right] [Change]",
the personal answer on Right, Change per fact, and the check then asks only what is missing — in
the bot (the real python-telegram-bot against tests/fake_telegram.py) and on the web page."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

from tests.fake_telegram import callback_update, running_bot, text_update

TOKEN = "123:TEST"
KG = "у меня паспорт Кыргызстана, российского паспорта нет, пришла повестка"
KG_FACTS = {"home_country": "KG", "ru_citizenship": "none", "summons": "yes"}
UZ = "men Oʻzbekiston fuqarosiman, Rossiya pasporti yoʻq, menga chaqiruv qogʻozi keldi"
BROTHER = "мой брат из Таджикистана, российского паспорта у него нет, ему пришла повестка"


@pytest.fixture()
def bot(ogoh):
    with running_bot(ogoh, TOKEN) as harness:
        yield harness


def text_of(ogoh, lang: str, key: str) -> str:
    return ogoh.book.texts[lang][key].text


def visible(call) -> str:
    return unescape(re.sub(r"<[^>]+>", "", call.params["text"]))


def datas(bot, call) -> list[str]:
    return [d for _, d in bot.buttons(call)]


def sent_to(fake, chat: int, since: int = 0, count: int = 1, where=None):
    return fake.wait_for("sendMessage", count=count, since=since,
                         where=lambda c: str(c.params.get("chat_id")) == str(chat) and (where is None or where(c)))


def understood_message(bot, chat: int, text: str, lang: str):
    bot.fake.push(text_update(text, chat, lang))
    return sent_to(bot.fake, chat, where=lambda c: any(d.startswith("U:") for d in datas(bot, c)))[-1]


def tap(bot, chat: int, data: str, lang: str) -> None:
    bot.fake.push(callback_update(data, 5, chat, lang))


def answer_rest(bot, ogoh, chat: int, lang: str, since: int) -> list[str]:
    """Answer every question the check still asks with "I don't know"; the facts asked."""
    fake = bot.fake
    asked: list[str] = []
    current = sent_to(fake, chat, since=since, where=lambda c: any(d.startswith("a:") for d in datas(bot, c)))[-1]
    for _ in range(15):
        data = next(d for d in datas(bot, current) if d.startswith("a:"))
        check_id, fact = data.split(":")[1:3]
        asked.append(fact)
        n = len(fake.calls_to("editMessageText"))
        tap(bot, chat, f"a:{check_id}:{fact}:dont_know", lang)
        current = fake.wait_for("editMessageText", since=n)[-1]
        if not any(d.startswith("a:") for d in datas(bot, current)):
            break
    return asked


def test_a_message_stating_three_facts_gets_i_understood_then_the_personal_answer_then_only_missing_questions(bot, ogoh):
    fake, chat = bot.fake, 3101
    before = len(fake.calls_to("sendMessage"))
    card = understood_message(bot, chat, KG, "ru")
    time.sleep(0.5)  # nothing else follows it
    replies = [c for c in fake.calls_to("sendMessage")[before:] if str(c.params.get("chat_id")) == str(chat)]
    assert replies == [card]  # ONE short message before Right: no topic card above it
    shown = visible(card)
    assert shown.startswith(text_of(ogoh, "ru", "ui.understood.intro"))
    for fact, value in KG_FACTS.items():  # each fact with its label and answer from the rule files
        assert f"{text_of(ogoh, 'ru', f'fact.{fact}.label')}: {text_of(ogoh, 'ru', f'fact.{fact}.option.{value}')}" in shown
    assert len(shown) < 360  # one short message (its embassy line names Kyrgyzstan and says we have no checked number: REVIEW8 F6)
    labels = [label for label, _ in bot.buttons(card)]
    assert any(text_of(ogoh, "ru", "ui.understood.right") in label for label in labels)
    assert any(text_of(ogoh, "ru", "ui.understood.change") in label for label in labels)
    # the general topic card is one tap away, on its short title under "I understood"
    assert "T:foreigner-conscription" in datas(bot, card)
    uid = next(d for d in datas(bot, card) if d.endswith(":ok")).split(":")[1]

    n = len(fake.calls_to("sendMessage"))
    tap(bot, chat, f"U:{uid}:ok", "ru")
    expected = ogoh.assess(KG_FACTS, "ru")
    answer = sent_to(fake, chat, since=n, where=lambda c: expected.summary.headline in visible(c))[-1]
    first = (expected.summary.risks + expected.summary.good_to_know)[0]  # a foreigner's call-up paper: good to know (REVIEW6 #3)
    assert first.title in visible(answer) or first.text[:40] in visible(answer) or first.lead in visible(answer)
    assert any(d.startswith(f"U:{uid}:X:") for d in datas(bot, answer))  # a risk opens in place
    # one text message and one tap from the typed situation to the personal answer
    to_answer = [c for c in fake.calls_to("sendMessage")[before:] if str(c.params.get("chat_id")) == str(chat)]
    assert len(to_answer) <= 3  # "I understood", the answer, the next question

    # the check goes on from there: never asks what the message said
    asked = answer_rest(bot, ogoh, chat, "ru", since=n)
    assert asked and not set(asked) & set(KG_FACTS)
    first_question = sent_to(fake, chat, since=n, where=lambda c: any(d.startswith("a:") for d in datas(bot, c)))[0]
    assert re.search(r"Вопрос 4/\d+", first_question.params["text"])  # three answered by the message
    key = bot.store.hash_id("tg-user", chat)
    assert {k: v for k, v in bot.store.get_state(key)["answers"].items() if k in KG_FACTS} == KG_FACTS
    # the user's words are not stored: only the fact ids and values
    assert "повестка" not in str(bot.store.get_state(key))


def test_change_corrects_a_fact_and_the_answer_is_made_for_the_corrected_facts(bot, ogoh):
    fake, chat = bot.fake, 3102
    card = understood_message(bot, chat, KG, "ru")
    uid = next(d for d in datas(bot, card) if d.endswith(":ok")).split(":")[1]
    n = len(fake.calls_to("editMessageText"))
    tap(bot, chat, f"U:{uid}:chg", "ru")
    which = fake.wait_for("editMessageText", since=n)[-1]
    assert visible(which) == text_of(ogoh, "ru", "ui.understood.which")
    assert [d for d in datas(bot, which) if ":f:" in d] == [f"U:{uid}:f:{f}" for f in ("home_country", "ru_citizenship", "summons")]
    tap(bot, chat, f"U:{uid}:f:home_country", "ru")
    question = fake.wait_for("editMessageText", since=n, count=2)[-1]
    assert text_of(ogoh, "ru", "fact.home_country.question") in visible(question)
    assert f"U:{uid}:v:home_country:TJ" in datas(bot, question)
    assert any(label.startswith("• ") and "Кыргызстан" in label for label, _ in bot.buttons(question))  # the current one marked
    tap(bot, chat, f"U:{uid}:v:home_country:TJ", "ru")
    corrected = fake.wait_for("editMessageText", since=n, count=3)[-1]
    assert "Таджикистан" in visible(corrected) and "Кыргызстан" not in visible(corrected)
    assert f"U:{uid}:ok" in datas(bot, corrected)
    m = len(fake.calls_to("sendMessage"))
    tap(bot, chat, f"U:{uid}:ok", "ru")
    expected = ogoh.assess({**KG_FACTS, "home_country": "TJ"}, "ru")
    wrong = ogoh.assess(KG_FACTS, "ru")
    answer = sent_to(fake, chat, since=m, where=lambda c: expected.summary.headline in visible(c))[-1]
    first = (expected.summary.risks + expected.summary.good_to_know)[0]
    assert first.text[:60] in visible(answer) or first.lead in visible(answer)
    # made for TJ, not KG (the call-up paper comes first for both: CONTENT review; Tajik help shown)
    tajik = next(c for c in expected.summary.contacts if c.country == "TJ")
    assert tajik.value in visible(answer) and not any(c.country == "TJ" for c in wrong.summary.contacts)
    asked = answer_rest(bot, ogoh, chat, "ru", since=m)
    assert not set(asked) & set(KG_FACTS)


def test_a_message_about_someone_else_says_so(bot, ogoh):
    fake, chat = bot.fake, 3103
    card = understood_message(bot, chat, BROTHER, "ru")
    assert visible(card).startswith(text_of(ogoh, "ru", "ui.understood.intro_other"))
    uid = next(d for d in datas(bot, card) if d.endswith(":ok")).split(":")[1]
    n = len(fake.calls_to("sendMessage"))
    tap(bot, chat, f"U:{uid}:ok", "ru")
    answer = sent_to(fake, chat, since=n, where=lambda c: any(d.startswith(f"U:{uid}:") for d in datas(bot, c)))[-1]
    assert visible(answer).startswith(text_of(ogoh, "ru", "ui.understood.about_other"))


def test_uzbek_situation_in_uzbek_and_a_double_tap_on_right_answers_once(bot, ogoh):
    fake, chat = bot.fake, 3104
    card = understood_message(bot, chat, UZ, "uz")
    assert visible(card).startswith(text_of(ogoh, "uz", "ui.understood.intro"))
    assert "Oʻzbekiston" in visible(card)
    uid = next(d for d in datas(bot, card) if d.endswith(":ok")).split(":")[1]
    n = len(fake.calls_to("sendMessage"))
    tap(bot, chat, f"U:{uid}:ok", "uz")
    tap(bot, chat, f"U:{uid}:ok", "uz")
    headline = ogoh.assess({"home_country": "UZ", "ru_citizenship": "none", "summons": "yes"}, "uz").summary.headline
    sent_to(fake, chat, since=n, where=lambda c: any(d.startswith("a:") for d in datas(bot, c)))
    fake.wait_for("answerCallbackQuery", count=2)
    time.sleep(0.3)
    answers = [c for c in fake.calls_to("sendMessage")[n:] if headline in visible(c)]
    assert len(answers) == 1


def test_old_understood_buttons_after_forget_say_the_check_is_over(bot, ogoh):
    fake, chat = bot.fake, 3105
    card = understood_message(bot, chat, KG, "ru")
    uid = next(d for d in datas(bot, card) if d.endswith(":ok")).split(":")[1]
    fake.push(text_update("/forget", chat, "ru"))
    sent_to(fake, chat, where=lambda c: text_of(ogoh, "ru", "bot.forgotten") in visible(c))
    n = len(fake.calls_to("sendMessage"))
    tap(bot, chat, f"U:{uid}:ok", "ru")
    sent_to(fake, chat, since=n, where=lambda c: visible(c) == text_of(ogoh, "ru", "ui.check_expired"))


def test_a_question_without_facts_gets_no_i_understood(bot, ogoh):
    fake, chat = bot.fake, 3106
    fake.push(text_update("могут ли иностранца призвать в армию?", chat, "ru"))
    card = sent_to(fake, chat)[-1]
    time.sleep(0.5)
    assert not any(d.startswith("U:") for c in fake.calls_to("sendMessage") for d in datas(bot, c))
    assert "foreigner-conscription" in str(card.params.get("reply_markup"))  # the topic card itself


# --- the web question box ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def web(ogoh):
    from tests.test_web import make_client

    return make_client(ogoh)


def links(html: str) -> list[tuple[str, str]]:
    from tests.test_web import Page

    return Page(html).links


def test_web_question_box_shows_what_it_understood_the_answer_and_continues_with_only_the_missing(web, ogoh):
    from urllib.parse import parse_qsl, urlsplit

    r = web.post("/ask", data={"q": KG, "lang": "ru"})
    assert r.status_code == 200
    html = unescape(r.text)
    assert text_of(ogoh, "ru", "ui.understood.intro") in html
    for fact, value in KG_FACTS.items():
        assert text_of(ogoh, "ru", f"fact.{fact}.option.{value}") in html
    expected = ogoh.assess(KG_FACTS, "ru")
    assert expected.summary.headline in html  # the personal answer
    assert ogoh.topic("foreigner-conscription", "ru").topic.title in html  # the topic card below it
    # the words typed are in no address and not in the title
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert "повестка" not in title and "Кыргызстана" not in title
    hrefs = [href for href, _ in links(r.text)]
    assert not any("повестка" in h or "%D0%BF%D0%BE%D0%B2" in h for h in hrefs)
    # one change link per understood fact, to that fact's question
    changes = [h for h in hrefs if h.startswith("/check/change")]
    assert sorted(dict(parse_qsl(urlsplit(h).query))["change"] for h in changes) == sorted(KG_FACTS)

    # change the home country: the question with its options, the current one marked
    change = next(h for h in changes if "change=home_country" in h)
    page = web.get(change)
    assert text_of(ogoh, "ru", "fact.home_country.question") in unescape(page.text)
    assert 'aria-current="true"' in page.text
    tj = next(h for h, label in links(page.text) if label.strip() == text_of(ogoh, "ru", "fact.home_country.option.TJ"))
    assert urlsplit(tj).path == "/check/understood"
    again = web.get(tj)
    assert again.status_code == 200
    corrected = unescape(again.text)
    assert ogoh.assess({**KG_FACTS, "home_country": "TJ"}, "ru").summary.headline in corrected
    kg_penalty = next(r.text for r in expected.summary.risks + expected.summary.good_to_know if "penalties-kg" in r.rule_ids)
    assert kg_penalty in html and kg_penalty not in corrected  # the Kyrgyz penalties are gone
    assert text_of(ogoh, "ru", "ui.understood.title") in re.search(r"<title>(.*?)</title>", corrected).group(1)

    # continue the check: only what is still missing is asked
    go_on = next(h for h, label in links(again.text) if label.strip() == text_of(ogoh, "ru", "ui.understood.continue"))
    asked: list[str] = []
    url = go_on
    for _ in range(15):
        q = web.get(url)
        params = dict(parse_qsl(urlsplit(url).query))
        nxt = ogoh.assess({k: v for k, v in params.items() if k != "lang"}, "ru").next_question
        if nxt is None:
            assert ogoh.assess({k: v for k, v in params.items() if k != "lang"}, "ru").summary.headline in unescape(q.text)
            break
        asked.append(nxt.fact_id)
        assert nxt.question in unescape(q.text)
        url = url + f"&{nxt.fact_id}=dont_know"
    assert asked and not set(asked) & set(KG_FACTS)


def test_web_about_someone_else_says_so_and_keeps_it_through_a_change(web, ogoh):
    r = web.post("/ask", data={"q": BROTHER, "lang": "ru"})
    html = unescape(r.text)
    assert text_of(ogoh, "ru", "ui.understood.intro_other") in html
    assert text_of(ogoh, "ru", "ui.understood.about_other") in html
    change = next(h for h, _ in links(r.text) if h.startswith("/check/change") and "change=summons" in h)
    no = next(h for h, label in links(web.get(change).text) if label.strip() == text_of(ogoh, "ru", "fact.summons.option.no"))
    assert "about=other" in no
    assert text_of(ogoh, "ru", "ui.understood.about_other") in unescape(web.get(no).text)


def test_an_out_of_scope_message_naming_a_city_in_passing_gets_no_i_understood(bot, web, ogoh):
    """"The weather in Moscow" states in_russia=yes but is no situation: neither face answers for it."""
    text = "какая погода будет завтра в Москве и где купить дешёвый телевизор"
    assert ogoh.ask(text, "ru").facts and not ogoh.ask(text, "ru").matches
    fake, chat = bot.fake, 3107
    fake.push(text_update(text, chat, "ru"))
    reply = sent_to(fake, chat)[-1]
    time.sleep(0.5)
    assert not any(d.startswith("U:") for c in fake.calls_to("sendMessage") for d in datas(bot, c))
    assert "M:help" in datas(bot, reply)
    assert text_of(ogoh, "ru", "ui.understood.intro") not in unescape(web.post("/ask", data={"q": text, "lang": "ru"}).text)


def test_a_situation_typed_during_a_check_is_understood_for_what_it_has_not_asked(bot, ogoh):
    """Mid-check, words stating facts not asked yet get "I understood" (not "tap a button"); Right
    adds them to the check's answers, which then asks only what is still missing. Words stating
    only facts already answered still get "tap a button above"."""
    fake, chat = bot.fake, 3108
    key = bot.store.hash_id("tg-user", chat)
    tap_text = text_of(ogoh, "ru", "ui.tap_a_button")
    fake.push(callback_update("M:check", 1, chat, "ru"))
    first = sent_to(fake, chat, where=lambda c: ":ru_citizenship:" in str(c.params.get("reply_markup")))[-1]
    check_id = next(d for d in datas(bot, first) if d.startswith("a:")).split(":")[1]
    n = len(fake.calls_to("editMessageText"))
    tap(bot, chat, f"a:{check_id}:ru_citizenship:none", "ru")
    fake.wait_for("editMessageText", since=n)
    n = len(fake.calls_to("sendMessage"))
    card = understood_message(bot, chat, "у меня паспорт Кыргызстана, пришла повестка", "ru")
    rows = visible(card)
    assert f"{text_of(ogoh, 'ru', 'fact.home_country.label')}: {text_of(ogoh, 'ru', 'fact.home_country.option.KG')}" in rows
    assert text_of(ogoh, "ru", "fact.ru_citizenship.label") not in rows  # already answered: not repeated
    assert tap_text not in [c.params["text"] for c in fake.calls_to("sendMessage")[n:]]
    uid = next(d for d in datas(bot, card) if d.endswith(":ok")).split(":")[1]
    n = len(fake.calls_to("sendMessage"))
    tap(bot, chat, f"U:{uid}:ok", "ru")
    nxt = sent_to(fake, chat, since=n, where=lambda c: any(d.startswith("a:") for d in datas(bot, c)))[-1]
    answers = bot.store.get_state(key)["answers"]
    assert answers["ru_citizenship"] == "none" and answers["home_country"] == "KG" and answers["summons"] == "yes"
    asked = next(d for d in datas(bot, nxt) if d.startswith("a:")).split(":")[2]
    assert asked not in ("ru_citizenship", "home_country", "summons")
    # nothing new in the words: "tap a button above"
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("у меня паспорт Кыргызстана", chat, "ru"))
    sent_to(fake, chat, since=n, where=lambda c: c.params["text"] == tap_text)


def test_understood_rows_list_every_answer_of_a_fact_with_several(ogoh):
    # after a check answered "employer" and "online ad", a situation typed mid-check merges into
    # those answers; "I understood" then shows both in the reader's words, not a Python list
    from bot.core.service import Service
    from bot.core.store import async_store
    from bot.storage import open_store
    from bot.telegram.handlers.understood import fact_rows

    svc = Service(ogoh, async_store(open_store("sqlite://:memory:", "s")))
    rows = dict(fact_rows(svc, "ru", {"military_offer": ["employer", "online"], "home_country": "KG"}))
    offer = next(q for q in svc.facts("ru").facts if q.fact_id == "military_offer")
    labels = {o.value: o.label for o in offer.options}
    assert labels["employer"] in rows["military_offer"] and labels["online"] in rows["military_offer"]
    assert "[" not in rows["military_offer"] and "Кыргызстан" in rows["home_country"]


def test_the_bot_answers_a_message_about_a_brother_for_him_and_asks_on_about_him(bot, ogoh):
    """Issue 12 item 1: "мой брат …" got "Ваши ответы указывают …", "Вам предложили …" and "У вас
    есть гражданство России?". Now the personal answer and the questions after it speak of him
    (texts <key>.other); a new check from the menu is the user's own again."""
    fake, chat = bot.fake, 3109
    card = understood_message(bot, chat, BROTHER, "ru")
    uid = next(d for d in datas(bot, card) if d.endswith(":ok")).split(":")[1]
    facts = {"home_country": "TJ", "ru_citizenship": "none", "summons": "yes"}
    expected = ogoh.assess(facts, "ru", about="other").summary
    assert expected.headline != ogoh.assess(facts, "ru").summary.headline
    n = len(fake.calls_to("sendMessage"))
    tap(bot, chat, f"U:{uid}:ok", "ru")
    answer = sent_to(fake, chat, since=n, where=lambda c: expected.headline in visible(c))[-1]
    shown = visible(answer)
    assert not re.search(r"(?<!\w)(Ваши|вам|Вам|у вас)(?!\w)", shown.replace("По вашим словам", "")), shown
    question = sent_to(fake, chat, since=n, where=lambda c: any(d.startswith("a:") for d in datas(bot, c)))[-1]
    fact = next(d for d in datas(bot, question) if d.startswith("a:")).split(":")[2]
    assert text_of(ogoh, "ru", f"fact.{fact}.question.other") in visible(question)


def test_the_web_page_answers_a_message_about_a_brother_for_him_and_the_check_goes_on_about_him(web, ogoh):
    r = web.post("/ask", data={"q": BROTHER, "lang": "ru"})
    html = unescape(r.text)
    facts = {"home_country": "TJ", "ru_citizenship": "none", "summons": "yes"}
    other, own = ogoh.assess(facts, "ru", about="other"), ogoh.assess(facts, "ru")
    assert other.summary.headline in html and own.summary.headline not in html
    assert (text_of(ogoh, "ru", "ui.summary.risks.other") in html) == bool(other.summary.risks)
    assert text_of(ogoh, "ru", "ui.summary.risks") not in html  # never "Риски для вас"
    for step in other.summary.steps[:3]:
        assert step in html
    go_on = next(h for h, _ in links(r.text) if h.startswith("/check?"))
    assert "about=other" in go_on
    page = unescape(web.get(go_on).text)
    q = other.next_question
    assert q is not None and q.question == text_of(ogoh, "ru", f"fact.{q.fact_id}.question.other")
    assert q.question in page
    assert '<input type="hidden" name="about" value="other">' in page  # the answer keeps it
    # the own check, started from the home page, is the user's own
    mine = unescape(web.get("/check?lang=ru&home_country=TJ").text)
    assert 'name="about"' not in mine


def test_i_understood_about_a_brother_names_his_answers_not_mine(bot, ogoh):
    """"Military contract offer: Yes, my employer" under "About the person you wrote about" spoke
    as the asker; the rows use the answer texts for someone else (fact.<id>.option.<v>.other)."""
    card = understood_message(bot, 3111, "работодатель предложил моему брату военный контракт, он из Узбекистана", "ru")
    shown = visible(card)
    assert shown.startswith(text_of(ogoh, "ru", "ui.understood.intro_other"))
    assert text_of(ogoh, "ru", "fact.military_offer.option.employer.other") in shown
    assert text_of(ogoh, "ru", "fact.military_offer.option.employer") not in shown  # "Да, мой работодатель"


def test_right_after_a_question_with_one_trivial_fact_answers_the_question_asked(bot, ogoh):
    """REVIEW4 R22: "I work in Moscow, if I sign a contract will they give me citizenship?" was
    understood as only "In Russia: yes"; Right led to "answer the questions to get an answer" and
    a question, the answer to what he asked behind the small topic button. Now the asked topic's
    card (its first sentences, Sources, Details) follows the personal answer, before the question,
    and the question opens with the disclaimer."""
    from bot.core.cards import card_ref
    from bot.core.service import Service

    service = Service(ogoh)
    fake, chat, text = bot.fake, 3191, "salom, man dar moskva kor mekunam, kontrakt imzo kunam shahrvandi medihand?"
    asked = ogoh.ask(text, lang="tg")
    assert asked.facts == {"in_russia": "yes"} and asked.matches  # the situation the review found
    lang, topic = asked.reply_lang, asked.matches[0].topic_id
    card = understood_message(bot, chat, text, "tg")
    uid = next(d for d in datas(bot, card) if d.endswith(":ok")).split(":")[1]
    n = len(fake.calls_to("sendMessage"))
    tap(bot, chat, f"U:{uid}:ok", "tg")
    question = sent_to(fake, chat, since=n, where=lambda c: any(d.startswith("a:") for d in datas(bot, c)))[-1]
    after = [c for c in fake.calls_to("sendMessage")[n:] if str(c.params.get("chat_id")) == str(chat)]
    expected = service.topic_card(topic, lang)
    topic_msgs = [c for c in after if f"ST:{card_ref(expected)}" in datas(bot, c)]
    assert topic_msgs, [visible(c)[:80] for c in after]
    assert expected.lead in visible(topic_msgs[0])  # the answer to his question, on the path Right invites
    assert after.index(topic_msgs[0]) < after.index(question)  # before the questions go on
    assert ogoh.assess({"in_russia": "yes"}, lang).disclaimer in visible(question)
