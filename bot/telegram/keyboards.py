"""Inline keyboards. Callback data stays under Telegram's 64 bytes (checked by `ogoh check` for
fact answers; topic and rule ids are short by the same check)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.cards import parse_ref
from bot.core.service import UZ_CYRILLIC, Localizer, language_label
from bot.engine.views import FindingOut, QuestionOut

HELP_TOPIC = "get-help"  # the topic that lists where to get help (rules/topics.yaml)


def button(text: str, data: str) -> InlineKeyboardButton:
    assert len(data.encode()) <= 64, data
    return InlineKeyboardButton(text, callback_data=data)


def languages(loc: Localizer, suggested: str) -> InlineKeyboardMarkup:
    book = loc.book
    codes = list(book.languages) + ([UZ_CYRILLIC] if "uz" in book.languages else [])
    codes.sort(key=lambda c: c != suggested)  # the user's Telegram language first
    rows = []
    for code in codes:
        rows.append([button(language_label(book, code), f"L:{code}")])  # the service's label, "(кирилл)" once
    return InlineKeyboardMarkup(rows)


def menu(loc: Localizer, talk: bool = False) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [button(loc.text("ui.check_my_situation"), "M:check")],
        [button(loc.text("ui.topics"), "M:topics"), button(loc.text("ui.get_help"), "M:help")],
        *([talk_row(loc)] if talk else []),
        [button(loc.text("bot.menu_language"), "M:lang"), button(loc.text("bot.menu_privacy"), "M:privacy")],
    ])


def talk_row(loc: Localizer) -> list[InlineKeyboardButton]:
    """"Talk to a person" (issue 16), shown only where a volunteers' group is configured."""
    return [button(loc.text("ui.handoff.button"), "H:talk")]


def question(loc: Localizer, q: QuestionOut, can_go_back: bool, check_id: str = "", position: int = 0,
             ticked: list[str] | None = None) -> InlineKeyboardMarkup:
    """Answers carry the check's short id (a:<check>:<fact>:<value>); "back" also carries how
    many answers it saw (b:<check>:<n>), so a double tap goes back once. A question with several
    answers (additive, MULTIPLE): a tap ticks an option (✓), "Done" (a:<check>:<fact>:+) records
    them; "no" and "I don't know" answer at once."""
    if q.multiple:
        picks = [o for o in q.options if o.value not in ("no", "dont_know")]
        alone = [o for o in q.options if o.value in ("no", "dont_know")]
        rows = [[button(("✓ " if o.value in (ticked or []) else "") + o.label, f"a:{check_id}:{q.fact_id}:{o.value}")] for o in picks]
        rows.append([button(loc.text("ui.done") + " »", f"a:{check_id}:{q.fact_id}:+")])
        rows += [[button(o.label, f"a:{check_id}:{q.fact_id}:{o.value}")] for o in alone]
    else:
        rows = [[button(o.label, f"a:{check_id}:{q.fact_id}:{o.value}")] for o in q.options]
    nav = [button("« " + loc.text("ui.back"), f"b:{check_id}:{position}")] if can_go_back else []
    nav.append(button(loc.text("bot.menu_button"), "M:menu"))
    rows.append(nav)
    return InlineKeyboardMarkup(rows)


def finding(loc: Localizer, f: FindingOut) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(loc.text("ui.because"), f"W:{f.rule_id}"), button(loc.text("ui.sources"), f"S:{f.rule_id}")]])


def topic_label(loc: Localizer, topic_id: str, title: str = "") -> str:
    """A topic's button label (issue 15, ONBOARDING): its short title (text key
    topic.<id>.short_title, at most 24 characters so that it fits a phone; `ogoh check` warns),
    else the full title."""
    try:
        return loc.text(f"topic.{topic_id}.short_title")
    except KeyError:
        return title or loc.text(f"topic.{topic_id}.title")


def topics(loc: Localizer, items: list[tuple[str, str]], home: str | None = None) -> InlineKeyboardMarkup:
    """Topic buttons; `home`: the country the cards are for (T:<topic>:<country>, bot.core.cards.card_ref)."""
    extra = f":{home}" if home else ""
    return InlineKeyboardMarkup([[button(topic_label(loc, tid, title), f"T:{tid}{extra}")] for tid, title in items])


def topics_and_help(loc: Localizer, items: list[tuple[str, str]], home: str | None = None) -> InlineKeyboardMarkup:
    """Likely topics, then ONE "Get help" button (issue 15, ONBOARDING): the get-help topic is
    not listed beside it a second time. `home`: the country the question named."""
    rows = topics(loc, [(tid, title) for tid, title in items if tid != "get-help"], home).inline_keyboard
    return InlineKeyboardMarkup(list(rows) + [[button(loc.text("ui.get_help"), "M:help")]])


def after_results(loc: Localizer, talk: bool = False) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [button(loc.text("ui.what_to_do"), "R:todo"), button(loc.text("ui.get_help"), "M:help")],
        *([talk_row(loc)] if talk else []),
        [button(loc.text("bot.restart"), "M:check"), button(loc.text("bot.menu_button"), "M:menu")],
    ])


def topic_actions(loc: Localizer, ref: str, talk: bool = False, more: bool = True) -> InlineKeyboardMarkup:
    """Under a topic card (bot.core.cards): Sources (ST:<ref>), Details (TM:<ref>: the rest of
    the answer, the other steps, the disclaimer), the menu. `ref`: bot.core.cards.card_ref."""
    first = [button(loc.text("ui.sources"), f"ST:{ref}")] + ([button(loc.text("ui.summary.details"), f"TM:{ref}")] if more else [])
    # The topics its answer does not cover (topics.yaml see_also: "foreigners cannot be called up"
    # points a dual or new Russian citizen to theirs, REVIEW5 F12), for the same person.
    topic_id, about, _ = parse_ref(ref)
    topic = loc.book.topics.get(topic_id)
    also = [button(topic_label(loc, t), f"T:{t}" + (":o" if about == "other" else "")) for t in (topic.see_also if topic else [])]
    return InlineKeyboardMarkup([first] + ([also] if also else []) + [[button(loc.text("bot.menu_button"), "M:menu")]]
                                + ([talk_row(loc)] if talk else []))


def topic_sources(loc: Localizer, ref: str) -> InlineKeyboardMarkup:
    """Under a topic card's Sources: the sources' own words (TQ:<ref>), Details, the menu."""
    return InlineKeyboardMarkup([[button(loc.text("ui.source.quote_label"), f"TQ:{ref}"),
                                  button(loc.text("ui.summary.details"), f"TM:{ref}")],
                                 [button(loc.text("bot.menu_button"), "M:menu")]])


def summary(loc: Localizer, out, expanded: int = 0, prefix: str = "") -> InlineKeyboardMarkup:
    """Under the summary: one button per risk (opens it in place; the open one closes), Sources.
    `prefix` ("U:<id>:") makes them the buttons of an answer to a typed situation."""
    risk_buttons = []
    # A serious risk is "Risk N: details" (the headline counts them); what is good to know, not a
    # risk, has a button with its topic's short title (REVIEW P1.2, REVIEW4 R10): numbered in turn.
    s = out.summary
    for i, r in enumerate(s.risks + s.good_to_know, 1):
        label = (loc.text("ui.summary.hide") if i == expanded else loc.text("ui.summary.risk_button", number=str(i))
                 if i <= len(s.risks) else topic_label(loc, r.topic_id, r.title))
        risk_buttons.append(button(label, f"{prefix}X:{0 if i == expanded else i}"))
    rows = [risk_buttons[i : i + 2] for i in range(0, len(risk_buttons), 2)]
    if out.sources:
        rows.append([button(loc.text("ui.sources"), f"{prefix}SS")])
    if not s.contacts and HELP_TOPIC in loc.book.topics:
        # No contact fits (Kyrgyzstan, Kazakhstan, Turkmenistan): "your country's embassy" is
        # advice, not something to tap; where to get help is (REVIEW4 R14).
        rows.append([button(topic_label(loc, HELP_TOPIC), f"T:{HELP_TOPIC}")])
    return InlineKeyboardMarkup(rows)


def quotes(loc: Localizer, prefix: str = "", more: int = 0) -> InlineKeyboardMarkup:
    """Under an answer's Sources: the sources' own words, every source (SA) when `more` were left
    for a tap further (render.first_sources), and the menu (REVIEW5 F15: no dead end)."""
    every = [[button(loc.text("ui.sources_all", n=str(more)), f"{prefix}SA")]] if more else []
    return InlineKeyboardMarkup([[button(loc.text("ui.source.quote_label"), f"{prefix}SQ")]] + every
                                + [[button(loc.text("bot.menu_button"), "M:menu")]])


# --- "I understood: ..." (issue 12 item 2) -------------------------------------------------------

def understood(loc: Localizer, uid: str, topic: tuple[str, str] | None = None, confirmed: bool = False,
               sources: bool = False) -> InlineKeyboardMarkup:
    """[Right] [Change] under what a typed message was understood to say (only [Change] once
    confirmed), and the matched topic's card one tap away (`topic`: its card ref, bot.core.cards,
    and label); `sources`: the personal answer's sources (a step from it is shown above)."""
    row = ([] if confirmed else [button("✓ " + loc.text("ui.understood.right"), f"U:{uid}:ok")])
    row.append(button("✎ " + loc.text("ui.understood.change"), f"U:{uid}:chg"))
    more = [button(topic_label(loc, topic[0].split(":")[0], topic[1]), f"T:{topic[0]}")] if topic else []
    more += [button(loc.text("ui.sources"), f"U:{uid}:SS")] if sources else []
    return InlineKeyboardMarkup([row] + ([more] if more else []))


def understood_facts(loc: Localizer, uid: str, rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Change: a button per understood fact ("Home country: Kyrgyzstan"), then back."""
    buttons = [[button(label, f"U:{uid}:f:{fact_id}")] for fact_id, label in rows]
    return InlineKeyboardMarkup(buttons + [[button("« " + loc.text("ui.back"), f"U:{uid}:back")]])


def understood_options(loc: Localizer, uid: str, q: QuestionOut, current: str | None) -> InlineKeyboardMarkup:
    """One understood fact asked again: its options (the current one marked), then back."""
    rows = [[button(("• " if o.value == current else "") + o.label, f"U:{uid}:v:{q.fact_id}:{o.value}")] for o in q.options]
    return InlineKeyboardMarkup(rows + [[button("« " + loc.text("ui.back"), f"U:{uid}:chg")]])
