"""The interview's answers as the faces move through them (the web page's "Question 3 of 8", its
change links): what is still open, and which answers a changed one makes moot. Pure functions of
a rule book; the faces reach them through bot.core (issue 13), never the engine's conditions."""

from __future__ import annotations

from typing import Mapping

from bot.engine.assess import askable, clean_answer, refining
from bot.engine.conditions import DONT_KNOW, EXCLUSIVE, Answer, evaluate, facts_in
from bot.engine.rulebook import WEB_UI_KEYS, RuleBook

__all__ = ["WEB_UI_KEYS", "RuleBook", "progress", "without_unaskable", "changed_answers", "collect_answers", "add_answer", "toggled", "EXCLUSIVE", "refining"]


def add_answer(book: RuleBook, answers: Mapping[str, str | list[str]], fact_id: str, value: str | list[str]) -> dict[str, str | list[str]]:
    """Apply an answer (every face: the web page's address, the bot's buttons): the answers with
    `fact_id` answered. A fact that takes several answers (`multiple`) takes a list, and a value
    given again adds to its set; "no" and "dont_know" stand alone. ValueError: an unknown fact, a
    value it does not take, or a repeat of a one-answer fact."""
    if fact_id not in book.facts:
        raise ValueError(f"unknown fact {fact_id!r}")
    current = answers.get(fact_id)
    new = [value] if isinstance(value, str) else list(value)
    coarse = refining(book, fact_id, answers)
    if coarse is not None and current is not None:
        # "offered" (a typed message), then who: the answer replaces it; "I don't know" keeps the
        # offer as its `dont_know` refinement ("someone else"), so it is not asked again
        refinement = book.facts[fact_id].refine[coarse]
        if any(v not in refinement.to + [DONT_KNOW] for v in new) or (DONT_KNOW in new and len(new) > 1):
            raise ValueError(f"not an answer to who: {fact_id}={new}")
        kept = [v for v in ([current] if isinstance(current, str) else list(current)) if v != coarse]
        new = [refinement.dont_know if v == DONT_KNOW else v for v in new]
        clean = clean_answer(book, fact_id, kept + [v for v in new if v not in kept])
        return {**answers, fact_id: clean if isinstance(clean, str) else list(clean)}
    if current is not None:
        if not book.facts[fact_id].multiple:
            raise ValueError(f"repeated fact {fact_id!r}")
        new = ([current] if isinstance(current, str) else list(current)) + [v for v in new if v != current and v not in current]
    clean = clean_answer(book, fact_id, new if book.facts[fact_id].multiple else new[0] if len(new) == 1 else new)
    return {**answers, fact_id: clean if isinstance(clean, str) else list(clean)}


def toggled(book: RuleBook, chosen: list[str], fact_id: str, value: str) -> list[str]:
    """The options ticked so far for a fact that takes several answers, with `value` ticked or
    unticked (in the order of facts.yaml). ValueError when it is not such an option."""
    fact = book.facts.get(fact_id)
    if fact is None or not fact.multiple or value not in fact.options or value in EXCLUSIVE:
        raise ValueError(f"not an option to tick: {fact_id}={value}")
    picked = set(chosen) ^ {value}
    return [o for o in fact.options if o in picked]


def collect_answers(book: RuleBook, pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Answers as (fact, value) pairs in the order given (the web page's address) made into the
    answers the service assesses: a fact that takes several answers comes once per value."""
    answers: dict[str, str | list[str]] = {}
    for fact_id, value in pairs:
        answers = add_answer(book, answers, fact_id, value)
    return answers


def progress(book: RuleBook, answers: Mapping[str, Answer]) -> int:
    """How many questions are still open at most, the next one included: every askable fact that
    an undecided rule still depends on (the engine asks only those, and fewer when answers settle
    rules early). `answers` are the given and implied ones."""
    left: set[str] = set()
    for rule in book.rules:
        node = book.conditions[rule.id]
        if evaluate(node, answers)[0] is not None:
            continue
        left |= {f for f in facts_in(node) if askable(book, f, answers) or _may_become_askable(book, f, answers)}
    return len(left)


def _may_become_askable(book: RuleBook, fact_id: str, answers: Mapping[str, Answer]) -> bool:
    if fact_id in answers:
        return False
    condition = book.ask_if.get(fact_id)
    return condition is not None and evaluate(condition, answers)[0] is None


def without_unaskable(book: RuleBook, answers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The answers, in order, less those to questions that would no longer be asked after an
    answer was changed (a "since when" question once the citizenship answer is "none")."""
    kept = list(answers)
    changed = True
    while changed:
        changed = False
        given = dict(kept)
        for fact_id, _ in list(kept):
            condition = book.ask_if.get(fact_id)
            if condition is not None and evaluate(condition, {k: v for k, v in given.items() if k != fact_id})[0] is False:
                kept = [(k, v) for k, v in kept if k != fact_id]
                changed = True
                break
    return kept


def changed_answers(book: RuleBook, answers: list[tuple[str, str]], fact_id: str, value: str) -> list[tuple[str, str]]:
    """The answers with one of them changed in place (the order is the interview's history), or
    added at the end when it was not answered yet."""
    if any(k == fact_id for k, _ in answers):
        new = [(k, value if k == fact_id else v) for k, v in answers]
    else:
        new = answers + [(fact_id, value)]
    return without_unaskable(book, new)
