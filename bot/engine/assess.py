"""Assessment: answers in, findings out (sorted by severity, each with its reasons), plus the
question that would settle the most findings still open. Language-neutral: see views.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping

from bot.engine.conditions import DONT_KNOW, evaluate, facts_in
from bot.engine.models import Rule
from bot.engine.rulebook import RuleBook


class InvalidAnswers(ValueError):
    """Answers that name an unknown fact or give a value the fact does not have."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors  # (fact id, message)
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


@dataclass(frozen=True)
class Finding:
    rule: Rule
    status: Literal["applies", "possible"]
    because: tuple[str, ...]  # fact ids whose answers triggered it (or were "I don't know")


@dataclass(frozen=True)
class Assessment:
    answers: dict[str, str]
    findings: tuple[Finding, ...]
    next_fact: str | None
    open_rules: int  # rules that more answers could still decide

    @property
    def complete(self) -> bool:
        return self.next_fact is None


def validate_answers(book: RuleBook, answers: Mapping[str, object]) -> dict[str, str]:
    errors: list[tuple[str, str]] = []
    clean: dict[str, str] = {}
    for fact_id, value in answers.items():
        if fact_id not in book.facts:
            errors.append((fact_id, f"unknown fact; known facts: {', '.join(book.facts)}"))
            continue
        if value is None:
            continue  # explicitly unanswered
        allowed = book.facts[fact_id].options + [DONT_KNOW]
        if not isinstance(value, str) or value not in allowed:
            errors.append((fact_id, f"invalid answer {value!r}; allowed: {', '.join(allowed)}"))
            continue
        clean[fact_id] = value
    if errors:
        raise InvalidAnswers(errors)
    return clean


def askable(book: RuleBook, fact_id: str, answers: Mapping[str, str]) -> bool:
    if fact_id in answers:
        return False
    condition = book.ask_if.get(fact_id)
    return condition is None or evaluate(condition, answers)[0] is True


def assess(book: RuleBook, raw_answers: Mapping[str, object]) -> Assessment:
    answers = validate_answers(book, raw_answers)
    findings: list[Finding] = []
    open_rules: list[Rule] = []
    for rule in book.rules:
        node = book.conditions[rule.id]
        value, support = evaluate(node, answers)
        if value is True:
            findings.append(Finding(rule, "applies", tuple(f for f in facts_in(node) if f in support)))
        elif value is None:
            still_askable = [f for f in facts_in(node) if askable(book, f, answers)]
            if still_askable:
                open_rules.append(rule)
            elif rule.if_unknown == "warn":
                unsure = tuple(f for f in facts_in(node) if answers.get(f) == DONT_KNOW)
                if unsure:
                    findings.append(Finding(rule, "possible", unsure))
    order = {r.id: i for i, r in enumerate(book.rules)}
    findings.sort(key=lambda f: (-f.rule.severity.rank, f.status != "applies", order[f.rule.id]))
    return Assessment(answers, tuple(findings), _next_fact(book, answers, open_rules), len(open_rules))


def _next_fact(book: RuleBook, answers: dict[str, str], open_rules: list[Rule]) -> str | None:
    """The askable fact whose answer would decide the most open rules (severity breaks ties, then
    the order of facts.yaml, which is the natural order of an interview)."""
    best: tuple[int, int, int] | None = None
    best_fact: str | None = None
    for position, fact_id in enumerate(book.facts):
        if not askable(book, fact_id, answers):
            continue
        decided, weight = 0, 0
        for rule in open_rules:
            node = book.conditions[rule.id]
            if fact_id not in facts_in(node):
                continue
            options = book.facts[fact_id].options
            if any(evaluate(node, {**answers, fact_id: o})[0] is not None for o in options):
                decided += 1
                weight += rule.severity.rank
        if decided == 0:
            continue
        score = (decided, weight, -position)
        if best is None or score > best:
            best, best_fact = score, fact_id
    return best_fact
