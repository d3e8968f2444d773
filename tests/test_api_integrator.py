"""What an NGO integrator calling /v1/* notices (REVIEW_API #2, #3, #10-#14): the API carries the
reply the bot and the web page lead with, every statement of the personal answer with its sources,
all seven languages, language codes as BCP 47 writes them, clear errors, and an OpenAPI document a
client generator can use. In-process (ASGI through the test client), no network."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from bot.api import create_app
from bot.cli import main
from bot.core import replies
from bot.core.service import Service
from bot.settings import Settings
from bot.storage import open_store
from tests.conftest import RULES

SIGNED = "я уже подписал контракт в военкомате, я гражданин Узбекистана, что теперь будет"
FLAGSHIP = ("Здравствуйте, я из Узбекистана, паспорта РФ нет. В миграционном центре в Сахарово предложили подписать "
            "контракт с минобороны, сказали иначе патент аннулируют. Что делать?")


def make_client(ogoh, **overrides) -> TestClient:
    settings = Settings(storage_url="sqlite://:memory:", rules_dir=RULES, **overrides)
    return TestClient(create_app(settings, ogoh=ogoh, store=open_store(settings.storage_url, settings.secret_key), watch=False))


@pytest.fixture(scope="module")
def client(ogoh):
    return make_client(ogoh, rate_limit_per_minute=100_000)


def ask(client, text: str, **body) -> dict:
    r = client.post("/v1/ask", json={"text": text, **body})
    assert r.status_code == 200, r.text
    return r.json()


# --- #2: the lead the bot and the web page show -------------------------------------------------

@pytest.mark.parametrize("text, kind", [(SIGNED, "signed"), ("SOS", "urgent"), ("хочу поговорить с живым человеком", "person")])
def test_ask_carries_the_lead_the_bot_and_the_web_page_show(client, ogoh, text, kind):
    body = ask(client, text)
    lead = body["lead"]
    assert lead is not None and lead["kind"] == kind
    # the very reply the faces build (bot.core.replies.lead_reply), not a copy of its logic
    svc = Service(ogoh)
    out = svc.ask_now(text)
    expected = replies.lead_reply(svc, out, replies.attention(out))
    assert expected is not None and lead == json.loads(expected.model_dump_json())
    assert lead["lead"] and lead["card"]["id"] and lead["card"]["citations"]
    # no face says "I can't answer that reliably" under "If this is happening now:"
    assert body["message"] is None


def test_signed_lead_has_the_steps_and_the_home_country_contact(client):
    lead = ask(client, SIGNED)["lead"]
    assert lead["lead"].startswith("У Ogoh нет проверенного ответа")
    assert any("юрист" in s for s in lead["steps"])
    assert lead["card"]["id"] == "home-country-penalties"
    assert any(c["country"] == "UZ" and c["href"].startswith(("tel:", "https://")) for c in lead["card"]["contacts"])


def test_no_lead_for_a_plain_question(client):
    body = ask(client, "ukrainada urushganlarni o'zbekistonda sud qiladimi")
    assert body["matches"] and body["lead"] is None


def test_cli_json_carries_the_same_lead(client, capsys):
    api = ask(client, "SOS")
    assert main(["ask", "--json", "SOS"]) == 0
    assert json.loads(capsys.readouterr().out) == api


# --- #3: the personal answer with its sources -----------------------------------------------------

def test_summary_in_ask_carries_its_sources_and_dates(client):
    body = ask(client, FLAGSHIP)
    summary = body["summary"]
    assert len(summary["risks"]) >= 2
    listed = {s["source_id"] for s in body["sources"]}
    for item in summary["risks"] + summary["good_to_know"]:
        assert item["source_ids"], item["topic_id"]
        assert set(item["source_ids"]) <= listed, item["topic_id"]
        assert item["as_of"] and body["as_of"][item["topic_id"]] == item["as_of"]
    assert all(c["source_id"] in listed for c in summary["contacts"])
    assert all(s["line"] and (s["url"] or s["url_note"]) for s in body["sources"])


def test_ask_summary_and_sources_are_those_of_assess(client):
    for text in (FLAGSHIP, "Маған жұмыс берушім әскери келісімшарт ұсынды, мен Қазақстанданмын",
                 "мне как иностранцу пришла повестка, я из Таджикистана"):
        a = ask(client, text)
        b = client.post("/v1/assess", json={"facts": a["facts"], "about": a["about"], "lang": a["reply_lang"]}).json()
        assert a["summary"] == b["summary"] and a["sources"] == b["sources"], text


def test_openapi_documents_the_sources_of_the_summary(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "source_ids" in schemas["SummaryRisk"]["properties"]
    assert schemas["AskOut"]["properties"]["sources"]["items"]["$ref"].endswith("/SourceLineOut")


# --- #14: the message never contradicts the summary -----------------------------------------------

def test_message_does_not_say_it_cannot_answer_beside_a_summary(client, ogoh):
    svc = Service(ogoh)
    cannot = {svc.localizer(lang).text("ui.no_match") for lang in svc.languages_supported()}
    for text in (FLAGSHIP, "я из Узбекистана, паспорта РФ нет, работаю на стройке в Москве",
                 "мен Кыргызстандын жаранымын, орус паспорту жок, мага повестка келди"):
        body = ask(client, text)
        if body["summary"] is not None and svc.understood(svc.ask_now(text)):
            assert body["message"] not in cannot, text
