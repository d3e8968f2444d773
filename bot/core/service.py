"""The service layer: the one async object every face (REST API, web page, Telegram bot, CLI)
calls. It owns

- the rules snapshot for a request (read once; a hot reload swaps the whole snapshot),
- callers, API keys and rate limits (counted in memory, shared through storage in batches),
- trend counting (batched, written in the background: never on the hot path),
- interview state (atomic updates: a double tap loses nothing),
- turning engine results into the view models faces render (bot.engine.views, bot.core.views).

Faces import from here (and bot.engine.views for the models), never from the engine's internals;
tests/test_architecture.py enforces it. Storage never blocks: see bot.core.store.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, cast

from bot.core.answers import add_answer, toggled
from pydantic import Field

from bot.core.cards import TopicCardOut, beside, topic_card
from bot.core.replies import LeadReply
from bot.core.store import AsyncStore, StateUpdate
from bot.core.views import LanguageOut, LanguagesOut, Ready, SourceOut, SourcesOut
from bot.engine.assess import InvalidAnswers
from bot.engine.coverage import coverage, stale_keys
from bot.engine.i18n import UZ_CYRILLIC, Localizer, UnknownLanguage, language_from_accept, resolve_language, supported_languages, uzbek_latin_to_cyrillic
from bot.engine.problems import RuleBookError
from bot.engine.rulebook import WEB_KEYS, RuleBook
from bot.engine.views import AskOut as EngineAskOut
from bot.engine.views import AssessOut, FactsOut, SmallTalkOut, TopicDetailOut, TopicsOut, disclaimer
from bot.ogoh import MAX_QUESTION_CHARS, Ogoh, QuestionTooLong, ReloadResult, Snapshot, UnknownTopic, error_place
from bot.storage import StoreUnavailable

log = logging.getLogger("ogoh.service")

WINDOW_SECONDS = 60
FLUSH_SECONDS = 1.0
PURGE_EVERY_SECONDS = 600
HELP_TOPIC = "get-help"

__all__ = [
    "Service", "Caller", "RateLimiter", "TrendCounter", "InvalidAnswers", "UnknownLanguage", "QuestionTooLong",
    "UnknownTopic", "RuleBookError", "StoreUnavailable", "MAX_QUESTION_CHARS", "HELP_TOPIC", "Localizer", "error_place", "WEB_KEYS",
    "Ogoh", "resolve_language", "check_rules", "quiet_logging", "TopicCardOut", "AskOut", "LeadReply",
]


class AskOut(EngineAskOut):
    """The answer to a typed question as every face gets it from the service (`Service.ask`,
    `POST /v1/ask`, `ogoh ask --json`): the engine's answer plus the reply that leads with what
    the message needs (bot.core.replies.lead_reply, the function the bot and the web page lead
    with; REVIEW_API #2)."""

    lead: LeadReply | None = Field(None, description=(
        "what the reply leads with when the message needs more than a topic (`attention`), exactly as the bot and the "
        "web page lead: `kind` urgent (detained, forced, taken, a relative missing, SOS), signed (a contract already "
        "signed), person (asks for a person), out_of_scope; `lead` the opening line, `steps` what to do now (from "
        "`card`'s topic: `card.citations` back them), `card.contacts` whom to call, `card.id` the topic it points to, "
        "`also` another topic the message matched. null: the message needs nothing beyond its topic"))


def iso_week(day: dt.date | None = None) -> str:
    year, week, _ = (day or dt.date.today()).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Caller:
    key_id: str | None  # None: anonymous (no key, or a key that is not valid)
    bucket: str
    invalid_key: bool = False  # a key was sent but is unknown or revoked


class RateLimiter:
    """Fixed one-minute windows, counted in this process's memory (no I/O per request) and
    added up across replicas through storage about once a second: a replica knows the other
    replicas' counts at most a second late. Storage down: counting goes on locally."""

    def __init__(self, store: AsyncStore | None, window: int = WINDOW_SECONDS):
        self.store = store
        self.window = window
        self._counts: dict[tuple[str, int], list[int]] = {}  # (bucket, window) -> [unflushed, shared total]
        self.clock = time.time  # tests pin it, so that a window boundary cannot fall inside a test

    def hit(self, bucket: str, limit: int, now: float | None = None) -> float | None:
        """Count one request; seconds to wait when over `limit`, else None."""
        now = self.clock() if now is None else now
        window = int(now // self.window)
        entry = self._counts.get((bucket, window))
        if entry is None:
            entry = self._counts[(bucket, window)] = [0, 0]
        entry[0] += 1
        if entry[0] + entry[1] > limit:
            return (window + 1) * self.window - now
        return None

    async def flush(self) -> None:
        current = int(self.clock() // self.window)
        for key in [k for k in self._counts if k[1] < current - 1]:
            del self._counts[key]
        if self.store is None:
            return
        for (bucket, window), entry in list(self._counts.items()):
            pending = entry[0]
            if pending == 0 and window != current:
                continue
            try:
                total = await self.store.add_hits(bucket, window, pending, self.window)
            except StoreUnavailable:
                return  # keep counting locally; try again next time
            entry[0] -= pending
            entry[1] = total  # the shared total, our flushed hits included


class TrendCounter:
    """Anonymous counters (topic or finding, language, channel, week), added up in memory and
    written in one batch a second (and at shutdown). No ids, no text."""

    def __init__(self, store: AsyncStore | None):
        self.store = store
        self.pending: Counter[tuple[str, str, str, str]] = Counter()

    def add(self, names: Iterable[str], lang: str, channel: str) -> None:
        week = iso_week()
        for name in names:
            self.pending[(name, week, lang, channel)] += 1

    async def flush(self) -> None:
        if not self.pending or self.store is None:
            return
        batch, self.pending = self.pending, Counter()
        try:
            await self.store.count_many(dict(batch))
        except StoreUnavailable:
            log.warning("trend counters not stored yet: storage unavailable")
            self.pending.update(batch)


def language_label(book: RuleBook, code: str) -> str:
    """A language's own name; Uzbek Cyrillic is the Latin name transliterated, marked (кирилл)."""
    if code == UZ_CYRILLIC:
        return uzbek_latin_to_cyrillic(book.languages["uz"].name) + " (кирилл)"
    return book.languages[code].name


class Service:
    def __init__(self, ogoh: Ogoh, store: AsyncStore | None = None, *, rate_limit: int = 60, key_rate_limit: int = 600,
                 default_language: str = "ru", trusted_proxies: Iterable[str] = ()):
        self.ogoh = ogoh
        self.store = store
        self.rate_limit = rate_limit
        self.key_rate_limit = key_rate_limit
        self.default_language = default_language
        self.limiter = RateLimiter(store)
        self.trends = TrendCounter(store)
        self.telegram_status: str | None = None  # set by the Telegram face: ok, starting, unreachable
        self.dropped_updates = 0
        self._last_flush = time.monotonic()
        self._flushing: asyncio.Task[None] | None = None
        self._decisive: dict[tuple[str, str, str], bool] = {}  # Service.decisive, per rule book

    # --- the rules ------------------------------------------------------------------------------
    @property
    def snapshot(self) -> Snapshot:
        return self.ogoh.snapshot

    @property
    def book(self) -> RuleBook:
        return self.ogoh.book

    @property
    def version(self) -> str:
        return self.ogoh.book.version

    def reload(self) -> ReloadResult:
        return self.ogoh.reload()

    # --- languages and texts --------------------------------------------------------------------
    def languages_supported(self) -> list[str]:
        return supported_languages(self.book)

    def resolve_language(self, requested: str | None, default: str | None = None) -> str:
        return resolve_language(self.book, requested, default or self.default_language)

    def language_or_default(self, requested: str | None) -> str:
        """Never raises: an unknown language becomes the default."""
        try:
            return self.resolve_language(requested)
        except UnknownLanguage:
            return self.default_language

    def language_from_accept(self, header: str | None) -> str | None:
        """Best supported language of an Accept-Language header; "*" (any) is skipped, so
        "*, en" is English and "*" alone is the default."""
        if not header:
            return None
        parts = [p for p in header.split(",") if p.split(";")[0].strip() not in ("*", "")]
        return language_from_accept(self.book, ",".join(parts)) if parts else None

    def check_language(self, requested: str | None) -> str | None:
        """The API's `lang`: one of the codes its schema lists, written as BCP 47 allows (any
        case, a region or script subtag: "RU", "ru-RU", "uz-cyrl", "uz-Latn" -> uz, "kk_KZ"), as
        Accept-Language is read (REVIEW_API #11); None or "" when not given; else UnknownLanguage (a 422)."""
        if requested is None:
            return None
        if requested not in self.languages_supported() and not re.fullmatch(self.language_pattern(), requested):
            raise UnknownLanguage(requested, self.languages_supported())
        return resolve_language(self.book, requested, self.default_language)

    def language_pattern(self) -> str:
        """The `lang` codes as the API takes them (its OpenAPI `pattern`, and what check_language
        accepts besides the exact codes): a base code in any case, then subtags ("ru-RU", "uz-Latn",
        "uz-cyrl", "kk_KZ")."""
        bases = "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in code) for code in self.book.languages)
        return f"^(?:{bases})(?:[-_][A-Za-z0-9]{{1,8}})*$"

    def localizer(self, lang: str, book: RuleBook | None = None) -> Localizer:
        return Localizer(book or self.book, lang)

    def language_label(self, code: str, book: RuleBook | None = None) -> str:
        return language_label(book or self.book, code)

    def disclaimer(self, loc: Localizer, dates: list[dt.date] | None = None) -> str:
        return disclaimer(loc, dates or [])

    def is_topic(self, topic_id: str) -> bool:
        return topic_id in self.book.topics

    def is_fact(self, fact_id: str) -> bool:
        return fact_id in self.book.facts

    def topic_ids(self) -> list[str]:
        return list(self.book.topics)

    def fact_ids(self) -> list[str]:
        return list(self.book.facts)

    def closed_sets(self) -> dict[str, list[str]]:
        """The values of the API's closed-set fields, for its OpenAPI enums (REVIEW_API #13)."""
        from bot.engine.models import INTENT_FAMILIES, Severity

        texts = self.book.texts.get(self.book.source_language, {})
        return {"severity": [s.value for s in Severity], "attention": list(INTENT_FAMILIES) + ["out_of_scope"],
                "small_talk": [k.removeprefix("ui.smalltalk.") for k in texts if k.startswith("ui.smalltalk.")],
                "channel": ["api", "web", "bot", "inline"], "stats_kind": ["topic", "finding"]}

    def fact_options(self) -> dict[str, list[str]]:
        """fact id -> the answers it takes ("dont_know" always among them)."""
        return {fid: list(f.options) + ["dont_know"] for fid, f in self.book.facts.items()}

    # --- answers ----------------------------------------------------------------------------------
    def ask_now(self, text: str, lang: str | None = None, prior: str | None = None) -> AskOut:
        """`Ogoh.ask`, with what the message needs besides a topic (`attention`, bot.core.replies:
        every face leads the same way with it)."""
        from bot.core import replies

        out = cast(AskOut, self.ogoh.ask(text, lang, prior, self.default_language, model=AskOut))
        if out.summary is not None and self.understood(out):
            # the personal answer is the reply (the faces show "I understood" and it): `message`
            # says it in plain text, not "I can't answer that reliably" (REVIEW_API #14) nor "Maybe
            # you meant …" beside "3 serious risks" (REVIEW6 #7: the flagship; an NGO shows `message`)
            aid = None
            if not (out.summary.steps and out.summary.contacts):  # a step and a contact, as the bot and the web page give
                home = out.facts.get("home_country")
                aid = replies.first_aid(self, out.summary, out.matches[0].topic_id if out.matches else None, out.reply_lang,
                                        out.about, home if isinstance(home, str) else None)
            out = out.model_copy(update={"message": replies.summary_message(self.localizer(out.reply_lang), out.summary, aid)})
        att = replies.read(self, text, out)
        if not att.names and not replies.relative_at_war(out) and replies.penalty_country(out) is None:
            return out
        update: dict = {"attention": att.names}
        if att.out_of_scope and not out.matches:
            # the API and the CLI say what the bot and the web page say (REVIEW5 F7): outside what
            # Ogoh covers, not "I can't answer reliably"; who he is ("домой в ташкент") is no
            # situation to answer (F11): no personal answer of penalties beside it
            update["message"] = self.localizer(out.reply_lang).text("ui.out_of_scope")
            update["summary"] = None
        if att.privacy and not (att.wants_person or out.facts) and len(text.split()) <= replies.PRIVACY_WORDS:
            # "вы храните мои данные?": the privacy notice and how to delete, not the topic the
            # words resemble ("Work in occupied areas", REVIEW6 #11); the bot and the web page add theirs
            loc = self.localizer(out.reply_lang)
            update.update(matches=[], suggestions=[], message=None, topics=[], as_of={},
                          small_talk=SmallTalkOut(kind="privacy", reply=loc.text("ui.smalltalk.privacy")))
        elif att.about_bot and not (att.wants_person or out.facts) and len(text.split()) <= replies.ABOUT_BOT_WORDS:
            # "are you a lawyer?", "ты бот или человек": who answers, whatever topic the words resemble (R26)
            loc = self.localizer(out.reply_lang)
            update.update(matches=[], suggestions=[], message=None, topics=[], as_of={},
                          small_talk=SmallTalkOut(kind="who_are_you", reply=loc.text("ui.smalltalk.who_are_you")))
        out = out.model_copy(update=update)
        # what the bot and the web page lead with, from the one function that builds it; the API and
        # `ogoh ask --json` carry it (REVIEW_API #2). Only for a message that needs it: no cost otherwise.
        out.lead = replies.lead_reply(self, out, att)
        if out.lead is not None and out.lead.kind != "out_of_scope":
            out.message = None  # the lead is the reply: no face shows another text under "If this is happening now:"
        elif out.lead is not None and "message" in update:  # the lead's own line (the weather: not the wages list, REVIEW9 F8)
            out.message = "\n".join([out.lead.lead] + out.lead.steps)
        return out

    async def ask(self, text: str, lang: str | None = None, channel: str | None = None, prior: str | None = None) -> AskOut:
        """Answer a question; counted as a trend for `channel` (bot, web, api, inline)."""
        out = self.ask_now(text, lang, prior)
        if channel:
            self.count_topics([m.topic_id for m in out.matches], out.reply_lang, channel)
        return out

    def understood(self, out: EngineAskOut) -> dict[str, str]:
        """The facts a typed message states that the bot and the web page answer for ("I
        understood: …", issue 12 item 2): those the rules know, in the interview's order; none
        when the message is out of scope and states a single fact in passing ("the weather in
        Moscow" is not a situation), unless that fact alone changes the assessment (`decisive`:
        "ya iz Tadzhikistana prosto rabotayu" got "I cannot answer", REVIEW8 F5)."""
        if out.summary is None:
            return {}
        book = self.book
        facts = {fid: out.facts[fid] for fid in book.facts
                 if fid in out.facts and (out.facts[fid] in book.facts[fid].options or out.facts[fid] == "dont_know")}
        if len(facts) < 2 and not (out.matches or out.suggestions) and not any(self.decisive(f, v) for f, v in facts.items()):
            return {}
        return facts

    def decisive(self, fact_id: str, value: str) -> bool:
        """Whether one answer alone changes the personal answer: its findings or what it shows
        ("я из Таджикистана, просто работаю": Tajikistan's penalty and that a foreigner cannot be
        called up; "мне пришла повестка": the call-up rules, with "if", REVIEW8 F5) differ from
        those of no answers, unlike where he is ("в Москве" alone: no rule holds on it). A message
        stating such a fact states a situation, even with no topic matched. Once per rule book,
        fact and answer."""
        book = self.book
        key = (book.version, fact_id, value)
        found = self._decisive.get(key)
        if found is None:
            def shown(answers: dict[str, str]) -> tuple[set[str], set[str]]:
                out = self.ogoh.assess(answers, book.source_language)
                items = out.summary.risks + out.summary.good_to_know if out.summary is not None else []
                return {f.rule_id for f in out.findings}, {i for r in items for i in r.rule_ids}

            try:
                found = shown({fact_id: value}) != shown({})
            except InvalidAnswers:
                found = False
            if len(self._decisive) > 4096:
                self._decisive.clear()
            self._decisive[key] = found
        return found

    def questions_left(self, answers: Mapping[str, str]) -> int:
        """How many questions can still be asked with these answers (the bot's "3/8" progress)."""
        from bot.engine.assess import askable

        book = self.book
        return sum(1 for fact_id in book.facts if askable(book, fact_id, answers))

    def assess_now(self, answers: Mapping[str, object], lang: str | None = None, about: str = "self") -> AssessOut:
        return self.ogoh.assess(answers, lang, about) if about == "other" else self.ogoh.assess(answers, lang)

    async def assess(self, answers: Mapping[str, object], lang: str | None = None, channel: str | None = None,
                     about: str = "self") -> AssessOut:
        """`about="other"`: about someone else ("my brother …"): the summary and the next question
        speak of that person (one function for every face: bot.engine.summary)."""
        out = self.assess_now(answers, lang, about)
        if channel:
            self.count_findings(out, channel)
        return out

    def topics(self, lang: str | None = None) -> TopicsOut:
        return self.ogoh.topics(lang)

    def topic(self, topic_id: str, lang: str | None = None) -> TopicDetailOut:
        return self.ogoh.topic(topic_id, lang)

    def topic_card(self, topic_id: str, lang: str | None = None, about: str = "self", home: str | None = None,
                   contact_for: str = "topic", signed: bool = False) -> TopicCardOut:
        """A topic's short card (bot.core.cards), the one every face shows first: title, the
        answer's first sentences, 3 steps, one contact; the rest and the sources one tap away.
        `about="other"`: the message was about someone else; `home`: the home country it stated
        (it picks the contact); `contact_for="home"`: the home country's contact, not the
        topic's own (an urgent reply); `signed`: a contract already signed (no "do not sign")."""
        book = self.book
        if topic_id not in book.topics:
            raise UnknownTopic(topic_id)
        loc = Localizer(book, resolve_language(book, lang))
        card = topic_card(book, loc, topic_id, about, home, contact_for, signed)
        return card.model_copy(update={"notices": loc.notices()})

    def match_cards(self, out: EngineAskOut, first: int | None = None, personal: bool = False) -> list[TopicCardOut]:
        """The cards of a typed question's matches (the `first` ones), best first, for the person
        it was about; each with the reply's notices. `personal`: shown beside the personal answer
        (`out.summary`, the face shows it): without the steps it already shows (`card_beside`)."""
        stated = out.facts.get("home_country")
        home = stated if stated not in (None, "dont_know") else out.country_named  # stated, else the country the text names
        # no "do not sign" beside a signed contract: the fact, or the words ("I signed a contract yesterday")
        signed = out.facts.get("contract_signed") == "yes" or "signed" in out.attention
        cards = [self.topic_card(m.topic_id, out.reply_lang, out.about, home, signed=signed) for m in out.matches[:first]]
        if personal and out.summary is not None:
            cards = [self.card_beside(c, out.summary) for c in cards]
        return [c.model_copy(update={"notices": list(dict.fromkeys(out.notices + c.notices))}) for c in cards]

    def card_beside(self, card: TopicCardOut, summary: Any) -> TopicCardOut:
        """`card` shown beside the personal answer `summary`: without a step whose every action
        (rules.yaml `actions`) one of the answer's steps already does (bot.core.cards.beside)."""
        said = {a for acts in summary.step_actions for a in acts}
        return beside(self.book, Localizer(self.book, resolve_language(self.book, card.lang)), card, said) if said else card

    def match_card(self, out: EngineAskOut) -> TopicCardOut | None:
        """The card of a typed question's best match (None: no confident match)."""
        return next(iter(self.match_cards(out, 1)), None)

    def facts(self, lang: str | None = None, about: str = "self") -> FactsOut:
        """The questions; `about="other"`: asked about the person the asker wrote about."""
        return self.ogoh.facts(lang, about) if about == "other" else self.ogoh.facts(lang)

    def todo(self, out: AssessOut, lang: str) -> list[TopicDetailOut]:
        """What to do now after an interview: every topic its findings belong to, else where to
        get help (one place for the web page and the bot)."""
        ids = list(dict.fromkeys(f.topic_id for f in out.findings)) or [HELP_TOPIC]
        return [self.ogoh.topic(tid, lang) for tid in ids]

    def sources(self) -> SourcesOut:
        book = self.book
        items = [SourceOut(id=sid, title=s.title, title_kind=s.title_kind, publisher=s.publisher, date=s.date, date_note=getattr(s, "date_note", None),
                           url=s.url, url_note=getattr(s, "url_note", None), last_checked=s.last_checked.isoformat(),
                           local_copy=s.local_copy.file if s.local_copy else None) for sid, s in book.sources.items()]
        return SourcesOut(rules_version=book.version, sources=items)

    def languages(self) -> LanguagesOut:
        """Every language `lang` takes (REVIEW_API #10): Uzbek Cyrillic after Uzbek, made from it
        (its counts are Uzbek's); the source language is no translation (no unreviewed count)."""
        book = self.book
        rows: list[LanguageOut] = []
        for c in coverage(book):
            source = c.code == book.source_language
            row = LanguageOut(**c.model_dump(exclude={"missing_keys", "stale_keys"}), source=source)
            if source:
                row.unreviewed = 0
            rows.append(row)
            if c.code == "uz" and UZ_CYRILLIC in self.languages_supported():
                rows.append(row.model_copy(update={"code": UZ_CYRILLIC, "name": self.language_label(UZ_CYRILLIC), "made_from": "uz"}))
        return LanguagesOut(rules_version=book.version, source_language=book.source_language, languages=rows)

    def preview(self) -> dict[str, Any]:
        """Every topic and interview question in every language, each cell with its status
        (missing, stale, unreviewed): the translators' side-by-side page."""
        book = self.book
        codes = [book.source_language] + [c for c in book.languages if c != book.source_language]
        stale = {code: set(stale_keys(book, code)) for code in codes}
        localizers = {code: Localizer(book, code) for code in codes}

        def cell(code: str, key: str) -> dict[str, Any]:
            entry = book.texts.get(code, {}).get(key)
            if entry is None or not entry.text.strip():
                try:
                    text, shown = localizers[code].lookup(key)
                except KeyError:
                    text, shown = "", ""
                return {"text": text, "marks": ["missing"], "shown": shown}
            marks = (["stale"] if key in stale[code] else []) + ([] if entry.reviewed else ["unreviewed"])
            return {"text": entry.text, "marks": marks, "shown": code}

        def rows(keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
            return [{"key": key, "label": label, "cells": [cell(code, key) for code in codes]} for label, key in keys]

        items = []
        for tid in book.topics:
            items.append({"kind": "topic", "id": tid, "rows": rows([(part, f"topic.{tid}.{part}") for part in ("title", "answer", "steps")])})
        for fid, fact in book.facts.items():
            keys = [("question", f"fact.{fid}.question"), ("label", f"fact.{fid}.label")]
            keys += [(f"option {o}", f"fact.{fid}.option.{o}") for o in fact.options]
            items.append({"kind": "question", "id": fid, "rows": rows(keys)})
        return {"codes": codes, "names": {c: book.languages[c].name for c in codes}, "items": items,
                "coverage": coverage(book), "version": book.version}

    # --- trends -----------------------------------------------------------------------------------
    def count_topics(self, topic_ids: list[str], lang: str, channel: str) -> None:
        self.trends.add([f"topic:{t}" for t in topic_ids], lang, channel)
        self._maybe_flush()

    def count_findings(self, out: AssessOut, channel: str) -> None:
        if out.complete:  # each finished interview once, not every step of it
            self.trends.add([f"finding:{f.rule_id}" for f in out.findings], out.lang, channel)
            self._maybe_flush()

    # --- callers and limits ---------------------------------------------------------------------
    async def identify(self, secret: str | None, client: str) -> Caller:
        """The caller's bucket. A key that is unknown or revoked is never better than no key: the
        caller is anonymous (limited per client) and marked `invalid_key`. StoreUnavailable when
        a key was sent and cannot be checked."""
        if secret is not None:
            if not secret or self.store is None:
                return Caller(None, "ip:" + self._hash("ip", client), invalid_key=True)
            key = await self.store.find_key(secret)
            if key is not None and not key.revoked:
                return Caller(key.id, f"key:{key.id}")
            return Caller(None, "ip:" + self._hash("ip", client), invalid_key=True)
        return Caller(None, "ip:" + self._hash("ip", client))

    def _hash(self, kind: str, value: str | int) -> str:
        return self.store.hash_id(kind, value) if self.store is not None else f"{kind}-{value}"

    def hash_id(self, kind: str, value: str | int) -> str:
        return self._hash(kind, value)

    def over_limit(self, caller: Caller, limit: int | None = None) -> float | None:
        if limit is None:
            limit = self.key_rate_limit if caller.key_id else self.rate_limit
        wait = self.limiter.hit(caller.bucket, limit)
        self._maybe_flush()
        return wait

    def limit_for(self, caller: Caller) -> int:
        return self.key_rate_limit if caller.key_id else self.rate_limit

    # --- interview state --------------------------------------------------------------------------
    async def state(self, user: str) -> dict:
        if self.store is None:
            return {}
        try:
            return await self.store.get_state(user) or {}
        except StoreUnavailable:
            log.warning("state unavailable")
            return {}

    async def update_state(self, user: str, fn: StateUpdate) -> dict:
        """Atomic read-modify-write; with storage down, the update is applied to {} and lost."""
        if self.store is None:
            return fn({}) or {}
        try:
            return await self.store.update_state(user, fn) or {}
        except StoreUnavailable:
            log.warning("state not saved: storage unavailable")
            return fn({}) or {}

    async def set_language(self, user: str, lang: str) -> dict:
        return await self.update_state(user, lambda s: {**s, "lang": lang})

    async def start_interview(self, user: str) -> dict:
        return await self.update_state(user, lambda s: {**s, "answers": {}, "history": [], "about": "self"})

    def add_answer(self, answers: Mapping[str, Any], fact_id: str, value: str | list[str]) -> dict[str, Any]:
        """The answers with one more applied (bot.core.answers.add_answer: every face's one way)."""
        return add_answer(self.book, answers, fact_id, value)

    def toggled(self, chosen: list[str], fact_id: str, value: str) -> list[str]:
        """A fact with several answers: the options ticked so far with `value` (un)ticked."""
        return toggled(self.book, chosen, fact_id, value)

    async def answer(self, user: str, fact_id: str, value: str | list[str]) -> tuple[dict, bool]:
        """Record one answer atomically. False when it was already answered (a second tap on the
        same button, or a button from an old message): nothing changes."""
        applied = False

        def apply(state: dict) -> dict | None:
            nonlocal applied
            answers = dict(state.get("answers", {}))
            if fact_id in answers or fact_id not in self.book.facts:
                applied = False
                return None
            try:
                answers = add_answer(self.book, answers, fact_id, value)
            except ValueError:
                applied = False
                return None
            applied = True
            return {**state, "answers": answers, "history": list(state.get("history", [])) + [fact_id]}

        state = await self.update_state(user, apply)
        return state, applied

    async def back(self, user: str) -> dict:
        def apply(state: dict) -> dict | None:
            history = list(state.get("history", []))
            if not history:
                return None
            answers = dict(state.get("answers", {}))
            answers.pop(history.pop(), None)
            return {**state, "answers": answers, "history": history}

        return await self.update_state(user, apply)

    async def forget(self, user: str) -> None:
        if self.store is not None:
            try:
                await self.store.delete_state(user)
            except StoreUnavailable:
                log.warning("forget: storage unavailable")

    def assess_interview(self, state: dict, lang: str) -> AssessOut:
        """The interview's current assessment; answers the rules no longer accept (a fact or option
        removed by a reload) start it over."""
        about = "other" if state.get("about") == "other" else "self"  # the check goes on for that person
        try:
            return self.assess_now(state.get("answers", {}), lang, about)
        except InvalidAnswers:
            state["answers"], state["history"] = {}, []
            return self.ogoh.assess({}, lang)

    # --- sent messages (for /clear) -------------------------------------------------------------
    async def remember_message(self, chat: str, message_id: int) -> None:
        if self.store is None:
            return
        try:
            await self.store.add_message(chat, message_id)
        except StoreUnavailable:
            log.warning("message id not recorded: storage unavailable")

    async def sent_messages(self, chat: str) -> list[int]:
        if self.store is None:
            return []
        try:
            return await self.store.messages(chat)
        except StoreUnavailable:
            return []

    async def forget_messages(self, chat: str) -> None:
        if self.store is not None:
            try:
                await self.store.forget_messages(chat)
            except StoreUnavailable:
                pass

    # --- stats ------------------------------------------------------------------------------------
    async def stats_rows(self) -> list[tuple[str, str, str, str, int]]:
        await self.flush()
        if self.store is None:
            return []
        return await self.store.counts()

    # --- health -----------------------------------------------------------------------------------
    async def storage_status(self) -> str:
        if self.store is None:
            return "ok"
        try:
            await self.store.ping()
            return "ok"
        except StoreUnavailable as exc:
            return f"unavailable: {exc}"

    async def ready(self, detailed: bool) -> Ready:
        storage = await self.storage_status()
        snap = self.ogoh.snapshot
        errors = [str(p) for p in self.ogoh.last_reload_error]
        ok = storage == "ok" and self.telegram_status in (None, "ok")
        if not detailed:
            storage = "ok" if storage == "ok" else "unavailable"
            errors = [f"{len(errors)} error(s); details for API key holders and in the log"] if errors else []
        return Ready(status="ok" if ok else "degraded", rules_version=snap.book.version, rules_loaded_at=snap.loaded_at,
                     last_reload_error=errors, storage=storage, telegram=self.telegram_status)

    # --- background work ------------------------------------------------------------------------
    def _maybe_flush(self) -> None:
        """Write batched counters about once a second, in a task of its own (never awaited by a
        request). Also works without the background loop (e.g. tests without a lifespan)."""
        now = time.monotonic()
        if now - self._last_flush < FLUSH_SECONDS or (self._flushing is not None and not self._flushing.done()):
            return
        self._last_flush = now
        try:
            self._flushing = asyncio.get_running_loop().create_task(self.flush())
        except RuntimeError:
            pass  # no event loop (a synchronous caller): the next flush will carry them

    async def flush(self) -> None:
        await self.trends.flush()
        await self.limiter.flush()

    async def run_background(self, watch_rules: bool, interval: float) -> None:
        """Flush counters every second, purge expired rows every ten minutes, watch the rules."""
        signature = rules_signature(self.ogoh.rules_dir) if watch_rules else None
        last_purge = 0.0
        last_watch = time.monotonic()
        while True:
            await asyncio.sleep(min(FLUSH_SECONDS, interval))
            try:
                await self.flush()
            except Exception as exc:  # noqa: BLE001 - the loop must survive anything
                log.error("flush failed: %s at %s", type(exc).__name__, error_place(exc))
            if self.store is not None and time.monotonic() - last_purge > PURGE_EVERY_SECONDS:
                last_purge = time.monotonic()
                try:
                    await self.store.purge_expired()
                except StoreUnavailable:
                    log.warning("purge skipped: storage unavailable")
            if watch_rules and time.monotonic() - last_watch >= interval:
                last_watch = time.monotonic()
                try:
                    current = rules_signature(self.ogoh.rules_dir)
                except OSError:
                    continue  # a file vanished mid-edit; look again next time
                if current != signature:
                    signature = current
                    await asyncio.to_thread(self.ogoh.reload)

    async def close(self) -> None:
        try:
            await self.flush()
        except Exception as exc:  # noqa: BLE001
            log.error("final flush failed: %s", type(exc).__name__)


def check_rules(rules_dir: Path) -> tuple[list[Any], int, int]:
    """`ogoh check`: every problem of the rule files with file:line, and the error and warning
    counts (the full loader with line numbers, never the snapshot cache)."""
    from bot.engine.rulebook import load_rulebook

    try:
        book = load_rulebook(rules_dir)
    except RuleBookError as exc:
        problems = list(exc.problems)
    else:
        # The phrase tests of the word lists (rules/lexicon/tests): a wrong word fails a phrase.
        from bot.matcher.phrases import check_phrases

        problems = sorted(list(book.warnings) + check_phrases(book))
    return problems, sum(p.level == "error" for p in problems), sum(p.level == "warning" for p in problems)


class _NoTraceback(logging.Formatter):
    """Log lines never carry a traceback (its frames could hold a user's words): an exception
    is shown as its type and the place it was raised."""

    def format(self, record: logging.LogRecord) -> str:
        exc = record.exc_info[1] if record.exc_info else None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        line = super().format(record)
        return f"{line} [{type(exc).__name__} at {error_place(exc)}]" if exc is not None else line


def quiet_logging(level: int = logging.INFO) -> None:
    """The log format of `ogoh serve` and `ogoh telegram`: no tracebacks anywhere (uvicorn's
    "Exception in ASGI application", asyncio's "Task exception was never retrieved" included)."""
    handler = logging.StreamHandler()
    handler.setFormatter(_NoTraceback("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "telegram", "httpx"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def rules_signature(rules_dir: Path) -> tuple:
    """Cheap fingerprint of the rule files, to notice edits without reading them."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in rules_dir.rglob("*.yaml")))
