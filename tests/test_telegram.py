"""The Telegram bot end to end: the real python-telegram-bot library, long polling against a fake
Bot API server on 127.0.0.1 (tests/fake_telegram.py)."""

from __future__ import annotations

import logging
import re
import time
from html.parser import HTMLParser

import pytest

from bot.engine.i18n import Localizer
from fastapi.testclient import TestClient

from bot.api import create_app
from bot.ogoh import Ogoh
from bot.settings import Settings
from bot.storage import open_store
from bot.telegram.app import build_application
from bot.telegram.render import first_sources, split_message
from tests.conftest import RULES, replace_in
from tests.fake_telegram import BotHarness, FakeBotApi, callback_update, inline_update, text_update, voice_update

TOKEN = "123:TEST"


def settings_for(fake: FakeBotApi, rules=RULES, **extra) -> Settings:
    return Settings(rules_dir=rules, storage_url="sqlite://:memory:", telegram_bot_token=TOKEN,
                    telegram_api_base_url=fake.base_url, **extra)


@pytest.fixture()
def bot(ogoh):
    fake = FakeBotApi(TOKEN).start()
    settings = settings_for(fake)
    store = open_store(settings.storage_url, settings.secret_key)
    app = build_application(ogoh, store, settings)
    harness = BotHarness(app, fake).start()
    harness.store = store
    yield harness
    harness.stop()
    fake.stop()
    check_all_outgoing_html(fake)


class _TagChecker(HTMLParser):
    ALLOWED = {"b", "i", "a", "u", "s", "code", "pre"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.ALLOWED:
            self.bad.append(tag)
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad.append("/" + tag)


def check_all_outgoing_html(fake: FakeBotApi) -> None:
    """Every message the bot sent: at most 4096 characters, only Telegram's tags, balanced;
    every button's callback data at most 64 bytes."""
    for call in fake.calls_to("sendMessage") + fake.calls_to("editMessageText"):
        text = call.params["text"]
        assert len(text) <= 4096
        if call.params.get("parse_mode") == "HTML":
            checker = _TagChecker()
            checker.feed(text)
            assert not checker.bad and not checker.stack, (checker.bad, text[:200])
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
            for b in row:
                assert len(b.get("callback_data", "").encode()) <= 64


def last_with_buttons(fake: FakeBotApi, prefix: str):
    for call in reversed(fake.calls_to("sendMessage") + fake.calls_to("editMessageText")):
        if any((b.get("callback_data") or "").startswith(prefix) for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []) for b in row):
            return call
    raise AssertionError(f"no message with {prefix} buttons")


def message_id_of(fake: FakeBotApi, call) -> int:
    return int(call.params.get("message_id") or 0) or next(i for i, c in enumerate(fake.calls_to("sendMessage"), 1) if c is call)


def run_interview(bot: BotHarness, lang_tag: str, tg_lang: str, answers: dict[str, str], chat_id: int):
    fake = bot.fake
    fake.push(text_update("/start", chat_id, tg_lang))
    picker = fake.wait_for("sendMessage", where=lambda c: "L:" in str(c.params.get("reply_markup")))[-1]
    codes = [data for _, data in bot.buttons(picker)]
    assert codes[0] == f"L:{tg_lang}"  # the user's Telegram language is suggested first
    n = len(fake.calls_to("sendMessage"))
    fake.push(callback_update(f"L:{lang_tag}", 1, chat_id, tg_lang))
    fake.wait_for("sendMessage", count=1, since=n)  # the menu (the privacy notice is behind a button, issue 15)
    fake.push(callback_update("M:check", 1, chat_id, tg_lang))
    asked = []
    for _ in range(12):
        q = fake.wait_for("sendMessage", where=lambda c: "'a:" in str(c.params.get("reply_markup")))[-1] if not asked else None
        current = last_with_buttons(fake, "a:")
        check_id, fact = next(d for _, d in bot.buttons(current) if d.startswith("a:")).split(":")[1:3]
        if asked and fact == asked[-1]:
            break
        asked.append(fact)
        value = answers.get(fact, "dont_know")
        values = [value] if isinstance(value, str) else list(value)
        if f"a:{check_id}:{fact}:+" in [d for _, d in bot.buttons(current)] and values[0] not in ("no", "dont_know"):
            for tick in values:  # a question with several answers: tick each (the message is edited), then Done
                n_edits = len(fake.calls_to("editMessageText"))
                fake.push(callback_update(f"a:{check_id}:{fact}:{tick}", 5, chat_id, tg_lang))
                fake.wait_for("editMessageText", count=1, since=n_edits)
            values = ["+"]
        n_edits = len(fake.calls_to("editMessageText"))
        fake.push(callback_update(f"a:{check_id}:{fact}:{values[0]}", 5, chat_id, tg_lang))
        fake.wait_for("editMessageText", count=1, since=n_edits)
        if "a:" not in str(fake.calls_to("editMessageText")[-1].params.get("reply_markup")):
            break
    return asked


SKETCH = {"home_country": "UZ", "ru_citizenship": "none", "in_russia": "yes", "military_offer": "migration_center",
          "summons": "no", "occupied_job_offer": "no", "permit_threat": "yes", "passport_taken": "no", "status_application": "no"}
DUAL_TJ = {"home_country": "TJ", "ru_citizenship": "dual", "ru_citizenship_since": "1_to_10_years", "in_russia": "yes",
           "military_offer": "no", "summons": "no", "occupied_job_offer": "no", "permit_threat": "no", "passport_taken": "no"}
ALL_NO_KZ = {"home_country": "KZ", "ru_citizenship": "none", "in_russia": "yes", "military_offer": "no", "summons": "no",
             "occupied_job_offer": "no", "permit_threat": "no", "passport_taken": "no", "status_application": "no"}


def visible(html: str) -> int:
    from html import unescape
    return len(unescape(re.sub(r"<[^>]+>", "", html)))


@pytest.mark.parametrize("lang_tag, tg_lang, answers", [
    ("ru", "ru", SKETCH), ("uz", "uz", SKETCH), ("uz-Cyrl", "uz", DUAL_TJ), ("tg", "tg", DUAL_TJ),
    ("ky", "ky", SKETCH), ("kk", "kk", ALL_NO_KZ), ("en", "en", SKETCH),
])
def test_full_check_ends_in_at_most_three_messages_the_first_one_screen(bot, ogoh, lang_tag, tg_lang, answers):
    fake = bot.fake
    chat_id = 4300 + abs(hash(lang_tag)) % 500
    run_interview(bot, lang_tag, tg_lang, answers, chat_id)
    final = fake.wait_for("sendMessage", where=lambda c: "R:todo" in str(c.params.get("reply_markup")))[-1]
    out = ogoh.assess(answers, lang_tag)
    assert out.complete and out.disclaimer in final.params["text"]
    # the result: the last question message edited into the summary, then the closing message
    summary_call = next(c for c in reversed(fake.calls_to("editMessageText")) if "X:" in str(c.params.get("reply_markup")) or out.summary.headline in c.params["text"])
    result = [summary_call, final]
    assert len(result) <= 3
    first = summary_call.params["text"]
    assert visible(first) <= 700, (lang_tag, visible(first))
    assert out.summary.headline in first
    home = [c for c in out.summary.contacts if c.country == answers["home_country"]]
    if home:
        assert home[0].value in first  # the home country's contact is on the first screen
    if out.summary.steps:
        assert out.summary.steps[0] in first
    RESULT_SIZES[lang_tag] = (len(result), visible(first))
    # one button per risk, opening it in place (the same message is edited)
    risk_buttons = [d for _, d in bot.buttons(summary_call) if d.startswith("X:")]
    assert len(risk_buttons) == len(out.summary.risks) + len(out.summary.good_to_know)  # and each item good to know
    n = len(fake.calls_to("editMessageText"))
    fake.push(callback_update("X:1", int(summary_call.params.get("message_id") or 5), chat_id, tg_lang))
    opened = fake.wait_for("editMessageText", count=1, since=n)[-1]
    lead = next(f for f in out.findings if f.rule_id == (out.summary.risks + out.summary.good_to_know)[0].rule_ids[0])
    assert lead.detail[:60] in opened.params["text"].replace("&quot;", '"')
    assert any(d == "X:0" for _, d in bot.buttons(opened))  # the open risk can be closed again
    # Sources: every source once, in the reader's language; their own words on request
    n = len(fake.calls_to("sendMessage"))
    fake.push(callback_update("SS", 9, chat_id, tg_lang))
    fake.wait_for("sendMessage", since=n, where=lambda c: "SQ" in str(c.params.get("reply_markup")))
    text = "\n".join(c.params["text"] for c in fake.calls_to("sendMessage")[n:])
    for src in first_sources(out)[:5]:  # (those behind the first screen; every one behind "All sources", REVIEW7 F9)
        assert src.publisher_text.replace("&", "&amp;") in text
    lines = [line for line in text.splitlines() if line.startswith("• ")]
    assert len(lines) == len(set(lines))
    n = len(fake.calls_to("sendMessage"))
    fake.push(callback_update("SQ", 9, chat_id, tg_lang))
    label = ogoh.book.texts["en"]["ui.source.quote_label"].text if lang_tag == "en" else None
    quotes = fake.wait_for("sendMessage", since=n, where=lambda c: "«" in c.params["text"])[0]
    assert label is None or label in quotes.params["text"]


RESULT_SIZES: dict[str, tuple[int, int]] = {}


def test_interview_offer_question_ticks_two_answers_and_done_records_both(bot, ogoh):
    """Issue 15: several offers at once. A tap ticks (✓, the same message edited), a second tap
    on the same option unticks, "Done" records the set, and the rules see both."""
    fake = bot.fake
    chat = 5100
    facts = {"home_country": "KZ", "ru_citizenship": "none", "status_application": "no", "in_russia": "yes"}
    fake.push(callback_update("M:check", 1, chat, "en"))
    fake.wait_for("sendMessage", where=lambda c: "'a:" in str(c.params.get("reply_markup")))
    done_label = ogoh.book.texts["en"]["ui.done"].text
    current = None
    for _ in range(8):
        current = last_with_buttons(fake, "a:")
        cid, fact = next(d for _, d in bot.buttons(current) if d.startswith("a:")).split(":")[1:3]
        if fact == "military_offer":
            break
        n = len(fake.calls_to("editMessageText"))
        fake.push(callback_update(f"a:{cid}:{fact}:{facts.get(fact, 'no')}", 5, chat, "en"))
        fake.wait_for("editMessageText", count=1, since=n)
    assert fact == "military_offer"
    assert ogoh.book.texts["en"]["ui.choose_all"].text in current.params["text"]
    labels = {d: text for text, d in bot.buttons(current)}
    assert labels[f"a:{cid}:military_offer:+"].startswith(done_label)
    for tick in ("employer", "police", "online", "police"):  # police ticked, then unticked
        n = len(fake.calls_to("editMessageText"))
        fake.push(callback_update(f"a:{cid}:military_offer:{tick}", 5, chat, "en"))
        shown = fake.wait_for("editMessageText", count=1, since=n)[-1]
    ticked = {d.split(":")[3] for text, d in bot.buttons(shown) if text.startswith("✓ ")}
    assert ticked == {"employer", "online"}
    state = bot.store.get_state(bot.store.hash_id("tg-user", chat))
    assert "military_offer" not in state["answers"]  # nothing recorded before "Done"
    n = len(fake.calls_to("editMessageText"))
    fake.push(callback_update(f"a:{cid}:military_offer:+", 5, chat, "en"))
    fake.wait_for("editMessageText", count=1, since=n)
    state = bot.store.get_state(bot.store.hash_id("tg-user", chat))
    assert state["answers"]["military_offer"] == ["employer", "online"]
    assert state["history"][-1] == "military_offer"
    out = ogoh.assess(state["answers"], "en")
    assert {"offer-military-contract", "offer-online-or-acquaintance"} <= {f.rule_id for f in out.findings}
    # a second "Done" or a stale tick on the old message changes nothing
    before = len(fake.calls_to("answerCallbackQuery"))
    fake.push(callback_update(f"a:{cid}:military_offer:+", 5, chat, "en"))
    fake.push(callback_update(f"a:{cid}:military_offer:police", 5, chat, "en"))
    fake.wait_for("answerCallbackQuery", count=2, since=before)
    time.sleep(0.3)
    assert bot.store.get_state(bot.store.hash_id("tg-user", chat))["answers"]["military_offer"] == ["employer", "online"]


def answer_data(bot: BotHarness, call, fact: str, value: str) -> str:
    """The callback data of one answer button on a question message (it carries the check id)."""
    return next(d for _, d in bot.buttons(call) if d.startswith("a:") and d.split(":")[2:] == [fact, value])


def test_back_button_returns_to_the_previous_question(bot):
    fake = bot.fake
    fake.push(callback_update("M:check", 1, 77, "en"))
    first = fake.wait_for("sendMessage", where=lambda c: ":ru_citizenship:" in str(c.params.get("reply_markup")))[-1]
    assert not any(d.startswith("b") for _, d in bot.buttons(first))  # nothing to go back to yet
    fake.push(callback_update(answer_data(bot, first, "ru_citizenship", "none"), 5, 77, "en"))
    second = fake.wait_for("editMessageText")[-1]
    back = next(d for _, d in bot.buttons(second) if d.startswith("b:"))
    fake.push(callback_update(back, 5, 77, "en"))
    again = fake.wait_for("editMessageText", count=2)[-1]
    assert ":ru_citizenship:none" in str(again.params["reply_markup"])


def test_unknown_commands_and_typed_menu_words_bring_the_menu(bot, ogoh):
    fake = bot.fake
    menu_text = ogoh.book.texts["ru"]["bot.menu"].text
    for i, text in enumerate(["/foo", "/settings", "start", "Меню", "menu", "старт"]):
        fake.push(text_update(text, 1200 + i, "ru"))
        reply = fake.wait_for("sendMessage", where=lambda c, i=i: str(c.params.get("chat_id")) == str(1200 + i))[-1]
        assert reply.params["text"] == menu_text, text
        assert any(d == "M:check" for _, d in bot.buttons(reply))


def test_every_tap_is_answered_and_a_stale_check_says_so(bot, ogoh):
    fake = bot.fake
    expired = ogoh.book.texts["en"]["ui.check_expired"].text
    fake.push(callback_update("M:check", 1, 1300, "en"))
    first = fake.wait_for("sendMessage", where=lambda c: ":ru_citizenship:" in str(c.params.get("reply_markup")))[-1]
    old_answer = answer_data(bot, first, "ru_citizenship", "none")
    # a new check replaces the first one: the first one's buttons are stale
    time.sleep(3.1)  # not a double tap
    fake.push(callback_update("M:check", 1, 1300, "en"))
    fake.wait_for("sendMessage", count=2, where=lambda c: ":ru_citizenship:" in str(c.params.get("reply_markup")))
    n_edits = len(fake.calls_to("editMessageText"))
    fake.push(callback_update(old_answer, 5, 1300, "en"))
    notice = fake.wait_for("answerCallbackQuery", where=lambda c: c.params.get("text") == expired)
    assert notice
    again = fake.wait_for("sendMessage", where=lambda c: c.params["text"] == expired)[-1]
    assert any(d == "M:check" for _, d in bot.buttons(again))  # "start again"
    assert len(fake.calls_to("editMessageText")) == n_edits  # the old question was not silently edited
    # after /forget an old answer is stale too, and nothing is recorded
    fake.push(text_update("/forget", 1300, "en"))
    forgotten = ogoh.book.texts["en"]["bot.forgotten"].text  # ends with the menu (issue 15)
    fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "1300" and forgotten in c.params["text"])
    fake.push(callback_update(old_answer.replace("none", "dual"), 5, 1300, "en"))
    fake.wait_for("sendMessage", count=2, where=lambda c: c.params["text"] == expired)
    assert bot.store.get_state(bot.store.hash_id("tg-user", 1300)) in (None, {})
    # a button of an old format or unknown to the bot gets a notice, never silence
    before = len(fake.calls_to("answerCallbackQuery"))
    fake.push(callback_update("a:home_country:UZ", 5, 1300, "en"))
    fake.push(callback_update("Q:whatever", 5, 1300, "en"))
    fake.wait_for("answerCallbackQuery", count=2, since=before)
    assert all(c.params.get("text") == expired for c in fake.calls_to("answerCallbackQuery")[before:])


def test_fast_double_taps_give_one_question(bot, ogoh):
    fake = bot.fake
    fake.push(callback_update("M:check", 1, 1400, "en"))
    fake.push(callback_update("M:check", 1, 1400, "en"))
    first = fake.wait_for("sendMessage", where=lambda c: ":ru_citizenship:" in str(c.params.get("reply_markup")))[-1]
    fake.wait_for("answerCallbackQuery", count=2)
    time.sleep(0.5)
    assert len([c for c in fake.calls_to("sendMessage") if ":ru_citizenship:" in str(c.params.get("reply_markup"))]) == 1
    data = answer_data(bot, first, "ru_citizenship", "none")
    fake.push(callback_update(data, 5, 1400, "en"))
    fake.push(callback_update(data, 5, 1400, "en"))
    fake.wait_for("answerCallbackQuery", count=4)
    time.sleep(0.5)
    assert len(fake.calls_to("editMessageText")) == 1  # one next question, not two
    state = bot.store.get_state(bot.store.hash_id("tg-user", 1400))
    assert state["history"] == ["ru_citizenship"]
    second = fake.calls_to("editMessageText")[-1]
    back = next(d for _, d in bot.buttons(second) if d.startswith("b:"))
    fake.push(callback_update(back, 5, 1400, "en"))
    fake.push(callback_update(back, 5, 1400, "en"))
    fake.wait_for("answerCallbackQuery", count=6)
    time.sleep(0.5)
    assert len(fake.calls_to("editMessageText")) == 2  # back once


@pytest.mark.parametrize("text, lang, topic", [
    ("мне как иностранцу пришла повестка это законно", "ru", "foreigner-conscription"),
    ("ikki davlat fuqaroligi bor odamni rossiyada kim deb biladi", "uz", "dual-citizenship"),
    ("барои кор ба минтақаҳои ишғолшуда даъват мекунанд", "tg", "occupied-territory-jobs"),
    ("келишимден баш тартсам депортация кылышабы", "ky", "work-permit-pressure"),
    ("көші-қон орталығында әскерге жазылуды ұсынды", "kk", "recruitment-offers"),
    # (no country named: with one, the reply leads with that country's finding, REVIEW9 F5, test_review9)
    ("what penalty do they give at home for fighting in a foreign war", "en", "home-country-penalties"),
])
def test_free_text_questions_in_all_six_languages(bot, ogoh, text, lang, topic):
    fake = bot.fake
    fake.push(text_update(text, 500 + len(text), lang))
    expected = ogoh.topic(topic, lang).topic
    chat = 500 + len(text)
    first = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(chat))[0]
    if any(d.startswith("U:") for _, d in bot.buttons(first)):
        # a message stating facts gets only "I understood" (tests/test_understood.py): the card
        # is one tap away, on its short-title button
        assert f"T:{topic}" in [d for _, d in bot.buttons(first)]
        fake.push(callback_update(f"T:{topic}", 5, chat, lang))
    reply = fake.wait_for("sendMessage", where=lambda c: expected.title in c.params["text"])[0]
    assert expected.title in reply.params["text"]
    assert reply.params["parse_mode"] == "HTML"
    # the sources one tap away, under the short card (bot.core.cards)
    sources = next(d for _, d in bot.buttons(reply) if d.startswith("ST:"))
    n = len(fake.calls_to("sendMessage"))
    fake.push(callback_update(sources, 6, chat, lang))
    assert expected.citations[0].publisher_text in fake.wait_for("sendMessage", since=n)[-1].params["text"]


def test_unsure_and_out_of_scope_and_small_talk(bot, ogoh):
    fake = bot.fake
    fake.push(text_update("как получить снилс", 601))
    reply = fake.wait_for("sendMessage")[-1]
    # outside what Ogoh covers: it says so in the reader's language, and leaves a way on
    # (no work, pay, patent or registration in it: the plain line, REVIEW9 F8)
    assert Localizer(ogoh.book, "ru").text("ui.out_of_scope_general") in reply.params["text"]
    assert {"M:help", "M:topics"} <= {d for _, d in bot.buttons(reply)}
    fake.push(text_update("rahmat katta", 602, "uz"))
    thanks = fake.wait_for("sendMessage", count=2)[-1]
    assert thanks.params["text"] == ogoh.ask("rahmat katta").small_talk.reply


def test_deep_link_opens_a_topic_in_the_given_language(bot, ogoh):
    fake = bot.fake
    fake.push(text_update("/start get-help_tg", 700, "ru"))
    reply = fake.wait_for("sendMessage")[-1]
    assert ogoh.topic("get-help", "tg").topic.title in reply.params["text"]


def test_inline_query_returns_shareable_topic_cards(bot, ogoh):
    fake = bot.fake
    fake.push(inline_update("dual citizenship russia", "en"))
    call = fake.wait_for("answerInlineQuery")[-1]
    results = call.params["results"]
    assert results[0]["id"] == "dual-citizenship"
    assert results[0]["input_message_content"]["parse_mode"] == "HTML"
    assert "start=dual-citizenship_en" in results[0]["reply_markup"]["inline_keyboard"][0][0]["url"]


def test_forget_deletes_interview_state(bot, ogoh):
    fake = bot.fake
    fake.push(callback_update("M:check", 1, 801, "ru"))
    first = fake.wait_for("sendMessage", where=lambda c: ":ru_citizenship:" in str(c.params.get("reply_markup")))[-1]
    fake.push(callback_update(answer_data(bot, first, "ru_citizenship", "none"), 5, 801, "ru"))
    fake.wait_for("editMessageText")
    key = bot.store.hash_id("tg-user", 801)
    assert bot.store.get_state(key)["answers"] == {"ru_citizenship": "none"}
    fake.push(text_update("/forget", 801))
    forgotten = ogoh.book.texts["ru"]["bot.forgotten"].text  # ends with the menu (issue 15)
    fake.wait_for("sendMessage", where=lambda c: c.params.get("chat_id") in (801, "801") and forgotten in c.params["text"])
    assert bot.store.get_state(key) is None


def test_clear_deletes_the_bots_messages_and_explains(bot, ogoh):
    fake = bot.fake
    fake.push(text_update("/help", 802))
    fake.push(text_update("мне пришла повестка", 802))
    fake.push(text_update("как получить снилс", 802))
    fake.wait_for("sendMessage", count=3)  # help, "I understood" (the card is a tap away), the suggestions
    deadline = time.time() + 10  # the bot records an id just after Telegram answers
    while len(sent_ids := bot.store.messages(bot.store.hash_id("tg-chat", 802))) < 3 and time.time() < deadline:
        time.sleep(0.02)
    assert len(sent_ids) >= 3
    fake.push(text_update("/clear", 802))
    deleted = fake.wait_for("deleteMessage", count=len(sent_ids))
    assert sorted(int(c.params["message_id"]) for c in deleted) == sorted(sent_ids)
    explained = ogoh.book.texts["ru"]["bot.cleared"].text
    fake.wait_for("sendMessage", where=lambda c: explained in c.params["text"])  # then the menu (issue 15)
    assert bot.store.messages(bot.store.hash_id("tg-chat", 802)) == []


def test_flood_control_429_is_retried(bot):
    fake = bot.fake
    fake.inject("sendMessage", 429, retry_after=1)
    fake.push(text_update("/help", 803))
    fake.wait_for("sendMessage", timeout=20)
    assert [c.status for c in fake.calls_to("sendMessage", ok_only=False)][:2] == [429, 200]


def test_server_errors_are_retried_with_backoff(bot):
    fake = bot.fake
    fake.inject("sendMessage", 502, times=2)
    fake.push(text_update("/help", 804))
    fake.wait_for("sendMessage", timeout=20)
    assert [c.status for c in fake.calls_to("sendMessage", ok_only=False)][:3] == [502, 502, 200]


def test_voice_message_gets_a_polite_reply_in_the_users_language(bot, ogoh):
    fake = bot.fake
    fake.push(voice_update(805, "ky"))
    reply = fake.wait_for("sendMessage")[-1]
    assert reply.params["text"] == ogoh.book.texts["ky"]["bot.unsupported_media"].text


def test_groups_answer_only_mentions(bot):
    fake = bot.fake
    fake.push(text_update("мне пришла повестка", -1001, chat_type="group"))
    fake.push(text_update("@ogoh_test_bot мне пришла повестка", -1001, chat_type="group"))
    replies = fake.wait_for("sendMessage")
    assert len(replies) == 1


def test_commands_are_registered_for_each_language(bot):
    calls = bot.fake.wait_for("setMyCommands", count=6)
    assert {c.params.get("language_code") for c in calls} >= {None, "uz", "tg", "ky", "kk", "en"}


def test_description_and_short_description_are_set_for_each_language(bot, ogoh):
    for method, key, limit in (("setMyDescription", "ui.bot_description", 512), ("setMyShortDescription", "ui.bot_short_description", 120)):
        calls = bot.fake.wait_for(method, count=6)
        by_code = {c.params.get("language_code"): c.params.get(method == "setMyDescription" and "description" or "short_description") for c in calls}
        assert set(by_code) == {None, "uz", "tg", "ky", "kk", "en"}
        assert by_code[None] == ogoh.book.texts["ru"][key].text
        assert by_code["uz"] == ogoh.book.texts["uz"][key].text and len(by_code["uz"]) <= limit
        assert len(set(by_code.values())) == 6  # each in its own language


def test_no_user_words_in_logs_or_storage(ogoh, caplog, tmp_path):
    fake = FakeBotApi(TOKEN).start()
    db = tmp_path / "bot.db"
    settings = Settings(rules_dir=RULES, storage_url=f"sqlite:///{db}", telegram_bot_token=TOKEN, telegram_api_base_url=fake.base_url)
    store = open_store(settings.storage_url, settings.secret_key)
    harness = BotHarness(build_application(ogoh, store, settings), fake)
    secret_words = ["Zebunisso", "Qashqadaryo", "паспортымды", "Mariupolga", "brigadir Rustam"]
    caplog.set_level(logging.DEBUG)
    try:
        harness.start()
        fake.push(text_update("/start", 900, "uz"))
        fake.push(text_update(f"men {secret_words[0]} {secret_words[1]}dan, {secret_words[3]} ishga chaqirishdi", 900, "uz"))
        fake.push(text_update(f"жумуш берген {secret_words[2]} алып калды, {secret_words[4]}", 900, "ky"))
        fake.inject("sendMessage", 502)
        fake.push(text_update(f"{secret_words[4]} <b>повестка</b>", 900, "ru"))
        fake.wait_for("sendMessage", count=4, timeout=20)
    finally:
        harness.stop()
        fake.stop()
    logs = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    stored = db.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("bot.db-*"))
    for word in secret_words:
        assert word not in logs
        assert word.encode() not in stored
    # the Telegram id itself is never a stored value (only its keyed hash); read row by row, since
    # the file's bytes may hold "900" by chance (a timestamp, a page's free space)
    import sqlite3

    with sqlite3.connect(db) as con:
        tables = [t for (t,) in con.execute("select name from sqlite_master where type='table'")]
        values = [v for t in tables for row in con.execute(f'select * from "{t}"') for v in row]
    assert values, "the conversation stored nothing to check"
    assert not [v for v in values if v == 900 or isinstance(v, (str, bytes)) and re.search(r"(?<!\d)900(?!\d)", v if isinstance(v, str) else v.decode("utf-8", "replace"))]


def test_long_answers_are_split_at_safe_boundaries(rules_copy):
    long_answer = " ".join(["Очень длинный ответ с <i>важными</i> словами."] * 5) 
    html = "\n\n".join(["<b>Заголовок</b>", "\n".join(f"{i}. {long_answer}" for i in range(40)), "<i>конец</i>"])
    pieces = split_message(html)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "".join(pieces).replace("\n", "") == html.replace("\n", "")
    for p in pieces:
        checker = _TagChecker()
        checker.feed(p)
        assert not checker.bad and not checker.stack


def test_long_topic_card_arrives_in_several_messages(rules_copy):
    path = rules_copy / "text" / "en.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  topic.get-help.steps:")
    steps = "\n".join(f"      Step {i}: " + "contact the embassy and keep copies of every paper " * 2 for i in range(33))
    end = re.search(r"\n  [a-z]", text[start + 10:]).start() + start + 11
    path.write_text(text[:start] + "  topic.get-help.steps:\n    text: |-\n" + steps + "\n    reviewed: false\n" + text[end:], encoding="utf-8")
    long_answer = " ".join(f"Sentence {i} says where help is and when it was published." for i in range(50))  # ~3,000 characters
    replace_in(path, text[text.index("  topic.get-help.answer:"):].split("\n")[1], f'    text: "{long_answer}"')
    ogoh = Ogoh(rules_copy)
    fake = FakeBotApi(TOKEN).start()
    settings = settings_for(fake, rules_copy)
    harness = BotHarness(build_application(ogoh, open_store("sqlite://:memory:", "k"), settings), fake).start()
    try:
        fake.push(text_update("/gethelp", 950, "en"))
        first = fake.wait_for("sendMessage", where=lambda c: "reply_markup" in c.params)
        assert len(first) == 1  # the card is short: 3 steps, the other 30 behind Details (bot.core.cards)
        fake.push(callback_update("TM:get-help", 1, 950, "en"))
        fake.wait_for("sendMessage", count=2, where=lambda c: "reply_markup" in c.params)
        parts = fake.calls_to("sendMessage")[1:]
        assert len(parts) >= 2 and all(len(p.params["text"]) <= 4096 for p in parts)
        assert "reply_markup" in parts[-1].params and all("reply_markup" not in p.params for p in parts[:-1])
    finally:
        harness.stop()
        fake.stop()
    check_all_outgoing_html(fake)


def test_webhook_rejects_a_wrong_secret_and_accepts_the_right_one(ogoh):
    fake = FakeBotApi(TOKEN).start()
    settings = settings_for(fake, telegram_webhook_secret="s3cret-token")
    try:
        with TestClient(create_app(settings, ogoh=ogoh, watch=False)) as client:
            update = {"update_id": 1, **text_update("/help", 990)}
            assert client.post("/telegram/webhook", json=update).status_code == 403
            bad = client.post("/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
            assert bad.status_code == 403 and bad.headers["content-type"].startswith("application/problem+json")
            ok = client.post("/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})
            assert ok.status_code == 200
            fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "990")
    finally:
        fake.stop()


def test_webhook_is_off_without_a_secret(ogoh):
    with TestClient(create_app(Settings(rules_dir=RULES, storage_url="sqlite://:memory:", telegram_bot_token=TOKEN), ogoh=ogoh, watch=False)) as client:
        assert client.post("/telegram/webhook", json={"update_id": 1}).status_code == 404


def test_a_second_poller_on_the_same_token_refuses_to_start(ogoh, tmp_path):
    from bot.telegram.app import PollerAlreadyRunning, run_polling

    store = open_store(f"sqlite:///{tmp_path / 'lock.db'}", "k")
    settings = Settings(rules_dir=RULES, storage_url=f"sqlite:///{tmp_path / 'lock.db'}", telegram_bot_token=TOKEN)
    lock = "tg-poller:" + store.hash_id("token", TOKEN)
    assert store.acquire_lock(lock, "other-host:123", 60)  # a poller elsewhere holds the token
    with pytest.raises(PollerAlreadyRunning):
        run_polling(ogoh, store, settings)


def test_typed_answers_during_a_check(bot, ogoh):
    fake = bot.fake
    chat = 1500
    key = bot.store.hash_id("tg-user", chat)
    tap = ogoh.book.texts["ru"]["ui.tap_a_button"].text
    fake.push(callback_update("M:check", 1, chat, "ru"))
    fake.wait_for("sendMessage", where=lambda c: ":ru_citizenship:" in str(c.params.get("reply_markup")))
    fake.push(text_update("нет!", chat, "ru"))  # an option label, folded
    fake.wait_for("sendMessage", where=lambda c: ":home_country:" in str(c.params.get("reply_markup")))
    assert bot.store.get_state(key)["answers"] == {"ru_citizenship": "none"}
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("УЗБЕКИСТАН", chat, "ru"))  # not the penalties card: the answer
    fake.wait_for("sendMessage", since=n, where=lambda c: "'a:" in str(c.params.get("reply_markup")) and ":home_country:" not in str(c.params.get("reply_markup")))
    assert bot.store.get_state(key)["answers"] == {"ru_citizenship": "none", "home_country": "UZ"}
    fake.push(text_update("назад", chat, "ru"))
    fake.wait_for("sendMessage", count=2, where=lambda c: ":home_country:" in str(c.params.get("reply_markup")))
    assert bot.store.get_state(key)["answers"] == {"ru_citizenship": "none"}
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("bilmayman", chat, "ru"))  # "I don't know" in any of our languages
    fake.wait_for("sendMessage", since=n, where=lambda c: "'a:" in str(c.params.get("reply_markup")) and ":home_country:" not in str(c.params.get("reply_markup")))
    assert bot.store.get_state(key)["answers"]["home_country"] == "dont_know"
    fake.push(text_update("👍", chat, "ru"))
    reply = fake.wait_for("sendMessage", where=lambda c: c.params["text"] == tap)[-1]
    assert any(d == "M:menu" for _, d in bot.buttons(reply))
    # the question says how far along it is: "Вопрос 3/N"
    last_q = [c for c in fake.calls_to("sendMessage") if "'a:" in str(c.params.get("reply_markup"))][-1]
    assert re.search(r"Вопрос 3/\d+", last_q.params["text"])
    # after going to the menu, typed words are questions again
    fake.push(text_update("меню", chat, "ru"))
    fake.wait_for("sendMessage", where=lambda c: c.params["text"] == ogoh.book.texts["ru"]["bot.menu"].text)
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("мне пришла повестка", chat, "ru"))
    answer = fake.wait_for("sendMessage", since=n)[-1]
    assert answer.params["text"] != tap


def group_callback_update(data: str, chat_id: int, from_id: int, owner_id: int | None = None) -> dict:
    from tests.fake_telegram import BOT_USER, user

    message = {"message_id": 77, "date": int(time.time()), "chat": {"id": chat_id, "type": "supergroup", "title": "g"},
               "from": BOT_USER, "text": "…"}
    if owner_id is not None:
        message["reply_to_message"] = {"message_id": 76, "date": int(time.time()), "chat": message["chat"],
                                       "from": user(owner_id), "text": "…"}
    return {"callback_query": {"id": f"cq{time.time_ns()}", "from": user(from_id), "chat_instance": "ci", "data": data, "message": message}}


def test_groups_get_a_private_link_and_nobody_taps_anothers_buttons(bot, ogoh):
    fake = bot.fake
    private_only = ogoh.book.texts["ru"]["ui.private_only"].text
    fake.push(text_update("/check@ogoh_test_bot", -1002, chat_type="supergroup"))
    reply = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "-1002")[-1]
    assert reply.params["text"] == private_only
    assert [d for _, d in bot.buttons(reply)] == ["https://t.me/ogoh_test_bot?start=check"]
    fake.push(text_update("/start", -1002, chat_type="supergroup"))
    fake.wait_for("sendMessage", count=2, where=lambda c: str(c.params.get("chat_id")) == "-1002")
    assert not any("'a:" in str(c.params.get("reply_markup")) for c in fake.calls_to("sendMessage"))  # no check in public
    # a check's button in a group, and someone else's topic button: a notice, nothing happens
    fake.push(group_callback_update("a:abcd:ru_citizenship:none", -1002, 43))
    fake.wait_for("answerCallbackQuery", where=lambda c: c.params.get("text") == private_only)
    fake.push(group_callback_update("T:get-help", -1002, 43, owner_id=42))
    fake.wait_for("answerCallbackQuery", where=lambda c: c.params.get("text") == ogoh.book.texts["ru"]["ui.not_your_buttons"].text)
    time.sleep(0.3)
    assert not fake.calls_to("editMessageText")
    assert len(fake.calls_to("sendMessage")) == 2
    # the link opens the check in private; a new user sees the two-line privacy summary above
    # question 1, once
    summary = ogoh.book.texts["ru"]["ui.privacy_summary"].text
    fake.push(text_update("/start check", 1600, "ru"))
    first = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "1600" and ":ru_citizenship:" in str(c.params.get("reply_markup")))[-1]
    assert summary in first.params["text"]
    assert len([c for c in fake.calls_to("sendMessage") if str(c.params.get("chat_id")) == "1600"]) == 1  # one message
    answer = next(d for _, d in bot.buttons(first) if d.startswith("a:"))
    fake.push(callback_update(answer, 1, 1600, "ru"))  # one answer: a second link is no double tap
    fake.wait_for("editMessageText", where=lambda c: str(c.params.get("chat_id")) == "1600")
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("/start check", 1600, "ru"))
    again = fake.wait_for("sendMessage", since=n, where=lambda c: str(c.params.get("chat_id")) == "1600" and ":ru_citizenship:" in str(c.params.get("reply_markup")))[-1]
    assert summary not in again.params["text"]


def test_language_choice_first_then_telegram_and_a_deep_link_only_for_its_card(bot, ogoh):
    fake = bot.fake
    chat = 1700
    key = bot.store.hash_id("tg-user", chat)
    # never chosen: Telegram's language_code
    fake.push(text_update("/help", chat, "kk"))
    fake.wait_for("sendMessage", where=lambda c: c.params["text"] == ogoh.book.texts["kk"]["bot.help"].text)
    # chosen: Uzbek, although Telegram says Kazakh
    fake.push(callback_update("L:uz", 1, chat, "kk"))
    fake.wait_for("sendMessage", where=lambda c: c.params["text"] == ogoh.book.texts["uz"]["bot.menu"].text)
    # a link shared by an English speaker: that card in English, the choice stays Uzbek
    fake.push(text_update("/start dual-citizenship_en", chat, "kk"))
    fake.wait_for("sendMessage", where=lambda c: ogoh.topic("dual-citizenship", "en").topic.title in c.params["text"])
    assert bot.store.get_state(key)["lang"] == "uz"
    # a returning user's /start goes straight to the menu in the chosen language, no picker
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("/start", chat, "kk"))
    reply = fake.wait_for("sendMessage", since=n)[-1]
    assert reply.params["text"] == ogoh.book.texts["uz"]["bot.menu"].text
    assert not any(d.startswith("L:") for _, d in bot.buttons(reply))


def test_an_old_results_buttons_say_the_check_is_over(bot, ogoh):
    fake = bot.fake
    expired = ogoh.book.texts["en"]["ui.check_expired"].text
    fake.push(text_update("/forget", 1800, "en"))
    fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "1800")
    for data in ("X:1", "SS"):
        n = len(fake.calls_to("sendMessage"))
        fake.push(callback_update(data, 5, 1800, "en"))
        reply = fake.wait_for("sendMessage", since=n)[-1]
        assert reply.params["text"] == expired and any(d == "M:check" for _, d in bot.buttons(reply))
    assert len(fake.calls_to("answerCallbackQuery")) == 2


class _LoopGuard:
    """The synchronous store, recording every call made ON the event loop's thread (a call that
    would block the loop while storage is slow). The async store calls it from a worker thread."""

    def __init__(self, inner):
        self.inner = inner
        self.on_loop: list[str] = []

    def __getattr__(self, name):
        import asyncio

        attr = getattr(self.inner, name)
        if not callable(attr) or name == "hash_id":
            return attr

        def call(*args, **kwargs):
            try:
                asyncio.get_running_loop()
                self.on_loop.append(name)
            except RuntimeError:
                pass  # a worker thread: the loop goes on
            return attr(*args, **kwargs)
        return call


def test_no_handler_touches_the_synchronous_store_on_the_event_loop(ogoh, tmp_path):
    """Onboarding, menu, topics, privacy, /forget, /clear, a check, a typed question, groups and
    the handoff (issue 13 item 2): storage is only reached through the async store."""
    from tests.test_handoff import GROUP, Replica, press, to_chat, worker_text
    from tests.test_handoff import settings_for as handoff_settings

    fake = FakeBotApi(TOKEN).start()
    settings = handoff_settings(fake, f"sqlite:///{tmp_path / 'guard.db'}")
    guard = _LoopGuard(open_store(settings.storage_url, settings.secret_key))
    replica = Replica(ogoh, guard, settings).start()
    try:
        for update in [worker_text("/start"), press("L:ru"), press("M:menu"), press("M:topics"), press("T:get-help"),
                       press("ST:get-help"), worker_text("/privacy"), worker_text("/help"), worker_text("/foo"),
                       worker_text("мне пришла повестка"), worker_text("как получить снилс"), worker_text("/check"),
                       worker_text("меню"), worker_text("/talk"), press("H:yes"), worker_text("здравствуйте"),
                       press("H:share"), worker_text("/stop"), worker_text("/clear"), worker_text("/forget")]:
            replica.feed(update)
        group_msg = {"message": {"message_id": 77, "date": int(time.time()), "chat": {"id": -100500, "type": "group"},
                                 "from": {"id": 99, "is_bot": False, "first_name": "M", "language_code": "ru"},
                                 "text": "/check@ogoh_test_bot"}}
        replica.feed(group_msg)
        assert to_chat(fake, GROUP, "sendMessage")  # the handoff ran: a case reached the volunteers
    finally:
        replica.stop()
        fake.stop()
    assert guard.on_loop == []


def test_get_help_topic_card_links_whatsapp_and_handles(ogoh):
    """As on the web page: WhatsApp numbers and @handles in the steps open the app; phone numbers
    stay text, which Telegram makes tappable itself."""
    from bot.core.service import Service
    from bot.telegram.render import topic_card

    service = Service(ogoh)
    for lang in ("ru", "tg", "uz-Cyrl"):
        loc = service.localizer(lang)
        card = topic_card(loc, service.topic_card("get-help", lang))
        assert '<a href="https://wa.me/79999125868">' in card and '<a href="https://t.me/pomoshrussiamigrant">' in card
        assert "+7 925 045-47-44" in card and "tel:" not in card
