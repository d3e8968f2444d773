"""REVIEW6 #14: out-of-scope answers were right and short but pointed nowhere. Where a contact we
already have handles such a question by its own source, the answer gives it: Civic Assistance
("We help to appeal against unreasonably issued decisions on expulsion and entry bans") for
expulsion and entry bans (intents family `expulsion`), with its caveat and its source one tap
away. For a patent's price, wages or registration no contact's source says it handles them, so
no contact is offered (none is made up)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from bot.core import replies
from bot.core.service import Service
from bot.engine.i18n import Localizer
from bot.telegram.lead import lead_keyboard, lead_text

EXPULSION = {  # outside what Ogoh covers (no fact, no topic): appeal an expulsion
    "en": "how to appeal a deportation order",
    "ky": "депортацияны кантип жоюуга болот",
    "tg": "қарори депортатсияро чӣ тавр бекор кардан мумкин",
}
NO_CONTACT = {"ru": "сколько стоит патент в москве", "en": "what documents do I need for a work patent",
              "uz": "ish haqi to'lanmayapti nima qilay"}


def civic(book):
    return next(c for c in book.contacts if c.id == "civic-assistance")


def out_of_scope_reply(ogoh, text: str, lang: str):
    """The reply to `text` (asked from a phone in `lang`): it must be the out-of-scope lead; with
    the reply's localizer and what the bot shows of it."""
    out = Service(ogoh).ask_now(text, prior=lang)
    assert out.lead is not None and out.lead.kind == "out_of_scope"
    loc = Localizer(ogoh.book, out.reply_lang)
    return out, loc, unescape(re.sub(r"<[^>]+>", "", lead_text(loc, out.lead)))


@pytest.mark.parametrize("lang", list(EXPULSION))
def test_an_expulsion_question_out_of_scope_gets_the_contact_whose_source_handles_it(ogoh, lang):
    out, loc, shown = out_of_scope_reply(ogoh, EXPULSION[lang], lang)
    assert out.lead.lead == loc.text("ui.out_of_scope")
    assert [c.value for c in out.lead.card.contacts] == [civic(ogoh.book).value]
    assert any(c.source_id == "civic-assistance" for c in out.lead.card.citations)  # its own source, one tap away
    assert loc.text("contact.civic-assistance.label") in shown and "refugee.ru" in shown
    assert loc.text("contact.civic-assistance.caveat") in shown  # we have not checked its status: said
    datas = [b.callback_data for row in lead_keyboard(loc, out.lead).inline_keyboard for b in row]
    assert any(d.startswith("ST:") for d in datas)  # Sources


@pytest.mark.parametrize("lang", list(NO_CONTACT))
def test_a_patent_or_wage_question_gets_no_contact_none_handles_it(ogoh, lang):
    out, loc, shown = out_of_scope_reply(ogoh, NO_CONTACT[lang], lang)
    # unpaid wages also get the one sourced line on high-pay offers as a lure (REVIEW9 F10), no contact
    lure = lang == "uz"
    assert shown == loc.text("ui.out_of_scope") + ("\n• " + loc.text("ui.out_of_scope_lure") if lure else "")
    assert not any(c.value in shown for c in ogoh.book.contacts)


def test_a_threat_of_deportation_to_make_him_sign_is_not_out_of_scope(ogoh):
    out = Service(ogoh).ask_now("угрожают депортацией если не подпишу контракт")
    assert out.lead is None or out.lead.kind != "out_of_scope"
    assert out.facts.get("permit_threat") == "yes"


def test_the_web_page_shows_the_contact_with_its_caveat(ogoh):
    from tests.test_web import make_client

    page = unescape(make_client(ogoh).post("/ask", data={"q": EXPULSION["en"], "lang": "en"}).text)
    loc = Localizer(ogoh.book, "en")
    assert loc.text("ui.out_of_scope") in page
    assert 'href="https://refugee.ru"' in page and loc.text("contact.civic-assistance.caveat") in page
    assert 'href="/topic/work-permit-pressure' in page  # its card: the contact's source among its Sources


def test_no_family_of_the_question_hides_out_of_scope(ogoh):
    """The expulsion words say what the question is about; they do not make it a situation."""
    svc = Service(ogoh)
    out = svc.ask_now(EXPULSION["en"])
    assert replies.attention(out).out_of_scope and "expulsion" in out.attention
