"""Messages that need more than a topic (REVIEW4 R6, R7, R19, R20, R26, R30, R32): urgency leads
with what to do now, a signed contract gets an honest "no checked answer" and the steps the rules
have, a request for a person gets the volunteers or where to get help, a question outside Ogoh
says so; every such reply ends with buttons. Against the real bot and the fake Bot API."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

from bot.engine.rulebook import load_rulebook
from bot.engine.problems import RuleBookError
from bot.matcher.intents import intents_for
from tests.fake_telegram import running_bot, text_update

TOKEN = "123:TEST"


@pytest.fixture(scope="module")
def bot(ogoh):
    with running_bot(ogoh, TOKEN) as harness:
        yield harness


_chats = iter(range(880_000, 890_000))


def replies_to(bot, text: str, lang: str = "ru", chat: int | None = None) -> list:
    chat = chat or next(_chats)
    n = len(bot.fake.calls_to("sendMessage"))
    bot.fake.push(text_update(text, chat, lang))
    bot.fake.wait_for("sendMessage", since=n, where=lambda c: str(c.params.get("chat_id")) == str(chat))
    time.sleep(0.4)  # anything that follows it
    return [c for c in bot.fake.calls_to("sendMessage")[n:] if str(c.params.get("chat_id")) == str(chat)]


def visible(call) -> str:
    return unescape(re.sub(r"<[^>]+>", "", call.params["text"]))


def datas(bot, call) -> list[str]:
    return [d for _, d in bot.buttons(call)]


def text(ogoh, lang: str, key: str) -> str:
    return ogoh.book.texts[lang][key].text


def leads_urgently(ogoh, lang: str, shown: str) -> bool:
    """An urgent reply opens with what is at stake (the serious risks his message states, numbered:
    REVIEW9b G4, as PRODUCT.md's sketch), else with what to do now; "If this is happening now:" and
    its step follow on the same screen, never "I can't answer reliably" and a list of topics."""
    heads = [text(ogoh, lang, f"ui.urgent.headline_{k}") for k in ("1", "2", "3", "many", "mixed")]
    now = text(ogoh, lang, "ui.urgent.now")
    if any(shown.startswith(h) for h in heads):
        first = re.search(r"\n\s*1\. ", shown)
        return first is not None and now in shown and first.start() < shown.index(now)
    return shown.startswith(now)


def steps(ogoh, lang: str, topic: str) -> list[str]:
    return [s.strip() for s in text(ogoh, lang, f"topic.{topic}.steps").splitlines() if s.strip()]


URGENT = [  # (language the bot answers in, message): detained / forced, typos and translit included
    ("ru", "миня забрали в палицию и гаварят либо кантракт либо турма"),
    ("ru", "меня задержали в полиции, заставляют подписать контракт"),
    ("uz", "meni politsiya ushlab qoldi, kontrakt imzola deyishyapti"),
    ("tg", "маро милиса бурданд, маҷбур мекунанд контракт имзо кунам"),
    ("ky", "мени милиция алып кетти, контрактка кол кой деп мажбурлашат"),
    ("kk", "мені полиция ұстап алды, келісімшартқа қол қой деп мәжбүрлейді"),
    ("en", "police detained me and say contract or prison"),
]


@pytest.mark.parametrize("lang, message", URGENT)
def test_an_urgent_message_leads_with_what_to_do_now_in_its_language(bot, ogoh, lang, message):
    first = replies_to(bot, message, lang)[0]
    shown = visible(first)
    assert leads_urgently(ogoh, lang, shown)  # not "I can't answer reliably" + 9 topics
    assert steps(ogoh, lang, "work-permit-pressure")[0] in shown  # "Do not sign anything under pressure ..."
    assert text(ogoh, lang, "ui.no_match") not in shown
    buttons = datas(bot, first)
    assert "ST:work-permit-pressure" in buttons[0] or any(b.startswith("ST:work-permit-pressure") for b in buttons)  # its sources
    assert "M:menu" in buttons and len(buttons) <= 6


def test_uzbek_cyrillic_detention_is_urgent_too(bot, ogoh):
    # R32: the uz list had only "ushlab qolishdi"; "ушлаб қолди" is the same verb
    message = "мени политсия ушлаб қолди, контракт имзола дейишяпти"
    assert "detained" in intents_for(ogoh.book).read(message)
    first = replies_to(bot, message, "uz")[0]
    assert "<b>Агар бу ҳозир" in first.params["text"]  # uz-Cyrl, from the Latin text


@pytest.mark.parametrize("message, family", [
    # REVIEW5 F1/F2: other everyday ways to say it ("взяли в отдел", Kyrgyz "кармап алды", "сизо")
    ("миня взяли в отдел полици и говорят падпишы кантракт", "detained"),
    ("мени полиция кармап алды, контрактка кол кой деп жатышат", "detained"),
    ("мени полиция кармап алды, контрактка кол кой деп жатышат", "forced"),
    ("брата держат в сизо", "detained"),
])
def test_more_ways_to_say_detained_or_forced_are_urgent(ogoh, message, family):
    assert family in intents_for(ogoh.book).read(message)


def test_taken_on_for_a_job_is_not_detention(ogoh):
    assert intents_for(ogoh.book).read("меня взяли на работу в москве") == ()


def test_taken_to_the_enlistment_office_says_do_not_sign_first(bot, ogoh):
    first = replies_to(bot, "помогите срочно забирают в военкомат")[0]
    shown = visible(first)
    assert leads_urgently(ogoh, "ru", shown)
    assert steps(ogoh, "ru", "foreigner-conscription")[0] in shown  # not a list of hotlines first


def test_a_negated_or_asked_about_urgency_is_not_urgent(ogoh):
    read = intents_for(ogoh.book).read
    assert read("меня не задерживали, просто вопрос") == ()
    assert read("могут ли иностранца силой забрать в армию?") == ()  # a question about the law
    assert read("urushga olib ketishlari mumkinmi") == ()
    assert read("задержка зарплаты") == ("wages",)  # what an out-of-scope question is about, not urgent
    assert read("контракт не подписал") == ()


def test_already_signed_is_told_honestly_that_there_is_no_checked_answer(bot, ogoh):
    calls = replies_to(bot, "я уже подписал контракт, как теперь расторгнуть")
    shown = visible(calls[0])
    assert shown.startswith(text(ogoh, "ru", "ui.urgent.signed"))
    assert text(ogoh, "ru", "ui.suggestions") not in shown  # not "did you mean"
    # what the sources say for someone who signed (REVIEW9 F6): a lawyer before going home (a man who
    # went to the embassy and home got 3 years), a "one-year" contract runs until the end of the SMO
    assert text(ogoh, "ru", "ui.signed.lawyer_home") in shown
    assert text(ogoh, "ru", "ui.signed.contract_length") in shown
    buttons = datas(bot, calls[0])
    assert any(b.startswith("ST:home-country-penalties") for b in buttons) and "T:recruitment-offers:s" in buttons and "M:help" in buttons
    # (":s": his Details, Sources and the offers' card are rebuilt for someone who signed: no "do not sign")
    assert all(b.endswith(":hs") for b in buttons if b.startswith(("ST:", "TM:")))


def test_asking_for_a_person_without_volunteers_says_so_and_where_to_get_help(bot, ogoh):
    first = replies_to(bot, "можно поговорить с живым человеком?")[0]
    shown = visible(first)
    assert shown.startswith(text(ogoh, "ru", "ui.person.none"))
    assert "+7 925 045-47-44" in shown  # the published hotlines, tappable
    assert "H:talk" not in datas(bot, first) and "M:menu" in datas(bot, first)


def test_are_you_a_lawyer_is_answered_as_who_ogoh_is(bot, ogoh):
    first = replies_to(bot, "who are you? are you a lawyer?", "en")[0]
    assert visible(first) == text(ogoh, "en", "ui.smalltalk.who_are_you")
    assert "M:check" in datas(bot, first)


@pytest.mark.parametrize("lang, message, wages", [
    ("ru", "сколько стоит патент в москве", False),
    ("ru", "работодатель не платит зарплату 2 месяца что делать", True),
    ("ky", "патенттин баасы канча", False),
    ("uz", "ish haqimni bermayapti", True),
])
def test_out_of_scope_says_so_in_the_readers_language_with_three_buttons(bot, ogoh, lang, message, wages):
    first = replies_to(bot, message, lang)[0]
    # unpaid wages: also that a high-pay offer in occupied Ukraine may be a lure, with that topic a tap away (REVIEW9 F10)
    lure = "\n• " + text(ogoh, lang, "ui.out_of_scope_lure") if wages else ""
    assert visible(first) == text(ogoh, lang, "ui.out_of_scope") + lure
    topic = ["T:occupied-territory-jobs"] if wages else []
    assert datas(bot, first) == topic + ["M:help", "M:topics", "M:menu"]  # not nine topic buttons


def test_the_checker_names_a_bad_family_and_a_pattern_listed_twice(tmp_path):
    import shutil

    from tests.conftest import RULES

    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    path = copy / "lexicon" / "intents.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    help_now: [\"срочно\",", "    hurry: [\"x\"]\n    help_now: [\"срочно\", \"срочно\",", 1),
                    encoding="utf-8")
    with pytest.raises(RuleBookError) as err:
        load_rulebook(copy)
    messages = [str(p) for p in err.value.problems if p.level == "error"]
    assert any("intents.yaml" in m and "unknown family 'hurry'" in m for m in messages)
    assert any("intents.yaml" in m and "listed twice" in m for m in messages)


@pytest.mark.parametrize("lang, message", [("ru", "привет как дела"), ("uz", "salom qalaysan"), ("en", "hi how are you"),
                                           ("kk", "сәлем қалайсың"), ("ky", "салам кандайсың"), ("tg", "салом чӣ хел")])
def test_hello_how_are_you_is_a_greeting_not_a_menu(bot, ogoh, lang, message):
    first = replies_to(bot, message, lang)[0]
    assert visible(first) == text(ogoh, lang, "ui.smalltalk.greeting")  # not "I can't answer reliably" + 9 topics
    assert "M:check" in datas(bot, first)


def test_a_sources_message_is_no_dead_end(bot, ogoh):
    from tests.fake_telegram import callback_update

    chat = next(_chats)
    n = len(bot.fake.calls_to("sendMessage"))
    bot.fake.push(callback_update("ST:recruitment-offers", 5, chat, "ky"))
    sources = bot.fake.wait_for("sendMessage", since=n, where=lambda c: str(c.params.get("chat_id")) == str(chat))[-1]
    assert "M:menu" in datas(bot, sources)  # R36: the Sources list had no buttons at all


def test_every_reply_of_these_kinds_ends_with_buttons(bot):
    messages = [m for _, m in URGENT[:3]] + ["я уже подписал контракт, как теперь расторгнуть", "можно поговорить с живым человеком?",
                                             "сколько стоит патент в москве", "привет как дела", "are you a lawyer?",
                                             "akam yo'qolib qoldi telefoni o'chiq", "помогите срочно забирают в военкомат"]
    sent = [c for m in messages for c in replies_to(bot, m)]
    assert len(sent) >= len(messages)
    assert [visible(c)[:60] for c in sent if not datas(bot, c)] == []


def test_the_command_line_leads_the_same_way_and_stops_quietly_on_a_closed_pipe():
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import RULES

    cmd = [sys.executable, "-m", "bot", "ask", "--rules", str(RULES), "сколько стоит патент в москве"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=240, cwd=Path(RULES).parent)
    assert out.returncode == 0 and out.stdout.startswith("Это вне того, о чём рассказывает Ogoh.")  # R30, not "here are the topics" and none
    # R33: `ogoh ask ... | head -c 20` printed a BrokenPipeError traceback
    piped = subprocess.Popen(cmd[:-1], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(RULES).parent)
    assert piped.stdin is not None and piped.stdout is not None and piped.stderr is not None
    piped.stdin.write("повестка пришла что делать\n".encode() * 400)  # ~2 MB of JSON lines: more than a pipe holds
    piped.stdin.close()
    piped.stdout.read(20)
    piped.stdout.close()
    err = piped.stderr.read().decode()
    assert piped.wait(timeout=240) == 0 and "Traceback" not in err and "BrokenPipe" not in err


def test_the_web_page_leads_the_same_way(ogoh):
    from html import escape

    from tests.test_web import make_client

    client = make_client(ogoh)
    page = client.post("/ask", data={"q": "миня забрали в палицию и гаварят либо кантракт либо турма", "lang": "ru"}).text
    lead = page.index(escape(text(ogoh, "ru", "ui.urgent.now")))
    assert lead < page.index(escape(steps(ogoh, "ru", "work-permit-pressure")[0], quote=False))  # what to do now, first
    assert escape(text(ogoh, "ru", "ui.no_match")) not in page
    page = client.post("/ask", data={"q": "сколько стоит патент в москве", "lang": "ru"}).text
    assert escape(text(ogoh, "ru", "ui.out_of_scope"), quote=False) in page and escape(text(ogoh, "ru", "ui.no_match")) not in page
    page = client.post("/ask", data={"q": "мне как иностранцу пришла повестка, это законно?", "lang": "ru"}).text
    assert escape(text(ogoh, "ru", "ui.urgent.now")) not in page  # an ordinary question: no lead


def test_with_volunteers_a_request_for_a_person_gets_them_and_urgency_offers_them_once(ogoh):
    from bot.storage import open_store
    from tests.fake_telegram import FakeBotApi
    from tests.test_handoff import TOKEN as HANDOFF_TOKEN
    from tests.test_handoff import WORKER, WORKER_B, Replica, buttons, settings_for, to_chat, worker_text

    fake = FakeBotApi(HANDOFF_TOKEN).start()
    replica = Replica(ogoh, open_store("sqlite://:memory:", "k"), settings_for(fake)).start()
    try:
        replica.feed(worker_text("можно поговорить с живым человеком?"))
        sent = to_chat(fake, WORKER, "sendMessage")
        assert len(sent) == 1 and sent[0].params["text"] == "<b>" + text(ogoh, "ru", "ui.handoff.offer") + "</b>"
        assert buttons(sent[0])[0] == "H:talk"  # R26: not "I can't answer reliably" + 9 topics
        replica.feed(worker_text("миня забрали в палицию и гаварят либо кантракт либо турма", WORKER_B))
        sent = to_chat(fake, WORKER_B, "sendMessage")
        assert leads_urgently(ogoh, "ru", visible(sent[0]))  # at stake, do-now, then the offer
        assert [c for c in sent if "H:talk" in buttons(c)] == [sent[0]]  # offered once, in that reply
    finally:
        replica.stop()
        fake.stop()


def test_the_api_says_what_a_message_needs(ogoh):
    from tests.test_web import make_client

    client = make_client(ogoh)
    ask = lambda t: client.post("/v1/ask", json={"text": t}).json()  # noqa: E731
    assert ask("миня забрали в палицию и гаварят либо кантракт либо турма")["attention"] == ["detained", "forced"]
    assert ask("я уже подписал контракт, как теперь расторгнуть")["attention"] == ["signed"]
    assert ask("сколько стоит патент в москве")["attention"] == ["everyday", "out_of_scope"]  # what it is about (REVIEW9 F8)
    assert ask("мне как иностранцу пришла повестка, это законно?")["attention"] == []


def test_are_you_a_lawyer_through_the_api_is_who_answers_not_a_topic(ogoh):
    from tests.test_web import make_client

    client = make_client(ogoh)
    for question in ("who are you? are you a lawyer?", "ты бот или человек", "сиз юристсизби"):
        out = client.post("/v1/ask", json={"text": question}).json()
        assert out["matches"] == [] and out["small_talk"]["kind"] == "who_are_you", question  # R26: was the get-help card
    out = client.post("/v1/ask", json={"text": "ты юрист? мне пришла повестка, я гражданин таджикистана"}).json()
    assert out["small_talk"] is None  # a longer message that states a situation is answered for it


def test_the_answer_after_right_is_no_dead_end_either(bot):
    from tests.fake_telegram import callback_update

    chat = next(_chats)  # R22: "Ҳоло дар Русия: Ҳа", Right -> "answer the questions ..." with no buttons at all
    bot.fake.push(text_update("salom, man dar moskva kor mekunam, kontrakt imzo kunam shahrvandi medihand?", chat, "tg"))
    card = bot.fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(chat) and "U:" in str(c.params.get("reply_markup")))[-1]
    uid = re.search(r"U:([0-9a-f]+):ok", str(card.params["reply_markup"])).group(1)
    n, sends = len(bot.fake.calls), len(bot.fake.calls_to("sendMessage"))
    bot.fake.push(callback_update(f"U:{uid}:ok", 5, chat, "tg"))
    bot.fake.wait_for("sendMessage", since=sends, where=lambda c: str(c.params.get("chat_id")) == str(chat))
    time.sleep(1.5)
    shown = [c for c in bot.fake.calls[n:] if c.method in ("sendMessage", "editMessageText") and str(c.params.get("chat_id")) == str(chat)]
    assert shown and [visible(c)[:60] for c in shown if not datas(bot, c)] == []


def test_the_api_message_says_out_of_scope_as_the_bot_does(ogoh):
    """REVIEW5 F7: /v1/ask and the CLI still said "I can't answer reliably" where the bot and the
    web page say the question is outside what Ogoh covers."""
    from bot.core.service import Service

    out = Service(ogoh).ask_now("сколько стоит патент в москве")
    assert "out_of_scope" in out.attention and out.matches == []
    assert out.message == text(ogoh, "ru", "ui.out_of_scope")
