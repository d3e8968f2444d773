"""Check my situation: one question per message, driven by the engine's next question, with
"I don't know" and "back" always there; then findings by severity with "why" and "sources"."""

from __future__ import annotations

import secrets
import time

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.core.service import InvalidAnswers, uzbek_latin_to_cyrillic
from bot.engine.views import AssessOut
from bot.telegram import keyboards
from bot.telegram.handlers.common import answer_callback
from bot.telegram.handlers.handoff import offered
from bot.telegram.render import because_text, esc, question_text, first_sources, quotes_list, sources_block, sources_list, summary_card
from bot.telegram.session import deps, edit, language, language_of, send, service, state_of, update_state

# A question with several answers (facts.yaml `multiple`): a tap ticks an option, DONE records the
# ticked ones; "no" and "I don't know" answer at once.
DONE = "+"
EXCLUSIVE_ANSWERS = ("no", "dont_know")

# A second "Check my situation" within this many seconds of the first, before any answer, is a
# double tap and is ignored (Telegram delivers both taps; the store decides atomically).
DOUBLE_TAP_SECONDS = 3.0


async def check_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await begin(update, context)


OPEN_CHECK_SECONDS = 30 * 60


def check_open(state: dict) -> bool:
    """A check is running: it has an id, the user has not left it for the menu, and the last
    tap was recent (typed words are then read as answers)."""
    return (bool(state.get("cid")) and not state.get("paused")
            and time.time() - float(state.get("at", state.get("started", 0))) < OPEN_CHECK_SECONDS)


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE, intro: str = "") -> None:
    """A new check with a new short id (its buttons carry it; older buttons become stale).
    `intro` goes above question 1 (a new user's privacy summary, from a group's link)."""
    d = deps(context)
    now = time.time()
    started = False

    def apply(state: dict) -> dict | None:
        nonlocal started
        if state.get("cid") and not state.get("answers") and now - float(state.get("started", 0)) < DOUBLE_TAP_SECONDS:
            return None  # a double tap: the first tap's question is already on its way
        started = True
        return {**state, "answers": {}, "history": [], "cid": secrets.token_hex(2), "started": now, "at": now, "paused": False, "picked": {},
                "refined": {}, "about": "self"}  # a new check is the user's own (issue 12: "my brother …" was the typed one's)

    state = await update_state(d, update, apply)
    if started:
        await step(update, context, state, new_message=True, intro=intro)


async def expired(update: Update, context: ContextTypes.DEFAULT_TYPE, notice: bool = True) -> None:
    """A button of a check that ended, was replaced or forgotten: say so, offer to start again."""
    d = deps(context)
    loc = service(d).localizer(await language_of(d, update))
    text = loc.text("ui.check_expired")
    if notice and update.callback_query is not None:
        await update.callback_query.answer(text)
    await send(context, update.effective_chat.id, esc(text), InlineKeyboardMarkup([
        [keyboards.button(loc.text("bot.restart"), "M:check"), keyboards.button(loc.text("bot.menu_button"), "M:menu")]]))


def progress_total(d, state: dict, number: int) -> int:
    """Questions so far plus those that can still be asked with these answers (an upper bound)."""
    left = service(d).questions_left(state.get("answers", {}))
    return max(number, len(state.get("history", [])) + left)


def _assess(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict) -> AssessOut:
    d = deps(context)
    # The rules changed under a running interview (a fact or option was removed): it starts over.
    return service(d).assess_interview(state, language(d, update, state))


async def step(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict, new_message: bool = False, intro: str = "") -> None:
    d = deps(context)
    lang = language(d, update, state)
    loc = service(d).localizer(lang)
    out = _assess(update, context, state)
    if out.next_question:
        number = len(state.get("history", [])) + 1
        text = question_text(out.next_question, number, loc, total=progress_total(d, state, number))
        if intro:
            text = f"<i>{esc(intro)}</i>\n\n{text}"
        markup = keyboards.question(loc, out.next_question, bool(state.get("history")),
                                    check_id=state.get("cid", ""), position=len(state.get("history", [])),
                                    ticked=(state.get("picked") or {}).get(out.next_question.fact_id, []))
        if new_message or update.callback_query is None:
            await send(context, update.effective_chat.id, text, markup)
        else:
            await edit(context, update.callback_query.message, text, markup)
        return
    service(d).count_findings(out, "bot")
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
    state = await state_of(d, update)
    out = _assess(update, context, state)
    if out.next_question:
        await expired(update, context, notice=False)  # an old result's button after a new check began (issue 15)
        return
    loc = service(d).localizer(language(d, update, state))
    try:
        n = int(update.callback_query.data[2:])
    except ValueError:
        return
    n = n if 0 < n <= len(out.summary.risks) + len(out.summary.good_to_know) else 0
    await edit(context, update.callback_query.message, summary_card(loc, out, expanded=n), keyboards.summary(loc, out, expanded=n))


async def all_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """SS: every source of the answer once; SQ: their own words, verbatim."""
    await answer_callback(update)
    d = deps(context)
    state = await state_of(d, update)
    out = _assess(update, context, state)
    if out.next_question or not out.sources:
        await expired(update, context, notice=False)  # the result is gone (a new check, /forget) (issue 15)
        return
    loc = service(d).localizer(language(d, update, state))
    data = update.callback_query.data
    if data == "SQ":
        await send(context, update.effective_chat.id, quotes_list(loc, out))
    else:  # SS: the sources behind the first screen, SA: every one (REVIEW7 F9)
        more = 0 if data == "SA" else len(out.sources) - len(first_sources(out))
        await send(context, update.effective_chat.id, sources_list(loc, out, every=data == "SA"), keyboards.quotes(loc, more=more))


async def apply_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, check_id: str, fact_id: str, value: str) -> tuple[dict, str]:
    """Record one answer atomically; "ok", "dup" (this question is already answered: a double
    tap) or "stale" (another check, a forgotten one, or not the question being asked)."""
    d = deps(context)
    result = "stale"

    def apply(state: dict) -> dict | None:
        nonlocal result
        answers = dict(state.get("answers", {}))
        if not check_id or state.get("cid") != check_id:
            result = "stale"
            return None
        try:
            current = service(d).assess_now(answers, "en").next_question
        except InvalidAnswers:
            current = None
        refines = current is not None and current.fact_id == fact_id and current.refines is not None
        if fact_id in answers and not refines:  # ("offered" typed, then who: the one answer asked again)
            result = "dup"
            return None
        if current is None or current.fact_id != fact_id or (value != DONE and value not in {o.value for o in current.options}):
            result = "stale"
            return None
        picked = dict(state.get("picked") or {})
        chosen = list(picked.get(fact_id, []))
        if current.multiple and value not in EXCLUSIVE_ANSWERS:
            if value != DONE:  # a tick: the same message shows it; "Done" records them
                result = "ticked"
                return {**state, "picked": {fact_id: service(d).toggled(chosen, fact_id, value)}, "at": time.time()}
            if not chosen:
                result = "dup"  # "Done" with nothing ticked: nothing to record
                return None
        try:
            new = service(d).add_answer(answers, fact_id, chosen if value == DONE else value)
        except ValueError:
            result = "stale"
            return None
        result = "ok"
        # back after "who offered it?" goes back to the offer as typed, not to no offer at all
        refined = {**(state.get("refined") or {}), fact_id: answers[fact_id]} if refines else state.get("refined") or {}
        return {**state, "answers": new, "history": list(state.get("history", [])) + [fact_id], "picked": {},
                "paused": False, "at": time.time(), "refined": refined}

    return await update_state(d, update, apply), result


async def answered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    parts = update.callback_query.data.split(":")
    check_id, fact_id, value = parts[1:4] if len(parts) == 4 else ("", "", "")
    # One atomic update (issue 14.8): two taps at once can neither lose an answer nor record one twice.
    state, result = await apply_answer(update, context, check_id, fact_id, value)
    if result == "stale":
        await expired(update, context)
        return
    await answer_callback(update)
    if result in ("ok", "ticked"):
        await step(update, context, state)


async def apply_back(update: Update, context: ContextTypes.DEFAULT_TYPE, check_id: str, position: int) -> tuple[dict, str]:
    """Undo the last answer atomically, once: the button says how many answers it saw."""
    d = deps(context)
    result = "stale"

    def apply(state: dict) -> dict | None:
        nonlocal result
        history = list(state.get("history", []))
        if not check_id or state.get("cid") != check_id:
            return None
        if len(history) != position or not history:
            result = "dup"
            return None
        result = "ok"
        answers = dict(state.get("answers", {}))
        refined = dict(state.get("refined") or {})
        last = history.pop()
        if last in refined:
            answers[last] = refined.pop(last)  # undo "who offered it?": the typed "offered" again
        else:
            answers.pop(last, None)
        return {**state, "answers": answers, "history": history, "paused": False, "at": time.time(), "picked": {}, "refined": refined}

    return await update_state(d, update, apply), result


async def back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    parts = update.callback_query.data.split(":")
    try:
        check_id, position = parts[1], int(parts[2])
    except (IndexError, ValueError):
        check_id, position = "", -1
    state, result = await apply_back(update, context, check_id, position)
    if result == "stale":
        await expired(update, context)
        return
    await answer_callback(update)
    if result == "ok":
        await step(update, context, state)


async def _finding(update: Update, context: ContextTypes.DEFAULT_TYPE, rule_id: str):
    out = _assess(update, context, await state_of(deps(context), update))
    return next((f for f in out.findings if f.rule_id == rule_id), None)


async def why(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    finding = await _finding(update, context, update.callback_query.data[2:])
    if finding:
        await send(context, update.effective_chat.id, because_text(service(d).localizer(await language_of(d, update)), finding))


async def finding_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    finding = await _finding(update, context, update.callback_query.data[2:])
    if finding:
        await send(context, update.effective_chat.id, sources_block(service(d).localizer(await language_of(d, update)), finding.citations, with_quotes=True))


async def what_to_do(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    svc = service(d)
    state = await state_of(d, update)
    lang = language(d, update, state)
    loc = svc.localizer(lang)
    out = _assess(update, context, state)
    blocks = []
    for detail in svc.todo(out, lang):  # the topics of the findings, else where to get help
        topic = detail.topic
        steps = "\n".join(f"{i}. {esc(s)}" for i, s in enumerate(topic.steps, 1))
        blocks.append(f"<b>{esc(topic.title)}</b>\n{steps}\n{sources_block(loc, topic.citations)}")
    await send(context, update.effective_chat.id, f"<b>{esc(loc.text('ui.what_to_do'))}</b>\n\n" + "\n\n".join(blocks), keyboards.menu(loc))


async def _understood_new(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict, text: str) -> bool:
    """Typed during a check, words that state facts the check has not asked yet get "I
    understood" for those (Right adds them to the check's answers); False when they state
    nothing new (then: "tap a button above")."""
    from bot.telegram.handlers import understood

    svc = service(deps(context))
    # not counted: the check is what is answered; its language is the prior
    out = await svc.ask(text, None, prior=language(deps(context), update, state))
    answered = state.get("answers") or {}
    new = {fid: value for fid, value in svc.understood(out).items() if fid not in answered}
    return bool(new) and await understood.offer(update, context, out, facts=new, merge=True)


# --- typed words during a check (issue 15) ---------------------------------------------------
_APOSTROPHES = str.maketrans({"ʻ": "'", "ʼ": "'", "’": "'", "‘": "'", "`": "'", "ё": "е"})
DONT_KNOW_WORDS = {"не знаю", "незнаю", "хз", "bilmayman", "bilmadim", "bilmiman", "билмайман", "намедонам",
                   "намедонум", "билбейм", "білмеймін", "бильмейм", "i dont know", "i don't know", "dont know",
                   "don't know", "idk", "?"}
BACK_WORDS = {"назад", "back", "orqaga", "ortga", "оркага", "орқага", "бозгашт", "ба ақиб", "артка", "артқа"}


def fold(text: str) -> str:
    """Case, ё/е, apostrophe variants, punctuation and spaces folded, for comparing typed words."""
    text = text.casefold().translate(_APOSTROPHES)
    text = "".join(ch if ch.isalnum() or ch in " '?" else " " for ch in text)
    return " ".join(text.split())


def typed_choice(d, lang: str, question, text: str) -> str | None:
    """The option value the typed words name (its label in the user's language or in any of ours,
    folded), "dont_know", "back", or None."""
    typed = fold(text)
    if not typed:
        return None
    svc = service(d)
    codes = list(svc.book.languages)
    labels: dict[str, set[str]] = {o.value: {fold(o.label)} for o in question.options}
    for code in codes:
        loc = svc.localizer(code)
        for value in labels:
            key = "ui.dont_know" if value == "dont_know" else f"fact.{question.fact_id}.option.{value}"
            label = loc.text(key)
            labels[value] |= {fold(label), fold(uzbek_latin_to_cyrillic(label)) if code == "uz" else fold(label)}
    back_labels = {fold(svc.localizer(code).text("ui.back")) for code in codes} | BACK_WORDS
    if typed in back_labels:
        return "back"
    if typed in {fold(w) for w in DONT_KNOW_WORDS}:
        return "dont_know"
    exact = [v for v, ls in labels.items() if typed in ls]
    if len(exact) == 1:
        return exact[0]
    if len(typed) >= 4:  # "узбек" for "Узбекистан": a unique beginning of one label
        prefix = [v for v, ls in labels.items() if any(label.startswith(typed) for label in ls)]
        if len(prefix) == 1:
            return prefix[0]
    return None


async def typed_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict, text: str) -> bool:
    """During a check: words naming an option are that answer, "back" goes back, anything else
    is told to tap a button. False when no question is waiting (the words are a question)."""
    d = deps(context)
    lang = language(d, update, state)
    out = _assess(update, context, state)
    question = out.next_question
    if question is None:
        return False
    choice = typed_choice(d, lang, question, text)
    history = state.get("history", [])
    if choice == "back" and history:
        state, result = await apply_back(update, context, state.get("cid", ""), len(history))
    elif choice and choice != "back":
        state, result = await apply_answer(update, context, state.get("cid", ""), question.fact_id, choice)
    else:
        result = "none"
    if result in ("ok", "ticked"):  # typed option of a several-answers question: ticked, "Done" still to tap
        await step(update, context, state, new_message=True)
    elif choice is None and await _understood_new(update, context, state, text):
        pass  # a situation told in words: "I understood" for what the check has not asked yet
    else:
        loc = service(d).localizer(lang)
        await send(context, update.effective_chat.id, esc(loc.text("ui.tap_a_button")),
                   InlineKeyboardMarkup([[keyboards.button(loc.text("bot.menu_button"), "M:menu")]]))
    return True
