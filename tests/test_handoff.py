"""Talk to a person (issue 16): the anonymous handoff to NGO volunteers, end to end with the real
python-telegram-bot library against the fake Bot API on 127.0.0.1 (a worker's private chat and
a volunteers' group), plus the token, routing and urgency logic on their own."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

import pytest
from telegram import Update

from bot.handoff import (TOKEN_PREFIX, Cases, HandoffConfig, HandoffConfigError, UrgencyWords, case_from_label, case_label,
                         derive_key, parse_chats, seal, unseal, urgency_for)
from bot.settings import Settings
from bot.storage import open_store
from bot.telegram.app import build_application
from tests.conftest import RULES
from tests.fake_telegram import BOT_USER, BotHarness, FakeBotApi, callback_update, group_update, photo_update, text_update

TOKEN = "123:TEST"
GROUP = -1001234567890
OTHER_GROUP = -1009876543210
WORKER = 5550001234  # a private chat id is the user's id
WORKER_B = 5550009876
# What must never reach the volunteers' group: the worker's Telegram identity.
WORKER_USER = {"id": WORKER, "is_bot": False, "first_name": "Zarina", "last_name": "Karimova",
               "username": "zarina_k1990", "language_code": "ru"}
VOLUNTEER = {"id": 31337420, "is_bot": False, "first_name": "Olga", "last_name": "Volunteerova", "username": "olga_helps"}
IDENTITY = ["Zarina", "Karimova", "zarina_k1990", str(WORKER), "t.me/zarina", "tg://user"]


def settings_for(fake: FakeBotApi, storage_url: str = "sqlite://:memory:", **extra) -> Settings:
    extra.setdefault("handoff_chats", GROUP)
    extra.setdefault("handoff_ngo_name", "Test Aid Network")
    return Settings(rules_dir=RULES, storage_url=storage_url, telegram_bot_token=TOKEN,
                    telegram_api_base_url=fake.base_url, secret_key="test-secret-key-for-handoff", **extra)


class Replica:
    """One webhook replica: the real Application in webhook mode, fed updates one at a time
    (as the webhook route does), its own event loop in a thread."""

    def __init__(self, ogoh, store, settings):
        self.app = build_application(ogoh, store, settings, webhook=True)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def _run(self, coro, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self) -> "Replica":
        self.thread.start()

        async def go():
            await self.app.initialize()
            await self.app.post_init(self.app)
            await self.app.start()

        self._run(go())
        return self

    def feed(self, update: dict) -> None:
        payload = {"update_id": int(time.time_ns() % 10**9), **update}
        self._run(self.app.process_update(Update.de_json(payload, self.app.bot)))

    def stop(self) -> None:
        async def go():
            await self.app.stop()
            await self.app.shutdown()

        self._run(go())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


@pytest.fixture()
def fake():
    api = FakeBotApi(TOKEN).start()
    yield api
    api.stop()


@pytest.fixture()
def bot(ogoh, fake, tmp_path):
    settings = settings_for(fake, f"sqlite:///{tmp_path / 'handoff.db'}")
    store = open_store(settings.storage_url, settings.secret_key)
    replica = Replica(ogoh, store, settings).start()
    replica.store, replica.fake, replica.db = store, fake, tmp_path / "handoff.db"
    yield replica
    replica.stop()


# --- building what Telegram would send ------------------------------------------------------

_ids = iter(range(10_000, 10**9))


def worker_text(text: str, chat: int = WORKER, lang: str = "ru", sender: dict | None = None) -> dict:
    update = text_update(text, chat, lang)
    update["message"]["message_id"] = next(_ids)
    update["message"]["from"] = dict(sender or WORKER_USER, id=chat, language_code=lang)
    return update


def press(data: str, chat: int = WORKER, lang: str = "ru") -> dict:
    update = callback_update(data, 1, chat, lang)
    update["callback_query"]["from"] = dict(WORKER_USER, id=chat, language_code=lang)
    return update


def answer_check(feeder, fake: FakeBotApi, answers: dict[str, str], chat: int = WORKER, lang: str = "ru") -> None:
    """Answer the running check's current questions from `answers` (buttons carry the check id)."""
    for _ in range(len(answers) + 1):
        last = next((c for c in reversed(to_chat(fake, chat)) if any(d and d.startswith("a:") for d in buttons(c))), None)
        data = next((d for d in buttons(last) if d and d.startswith("a:")), None) if last else None
        if data is None or data.split(":")[2] not in answers:
            return
        _, cid, fact, _ = data.split(":")
        feeder.feed(press(f"a:{cid}:{fact}:{answers[fact]}", chat, lang))


def as_group_message(call) -> dict:
    """The message the group holds after a sendMessage/copyMessage call, as Telegram gives it in
    `reply_to_message`: sent by the bot, with its inline keyboard."""
    message = {"message_id": call.result["message_id"], "date": int(time.time()), "chat": {"id": GROUP, "type": "supergroup", "title": "g"},
               "from": BOT_USER, "text": call.params.get("text", "…")}
    if call.params.get("reply_markup"):
        message["reply_markup"] = call.params["reply_markup"]
    return message


def volunteer_reply(text: str, to_call, group: int = GROUP) -> dict:
    return group_update(text, group, VOLUNTEER, next(_ids), reply_to=as_group_message(to_call))


def to_chat(fake: FakeBotApi, chat: int, method: str | None = None) -> list:
    return [c for c in fake.calls if c.status == 200 and str(c.params.get("chat_id")) == str(chat)
            and (method is None or c.method == method)]


def texts_to(fake: FakeBotApi, chat: int) -> list[str]:
    return [c.params.get("text", "") for c in to_chat(fake, chat, "sendMessage")]


def buttons(call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b.get("callback_data") or b.get("url") for row in markup.get("inline_keyboard", []) for b in row]


def t(ogoh, key: str, lang: str = "ru", **values: str) -> str:
    from bot.engine.i18n import Localizer

    return Localizer(ogoh.book, lang).text(key, **values)


def connect(bot: Replica, chat: int = WORKER, lang: str = "ru") -> str:
    """/talk, the consent screen, "I agree": returns the case label."""
    bot.feed(worker_text("/talk", chat, lang))
    consent = to_chat(bot.fake, chat, "sendMessage")[-1]
    assert "H:yes" in buttons(consent)
    bot.feed(press("H:yes", chat, lang))
    header = to_chat(bot.fake, GROUP, "sendMessage")[-1]
    label = header.params["text"].split("#", 1)[1][:5]
    assert t(bot.app.bot_data["deps"].ogoh, "ui.handoff.connected", lang, label=label) in texts_to(bot.fake, chat)
    return label


# --- end to end -------------------------------------------------------------------------------

def test_worker_to_volunteer_and_back_without_identities(ogoh, fake, tmp_path):
    """The whole path with long polling, as in production with one poller: consent, a relayed
    copy (never a forward) that carries no name, username, link or id, a volunteer's reply
    delivered back as a copy without the volunteer's name, then /stop and a refused reply."""
    settings = settings_for(fake, f"sqlite:///{tmp_path / 'e2e.db'}")
    store = open_store(settings.storage_url, settings.secret_key)
    harness = BotHarness(build_application(ogoh, store, settings), fake).start()
    try:
        fake.push(worker_text("/talk"))
        consent = fake.wait_for("sendMessage", where=lambda c: "H:yes" in str(c.params.get("reply_markup")))[-1]
        text = consent.params["text"]
        assert "Test Aid Network" in text and "/stop" in text  # who reads it, how to stop
        assert text == t(ogoh, "ui.handoff.consent", ngo="Test Aid Network")
        assert not to_chat(fake, GROUP)  # nothing reaches the group before consent
        fake.push(press("H:yes"))
        header = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(GROUP))[-1]
        label = header.params["text"].split("#", 1)[1][:5]
        assert "Русский (ru)" in header.params["text"]  # the worker's language
        fake.wait_for("sendMessage", where=lambda c: "H:share" in str(c.params.get("reply_markup")))
        n_to_worker = len(to_chat(fake, WORKER))
        fake.push(worker_text("Мой бригадир забрал паспорт и требует подписать контракт"))
        copy = fake.wait_for("copyMessage")[-1]
        assert str(copy.params["chat_id"]) == str(GROUP) and str(copy.params["from_chat_id"]) == str(WORKER)
        assert copy.params.get("protect_content") is True  # volunteers cannot forward or save it
        assert buttons(copy)[0].startswith(TOKEN_PREFIX)
        assert f"#{label}" in json.dumps(copy.params["reply_markup"], ensure_ascii=False)
        # The bot did not answer the relayed message itself: the worker is talking to a person.
        time.sleep(0.3)
        assert len(to_chat(fake, WORKER)) == n_to_worker

        fake.push(volunteer_reply("Не подписывайте ничего. Паспорт не имеют права забирать.", copy))
        delivered = fake.wait_for("copyMessage", where=lambda c: str(c.params.get("chat_id")) == str(WORKER))[-1]
        assert str(delivered.params["from_chat_id"]) == str(GROUP)
        for c in to_chat(fake, WORKER):
            blob = json.dumps(c.params, ensure_ascii=False)
            assert "Olga" not in blob and "olga_helps" not in blob and str(VOLUNTEER["id"]) not in blob

        fake.push(worker_text("/stop"))
        fake.wait_for("sendMessage", where=lambda c: c.params.get("text") == t(ogoh, "ui.handoff.ended"))
        fake.wait_for("sendMessage", where=lambda c: c.params.get("text") == t(ogoh, "ui.handoff.op.ended", label=label))
        n_copies = len(fake.calls_to("copyMessage"))
        fake.push(volunteer_reply("Вы здесь?", copy))
        fake.wait_for("sendMessage", where=lambda c: c.params.get("text") == t(ogoh, "ui.handoff.op.refused", label=label))
        assert len(fake.calls_to("copyMessage")) == n_copies  # the reply to the ended case went nowhere
    finally:
        harness.stop()

    assert not fake.calls_to("forwardMessage") and not fake.calls_to("forwardMessages")
    group_saw = [c for c in fake.calls if str(c.params.get("chat_id")) == str(GROUP)]
    assert group_saw
    for c in group_saw:  # from_chat_id tells Telegram where to copy from; the group never sees it
        blob = json.dumps({k: v for k, v in c.params.items() if k != "from_chat_id"}, ensure_ascii=False)
        for secret in IDENTITY:
            assert secret not in blob, (secret, c.method)


def test_consent_comes_first_and_cancel_sends_nothing(bot, ogoh):
    bot.feed(worker_text("/talk"))
    consent = to_chat(bot.fake, WORKER, "sendMessage")[-1]
    for needle in ("Test Aid Network", "/stop", "Telegram"):
        assert needle in consent.params["text"]
    bot.feed(press("H:no"))
    assert texts_to(bot.fake, WORKER)[-1] == t(ogoh, "ui.handoff.cancelled")
    bot.feed(worker_text("у меня вопрос про патент"))
    assert not to_chat(bot.fake, GROUP)  # no case: nothing was relayed


def test_menu_results_and_privacy_screen_offer_it(bot, ogoh):
    bot.feed(worker_text("/help", lang="tg"))
    assert "H:talk" in buttons(to_chat(bot.fake, WORKER, "sendMessage")[-1])
    bot.feed(worker_text("/privacy", lang="tg"))
    privacy = to_chat(bot.fake, WORKER, "sendMessage")[-1]
    assert t(ogoh, "ui.handoff.privacy", "tg", ngo="Test Aid Network") in privacy.params["text"]
    bot.feed(press("M:check", lang="tg"))
    for _ in range(15):  # answer "I don't know" until the results come
        last = to_chat(bot.fake, WORKER)[-1]
        data = next((d for d in buttons(last) if d and d.startswith("a:") and d.endswith(":dont_know")), None)
        if data is None:
            break
        bot.feed(press(data, lang="tg"))
    final = next(c for c in reversed(to_chat(bot.fake, WORKER)) if "R:todo" in buttons(c))
    assert "H:talk" in buttons(final)
    bot.feed(worker_text("/gethelp", lang="tg"))
    assert "H:talk" in buttons(to_chat(bot.fake, WORKER, "sendMessage")[-1])


@pytest.mark.parametrize("lang, text", [
    ("ru", "Срочно! Брата задержали на стройке, телефон не отвечает"),
    ("uz", "akamni politsiya ushlab olishdi, yordam bering"),
    ("tg", "бародарамро бурданд, ҳоло гум шудааст"),
    ("ky", "агамды камакка алышты, эмне кылам"),
    ("kk", "інімді полиция ұстап алды, не істеймін"),
    ("en", "my brother was taken from the building site and is missing"),
])
def test_urgency_words_offer_a_person_in_six_languages(bot, ogoh, lang, text):
    assert urgency_for(ogoh.book).found_in(text)  # offered for the words, not only as "cannot answer"
    bot.feed(worker_text(text, lang=lang))
    sent = to_chat(bot.fake, WORKER, "sendMessage")
    offers = [c for c in sent if "H:talk" in buttons(c)]
    # once, in the reply that leads with what to do now (bot.core.replies), first button, its offer line last
    assert len(offers) == 1 and buttons(offers[0])[0] == "H:talk"
    assert offers[0].params["text"].endswith("<i>" + t(ogoh, "ui.handoff.offer", ogoh.ask(text).reply_lang) + "</i>")
    # every one is about a brother: the reply leads with what the family can do (facf265, REVIEW5
    # F18), not the writer's own "if this is happening now", and still offers a person
    out = ogoh.ask(text)
    assert out.about == "other"
    assert offers[0].params["text"].startswith("<b>" + t(ogoh, "ui.urgent.family", out.reply_lang))


def test_offered_when_the_bot_cannot_answer_but_not_for_an_ordinary_answer(bot, ogoh):
    bot.feed(worker_text("мне как иностранцу пришла повестка это законно"))
    assert ogoh.ask("мне как иностранцу пришла повестка это законно").matches
    # it states a fact: the reply is "I understood", the topic card one tap away (issue 12)
    understood = to_chat(bot.fake, WORKER, "sendMessage")[-1]
    assert "T:foreigner-conscription" in buttons(understood)
    assert t(ogoh, "ui.handoff.offer") not in texts_to(bot.fake, WORKER)  # no offer
    bot.feed(press("T:foreigner-conscription"))
    answer = next(c for c in reversed(to_chat(bot.fake, WORKER, "sendMessage")) if "ST:" in str(buttons(c)))
    assert "H:talk" in buttons(answer)  # but the answer itself has the button, as every result
    n = len(to_chat(bot.fake, WORKER, "sendMessage"))
    bot.feed(worker_text("мне пришла повестка, срочно, брата уже забрали"))  # answered, and urgent
    assert ogoh.ask("мне пришла повестка, срочно, брата уже забрали").matches
    urgent = to_chat(bot.fake, WORKER, "sendMessage")[n:]
    assert [buttons(c)[0] for c in urgent if "H:talk" in buttons(c)] == ["H:talk"]  # the urgent reply offers, once
    # what is at stake (its serious risks, numbered: REVIEW9b G4), else first, what to do now
    first, now = urgent[0].params["text"], "<b>" + t(ogoh, "ui.urgent.now")
    assert first.startswith(now) or -1 < first.find("\n1. ") < first.index(now)
    bot.feed(worker_text("как получить снилс", WORKER_B))  # not urgent, but the bot cannot answer
    assert not ogoh.ask("как получить снилс").matches
    assert buttons(to_chat(bot.fake, WORKER_B, "sendMessage")[-1]) == ["H:talk"]
    n = len(texts_to(bot.fake, WORKER))
    bot.feed(worker_text("срочно помогите"))  # offered at most once in 10 minutes
    assert t(ogoh, "ui.handoff.offer") not in texts_to(bot.fake, WORKER)[n:]


def test_not_offered_anywhere_without_a_volunteers_group(ogoh, fake):
    settings = settings_for(fake, handoff_chats=None)
    replica = Replica(ogoh, open_store("sqlite://:memory:", "k"), settings).start()
    try:
        replica.feed(worker_text("/help"))
        replica.feed(worker_text("/privacy"))
        replica.feed(worker_text("Срочно! Брата задержали, помогите"))
        replica.feed(worker_text("как получить снилс"))
        replica.feed(worker_text("/talk"))
        replica.feed(press("H:yes"))
        replica.feed(worker_text("я согласна, вот моя история"))
    finally:
        replica.stop()
    sent = to_chat(fake, WORKER)
    assert sent and all("H:" not in str(b) for c in sent for b in buttons(c))
    assert not any(t(ogoh, "ui.handoff.privacy", ngo="Test Aid Network")[:30] in c.params.get("text", "") for c in sent)
    assert any(ogoh.topic("get-help", "ru").topic.title in c.params.get("text", "") for c in sent)  # /talk: where to get help instead
    assert not any(int(c.params.get("chat_id", 0)) < 0 for c in fake.calls if "chat_id" in c.params)
    assert not fake.calls_to("copyMessage")
    commands = fake.calls_to("setMyCommands")
    assert commands and all("talk" not in json.dumps(c.params) for c in commands)


def test_photo_warning_before_the_first_photo(bot, ogoh):
    connect(bot)
    bot.feed(photo_update(WORKER, "ru", message_id=4242))
    warning = to_chat(bot.fake, WORKER, "sendMessage")[-1]
    assert warning.params["text"] == t(ogoh, "ui.handoff.photo_warning")
    assert not bot.fake.calls_to("copyMessage")  # held until the worker confirms
    bot.feed(press("H:p:4242"))
    copy = bot.fake.calls_to("copyMessage")[-1]
    assert int(copy.params["message_id"]) == 4242 and str(copy.params["chat_id"]) == str(GROUP)
    bot.feed(photo_update(WORKER, "ru", message_id=4243))  # warned once: the next goes straight on
    assert int(bot.fake.calls_to("copyMessage")[-1].params["message_id"]) == 4243
    voice = {"message": {"message_id": 4244, "date": int(time.time()), "chat": {"id": WORKER, "type": "private"},
                         "from": WORKER_USER, "voice": {"file_id": "v", "file_unique_id": "vu", "duration": 2}}}
    bot.feed(voice)
    assert int(bot.fake.calls_to("copyMessage")[-1].params["message_id"]) == 4244


def test_locations_and_contacts_are_never_relayed(bot, ogoh):
    connect(bot)
    location = {"message": {"message_id": 77, "date": int(time.time()), "chat": {"id": WORKER, "type": "private"},
                            "from": WORKER_USER, "location": {"latitude": 55.75, "longitude": 37.61}}}
    contact = {"message": {"message_id": 78, "date": int(time.time()), "chat": {"id": WORKER, "type": "private"},
                           "from": WORKER_USER, "contact": {"phone_number": "+79001234567", "first_name": "Zarina"}}}
    bot.feed(location)
    bot.feed(contact)
    assert not bot.fake.calls_to("copyMessage")
    assert texts_to(bot.fake, WORKER)[-1] == t(ogoh, "ui.handoff.not_relayed")


def test_share_my_check_only_when_tapped_and_after_a_preview(bot, ogoh):
    bot.feed(press("M:check"))
    answer_check(bot, bot.fake, {"ru_citizenship": "none", "home_country": "TJ"})
    label = connect(bot)
    group_before = json.dumps([c.params for c in to_chat(bot.fake, GROUP)], ensure_ascii=False)
    tj = t(ogoh, "fact.home_country.option.TJ")
    assert tj not in group_before  # the check is not shared by connecting
    bot.feed(press("H:share"))
    preview = to_chat(bot.fake, WORKER, "sendMessage")[-1]
    assert tj in preview.params["text"] and "H:share!" in buttons(preview)
    assert tj not in json.dumps([c.params for c in to_chat(bot.fake, GROUP)], ensure_ascii=False)
    bot.feed(press("H:share!"))
    summary = to_chat(bot.fake, GROUP, "sendMessage")[-1]
    assert summary.params["text"].startswith(t(ogoh, "ui.handoff.op.summary", label=label)) and tj in summary.params["text"]
    assert buttons(summary)[0].startswith(TOKEN_PREFIX)  # a volunteer can reply to the summary too


def test_cases_and_close_for_volunteers(bot, ogoh):
    label_a = connect(bot, WORKER)
    label_b = connect(bot, WORKER_B, "kk")
    bot.feed(worker_text("вопрос от А", WORKER))
    bot.feed(group_update("/cases", GROUP, VOLUNTEER, next(_ids)))
    listing = texts_to(bot.fake, GROUP)[-1]
    assert f"#{label_a}" in listing and f"#{label_b}" in listing and "Қазақша (kk)" in listing
    copy_a = bot.fake.calls_to("copyMessage")[-1]
    bot.feed(volunteer_reply("/close", copy_a))
    assert texts_to(bot.fake, GROUP)[-1] == t(ogoh, "ui.handoff.op.closed", label=label_a)
    assert texts_to(bot.fake, WORKER)[-1] == t(ogoh, "ui.handoff.ended_by_volunteer")
    bot.feed(group_update("/cases", GROUP, VOLUNTEER, next(_ids)))
    listing = texts_to(bot.fake, GROUP)[-1]
    assert f"#{label_a}" not in listing and f"#{label_b}" in listing
    # /close with a label: the worker learns it at their next message, which is not relayed.
    bot.feed(group_update(f"/close #{label_b}", GROUP, VOLUNTEER, next(_ids)))
    assert texts_to(bot.fake, GROUP)[-1] == t(ogoh, "ui.handoff.op.closed", label=label_b)
    n = len(bot.fake.calls_to("copyMessage"))
    bot.feed(worker_text("сәлем, бар болсаңыз жауап беріңіз", WORKER_B, "kk"))
    assert len(bot.fake.calls_to("copyMessage")) == n
    assert t(ogoh, "ui.handoff.ended_by_volunteer", "kk") in texts_to(bot.fake, WORKER_B)
    bot.feed(group_update("/cases", GROUP, VOLUNTEER, next(_ids)))
    assert texts_to(bot.fake, GROUP)[-1] == t(ogoh, "ui.handoff.op.no_cases")


def test_forget_ends_the_case_at_once(bot, ogoh):
    label = connect(bot)
    bot.feed(worker_text("первое сообщение"))
    copy = bot.fake.calls_to("copyMessage")[-1]
    bot.feed(worker_text("/forget"))
    assert t(ogoh, "ui.handoff.op.ended", label=label) in texts_to(bot.fake, GROUP)
    n = len(bot.fake.calls_to("copyMessage"))
    bot.feed(volunteer_reply("ещё вопрос?", copy))
    assert texts_to(bot.fake, GROUP)[-1] == t(ogoh, "ui.handoff.op.refused", label=label)
    bot.feed(worker_text("а это уже вопрос боту про повестку"))
    assert len(bot.fake.calls_to("copyMessage")) == n  # neither way
    new_label = connect(bot)  # a new case: a new label, and the old case's messages stay dead
    assert new_label != label
    bot.feed(volunteer_reply("это снова я", copy))
    assert texts_to(bot.fake, GROUP)[-1] == t(ogoh, "ui.handoff.op.refused", label=label)
    assert len(bot.fake.calls_to("copyMessage")) == n


def test_flood_control_in_the_group_is_waited_out(bot, ogoh):
    connect(bot)
    bot.fake.inject("copyMessage", 429, retry_after=1)
    bot.feed(worker_text("сообщение при флуд-контроле"))
    assert [c.status for c in bot.fake.calls_to("copyMessage", ok_only=False)] == [429, 200]
    assert t(ogoh, "ui.handoff.not_relayed") not in texts_to(bot.fake, WORKER)


def test_stop_without_the_handoff_says_nothing_about_it(ogoh, fake):
    replica = Replica(ogoh, open_store("sqlite://:memory:", "k"), settings_for(fake, handoff_chats=None)).start()
    try:
        replica.feed(worker_text("/stop"))
    finally:
        replica.stop()
    assert t(ogoh, "ui.handoff.no_case") not in texts_to(fake, WORKER)


def test_a_forged_or_foreign_token_is_refused(bot, ogoh):
    connect(bot)
    forged = {"message_id": 1, "date": int(time.time()), "chat": {"id": GROUP, "type": "supergroup"}, "from": BOT_USER,
              "text": "…", "reply_markup": {"inline_keyboard": [[{"text": "#X", "callback_data": seal(derive_key("another"), WORKER, 1)}]]}}
    bot.feed(group_update("hello", GROUP, VOLUNTEER, next(_ids), reply_to=forged))
    assert texts_to(bot.fake, GROUP)[-1] == t(ogoh, "ui.handoff.op.refused", label="?")
    assert not bot.fake.calls_to("copyMessage")


def test_per_worker_rate_limit(bot, ogoh):
    connect(bot)
    for i in range(14):
        bot.feed(worker_text(f"сообщение {i}"))
    assert len(bot.fake.calls_to("copyMessage")) == 9  # 10 a minute, opening the case was one
    assert texts_to(bot.fake, WORKER).count(t(ogoh, "ui.handoff.too_fast")) == 1


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_two_webhook_replicas_share_cases_through_the_store(ogoh, fake, tmp_path, request, backend):
    if backend == "redis":
        import redis

        url = request.getfixturevalue("redis_server").url
        redis.Redis.from_url(url).flushdb()
    else:
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    settings = settings_for(fake, url)
    a = Replica(ogoh, open_store(settings.storage_url, settings.secret_key), settings).start()
    b = Replica(ogoh, open_store(settings.storage_url, settings.secret_key), settings).start()
    try:
        a.feed(worker_text("/talk"))
        b.feed(press("H:yes"))  # consent on one replica, the case on the other
        a.feed(worker_text("меня заставляют подписать контракт"))
        copy = fake.calls_to("copyMessage")[-1]
        assert str(copy.params["chat_id"]) == str(GROUP)
        b.feed(volunteer_reply("Не подписывайте.", copy))
        assert str(fake.calls_to("copyMessage")[-1].params["chat_id"]) == str(WORKER)
        b.feed(worker_text("/stop"))
        n = len(fake.calls_to("copyMessage"))
        a.feed(volunteer_reply("Ещё здесь?", copy))
        assert len(fake.calls_to("copyMessage")) == n
    finally:
        a.stop()
        b.stop()


def test_group_routing_by_home_country_then_language(ogoh, fake):
    settings = settings_for(fake, handoff_chats=json.dumps({"TJ": OTHER_GROUP, "ky": GROUP, "*": GROUP}))
    replica = Replica(ogoh, open_store("sqlite://:memory:", "k"), settings).start()
    try:
        replica.feed(press("M:check", WORKER, "ky"))
        answer_check(replica, fake, {"ru_citizenship": "none", "home_country": "TJ"}, WORKER, "ky")
        replica.feed(worker_text("/talk", WORKER, "ky"))
        replica.feed(press("H:yes", WORKER, "ky"))
        replica.feed(worker_text("/talk", WORKER_B, "ky"))
        replica.feed(press("H:yes", WORKER_B, "ky"))
    finally:
        replica.stop()
    assert len(to_chat(fake, OTHER_GROUP, "sendMessage")) == 1  # Tajik citizen: the Tajikistan desk
    assert len(to_chat(fake, GROUP, "sendMessage")) == 1        # no country answered: by language


def test_the_volunteers_group_gets_no_bot_answers(bot):
    bot.feed(group_update("@ogoh_test_bot мне пришла повестка", GROUP, VOLUNTEER, next(_ids)))
    bot.feed(group_update("коллеги, кто возьмёт новое обращение?", GROUP, VOLUNTEER, next(_ids)))
    assert not to_chat(bot.fake, GROUP)


def test_after_a_conversation_no_words_in_database_logs_or_metrics(ogoh, fake, tmp_path, caplog):
    from fastapi.testclient import TestClient

    from bot.api import create_app

    db = tmp_path / "words.db"
    settings = settings_for(fake, f"sqlite:///{db}", telegram_webhook_secret="hook-secret")
    words = ["Zulfiya", "Qashqadaryo", "Sadovod", "Lyublino", "Mahmadali", "бригадирРустам", "Olga"]
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(settings, ogoh=ogoh, watch=False)) as replica_a, \
            TestClient(create_app(settings, ogoh=ogoh, watch=False)) as replica_b:
        def post(client, update):
            r = client.post("/telegram/webhook", json={"update_id": next(_ids), **update},
                            headers={"X-Telegram-Bot-Api-Secret-Token": "hook-secret"})
            assert r.status_code == 200

        def settle(count_calls: int):
            deadline = time.time() + 15
            while len([c for c in fake.calls if c.method not in ("getMe", "setMyCommands", "setMyDescription", "setMyShortDescription")]) < count_calls and time.time() < deadline:
                time.sleep(0.05)

        post(replica_a, worker_text("/talk"))
        settle(1)
        post(replica_b, press("H:yes"))
        settle(4)
        post(replica_a, worker_text(f"Меня зовут {words[0]}, я из {words[1]}, работаю на рынке {words[2]}"))
        post(replica_b, worker_text(f"брат {words[4]} пропал в {words[3]}, его увёз {words[5]}"))
        fake.wait_for("copyMessage", count=2)
        post(replica_a, volunteer_reply(f"Это {words[6]}. Позвоните в посольство.", fake.calls_to("copyMessage")[-1]))
        fake.wait_for("copyMessage", count=3)
        post(replica_b, worker_text("/stop"))
        fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(GROUP) and "#" in c.params.get("text", ""), count=2)
        metrics = replica_a.get("/metrics").text + replica_b.get("/metrics").text
    logs = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("words.db*"))
    for word in words + ["Zarina", "zarina_k1990"]:
        assert word not in logs, word
        assert word.encode() not in stored, word
        assert word not in metrics, word
    assert str(WORKER).encode() not in stored and str(WORKER) not in logs


# --- the case logic on its own ----------------------------------------------------------------

def test_token_fits_a_button_and_opens_only_with_its_key_while_fresh():
    key = derive_key("k1")
    token = seal(key, -4_000_000_000_123 + 2**40, 12345)
    assert len(token.encode()) <= 64 and token.startswith(TOKEN_PREFIX)
    ticket = unseal(key, token)
    assert ticket is not None and ticket.chat_id == -4_000_000_000_123 + 2**40 and ticket.case == 12345
    assert unseal(derive_key("k2"), token) is None
    tampered = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    assert unseal(key, tampered) is None
    assert unseal(key, seal(key, 1, 2, issued=int(time.time()) - 8 * 24 * 3600)) is None  # older than 7 days
    assert str(WORKER) not in seal(key, WORKER, 1) and seal(key, WORKER, 1) != seal(key, WORKER, 1)  # random nonce


def test_labels_round_trip_and_settings_parse():
    for n in (0, 1, 29 ** 5 - 1, 12345):
        assert case_from_label(case_label(n)) == n
    assert case_from_label("#" + case_label(99).lower()) == 99 and case_from_label("O0I1L") is None
    assert parse_chats(None) == {} and parse_chats("") == {}
    assert parse_chats("-100123") == {"*": -100123}
    assert parse_chats('{"tg": -1, "TJ": "-2", "*": -3}') == {"tg": -1, "TJ": -2, "*": -3}
    for bad in ("not json", "[1, 2]", '{"tg": "x"}', "true"):
        with pytest.raises(HandoffConfigError):
            parse_chats(bad)
    config = HandoffConfig(routes={"TJ": -1, "uz": -2, "*": -3})
    assert config.group_for("uz", "TJ") == -1 and config.group_for("uz", None) == -2 and config.group_for("ru") == -3
    assert HandoffConfig(routes={"uz": -2}).group_for("ru") is None
    configured = HandoffConfig.from_settings(Settings(rules_dir=RULES, handoff_chats=-5, secret_key="s3"))
    assert configured.enabled and repr(configured.key) not in repr(configured)  # the key never lands in a log line


def test_urgency_words_match_word_forms_not_lookalikes(book):
    words = urgency_for(book)
    assert words.found_in("брата ЗАДЕРЖАЛИ вчера") and words.found_in("его задержание") and words.found_in("srochno nado")
    assert not words.found_in("задержка зарплаты на месяц")
    assert not words.found_in("какие документы нужны для патента")
    assert UrgencyWords(["taken away"]).found_in("he was taken away") and not UrgencyWords(["taken away"]).found_in("taken a test")
    for lang in book.languages:
        assert "ui.handoff.urgent_words" in book.texts[lang]


def test_the_store_holds_no_link_in_clear(tmp_path):
    db = tmp_path / "c.db"
    store = open_store(f"sqlite:///{db}", "secret")
    cases = Cases(store)
    case = cases.open(WORKER, "tg", GROUP)
    assert cases.current(WORKER).case == case.case
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("c.db*"))
    assert str(WORKER).encode() not in raw and case.label.encode() not in raw
    ended = cases.end(WORKER)
    assert ended is not None and ended.case == case.case and cases.current(WORKER) is None
    assert cases.open_cases(GROUP) == []


# --- the web page -----------------------------------------------------------------------------

def test_web_talk_page_shows_the_ngos_contacts_and_home_links_to_it(ogoh):
    from html import unescape

    from fastapi.testclient import TestClient

    from bot.api import create_app

    settings = Settings(rules_dir=RULES, storage_url="sqlite://:memory:", handoff_ngo_name="Test Aid Network",
                        handoff_ngo_contacts=["+7 900 123-45-67", "@testaid_help", "help@testaid.org", "Mon–Fri 10–18"])
    with TestClient(create_app(settings, ogoh=ogoh, watch=False)) as client:
        page = client.get("/talk?lang=tg")
        assert page.status_code == 200
        body = unescape(page.text)
        assert t(ogoh, "ui.handoff.web_title", "tg") in body
        assert t(ogoh, "ui.handoff.web_intro", "tg", ngo="Test Aid Network") in body
        for href in ('href="tel:+79001234567"', 'href="https://t.me/testaid_help"', 'href="mailto:help@testaid.org"'):
            assert href in page.text
        assert "Mon–Fri 10–18" in body and "<script" not in page.text
        assert "/talk?lang=ru" in client.get("/?lang=ru").text


def test_web_talk_page_without_contacts_points_to_help(ogoh):
    from html import unescape

    from fastapi.testclient import TestClient

    from bot.api import create_app

    with TestClient(create_app(Settings(rules_dir=RULES, storage_url="sqlite://:memory:"), ogoh=ogoh, watch=False)) as client:
        body = unescape(client.get("/talk?lang=ky").text)
        assert t(ogoh, "ui.handoff.web_none", "ky") in body
        assert "/topic/get-help" in body
        assert "/talk" not in client.get("/?lang=ky").text


def test_edits_in_a_case_go_to_the_volunteers_and_edited_replies_are_not_sent_twice(bot, ogoh):
    connect(bot)
    first = worker_text("меня заставляют")
    bot.feed(first)
    edited = {"edited_message": dict(first["message"], text="меня заставляют подписать контракт", edit_date=int(time.time()))}
    n_worker = len(to_chat(bot.fake, WORKER))
    bot.feed(edited)
    copies = bot.fake.calls_to("copyMessage")
    assert len(copies) == 2 and copies[-1].params["message_id"] == first["message"]["message_id"]
    assert len(to_chat(bot.fake, WORKER)) == n_worker  # the bot did not answer the edit itself
    reply = volunteer_reply("Не подписывайте", copies[-1])
    bot.feed(reply)
    bot.feed({"edited_message": dict(reply["message"], text="Не подписывайте ничего", edit_date=int(time.time()))})
    assert len([c for c in bot.fake.calls_to("copyMessage") if str(c.params["chat_id"]) == str(WORKER)]) == 1


def test_a_volunteers_voice_reply_reaches_the_worker(bot):
    connect(bot)
    bot.feed(worker_text("алло"))
    copy = bot.fake.calls_to("copyMessage")[-1]
    voice = group_update("", GROUP, VOLUNTEER, next(_ids), reply_to=as_group_message(copy))
    del voice["message"]["text"]
    voice["message"]["voice"] = {"file_id": "v", "file_unique_id": "vu", "duration": 5}
    bot.feed(voice)
    delivered = bot.fake.calls_to("copyMessage")[-1]
    assert str(delivered.params["chat_id"]) == str(WORKER) and delivered.params["message_id"] == voice["message"]["message_id"]


def test_clear_deletes_the_conversation_from_the_workers_chat(bot, ogoh):
    connect(bot)
    said = worker_text("мой вопрос волонтёру")
    bot.feed(said)
    bot.feed(volunteer_reply("ответ волонтёра", bot.fake.calls_to("copyMessage")[-1]))
    answer_id = bot.fake.calls_to("copyMessage")[-1].result["message_id"]
    bot.feed(worker_text("/stop"))
    assert t(ogoh, "ui.handoff.ended") in texts_to(bot.fake, WORKER) and "/clear" in t(ogoh, "ui.handoff.ended")
    bot.feed(worker_text("/clear"))
    deleted = {int(c.params["message_id"]) for c in bot.fake.calls_to("deleteMessage") if str(c.params["chat_id"]) == str(WORKER)}
    assert said["message"]["message_id"] in deleted and answer_id in deleted
    assert not [c for c in bot.fake.calls_to("deleteMessage") if str(c.params["chat_id"]) == str(GROUP)]


def test_summary_of_answers_the_rules_no_longer_know_is_empty(ogoh):
    from bot.handoff import check_summary

    assert check_summary(ogoh, {}, "ru") == []
    assert check_summary(ogoh, {"home_country": "no-such-country"}, "ru") == []
    lines = check_summary(ogoh, {"home_country": "TJ"}, "en")
    assert lines[0] == f"{t(ogoh, 'fact.home_country.label', 'en')}: {t(ogoh, 'fact.home_country.option.TJ', 'en')}"


def test_share_without_a_check_sends_nothing(bot, ogoh):
    connect(bot)
    n = len(to_chat(bot.fake, GROUP))
    bot.feed(press("H:share"))
    bot.feed(press("H:share!"))
    assert texts_to(bot.fake, WORKER)[-2:] == [t(ogoh, "ui.handoff.share_nothing")] * 2
    assert len(to_chat(bot.fake, GROUP)) == n


def test_opening_cases_over_and_over_is_limited_too(bot, ogoh):
    for _ in range(12):
        bot.feed(worker_text("/talk"))
        bot.feed(press("H:yes"))
        bot.feed(worker_text("/stop"))
    new_cases = [x for x in texts_to(bot.fake, GROUP) if x.startswith(t(ogoh, "ui.handoff.op.new_case", label="")[:12])]
    assert len(new_cases) == 10
    assert t(ogoh, "ui.handoff.too_fast") in texts_to(bot.fake, WORKER)
