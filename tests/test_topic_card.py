"""The short topic card (bot.core.cards): what a plain question matched to a topic gets first, in
Telegram and on the web page. Title, the answer's first sentences, 3 steps, one contact; the
rest of the answer and the sources one tap away, nothing lost."""

from __future__ import annotations

import re
from html import escape

import pytest

from bot.engine.summary import person_key

from bot.core.cards import card_ref, parse_ref, split_answer
from bot.core.service import Service
from bot.telegram.render import topic_card, topic_more, topic_sources, visible_length
from tests.fake_telegram import callback_update, running_bot, text_update

LANGS = ["en", "ru", "uz", "uz-Cyrl", "tg", "ky", "kk"]
FIRST_MESSAGE = 900  # visible characters: about one screen of a cheap phone (before: 1,340-2,237)
TOKEN = "123:TOPICCARD"


def esc(text: str) -> str:
    return escape(text, quote=False)


@pytest.fixture(scope="module")
def service(ogoh):
    return Service(ogoh)


@pytest.mark.parametrize("about", ["self", "other"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_first_message_of_every_topic_fits_a_phone_screen_and_loses_nothing(service, lang, about):
    loc = service.localizer(lang)
    for tid in service.topic_ids():
        card = service.topic_card(tid, lang, about)
        full = service.topic(tid, lang).topic
        first = topic_card(loc, card)
        assert visible_length(first) <= FIRST_MESSAGE, (tid, lang, visible_length(first))
        # the first sentences and steps are shown; the rest is one tap away, nothing dropped
        steps_key = person_key(loc, f"topic.{tid}.steps", about)  # written for a relative where the texts have it
        want = full.steps if steps_key.endswith(".steps") else [s.strip() for s in loc.text(steps_key).splitlines() if s.strip()]
        assert card.answer == full.answer and sorted(card.steps + card.more_steps) == sorted(want)
        assert 2 <= len(card.steps) <= 3
        # no empty bullet or blank line inside a block (REVIEW4 R16): nothing shown that says nothing
        assert not [line for line in first.split("\n\n") if not line.strip()], (tid, lang)
        assert not [line for line in first.splitlines() if line and not line.strip()], (tid, lang)
        assert not re.search(r"^\s*•\s*$", first, re.M), (tid, lang)
        assert card.lead and card.lead[-1] in ".!?…)»”\"" and full.answer.startswith(card.lead)
        more = topic_more(loc, card)
        assert all(re.sub(r"\s+", " ", s)[:40] in re.sub(r"<[^>]+>", "", more) for s in [card.more] + card.more_steps if s)
        assert card.disclaimer in more
        # every citation of the topic is one tap away, with its quote
        sources = topic_sources(loc, card)
        assert {c.source_id for c in full.citations} <= {c.source_id for c in card.citations}
        assert len(sources) <= 4096


def test_the_answer_is_cut_between_sentences_never_inside_brackets_or_after_an_abbreviation():
    text = ("By law foreigners cannot be called up (law on foreigners, Art. 15, as quoted. By X). "
            "But since Decree No. 821 many must sign. Migrants are pressed.")
    lead, rest = split_answer(text, 100)
    assert lead == "By law foreigners cannot be called up (law on foreigners, Art. 15, as quoted. By X)."
    assert rest == "But since Decree No. 821 many must sign. Migrants are pressed."
    lead, rest = split_answer("Закон (ст. 15) запрещает призыв. «Годовой» контракт не кончается. Ещё.", 40)
    assert (lead, rest) == ("Закон (ст. 15) запрещает призыв.", "«Годовой» контракт не кончается. Ещё.")
    assert split_answer("One long sentence without any end in sight at all", 10) == ("One long sentence without any end in sight at all", "")
    assert split_answer("Short. Text.", 100) == ("Short. Text.", "")


def test_a_card_shows_one_contact_that_fits_its_topic_and_cites_it(service):
    dual = service.topic_card("dual-citizenship", "ru")
    assert [c.id for c in dual.contacts] == ["get-lost"]  # helps Russian citizens escape conscription
    permit = service.topic_card("work-permit-pressure", "ru")
    assert [c.id for c in permit.contacts] == ["civic-assistance"]  # helps appeal expulsions
    uz = service.topic_card("recruitment-offers", "uz")  # Uzbek: the Uzbek Migration Agency
    assert uz.contacts and {c.country for c in uz.contacts} == {"UZ"} and len(uz.contacts) <= 2
    ru = service.topic_card("recruitment-offers", "ru")  # Russian, no country said: the embassy
    assert ru.contacts == [] and ru.help == service.localizer("ru").text("ui.summary.embassy")
    tj = service.topic_card("recruitment-offers", "ru", home="TJ")  # the country the message stated
    assert {c.country for c in tj.contacts} == {"TJ"}
    for card in (dual, permit, uz, tj):  # the contact's own source is among the card's
        assert {c.source_id for c in card.contacts} <= {c.source_id for c in card.citations}
    help_uz = service.topic_card("get-help", "uz")  # its steps give the numbers: no second line
    assert help_uz.contacts == [] and help_uz.help is None


def test_a_question_about_someone_else_says_the_card_speaks_to_the_reader(service):
    out = service.ask_now("akam harbiy shartnoma taklif qilishdi nima qilsin", "uz")
    assert out.about == "other" and out.matches
    card = service.match_card(out)
    assert card.about == "other" and card.for_other == service.localizer("uz").text("ui.topic.for_other")
    assert card.for_other in topic_card(service.localizer("uz"), card)
    assert service.topic_card(card.id, "uz").for_other is None
    assert parse_ref(card_ref(card)) == (card.id, "other", None)
    assert parse_ref(card_ref(service.topic_card("get-help", "ru", home="KG"))) == ("get-help", "self", "KG")


def test_the_bot_sends_the_short_card_and_its_buttons_return_the_sources_and_the_details(ogoh, service):
    question = "могут ли иностранца призвать в армию?"
    card = service.match_card(service.ask_now(question, "ru"))
    assert card is not None and card.id == "foreigner-conscription"
    with running_bot(ogoh, TOKEN) as bot:
        fake = bot.fake
        fake.push(text_update(question, 4401, "ru"))
        first = fake.wait_for("sendMessage", where=lambda c: "ST:" in str(c.params.get("reply_markup")))[-1]
        text = first.params["text"]
        assert visible_length(text) <= FIRST_MESSAGE
        assert card.title in text and card.lead in text and card.steps[0] in text
        assert card.more and esc(card.more[:80]) not in text  # the rest is behind Details
        assert not any(esc(c.quote or "-")[:40] in text for c in card.citations)  # the sources behind Sources
        data = dict((d, t) for t, d in bot.buttons(first))
        assert f"ST:{card.id}" in data and f"TM:{card.id}" in data
        n = len(fake.calls_to("sendMessage"))
        fake.push(callback_update(f"ST:{card.id}", 1, 4401, "ru"))
        listed = fake.wait_for("sendMessage", since=n)[-1]
        sources = listed.params["text"]
        for c in card.citations:  # publisher, date, address in the reader's language; the quotes one tap further
            assert esc(c.publisher_text) in sources and esc(c.date_text) in sources
            assert (c.url or "").split("://")[-1].split("/")[0] in sources
            assert not c.quote or esc(c.quote)[:60] not in sources
        assert card.notices and all(esc(n) in sources for n in card.notices)  # a draft translation says so there
        buttons = [d for _, d in bot.buttons(listed)]
        assert f"TQ:{card.id}" in buttons and "M:menu" in buttons  # never a dead end
        n = len(fake.calls_to("sendMessage"))
        fake.push(callback_update(f"TQ:{card.id}", 1, 4401, "ru"))
        quotes = fake.wait_for("sendMessage", since=n)[-1].params["text"]
        for c in card.citations:  # verbatim; an English one marked, in Russian, as the English original
            if c.quote:
                assert esc(c.quote)[:60] in quotes
                assert (c.quote_lang == "ru") == (c.quote_note is None)
        assert "оригинал на английском" in quotes
        n = len(fake.calls_to("sendMessage"))
        fake.push(callback_update(f"TM:{card.id}", 1, 4401, "ru"))
        more = fake.wait_for("sendMessage", since=n)[-1]
        assert esc(card.more[:60]) in more.params["text"] and esc(card.disclaimer) in more.params["text"]
        assert f"ST:{card.id}" in [d for _, d in bot.buttons(more)]


def test_the_bot_card_about_someone_else_and_its_sources(ogoh, service):
    question = "мой брат иностранец, его могут призвать в армию?"  # about someone else, no fact stated
    out = service.ask_now(question, "ru")
    assert out.about == "other" and not service.understood(out)
    card = service.match_card(out)
    with running_bot(ogoh, TOKEN) as bot:
        fake = bot.fake
        fake.push(text_update(question, 4402, "ru"))
        first = fake.wait_for("sendMessage", where=lambda c: "ST:" in str(c.params.get("reply_markup")))[-1]
        assert card.for_other and card.for_other in first.params["text"]
        ref = next(d for _, d in bot.buttons(first) if d.startswith("ST:"))
        assert ref == f"ST:{card_ref(card)}"
        n = len(fake.calls_to("sendMessage"))
        fake.push(callback_update(ref, 1, 4402, "ru"))
        sources = fake.wait_for("sendMessage", since=n)[-1].params["text"]
        assert all(esc(c.publisher_text) in sources for c in card.citations)


def test_a_topic_text_written_for_someone_else_is_used_without_the_note(rules_copy):
    from bot.ogoh import Ogoh

    path = rules_copy / "text" / "en.yaml"
    with path.open("a", encoding="utf-8") as f:
        f.write('  topic.recruitment-offers.answer.other:\n    text: "Recruiters offer migrants contracts. He can say no."\n    reviewed: false\n'
                '  topic.recruitment-offers.steps.other:\n    text: |-\n      He can say no.\n      He should not sign.\n'
                '      He should keep his passport.\n      He can tell his embassy.\n    reviewed: false\n')  # one line per action (topics.yaml)
    service = Service(Ogoh(rules_copy))
    card = service.topic_card("recruitment-offers", "en", "other")
    assert card.lead == "Recruiters offer migrants contracts. He can say no." and card.steps[:2] == ["He can say no.", "He should not sign."]
    assert card.for_other is None
    assert service.topic_card("recruitment-offers", "en").lead.startswith("Recruiters offer migrants contracts with")
    ru = service.topic_card("recruitment-offers", "ru", "other")  # Russian has no such variant: its own text, with the note
    assert ru.for_other and "Вербовщики" in ru.lead


def test_a_card_in_a_group_or_shared_inline_links_to_its_sources_in_a_private_chat(ogoh, service):
    from tests.fake_telegram import group_update, inline_update, user

    card = service.topic_card("dual-citizenship", "en")
    with running_bot(ogoh, TOKEN) as bot:
        fake = bot.fake
        fake.push(group_update("/gethelp@ogoh_test_bot", -4403, user(4403, "en"), 7))
        group_card = fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "-4403")[-1]
        links = [d for _, d in bot.buttons(group_card)]
        assert all(d.startswith("https://t.me/") for d in links)  # link buttons only in a group
        assert any(d.endswith("?start=get-help_en_src") for d in links)
        fake.push(inline_update("dual citizenship russia", "en"))
        result = fake.wait_for("answerInlineQuery")[-1].params["results"][0]
        urls = [b["url"] for row in result["reply_markup"]["inline_keyboard"] for b in row]
        assert "https://t.me/ogoh_test_bot?start=dual-citizenship_en_src" in urls
        assert visible_length(result["input_message_content"]["message_text"]) <= FIRST_MESSAGE
        n = len(fake.calls_to("sendMessage"))
        fake.push(text_update("/start dual-citizenship_en_src", 4404, "ru"))
        sent = fake.wait_for("sendMessage", since=n)[-1]
        sources = sent.params["text"]
        assert all(esc(c.publisher_text) in sources for c in card.citations)
        assert f"TQ:{card.id}" in [d for _, d in bot.buttons(sent)]  # their own words one tap further


def test_the_topic_under_i_understood_about_someone_else_opens_its_card_for_that_person(ogoh, service):
    question = "my brother was offered a contract at the migration center, what should he do"
    out = service.ask_now(question, "en")
    assert out.about == "other" and service.understood(out) and out.matches
    with running_bot(ogoh, TOKEN) as bot:
        fake = bot.fake
        fake.push(text_update(question, 4405, "en"))
        understood = fake.wait_for("sendMessage", where=lambda c: "U:" in str(c.params.get("reply_markup")))[-1]
        topic = next(d for _, d in bot.buttons(understood) if d.startswith("T:"))
        assert topic == f"T:{out.matches[0].topic_id}:o"
        n = len(fake.calls_to("sendMessage"))
        fake.push(callback_update(topic, 1, 4405, "en"))
        card = fake.wait_for("sendMessage", since=n)[-1]
        assert esc(service.localizer("en").text("ui.topic.for_other")) in card.params["text"]
        assert f"ST:{out.matches[0].topic_id}:o" in [d for _, d in bot.buttons(card)]


def test_the_web_page_shows_the_same_short_card_with_the_rest_and_the_sources_behind_details(ogoh, service):
    from markupsafe import escape as html_escape

    from bench.topic_card_length import web_visible
    from tests.test_web import make_client

    client = make_client(ogoh)
    for lang in ("ru", "ky"):
        card = service.topic_card("foreigner-conscription", lang)
        html = client.get(f"/topic/foreigner-conscription?lang={lang}").text
        lead, more = str(html_escape(card.lead)), str(html_escape(card.more))
        assert web_visible(html) <= FIRST_MESSAGE
        details = html.index('<details class="more">')
        assert html.index(lead) < details < html.index(more)  # the rest one tap away, without a script
        sources = html.index('<details class="sources"')
        assert f"{service.localizer(lang).text('ui.sources')} ({len(card.citations)})" in html[sources:]
        assert all(str(html_escape(c.quote)) in html[sources:] for c in card.citations if c.quote)
        assert "<script" not in html
    question = "akam harbiy shartnoma taklif qilishdi nima qilsin"
    card = service.match_card(service.ask_now(question, "uz"))
    html = client.post("/ask", data={"q": question, "lang": "uz"}).text
    assert str(html_escape(card.for_other)) in html and str(html_escape(card.lead)) in html


def test_the_api_gives_ngos_the_same_card(ogoh, service):
    from tests.test_web import make_client

    client = make_client(ogoh)
    r = client.get("/v1/topics/recruitment-offers/card?lang=uz&about=other&home=TJ")
    assert r.status_code == 200
    body = r.json()
    card = service.topic_card("recruitment-offers", "uz", "other", "TJ")
    assert body["lead"] == card.lead and body["more"] == card.more and body["steps"] == card.steps
    assert body["for_other"] == card.for_other and {c["country"] for c in body["contacts"]} == {"TJ"}
    assert [c["source_id"] for c in body["citations"]] == [c.source_id for c in card.citations]
    assert client.get("/v1/topics/no-such-topic/card").status_code == 404
    assert client.get("/v1/topics/get-help/card?home=XX").status_code == 422


@pytest.mark.parametrize("lang", LANGS)
def test_where_to_get_help_puts_the_readers_country_first_and_gives_each_number_once(service, lang):
    """REVIEW4 R38/R16: a Tajik reader read Uzbekistan's agency first, then the Tajik number again
    as a last bullet; an Uzbek reader got an empty bullet."""
    loc = service.localizer(lang)
    for home, number in (("TJ", "967"), ("UZ", "045")):
        card = service.topic_card("get-help", lang, home=home)
        assert number in card.steps[0], (lang, home, card.steps[0])  # his country's step first
        text = re.sub(r"<[^>]+>", "", topic_card(loc, card))
        digits = re.sub(r"\D", "", text)
        for c in service.book.contacts:  # never the same number or handle twice on the card
            key = re.sub(r"\D", "", c.value) if c.kind in ("phone", "whatsapp") else c.value
            assert (digits if c.kind in ("phone", "whatsapp") else text).count(key) <= 1, (lang, home, c.value)
        assert not re.search(r"^\s*•\s*$", text, re.M)
    # Kyrgyzstan, Kazakhstan, Turkmenistan have no confirmed number: the step saying so comes first
    for home in ("KG", "KZ", "TM"):
        first = service.topic_card("get-help", lang, home=home).steps[0]
        assert "+7" not in first  # the embassy step: no number to give
        assert first == service.topic_card("get-help", lang, home="KG").steps[0]
        assert first != service.topic("get-help", lang).topic.steps[0]
    # no country stated: the reply language's hint (tg -> Tajikistan, ky -> Kyrgyzstan), else as written
    steps = service.topic("get-help", lang).topic.steps
    hinted = {"tg": steps[1], "ky": steps[2], "kk": steps[2]}.get(lang, steps[0])
    assert service.topic_card("get-help", lang).steps[0] == hinted


@pytest.mark.parametrize("lang", LANGS)
def test_the_penalties_card_for_a_stated_country_leads_with_that_countrys_finding_and_its_sources(service, lang):
    """REVIEW4 R29: 'how many years in Tajikistan' got the generic 'governments warned' card; the
    rules hold Tajikistan's own finding (art. 401, 12-20 years, whether it covers the Russian army
    not decided): it leads, whole, its sources first and each source once."""
    loc = service.localizer(lang)
    for home in ("UZ", "TJ", "KG", "KZ", "TM"):
        card = service.topic_card("home-country-penalties", lang, home=home)
        short = loc.text(f"rule.penalties-{home.lower()}.short")
        assert card.lead.startswith(short), (lang, home, card.lead)
        rule = next(r for r in service.book.rules if r.id == f"penalties-{home.lower()}")
        assert [c.source_id for c in card.citations][:1] == [rule.citations[0].source]
        assert {c.source for c in rule.citations} <= {c.source_id for c in card.citations}
        ids = [c.source_id for c in card.citations]
        assert len(ids) == len(set(ids))  # one citation per source
        assert visible_length(topic_card(loc, card)) <= FIRST_MESSAGE
    tj = service.topic_card("home-country-penalties", lang, home="TJ").lead
    assert "401" in tj and "12" in tj and "20" in tj
    if lang == "ru":
        assert "не решено" in tj  # the rules' own "not decided", kept as they have it
    generic = service.topic_card("home-country-penalties", lang)  # no country stated: the general card
    assert "401" not in generic.lead


def test_a_question_naming_a_country_gets_that_countrys_penalty_first_in_the_bot_and_on_the_web(ogoh, service):
    """REVIEW4 R29: 'сколько лет дадут в таджикистане если воевал за россию' names the country
    without saying he is its citizen; the card leads with Tajikistan's finding, the Sources button
    rebuilds that card, and a question naming no country keeps the general card."""
    from markupsafe import escape as html_escape

    from tests.test_web import make_client

    question = "сколько лет дадут в таджикистане если воевал за россию"
    out = service.ask_now(question, "ru")
    assert out.country_named == "TJ" and "home_country" not in out.facts  # named, not stated as his
    card = service.match_card(out)
    assert card is not None and card.id == "home-country-penalties" and card.home == "TJ"
    short = service.localizer("ru").text("rule.penalties-tj.short")
    assert card.lead.startswith(short) and parse_ref(card_ref(card)) == (card.id, "self", "TJ")
    with running_bot(ogoh, TOKEN) as bot:
        bot.fake.push(text_update(question, 4406, "ru"))
        first = bot.fake.wait_for("sendMessage", where=lambda c: "ST:" in str(c.params.get("reply_markup")))[-1]
        assert esc(short) in first.params["text"]
        # (the reply leads with that country's finding, REVIEW9 F5: its card with the home contact, ":hTJ")
        assert f"ST:{card.id}:hTJ" in [d for _, d in bot.buttons(first)]
    html = make_client(ogoh).post("/ask", data={"q": question, "lang": "ru"}).text
    assert str(html_escape(short)) in html
    for q, lang, home in (("ukrainada urushsam uzbekistonda qamalamanmi", "uz", "UZ"),
                          ("кыргызстанда согушка катышсам канча жыл берет", "ky", "KG"),
                          ("kazakstanda soghyska qatysqany ushin jaza bar ma", "kk", "KZ"),  # R12, translit
                          ("дар тоҷикистон барои ҷанг чанд сол медиҳанд", "tg", "TJ")):
        named = service.match_card(service.ask_now(q, lang))
        assert named is not None and named.home == home
        assert named.lead.startswith(service.localizer(lang).text(f"rule.penalties-{home.lower()}.short"))
    plain = service.match_card(service.ask_now("что будет дома если воевал за россию", "ru"))
    assert plain is not None and plain.home is None and "401" not in plain.lead


def test_sources_name_each_publisher_once_as_its_link_never_a_raw_host(ogoh, service):
    """REVIEW4 R17: Sources listed 'd2ityc26n0mltl.cloudfront.net', 'old.asiaplustj.info', and
    'The Diplomat, март 2022' with neither link nor a word why; the publisher is now the link."""
    from bot.telegram.render import sources_list
    from tests.test_web import make_client

    loc = service.localizer("ru")
    card = service.topic_card("home-country-penalties", "ru", home="TJ")
    text = topic_sources(loc, card)
    visible = re.sub(r"<[^>]+>", "", text)
    assert "cloudfront" not in visible and "old.asiaplustj" not in visible
    azattyk = next(c for c in card.citations if c.url and "cloudfront" in c.url)
    assert f'<a href="{azattyk.url}">{esc(azattyk.publisher_text)}</a>' in text  # still one tap to the page
    assert len({c.source_id for c in card.citations}) == len(card.citations)
    out = service.assess_now({"home_country": "TJ", "ru_citizenship": "none", "military_offer": "migration_center"}, "ru")
    listed = sources_list(loc, out, every=True)  # "All sources (N)": the first list has those behind the first screen (REVIEW7 F9)
    assert "cloudfront" not in re.sub(r"<[^>]+>", "", listed)
    for src in out.sources:  # each source once, with its link or the reason there is none
        assert listed.count(f"• {_name(src)}") == 1, src.source_id
    first = sources_list(loc, out)
    assert all(first.count(line) == 1 for line in first.splitlines() if line.startswith("• "))
    html = make_client(ogoh).get("/topic/home-country-penalties?lang=ru").text
    sources = html[html.index('<details class="sources"'):]
    assert all(f'href="{escape(c.url, quote=True)}"' in sources for c in service.topic_card("home-country-penalties", "ru").citations if c.url)
    assert ">d2ityc26n0mltl.cloudfront.net<" not in sources


def _name(src) -> str:
    return f'<a href="{escape(src.url, quote=True)}">{esc(src.publisher_text)}</a>' if src.url else esc(src.publisher_text)
