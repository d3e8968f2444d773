"""Topics: the list, one topic's short card, its sources with quotes, its details; /gethelp."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram import keyboards
from bot.telegram.handlers.common import answer_callback
from bot.telegram.handlers.handoff import offered
from bot.core.cards import card_ref, contact_for_ref, parse_ref, signed_ref
from bot.telegram.render import topic_card
from bot.telegram.render import topic_more as topic_more_text
from bot.telegram.render import topic_quotes as topic_quotes_text
from bot.telegram.render import topic_sources as topic_sources_text
from bot.telegram.session import deps, language_of, localizer, send, service


async def send_topic(update: Update, context: ContextTypes.DEFAULT_TYPE, topic_id: str, lang: str,
                     notes: tuple[str, ...] = (), about: str = "self", home: str | None = None, signed: bool = False) -> None:
    """One topic's short card (bot.core.cards); `notes` go at its end (a new user's privacy
    summary, issue 15); `about="other"`: the question was about someone else; `home`: the country
    it named (a suggestion's button: "how many years in Kyrgyzstan"); `signed`: for someone who
    already signed a contract (no "do not sign": a button under the signed reply)."""
    d = deps(context)
    if update.effective_chat is not None and update.effective_chat.type != "private":
        from bot.telegram.handlers.groups import send_public_topic

        await send_public_topic(update, context, topic_id, lang)  # link buttons only (issue 15)
        return
    card = service(d).topic_card(topic_id, lang, about, home, signed=signed)
    loc = localizer(d, lang)
    await send(context, update.effective_chat.id, topic_card(loc, card, notes), keyboards.topic_actions(loc, card_ref(card), talk=offered(context)))


async def send_sources(update: Update, context: ContextTypes.DEFAULT_TYPE, topic_id: str, lang: str) -> None:
    """A card's sources in a private chat: the link under a card in a group or shared inline
    (t.me/<bot>?start=<topic>_<lang>_src), where the card carries link buttons only."""
    d = deps(context)
    card = service(d).topic_card(topic_id, lang)
    loc = localizer(d, lang)
    await send(context, update.effective_chat.id, topic_sources_text(loc, card), keyboards.topic_sources(loc, card_ref(card)))


async def list_topics(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    d = deps(context)
    out = d.ogoh.topics(lang)
    loc = localizer(d, lang)
    items = [(t.id, t.title) for t in out.topics]  # buttons show the short titles (keyboards.topic_label)
    await send(context, update.effective_chat.id, f"<b>{loc.text('ui.topics')}</b>", keyboards.topics(loc, items))


async def topics_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await list_topics(update, context, await language_of(deps(context), update))


async def get_help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_topic(update, context, "get-help", await language_of(deps(context), update))


async def topic_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """T:<ref> (bot.core.cards.card_ref): a topic's card, for the person the question was about."""
    await answer_callback(update)
    d = deps(context)
    ref = update.callback_query.data[2:]
    topic_id, about, home = parse_ref(ref)
    if topic_id in d.ogoh.book.topics:  # the country a suggestion was made for (REVIEW5 F9)
        await send_topic(update, context, topic_id, await language_of(d, update), about=about, home=home, signed=signed_ref(ref))


async def _card(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """The card a button under it was made for (ST:<ref>, TM:<ref>), or None."""
    d = deps(context)
    ref = update.callback_query.data[3:]
    topic_id, about, home = parse_ref(ref)
    if topic_id not in d.ogoh.book.topics:
        return None, None
    lang = await language_of(d, update)
    return localizer(d, lang), service(d).topic_card(topic_id, lang, about, home, contact_for_ref(ref), signed_ref(ref))


async def topic_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ST:<ref>: every source of the card (the topic's and its contact's) with their own words."""
    await answer_callback(update)
    loc, card = await _card(update, context)
    if card is not None:
        await send(context, update.effective_chat.id, topic_sources_text(loc, card), keyboards.topic_sources(loc, card_ref(card)))


async def topic_quotes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """TQ:<ref>: the card's sources' own words, verbatim, each in another language than the
    reader's marked as the original (REVIEW5 F23)."""
    await answer_callback(update)
    loc, card = await _card(update, context)
    if card is not None:
        await send(context, update.effective_chat.id, topic_quotes_text(loc, card))  # the Menu button: session.send


async def topic_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """TM:<ref>: "Details": the rest of the answer, the other steps, the disclaimer; Sources under it."""
    await answer_callback(update)
    loc, card = await _card(update, context)
    if card is not None:
        await send(context, update.effective_chat.id, topic_more_text(loc, card),
                   keyboards.topic_actions(loc, card_ref(card), talk=offered(context), more=False))
