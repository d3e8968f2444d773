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
    # his country's contact first, in the steps (REVIEW9 F6: the home contact first), not again under them
    assert "+7 925 045-47-44" in lead["steps"][1] and not lead["card"]["contacts"]
    assert any("interfax" in (c.get("url") or "") for c in lead["card"]["citations"])  # "one-year" runs until the end of the SMO


def test_no_lead_for_a_plain_question(client):
    body = ask(client, "судят ли дома тех, кто воевал в украине")  # no country: the topic, every country's penalty
    assert body["matches"] and body["lead"] is None


def test_a_question_about_fighting_with_the_country_named_leads_with_its_penalty(client):
    body = ask(client, "ukrainada urushganlarni o'zbekistonda sud qiladimi")  # REVIEW9 F5
    assert body["lead"]["kind"] == "finding" and body["lead"]["card"]["home"] == "UZ"
    assert body["lead"]["lead"].startswith("Oʻzbekistonda")


def test_cli_json_carries_the_same_lead(client, capsys):
    api = ask(client, "SOS")
    assert main(["ask", "--json", "SOS"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli["lead"]["kind"] == api["lead"]["kind"] == "urgent"
    assert (cli["lead"]["lead"], cli["lead"]["steps"], cli["lead"]["card"]["id"]) == \
        (api["lead"]["lead"], api["lead"]["steps"], api["lead"]["card"]["id"])


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


# --- #10: every language, and English is no translation -------------------------------------------

def test_languages_lists_all_seven_and_the_source_is_no_translation(client, ogoh):
    body = client.get("/v1/languages").json()
    rows = {r["code"]: r for r in body["languages"]}
    assert set(rows) == {"ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"}
    assert set(rows) == set(Service(ogoh).languages_supported())  # what `lang` takes, a picker can offer
    assert rows["uz-Cyrl"]["made_from"] == "uz" and "кирилл" in rows["uz-Cyrl"]["name"]
    assert rows["en"]["source"] and rows["en"]["unreviewed"] == 0 and body["source_language"] == "en"
    unreviewed = Service(ogoh).localizer("en").text("ui.unreviewed_notice")
    for r in (client.post("/v1/ask", json={"text": "what happens at home if I sign an army contract", "lang": "en"}),
              client.post("/v1/assess", json={"facts": {"home_country": "UZ", "military_offer": "employer"}, "lang": "en"}),
              client.get("/v1/topics/get-help", params={"lang": "en"})):
        assert unreviewed not in r.json()["notices"], r.url


# --- #11: language codes as BCP 47 writes them; a language we do not have ---------------------------

@pytest.mark.parametrize("given, expected", [("RU", "ru"), ("ru-RU", "ru"), ("uz-cyrl", "uz-Cyrl"), ("uz-Latn", "uz"),
                                             ("KK", "kk"), ("tg_TJ", "tg"), ("uz-Cyrl", "uz-Cyrl")])
def test_lang_takes_any_case_and_bcp47_subtags(client, given, expected):
    assert ask(client, "salom", lang=given)["reply_lang"] == expected
    assert client.post("/v1/assess", json={"facts": {}, "lang": given}).json()["lang"] == expected
    assert client.get("/v1/topics", params={"lang": given}).json()["lang"] == expected


def test_unknown_language_is_still_refused(client):
    for lang in ("tk", "", " ru", "russian", "ru-"):
        r = client.post("/v1/ask", json={"text": "salom", "lang": lang})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lang", repr(lang)
    assert client.get("/v1/topics", params={"lang": ""}).status_code == 422


def test_body_lang_wins_over_the_query_and_a_repeated_query_lang_is_refused(client):
    r = client.post("/v1/ask", params={"lang": "kk"}, json={"text": "salom", "lang": "tg"})
    assert r.json()["reply_lang"] == "tg"
    r = client.post("/v1/ask?lang=ru&lang=kk", json={"text": "salom"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lang"


def test_a_language_we_do_not_have_gets_the_default_russian(client):
    for text in ("Türkmenistanda Russiýa üçin söweşmek üçin näme jeza bar",
                 "Men Türkmenistandan, maňa harby şertnama hödürlediler"):
        assert ask(client, text)["reply_lang"] == "ru", text
    # English and Uzbek Latin are still recognised
    assert ask(client, "what penalty does kazakhstan give for fighting in a foreign war")["reply_lang"] == "en"
    assert ask(client, "ukrainada urushganlarni o'zbekistonda sud qiladimi")["reply_lang"] == "uz"


# --- #12: errors an integrator can act on ----------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"content": '{"text": "hi"}', "headers": {"content-type": "text/plain"}},
    {"data": {"text": "hi"}},  # a form
    {"content": b'{"text": "hi"}', "headers": {"content-type": ""}},
])
def test_a_body_not_sent_as_json_gets_415(client, kwargs):
    for path in ("/v1/ask", "/v1/assess"):
        r = client.post(path, **kwargs)
        assert r.status_code == 415 and r.headers["content-type"].startswith("application/problem+json"), r.text
        assert "application/json" in r.json()["detail"]
    assert client.post("/v1/ask", content='{"text": "salom"}', headers={"content-type": "application/json; charset=utf-8"}).status_code == 200


def test_invalid_json_names_no_character_offset_as_a_field(client):
    r = client.post("/v1/ask", content='{"text": "hi"', headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert [e["field"] for e in r.json()["errors"]] == ["body"] and "13" in r.json()["detail"]


def test_a_fact_of_the_wrong_type_is_named_as_the_fact_with_its_answers(client):
    r = client.post("/v1/assess", json={"facts": {"summons": 1}})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "facts.summons", "message": "must be one of yes, no, dont_know"}]


def test_blank_text_is_refused_like_empty_text(client):
    for text in ("", "   ", "\n\t "):
        r = client.post("/v1/ask", json={"text": text})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "text", repr(text)


def test_null_means_not_given_for_every_optional_field(client):
    assert client.post("/v1/assess", json={"facts": None, "about": None, "lang": None}).json() == \
        client.post("/v1/assess", json={}).json()
    assert ask(client, "salom", lang=None) == ask(client, "salom")
    assert client.post("/v1/ask", json={"text": None}).status_code == 422  # required


def test_an_invalid_key_gets_401_even_over_the_limit(ogoh):
    limited = make_client(ogoh, rate_limit_per_minute=1)
    limited.app.state.service.limiter.clock = lambda: 1000.0  # one window for the whole test
    assert limited.get("/v1/topics").status_code == 200
    assert limited.get("/v1/topics").status_code == 429
    assert limited.get("/v1/topics", headers={"X-API-Key": "ogoh_made_up"}).status_code == 401


# --- #13: OpenAPI a client generator can use -------------------------------------------------------

def test_openapi_errors_are_problem_json_with_the_problem_schema(client):
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for code, response in op["responses"].items():
                if code[0] in "45":
                    assert response["content"] == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}, (path, method, code)
    problem = spec["components"]["schemas"]["Problem"]
    assert {"title", "status", "errors"} <= set(problem["properties"])
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_openapi_types_the_summary_and_the_lead_and_lists_closed_sets(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    ask_out = schemas["AskOut"]["properties"]
    assert {"$ref": "#/components/schemas/Summary"} in ask_out["summary"]["anyOf"]
    assert {"$ref": "#/components/schemas/LeadReply"} in ask_out["lead"]["anyOf"]
    assert "signed" in ask_out["attention"]["items"]["enum"] and "out_of_scope" in ask_out["attention"]["items"]["enum"]
    for name, prop in (("MatchOut", "severity"), ("FindingOut", "severity"), ("FindingOut", "rule_severity"),
                       ("TopicSummary", "severity"), ("TopicCardOut", "severity"), ("SummaryRisk", "severity")):
        assert schemas[name]["properties"][prop]["enum"] == ["critical", "high", "medium", "info"], name
    assert schemas["StatsRow"]["properties"]["channel"]["enum"] == ["api", "web", "bot", "inline"]
    assert set(schemas["LeadReply"]["properties"]["kind"]["enum"]) == {"urgent", "signed", "person", "out_of_scope", "finding"}


def test_every_response_conforms_to_the_types_the_schema_declares(client):
    """The enums describe what is sent: severities, attention and small talk of real answers."""
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    severities = set(schemas["MatchOut"]["properties"]["severity"]["enum"])
    attention = set(schemas["AskOut"]["properties"]["attention"]["items"]["enum"])
    talk = set(schemas["SmallTalkOut"]["properties"]["kind"]["enum"])
    for text in (FLAGSHIP, SIGNED, "SOS", "salom", "rahmat", "ты бот?", "мне как иностранцу пришла повестка, это законно?"):
        body = ask(client, text)
        assert {m["severity"] for m in body["matches"]} <= severities
        assert set(body["attention"]) <= attention
        assert body["small_talk"] is None or body["small_talk"]["kind"] in talk
