"""Assessment: answers in, findings out (sorted by severity, each with its reasons), plus the
question that would settle the most findings still open. Language-neutral: see views.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping, Sequence

from bot.engine.conditions import DONT_KNOW, EXCLUSIVE, Answer, answer_values, evaluate, facts_in
from bot.engine.models import Rule, Severity
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
    # The severity for this person: the rule's, or its severity_without_exposure when the
    # answers show no exposure.
    severity: Severity | None = None

    @property
    def effective_severity(self) -> Severity:
        return self.severity or self.rule.severity


@dataclass(frozen=True)
class Assessment:
    answers: dict[str, Answer]  # given and implied answers
    findings: tuple[Finding, ...]
    next_fact: str | None
    open_rules: int  # rules that more answers could still decide
    implied: dict[str, str] = field(default_factory=dict)  # fact -> the fact whose answer implied it
    exposed: bool | None = None  # the rule book's `exposure` condition (None: not known yet)
    # (fact, the fact whose answer implies otherwise): answers that contradict each other
    conflicts: tuple[tuple[str, str], ...] = ()

    @property
    def complete(self) -> bool:
        return self.next_fact is None


def clean_answer(book: RuleBook, fact_id: str, value: object) -> Answer:
    """One answer checked: an option (or "dont_know"); for a `multiple` fact also a list of
    options, kept in the order of facts.yaml (one value: a plain string). Raises ValueError."""
    fact = book.facts[fact_id]
    allowed = fact.options + [DONT_KNOW]
    if isinstance(value, (list, tuple)) and fact.multiple:
        values = [v for v in allowed if v in value]
        if not value or len(values) != len(set(value)) or len(values) != len(value):
            raise ValueError(f"invalid answer {list(value)!r}; allowed: some of {', '.join(allowed)}")
        if len(values) > 1 and any(v in EXCLUSIVE for v in values):
            raise ValueError(f"invalid answer {list(value)!r}: {' and '.join(EXCLUSIVE)} go alone")
        # "offered" beside "by the employer": the finer answer says it all
        values = [v for v in values if not (v in fact.refine and any(f in values for f in fact.refine[v].to))]
        return values[0] if len(values) == 1 else tuple(values)
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"invalid answer {value!r}; allowed: {', '.join(allowed)}")
    return value


def validate_answers(book: RuleBook, answers: Mapping[str, object]) -> dict[str, Answer]:
    errors: list[tuple[str, str]] = []
    clean: dict[str, Answer] = {}
    for fact_id, value in answers.items():
        if fact_id not in book.facts:
            errors.append((fact_id, f"unknown fact; known facts: {', '.join(book.facts)}"))
            continue
        if value is None:
            continue  # explicitly unanswered
        try:
            clean[fact_id] = clean_answer(book, fact_id, value)
        except ValueError as exc:
            errors.append((fact_id, str(exc)))
    if errors:
        raise InvalidAnswers(errors)
    return clean


def refining(book: RuleBook, fact_id: str, answers: Mapping[str, Answer]) -> str | None:
    """The coarse answer of `fact_id` that the interview asks to refine ("offered", by whom?), if
    its answer has one (facts.yaml `refine`)."""
    answer = answers.get(fact_id)
    refine = book.facts[fact_id].refine if fact_id in book.facts else {}
    if answer is None or not refine:
        return None
    return next((v for v in answer_values(answer) if v in refine), None)


def askable(book: RuleBook, fact_id: str, answers: Mapping[str, Answer]) -> bool:
    if fact_id in answers:
        return refining(book, fact_id, answers) is not None  # "offered": who offered it is asked
    condition = book.ask_if.get(fact_id)
    return condition is None or evaluate(condition, answers)[0] is True


def apply_implied(book: RuleBook, answers: dict[str, Answer]) -> tuple[dict[str, Answer], dict[str, str], list[tuple[str, str]]]:
    """Add the answers that given answers imply (facts.yaml `implies`). An implied answer replaces
    "I don't know"; a different explicit answer is kept and reported as a conflict."""
    out = dict(answers)
    implied: dict[str, str] = {}
    conflicts: list[tuple[str, str]] = []
    changed = True
    while changed:  # implications may chain; each fact is implied at most once
        changed = False
        for fact_id, value in list(out.items()):
            for target, target_value in book.facts[fact_id].implies.get(value, {}).items() if isinstance(value, str) else ():
                current = out.get(target)
                if current is None or (current == DONT_KNOW and target not in implied):
                    out[target] = target_value
                    implied[target] = fact_id
                    changed = True
                elif current != target_value and (target, fact_id) not in conflicts:
                    conflicts.append((target, fact_id))
    return out, implied, conflicts


def ruled_out(book: RuleBook, answers: Mapping[str, Answer], known: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Answers to a question that the other answers rule out (its `ask_if` false): "a Russian
    citizen for over 10 years" beside "no Russian citizenship" contradict each other, as "only
    Russian citizenship" beside "none" does (REVIEW_API #14). As (fact, the fact that rules it out).
    "I don't know" and "no" contradict nothing; neither does a question ruled out only by an
    "I don't know"."""
    out: list[tuple[str, str]] = []
    known_answers = {f: v for f, v in answers.items() if v != DONT_KNOW}
    for fact_id, value in answers.items():
        condition = book.ask_if.get(fact_id)
        if condition is None or value in (DONT_KNOW, "no") or evaluate(condition, known_answers)[0] is not False:
            continue
        for other in facts_in(condition):
            if other in known_answers and (fact_id, other) not in known and (fact_id, other) not in out:
                out.append((fact_id, other))
    return out


_NEVER_ASKED: dict[str, tuple[str, ...]] = {}


def never_asked(book: RuleBook) -> tuple[str, ...]:
    """Yes/no facts that no rule's condition uses: the interview never asks them (the exposure
    alone uses them: contract_signed). Once per rule book."""
    if book.version not in _NEVER_ASKED:
        used = {f for node in book.conditions.values() for f in facts_in(node)}
        _NEVER_ASKED.clear()  # one rule book at a time (a reload replaces it)
        _NEVER_ASKED[book.version] = tuple(f for f, fact in book.facts.items() if f not in used and "no" in fact.options)
    return _NEVER_ASKED[book.version]


def rule_exposed(book: RuleBook, rule: Rule, answers: Mapping[str, Answer], exposed: bool | None) -> bool | None:
    """Whether the answers expose this person to this rule: the rule book's `exposure` and, where
    the rule has one, its own narrower `exposure` (a fact no rule asks counts as "no", as above)."""
    node = book.rule_exposure.get(rule.id)
    if node is None or exposed is not True:
        return exposed
    return evaluate(node, {**dict.fromkeys(never_asked(book), "no"), **answers})[0]


def severity_for(book: RuleBook, rule: Rule, answers: Mapping[str, Answer], exposed: bool | None) -> Severity:
    """The rule's severity for this person: severity_without_exposure where he is not exposed to it."""
    if rule.severity_without_exposure and rule_exposed(book, rule, answers, exposed) is not True:
        return Severity(rule.severity_without_exposure)
    return rule.severity


def assess(book: RuleBook, raw_answers: Mapping[str, object]) -> Assessment:
    answers, implied, conflicts = apply_implied(book, validate_answers(book, raw_answers))
    conflicts += ruled_out(book, answers, conflicts)
    # A fact no rule asks (a contract already signed: only a typed message states it) counts as "no"
    # for exposure while unanswered, or a finished check could never show no exposure.
    exposed = (evaluate(book.exposure, {**dict.fromkeys(never_asked(book), "no"), **answers})[0]
               if book.exposure is not None else None)
    findings: list[Finding] = []
    open_rules: list[Rule] = []
    for rule in book.rules:
        node = book.conditions[rule.id]
        value, support = evaluate(node, answers)
        if value is True:
            findings.append(Finding(rule, "applies", tuple(f for f in facts_in(node) if f in support), severity_for(book, rule, answers, exposed)))
        elif value is None:
            still_askable = [f for f in facts_in(node) if askable(book, f, answers)]
            if still_askable:
                open_rules.append(rule)
            elif rule.if_unknown == "warn":
                unsure = tuple(f for f in facts_in(node) if answers.get(f) == DONT_KNOW)
                if unsure:
                    findings.append(Finding(rule, "possible", unsure, severity_for(book, rule, answers, exposed)))
    order = {r.id: i for i, r in enumerate(book.rules)}
    findings.sort(key=lambda f: (-f.effective_severity.rank, f.status != "applies", order[f.rule.id]))
    return Assessment(answers, tuple(findings), _next_fact(book, answers, open_rules), len(open_rules),
                      implied=implied, exposed=exposed, conflicts=tuple(conflicts))


def _next_fact(book: RuleBook, answers: dict[str, Answer], open_rules: list[Rule]) -> str | None:
    """The askable fact whose answer would decide the most open rules (severity breaks ties, then
    the order of facts.yaml, which is the natural order of an interview); a coarse answer's "who?"
    (facts.yaml `refine`) before any other."""
    best: tuple[bool, int, int, int] | None = None
    best_fact: str | None = None
    for position, fact_id in enumerate(book.facts):
        if not askable(book, fact_id, answers):
            continue
        decided, weight = 0, 0
        coarse = refining(book, fact_id, answers)
        options = book.facts[fact_id].refine[coarse].to if coarse else book.facts[fact_id].options
        for rule in open_rules:
            node = book.conditions[rule.id]
            if fact_id not in facts_in(node):
                continue
            if any(evaluate(node, {**answers, fact_id: o})[0] is not None for o in options):
                decided += 1
                weight += rule.severity.rank
        if decided == 0:
            continue
        # who made the offer he told of comes first: it follows what he said, and it decides
        # whether he was coerced (the police) or is being scammed
        score = (coarse is not None, decided, weight, -position)
        if best is None or score > best:
            best, best_fact = score, fact_id
    return best_fact
