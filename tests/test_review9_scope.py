"""REVIEW9 F8, F10, F7 (session 9, last round): what an out-of-scope question is told, and who
reads his embassy first on the web page.

- F8: "погода завтра" was told "no checked answer on work, pay, patents or registration"; the
  weather, a joke, anything else now reads only what Ogoh answers (ui.out_of_scope_general); the
  work/pay/patent/registration line stays for those (intents families wages, everyday).
- F10: unpaid wages also read that a high-pay offer in occupied Ukraine may be a lure (N28
  Bloomberg: migrants hired for construction ended up digging trenches and fighting; O2 RFE/RL:
  paid less than promised), those two sources on the card and the topic a tap away.
- F7: a Kyrgyz or Kazakh reader with no country stated reads his embassy line before other
  countries' numbers on the web page too (bot.core.cards.embassy_first)."""

from __future__ import annotations

import html
import re

import pytest

from bot.core.service import Service

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
WEATHER = {"ru": "погода завтра", "uz": "ertaga ob havo qanday", "uz-Cyrl": "эртага об-ҳаво қандай",
           "tg": "фардо обу ҳаво чӣ гуна", "ky": "аба ырайы кандай", "kk": "ауа райы қандай", "en": "what is the weather tomorrow"}
JOKE = {"ru": "расскажи анекдот", "uz": "latifa aytib ber", "uz-Cyrl": "бир латифа айтиб бер", "tg": "латифа гӯй",
        "ky": "анекдот айтып берчи", "kk": "анекдот айтшы", "en": "tell me a joke"}
WAGES = {"ru": "мне не платят зарплату 3 месяца", "uz": "ish haqimni 2 oydan beri berishmayapti", "uz-Cyrl": "маошимни бермаяпти",
         "tg": "музди меҳнатамро намедиҳанд", "ky": "мага айлык бербей жатышат", "kk": "жалақымды бермей жатыр",
         "en": "my boss does not pay my salary"}
PATENT = {"ru": "сколько стоит патент в москве", "uz": "patent qancha turadi moskvada", "uz-Cyrl": "патент канча туради Москвада",
          "tg": "патент чанд пул аст дар Москва", "ky": "Москвада патент азыр канча турат", "kk": "Мәскеуде патент қазір қанша тұрады",
          "en": "how much is a patent in moscow"}


@pytest.fixture(scope="module")
def service(ogoh):
    return Service(ogoh)


def oos(service, text, lang):
    out = service.ask_now(text, lang, lang)
    assert out.lead is not None and out.lead.kind == "out_of_scope", (lang, text, out.attention, [m.topic_id for m in out.matches])
    return out, service.localizer(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_weather_or_a_joke_is_told_what_ogoh_answers_not_the_wages_list(service, lang):
    for text in (WEATHER[lang], JOKE[lang]):
        out, loc = oos(service, text, lang)
        assert out.lead.lead == loc.text("ui.out_of_scope_general"), text
        assert loc.text("ui.out_of_scope") != out.lead.lead and loc.text("ui.out_of_scope").startswith(out.lead.lead)
        assert out.lead.steps == [] and out.matches == []
        assert out.attention[-1] == "out_of_scope"


@pytest.mark.parametrize("lang", LANGS)
def test_unpaid_wages_keep_the_wages_line_and_read_that_a_high_pay_offer_may_be_a_lure(service, lang):
    out, loc = oos(service, WAGES[lang], lang)
    assert out.lead.lead == loc.text("ui.out_of_scope")
    assert out.lead.steps == [loc.text("ui.out_of_scope_lure")]
    assert "Bloomberg" in out.lead.steps[0] and "RFE/RL" in out.lead.steps[0]  # named in words, as the rules' lines
    cited = {c.source_id for c in out.lead.card.citations}
    assert {"bnn-bloomberg-2024-occupied", "rferl-2022-12-mariupol"} <= cited
    assert out.lead.also == "occupied-territory-jobs"
    assert "wages" in out.attention


@pytest.mark.parametrize("lang", LANGS)
def test_a_patent_question_keeps_the_wages_line_without_the_lure(service, lang):
    out, loc = oos(service, PATENT[lang], lang)
    assert out.lead.lead == loc.text("ui.out_of_scope") and out.lead.steps == [] and out.lead.also is None


@pytest.mark.parametrize("lang", ["ru", "en", "ky"])
def test_the_api_message_is_the_leads_line(service, lang):
    """/v1/ask and `ogoh ask --json` carry `message`: the weather's is the plain line too."""
    out, loc = oos(service, WEATHER[lang], lang)
    assert out.message == loc.text("ui.out_of_scope_general")
    out, loc = oos(service, WAGES[lang], lang)
    assert out.message == loc.text("ui.out_of_scope") + "\n" + loc.text("ui.out_of_scope_lure")


def test_a_threat_about_the_patent_is_not_out_of_scope(service):
    out = service.ask_now("угрожают аннулировать патент если не подпишу контракт", "ru", "ru")
    assert "out_of_scope" not in out.attention and "everyday" not in out.attention


def test_the_cli_prints_the_lure_under_the_wages_line(ogoh):
    import contextlib
    import io

    from bot.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.suppress(SystemExit):
        main(["ask", "--prior", "ru", WAGES["ru"]])
    shown = buf.getvalue()
    loc = Service(ogoh).localizer("ru")
    assert shown.index(loc.text("ui.out_of_scope")) < shown.index(loc.text("ui.out_of_scope_lure"))


# --- F7 on the web page ----------------------------------------------------------------------------
def page_text(client, path: str) -> str:
    body = client.get(path).text
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def web(ogoh):
    from tests.test_web import make_client

    return make_client(ogoh)


UZ_AGENCY = "+7 925 045-47-44"


@pytest.mark.parametrize("lang, text", [("ky", "Мариуполго курулушка чакырып жатышат"), ("kk", "маған Мариупольде жұмыс ұсынды")])
def test_a_kyrgyz_or_kazakh_reader_reads_his_embassy_first_on_the_web_page(ogoh, web, lang, text):
    from urllib.parse import urlencode

    shown = page_text(web, "/ask?" + urlencode({"q": text, "lang": lang}))
    assert UZ_AGENCY in shown  # every country's number still (REVIEW7 F2)
    embassy = ogoh.assess({"occupied_job_offer": "yes"}, lang).summary.help  # "Kyrgyzstan, Kazakhstan, …: your embassy"
    assert embassy and shown.index(embassy) < shown.index(UZ_AGENCY)
    # the understood panel (the personal answer) too
    shown = page_text(web, f"/check/understood?lang={lang}&occupied_job_offer=yes")
    assert shown.index(embassy) < shown.index(UZ_AGENCY)


def test_a_russian_reader_on_the_web_keeps_the_numbers_first(ogoh, web):
    from urllib.parse import urlencode

    shown = page_text(web, "/ask?" + urlencode({"q": "мне предложили работу в Мариуполе", "lang": "ru"}))
    embassy = ogoh.assess({"occupied_job_offer": "yes"}, "ru").summary.help
    assert UZ_AGENCY in shown
    assert not embassy or embassy not in shown or shown.index(UZ_AGENCY) < shown.index(embassy)


def test_a_wages_page_shows_the_lure_and_a_sources_link(ogoh, web):
    from urllib.parse import urlencode

    loc = Service(ogoh).localizer("ru")
    body = web.get("/ask?" + urlencode({"q": WAGES["ru"], "lang": "ru"})).text
    assert html.escape(loc.text("ui.out_of_scope_lure"), quote=False) in body
    lure = body.index(html.escape(loc.text("ui.out_of_scope_lure"), quote=False))
    assert body.index('class="tap" href="/topic/occupied-territory-jobs', lure) > lure  # its sources a tap away
    body = web.get("/ask?" + urlencode({"q": WEATHER["ru"], "lang": "ru"})).text
    assert html.escape(loc.text("ui.out_of_scope_general"), quote=False) in body
    assert html.escape(loc.text("ui.out_of_scope_lure"), quote=False) not in body
