"""Load, validate and freeze the rule book: one immutable object that every answer is built from.

Every mistake is reported with its file and line. Loading either gives a complete, consistent rule
book or raises RuleBookError: nothing half-loaded is ever used.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.engine.conditions import DONT_KNOW, EXCLUSIVE, ConditionError, Node, compares, parse_condition, refined
from bot.engine.models import (
    Contact,
    ContactsFile,
    ProtectedNamesFile,
    DATE_NOTES,
    PUBLISHER_KINDS,
    RELATIONS,
    URL_NOTES,
    Citation,
    ExamplesFile,
    IntentsFile,
    LexiconFile,
    PlacesFile,
    Fact,
    FactsFile,
    Language,
    LanguagesFile,
    Rule,
    RulesFile,
    Severity,
    Source,
    SourcesFile,
    TextEntry,
    TextFile,
    Topic,
    TopicsFile,
)
from bot.engine.problems import Problem, RuleBookError
from bot.engine.protected import compare as compare_protected
from bot.engine.sourcecheck import source_warnings
from bot.engine.yamlfile import Loc, YamlDoc, load_yaml

REQUIRED_TOPICS = (
    "dual-citizenship",
    "naturalized-citizens",
    "home-country-penalties",
    "recruitment-offers",
    "occupied-territory-jobs",
    "work-permit-pressure",
    "foreigner-conscription",
    "scams-and-volunteer-units",
    "get-help",
)
REQUIRED_LANGUAGES = ("ru", "uz", "tg", "ky", "kk", "en")
SMALL_TALK_KINDS = ("greeting", "thanks", "goodbye", "ok", "who_are_you")
SEVERITY_KEYS = tuple(f"ui.severity.{s}" for s in ("critical", "high", "medium", "info"))
UI_KEYS = (
    "ui.language_name", "ui.dont_know", "ui.back", "ui.because", "ui.sources", "ui.sources_all", "ui.what_to_do",
    "ui.get_help", "ui.sources_differ", "ui.possible", "ui.fallback_notice", "ui.unreviewed_notice",
    "ui.not_a_lawyer", "ui.no_match", "ui.suggestions", "ui.topics", "ui.check_my_situation",
    "ui.no_findings", "ui.published", "ui.no_date", "ui.no_url",
) + SEVERITY_KEYS + tuple(f"ui.smalltalk.{k}" for k in SMALL_TALK_KINDS)
# What the Telegram bot says beyond the shared texts.
BOT_KEYS = (
    "bot.choose_language", "bot.privacy_notice", "bot.menu", "bot.menu_language", "bot.menu_privacy", "bot.help",
    "bot.forgotten", "bot.cleared", "bot.unsupported_media", "bot.too_fast", "bot.error", "bot.results",
    "bot.no_results", "bot.restart", "bot.menu_button", "bot.share", "bot.question_progress",
)
# What the web page says beyond the shared texts.
WEB_KEYS = ("web.ask", "web.your_question", "web.privacy", "web.bad_request")
# The web page's own texts (bot/web/site.py): about, quick exit, page titles, check your answers.
WEB_UI_KEYS = tuple("ui.web." + k for k in (
    "skip", "quick_exit", "home_title", "about", "about_title", "run_by", "run_by_unnamed", "report_error",
    "report_error_none", "about_what", "about_sources", "about_privacy", "about_exit", "about_translations",
    "privacy", "not_found", "progress", "review", "review_intro", "change", "implied", "see_results",
    "title.answer", "title.results", "title.sources", "title.error", "title.not_found",
    "choose_one",  # "Next" pressed with nothing ticked on a several-answers question
))
# Talk to a person (issue 16): bot/handoff.py and bot/telegram/handlers/handoff.py.
HANDOFF_KEYS = tuple("ui.handoff." + k for k in (
    "button", "consent", "ngo_unnamed", "agree", "cancel", "cancelled", "connected", "share",
    "share_preview", "share_send", "share_nothing", "shared", "stop_button", "ended", "ended_by_volunteer",
    "no_case", "offer", "photo_warning", "photo_send", "photo_dont", "not_relayed", "too_fast",
    "unavailable", "privacy", "urgent_words", "op.new_case", "op.summary", "op.ended", "op.refused",
    "op.undeliverable", "op.cases", "op.no_cases", "op.closed", "op.close_how", "op.how", "web_title",
    "web_intro", "web_none",
))
# The Telegram bot's conversation (issue 15): stale buttons, typed answers, groups, progress.
# What a message needs besides a topic (bot/core/replies.py): urgency, a signed contract, a person, out of scope.
REPLY_KEYS = ("ui.urgent.now", "ui.urgent.signed", "ui.urgent.family", "ui.person.none", "ui.out_of_scope",
              "ui.out_of_scope_general", "ui.out_of_scope_lure",  # the weather, a joke; unpaid wages (REVIEW9 F8, F10)
              # an urgent typed message's risks: "What you wrote points to …" (bot.core.replies.TYPED_HEADLINES)
              "ui.urgent.headline_1", "ui.urgent.headline_2", "ui.urgent.headline_3", "ui.urgent.headline_many",
              "ui.urgent.headline_mixed",
              "ui.smalltalk.privacy",  # a privacy question (intents family privacy, REVIEW6 #11)
              # signed already: what the sources say (REVIEW9 F6, bot.core.replies._signed_reply)
              "ui.signed.home_uz", "ui.signed.lawyer_home", "ui.signed.pressure", "ui.signed.contract_length", "ui.urgent.pressure",
              "ui.signed.get_lost",
              # "what happens at home if I fight", a country known: its recent cases (REVIEW9 F5)
              "ui.penalty.cases.UZ", "ui.penalty.cases.KG", "ui.penalty.cases.KZ", "ui.penalty.cases.TJ")
TELEGRAM_UI_KEYS = ("ui.check_expired", "ui.tap_a_button", "ui.question_progress_total", "ui.private_only",
                    "ui.open_private_chat", "ui.not_your_buttons", "ui.bot_description", "ui.bot_short_description")
# "I understood: ... [Right] [Change]" (issue 12 item 2), the bot and the web question box.
UNDERSTOOD_KEYS = tuple("ui.understood." + k for k in (
    "intro", "intro_other", "right", "change", "which", "about_other", "continue", "more_questions", "title"))
# The bot's first message and edited messages (issue 15, ONBOARDING).
ONBOARDING_KEYS = ("ui.privacy_summary", "ui.edited_note")
# A topic card about someone else whose text speaks to the reader (bot.core.cards).
# ... and a source's words in another language than the reader's, marked as the original (REVIEW5 F23).
TOPIC_CARD_KEYS = ("ui.topic.for_other", "ui.source.original.en", "ui.source.original.ru")

# Telegram's limits, and what fits one phone screen.
MESSAGE_LIMIT = 4096
CALLBACK_DATA_BYTES = 64
SCREEN_CHARS = 700
SHORT_CHARS = 300  # rule.<id>.short and .short_possible: one risk in the summary
SHORT_KEY = re.compile(r"^rule\.[^.]+\.short(_possible|_unexposed|_home_listed)?(\.other)?$")  # the texts SHORT_CHARS limits
BUTTON_CHARS = 40
SHORT_TITLE_CHARS = 24  # topic.<id>.short_title: a topic button that fits a phone (issue 15)
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class RuleBook:
    root: Path
    version: str
    source_language: str
    languages: dict[str, Language]
    sources: dict[str, Source]
    topics: dict[str, Topic]
    facts: dict[str, Fact]
    ask_if: dict[str, Node | None]
    rules: tuple[Rule, ...]
    conditions: dict[str, Node]
    texts: dict[str, dict[str, TextEntry]]
    examples: dict[str, ExamplesFile]
    text_lines: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    # (language, key) of translations made from an older source text, or not saying from which
    stale: frozenset[tuple[str, str]] = frozenset()
    # rules/lexicon: the words fact extraction reads (FACTS); language code -> file, and places
    lexicon: dict[str, LexiconFile] = field(default_factory=dict)
    places: PlacesFile | None = None
    # rules/lexicon/intents.yaml: urgency, signed, person, about-the-bot words per language (None: no file)
    intents: IntentsFile | None = None
    # rules.yaml `exposure`: "the answers show exposure" (None when the rule book has none)
    exposure: Node | None = None
    # a rule's own `exposure` (rule id -> condition): see Rule.exposure
    rule_exposure: dict[str, Node] = field(default_factory=dict)
    # rules/contacts.yaml (ANSWER): who can help, and for whom (contact id -> audience condition)
    contacts: tuple[Contact, ...] = ()
    contact_conditions: dict[str, Node] = field(default_factory=dict)
    # rules/protected_names.yaml plus every publisher and via of sources.yaml: never transliterated
    protected_names: tuple[str, ...] = ()

    def expected_text_keys(self) -> list[str]:
        keys = expected_text_keys(self.topics, self.facts, self.rules, self.sources) + summary_text_keys(self.contacts)
        source = self.texts.get(self.source_language, {})
        others = [k + OTHER_SUFFIX for k in person_text_keys(self.rules, self.facts)]
        return keys + [k for k in optional_text_keys(self.rules, self.contacts) + others if k in source]


# The personal answer (contract 3): summary-level texts, every language.
SUMMARY_KEYS = tuple(f"ui.summary.{k}" for k in (
    "headline_1", "headline_2", "headline_3", "headline_many", "headline_possible", "headline_none",
    "headline_incomplete", "headline_none_so_far", "headline_mixed", "headline_no_serious", "headline_no_serious_so_far", "conflict", "unknown_country", "embassy", "embassy_none", "risks", "contacts", "details",
    "risk_button", "hide", "as_of", "not_confirmed", "general",
    "pending",  # a risk the questions not yet asked decide (summary.pending_findings)
    "headline_pending",  # every serious risk shown waits on a question not yet asked (REVIEW6 #5)
    "headline_nothing_so_far",  # events told, none exposing him, nothing to list yet (REVIEW9 F8)
))


# A situation about someone else ("my brother got a call-up paper"): the texts of the personal
# answer have a variant `<key>.other` that speaks of that person (bot.engine.summary).
OTHER_SUFFIX = ".other"
_ADDRESSES_READER = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
PERSON_UI_KEYS = tuple(f"ui.summary.{k}" for k in (
    "headline_1", "headline_2", "headline_3", "headline_many", "headline_possible", "headline_none",
    "headline_incomplete", "headline_none_so_far", "headline_mixed", "headline_no_serious", "headline_no_serious_so_far", "unknown_country", "risks",
    "headline_pending", "headline_nothing_so_far")) + ("ui.possible",)


_FIRST_PERSON = re.compile(r"\b(I|my|me|mine)\b")


def person_text_keys(rules: tuple[Rule, ...] | list[Rule], facts: dict[str, Fact]) -> list[str]:
    """The texts a personal answer is made of, each of which may have a `.other` variant: the
    summary's, the questions and their answer buttons ("Yes, my employer")."""
    keys = list(PERSON_UI_KEYS) + [f"fact.{fid}.question" for fid in facts]
    keys += [f"fact.{fid}.refine.{v}" for fid, fact in facts.items() for v in fact.refine]
    keys += [f"fact.{fid}.option.{o}" for fid, fact in facts.items() for o in fact.options]
    return keys + [k for k in optional_text_keys(rules, ()) if not k.startswith("contact.")]


def addresses_reader(text: str, key: str = "") -> bool:
    """Whether an English text speaks to the reader ("you", "your"), or as the reader for an
    answer button ("Yes, my employer"): then a situation about someone else needs its `.other`."""
    if ".option." in key:
        return bool(_FIRST_PERSON.search(text) or _ADDRESSES_READER.search(text))
    return bool(_ADDRESSES_READER.search(text))


def can_be_possible(rule: Rule) -> bool:
    """A rule whose finding can rest on "I don't know": its short text must stay conditional."""
    return rule.if_unknown == "warn" or "dont_know" in rule.when


def summary_text_keys(contacts: tuple[Contact, ...] | list[Contact]) -> list[str]:
    return list(SUMMARY_KEYS) + [f"contact.{c.id}.label" for c in contacts]


def optional_text_keys(rules: tuple[Rule, ...] | list[Rule], contacts: tuple[Contact, ...] | list[Contact]) -> list[str]:
    """Known keys that may be missing: a rule's short texts and steps, a contact's caveat."""
    keys = []
    for r in rules:
        keys += [f"rule.{r.id}.short", f"rule.{r.id}.steps"] + ([f"rule.{r.id}.short_possible"] if can_be_possible(r) else [])
        # bot.engine.summary: the text for someone not exposed (background worded "if you sign"),
        # and the text beside the penalty at home listed as a risk of its own (REVIEW6 #3, #8)
        keys += [f"rule.{r.id}.short_unexposed", f"rule.{r.id}.short_home_listed"]
    return keys + [f"contact.{c.id}.caveat" for c in contacts]


# How sources are described, in every language (contract 5).
SOURCE_KEYS = (
    tuple(f"ui.source.relation.{r}" for r in RELATIONS)
    + tuple(f"ui.source.kind.{k}" for k in PUBLISHER_KINDS)
    + tuple(f"ui.source.date_note.{c}" for c in DATE_NOTES if c != "text")
    + tuple(f"ui.source.url_note.{c}" for c in URL_NOTES if c != "text")
    + ("ui.date.months", "ui.date.month_year", "ui.source.quote_label", "ui.source.note_no_quote")
)


def source_text_keys(sources: dict[str, Source]) -> list[str]:
    keys = []
    for sid, source in sources.items():
        if source.date_note == "text":
            keys.append(f"source.{sid}.date_note")
        if source.url_note == "text":
            keys.append(f"source.{sid}.url_note")
    return keys


def expected_text_keys(topics: dict[str, Topic], facts: dict[str, Fact], rules: tuple[Rule, ...] | list[Rule],
                       sources: dict[str, Source] | None = None) -> list[str]:
    keys = list(UI_KEYS) + list(BOT_KEYS) + list(WEB_KEYS) + list(SOURCE_KEYS) + list(HANDOFF_KEYS) + list(TELEGRAM_UI_KEYS) + list(REPLY_KEYS) + list(UNDERSTOOD_KEYS)
    keys += source_text_keys(sources or {})
    keys += list(WEB_UI_KEYS)
    keys += ["ui.choose_all", "ui.next", "ui.done"]  # a question with several answers (web, bot)
    keys += list(ONBOARDING_KEYS)
    keys += list(TOPIC_CARD_KEYS)
    for tid in topics:
        keys += [f"topic.{tid}.title", f"topic.{tid}.answer", f"topic.{tid}.steps"]
        keys.append(f"topic.{tid}.short_title")  # the topic's button label (issue 15)
    for fid, fact in facts.items():
        keys += [f"fact.{fid}.label", f"fact.{fid}.question"]
        keys += [f"fact.{fid}.option.{o}" for o in fact.options]
        keys += [f"fact.{fid}.refine.{v}" for v in fact.refine]  # the question that asks who, after "yes"
    keys += [f"rule.{r.id}.detail" for r in rules]
    return keys


def text_hash(text: str) -> str:
    """Short hash of a source text; a translation records it to detect that the source changed."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:10]


def normalize_for_quote(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[“”„‟«»″]", '"', text)
    text = re.sub(r"[‘’‚‛′`ʼ]", "'", text)
    text = text.replace("—", "-").replace("–", "-")
    return re.sub(r"\s+", " ", text).strip()


def quote_fragments(quote: str) -> list[str]:
    """A quote may skip words with … (or ...); each fragment must occur in the source."""
    parts = re.split(r"…|\.\.\.", normalize_for_quote(quote))
    return [p.strip(" \"'") for p in parts if p.strip(" \"'")]


class _Loader:
    def __init__(self, rules_dir: Path):
        self.dir = rules_dir
        self.problems: list[Problem] = []

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.dir.parent))
        except ValueError:
            return str(path)

    def doc(self, relative: str, required: bool = True) -> YamlDoc | None:
        path = self.dir / relative
        if not path.exists():
            if required:
                self.problems.append(Problem(self.display(path), 1, "this file is missing"))
            return None
        doc, problems = load_yaml(path, self.display(path))
        self.problems += problems
        return doc

    def model(self, doc: YamlDoc | None, model: type[M]) -> M | None:
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(doc.problem((), "the file must be a block of `key: value` lines"))
            return None
        try:
            return model.model_validate(doc.data)
        except ValidationError as exc:
            for err in exc.errors():
                self.problems.append(doc.problem(tuple(err["loc"]), _plain_message(dict(err))))
            return None

    def err(self, doc: YamlDoc, loc: Loc, message: str) -> None:
        self.problems.append(doc.problem(loc, message))

    def warn(self, doc: YamlDoc, loc: Loc, message: str) -> None:
        self.problems.append(doc.problem(loc, message, "warning"))


def _plain_message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    where = ".".join(str(p) for p in err.get("loc", ()) if not isinstance(p, int))
    if kind == "missing":
        return f"'{where}' is required here"
    if kind == "extra_forbidden":
        return f"unknown field '{where.split('.')[-1]}' (misspelt, or in the wrong place?)"
    if kind == "enum":
        return f"'{where}': {err['msg'].replace('Input should be', 'must be')}"
    if kind in ("bool_parsing", "bool_type"):  # `reviewed: ооба` (REVIEW_TRANSLATOR #9)
        field_name = where.split(".")[-1]
        return f"{field_name} must be true or false (in English letters), not '{err.get('input')}' ('{where}')"
    if kind in ("string_type", "int_type", "int_parsing", "dict_type", "list_type"):
        want = {"string_type": "a text in quotes", "int_type": "a whole number", "int_parsing": "a whole number",
                "dict_type": "a block of `key: value` lines", "list_type": "a list"}[kind]
        return f"'{where}' must be {want}, not '{err.get('input')}'"
    msg = err["msg"].removeprefix("Value error, ")
    return f"'{where}': {msg}" if where else msg


def _id_and_condition(loader: _Loader, doc: YamlDoc, loc: Loc, kind: str, item_id: str, when: str | None,
                      facts: dict[str, Fact], seen: set[str], conditions: dict[str, Node]) -> None:
    """One entry of a list of rules or contacts: its id used only once in the list, its `when:`
    condition (None: it has none) valid and kept in `conditions` under that id."""
    if item_id in seen:
        loader.err(doc, loc + ("id",), f"{kind} id '{item_id}' is used twice")
    seen.add(item_id)
    if when is not None:
        node = _condition(loader, doc, loc + ("when",), when, facts)
        if node is not None:
            conditions[item_id] = node


def _condition(loader: _Loader, doc: YamlDoc, loc: Loc, source: str, facts: dict[str, Fact]) -> Node | None:
    try:
        node = parse_condition(source)
    except ConditionError as exc:
        loader.err(doc, loc, f"condition `{source}`: {exc.message} (at character {exc.column})")
        return None
    ok = True
    for cmp in compares(node):
        if cmp.fact not in facts:
            loader.err(doc, loc, f"condition `{source}`: unknown fact '{cmp.fact}' (known: {', '.join(facts)})")
            ok = False
            continue
        allowed = set(facts[cmp.fact].options) | {DONT_KNOW}
        for value in cmp.values:
            if value not in allowed:
                loader.err(doc, loc, f"condition `{source}`: '{value}' is not an answer of '{cmp.fact}' (answers: {', '.join(sorted(allowed))})")
                ok = False
    return refined(node, refinements(facts)) if ok else None


def refinements(facts: dict[str, Fact]) -> dict[str, dict[str, tuple[str, ...]]]:
    """fact -> coarse answer -> the answers that refine it (facts.yaml `refine`)."""
    return {fid: {v: tuple(r.to) for v, r in f.refine.items()} for fid, f in facts.items() if f.refine}


def load_rulebook(rules_dir: Path | str, today: dt.date | None = None) -> RuleBook:
    """Load and validate everything; raise RuleBookError listing every error (warnings kept)."""
    rules_dir = Path(rules_dir).resolve()
    loader = _Loader(rules_dir)
    if not rules_dir.is_dir():
        raise RuleBookError([Problem(str(rules_dir), 1, "the rules folder does not exist")])
    today = today or dt.date.today()

    lang_doc = loader.doc("languages.yaml")
    src_doc = loader.doc("sources.yaml")
    topic_doc = loader.doc("topics.yaml")
    fact_doc = loader.doc("facts.yaml")
    rule_doc = loader.doc("rules.yaml")
    langs = loader.model(lang_doc, LanguagesFile)
    sources_file = loader.model(src_doc, SourcesFile)
    topics_file = loader.model(topic_doc, TopicsFile)
    facts_file = loader.model(fact_doc, FactsFile)
    rules_file = loader.model(rule_doc, RulesFile)
    if not (langs and sources_file and topics_file and facts_file and rules_file):
        raise RuleBookError(loader.problems)
    assert lang_doc and src_doc and topic_doc and fact_doc and rule_doc
    sources, topics, facts = sources_file.sources, topics_file.topics, facts_file.facts

    for code in REQUIRED_LANGUAGES:
        if code not in langs.languages:
            loader.err(lang_doc, ("languages",), f"language '{code}' is missing: Ogoh must speak ru, uz, tg, ky, kk and en")
    for code, language in langs.languages.items():
        for fb in language.fallback:
            if fb not in langs.languages or fb == code:
                loader.err(lang_doc, ("languages", code), f"fallback '{fb}' is not another listed language")
    if langs.source_language not in langs.languages:
        loader.err(lang_doc, ("source_language",), f"source language '{langs.source_language}' is not listed")

    for tid in REQUIRED_TOPICS:
        if tid not in topics:
            loader.err(topic_doc, ("topics",), f"topic '{tid}' is missing")
    for tid in topics:
        if not re.match(r"^[a-z0-9][a-z0-9\-]*$", tid):
            loader.err(topic_doc, ("topics", tid), f"topic id '{tid}' must be lowercase letters, digits and -")

    def check_citations(doc: YamlDoc, loc: Loc, citations: list[Citation]) -> None:
        for i, cit in enumerate(citations):
            if cit.source not in sources:
                loader.err(doc, loc + (i, "source"), f"unknown source '{cit.source}' (add it to sources.yaml)")
            elif cit.quote:
                _check_quote(loader, doc, loc + (i, "quote"), cit, sources[cit.source], seeds)

    seeds = _seeds_root(rules_dir, [s.local_copy.file for s in sources.values() if s.local_copy])
    if seeds is None:
        loader.warn(src_doc, ("sources",), f"no seeds/ folder next to {rules_dir} (nor in {PROJECT_ROOT}): "
                                           "the local copies of the sources and every quote are not checked")
    elif seeds != rules_dir.parent:
        loader.warn(src_doc, ("sources",), f"no seeds/ folder next to {rules_dir}: the local copies and quotes are "
                                           f"checked against {seeds / 'seeds'} (the project's)")
    for sid, source in sources.items():
        if seeds is not None and source.local_copy and not (seeds / source.local_copy.file).is_file():
            loader.err(src_doc, ("sources", sid, "local_copy"), f"local copy '{source.local_copy.file}' does not exist (looked in {seeds})")
        if source.url is None:
            loader.warn(src_doc, ("sources", sid, "url"), f"source '{sid}' has no address: {source.url_note}")
        copy = rules_dir.parent / source.local_copy.file if source.local_copy else None
        copy_text = _document(copy) if copy and copy.is_file() else None
        for name, message in source_warnings(sid, source, copy_text, normalize_for_quote):
            loader.warn(src_doc, ("sources", sid, name), message)
    for tid, topic in topics.items():
        check_citations(topic_doc, ("topics", tid, "citations"), topic.citations)
        for other in topic.see_also:  # the topics its card points to (bot.core.cards)
            if other not in topics or other == tid:
                loader.err(topic_doc, ("topics", tid, "see_also"), f"topic '{tid}': see_also names unknown topic '{other}'")
        if topic.review_by < today:
            loader.warn(topic_doc, ("topics", tid, "review_by"), f"topic '{tid}' was due for review on {topic.review_by}")

    ask_if: dict[str, Node | None] = {}
    for fid, fact in facts.items():
        if not re.match(r"^[a-z][a-z0-9_]*$", fid):
            loader.err(fact_doc, ("facts", fid), f"fact id '{fid}' must be lowercase letters, digits and _")
        ask_if[fid] = _condition(loader, fact_doc, ("facts", fid, "ask_if"), fact.ask_if, facts) if fact.ask_if else None
        for option, settles in fact.implies.items():
            loc_i: Loc = ("facts", fid, "implies", option)
            if option not in fact.options:
                loader.err(fact_doc, loc_i, f"implies: '{option}' is not an answer of '{fid}' (answers: {', '.join(fact.options)})")
            for target, value in settles.items():
                if target == fid or target not in facts:
                    loader.err(fact_doc, loc_i, f"implies: '{target}' is not another fact (known: {', '.join(facts)})")
                elif value not in facts[target].options:
                    loader.err(fact_doc, loc_i, f"implies: '{value}' is not an answer of '{target}' (answers: {', '.join(facts[target].options)})")
        for coarse, refinement in fact.refine.items():
            loc_r: Loc = ("facts", fid, "refine", coarse)
            if not fact.multiple:
                loader.err(fact_doc, loc_r, f"refine: '{fid}' must take several answers (multiple: true): a refined answer replaces the coarse one in a set")
            for value in [coarse] + refinement.to + [refinement.dont_know]:
                if value not in fact.options or value in EXCLUSIVE:
                    loader.err(fact_doc, loc_r, f"refine: '{value}' is not an answer of '{fid}' other than no (answers: {', '.join(fact.options)})")
            if any(v in fact.refine for v in refinement.to):
                loader.err(fact_doc, loc_r, f"refine: the answers of '{coarse}' must say more than it, not be coarse themselves")
            if refinement.dont_know not in refinement.to:
                loader.err(fact_doc, loc_r, f"refine: dont_know '{refinement.dont_know}' must be one of its answers ({', '.join(refinement.to)})")
        for option in fact.options:
            data = f"a:{fid}:{option}".encode()
            if len(data) > CALLBACK_DATA_BYTES:
                loader.err(fact_doc, ("facts", fid), f"fact id and option '{option}' are too long for a Telegram button ({len(data)} > {CALLBACK_DATA_BYTES} bytes)")

    exposure: Node | None = None
    if rules_file.exposure is not None:
        exposure = _condition(loader, rule_doc, ("exposure",), rules_file.exposure, facts)
    conditions: dict[str, Node] = {}
    rule_exposure: dict[str, Node] = {}
    seen_ids: set[str] = set()
    for i, rule in enumerate(rules_file.rules):
        loc: Loc = ("rules", i)
        _id_and_condition(loader, rule_doc, loc, "rule", rule.id, rule.when, facts, seen_ids, conditions)
        if rule.topic not in topics:
            loader.err(rule_doc, loc + ("topic",), f"unknown topic '{rule.topic}' (topics: {', '.join(topics)})")
        check_citations(rule_doc, loc + ("citations",), rule.citations)
        if rule.severity_without_exposure:
            if rules_file.exposure is None:
                loader.err(rule_doc, loc + ("severity_without_exposure",), "severity_without_exposure needs a top-level `exposure:` condition in rules.yaml")
            elif Severity(rule.severity_without_exposure).rank >= rule.severity.rank:
                loader.err(rule_doc, loc + ("severity_without_exposure",), f"severity_without_exposure '{rule.severity_without_exposure}' must be lower than severity '{rule.severity.value}'")
        if rule.exposure is not None:
            if not rule.severity_without_exposure:
                loader.err(rule_doc, loc + ("exposure",), "a rule's exposure needs severity_without_exposure (what it is where the exposure does not hold)")
            else:
                node = _condition(loader, rule_doc, loc + ("exposure",), rule.exposure, facts)
                if node is not None:
                    rule_exposure[rule.id] = node
        if rule.sources_differ and len({c.source for c in rule.citations}) < 2:
            loader.err(rule_doc, loc + ("sources_differ",), "sources_differ needs citations from at least two sources")
    for fid in facts:
        # (exposure counts: a fact only it uses, a contract already signed, makes the penalties serious)
        if not any(fid in (c.fact for c in compares(n)) for n in [*conditions.values(), *([exposure] if exposure is not None else [])]):
            loader.warn(fact_doc, ("facts", fid), f"no rule uses fact '{fid}': asking it changes nothing")

    contacts, contact_conditions = _load_contacts(loader, facts, sources, check_citations, topics)
    texts, text_lines = _load_texts(loader, langs, topics, facts, rules_file.rules, sources, contacts)
    _check_actions(loader, rule_doc, topic_doc, rules_file, topics, texts.get(langs.source_language, {}))
    examples = _load_examples(loader, langs, topics)
    lexicon, places = _load_lexicon(loader, langs, facts)
    intents = _load_intents(loader, langs)

    errors = [p for p in loader.problems if p.level == "error"]
    if errors:
        raise RuleBookError(loader.problems)
    return RuleBook(
        root=rules_dir,
        version=_version(rules_dir),
        source_language=langs.source_language,
        languages=dict(langs.languages),
        sources=dict(sources),
        topics=dict(topics),
        facts=dict(facts),
        ask_if=ask_if,
        rules=tuple(rules_file.rules),
        conditions=conditions,
        texts=texts,
        examples=examples,
        lexicon=lexicon,
        intents=intents,
        places=places,
        text_lines=text_lines,
        warnings=tuple(sorted(loader.problems)),
        stale=_stale_texts(texts, langs.source_language),
        exposure=exposure,
        rule_exposure=rule_exposure,
        contacts=tuple(contacts),
        contact_conditions=contact_conditions,
        protected_names=_protected_names(loader, sources),
    )


def _stale_texts(texts: dict[str, dict[str, TextEntry]], source_lang: str) -> frozenset[tuple[str, str]]:
    source = texts.get(source_lang, {})
    return frozenset(
        (code, key) for code, entries in texts.items() if code != source_lang
        for key, entry in entries.items() if key in source and entry.source_hash != text_hash(source[key].text)
    )


_document_cache: dict[tuple[Path, float], str] = {}


def _document(path: Path) -> str:
    key = (path, path.stat().st_mtime)
    if key not in _document_cache:
        _document_cache[key] = normalize_for_quote(path.read_text(encoding="utf-8"))
    return _document_cache[key]


# The project: where `ogoh check --rules <a copy of rules/>` finds seeds/ when the copy has none.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _seeds_root(rules_dir: Path, files: list[str]) -> Path | None:
    """The folder the sources' local copies (`seeds/...`) are relative to: next to the rules
    folder, else the project's (a translator's copy of rules/ alone, REVIEW_TRANSLATOR #6), else
    None (not checked)."""
    tops = {Path(f).parts[0] for f in files if Path(f).parts}
    for base in (rules_dir.parent, PROJECT_ROOT):
        if not tops or any((base / t).is_dir() for t in tops):
            return base
    return None


def _check_quote(loader: _Loader, doc: YamlDoc, loc: Loc, cit: Citation, source: Source, seeds: Path | None) -> None:
    if not source.local_copy or not cit.quote or seeds is None:
        return
    path = seeds / source.local_copy.file
    if not path.is_file():
        return  # reported on the source itself
    text = _document(path)
    for fragment in quote_fragments(cit.quote):
        if fragment not in text:
            loader.err(doc, loc, f"quote not found in {source.local_copy.file}: \"{fragment[:80]}\" (quotes must be copied exactly)")
            return


def _protected_names(loader: _Loader, sources: dict[str, Source]) -> tuple[str, ...]:
    doc = loader.doc("protected_names.yaml", required=False)
    parsed = loader.model(doc, ProtectedNamesFile)
    names = list(parsed.names) if parsed else []
    for source in sources.values():
        names += [source.publisher] + ([source.via] if source.via else [])
    return tuple(dict.fromkeys(n for n in names if n.strip()))


def _load_contacts(loader: _Loader, facts: dict[str, Fact], sources: dict[str, Source], check_citations,
                   topics: Mapping[str, object] | None = None) -> tuple[list[Contact], dict[str, Node]]:
    """rules/contacts.yaml: every contact cited, its value in the quote (or its site the source's),
    its audience condition valid."""
    doc = loader.doc("contacts.yaml", required=False)
    parsed = loader.model(doc, ContactsFile)
    if doc is None or parsed is None:
        return [], {}
    conditions: dict[str, Node] = {}
    seen: set[str] = set()
    for i, contact in enumerate(parsed.contacts):
        loc: Loc = ("contacts", i)
        _id_and_condition(loader, doc, loc, "contact", contact.id, contact.when or None, facts, seen, conditions)
        check_citations(doc, loc + ("citation",), [contact.citation])
        check_citations(doc, loc + ("label_citations",), contact.label_citations)
        for topic_id in contact.topics:  # the topic cards it is shown on first (bot.core.cards)
            if topics is not None and topic_id not in topics:
                loader.err(doc, loc + ("topics",), f"contact '{contact.id}': unknown topic '{topic_id}' (topics: {', '.join(topics)})")
        source = sources.get(contact.citation.source)
        if source is None:
            continue
        if contact.kind in ("phone", "whatsapp"):
            digits = re.sub(r"\D", "", contact.value)
            backed = digits in re.sub(r"\D", "", contact.citation.quote or "")
        elif contact.kind == "telegram":
            backed = contact.value.lower() in (contact.citation.quote or "").lower()
        else:
            host = contact.value.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")
            backed = host in (source.url or "") or host in (contact.citation.quote or "")
        if not backed:
            loader.err(doc, loc + ("value",), f"contact '{contact.id}': '{contact.value}' is not in the quote of its citation (or the address of its source)")
    return list(parsed.contacts), conditions


def _language_files(loader: _Loader, langs: LanguagesFile, folder: str, model: type[M]) -> Iterator[tuple[str, YamlDoc, M]]:
    """`<folder>/<code>.yaml` of every language, read and validated; a missing or invalid file is
    reported by the loader and skipped."""
    for code in langs.languages:
        doc = loader.doc(f"{folder}/{code}.yaml")
        parsed = loader.model(doc, model)
        if doc is not None and parsed is not None:
            yield code, doc, parsed


def _load_texts(loader: _Loader, langs: LanguagesFile, topics: dict[str, Topic], facts: dict[str, Fact], rules: list[Rule],
                sources: dict[str, Source], contacts: list[Contact] | None = None):
    contacts = contacts or []
    expected = expected_text_keys(topics, facts, rules, sources) + summary_text_keys(contacts)
    optional = set(optional_text_keys(rules, contacts))
    # A source's names as a language's readers know them (bot.engine.views.source_name).
    optional |= {f"source.{sid}.{f}" for sid, src in sources.items() for f in ("publisher", "via") if f == "publisher" or src.via}
    person = person_text_keys(rules, facts)
    optional |= {k + OTHER_SUFFIX for k in person}
    # A topic card about someone else (bot.core.cards): its answer and steps may have `.other` too;
    # without one the card says that it speaks to the reader (ui.topic.for_other).
    optional |= {f"topic.{tid}.{part}{OTHER_SUFFIX}" for tid in topics for part in ("answer", "steps")}
    texts: dict[str, dict[str, TextEntry]] = {}
    lines: dict[tuple[str, str], tuple[str, int]] = {}
    docs: dict[str, YamlDoc] = {}
    for code, doc, parsed in _language_files(loader, langs, "text", TextFile):
        if parsed.lang != code:
            loader.err(doc, ("lang",), f"lang is '{parsed.lang}' but the file is for '{code}'")
        texts[code] = dict(parsed.texts)
        docs[code] = doc
        for key in parsed.texts:
            lines[(code, key)] = (doc.display, doc.line(("texts", key)))
    source_lang = langs.source_language
    source = texts.get(source_lang, {})
    if source_lang in docs:
        for rule in rules:
            for key in [f"rule.{rule.id}.short"] + ([f"rule.{rule.id}.short_possible"] if can_be_possible(rule) else []):
                if key not in source:
                    loader.warn(docs[source_lang], ("texts",), f"text '{key}' is missing: the summary shows the start of the detail instead")
        for key in person:
            if key in source and key + OTHER_SUFFIX not in source and addresses_reader(source[key].text, key):
                loader.warn(docs[source_lang], ("texts", key), f"text '{key}' speaks to or as the reader (you, your; I, my) and has no "
                            f"'{key}{OTHER_SUFFIX}': an answer about someone else (\"my brother …\") shows it as it is")
    known = set(expected) | optional
    # Steps whose lines have actions (rules.yaml, topics.yaml `actions`): every language's text, and
    # its `.other`, has exactly one line per action, or a step would be merged as another action.
    acted = {f"rule.{r.id}.steps": len(r.actions) for r in rules if r.actions}
    acted |= {f"topic.{tid}.steps": len(t.actions) for tid, t in topics.items() if t.actions}
    for code, entries in texts.items():
        doc = docs[code]
        for key, entry in entries.items():
            base = key.removesuffix(OTHER_SUFFIX)
            if base in acted and len(step_lines(entry.text)) != acted[base]:
                loader.err(doc, ("texts", key, "text"), f"text '{key}' has {len(step_lines(entry.text))} steps (lines) but "
                           f"{acted[base]} actions in {'rules' if base.startswith('rule.') else 'topics'}.yaml: one line per action, "
                           "in the same order (the answer says each action once by them)")
        # A key of a translation that no English text has is a misspelling (REVIEW_TRANSLATOR #7):
        # an error naming the key it resembles, which is then reported once, here, not as missing.
        meant: dict[str, str | None] = {}
        if code != source_lang:
            for key in entries:
                if key not in known and key not in source:
                    close = difflib.get_close_matches(key, [k for k in source if k not in entries], n=1, cutoff=0.75)
                    meant[key] = close[0] if close else None
        for key in expected + [k + OTHER_SUFFIX for k in person if k + OTHER_SUFFIX in source]:
            if key in meant.values():
                continue
            if key not in entries:
                if code == source_lang:
                    loader.err(doc, ("texts",), f"text '{key}' is missing in the source language")
                elif key.startswith("contact."):
                    # A contact is shown in every answer of its audience: a fallback would put an
                    # English or Russian line into every such answer.
                    loader.err(doc, ("texts",), f"contact text '{key}' is missing in {code}: every answer in {code} would show it in another language")
                else:
                    loader.warn(doc, ("texts",), f"text '{key}' is not translated yet (shown in a fallback language)")
        for key, entry in entries.items():
            loc: Loc = ("texts", key, "text")
            if key in meant:
                guess = meant[key]
                loader.err(doc, ("texts", key), f"'{key}' is not a key of any {source_lang} text"
                           + (f": did you mean '{guess}'? (until it is renamed, '{guess}' is shown in a fallback language)"
                              if guess else ": keys are never translated or changed; copy the key from rules/text/" + source_lang + ".yaml"))
                continue
            if key not in expected and key not in optional:
                loader.warn(doc, ("texts", key), f"text '{key}' is not used by any topic, fact or rule (misspelt key?)")
                continue
            if not entry.text.strip():
                loader.err(doc, loc, f"text '{key}' is empty")
            if key in source and code != source_lang:
                want = set(PLACEHOLDER.findall(source[key].text))
                got = set(PLACEHOLDER.findall(entry.text))
                if want != got:
                    loader.err(doc, loc, f"text '{key}' must keep the placeholders {sorted(want) or 'none'}, has {sorted(got) or 'none'}")
                # A current translation must carry the English numbers, phones, @handles, /commands
                # and addresses. A stale one was made from older English: it is flagged as stale
                # below, and `mark-current` or an import checks it against the new English.
                if entry.source_hash == text_hash(source[key].text):
                    for problem in compare_protected(source[key].text, entry.text):
                        loader.err(doc, loc, f"text '{key}': {problem}")
                if key.endswith(".steps") and source[key].text.strip().count("\n") != entry.text.strip().count("\n") and key not in acted:
                    loader.warn(doc, loc, f"text '{key}' has a different number of steps (lines) than {source_lang}")
                if entry.source_hash is None:
                    loader.warn(doc, loc, f"text '{key}' does not record which {source_lang} text it translates (source_hash): treated as stale")
                elif entry.source_hash != text_hash(source[key].text):
                    loader.warn(doc, loc, f"text '{key}' is stale: the {source_lang} text changed since it was translated")
            _check_lengths(loader, doc, loc, key, entry.text)
    _check_contact_texts(loader, langs, docs, texts, contacts)
    return texts, lines


def step_lines(text: str) -> list[str]:
    """The steps of a `.steps` text: its non-empty lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _check_actions(loader: _Loader, rule_doc: YamlDoc, topic_doc: YamlDoc, rules_file: RulesFile,
                   topics: dict[str, Topic], source: dict[str, TextEntry]) -> None:
    """Every rule's and topic's steps have an action per line (rules.yaml `actions` names them):
    the personal answer says each action once by its id, never by its words."""
    known = set(rules_file.actions)
    owners: list[tuple[YamlDoc, Loc, str, list[str]]] = [
        (rule_doc, ("rules", i), f"rule.{r.id}.steps", r.actions) for i, r in enumerate(rules_file.rules)]
    owners += [(topic_doc, ("topics", tid), f"topic.{tid}.steps", t.actions) for tid, t in topics.items()]
    for doc, loc, key, actions in owners:
        for j, action in enumerate(actions):
            for part in action.split("+"):
                if part not in known:
                    loader.err(doc, loc + ("actions", j), f"unknown action '{part}' (actions in rules.yaml: {', '.join(sorted(known))})")
        if key in source and not actions and key.startswith("rule."):  # (a topic's are optional: get-help's are its contacts)
            loader.err(doc, loc, f"'{key}' has steps but no `actions`: give each line's action (rules.yaml `actions`), "
                                 "so that the answer can say each action once")
        elif key not in source and actions:
            loader.err(doc, loc + ("actions",), f"`actions` given but '{key}' has no steps")


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _check_contact_texts(loader: _Loader, langs: LanguagesFile, docs: dict[str, YamlDoc],
                         texts: dict[str, dict[str, TextEntry]], contacts: list[Contact]) -> None:
    """A contact's caveat, when it has one, exists in every language; in a language written in
    Cyrillic (its name in languages.yaml is), the name a contact label starts with (before ':')
    is not in Latin letters only ("Civic Assistance Committee: шикоят …" in Tajik)."""
    source = texts.get(langs.source_language, {})
    for code, entries in texts.items():
        if code == langs.source_language:
            continue
        cyrillic = bool(_CYRILLIC.search(langs.languages[code].name)) if code in langs.languages else False
        for contact in contacts:
            caveat = f"contact.{contact.id}.caveat"
            if caveat in source and caveat not in entries:
                loader.err(docs[code], ("texts",), f"contact text '{caveat}' is missing in {code}: every answer in {code} would show it in another language")
            label = entries.get(f"contact.{contact.id}.label")
            if cyrillic and label is not None:
                name = label.text.split(":", 1)[0]
                if not _CYRILLIC.search(name):
                    loader.err(docs[code], ("texts", f"contact.{contact.id}.label", "text"),
                               f"contact label '{contact.id}' in {code} starts with '{name}' in Latin letters: give the name as {code} readers know it (the original may follow in brackets)")


def _check_lengths(loader: _Loader, doc: YamlDoc, loc: Loc, key: str, text: str) -> None:
    if len(text) > MESSAGE_LIMIT:
        loader.err(doc, loc, f"text '{key}' is {len(text)} characters; Telegram allows {MESSAGE_LIMIT}")
    elif SHORT_KEY.match(key) and len(text) > SHORT_CHARS:
        # The summary shows at most SHORT_CHARS of a risk: the sentences past it would be dropped
        # without a word, in every language (REVIEW_TRANSLATOR #4).
        loader.err(doc, loc, f"short text '{key}' is {len(text)} characters; the limit is {SHORT_CHARS} "
                             "(a risk line of the personal answer: what does not fit is cut at the last whole sentence)")
    elif key.endswith(".answer") and len(text) > SCREEN_CHARS:
        loader.warn(doc, loc, f"short answer '{key}' is {len(text)} characters; keep it under {SCREEN_CHARS} to fit one phone screen")
    elif ".option." in key and len(text) > BUTTON_CHARS:
        loader.warn(doc, loc, f"answer button '{key}' is {len(text)} characters; keep it under {BUTTON_CHARS}")
    elif key.endswith(".short_title") and len(text) > SHORT_TITLE_CHARS:
        loader.warn(doc, loc, f"topic button '{key}' is {len(text)} characters; at most {SHORT_TITLE_CHARS} fit a phone")


def _load_examples(loader: _Loader, langs: LanguagesFile, topics: dict[str, Topic]) -> dict[str, ExamplesFile]:
    examples: dict[str, ExamplesFile] = {}
    for code, doc, parsed in _language_files(loader, langs, "examples", ExamplesFile):
        examples[code] = parsed
        owner: dict[str, str] = {}
        for section in ("topics", "keywords"):
            for tid, items in getattr(parsed, section).items():
                if tid not in topics:
                    loader.err(doc, (section, tid), f"unknown topic '{tid}'")
                    continue
                if section == "topics" and len(items) < 20:
                    loader.warn(doc, (section, tid), f"topic '{tid}' has {len(items)} example questions in {code}; aim for at least 20")
                if section != "topics":
                    continue
                for i, text in enumerate(items):
                    norm = " ".join(text.lower().split())
                    if norm in owner and owner[norm] != tid:
                        loader.warn(doc, (section, tid, i), f"the example \"{text}\" is also under topic '{owner[norm]}'")
                    owner.setdefault(norm, tid)
        for kind in parsed.small_talk:
            if kind not in SMALL_TALK_KINDS:
                loader.err(doc, ("small_talk", kind), f"unknown kind of small talk '{kind}' (kinds: {', '.join(SMALL_TALK_KINDS)})")
        for tid in topics:
            if tid not in parsed.topics:
                loader.warn(doc, ("topics",), f"topic '{tid}' has no example questions in {code}")
    return examples


def _load_lexicon(loader: _Loader, langs: LanguagesFile, facts: dict[str, Fact]) -> tuple[dict[str, LexiconFile], PlacesFile | None]:
    """rules/lexicon/<lang>.yaml and places.yaml (optional): every fact id and value must exist in
    facts.yaml (home_country RU is never read from a message), every marker and cue name must be
    known, and the same words must not be listed twice."""
    from bot.engine.models import LEXICON_CUES, LEXICON_MARKERS

    lexicon: dict[str, LexiconFile] = {}
    if not (loader.dir / "lexicon").is_dir():
        return lexicon, None
    countries = [o for o in facts["home_country"].options if o not in ("RU", "other")] if "home_country" in facts else []
    sources = [o for o in facts["military_offer"].options if o != "no" and o not in facts["military_offer"].refine] if "military_offer" in facts else []

    def norm(text: str) -> str:
        return " ".join(text.lower().split())

    def check_list(doc: YamlDoc, loc: Loc, items: list[str], seen: dict[str, Loc]) -> None:
        for i, item in enumerate(items):
            key = norm(item)
            if not key.strip("*~ "):
                loader.err(doc, loc + (i,), "empty pattern")
            elif key in seen:
                where = ".".join(str(p) for p in seen[key] if not isinstance(p, int))
                loader.err(doc, loc + (i,), f"\"{item}\" is listed twice (also under {where})")
            else:
                seen[key] = loc + (i,)

    def check_values(doc: YamlDoc, section: str | Loc, mapping: dict[str, list[str]], allowed: list[str], what: str, seen: dict[str, Loc]) -> None:
        base: Loc = (section,) if isinstance(section, str) else section
        for value, items in mapping.items():
            if value not in allowed:
                loader.err(doc, base + (value,), f"unknown {what} '{value}' (known: {', '.join(allowed)})")
            check_list(doc, base + (value,), items, seen)

    for code in list(langs.languages) + ["places"]:
        if code == "places":
            continue
        doc = loader.doc(f"lexicon/{code}.yaml", required=False)
        parsed = loader.model(doc, LexiconFile)
        if doc is None or parsed is None:
            continue
        if parsed.lang != code:
            loader.err(doc, ("lang",), f"lang is '{parsed.lang}' but the file is for '{code}'")
        # A marker or cue may share words with another (паспорт is a passport word and a document);
        # within one list, or under two answers of one fact, the same words are a mistake.
        for section, names in (("markers", LEXICON_MARKERS), ("cues", LEXICON_CUES)):
            for name, items in getattr(parsed, section).items():
                check_values(doc, section, {name: items}, list(names), section[:-1], {})
        check_values(doc, "countries", parsed.countries, countries, "home country", {})
        check_values(doc, "offer_source", parsed.offer_source, sources, "military_offer answer", {})
        for fid, values in parsed.facts.items():
            if fid not in facts:
                if fid == "status_application":  # contract 1: CONTENT is adding it to facts.yaml
                    loader.warn(doc, ("facts", fid), f"fact '{fid}' is not in facts.yaml yet: these words are not used")
                else:
                    loader.err(doc, ("facts", fid), f"unknown fact '{fid}' (facts: {', '.join(facts)})")
                continue
            allowed = [o for o in facts[fid].options if not (fid == "home_country" and o == "RU")] + ["dont_know"]
            check_values(doc, ("facts", fid), values, allowed, f"answer of '{fid}'", {})
        lexicon[code] = parsed
    doc = loader.doc("lexicon/places.yaml", required=False)
    places = loader.model(doc, PlacesFile)
    if doc is not None and places is not None:
        seen_places: dict[str, Loc] = {}
        check_values(doc, "home", places.home, countries, "home country", seen_places)
        check_list(doc, ("russia",), places.russia, seen_places)
        check_list(doc, ("occupied",), places.occupied, seen_places)
    return lexicon, places


def _load_intents(loader: _Loader, langs: LanguagesFile) -> IntentsFile | None:
    """rules/lexicon/intents.yaml (optional): per language, the words of each family (urgency, a
    contract signed, a request for a person, a question about the bot). Known languages and
    families only; no pattern twice in one language; every urgency family in every language."""
    from bot.engine.models import INTENT_FAMILIES, URGENT_FAMILIES

    doc = loader.doc("lexicon/intents.yaml", required=False)
    parsed = loader.model(doc, IntentsFile)
    if doc is None or parsed is None:
        return None
    for code, families in parsed.languages.items():
        if code not in langs.languages:
            loader.err(doc, ("languages", code), f"unknown language '{code}' (languages: {', '.join(langs.languages)})")
            continue
        seen: dict[str, str] = {}
        for family, items in families.items():
            if family not in INTENT_FAMILIES:
                loader.err(doc, ("languages", code, family), f"unknown family '{family}' (families: {', '.join(INTENT_FAMILIES)})")
                continue
            for i, item in enumerate(items):
                key = " ".join(item.lower().split())
                if not key.strip("*~ "):
                    loader.err(doc, ("languages", code, family, i), "empty pattern")
                elif key in seen:
                    loader.err(doc, ("languages", code, family, i), f"\"{item}\" is listed twice (also under {seen[key]})")
                else:
                    seen[key] = family
    for code in langs.languages:
        missing = [f for f in URGENT_FAMILIES + ("signed", "person") if not parsed.languages.get(code, {}).get(f)]
        if missing:
            loader.warn(doc, ("languages",), f"no words for {', '.join(missing)} in {code}: such messages in {code} are not recognised")
    return parsed


def _version(rules_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(rules_dir.rglob("*.yaml")):
        digest.update(str(path.relative_to(rules_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
