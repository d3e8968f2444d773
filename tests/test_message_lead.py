"""REVIEW6 #7: the flagship message ("я гражданин узбекистана, паспорта рф нет, в миграционном
центре предложили контракт, сказали не подпишешь заберут патент") carried `summary` with 3 serious
risks in POST /v1/ask and `ogoh ask --json`, but `message` said "Maybe you meant …": an NGO that
shows `message` showed a worker at the highest risk a menu. Wherever a summary is the answer,
`message` is now that answer in plain text: the headline, the risks it counts, what to do now."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.core.service import Service
from bot.engine.summary import same_step
from tests.test_first_aid import FLAGSHIP, TYPED
from tests.test_web import make_client


@pytest.fixture(scope="module")
def client(ogoh):
    return make_client(ogoh, rate_limit_per_minute=100_000)


def ask(client, text: str) -> dict:
    r = client.post("/v1/ask", json={"text": text})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("tg_lang,message", TYPED, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(TYPED)])
def test_message_is_the_personal_answer_wherever_a_summary_is_the_answer(client, ogoh, tg_lang, message):
    svc = Service(ogoh)
    body = ask(client, message)
    assert body["summary"] is not None and body["lead"] is None
    loc = svc.localizer(body["reply_lang"])
    text = body["message"]
    not_sure = {loc.text("ui.suggestions"), loc.text("ui.no_match")}
    assert not any(s in text for s in not_sure), text
    s = body["summary"]
    assert text.splitlines()[0] == s["headline"]  # the headline leads
    for i, r in enumerate(s["risks"], 1):  # every serious risk, numbered as the headline counts them
        assert f"{i}. {r['lead'] or r['text']}" in text.splitlines()
    assert f"\n{len(s['risks']) + 1}. " not in text
    if s["steps"]:  # then what to do now
        assert text.index(loc.text("ui.what_to_do")) > text.index(s["headline"])
        assert f"• {s['steps'][0]}" in text.splitlines()
    if s["contacts"]:
        assert any(c["value"] in text for c in s["contacts"])
    # what to do now, always: a step and a contact (his country's organisation, every country's, or the embassy)
    todo = text.split(loc.text("ui.what_to_do") + ":\n", 1)[1].splitlines()
    assert len(todo) >= 2 and all(line.startswith("• ") for line in todo), text
    embassy = loc.text("ui.summary.embassy")
    named = loc.text("ui.summary.embassy_none", countries="")  # the embassy line naming its countries (REVIEW8 F6)
    assert any(c.value in text for c in ogoh.book.contacts) or embassy in text or named in text or same_step(embassy, todo[0][2:]), text


def test_the_flagship_message_counts_its_risks_and_gives_the_uzbek_number(client, ogoh):
    body = ask(client, FLAGSHIP)
    s = body["summary"]
    # the topic matched (work-permit-pressure: "sign or we take the patent") or offered: the situation leads either way
    assert len(s["risks"]) >= 2 and (body["matches"] or body["suggestions"])
    assert body["message"].startswith(s["headline"])
    assert "+7 925 045-47-44" in body["message"]


def test_cli_json_and_text_lead_with_the_personal_answer(client, ogoh, capsys):
    api = ask(client, FLAGSHIP)
    assert main(["ask", "--json", FLAGSHIP]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli["message"] == api["message"]
    assert main(["ask", FLAGSHIP]) == 0
    shown = capsys.readouterr().out
    loc = Service(ogoh).localizer("ru")
    assert shown.startswith(api["summary"]["headline"]) and loc.text("ui.suggestions") not in shown


def test_a_question_with_no_situation_still_says_it_is_not_sure(client, ogoh):
    # states no fact: nothing to answer for ("в Туркмении что будет если пойду контракт", the probe
    # until session 6, is now matched to home-country penalties with confidence, as it should be)
    body = ask(client, "что будет если пойду")
    assert body["suggestions"], body  # the matcher is unsure: "did you mean", not an answer
    assert body["summary"] is None and body["message"] == Service(ogoh).localizer(body["reply_lang"]).text("ui.suggestions")
