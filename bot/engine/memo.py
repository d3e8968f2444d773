"""Per-rule-book memos: what the engine renders the same way for every request (a text looked up in
a language, a topic card, the summary for a set of facts) is made once per rule book and language.

A memo belongs to one RuleBook object and dies with it: a reload makes a new book, so it starts
empty and nothing of the old rules can be served. Nothing here is keyed by a user's text: keys are
languages, text keys, topic ids and sets of facts (real traffic repeats situations, not texts).

A cached view records the notices its rendering raised (texts shown in a fallback language, texts
not reviewed) and replays them into the asking Localizer, so a reply's `notices` are the same as
when it was rendered afresh. Cached objects are shared between requests: read them, never change
them.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Callable, Hashable, TypeVar

if TYPE_CHECKING:
    from bot.engine.i18n import Localizer

T = TypeVar("T")

# Views kept per kind before the kind is emptied (fact combinations are many in theory; texts,
# topics and questions are bounded by the rule files).
MAX_ENTRIES = 4096

_MEMOS: dict[int, dict[str, dict[Hashable, Any]]] = {}


def memo(book: object, kind: str) -> dict[Hashable, Any]:
    """The memo of one kind for this rule book (created on first use, dropped with the book)."""
    key = id(book)
    kinds = _MEMOS.get(key)
    if kinds is None:
        kinds = _MEMOS[key] = {}
        weakref.finalize(book, _MEMOS.pop, key, None)
    found = kinds.get(kind)
    if found is None:
        found = kinds[kind] = {}
    return found


def cached_view(loc: "Localizer", kind: str, key: Hashable, build: Callable[["Localizer"], T]) -> T:
    """`build(loc)`, made once per (rule book, reply language, kind, key); the notices it raised
    are replayed into `loc` on every use."""
    from bot.engine.i18n import Localizer

    store = memo(loc.book, kind)
    full_key = (loc.lang, key)
    hit = store.get(full_key)
    if hit is None:
        probe = Localizer(loc.book, loc.lang)
        value = build(probe)
        hit = (value, frozenset(probe.fallbacks), probe.unreviewed)
        if len(store) >= MAX_ENTRIES:
            store.clear()
        store[full_key] = hit
    value, fallbacks, unreviewed = hit
    if fallbacks:
        loc.fallbacks.update(fallbacks)
    if unreviewed:
        loc.unreviewed = True
    return value  # type: ignore[no-any-return]


def forget(book: object) -> None:
    """Drop this rule book's memos (tests compare a fresh render with a memoised one)."""
    _MEMOS.pop(id(book), None)
