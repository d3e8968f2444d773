"""Answer only when sure: the best topic must be confident and clearly ahead of the runner-up."""

from __future__ import annotations

import json
import math
from pathlib import Path
from dataclasses import dataclass, field
from typing import Literal

from bot.matcher.index import OUT_OF_SCOPE, SMALL_TALK_PREFIX, QuestionIndex, Scored
from bot.matcher.langdetect import detect_language

# Thresholds on the SVM's decision values and on similarity, every one chosen by cross-validation
# on the rule files' own examples (bench/tune_thresholds.py writes thresholds.json), never on the
# labelled test questions or the blind sets.
_TUNED = json.loads((Path(__file__).with_name("thresholds.json")).read_text(encoding="utf-8"))
CONFIDENT = float(_TUNED["CONFIDENT"])  # the best topic's decision value must reach this ...
MARGIN = float(_TUNED["MARGIN"])  # ... and beat the second topic by this much
SUGGEST = float(_TUNED["SUGGEST"])  # topics at least this likely are offered as suggestions
SMALL_TALK = float(_TUNED["SMALL_TALK"])
UNLIKE_ANYTHING = float(_TUNED["UNLIKE_ANYTHING"])  # cosine to the nearest example below this: we know nothing like it
MAX_SUGGESTIONS = 3


def display_score(decision: float) -> float:
    """A 0..1 number for people (monotonic in the decision value; not a probability)."""
    return round(1 / (1 + math.exp(-3 * decision)), 4)


@dataclass(frozen=True)
class Classification:
    kind: Literal["match", "suggest", "small_talk", "none"]
    topics: tuple[Scored, ...] = ()  # the match, or suggestions
    small_talk: str | None = None
    lang: str = "ru"
    ranked: tuple[Scored, ...] = field(default=(), repr=False)
    votes: dict[str, float] = field(default_factory=dict, repr=False)  # language -> resemblance


def classify(index: QuestionIndex, text: str) -> Classification:
    hit = index.search(text)
    lang = detect_language(text, hit.lang_votes)
    ranked = hit.ranked
    if hit.nearest < UNLIKE_ANYTHING:
        return Classification("none", lang=lang, ranked=ranked, votes=hit.lang_votes)
    topics = [s for s in ranked if not s.label.startswith("_")]
    best = ranked[0]
    if index.only_small_talk_words(text):
        kind = next(s.label for s in ranked if s.label.startswith(SMALL_TALK_PREFIX))
        return Classification("small_talk", small_talk=kind[len(SMALL_TALK_PREFIX):], lang=lang, ranked=ranked, votes=hit.lang_votes)
    if best.label.startswith(SMALL_TALK_PREFIX):
        if best.score >= SMALL_TALK:
            return Classification("small_talk", small_talk=best.label[len(SMALL_TALK_PREFIX):], lang=lang, ranked=ranked, votes=hit.lang_votes)
        return Classification("none", lang=lang, ranked=ranked, votes=hit.lang_votes)
    if best.label == OUT_OF_SCOPE:
        return Classification("none", lang=lang, ranked=ranked, votes=hit.lang_votes)
    first = topics[0]
    second = topics[1] if len(topics) > 1 else Scored("", -math.inf)
    if first.score >= CONFIDENT and first.score - second.score >= MARGIN:
        return Classification("match", (first,), lang=lang, ranked=ranked, votes=hit.lang_votes)
    suggestions = tuple(s for s in topics[:MAX_SUGGESTIONS] if s.score >= SUGGEST)
    if suggestions:
        return Classification("suggest", suggestions, lang=lang, ranked=ranked, votes=hit.lang_votes)
    return Classification("none", lang=lang, ranked=ranked, votes=hit.lang_votes)
