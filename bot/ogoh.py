"""Ogoh: the one object every face (CLI, REST API, Telegram bot, web page) asks.

It holds the current rule book and its question index as one immutable snapshot. A reload builds
a complete new snapshot and swaps a single reference, so a request sees either the old rules or
the new ones, never a mix; a broken reload keeps the last good snapshot serving.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Mapping

from bot.engine.assess import assess
from bot.engine.i18n import Localizer, resolve_language
from bot.engine.memo import cached_view
from bot.engine.problems import Problem, RuleBookError
from bot.engine.rulebook import RuleBook, load_rulebook
from bot.engine.summary import not_dont_sign
from bot.engine.views import (
    AskOut,
    AssessOut,
    FactsOut,
    MatchOut,
    SmallTalkOut,
    SuggestionOut,
    TopicDetailOut,
    TopicsOut,
    disclaimer,
    render_assessment,
    render_facts,
    render_topic,
    render_topic_detail,
    render_topic_summary,
    render_topics,
)
from bot.matcher.decide import classify, display_score
from bot.matcher.facts import extractor_for
from bot.matcher.langdetect import prior_language, reply_language, words_of
from bot.matcher.variants import with_keyboard_variants
from bot.matcher.situation import NOTHING as NO_SITUATION, situation_view
from bot.matcher.index import OUT_OF_SCOPE, SMALL_TALK_PREFIX, Example, QuestionIndex

log = logging.getLogger("ogoh")

MAX_QUESTION_CHARS = 1000


def error_place(exc: BaseException) -> str:
    """Where an exception was raised, as file:line of the innermost frame: logged instead of a
    traceback, whose frames could hold a user's words."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno} in {tb.tb_frame.f_code.co_name}"


class UnknownTopic(LookupError):
    pass


class QuestionTooLong(ValueError):
    pass


@dataclass(frozen=True)
class Snapshot:
    book: RuleBook
    index: QuestionIndex
    loaded_at: float


@dataclass(frozen=True)
class ReloadResult:
    status: Literal["reloaded", "unchanged", "failed"]
    version: str
    problems: tuple[Problem, ...] = ()


def build_index(book: RuleBook) -> QuestionIndex:
    examples: list[Example] = []
    for lang, ex in book.examples.items():
        for topic_id, questions in ex.topics.items():
            examples += [Example(q, topic_id, lang) for q in questions]
        for topic_id, keywords in ex.keywords.items():
            examples += [Example(k, topic_id, lang) for k in keywords]
        for kind, phrases in ex.small_talk.items():
            examples += [Example(p, SMALL_TALK_PREFIX + kind, lang) for p in phrases]
        examples += [Example(q, OUT_OF_SCOPE, lang) for q in ex.out_of_scope]
    examples = with_keyboard_variants(examples)  # Tajik ҷ and Uzbek ў typed on a Russian keyboard
    return QuestionIndex(examples, facts=extractor_for(book))  # stated facts are features too


def load_snapshot(rules_dir: Path, cache_dir: Path | None = None) -> Snapshot:
    """Build the snapshot, or read it from the on-disk cache when one was made from exactly these
    rule files by exactly this code (bot.core.cache). `cache_dir=None`: no cache."""
    from bot.core import cache

    key = cache.cache_key(rules_dir) if cache_dir is not None else ""
    cached = cache.read(cache_dir, key) if cache_dir is not None else None
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], RuleBook) and isinstance(cached[1], QuestionIndex):
        book, index = cached
    else:
        book = load_rulebook(rules_dir)
        index = build_index(book)
        if cache_dir is not None:
            cache.write(cache_dir, key, (book, index))
    snapshot = Snapshot(book, index, time.time())
    words_of(index)  # the reply language's word table (~80 ms), made now rather than on the first question
    _freeze_heap()
    return snapshot


def _freeze_heap() -> None:
    """The rule book and index live until the next reload: keep the cyclic garbage collector from
    walking them on every full collection (those pauses showed up as tail latency). Unfreeze first
    and collect, so a snapshot that is no longer referenced (the one a reload replaced, or a fresh
    one that turned out unchanged) is freed: the index holds reference cycles, and frozen objects
    are never collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def default_cache_dir() -> Path | None:
    """`OGOH_DATA_DIR/cache`; `OGOH_SNAPSHOT_CACHE=off` turns the cache off."""
    import os

    if os.environ.get("OGOH_SNAPSHOT_CACHE", "").lower() in ("0", "off", "false", "no"):
        return None
    from bot.settings import default_data_dir

    return default_data_dir() / "cache"


class Ogoh:
    def __init__(self, rules_dir: Path | str, cache_dir: Path | None | bool = True):
        self.rules_dir = Path(rules_dir)
        self.cache_dir: Path | None = default_cache_dir() if cache_dir is True else (cache_dir or None)
        self._snapshot = load_snapshot(self.rules_dir, self.cache_dir)
        self._reload_lock = threading.Lock()
        self.last_reload_error: tuple[Problem, ...] = ()
        self.last_reload_at: float | None = None

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    @property
    def book(self) -> RuleBook:
        return self._snapshot.book

    def reload(self) -> ReloadResult:
        with self._reload_lock:
            self.last_reload_at = time.time()
            try:
                fresh = load_snapshot(self.rules_dir, self.cache_dir)
            except RuleBookError as exc:
                self.last_reload_error = tuple(p for p in exc.problems if p.level == "error")
                log.error("rule reload failed; still serving %s: %s", self.book.version,
                          "; ".join(str(p) for p in self.last_reload_error[:5]))
                return ReloadResult("failed", self.book.version, self.last_reload_error)
            except Exception as exc:  # a bug must not take the last good rules down with it
                log.error("rule reload crashed (%s at %s); still serving %s", type(exc).__name__, error_place(exc), self.book.version)
                self.last_reload_error = (Problem(str(self.rules_dir), 1, f"internal error while loading: {type(exc).__name__}"),)
                return ReloadResult("failed", self.book.version, self.last_reload_error)
            self.last_reload_error = ()
            if fresh.book.version == self.book.version:
                del fresh
                _freeze_heap()
                return ReloadResult("unchanged", self.book.version)
            self._snapshot = fresh
            del fresh
            _freeze_heap()  # frees the replaced snapshot
            version = self._snapshot.book.version
            log.info("rules reloaded: version %s", version)
            return ReloadResult("reloaded", version)

    # --- answering -------------------------------------------------------------------------

    def language(self, requested: str | None, default: str = "ru") -> str:
        return resolve_language(self.book, requested, default)

    def ask(self, text: str, lang: str | None = None, prior: str | None = None, default: str = "ru",
            model: type[AskOut] = AskOut) -> AskOut:
        """Answer a free-text question. `lang` forces the reply language; else `prior` (the
        language the user chose, else Telegram's language_code) is kept unless the text is
        clearly in another language; without either it is detected, and a text with no evidence
        of any language gets `default`. `model`: the AskOut subclass to build (the service's, which
        adds what the reply leads with)."""
        if len(text) > MAX_QUESTION_CHARS:
            raise QuestionTooLong(f"the question is longer than {MAX_QUESTION_CHARS} characters")
        snap = self._snapshot
        book = snap.book
        result = classify(snap.index, text)
        if lang:
            reply_lang = resolve_language(book, lang)
        else:  # the prior kept unless the text clearly is in another language; no evidence: the default
            reply_lang = reply_language(snap.index, text, result, prior_language(book, prior), default)
        loc = Localizer(book, reply_lang)
        # The index's own extractor read this text a moment ago (its features): reuse that reading.
        situation = (getattr(snap.index, "facts", None) or extractor_for(book)).extract(text)
        matches: list[MatchOut] = []
        suggestions: list[SuggestionOut] = []
        small_talk = None
        message = None
        topics = []
        if result.kind == "match":
            for scored in result.topics:
                card = render_topic(book, loc, scored.label)  # made once per language: shared, read-only
                fields = dict(card)
                steps = list(card.steps)
                if situation.facts.get("contract_signed") == "yes":  # signed already: no "do not sign" (REVIEW8 item 4)
                    steps = not_dont_sign(book.topics[scored.label].actions, steps)
                fields.update(steps=steps, citations=list(card.citations), topic_severity=card.severity)
                matches.append(MatchOut.model_construct(**fields, topic_id=scored.label, score=display_score(scored.score)))
        elif result.kind == "small_talk" and result.small_talk:
            small_talk = SmallTalkOut(kind=result.small_talk, reply=loc.text(f"ui.smalltalk.{result.small_talk}"))
        else:
            for scored in result.topics:
                summary = render_topic_summary(book, loc, scored.label)
                suggestions.append(SuggestionOut(topic_id=scored.label, score=display_score(scored.score), title=summary.title, lang=summary.lang))
            message = loc.text("ui.suggestions") if suggestions else loc.text("ui.no_match")
            topics = [render_topic_summary(book, loc, tid) for tid in book.topics]
        as_of = {m.topic_id: m.as_of for m in matches}
        view = (
            cached_view(loc, "situation", (tuple(sorted(situation.facts.items())), situation.about),
                        lambda probe: situation_view(book, probe, situation.facts, situation.about))
            if situation.facts else NO_SITUATION)  # once per set of facts and language: real traffic repeats situations
        situation_summary, next_question = view.summary, view.next_question
        if view.as_of:  # the summary's topics too: every answer carries the dates it relied on (REVIEW_API #3)
            as_of = {**view.as_of, **as_of}
        if situation_summary is not None:  # one severity per risk in one answer: the person's, not the topic's in general
            personal = {r.topic_id: r for r in situation_summary.risks + situation_summary.good_to_know}
            matches = [m.model_copy(update={"severity": personal[m.topic_id].severity,
                                            "severity_label": personal[m.topic_id].severity_label, "personal": True})
                       if m.topic_id in personal else m for m in matches]
        named = (getattr(snap.index, "facts", None) or extractor_for(book)).countries_named(text) if matches or suggestions else []
        out = model(
            country_named=named[0] if len(named) == 1 else None,
            reply_lang=reply_lang, matches=matches, suggestions=suggestions, small_talk=small_talk,
            message=message, topics=topics, rules_version=book.version, as_of=as_of,
            facts=situation.facts, about=situation.about, summary=situation_summary, next_question=next_question, sources=view.sources,
            disclaimer=disclaimer(loc, list(as_of.values())), notices=loc.notices(),
        )
        if result.ranked:
            out._leading = (result.ranked[0].label, result.ranked[0].score)
        return out

    def assess(self, answers: Mapping[str, object], lang: str | None = None, about: str = "self") -> AssessOut:
        """`about="other"`: the answer speaks of the person the asker wrote about (summary.py)."""
        book = self.book
        return render_assessment(book, assess(book, answers), resolve_language(book, lang), about)

    def topics(self, lang: str | None = None) -> TopicsOut:
        book = self.book
        return render_topics(book, resolve_language(book, lang))

    def topic(self, topic_id: str, lang: str | None = None) -> TopicDetailOut:
        book = self.book
        if topic_id not in book.topics:
            raise UnknownTopic(topic_id)
        return render_topic_detail(book, topic_id, resolve_language(book, lang))

    def facts(self, lang: str | None = None, about: str = "self") -> FactsOut:
        book = self.book
        return render_facts(book, resolve_language(book, lang), about)
