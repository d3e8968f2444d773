"""Check my situation: one question per message, driven by the engine's next question, with
"I don't know" and "back" always there; then findings by severity with "why" and "sources"."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import trends
from bot.engine.assess import InvalidAnswers
from bot.engine.views import AssessOut
from bot.telegram import keyboards
from bot.telegram.render import esc
from bot.telegram.handlers.common import answer_callback
from bot.telegram.handlers.handoff import offered
from bot.telegram.render import because_text, question_text, quotes_list, sources_block, sources_list, summary_card
from bot.telegram.session import deps, edit, language, load_state, localizer, record_answer, save_state, send


async def check_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await begin(update, context)


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    state = load_state(d, update)
    state["answers"], state["history"] = {}, []
    save_state(d, update, state)
    await step(update, context, state, new_message=True)


def _assess(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict) -> AssessOut:
    d = deps(context)
    try:
        return d.ogoh.assess(state.get("answers", {}), language(d, update, state))
    except InvalidAnswers:
        # The rules changed under a running interview (a fact or option was removed): start over.
        state["answers"], state["history"] = {}, []
        return d.ogoh.assess({}, language(d, update, state))


async def step(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict, new_message: bool = False) -> None:
    d = deps(context)
    lang = language(d, update, state)
    loc = localizer(d, lang)
    out = _assess(update, context, state)
    if out.next_question:
        text = question_text(out.next_question, len(state.get("history", [])) + 1, loc)
        markup = keyboards.question(loc, out.next_question, bool(state.get("history")))
        if new_message or update.callback_query is None:
            await send(context, update.effective_chat.id, text, markup)
        else:
            await edit(context, update.callback_query.message, text, markup)
        return
    trends.count_findings(d.store, out, "bot")
    chat_id = update.effective_chat.id
    # The result is two messages (issue 11): the personal summary (one screen, a button per risk
    # that opens it in place, "Sources"), then the disclaimer with the menu. Sources on request
    # make the third.
    card = summary_card(loc, out)
    markup = keyboards.summary(loc, out)
    if update.callback_query is not None and not new_message:
        await edit(context, update.callback_query.message, card, markup)
    else:
        await send(context, chat_id, card, markup)
    closing = out.notices + [out.disclaimer]
    await send(context, chat_id, "\n\n".join(f"<i>{esc(c)}</i>" for c in closing), keyboards.after_results(loc, talk=offered(context)))


async def expand_risk(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """X:<n> opens risk n of the summary in place (X:0 closes it): the message is edited."""
    await answer_callback(update)
    d = deps(context)
    state = load_state(d, update)
    out = _assess(update, context, state)
    if out.next_question:
        return  # an old result's button after a new check began
    loc = localizer(d, language(d, update, state))
    try:
        n = int(update.callback_query.data[2:])
    except ValueError:
        return
    n = n if 0 < n <= len(out.summary.risks) else 0
    await edit(context, update.callback_query.message, summary_card(loc, out, expanded=n), keyboards.summary(loc, out, expanded=n))


async def all_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """SS: every source of the answer once; SQ: their own words, verbatim."""
    await answer_callback(update)
    d = deps(context)
    state = load_state(d, update)
    out = _assess(update, context, state)
    if out.next_question or not out.sources:
        return
    loc = localizer(d, language(d, update, state))
    if update.callback_query.data == "SQ":
        await send(context, update.effective_chat.id, quotes_list(loc, out))
    else:
        await send(context, update.effective_chat.id, sources_list(loc, out), keyboards.quotes(loc))


async def answered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    _, fact_id, value = update.callback_query.data.split(":", 2)
    # One atomic update (issue 14.8): two taps at once can neither lose an answer nor record one twice.
    state, applied = record_answer(d, update, fact_id, value)
    if not applied:
        return  # a stale button (pressed twice, or from an old message)
    await step(update, context, state)


async def back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    state = load_state(d, update)
    history = state.get("history", [])
    if history:
        state.get("answers", {}).pop(history.pop(), None)
        save_state(d, update, state)
    await step(update, context, state)


def _finding(update: Update, context: ContextTypes.DEFAULT_TYPE, rule_id: str):
    out = _assess(update, context, load_state(deps(context), update))
    return next((f for f in out.findings if f.rule_id == rule_id), None)


async def why(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    finding = _finding(update, context, update.callback_query.data[2:])
    if finding:
        await send(context, update.effective_chat.id, because_text(localizer(d, language(d, update)), finding))


async def finding_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    finding = _finding(update, context, update.callback_query.data[2:])
    if finding:
        await send(context, update.effective_chat.id, sources_block(localizer(d, language(d, update)), finding.citations, with_quotes=True))


async def what_to_do(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    lang = language(d, update)
    loc = localizer(d, lang)
    out = _assess(update, context, load_state(d, update))
    topic_ids = list(dict.fromkeys(f.topic_id for f in out.findings)) or ["get-help"]
    blocks = []
    for tid in topic_ids:
        topic = d.ogoh.topic(tid, lang).topic
        steps = "\n".join(f"{i}. {esc(s)}" for i, s in enumerate(topic.steps, 1))
        blocks.append(f"<b>{esc(topic.title)}</b>\n{steps}\n{sources_block(loc, topic.citations)}")
    await send(context, update.effective_chat.id, f"<b>{esc(loc.text('ui.what_to_do'))}</b>\n\n" + "\n\n".join(blocks), keyboards.menu(loc))
