"""The interview's answers as the faces move through them (the web page's "Question 3 of 8", its
change links): what is still open, and which answers a changed one makes moot. Pure functions of
a rule book; the faces reach them through bot.core (issue 13), never the engine's conditions."""

from __future__ import annotations

from bot.engine.assess import askable
from bot.engine.conditions import evaluate, facts_in
from bot.engine.rulebook import WEB_UI_KEYS, RuleBook

__all__ = ["WEB_UI_KEYS", "RuleBook", "progress", "without_unaskable", "changed_answers"]


def progress(book: RuleBook, answers: dict[str, str]) -> int:
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


def _may_become_askable(book: RuleBook, fact_id: str, answers: dict[str, str]) -> bool:
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
