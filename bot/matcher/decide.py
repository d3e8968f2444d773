"""Answer only when sure: the best topic must be confident and clearly ahead of the runner-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.matcher.index import OUT_OF_SCOPE, SMALL_TALK_PREFIX, QuestionIndex, Scored
from bot.matcher.langdetect import detect_language

# Chosen from the spread of scores on the rule files' own examples (leave-one-out), not on the
# test questions; see bench/tune_thresholds.py and README "Matcher quality".
CONFIDENT = 0.30
MARGIN = 0.045
SUGGEST = 0.17
SMALL_TALK = 0.30
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Classification:
    kind: Literal["match", "suggest", "small_talk", "none"]
    topics: tuple[Scored, ...] = ()  # the match, or suggestions
    small_talk: str | None = None
    lang: str = "ru"
    ranked: tuple[Scored, ...] = field(default=(), repr=False)


def classify(index: QuestionIndex, text: str) -> Classification:
    hit = index.search(text)
    lang = detect_language(text, hit.lang_votes)
    ranked = hit.ranked
    topics = [s for s in ranked if not s.label.startswith("_")]
    best = ranked[0]
    if best.label.startswith(SMALL_TALK_PREFIX):
        if best.score >= SMALL_TALK:
            return Classification("small_talk", small_talk=best.label[len(SMALL_TALK_PREFIX):], lang=lang, ranked=ranked)
        return Classification("none", lang=lang, ranked=ranked)
    if best.label == OUT_OF_SCOPE:
        return Classification("none", lang=lang, ranked=ranked)
    first, second = topics[0], topics[1] if len(topics) > 1 else Scored("", 0.0)
    if first.score >= CONFIDENT and first.score - second.score >= MARGIN:
        return Classification("match", (first,), lang=lang, ranked=ranked)
    suggestions = tuple(s for s in topics[:MAX_SUGGESTIONS] if s.score >= SUGGEST)
    if suggestions:
        return Classification("suggest", suggestions, lang=lang, ranked=ranked)
    return Classification("none", lang=lang, ranked=ranked)
