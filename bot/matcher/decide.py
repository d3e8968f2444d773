"""Answer only when sure: the best topic must be confident, clearly ahead of the runner-up and
clearly ahead of "out of scope" (a near miss such as "how do I renew my patent" scores close to a
risk topic, and then it is no answer rather than a wrong one)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from dataclasses import dataclass, field
from typing import Literal, Mapping, Sequence

from bot.matcher.index import ADDRESS_WORDS, OUT_OF_SCOPE, SMALL_TALK_PREFIX, QuestionIndex, Scored
from bot.matcher.normalize import fold
from bot.matcher.langdetect import detect_language, words_of

# Thresholds on the SVM's decision values and on similarity, every one chosen by
# bench/tune_thresholds.py (cross-validation on the rule files' own examples plus the development
# questions in tests/data/questions and tests/data/dev), never on the blind sets.
_TUNED = json.loads((Path(__file__).with_name("thresholds.json")).read_text(encoding="utf-8"))
THRESHOLDS: dict[str, float] = {k: float(v) for k, v in _TUNED.items() if isinstance(v, (int, float))}
THRESHOLDS.setdefault("OUT_MARGIN", -math.inf)
CONFIDENT = THRESHOLDS["CONFIDENT"]  # the best topic's decision value must reach this ...
MARGIN = THRESHOLDS["MARGIN"]  # ... and beat the second topic by this much ...
OUT_MARGIN = THRESHOLDS["OUT_MARGIN"]  # ... and the out-of-scope label by this much
SUGGEST = THRESHOLDS["SUGGEST"]  # topics at least this likely are offered as suggestions
SMALL_TALK = THRESHOLDS["SMALL_TALK"]
UNLIKE_ANYTHING = THRESHOLDS["UNLIKE_ANYTHING"]  # cosine to the nearest example below this: we know nothing like it
MAX_SUGGESTIONS = 3
# Words that address someone ("brat", "ака") say nothing about the kind of small talk; "bot" does
# ("ты бот?" asks who we are), so it is kept.
_ADDRESS_ONLY = ADDRESS_WORDS - frozenset(fold("bot бот bota ботка").split())

Kind = Literal["match", "suggest", "small_talk", "none"]


def display_score(decision: float) -> float:
    """A 0..1 number for people (monotonic in the decision value; not a probability)."""
    return round(1 / (1 + math.exp(-3 * decision)), 4)


def decide(ranked: Sequence[Scored], nearest: float, only_small_talk: bool, t: Mapping[str, float] = THRESHOLDS) -> tuple[Kind, str | None]:
    """The decision from the scores alone (the tuning script calls this very function): the kind,
    and the matched topic or the kind of small talk."""
    if nearest < t["UNLIKE_ANYTHING"]:
        return "none", None
    if only_small_talk:
        return "small_talk", next((s.label for s in ranked if s.label.startswith(SMALL_TALK_PREFIX)), None)
    best = ranked[0]
    if best.label.startswith(SMALL_TALK_PREFIX):
        return ("small_talk", best.label) if best.score >= t["SMALL_TALK"] else ("none", None)
    if best.label == OUT_OF_SCOPE:
        return "none", None
    topics = [s for s in ranked if not s.label.startswith("_")]
    first = topics[0]
    second = topics[1] if len(topics) > 1 else Scored("", -math.inf)
    out = next((s.score for s in ranked if s.label == OUT_OF_SCOPE), -math.inf)
    if first.score >= t["CONFIDENT"] and first.score - second.score >= t["MARGIN"] and first.score - out >= t.get("OUT_MARGIN", -math.inf):
        return "match", first.label
    return "suggest", None


@dataclass(frozen=True)
class Classification:
    kind: Kind
    topics: tuple[Scored, ...] = ()  # the match, or suggestions
    small_talk: str | None = None
    lang: str = "ru"
    ranked: tuple[Scored, ...] = field(default=(), repr=False)
    votes: dict[str, float] = field(default_factory=dict, repr=False)  # language -> resemblance


def classify(index: QuestionIndex, text: str) -> Classification:
    hit = index.search(text)
    lang = detect_language(text, hit.lang_votes, table=words_of(index))  # words only one language uses
    ranked = hit.ranked
    if not any(ch.isalpha() for ch in text):
        # "1", "10", "?": a menu number or a stray key says nothing about a topic
        return Classification("none", lang=lang, ranked=ranked, votes=hit.lang_votes)
    only_small_talk = index.only_small_talk_words(text)
    kind, label = decide(ranked, hit.nearest, only_small_talk)
    if kind == "small_talk" and only_small_talk:
        # "salam brat", "салом ака": the kind from the words without the address ("brat" and "ака"
        # come with thanks as often as with greetings, and outvoted "salam")
        kept = [w for w in fold(text).split() if w not in _ADDRESS_ONLY]
        if kept and len(kept) < len(fold(text).split()):
            label = next((s.label for s in index.search(" ".join(kept)).ranked if s.label.startswith(SMALL_TALK_PREFIX)), label)
    if kind == "small_talk" and label:
        return Classification("small_talk", small_talk=label[len(SMALL_TALK_PREFIX):], lang=lang, ranked=ranked, votes=hit.lang_votes)
    if kind == "match":
        first = next(s for s in ranked if s.label == label)
        return Classification("match", (first,), lang=lang, ranked=ranked, votes=hit.lang_votes)
    if kind == "suggest":
        topics = [s for s in ranked if not s.label.startswith("_")]
        suggestions = tuple(s for s in topics[:MAX_SUGGESTIONS] if s.score >= SUGGEST)
        if suggestions:
            return Classification("suggest", suggestions, lang=lang, ranked=ranked, votes=hit.lang_votes)
    return Classification("none", lang=lang, ranked=ranked, votes=hit.lang_votes)
