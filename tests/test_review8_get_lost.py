"""Get Lost (an organisation of no country, for Russian citizens facing call-up) is never shown
without its caveat, on any face: the CLI and the web page showed its address alone, the bot had
the caveat (REVIEW8 F5). One rule: bot.core.links.organisations / must_caveat."""

from __future__ import annotations

from html import unescape

import pytest

from bot.engine.i18n import Localizer


@pytest.fixture(scope="module")
def web(ogoh):
    from tests.test_web import make_client

    return make_client(ogoh)


@pytest.mark.parametrize("lang,text", [
    ("ru", "мне дали повестку, у меня паспорт РФ и Узбекистана"),
    ("en", "I got a call-up paper, I have Russian and Kyrgyz passports"),
    ("uz", "menda Rossiya va O'zbekiston pasporti bor, chaqiruv qog'ozi keldi"),
])
def test_the_cli_shows_get_lost_with_its_caveat(capsys, book, lang, text):
    from bot.cli import main

    assert main(["ask", "--lang", lang, text]) == 0
    shown = capsys.readouterr().out
    loc = Localizer(book, lang)
    line = next(ln for ln in shown.splitlines() if "iditelesom.org" in ln)
    assert loc.text("contact.get-lost.caveat") in line, line


@pytest.mark.parametrize("lang", ["ru", "uz", "tg", "ky", "kk", "en"])
def test_the_web_topic_card_shows_get_lost_with_its_caveat_before_details(web, book, lang):
    html = unescape(web.get(f"/topic/dual-citizenship?lang={lang}").text)
    first = html.split("<details", 1)[0]
    assert "iditelesom.org" in first  # the topic's own contact (contacts.yaml topics)
    assert Localizer(book, lang).text("contact.get-lost.caveat") in first
