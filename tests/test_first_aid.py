"""REVIEW6 #9: a typed situation's first and only reply in Telegram was "I understood: …
[Right] [Change]": nothing to do and no contact until a tap, and on a throttled connection the
answer one tap away may never arrive. Now the same message says what to do now (one step from
the personal answer or from the topic he asked about, so its sources are one tap away) and gives
a contact to tap (his country's, else every country's published number and the embassy line);
the web page's answer does the same where the personal answer has no step or contact yet. The
real python-telegram-bot runs against tests/fake_telegram.py."""

from __future__ import annotations

import itertools
import re
import time

import pytest

from bot.core import replies
from bot.core.service import Service
from bot.engine.i18n import Localizer
from bot.telegram.render import FIRST_MESSAGE_CHARS, visible_length
from tests.fake_telegram import callback_update, running_bot, text_update
from tests.test_understood import visible

TOKEN = "123:TEST"
LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
FLAGSHIP = ("я гражданин узбекистана, паспорта рф нет, в миграционном центре предложили контракт, "
            "сказали не подпишешь заберут патент")
TYPED = [  # (Telegram language, message): REVIEW6 #9's four, the flagship, and one in each other language
    ("ru", FLAGSHIP),
    ("ru", "mne prishla povestka, ya iz uzbekistana, pasporta rf net"),
    ("uz", "menga voenkomatdan povestka keldi, nima qilishim kerak brat"),
    ("ru", "предлагают работу на стройке в Мариуполе 150 тысяч, ехать?"),
    ("ky", "мен Кыргызстандын жаранымын, орус паспорту жок, мага эч нерсе болбойбу"),
    ("tg", "ман аз Тоҷикистон ҳастам, шаҳрвандии Русия надорам, ба ман повестка омад"),
    ("kk", "мен Қазақстан азаматымын, маған повестка келді, не істеймін"),
    ("uz", "менга повестка келди, Россия паспорти йўқ, нима қилай"),
    ("en", "I am from Tajikistan, no Russian passport, they offered me a military contract at work"),
]


@pytest.fixture()
def bot(ogoh):
    with running_bot(ogoh, TOKEN) as harness:
        yield harness


def bullets(text: str) -> list[str]:
    return [line[2:].strip() for line in text.splitlines() if line.startswith("• ")]


def topic_steps(book, lang: str) -> set[str]:
    """Every step line any topic card can show in `lang` (its own steps, and for someone else)."""
    loc = Localizer(book, lang)
    keys = [k for k in book.texts["en"] if re.fullmatch(r"topic\.[\w-]+\.steps(\.other)?", k)]
    return {line.strip() for key in keys for line in loc.text(key).splitlines() if line.strip()}


def contact_shown(book, lang: str, line: str) -> bool:
    """A line that gives a contact to tap (a number, a handle, a site of contacts.yaml) or, for a
    country with none in our sources, the embassy line."""
    loc = Localizer(book, lang)
    named = loc.text("ui.summary.embassy_none", countries="")  # the embassy line naming its countries (REVIEW8 F6)
    return any(c.value in line for c in book.contacts) or line == loc.text("ui.summary.embassy") or line.endswith(named)


@pytest.mark.parametrize("tg_lang,message", TYPED, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(TYPED)])
def test_a_typed_situation_gets_a_step_and_a_contact_in_its_first_and_only_message(bot, ogoh, tg_lang, message):
    svc = Service(ogoh)
    fake, chat = bot.fake, 4400 + TYPED.index((tg_lang, message))
    out = svc.ask_now(message, None, prior=tg_lang)
    facts = svc.understood(out)
    assert facts and out.lead is None, (message, out.facts)
    lang = out.reply_lang
    before = len(fake.calls_to("sendMessage"))
    fake.push(text_update(message, chat, tg_lang.split("-")[0]))
    panel = fake.wait_for("sendMessage", since=before, where=lambda c: str(c.params.get("chat_id")) == str(chat))[-1]
    time.sleep(0.5)  # nothing else follows it before a tap
    assert [c for c in fake.calls_to("sendMessage")[before:] if str(c.params.get("chat_id")) == str(chat)] == [panel]
    datas = [d for _, d in bot.buttons(panel)]
    assert any(d.startswith("U:") and d.endswith(":ok") for d in datas)  # [Right] is still there
    shown = visible(panel)
    loc = Localizer(ogoh.book, lang)
    assert shown.startswith(loc.text("ui.understood.intro"))
    # what was understood first, then what to do now: one step, then a contact
    head = loc.text("ui.what_to_do") + ":"
    assert head in shown.splitlines(), shown
    todo = bullets(shown.split(head, 1)[1])
    summary = ogoh.assess(facts, lang, about=out.about).summary
    assert todo[0] in set(summary.steps) | topic_steps(ogoh.book, lang), todo[0]
    embassy = loc.text("ui.summary.embassy")
    assert any(contact_shown(ogoh.book, lang, line) for line in todo[1:]) or replies.same_step(embassy, todo[0]), todo
    # its sources one tap away: the topic's card, or the personal answer's Sources
    uid = next(d for d in datas if d.endswith(":ok")).split(":")[1]
    assert any(d.startswith("T:") for d in datas) or f"U:{uid}:SS" in datas
    assert visible_length(panel.params["text"]) <= FIRST_MESSAGE_CHARS // 2 + 150, visible_length(panel.params["text"])


def test_the_flagship_step_is_do_not_sign_and_its_sources_are_one_tap_away(bot, ogoh):
    fake, chat = bot.fake, 4499
    before = len(fake.calls_to("sendMessage"))
    fake.push(text_update(FLAGSHIP, chat, "ru"))
    panel = fake.wait_for("sendMessage", since=before, where=lambda c: str(c.params.get("chat_id")) == str(chat))[-1]
    shown = visible(panel)
    summary = ogoh.assess({"home_country": "UZ", "ru_citizenship": "none", "military_offer": "migration_center",
                           "permit_threat": "yes"}, "ru").summary
    assert summary.risks and f"• {summary.steps[0]}" in shown  # the step the personal answer leads with
    assert "+7 925 045-47-44" in shown  # Uzbekistan's agency, tappable
    uid = next(d for _, d in bot.buttons(panel) if d.endswith(":ok")).split(":")[1]
    n = len(fake.calls_to("sendMessage"))
    fake.push(callback_update(f"U:{uid}:SS", 5, chat, "ru"))
    sources = fake.wait_for("sendMessage", since=n, where=lambda c: str(c.params.get("chat_id")) == str(chat))[-1]
    assert "tashkenttimes.uz" in sources.params["text"]  # the contact's own source is among them
    # Right: the personal answer follows with the step; the panel above no longer repeats it
    n, e = len(fake.calls_to("sendMessage")), len(fake.calls_to("editMessageText"))
    fake.push(callback_update(f"U:{uid}:ok", 5, chat, "ru"))
    answer = fake.wait_for("sendMessage", since=n, where=lambda c: summary.headline in visible(c))[-1]
    edited = fake.wait_for("editMessageText", since=e)[-1]
    assert f"• {summary.steps[0]}" in visible(answer) and summary.steps[0] not in visible(edited)
    assert visible(edited).startswith(Localizer(ogoh.book, "ru").text("ui.understood.intro"))


def test_an_urgent_message_is_not_followed_by_a_second_what_to_do(bot, ogoh):
    """The urgent reply leads with its own steps and contacts; "I understood" after it stays short."""
    fake, chat = bot.fake, 4498
    before = len(fake.calls_to("sendMessage"))
    fake.push(text_update("меня задержали в полиции, говорят подпиши контракт или депортация", chat, "ru"))
    panel = fake.wait_for("sendMessage", since=before, where=lambda c: str(c.params.get("chat_id")) == str(chat)
                          and any(d.endswith(":ok") for _, d in bot.buttons(c)))[-1]
    assert Localizer(ogoh.book, "ru").text("ui.what_to_do") not in visible(panel)


def _situations():
    for home, cit, event in itertools.product(["UZ", "TJ", "KG", "KZ", "TM", None], ["none", "dual", "naturalized", None],
                                              [("summons", "yes"), ("military_offer", "yes"), ("permit_threat", "yes"),
                                               ("occupied_job_offer", "yes"), None]):
        facts = {k: v for k, v in (("home_country", home), ("ru_citizenship", cit)) if v is not None}
        if event:
            facts[event[0]] = event[1]
        if facts:
            yield facts


@pytest.mark.parametrize("lang", LANGS)
def test_every_typed_situation_has_a_step_and_a_contact(ogoh, lang):
    """Over every country x citizenship x event, for the writer and about someone else, with and
    without a matched topic: a step (the personal answer's, or the topic card's) and a contact
    or the embassy line."""
    svc = Service(ogoh)
    checked = 0
    for facts in _situations():
        for about, topic in (("self", None), ("other", None), ("self", "foreigner-conscription")):
            summary = ogoh.assess(facts, lang, about=about).summary
            aid = replies.first_aid(svc, summary, topic, lang, about, facts.get("home_country"))
            assert aid.step, (facts, about)
            if aid.topic_id is None:
                assert aid.step in summary.steps
            else:
                card = svc.topic_card(aid.topic_id, lang, about, facts.get("home_country"))
                # (about someone else with nothing serious yet: the family reply's first step, one
                # of where-to-get-help's steps for a relative, REVIEW7 F6)
                assert aid.step == card.steps[0] or about == "other" and aid.step in card.steps + card.more_steps
            embassy = Localizer(ogoh.book, lang).text("ui.summary.embassy")
            assert aid.contacts or aid.help or replies.same_step(embassy, aid.step), (facts, about)
            if facts.get("home_country"):  # his country's organisation, or (none in our sources) the embassy line
                assert len({c.label for c in aid.contacts}) == 1 or not aid.contacts, (facts, about)
            elif lang in ("ru", "en"):  # no country, no hint in the language: never one country's number picked for him
                assert len({c.country for c in aid.contacts}) != 1, (facts, about)
            if summary.risks:  # beside a serious risk: the step the personal answer leads with
                assert aid.step == summary.steps[0]
            checked += 1
    assert checked > 300


def test_the_web_answer_to_a_typed_call_up_paper_has_a_step_and_a_contact_before_what_was_understood(ogoh):
    from tests.test_web import make_client

    client = make_client(ogoh)
    page = client.post("/ask", data={"q": "menga voenkomatdan povestka keldi, nima qilishim kerak brat", "lang": "uz"}).text
    top = page.split('id="understood"', 1)[0]
    steps = re.search(r'<ul class="steps">(.*?)</ul>', top, re.S)
    assert steps and "<li>" in steps.group(1)  # the personal answer has no step yet: the topic's first one
    assert 'href="tel:+79250454744"' in top  # Uzbekistan's agency (the language's hint), tappable
    ru = client.post("/ask", data={"q": "предлагают работу на стройке в Мариуполе 150 тысяч, ехать?", "lang": "ru"}).text
    top = ru.split('id="understood"', 1)[0]
    assert 'href="tel:+79250454744"' in top and 'href="tel:+74959679844"' in top  # no country said: every country's
