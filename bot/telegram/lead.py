"""The Telegram form of a reply that leads with what a message needs (bot.core.replies): urgency,
a signed contract, a request for a person, a question outside what Ogoh covers. Every such
message ends with buttons: a person (when volunteers are configured), the sources and details
of the topic its steps come from, where to get help, the menu."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.core.cards import card_ref, contacts_and_embassy, topic_ref
from bot.core.replies import LeadReply
from bot.core.service import Localizer
from bot.telegram.keyboards import button, talk_row, topic_label
from bot.telegram.render import contact_lines, esc, linked


def lead_text(loc: Localizer, lead: LeadReply, offered: bool = False) -> str:
    card = lead.card
    if lead.kind == "out_of_scope":  # with the contact whose source handles it, when there is one (REVIEW6 #14)
        lines = contact_lines(loc, card.contacts) if card.id != "get-help" else []
        steps = [f"• {linked(loc, s)}" for s in lead.steps]  # unpaid wages: a high-pay offer may be a lure (REVIEW9 F10)
        return "\n".join([esc(lead.lead)] + steps + lines)
    lines = [f"• {linked(loc, s)}" for s in lead.steps]
    if (lead.kind != "person" or not offered) and card.id != "get-help":  # get-help's steps are its contacts
        # the home country's contact; with no country known, every country's, then the embassy line
        contact = contact_lines(loc, card.contacts, caveats=False)
        help_line = [f"• {esc(card.help)}"] if card.help else []
        # a Kyrgyz or Kazakh reader: his embassy before other countries' numbers (REVIEW9 F7)
        lines += contacts_and_embassy(loc.book, card.lang, card.home, contact, help_line)
    parts = []
    if lead.headline:  # what is at stake first, the serious risks numbered, then what to do now (REVIEW9b G4, PRODUCT.md)
        parts.append(f"<b>{esc(lead.headline)}</b>\n" + "\n".join(f"{i}. {esc(r)}" for i, r in enumerate(lead.risks, 1)))
    parts.append(f"<b>{esc(lead.lead)}</b>" + ("\n" + "\n".join(lines) if lines else ""))
    if offered and lead.kind in ("urgent", "signed"):
        parts.append(f"<i>{esc(loc.text('ui.handoff.offer'))}</i>")
    return "\n\n".join(parts)


def lead_keyboard(loc: Localizer, lead: LeadReply, offered: bool = False) -> InlineKeyboardMarkup:
    card = lead.card
    rows = []
    if offered and lead.kind != "out_of_scope":
        rows.append(talk_row(loc))
    if lead.kind in ("urgent", "signed", "finding") or (lead.kind == "out_of_scope" and card.id != "get-help"):
        ref = card_ref(card)
        rows.append([button(loc.text("ui.sources"), f"ST:{ref}"), button(loc.text("ui.summary.details"), f"TM:{ref}")])
    if lead.also:
        ref = topic_ref(lead.also, card.about, card.signed)  # for him (or the relative) who signed: no "do not sign"
        rows.append([button(topic_label(loc, lead.also), f"T:{ref}")])
    if lead.kind == "out_of_scope":
        rows.append([button(loc.text("ui.get_help"), "M:help"), button(loc.text("ui.topics"), "M:topics")])
    elif card.id != "get-help":
        rows.append([button(loc.text("ui.get_help"), "M:help")])
    elif lead.kind == "person":
        rows.append([button(loc.text("ui.sources"), f"ST:{card_ref(card)}")])
    rows.append([button(loc.text("bot.menu_button"), "M:menu")])
    return InlineKeyboardMarkup(rows)
