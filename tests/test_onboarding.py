"""Onboarding and the Telegram details of issue 15, end to end: the real python-telegram-bot
against the fake Bot API (tests/fake_telegram.py). The first message, /forget and /clear, inline
mode, short topic buttons, one "Get help", edited messages, other people's buttons in groups, and
the taps from /start to a first personal answer."""

from __future__ import annotations

import time

import pytest

from bot.core.service import check_rules
from tests.conftest import replace_in
from tests.fake_telegram import BotHarness, FakeBotApi, callback_update, inline_update, text_update, user
from tests.test_telegram import bot, group_callback_update  # noqa: F401 - the bot fixture

LANGS = ["ru", "uz", "tg", "ky", "kk", "en"]


def t(ogoh, key: str, lang: str = "ru") -> str:
    return ogoh.book.texts[lang][key].text


def to_chat(fake: FakeBotApi, chat: int, since: int = 0) -> list:
    return [c for c in fake.calls_to("sendMessage")[since:] if str(c.params.get("chat_id")) == str(chat)]


def data_of(harness: BotHarness, call) -> list[str]:
    return [d for _, d in harness.buttons(call)]


def settle(fake: FakeBotApi, seconds: float = 0.4) -> None:
    """Let the bot finish what it is doing (to check that nothing MORE arrives)."""
    time.sleep(seconds)


def edited_update(text: str, chat_id: int, lang: str = "ru", message_id: int = 5000) -> dict:
    return {"edited_message": {"message_id": message_id, "date": int(time.time()) - 30, "edit_date": int(time.time()),
                               "chat": {"id": chat_id, "type": "private"}, "from": user(chat_id, lang), "text": text}}


# --- 1. one first message ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_a_new_user_gets_one_first_message_and_choosing_a_language_shows_the_menu(bot, ogoh, lang):  # noqa: F811
    fake = bot.fake
    chat = 2100 + LANGS.index(lang)
    fake.push(text_update("/start", chat, lang))
    first = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(chat))[0]
    settle(fake)
    assert len(to_chat(fake, chat)) == 1  # ONE message, not picker + notice + menu
    text = first.params["text"]
    assert t(ogoh, "bot.choose_language", lang) in text
    summary = t(ogoh, "ui.privacy_summary", lang)
    assert summary in text and len(summary.splitlines()) == 2  # the two-line summary, in Telegram's language
    assert t(ogoh, "bot.privacy_notice", lang) not in text  # the full notice is behind a button
    data = data_of(bot, first)
    assert data[0] == f"L:{lang}" and {f"L:{c}" for c in LANGS + ["uz-Cyrl"]} <= set(data)
    assert "M:privacy" in data and "M:check" in data
    assert all(len(row) <= 2 for row in first.params["reply_markup"]["inline_keyboard"])  # fits a phone
    # the full notice, one tap away
    n = len(fake.calls_to("sendMessage"))
    fake.push(callback_update("M:privacy", 1, chat, lang))
    notice = fake.wait_for("sendMessage", since=n)[0]
    assert t(ogoh, "bot.privacy_notice", lang) in notice.params["text"]
    # choosing a language: the menu in it, and the notice is not sent again
    other = "kk" if lang == "ru" else "ru"
    n = len(fake.calls_to("sendMessage"))
    fake.push(callback_update(f"L:{other}", 1, chat, lang))
    menu = fake.wait_for("sendMessage", since=n)[0]
    settle(fake)
    assert [c.params["text"] for c in to_chat(fake, chat, n)] == [t(ogoh, "bot.menu", other)]
    assert "M:check" in data_of(bot, menu)
    # a returning user's /start: straight to the menu
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("/start", chat, lang))
    fake.wait_for("sendMessage", since=n)
    settle(fake)
    assert [c.params["text"] for c in to_chat(fake, chat, n)] == [t(ogoh, "bot.menu", other)]
    # changing the language again: the picker (no privacy text), then the menu only
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("/language", chat, lang))
    picker = fake.wait_for("sendMessage", since=n)[0]
    assert picker.params["text"] == t(ogoh, "bot.choose_language", other)
    fake.push(callback_update(f"L:{lang}", 1, chat, lang))
    fake.wait_for("sendMessage", since=n, count=2)
    settle(fake)
    sent = [c.params["text"] for c in to_chat(fake, chat, n)]
    assert sent == [t(ogoh, "bot.choose_language", other), t(ogoh, "bot.menu", lang)]


def test_the_first_message_starts_the_check_in_one_tap(bot, ogoh):  # noqa: F811
    """Taps from /start to the first question: 1 (before: a language, then "Check my situation")."""
    fake = bot.fake
    chat = 2150
    fake.push(text_update("/start", chat, "ky"))
    first = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(chat))[0]
    check = next(d for d in data_of(bot, first) if d == "M:check")
    fake.push(callback_update(check, 1, chat, "ky"))
    question = fake.wait_for("sendMessage", where=lambda c: "'a:" in str(c.params.get("reply_markup")))[0]
    assert t(ogoh, "fact.ru_citizenship.question", "ky") in question.params["text"]  # in Telegram's language
    # having started a check, the user is a returning one: /start brings the menu, not the first message
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("/start", chat, "ky"))
    again = fake.wait_for("sendMessage", since=n)[0]
    assert again.params["text"] == t(ogoh, "bot.menu", "ky")


def test_a_shared_links_card_tells_a_new_user_the_privacy_summary_too(bot, ogoh):  # noqa: F811
    fake = bot.fake
    fake.push(text_update("/start get-help_tg", 2160, "ru"))
    card = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "2160")[0]
    assert ogoh.topic("get-help", "tg").topic.title in card.params["text"]
    assert t(ogoh, "ui.privacy_summary", "tg") in card.params["text"]  # one message: the card and the summary
    fake.push(callback_update("L:ru", 1, 2160, "ru"))  # now a returning user: the card alone
    fake.wait_for("sendMessage", count=2, where=lambda c: str(c.params.get("chat_id")) == "2160")
    fake.push(text_update("/start get-help", 2160, "ru"))
    again = fake.wait_for("sendMessage", count=3, where=lambda c: str(c.params.get("chat_id")) == "2160")[-1]
    assert ogoh.topic("get-help", "ru").topic.title in again.params["text"]
    assert t(ogoh, "ui.privacy_summary", "ru") not in again.params["text"]


# --- 2. /forget and /clear end with the menu ------------------------------------------------

@pytest.mark.parametrize("command, key", [("/forget", "bot.forgotten"), ("/clear", "bot.cleared")])
def test_forget_and_clear_end_with_the_menu(bot, ogoh, command, key):  # noqa: F811
    fake = bot.fake
    chat = 2200 if command == "/forget" else 2201
    fake.push(callback_update("L:tg", 1, chat, "ru"))
    fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(chat))
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update(command, chat, "ru"))
    reply = fake.wait_for("sendMessage", since=n, where=lambda c: t(ogoh, key, "tg") in c.params["text"])[-1]
    settle(fake)
    assert to_chat(fake, chat, n)[-1] is reply  # the last thing the user sees
    assert t(ogoh, "bot.menu", "tg") in reply.params["text"]
    assert {"M:check", "M:topics", "M:help", "M:lang", "M:privacy"} <= set(data_of(bot, reply))


# --- 3. inline mode ---------------------------------------------------------------------------

def test_inline_mode_answers_in_the_askers_language_personal_and_barely_cached(bot, ogoh):  # noqa: F811
    fake = bot.fake
    # never chose a language: Telegram's language_code, not the language of the typed letters
    fake.push(inline_update("pasport", "ky"))
    call = fake.wait_for("answerInlineQuery")[-1]
    assert call.params["is_personal"] in (True, "true", "True")
    assert int(call.params["cache_time"]) <= 10
    titles = {r["id"]: r["title"] for r in call.params["results"]}
    assert titles["get-help"] == ogoh.topic("get-help", "ky").topic.title
    # chose Uzbek in the bot (user 42 is the inline asker): Uzbek cards, although Telegram says Kazakh
    fake.push(callback_update("L:uz", 1, 42, "kk"))
    fake.wait_for("sendMessage", where=lambda c: c.params["text"] == t(ogoh, "bot.menu", "uz"))
    fake.push(inline_update("pasport", "kk"))
    call = fake.wait_for("answerInlineQuery", count=2)[-1]
    results = call.params["results"]
    assert {r["id"]: r["title"] for r in results}["get-help"] == ogoh.topic("get-help", "uz").topic.title
    assert all(r["reply_markup"]["inline_keyboard"][0][0]["url"].endswith("_uz") for r in results)


def test_inline_mode_counts_a_topic_once_per_user_not_per_typed_letter(bot, ogoh):  # noqa: F811
    fake = bot.fake
    for i, query in enumerate(["ikki fuqarolik", "ikki fuqaroligi bor", "ikki davlat fuqaroligi bor"], 1):
        fake.push(inline_update(query, "uz"))
        fake.wait_for("answerInlineQuery", count=i)
    bot._run(bot.app.bot_data["deps"].service.flush())  # the service writes its counters in batches
    counted = [row for row in bot.store.counts() if row[3] == "inline"]
    assert counted and all(row[4] == 1 for row in counted)  # the topic is counted, once
    assert all(row[2] == "uz" for row in counted)


# --- 4 and 5. short topic buttons, one "Get help" ------------------------------------------

@pytest.mark.parametrize("lang", ["ru", "ky", "uz-Cyrl"])
def test_topic_buttons_show_short_titles_that_fit_a_phone(bot, ogoh, lang):  # noqa: F811
    fake = bot.fake
    chat = 2300 + ["ru", "ky", "uz-Cyrl"].index(lang)
    fake.push(callback_update(f"L:{lang}", 1, chat, "ru"))
    fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(chat))
    n = len(fake.calls_to("sendMessage"))
    fake.push(text_update("/topics", chat, "ru"))
    listing = fake.wait_for("sendMessage", since=n)[0]
    labels = {d[2:]: label for label, d in bot.buttons(listing)}
    assert set(labels) == set(ogoh.book.topics)
    from bot.engine.i18n import Localizer

    loc = Localizer(ogoh.book, lang)
    for tid, label in labels.items():
        assert label == loc.text(f"topic.{tid}.short_title") and len(label) <= 24, (tid, label)
        assert label != ogoh.topic(tid, lang).topic.title or len(label) <= 24


def test_an_unsure_answer_has_one_get_help_button(bot, ogoh):  # noqa: F811
    fake = bot.fake
    fake.push(text_update("как получить снилс", 2310, "ru"))
    reply = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "2310")[-1]
    data = data_of(bot, reply)
    assert data.count("M:help") == 1 and "T:get-help" not in data
    labels = [label for label, _ in bot.buttons(reply)]
    assert t(ogoh, "topic.get-help.title") not in labels and all(len(label) <= 24 for label in labels)


def test_ogoh_check_flags_a_missing_or_too_long_short_title(rules_copy):
    replace_in(rules_copy / "text" / "kk.yaml", 'text: "Қос азаматтық"', 'text: "Қос азаматтық: Ресей сізді ресейлік деп санайды"')
    problems, errors, _ = check_rules(rules_copy)
    assert errors == 0
    assert any(p.file == "rules/text/kk.yaml" and "topic.dual-citizenship.short_title" in p.message and "24" in p.message
               for p in problems)
    replace_in(rules_copy / "text" / "en.yaml", '  topic.get-help.short_title:\n    text: "Where to get help"\n    reviewed: false\n', "")
    problems, errors, _ = check_rules(rules_copy)
    assert errors >= 1 and any("topic.get-help.short_title" in p.message and p.level == "error" for p in problems)


# --- 6. an edited message -----------------------------------------------------------------------

def test_an_edited_message_gets_a_short_note_not_a_second_card(bot, ogoh):  # noqa: F811
    fake = bot.fake
    chat = 2400
    fake.push(text_update("могут ли иностранца призвать в армию?", chat, "ru"))  # no facts: the topic card
    card = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(chat))[0]
    settle(fake)
    n = len(fake.calls_to("sendMessage"))
    fake.push(edited_update("мне как иностранцу пришла повестка, это законно?", chat, "ru"))
    note = fake.wait_for("sendMessage", since=n)[0]
    settle(fake)
    assert [c.params["text"] for c in to_chat(fake, chat, n)] == [t(ogoh, "ui.edited_note")]  # one short note
    assert len(note.params["text"]) < len(card.params["text"]) / 2
    data = data_of(bot, note)
    assert "T:foreigner-conscription" in data and len(data) <= 3  # the new words' topic, one tap away
    assert not fake.calls_to("editMessageText")
    # during a check: "tap one of the buttons above", and nothing is recorded
    fake.push(callback_update("M:check", 1, chat, "ru"))
    fake.wait_for("sendMessage", where=lambda c: ":ru_citizenship:" in str(c.params.get("reply_markup")))
    n = len(fake.calls_to("sendMessage"))
    fake.push(edited_update("нет", chat, "ru", message_id=5001))
    fake.wait_for("sendMessage", since=n, where=lambda c: c.params["text"] == t(ogoh, "ui.tap_a_button"))
    assert bot.store.get_state(bot.store.hash_id("tg-user", chat))["answers"] == {}


# --- 7. groups: nobody taps another person's buttons --------------------------------------------

EVERY_KIND = ["a:abcd:ru_citizenship:none", "b:abcd:1", "X:1", "SS", "SQ", "W:dual-ru", "S:dual-ru", "R:todo",
              "M:check", "M:menu", "M:topics", "M:help", "M:lang", "M:privacy", "L:uz", "T:get-help", "ST:get-help",
              "H:talk", "H:yes", "H:stop", "U:ab12:ok", "Q:unknown"]


def test_in_a_group_nobody_can_tap_another_persons_buttons_of_any_kind(bot, ogoh):  # noqa: F811
    fake = bot.fake
    group = -1003
    # the bot's answer in a group carries link buttons only: each member opens it in their own chat
    fake.push({"message": {**text_update("@ogoh_test_bot мне пришла повестка", group, chat_type="supergroup")["message"]}})
    answer = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(group))[0]
    rows = answer.params["reply_markup"]["inline_keyboard"]
    assert rows and all("url" in b and "callback_data" not in b for row in rows for b in row)
    assert any("?start=" in b["url"] for row in rows for b in row)
    n_sent, n_edits = len(fake.calls_to("sendMessage")), len(fake.calls_to("editMessageText"))
    before = len(fake.calls_to("answerCallbackQuery"))
    for i, data in enumerate(EVERY_KIND, 1):
        fake.push(group_callback_update(data, group, from_id=43, owner_id=42))  # someone else's message
        fake.push(group_callback_update(data, group, from_id=43))  # a message of nobody known
        answers = fake.wait_for("answerCallbackQuery", count=2 * i, since=before)
    settle(fake, 0.8)
    assert len(fake.calls_to("answerCallbackQuery")) - before == 2 * len(EVERY_KIND)  # each tap answered once
    notices = {t(ogoh, "ui.not_your_buttons"), t(ogoh, "ui.private_only")}
    assert all(c.params.get("text") in notices and c.params.get("show_alert") in (True, "true") for c in answers)
    assert len(fake.calls_to("sendMessage")) == n_sent and len(fake.calls_to("editMessageText")) == n_edits  # nothing acted
    assert bot.store.get_state(bot.store.hash_id("tg-user", 43)) in (None, {})
    # a group's /topics and /gethelp: public, with link buttons only
    fake.push(text_update("/topics@ogoh_test_bot", group, chat_type="supergroup"))
    listing = fake.wait_for("sendMessage", since=n_sent, where=lambda c: str(c.params.get("chat_id")) == str(group))[0]
    assert all("url" in b for row in listing.params["reply_markup"]["inline_keyboard"] for b in row)
    assert any(b["url"].endswith("?start=get-help") for row in listing.params["reply_markup"]["inline_keyboard"] for b in row)
