"""The personal answer: what a worker reads first, made once in the engine so that every face (bot,
web page, API, CLI) shows the same one.

    headline   one or two plain sentences for this person; a number in it counts `risks`, the
               serious risks listed (never more, never fewer: REVIEW4 R10)
    risks      the serious risks (critical, high), at most 3, one per topic, most serious first;
               numbered by every face; each text at most 300 characters (rule.<id>.short, or
               rule.<id>.short_possible when it rests on "I don't know"), `lead` its first
               sentences for a phone's first screen (never the bare topic title: R25, R34)
    good_to_know  what is not a serious risk: a reassurance beside them ("by Russian law a
               foreigner cannot be called up"), or with nothing serious the general warnings; at
               most 2, shown as bullets, never numbered or counted as a risk
    steps      at most 5, deduplicated, from the findings reached (rule.<id>.steps)
    contacts   the home country's first, then general ones whose audience condition holds

Severity is the one for this person (see `exposure` in rules.yaml): with no exposure, the headline
says that nothing points to a specific risk, and the risks are the short general warnings.

About someone else ("my brother got a call-up paper", `about: "other"` from the fact extractor):
every text the personal answer is made of is looked up as `<key>.other` first (headline, risk
texts, steps, the next question), the same words for the person written about, or to the asker
who helps them ("Tell him or her…"). A missing `.other` falls back to the text for the reader;
`ogoh check` warns about every such text that speaks to the reader (rulebook.other_variant_keys).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from typing import Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field

from bot.engine.assess import Assessment, Finding, never_asked, rule_exposed, severity_for
from bot.engine.conditions import DONT_KNOW, Answer, Node, evaluate, facts_in
from bot.engine.i18n import Localizer
from bot.engine.models import Contact, Severity
from bot.engine.rulebook import SHORT_CHARS, RuleBook
from bot.engine.sentences import split_answer

MAX_RISKS = 3
MAX_GENERAL = 2  # risks shown when the answers show no exposure
MAX_STEPS = 3  # a first screen's (REVIEW8 F8: five, three of them "see a lawyer")
MAX_CONTACTS = 5
LEAD_CHARS = 120  # a risk's lead: its first sentences within this, at least one (three fit a phone's first screen)
LEAD_MIN = 60  # a shorter first sentence only restates the fact ("You were offered a military contract."):
LEAD_MORE = 170  # the lead then takes the next sentence too (what it means), within this


def lead_of(text: str) -> str:
    """The first sentences of a risk's text for a first screen (see LEAD_CHARS, LEAD_MIN)."""
    lead, rest = split_answer(text, LEAD_CHARS)
    return split_answer(text, LEAD_MORE)[0] if rest and len(lead) < LEAD_MIN else lead
OTHER = ".other"  # the variant of a text for a situation about someone else
HELP_TOPIC = "get-help"
SERIOUS = ("critical", "high")
HOME_COUNTRIES = ("UZ", "TJ", "KG", "KZ", "TM")


class SummaryRisk(BaseModel):
    topic_id: str
    severity: Literal["critical", "high", "medium", "info"]
    severity_label: str
    title: str = Field(description="the topic's title")
    text: str = Field(max_length=SHORT_CHARS, description="the risk for this person, plain words, at most 300 characters")
    lead: str = Field("", description="the text's first whole sentences (at most LEAD_CHARS when a sentence allows): what a phone's first screen shows; the rest one tap away")
    status: Literal["applies", "possible"] = Field(description='"possible": it rests on an "I don\'t know" and is worded with "if"')
    rule_ids: list[str] = Field(description="the findings merged into this risk; their full texts are in findings[].detail")
    source_ids: list[str] = Field(default_factory=list, description=(
        "the sources behind this risk (its findings' citations), in the order cited: each is one entry of the "
        "answer's `sources` (and of findings[].citations in /v1/assess)"))
    as_of: dt.date | None = Field(None, description="when this risk's topic was last checked (as in the answer's `as_of`)")


class SummaryContact(BaseModel):
    id: str
    kind: Literal["phone", "telegram", "whatsapp", "web"]
    value: str = Field(description="as published: +7 …, @handle, https://…")
    href: str = Field(description="a link that opens it: tel:, https://t.me/, https://wa.me/ or https://")
    label: str
    country: str = Field(description="UZ, TJ, KG, KZ, TM, or any")
    last_confirmed: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY when a source last showed it; null if none dates it")
    last_confirmed_text: str | None = Field(None, description="the same, as month and year in the reply language")
    caveat: str | None = None
    source_id: str


class Summary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "headline": "Ваши ответы указывают на 2 серьёзных риска.",
        "risks": [
            {"topic_id": "recruitment-offers", "severity": "critical", "severity_label": "Очень серьёзно",
             "title": "Предложения военного контракта", "status": "applies", "rule_ids": ["offer-military-contract"],
             "text": "Вам предлагают военный контракт. Подписать его — значит пойти на войну, и ваша страна может за это преследовать."},
            {"topic_id": "work-permit-pressure", "severity": "critical", "severity_label": "Очень серьёзно",
             "title": "Угрозы: «подпиши, или лишишься патента»", "status": "applies", "rule_ids": ["permit-threat"],
             "text": "Вам угрожали из-за разрешения на работу. Мигранты рассказывают, что им предлагали «тюрьму или армию»."},
        ],
        "steps": ["Не подписывайте контракт.", "Не подписывайте под давлением."],
        "contacts": [{"id": "uz-migration-agency-phone", "kind": "phone", "value": "+7 925 045-47-44",
                      "href": "tel:+79250454744", "label": "Агентство миграции Узбекистана", "country": "UZ",
                      "last_confirmed": "2025-06", "last_confirmed_text": "июнь 2025", "caveat": None,
                      "source_id": "tashkenttimes-2025-06-contacts"}],
        "notes": [], "exposed": True, "lang": "ru",
    }]})

    headline: str
    risks: list[SummaryRisk] = Field(max_length=MAX_RISKS, description=(
        "the serious risks (critical, high), numbered; the headline's number counts them. Ordered by what the answers "
        "point to: most severe first, except that a home-country penalty (a rule with severity_without_exposure: serious "
        "only because the person is exposed) ranks two steps lower, so the event he told of (an offer, a call-up paper, "
        "an application under Decree 821) comes before the penalty it may lead to; `findings` are strictly most severe first"))
    good_to_know: list[SummaryRisk] = Field(default_factory=list, max_length=MAX_GENERAL,
                                            description="not serious risks: reassurance beside them, or the general warnings; bullets, never numbered")
    steps: list[str] = Field(max_length=MAX_STEPS)
    step_actions: list[list[str]] = Field(default_factory=list, max_length=MAX_STEPS, description=(
        "what each step does, line for line: the action ids of rules.yaml `actions` (lawyer, dont_sign, embassy …). "
        "A topic card shown beside this answer leaves out a step whose actions are all said here (bot.core.cards.beside)"))
    contacts: list[SummaryContact]
    help: str | None = Field(None, description="when no contact fits the answers (unless a step already says so), or the "
                                               "contacts are every country's because his is not known: your country's embassy "
                                               "or consulate (ui.summary.embassy); null otherwise")
    notes: list[str] = Field(default_factory=list, description="contradicting answers, or why the help is general")
    exposed: bool | None = Field(description="whether the answers show exposure; null while unknown")
    lang: str
    about: Literal["self", "other"] = Field("self", description='"other": the answer speaks of the person the asker wrote about (texts `<key>.other`)')


def _short(loc: Localizer, finding: Finding, about: str = "self", status: str | None = None, exposed: bool | None = None,
           home_listed: bool = False) -> str:
    """The risk's text: `short_possible` for a risk worded with "if"; `short_unexposed` for
    background shown to someone the answers do not show exposed (a penalty at home, worded as a
    warning for those who sign and fight, not as a risk he faces: REVIEW6 #3); `short_home_listed`
    when the penalty at home is a risk of its own in the same answer (the offer's text then leaves
    out "your home country may prosecute you", which that risk says with its articles: REVIEW6 #8)."""
    rid = finding.rule.id
    status = status or finding.status
    keys = ([f"rule.{rid}.short_possible"] if status == "possible" else [])
    if finding.rule.severity_without_exposure and exposed is not True:
        keys.append(f"rule.{rid}.short_unexposed")
    if home_listed and status != "possible":
        keys.append(f"rule.{rid}.short_home_listed")
    keys.append(f"rule.{rid}.short")
    for key in keys:
        if _has(loc, key):
            return _fit(person_text(loc, key, about))
    # No short text yet (a new rule): the start of the detail, cut at a sentence or a word.
    text = _fit(loc.text(f"rule.{rid}.detail"))
    if status == "possible":
        facts = ", ".join(loc.text(f"fact.{f}.label") for f in finding.because)
        text = _fit(person_text(loc, "ui.possible", about, facts=facts) + " " + text)
    return text


def _has(loc: Localizer, key: str) -> bool:
    return any(key in loc.book.texts.get(code, {}) for code in loc.chain())


def person_key(loc: Localizer, key: str, about: str = "self") -> str:
    """The key to show: `<key>.other` when the situation is about someone else and the language
    the text is shown in has that variant, else `key`. The first language of the reply's chain
    that has either decides, so an answer never mixes languages to find a variant (a missing
    `.other` is reported by `ogoh check`)."""
    if about != "other":
        return key
    other = key + OTHER
    for code in loc.chain():
        entries = loc.book.texts.get(code, {})
        if other in entries:
            return other
        if key in entries:
            return key
    return key


def person_text(loc: Localizer, key: str, about: str = "self", **values: str) -> str:
    """The text of `key` for the reader (`about="self"`) or for the person they wrote about."""
    return loc.text(person_key(loc, key, about), **values)


def _fit(text: str, limit: int = SHORT_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end > limit // 3:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…"


def _steps(loc: Localizer, finding: Finding, about: str = "self") -> list[str]:
    key = f"rule.{finding.rule.id}.steps"
    if not _has(loc, key):
        return []
    return [s.strip() for s in person_text(loc, key, about).splitlines() if s.strip()]


DONT_SIGN = "dont_sign"  # the action of "do not sign …", "say no to any offer" (rules.yaml `actions`)


def not_dont_sign(actions: list[str], lines: list[str]) -> list[str]:
    """The steps (lines of a `.steps` text, `actions` its rule's or topic's) for someone who already
    signed a contract: none whose action is "do not sign" ("You can say no. Do not sign anything
    on the spot." beside his signed contract, REVIEW8 item 4)."""
    return [line for i, line in enumerate(lines) if i >= len(actions) or DONT_SIGN not in actions[i].split("+")]


def step_actions(rule_actions: list[str], texts: list[str], owner: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each step with its actions (rules.yaml `actions`, line for line, "a+b" for a line that does
    both); a line with none (`ogoh check` reports it) is an action of its own."""
    return [(text, tuple(rule_actions[i].split("+")) if i < len(rule_actions) else (f"{owner}:{i}",))
            for i, text in enumerate(texts)]


def each_action_once(steps: list[tuple[str, tuple[str, ...]]], signed: bool = False) -> list[str]:
    """The texts of `each_action_kept` (below)."""
    return [text for text, _ in each_action_kept(steps, signed)]


def each_action_kept(steps: list[tuple[str, tuple[str, ...]]], signed: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """The steps, each (text, its actions), with each action said once, by its id (never by its
    words: a translator's wording cannot break it). A step whose actions were all said already is
    left out ("Talk to a lawyer before you deal with a military office." after "Get legal advice at
    once": REVIEW8 F8, three lawyers in five steps); one that adds an action stays, and where it
    says its two actions in two parts split by a semicolon ("Do not sign anything under pressure;
    ask for a lawyer.") only the new part is kept. A step that says only what a later kept one
    says with more ("Contact your consulate." beside "Ask for a lawyer and contact your embassy.")
    is left out too. `signed`: a contract already signed: no "do not sign" at all (item 4)."""
    kept: list[tuple[str, tuple[str, ...]]] = []
    said: set[str] = set()
    for text, actions in steps:
        if signed and DONT_SIGN in actions:
            new = tuple(a for a in actions if a != DONT_SIGN)
            parts = [p.strip() for p in text.split(";")]
            if not new or len(parts) != len(actions) or actions.index(DONT_SIGN) != 0:
                continue
            text, actions = parts[1][:1].upper() + parts[1][1:], new
        fresh = [a for a in actions if a not in said]
        if not fresh:
            # all said, each by a step of its own ("Ask for a lawyer before you sign anything.",
            # "Contact your consulate."): the one step that says both takes the first one's place
            singles = [i for i, (_, a) in enumerate(kept) if len(a) == 1 and a[0] in actions]
            if len(actions) > 1 and len(singles) == len(actions):
                kept[singles[0]] = (text, actions)
                kept = [k for i, k in enumerate(kept) if i not in singles[1:]]
            continue
        if len(fresh) < len(actions):
            parts = [p.strip() for p in text.split(";")]
            if len(parts) == len(actions) and all(p for p in parts):
                text = " ".join(p[:1].upper() + p[1:] if p[-1:] in ".!?" else p[:1].upper() + p[1:] + "."
                                for p, a in zip(parts, actions, strict=True) if a in fresh)
                actions = tuple(fresh)
        said.update(actions)
        kept.append((text, actions))
    # (a single-action step another kept step also says, with more: the one with more stays)
    return [(text, actions) for i, (text, actions) in enumerate(kept)
            if not (len(actions) == 1 and any(actions[0] in other and len(other) > 1 for j, (_, other) in enumerate(kept) if j != i))]


def _norm(step: str) -> str:
    return re.sub(r"[\W_]+", " ", step.lower()).strip()


def _stems(step: str) -> set[str]:
    return {w[:5] for w in _norm(step).split() if len(w) >= 4}


def same_step(a: str, b: str) -> bool:
    """Whether two steps say the same: equal, or they share at least half the words of the longer
    (stems: the first 5 letters of words of 4+ letters, the same in every language)."""
    if _norm(a) == _norm(b):
        return True
    x, y = _stems(a), _stems(b)
    common = len(x & y)
    return common >= 2 and common >= 0.5 * max(len(x), len(y))


MAX_PENDING_COMBINATIONS = 64


def event_facts(book: RuleBook) -> set[str]:
    """The exposure facts that are events, answered "no" when nothing happened: an offer, a call-up
    paper, a threat, an application for a residence permit or citizenship (status_application).
    The others (citizenship, home country) say who the person is."""
    if book.exposure is None:
        return set()
    return {f for f in facts_in(book.exposure) if f in book.facts and
            ({"yes", "no"} & set(book.facts[f].options) or book.facts[f].multiple)}


def told_no_event(book: RuleBook, assessment: Assessment) -> bool:
    """Whether the answers tell of at least one event (not "I don't know"): with no exposure, what
    he told was then looked at ("nobody offered me anything"), not merely who he is."""
    return any(assessment.answers.get(f) not in (None, DONT_KNOW) for f in event_facts(book))


def exposing_answers(book: RuleBook, answers: Mapping[str, Answer]) -> set[str]:
    """The facts whose answers (not "I don't know") expose this person: each one is needed in some
    set of his answers that shows exposure (`exposure` true with it, not without it). Every
    exposing event counts, also beside another one: "they threaten my patent unless I sign the
    employer's contract" is a threat *and* an offer (REVIEW_API #4: with "the employer" read, the
    threat was no longer "stated" because the offer alone already exposed him, and the threat's
    risk left the answer). A home country counts where exposure needs it (a residence-permit
    application and a country other than Kazakhstan), not beside a taken passport."""
    if book.exposure is None:
        return set()
    exposure = book.exposure
    given = [f for f in dict.fromkeys(facts_in(exposure)) if f in answers]
    out: set[str] = set()
    for f in given:
        if answers[f] == DONT_KNOW:
            continue
        others = [g for g in given if g != f]
        for size in range(len(others) + 1):
            if any(evaluate(exposure, {**sub, f: answers[f]})[0] is True and evaluate(exposure, sub)[0] is not True
                   for sub in ({g: answers[g] for g in group} for group in itertools.combinations(others, size))):
                out.add(f)
                break
    return out


_NEVER_EXPOSES: dict[tuple[str, str, str], bool] = {}


def never_exposes(book: RuleBook, fact: str, answer: Answer) -> bool:
    """Whether this answer of an event exposes nobody by itself: whoever he is (citizenship and
    country any way, or not said) and with no other event, it never makes the exposure true (a
    call-up paper: a Russian citizen is exposed by his citizenship, a foreigner not at all). Once
    per rule book, fact and answer."""
    if book.exposure is None or not isinstance(answer, str):
        return not isinstance(answer, str)
    key = (book.version, fact, answer)
    if key not in _NEVER_EXPOSES:
        if len(_NEVER_EXPOSES) > 256:
            _NEVER_EXPOSES.clear()
        events = event_facts(book)
        used = [f for f in dict.fromkeys(facts_in(book.exposure)) if f != fact and f in book.facts]
        quiet = {f: "no" for f in used if f in events}  # the other events did not happen
        who = [f for f in used if f not in events]
        ways: list[list[Answer | None]] = [[None, *book.facts[f].options, DONT_KNOW] for f in who]
        result = True
        for values in itertools.product(*ways):
            sub = {**quiet, **{f: v for f, v in zip(who, values, strict=True) if v is not None}}
            if evaluate(book.exposure, {**sub, fact: answer})[0] is True and evaluate(book.exposure, sub)[0] is not True:
                result = False
                break
        _NEVER_EXPOSES[key] = result
    return _NEVER_EXPOSES[key]


def pending_findings(book: RuleBook, assessment: Assessment) -> list[Finding]:
    """Risks a partly told situation points to but that questions not yet asked decide (a typed
    message: "they threaten to take my patent unless I sign" says nothing about citizenship):
    an open rule that gives conditional advice (`if_unknown: warn`), that some answer to the
    unasked facts of its condition would make apply, whose condition uses an answer that makes the
    person exposed (not "I don't know"), and whose unasked facts are about who the person is
    (citizenship, country), never an event they did not mention. Worded with "if"
    (short_possible), status "possible". A finished check has none: nothing is left to ask."""
    answers = assessment.answers
    if assessment.complete or book.exposure is None or assessment.exposed is False:
        return []
    # Exposure facts: what happened (an offer, a call-up paper, a threat …) and who one is on paper
    # (Russian citizenship, an application). Events the person did not mention are never assumed
    # ("if you were detained …" for someone who wrote about a call-up paper): only who they are.
    events = event_facts(book)
    if assessment.exposed is None and not any(answers.get(f) not in (None, DONT_KNOW, "no", []) for f in events):
        # Only for someone the answers show exposed, or who told of an event that may expose him
        # ("I am about to apply for a residence permit": Decree 821 waits on his citizenship and
        # country, REVIEW4 R21): never a guess for everyone. Who he said he is may still answer what
        # he asked, with "if" (pending_reassurances).
        return pending_reassurances(book, assessment)
    # The answers that make this person exposed: a rule waits on its unasked facts only if it uses
    # one of these ("a call-up paper", "I apply for a permit"), not merely the home country
    # someone with a taken passport also gave.
    # An event he told of that exposes nobody by itself, whoever he is, counts too: a call-up paper
    # is no exposure (a foreigner cannot be called up: REVIEW6 #3), yet what it means waits on his
    # citizenship. (An event that exposes some people, an application for a residence permit,
    # counts only where it does: as before.)
    stated = exposing_answers(book, answers)
    stated |= {f for f in events if f not in stated and answers.get(f) not in (None, DONT_KNOW, "no", [])
               and never_exposes(book, f, answers[f])}
    have = {f.rule.id for f in assessment.findings}
    told = {f for f in events if isinstance(answers.get(f), str) and answers[f] not in (DONT_KNOW, "no")}
    out = []
    for rule in book.rules:
        if rule.id in have or rule.if_unknown != "warn" or rule.topic == HELP_TOPIC:
            continue
        node = book.conditions[rule.id]
        used = facts_in(node)
        missing = [f for f in used if f not in answers]
        # An event he told of that this rule is about (it cannot hold had it not happened) counts for
        # it too: "I want to apply for a residence permit; they said sign a contract first" waits on
        # who he is for Decree 821 (REVIEW7 F8: the offer alone spoke, nothing said Decree 821).
        about_it = {f for f in told if f in used and answers[f] not in book.facts[f].refine  # (not a coarse "yes": who offered decides)
                    and evaluate(node, {**answers, f: "no"})[0] is False}
        if not missing or set(missing) & events or not (stated | about_it) & set(used) or evaluate(node, answers)[0] is not None:
            continue
        # (for an event it is about, an "I don't know" beside it leaves the rule open, not closed:
        # a residence-permit application with "I don't know" for his country)
        if _some_answers_reach(book, node, answers, missing, (True, None) if about_it else (True,)):
            severity = severity_for(book, rule, answers, assessment.exposed)  # as bot.engine.assess gives it
            out.append(Finding(rule, "possible", tuple(missing), severity))
    return out


def _some_answers_reach(book: RuleBook, node: Node, answers: Mapping[str, Answer], missing: list[str],
                        reach: tuple[bool | None, ...] = (True,)) -> bool:
    """Whether some answers to the facts not asked yet (`missing`) bring the condition to one of
    `reach`; never tried over more than MAX_PENDING_COMBINATIONS of them (then: no)."""
    choices = [list(book.facts[f].options) for f in missing]
    if math.prod(len(c) for c in choices) > MAX_PENDING_COMBINATIONS:
        return False
    return any(evaluate(node, {**answers, **dict(zip(missing, values, strict=True))})[0] in reach for values in itertools.product(*choices))


def pending_reassurances(book: RuleBook, assessment: Assessment) -> list[Finding]:
    """What who he said he is answers already, worded with "if" while the question that decides it
    waits: a Turkmen in Kazan asking "are they forcing us to go to war?" read only "nothing points
    to a risk" and a penalty at home, never that a foreigner cannot be called up, the one thing he
    asked (REVIEW7 F5); the interview asked about a Russian passport only after. A rule qualifies
    when who he said he is leaves no exposure unless an event happens (who_rules_out), it is not a
    serious risk, gives conditional advice (`if_unknown: warn`), its condition is about who he is
    only (no event), some answer to its facts not yet asked makes it hold, and it has a text for
    "if" (rule.<id>.short_possible in the source language): "If you are not a Russian citizen, by Russian law you cannot be called up"."""
    if not who_rules_out(book, assessment):
        return []
    answers, events = assessment.answers, event_facts(book)
    have = {f.rule.id for f in assessment.findings}
    texts = book.texts.get(book.source_language, {})
    out = []
    for rule in book.rules:
        if rule.id in have or rule.topic == HELP_TOPIC or rule.if_unknown != "warn" or f"rule.{rule.id}.short_possible" not in texts:
            continue
        node = book.conditions[rule.id]
        used = facts_in(node)
        missing = [f for f in used if f not in answers]
        if not missing or set(used) & events or evaluate(node, answers)[0] is not None:
            continue
        if _some_answers_reach(book, node, answers, missing):
            severity = severity_for(book, rule, answers, assessment.exposed)
            if severity.value not in SERIOUS:
                out.append(Finding(rule, "possible", tuple(missing), severity))
    return out


def settled_severity(book: RuleBook, assessment: Assessment, topic_id: str, missing: tuple[str, ...]) -> Severity | None:
    """Whether a topic holds whatever the facts not asked yet turn out to be (each of their
    answers, "I don't know" too): the least severity it then has (as bot.engine.assess gives it),
    else None."""
    choices = [[*book.facts[f].options, DONT_KNOW] for f in missing if f in book.facts]
    if len(choices) != len(missing) or not choices:
        return None
    rules = [r for r in book.rules if r.topic == topic_id]
    least: Severity | None = None
    for n, values in enumerate(itertools.product(*choices)):
        if n >= MAX_PENDING_COMBINATIONS:
            return None
        answers = {**assessment.answers, **dict(zip(missing, values, strict=True))}
        exposed = (evaluate(book.exposure, {**dict.fromkeys(never_asked(book), "no"), **answers})[0]
                   if book.exposure is not None else None)
        held = [severity_for(book, r, answers, exposed)
                for r in rules if evaluate(book.conditions[r.id], answers)[0] is True]
        if not held:
            return None
        best = max(held, key=lambda v: v.rank)
        least = best if least is None or best.rank < least.rank else least
    return least


def who_asked(book: RuleBook, assessment: Assessment) -> bool:
    """Whether an event he told of is a yes (an offer, a call-up paper …) rather than "no": such
    an answer waits on who he is, and "nothing points to a risk" would say too much."""
    return any(assessment.answers.get(f) not in (None, DONT_KNOW, "no", []) for f in event_facts(book))


def who_rules_out(book: RuleBook, assessment: Assessment) -> bool:
    """Whether who he said he is (his citizenship, his country) leaves no exposure unless an event
    happens: the exposure is false with every event not yet told of taken as "no" ("I'm a Kyrgyz
    citizen, no Russian passport": nothing makes him exposed but an offer, a threat, a paper …).
    Not yet true is enough: a question not asked yet may still decide it ("мне 45 лет, гражданин
    узбекистана, просто работаю, бояться чего-то?": a Russian passport? REVIEW7 F7), and nothing
    he wrote points to a risk; an event he does not know of ("a call-up paper? I don't know") is
    not "nothing"."""
    if book.exposure is None:
        return False
    events = event_facts(book)
    answers = assessment.answers
    if not any(f in answers and answers[f] != DONT_KNOW for f in facts_in(book.exposure) if f not in events):
        return False
    nothing = {f: "no" for f in events if f not in answers}
    exposed = evaluate(book.exposure, {**dict.fromkeys(never_asked(book), "no"), **nothing, **answers})[0]
    return exposed is False or exposed is None and not any(answers.get(f) == DONT_KNOW for f in events)


def build_summary(book: RuleBook, assessment: Assessment, loc: Localizer, about: str = "self",
                  pending: list[Finding] | None = None) -> Summary:
    """The personal answer; `about="other"` when it is about someone else (see the module note).
    `pending`: pending_findings(book, assessment) when the caller has it already."""
    about = "other" if about == "other" else "self"
    # What the answers decide, then (worded with "if") what the questions not yet asked would.
    findings = list(assessment.findings) + (pending_findings(book, assessment) if pending is None else pending)
    # Most serious first across both (as bot.engine.assess sorts its own): the topic's most serious
    # finding speaks for it, so a foreigner's call-up paper (medium, "if") beside a citizenship
    # application does not hide Decree 821 (high, "if") of the same topic (REVIEW_API #4).
    order = {r.id: i for i, r in enumerate(book.rules)}
    findings.sort(key=lambda f: (-f.effective_severity.rank, f.status != "applies", order[f.rule.id]))
    if assessment.answers.get("contract_signed") == "yes":
        # Signed already: what an offer calls for ("don't sign", "you can refuse: it is an offer")
        # is false for him and hurts his family (REVIEW8 F2: «муж на фронте, подписал контракт в
        # сахарово» read "he was offered a contract ... he can refuse"); what signing brings stays
        findings = [f for f in findings if "military_offer" not in facts_in(book.conditions[f.rule.id])]
    risky = [f for f in findings if f.rule.topic != HELP_TOPIC]
    help_findings = [f for f in findings if f.rule.topic == HELP_TOPIC]

    # One risk per topic: the most serious finding of the topic speaks for it (findings are
    # sorted most serious first, "applies" before "possible").
    by_topic: dict[str, list[Finding]] = {}
    for f in risky:
        by_topic.setdefault(f.rule.topic, []).append(f)
    answers = assessment.answers
    risks: list[SummaryRisk] = []
    speaks: dict[str, tuple[Finding, Literal["applies", "possible"]]] = {}  # topic -> the finding whose text speaks for it, and its status
    for topic_id, group in by_topic.items():
        # At equal severity the topic's first rule (file order) speaks for it, also while it waits
        # only on who he is, if the topic holds whoever he turns out to be (below): a threat he
        # told of is said as the threat ("You were threatened over your work permit"), not as
        # what follows from it (REVIEW7 F3: "Uzbek courts jailed men ..." stood in its place).
        top = min((f for f in group if f.effective_severity == group[0].effective_severity), key=lambda f: order[f.rule.id])
        if (top is not group[0] and top.status == "possible" and top.because and not set(top.because) & set(answers)
                and (settled_severity(book, assessment, topic_id, top.because) or Severity.info).value in SERIOUS):
            group = by_topic[topic_id] = [top] + [f for f in group if f is not top]
        first = group[0]
        level = first.effective_severity
        status: Literal["applies", "possible"] = first.status  # the text is the first finding's: "if" when it rests on "I don't know"
        if status == "possible" and first.because and not set(first.because) & set(answers):
            # Waiting only on who he is (not asked yet), yet the topic holds whoever he turns out
            # to be: "they threaten my patent unless I sign" is a threat to a foreigner
            # (permit-threat) and to a Russian citizen (threat-russian-citizen) alike. What he
            # stated is a fact: worded as stated, no "if", and counted (REVIEW6 #5).
            settled = settled_severity(book, assessment, topic_id, first.because)
            # (settled as a serious risk: a Decree 821 "if" beside "a foreigner cannot be called up",
            # which holds for a Kazakh too, is not thereby a fact, REVIEW7 F8)
            if settled is not None and settled.value in SERIOUS:
                status, level = "applies", min(level, settled, key=lambda v: v.rank)
        speaks[topic_id] = (first, status)
        severity = level.value
        risks.append(SummaryRisk(
            topic_id=topic_id, severity=severity, severity_label=loc.text(f"ui.severity.{severity}"),
            title=loc.text(f"topic.{topic_id}.title"), text="", lead="",
            status=status, rule_ids=[f.rule.id for f in group],
            source_ids=list(dict.fromkeys(c.source for f in group for c in f.rule.citations)),
            as_of=book.topics[topic_id].as_of,
        ))
    # Most serious first, but background that is serious only because of the answers (rules with
    # severity_without_exposure, like home penalties) ranks one step lower than what the answers
    # point to: a call-up paper (high) comes before the penalty at home (critical), and at equal
    # rank what the answers point to comes first.
    background = {f.rule.topic for f in risky if f.rule.severity_without_exposure} - {
        f.rule.topic for f in risky if not f.rule.severity_without_exposure}
    # (Two steps lower: a foreigner's call-up paper, medium since its text says the law does not
    # allow it, still comes before the penalty at home it is shown with.)
    risks.sort(key=lambda r: (-(Severity(r.severity).rank - 2 * (r.topic_id in background)), r.status != "applies",
                              r.topic_id in background))
    # Beside a serious risk (applies or possible), background below "high" is noise in the first
    # message (its findings stay in `findings`); with no exposure: two general warnings (PRODUCT.md).
    # A penalty its own exposure keeps from being serious (a dual citizen nobody offered anything)
    # stays, as good to know: "if you sign a contract and fight ..." (REVIEW7 F4).
    narrowed = {t for t, (f, _) in speaks.items() if f.rule.id in book.rule_exposure
                and assessment.exposed is True and rule_exposed(book, f.rule, answers, True) is not True}
    if any(r.severity in SERIOUS for r in risks):
        risks = [r for r in risks if r.severity in SERIOUS or r.topic_id not in background or r.topic_id in narrowed]
    # Nothing serious (no exposure, or not yet known): the risks are general warnings, and two of
    # them are enough for a first screen (three such texts were ~900 characters on a phone).
    general_only = assessment.exposed is False or not any(r.severity in SERIOUS for r in risks)
    # One list per severity (REVIEW4 R10): the serious risks, numbered and counted by the headline,
    # and what is good to know beside them (a reassurance: "by Russian law a foreigner cannot be
    # called up" is not a serious risk), never numbered. A serious risk past the third is left for
    # the findings, so the number in the headline is always the number of risks listed.
    # Beside serious risks one reassurance is enough for the first screen; with none, two warnings.
    serious = [] if general_only else [r for r in risks if r.severity in SERIOUS][:MAX_RISKS]
    gentle = [r for r in risks if general_only or r.severity not in SERIOUS]
    if general_only:
        # What who he is answers ("if you are not a Russian citizen, you cannot be called up": what
        # a Turkmen asking "will they take me?" asked) before the penalty at home for fighting
        # (REVIEW7 F5): background ranks below it whatever its severity.
        reassuring = {f.rule.topic for f in pending_reassurances(book, assessment)}
        gentle.sort(key=lambda r: r.topic_id not in reassuring)
    good_to_know = gentle[:MAX_GENERAL if general_only else 1]
    # With nothing serious, what is good to know may answer the event he told of (a call-up paper
    # to a foreigner: "by Russian law you cannot be called up"): then the headline says nothing
    # points to a serious risk and leads to it ("Read this:"), it comes first, and its steps ("do
    # not sign", "show the paper to your embassy") are the first steps (REVIEW6 #3).
    # (Information only, "for Kazakhs the decree asks a contract only for citizenship", is the
    # plain "nothing points to a specific risk … good to know".)
    told = {f for f in event_facts(book) if answers.get(f) not in (None, DONT_KNOW, "no", [])}
    answered = not serious and bool(good_to_know) and good_to_know[0].severity != "info" and (
        speaks[good_to_know[0].topic_id][1] == "applies" and bool(set(speaks[good_to_know[0].topic_id][0].because) & told))
    # The penalty at home a risk of its own: the offer's text leaves it out (REVIEW6 #8).
    home_listed = any(r.topic_id in background for r in serious)

    def worded(r: SummaryRisk) -> SummaryRisk:
        finding, status = speaks[r.topic_id]
        text = _short(loc, finding, about, status, rule_exposed(book, finding.rule, answers, assessment.exposed), home_listed)
        # A risk whose sources differ keeps its caveat on every first screen: its lead is its
        # whole text ("12 to 20 years" without "whether this covers service in the Russian army
        # is unresolved; no case was known up to 2025" said more than the sources: REVIEW7 F4)
        # (A penalty at home, whose first sentence is the disputed term and the next its caveat; the
        # registration deadline's caveat is inside its own sentence, which a lead keeps whole, and
        # the whole text did not fit a dual citizen's first screen: 764 > 700 characters.)
        whole = finding.rule.sources_differ and finding.rule.severity_without_exposure is not None
        return r.model_copy(update={"text": text, "lead": text if whole else lead_of(text)})

    serious, good_to_know = [worded(r) for r in serious], [worded(r) for r in good_to_know]
    serious_applies = [r for r in serious if r.status == "applies"]
    more_serious = len({r.topic_id for r in risks if r.severity in SERIOUS}) > len(serious)
    if serious_applies and len(serious_applies) < len(serious):
        # Some shown serious risks are worded with "if": no count ("1 serious risk" over three
        # cards, the first an "if"), and the headline says what the "if" means.
        headline_key = "ui.summary.headline_mixed"
    elif serious_applies:
        n = len(serious_applies)
        headline_key = "ui.summary.headline_many" if more_serious else f"ui.summary.headline_{n}"
    elif serious and all(set(speaks[r.topic_id][0].because).isdisjoint(answers) for r in serious):
        # Every "if" waits on a question not asked yet ("I got a call-up paper": is he a Russian
        # citizen?), not on something he does not know: the next questions decide (REVIEW6 #5)
        headline_key = "ui.summary.headline_pending"
    elif serious:
        headline_key = "ui.summary.headline_possible"
    elif assessment.complete and (assessment.exposed is True or answered):  # a foreigner's call-up paper: not "nothing"
        headline_key = "ui.summary.headline_no_serious"
    elif assessment.complete:  # not before: an unasked call-up or offer may still come
        headline_key = "ui.summary.headline_none"
    elif (assessment.exposed is True or answered) and good_to_know:
        # What he wrote is answered already, nothing serious in it (a foreigner's call-up paper):
        # that, and the questions check the rest, not "answer the questions" over it (REVIEW5 F28)
        headline_key = "ui.summary.headline_no_serious_so_far"
    elif assessment.exposed is not True and good_to_know and (told_no_event(book, assessment) or who_rules_out(book, assessment)):
        # A typed situation that tells of events and none exposes him ("nobody offered me
        # anything"), or says who he is in a way no event left unasked could change into exposure
        # by itself ("I'm a Kyrgyz citizen, no Russian passport": "you cannot be called up",
        # REVIEW6 #10): nothing he wrote points to a risk, and the check goes on for the rest. Its
        # text leads into what is good to know ("… Good to know:"): with nothing to list (no
        # country yet) the plain "answer the questions" instead (REVIEW4 R21: a dangling colon).
        headline_key = "ui.summary.headline_none_so_far"
    elif assessment.exposed is not True and not risks and told_no_event(book, assessment) and not who_asked(book, assessment):
        # He told of events and none exposes him ("я не подписывал никакой контракт и не собираюсь"),
        # but nothing is reached yet to list (no country, no citizenship): that nothing he wrote points
        # to a risk, and the check goes on, not "answer the questions" (REVIEW9 F8; no dangling colon)
        headline_key = "ui.summary.headline_nothing_so_far"
    else:
        headline_key = "ui.summary.headline_incomplete"
    headline = person_text(loc, headline_key, about)

    # Steps: the first screen shows three, so each risk shown gives its first step in turn (a
    # dual citizen read three steps of one topic), then the rest of theirs, then the other findings'
    # and the help findings'. A step that says what a kept one says is left out (two rules' "find out
    # by when to register and keep proof"; "do not sign the contract" twice). Background's steps
    # ("check the exact law with your embassy or a lawyer: we did not read the code") come after
    # every concrete one of what he told (REVIEW6 #3, #8: it stood second, and pushed "ask for a copy
    # of any paper" off the first screen).
    by_id = {f.rule.id: f for f in findings}

    def pairs(f: Finding) -> list[tuple[str, tuple[str, ...]]]:  # each step with its actions (each_action_once)
        return step_actions(f.rule.actions, _steps(loc, f, about), f.rule.id)

    listed = serious + good_to_know
    per_risk = [[s for rid in r.rule_ids for s in pairs(by_id[rid])] for r in listed if r.topic_id not in background]
    shown = {rid for r in listed for rid in r.rule_ids}
    queue = [s for turn in itertools.zip_longest(*per_risk) for s in turn if s is not None]
    queue += [s for f in risky if f.rule.id not in shown and f.rule.topic not in background for s in pairs(f)]
    queue += [s for f in help_findings for s in pairs(f)]
    # ... a penalty's (a rule with its own exposure) only where it is a serious risk of his: beside
    # "if you sign a contract and fight ..." (good to know) "check the exact law" named no law he
    # faces, and a relative read it as all there was to do (REVIEW7 F10, F6)
    queue += [s for r in listed if r.topic_id in background for rid in r.rule_ids
              if r in serious or by_id[rid].rule.id not in book.rule_exposure for s in pairs(by_id[rid])]
    steps: list[str] = []
    actions: list[list[str]] = []
    signed = answers.get("contract_signed") == "yes"
    for step, acts in each_action_kept(queue, signed):  # each action once (REVIEW7 F9, REVIEW8 F8), no "do not sign" once signed
        if len(steps) < MAX_STEPS and not any(same_step(step, kept) for kept in steps):
            steps.append(step)
            actions.append(list(acts))

    notes: list[str] = []
    if assessment.conflicts:
        facts = sorted({loc.text(f"fact.{fid}.label") for pair in assessment.conflicts for fid in pair})
        notes.append(loc.text("ui.summary.conflict", facts=", ".join(facts)))
    home = assessment.answers.get("home_country")
    if assessment.complete and home not in HOME_COUNTRIES:
        if home in (None, DONT_KNOW):
            notes.append(loc.text("ui.summary.unknown_country"))

    contacts = contacts_for(book, assessment, loc)
    # No contact fits (Kyrgyzstan, Kazakhstan, Turkmenistan, no country): the embassy, said once
    # (a step "Contact your country's embassy" and then "• Your country's embassy" was the same
    # line twice, REVIEW4 R27/R14; the faces add a tappable "Get help").
    several = len({c.country for c in contacts if c.country != "any"}) > 1  # every country's: the embassy for the others
    embassy = embassy_line(book, loc, home if isinstance(home, str) else None, several)
    help_line = None if (contacts and not several) or (not contacts and any(same_step(loc.text("ui.summary.embassy"), step) for step in steps[:3])) else embassy
    return Summary(headline=headline, risks=serious, good_to_know=good_to_know, steps=steps, step_actions=actions,
                   contacts=contacts, help=help_line,
                   notes=notes, exposed=assessment.exposed, lang=loc.lang, about=about)  # type: ignore[arg-type]


def embassy_line(book: RuleBook, loc: Localizer, home: str | None, several: bool) -> str:
    """The line shown where no contact fits: the countries it stands for, named, and that we have
    no checked number for them (REVIEW8 F6: "> Your country's embassy or consulate" with nothing to
    tap; FACTS H3: no phone found for the Kyrgyz and Kazakh embassies, none recorded for
    Turkmenistan's). Beside every country's numbers (`several`), each country with none in
    contacts.yaml; for a stated home country with none, that country; else the general line."""
    listed = {c.country for c in book.contacts}
    if several:
        countries = [c for c in HOME_COUNTRIES if c not in listed]
    else:
        countries = [home] if home in HOME_COUNTRIES and home not in listed else []
    if not countries:
        return loc.text("ui.summary.embassy")
    return loc.text("ui.summary.embassy_none", countries=", ".join(loc.text(f"fact.home_country.option.{c}") for c in countries))


# When the worker did not say his country, the language he writes in hints at which home-country
# contacts to show (their labels name the country): only that, never his citizenship.
LANGUAGE_COUNTRY = {"uz": "UZ", "tg": "TJ", "ky": "KG", "kk": "KZ"}


def contacts_for(book: RuleBook, assessment: Assessment, loc: Localizer) -> list[SummaryContact]:
    home = assessment.answers.get("home_country")
    if home in (None, DONT_KNOW):
        home = LANGUAGE_COUNTRY.get(loc.base)  # uz-Cyrl is uz; the answers are left as they are
        if home is not None and not any(c.country == home for c in book.contacts):
            home = None  # only hinted, and no number of its own (Kyrgyz, Kazakh): as with no hint (REVIEW7 F2)
    # Exposed, his country not known (nor hinted by his language, with a number of its own): the
    # first channel of every country's organisation, as the urgent and family replies give them,
    # never only a general one (REVIEW6 #6: a threat or a detention got only the expulsion-appeal
    # NGO); the embassy line for the other countries (`help`).
    every = home is None and assessment.exposed is True
    firsts = {c.id for country in dict.fromkeys(k.country for k in book.contacts if k.country in HOME_COUNTRIES)
              for c in [k for k in book.contacts if k.country == country][:1]} if every else set()
    chosen = []
    for contact in book.contacts:
        if contact.country != "any" and contact.country != home and contact.id not in firsts:
            continue
        node = book.contact_conditions.get(contact.id)
        if node is not None and evaluate(node, assessment.answers)[0] is not True:
            continue
        chosen.append(contact)
    chosen.sort(key=lambda c: c.country == "any")  # stable: the home country's first, in file order
    return [contact_view(loc, c) for c in chosen[:MAX_CONTACTS]]


def contact_view(loc: Localizer, c: Contact) -> SummaryContact:
    """One contact as faces show it (the summary's contacts, a topic card's: bot.core.cards)."""
    caveat_key = f"contact.{c.id}.caveat"
    return SummaryContact(
        id=c.id, kind=c.kind, value=c.value, href=c.href, label=loc.text(f"contact.{c.id}.label"),
        country=c.country, last_confirmed=c.last_confirmed,
        last_confirmed_text=loc.month_year(c.last_confirmed) if c.last_confirmed else None,
        caveat=loc.text(caveat_key) if _has(loc, caveat_key) else None, source_id=c.citation.source,
    )


def confirmed_on(value: str | None) -> dt.date | None:
    """The last-confirmed date as a date (the first day of a month or year given alone)."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])
