"""A typed message that states a situation (issue 12 item 2): "I understood: Home country:
Kyrgyzstan, Russian citizenship: No, ... — [Right] [Change]"; on Right the personal answer for
those facts (the summary, as a check's result) and the check goes on from there, asking only what
is still missing; Change asks any understood fact again with its options.

Everything goes through the async service (bot.core): the facts come from `Service.ask`, the
answer from `Service.assess`, the state from the async store. The user's words are never stored:
only the fact ids and values the service found."""

from __future__ import annotations

import secrets
import time

from telegram import Update
from telegram.ext import ContextTypes

from bot.core.cards import card_ref
from bot.core.replies import FirstAid, first_aid
from bot.core.service import InvalidAnswers, Localizer, Service
from bot.engine.views import AskOut, AssessOut, QuestionOut
from bot.telegram import keyboards
from bot.telegram.handlers.common import answer_callback
from bot.telegram.handlers.handoff import offered
from bot.telegram.render import FIRST_MESSAGE_CHARS, contact_lines, esc, linked, first_sources, quotes_list, sources_list, summary_card, visible_length
from bot.telegram.render import topic_card as render_topic_card
from bot.telegram.session import deps, edit, language, language_of, send, service, state_of, update_state


def questions(svc: Service, lang: str, about: str = "self") -> dict[str, QuestionOut]:
    return {q.fact_id: q for q in svc.facts(lang, about).facts}


def valid_facts(svc: Service, facts: dict[str, str]) -> dict[str, str]:
    """The understood facts the rules know, in the interview's order (facts.yaml)."""
    options = svc.fact_options()
    return {fid: facts[fid] for fid in svc.fact_ids() if fid in facts and facts[fid] in options[fid]}


def fact_rows(svc: Service, lang: str, facts: dict[str, str | list[str]], about: str = "self") -> list[tuple[str, str]]:
    """(fact id, "Label: answer") for every understood fact, in the texts of the rule files (a fact
    with several answers, merged from the check, lists them all)."""
    qs = questions(svc, lang, about)  # about someone else: "Yes, the employer", not "Yes, my employer"
    return [(fid, f"{qs[fid].label}: {qs[fid].answer_label(value)}") for fid, value in facts.items() if fid in qs]


def understood_text(loc: Localizer, rows: list[tuple[str, str]], about: str) -> str:
    intro = loc.text("ui.understood.intro_other" if about == "other" else "ui.understood.intro")
    return f"<b>{esc(intro)}</b>\n" + "\n".join(f"• {esc(label)}" for _, label in rows)


def aid_text(loc: Localizer, aid: FirstAid) -> str:
    """What to do now, under "I understood" (REVIEW6 #9): one step and one contact to tap."""
    lines = [f"• {linked(loc, aid.step)}"] if aid.step else []
    lines += contact_lines(loc, aid.contacts, caveats=False) + ([f"• {esc(aid.help)}"] if aid.help else [])
    return f"<b>{esc(loc.text('ui.what_to_do'))}:</b>\n" + "\n".join(lines) if lines else ""


def aid_for(svc: Service, entry: dict, facts: dict[str, str], lang: str) -> FirstAid | None:
    """The step and the contact shown with what a typed message was understood to say (None:
    not with this panel: during a check, or under a reply that leads with its own steps)."""
    if not entry.get("aid"):
        return None
    about = entry.get("about", "self")
    home = facts.get("home_country")
    return first_aid(svc, _assess(svc, facts, lang, about).summary, entry.get("topic"), lang, about,
                     home if isinstance(home, str) else None)


def panel(svc: Service, loc: Localizer, entry: dict, facts: dict[str, str], lang: str,
          confirmed: bool = False) -> tuple[str, object]:
    """The "I understood" message: what was understood, what to do now (when shown with it, until
    Right sends the personal answer that says it: not twice in a row on a small screen), and
    [Right] [Change], the matched topic (else the step's) and, for a step of the personal
    answer, its Sources one tap away."""
    about = entry.get("about", "self")
    text = understood_text(loc, fact_rows(svc, lang, facts, about), about)
    aid = None if confirmed else aid_for(svc, entry, facts, lang)
    topic = entry.get("topic") or (aid.topic_id if aid else None)
    if aid is not None and (more := aid_text(loc, aid)):
        text += "\n\n" + more
    sources = aid is not None and aid.step is not None and aid.topic_id is None
    return text, keyboards.understood(loc, entry["id"], _topic_button(svc, lang, topic, about), confirmed=confirmed,
                                      sources=sources)


def _topic_button(svc: Service, lang: str, topic_id: str | None, about: str = "self") -> tuple[str, str] | None:
    """(T: payload, label) of the matched topic's button; about someone else, its card says so
    (bot.core.cards.card_ref: "<topic>:o")."""
    if not topic_id or not svc.is_topic(topic_id):
        return None
    ref = f"{topic_id}:o" if about == "other" else topic_id
    return ref, keyboards.topic_label(svc.localizer(lang), topic_id, svc.topic(topic_id, lang).topic.title)


async def offer(update: Update, context: ContextTypes.DEFAULT_TYPE, out: AskOut, facts: dict[str, str] | None = None,
                merge: bool = False, aid: bool = False) -> bool:
    """After a typed message: when it states facts, say what was understood, with [Right]
    [Change]. False when it states none the rules can use. `facts` narrows them (during a check:
    those not answered yet); `merge`: Right adds them to the running check's answers; `aid`: with
    one step and a contact (the message's only reply: nothing to do until a tap was too little
    on a throttled connection, REVIEW6 #9)."""
    d = deps(context)
    svc = service(d)
    facts = svc.understood(out) if facts is None else facts
    if not facts:
        return False
    uid = secrets.token_hex(2)
    topic = out.matches[0].topic_id if out.matches else None
    entry = {"id": uid, "facts": facts, "about": out.about, "topic": topic, "lang": out.reply_lang, "at": time.time(),
             "merge": merge, "aid": aid}
    await update_state(d, update, lambda s: {**s, "u": entry})
    lang = out.reply_lang
    text, markup = panel(svc, svc.localizer(lang), entry, valid_facts(svc, facts), lang)
    await send(context, update.effective_chat.id, text, markup)
    return True


def _assess(svc: Service, facts: dict[str, str], lang: str, about: str = "self") -> AssessOut:
    try:
        return svc.assess_now(facts, lang, about)
    except InvalidAnswers:  # the rules changed under it: nothing understood any more
        return svc.assess_now({}, lang, about)


def answer_card(loc: Localizer, out: AssessOut, about: str, expanded: int = 0) -> str:
    """The personal answer for the understood facts: the summary a check ends with (issue 11),
    said to be about the other person when it is. The whole message fits one screen
    (FIRST_MESSAGE_CHARS) for the answer itself: "more questions will refine this" and the
    disclaimer open the next message, the question (`footer`), or a finished check's closing
    message (REVIEW4 R34: boilerplate never pushes the risks' sentences off the screen). The
    unreviewed-translation notice is one tap away, with Sources."""
    parts = [f"<i>{esc(loc.text('ui.understood.about_other'))}</i>"] if about == "other" else []
    budget = FIRST_MESSAGE_CHARS - sum(visible_length(p) + 2 for p in parts)
    parts.append(summary_card(loc, out, expanded=expanded, limit=budget))
    return "\n\n".join(parts)


def footer(loc: Localizer, out: AssessOut) -> str:
    """What opens the question that follows an answer to a typed situation: more questions will
    refine it, and the disclaimer with the date the facts were checked."""
    return f"{loc.text('ui.understood.more_questions')}\n{out.disclaimer}"


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """U:<id>:ok | chg | back | f:<fact> | v:<fact>:<value> | X:<n> | SS | SQ"""
    from bot.telegram.handlers import interview

    d = deps(context)
    svc = service(d)
    parts = update.callback_query.data.split(":")
    uid, action, args = (parts[1], parts[2], parts[3:]) if len(parts) >= 3 else ("", "", [])
    state = await state_of(d, update)
    entry = state.get("u") or {}
    if not uid or entry.get("id") != uid:
        await interview.expired(update, context)  # an older message's buttons, or /forget
        return
    lang = entry.get("lang") or await language_of(d, update, state)  # the language "I understood" was said in
    loc = svc.localizer(lang)
    facts: dict[str, str] = valid_facts(svc, dict(entry.get("facts", {})))
    about = entry.get("about", "self")
    message = update.callback_query.message
    if action == "ok":
        await right(update, context, entry, facts, lang)
        return
    await answer_callback(update)
    if action == "chg":
        await edit(context, message, f"<b>{esc(loc.text('ui.understood.which'))}</b>",
                   keyboards.understood_facts(loc, uid, fact_rows(svc, lang, facts, about)))
    elif action == "back":
        await edit(context, message, *panel(svc, loc, entry, facts, lang, confirmed=bool(entry.get("done"))))
    elif action == "f" and args and (q := questions(svc, lang, about).get(args[0])) is not None:
        await edit(context, message, f"<b>{esc(q.question)}</b>", keyboards.understood_options(loc, uid, q, facts.get(q.fact_id)))
    elif action == "v" and len(args) == 2 and args[1] in svc.fact_options().get(args[0], []):
        fact_id, value = args
        changed = {**facts, fact_id: value}

        def apply(s: dict) -> dict | None:
            current = s.get("u") or {}
            if current.get("id") != uid:
                return None
            return {**s, "u": {**current, "facts": changed, "done": False}}

        await update_state(d, update, apply)
        # Corrected: what is now understood, with [Right] again (the answer is made anew from it).
        await edit(context, message, *panel(svc, loc, entry, valid_facts(svc, changed), lang))
    elif action == "X" and args:
        out = _assess(svc, facts, lang, about)
        try:
            n = int(args[0])
        except ValueError:
            return
        n = n if 0 < n <= len(out.summary.risks) + len(out.summary.good_to_know) else 0
        await edit(context, message, answer_card(loc, out, about, expanded=n),
                   keyboards.summary(loc, out, expanded=n, prefix=f"U:{uid}:"))
    elif action in ("SS", "SQ", "SA"):
        out = _assess(svc, facts, lang, about)
        if action == "SQ":
            await send(context, update.effective_chat.id, quotes_list(loc, out))
        else:
            more = 0 if action == "SA" else len(out.sources) - len(first_sources(out))
            await send(context, update.effective_chat.id, sources_list(loc, out, notices=True, every=action == "SA"),
                       keyboards.quotes(loc, prefix=f"U:{uid}:", more=more))


async def right(update: Update, context: ContextTypes.DEFAULT_TYPE, entry: dict, facts: dict[str, str], lang: str) -> None:
    """Right: the personal answer for these facts, then the check goes on with them as its
    answers (a new check id: older check buttons become stale), asking only what is missing."""
    from bot.telegram.handlers import interview

    d = deps(context)
    svc = service(d)
    uid = entry["id"]
    now = time.time()
    first = False

    def apply(s: dict) -> dict | None:
        nonlocal first
        current = s.get("u") or {}
        if current.get("id") != uid or current.get("done"):
            return None  # a double tap: the answer is already on its way
        first = True
        answers, history = dict(facts), list(facts)
        if current.get("merge"):  # said during a check: added to the answers it has
            before = dict(s.get("answers") or {})
            answers = {**before, **facts}
            history = list(s.get("history") or []) + [f for f in facts if f not in before]
        # about someone else ("my brother …"): the check goes on asking about that person
        new = {**s, "answers": answers, "history": history, "cid": secrets.token_hex(2), "started": now, "at": now,
               "paused": False, "u": {**current, "facts": answers, "done": True},
               "refined": (s.get("refined") or {}) if current.get("merge") else {},  # interview.apply_back
               "about": "other" if current.get("about") == "other" else "self"}
        if lang != language(d, update, s):
            # "I understood" was said in the language the text was clearly written in, and Right
            # confirmed it: the personal answer and the questions that follow are in it too
            new["lang"] = lang
        return new

    state = await update_state(d, update, apply)
    await answer_callback(update)
    if not first:
        return
    loc = svc.localizer(lang)
    about = entry.get("about", "self")
    message = update.callback_query.message
    await edit(context, message, *panel(svc, loc, entry, facts, lang, confirmed=True))
    out = await svc.assess(dict(state.get("answers") or facts), lang, channel="bot", about=about)
    await send(context, update.effective_chat.id, answer_card(loc, out, about), keyboards.summary(loc, out, prefix=f"U:{uid}:"))
    topic = entry.get("topic")
    said = {r.topic_id for r in out.summary.good_to_know}
    if not out.summary.risks and topic and svc.is_topic(topic) and topic not in said:
        # (a topic the answer already gives, "can Kazakhstan jail me": its country's sentence, is
        # not sent a second time in a third message, REVIEW5 F10; its button and Sources are there)
        # Nothing serious yet (a question with one trivial fact: "I work in Moscow, if I sign a
        # contract will they give me citizenship?"): the answer to what he asked comes next, not
        # only behind the small topic button (REVIEW4 R22), with its Sources and Details.
        home = facts.get("home_country")
        card = svc.card_beside(svc.topic_card(topic, lang, about, home if isinstance(home, str) else None), out.summary)
        await send(context, update.effective_chat.id, render_topic_card(loc, card),
                   keyboards.topic_actions(loc, card_ref(card), talk=offered(context)))
    if out.next_question is not None:
        await interview.step(update, context, state, new_message=True, intro=footer(loc, out))
    else:
        closing = out.notices + [out.disclaimer]
        await send(context, update.effective_chat.id, "\n\n".join(f"<i>{esc(c)}</i>" for c in closing),
                   keyboards.after_results(loc, talk=offered(context)))
