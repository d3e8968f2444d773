"""The web answer to a typed situation (REVIEW P2.12, P1.2): the answer's own headline comes
first, what was understood follows as one compact line with its change links; with nothing
serious, the general warnings are headed "Good to know", not "Risks for you"."""

from __future__ import annotations

import re
from html import unescape

import pytest

from bot.engine.i18n import Localizer

TYPED = {
    "ru": "я из Узбекистана, работаю на стройке, паспорт только узбекский, никто ничего не предлагал",
    "en": "I am from Uzbekistan, I work on a construction site, I only have an Uzbek passport, nobody offered me anything",
}
# serious situations (a foreigner's call-up paper alone is no serious risk since REVIEW6 #3: the offer is)
SUMMONS = {"ru": "в миграционном центре предложили контракт, у меня только паспорт Кыргызстана",
           "ky": "маган повестка келди, мен Кыргызстанданмын"}


@pytest.fixture(scope="module")
def web(ogoh):
    from tests.test_web import make_client

    return make_client(ogoh)


def _main(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", sorted(TYPED))
def test_the_headline_comes_before_what_was_understood(web, ogoh, book, lang):
    loc = Localizer(book, lang)
    out = ogoh.ask(TYPED[lang], lang=lang)
    html = unescape(web.post("/ask", data={"q": TYPED[lang], "lang": lang}).text)
    headline, intro = out.summary.headline, loc.text("ui.understood.intro")
    assert headline == loc.text("ui.summary.headline_none_so_far")
    assert headline in html and intro in html
    assert html.index(headline) < html.index(intro)
    # the understood facts are one line (one paragraph), their change links one tap away
    line = re.search(r'<section class="card" id="understood".*?<p>(.*?)</p>', html, re.S).group(1)
    assert all(loc.text(f"fact.{f}.label") in line for f in out.facts)
    assert html.count("/check/change") >= len(out.facts)
    # nothing serious: "Good to know", never "Risks for you" over the Uzbek penalty
    assert f">{loc.text('ui.summary.general')}<" in html
    assert f">{loc.text('ui.summary.risks')}<" not in html


@pytest.mark.parametrize("lang", sorted(SUMMONS))
def test_a_serious_answer_keeps_its_risks_heading(web, ogoh, book, lang):
    loc = Localizer(book, lang)
    out = ogoh.ask(SUMMONS[lang], lang=lang)
    html = unescape(web.post("/ask", data={"q": SUMMONS[lang], "lang": lang}).text)
    assert any(r.severity in ("critical", "high") for r in out.summary.risks)
    assert f">{loc.text('ui.summary.risks')}<" in html
    assert html.index(out.summary.headline) < html.index(loc.text("ui.understood.intro"))
