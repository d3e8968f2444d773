"""What a worker reads on the first screen of the bot's personal answer to a typed situation
(REVIEW P2.12): at most 700 visible characters, the disclaimer still there, the
unreviewed-translation notice one tap away (with Sources)."""

from __future__ import annotations

import re

import pytest

from bot.engine.i18n import Localizer
from bot.telegram.handlers.understood import answer_card, footer
from bot.telegram.render import FIRST_MESSAGE_CHARS, sources_list, visible_length

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk", "en"]
TYPED = [  # what typed messages state (the check goes on after each)
    ({"home_country": "UZ", "ru_citizenship": "none", "military_offer": "no"}, "self"),
    ({"summons": "yes", "home_country": "KG"}, "self"),
    ({"summons": "yes", "home_country": "UZ"}, "other"),
    ({"ru_citizenship": "dual", "home_country": "UZ"}, "self"),
    ({"military_offer": "migration_center", "home_country": "TJ", "ru_citizenship": "none"}, "self"),
    ({"permit_threat": "yes"}, "self"),
]


@pytest.mark.parametrize("lang", LANGS)
def test_the_answer_to_a_typed_situation_fits_one_screen_its_disclaimer_next(ogoh, book, lang):
    loc = Localizer(book, lang)
    for facts, about in TYPED:
        out = ogoh.assess(facts, lang, about=about)
        assert out.next_question is not None
        card = answer_card(loc, out, about)
        assert visible_length(card) <= FIRST_MESSAGE_CHARS, (facts, visible_length(card))
        assert out.summary.headline in card
        # the disclaimer opens the question that follows (footer), so it never pushes a risk off the screen
        assert out.disclaimer in footer(loc, out) and loc.text("ui.understood.more_questions") in footer(loc, out)
        plain = re.sub(r"<[^>]+>", "", card).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        for r in out.summary.risks:  # every serious risk, as its sentences (never a bare title: REVIEW4 R25)
            assert f". {r.lead}" in plain or f". {r.text}" in plain, (facts, r.topic_id)
        assert (out.summary.risks + out.summary.good_to_know)[0].lead in plain or out.summary.risks[0].text in plain
        for notice in out.notices:  # one tap away: under the answer's Sources
            assert notice not in card
            assert notice in sources_list(loc, out, notices=True)
    if lang != "en":
        assert ogoh.assess(TYPED[0][0], lang).notices  # the drafts say they are unreviewed


@pytest.mark.parametrize("lang", LANGS)
def test_general_warnings_are_not_shown_as_numbered_risks(ogoh, book, lang):
    """Home UZ, a home passport, nobody offered anything: the Uzbek penalty was "1." with a
    [Risk 1: details] button under a headline saying nothing points to a risk. Now a bullet under
    "Good to know" and a button with the topic's short title; a serious answer keeps its numbers."""
    from html import unescape

    from bot.telegram import keyboards
    from bot.telegram.keyboards import topic_label

    loc = Localizer(book, lang)
    for facts in ({"home_country": "UZ", "ru_citizenship": "none", "military_offer": "no"}, {"home_country": "KG", "ru_citizenship": "none"}):
        out = ogoh.assess(facts, lang)
        assert not out.summary.risks and out.summary.good_to_know
        card = unescape(re.sub(r"<[^>]+>", "", answer_card(loc, out, "self")))
        first = out.summary.good_to_know[0]
        assert "\n1. " not in card and ("• " + first.text in card or "• " + first.lead in card), card
        assert loc.text("ui.summary.general") in card or out.summary.headline.endswith(":")
        labels = [b.text for row in keyboards.summary(loc, out).inline_keyboard for b in row]
        assert loc.text("ui.summary.risk_button", number="1") not in labels
        assert topic_label(loc, first.topic_id, first.title) in labels
    serious = ogoh.assess({"military_offer": "migration_center", "home_country": "KG", "ru_citizenship": "none"}, lang)
    labels = [b.text for row in keyboards.summary(loc, serious).inline_keyboard for b in row]
    assert loc.text("ui.summary.risk_button", number="1") in labels
    assert "\n1. " in unescape(answer_card(loc, serious, "self"))


def _situations():
    import itertools

    for home, cit, offer, summons, threat, app in itertools.product(
            ["UZ", "TJ", "KG", "KZ", None], ["none", "dual", None], ["no", "migration_center", "police", None],
            ["yes", "no", None], ["yes", None], ["residence_permit", None]):
        facts = {k: v for k, v in dict(home_country=home, ru_citizenship=cit, military_offer=offer, summons=summons,
                                       permit_threat=threat, status_application=app).items() if v is not None}
        if facts and not (app and cit not in (None, "none")):
            yield facts


@pytest.mark.parametrize("lang", LANGS)
def test_the_headline_counts_exactly_the_risks_the_first_screen_numbers(ogoh, book, lang):
    """REVIEW4 R10, R25, R34: "3 serious risks" over one shown, "1 serious risk" over two, a
    reassurance ("by law you cannot be called up") numbered as a serious risk, later risks cut to
    bare titles (even questions) where Russian kept sentences. Over many situations, for the reader
    and about someone else: the number in the headline is the number of numbered lines, each a
    serious risk's own sentences; what is good to know is a bullet; no "Good to know:" is left
    with nothing under it."""
    from html import unescape

    loc = Localizer(book, lang)
    general = loc.text("ui.summary.general")
    checked = counted = 0
    for facts in list(_situations())[::3]:
        for about in ("self", "other"):
            out = ogoh.assess(facts, lang, about=about)
            s = out.summary
            card = unescape(re.sub(r"<[^>]+>", "", answer_card(loc, out, about)))
            numbered = re.findall(r"^(\d+)\. (.*)$", card, re.M)
            assert [int(n) for n, _ in numbered] == list(range(1, len(s.risks) + 1)), (facts, card)
            for (_, line), r in zip(numbered, s.risks, strict=True):
                assert r.severity in ("critical", "high") and line in (r.text, r.lead), (facts, line)
                assert line != r.title
            for r in s.good_to_know:
                assert r.severity not in ("critical", "high") and f"{r.lead}" not in [x for _, x in numbered]
            count = re.search(r"\d+", s.headline)
            if count:
                counted += 1
                assert int(count.group()) == len(numbered), (facts, s.headline, card)
            lines = card.splitlines()
            for i, line in enumerate(lines):  # "Good to know:" always has something under it
                if line.rstrip().endswith(general + ":"):
                    assert any(x.startswith("• ") for x in lines[i + 1:i + 3]), (facts, card)
            checked += 1
    assert checked > 150 and counted > 20


@pytest.mark.parametrize("lang", LANGS)
def test_risk_details_name_the_risk_once_and_say_whom_they_speak_to(ogoh, book, lang):
    """REVIEW4 R17: "Risk 1: details" (Tajik, Sakharovo offer) opened 2,198 characters with
    "Very serious: Offers of a military contract" three times at two severities. R37: for a son,
    the details said "you have Russian citizenship" to the parent with nothing saying whom."""
    from html import unescape

    from bot.telegram.render import risk_detail

    loc = Localizer(book, lang)
    facts = {"home_country": "TJ", "ru_citizenship": "none", "military_offer": "migration_center", "permit_threat": "yes"}
    for about in ("self", "other"):
        out = ogoh.assess(facts, lang, about=about)
        for r in out.summary.risks:
            detail = unescape(re.sub(r"<[^>]+>", "", risk_detail(loc, out, r)))
            # the title speaks to the reader ("Russia treats you …"): about someone else it is left out
            assert detail.count(r.title) == (1 if about == "self" else 0) and len(detail) <= 1200 + 200, (r.topic_id, len(detail))
            assert (loc.text("ui.topic.for_other") in detail) is (about == "other")
