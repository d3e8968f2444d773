"""What a message needs besides a topic: urgency (detained, forced, taken to the enlistment office,
a relative missing, "help, now"), a contract already signed, a request for a person, a question
about the bot itself ("are you a lawyer?"). The words are data: rules/lexicon/intents.yaml, per
language, patterns as in the facts lexicon (`word*`, `*word`, `a ~ b`), spelling folded so that
Cyrillic, Latin and translit meet; `ogoh check` checks the file. The text is read here and never
kept: only the names of the families found leave this module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from bot.engine.models import INTENT_FAMILIES, URGENT_FAMILIES
from bot.matcher.facts import WINDOW, Token, parse_pattern
from bot.matcher.normalize import fold

URGENT = frozenset(URGENT_FAMILIES)
QUESTION = "_question"  # the facts lexicon's question words (markers.question), read alongside
ASKABLE = frozenset({"forced", "drafted"})  # not happening now when asked about
_CLAUSES = re.compile(r"[.,;:!?…\n()«»\"“”„—–]+|\s-\s")
_KEY = 3  # patterns are filed under the first letters of their first word


@dataclass(frozen=True)
class _Pattern:
    sides: tuple[tuple[Token, ...], ...]
    family: str
    single: bool = False  # one word: found wherever `_starts` offers it, unless a negation precedes it


def _seq(tokens: tuple[Token, ...], words: list[str], i: int, skip: int = 0) -> bool:
    """`tokens` at word i; the first `skip` tokens are known to match already."""
    return i + len(tokens) <= len(words) and all(tokens[j].matches(words[i + j]) for j in range(skip, len(tokens)))


class IntentReader:
    """Finds the families a text shows. A family's words right after a negation ("меня не
    задержали", "not arrested"), or with one between the parts of an `a ~ b` pattern, do not count."""

    def __init__(self, families: Iterable[tuple[str, str]], negations: Iterable[str] = ()):
        self.by_key: dict[str, list[_Pattern]] = {}  # by the first letters of the first word
        self.by_end: dict[str, list[_Pattern]] = {}  # a first word written `*word`: by its last letters
        self.short: list[_Pattern] = []  # a first word too short to file: tried at every word
        self.questions: IntentReader | None = None  # the question words, read only where they matter
        asked: list[tuple[str, str]] = []
        for family, text in families:
            if family == QUESTION:
                asked.append((family, text))
                continue
            sides = tuple(parse_pattern(text))
            if not sides:
                continue
            p = _Pattern(sides, family, len(sides) == 1 and len(sides[0]) == 1)
            first = sides[0][0]
            if first.kind == "suffix" and len(first.text) >= 2:
                self.by_end.setdefault(first.text[-2:], []).append(p)
            elif first.kind == "suffix" or len(first.text) < _KEY and first.kind == "prefix":
                self.short.append(p)
            else:
                self.by_key.setdefault(first.text[:_KEY], []).append(p)
        self.negations = frozenset(negations)
        self._starting: dict[str, tuple[_Pattern, ...]] = {}  # word -> the patterns whose first word it is
        if asked:
            self.questions = IntentReader([("asked", text) for _, text in asked])

    def _at(self, p: _Pattern, words: list[str], i: int) -> bool:
        """Pattern p at word i, whose first word matches it already (`_starts`)."""
        if not _seq(p.sides[0], words, i, 1):
            return False
        if i > 0 and words[i - 1] in self.negations:
            return False
        end = i + len(p.sides[0])
        for side in p.sides[1:]:
            found = False
            first = side[0].matches  # (tried on each word of the window before the rest of `_seq`)
            for j in range(max(0, i - WINDOW - len(side)), min(len(words), end + WINDOW + 1)):
                if j != i and first(words[j]) and _seq(side, words, j, 1):
                    lo, hi = (end, j) if j >= end else (j + len(side), i)
                    if not any(w in self.negations for w in words[lo:hi]) and not (j > 0 and words[j - 1] in self.negations and j < i):
                        found = True
                        break
            if not found:
                return False
        return True

    def _starts(self, word: str) -> tuple[_Pattern, ...]:
        """The patterns whose first word `word` matches, in the order they are tried; kept per word
        (bounded; a word, never a text)."""
        found = self._starting.get(word)
        if found is None:
            groups = (self.by_key.get(word[:_KEY], ()), self.by_end.get(word[-2:], ()), self.short)
            found = tuple(p for group in groups for p in group if p.sides[0][0].matches(word))
            if len(self._starting) >= 50_000:
                self._starting.clear()
            self._starting[word] = found
        return found

    def _families(self, words: list[str]) -> set[str]:
        found: set[str] = set()
        negations = self.negations
        for i, w in enumerate(words):
            starting = self._starts(w)  # (a short word: also the patterns filed as short)
            if not starting:
                continue
            after_negation = i > 0 and words[i - 1] in negations
            for p in starting:
                if p.family in found:
                    continue
                if p.single:
                    if not after_negation:  # a one-word pattern: `_at` asks only this
                        found.add(p.family)
                elif self._at(p, words, i):
                    found.add(p.family)
        return found

    def read(self, text: str) -> tuple[str, ...]:
        """The families, in INTENT_FAMILIES order. Read clause by clause: being forced or taken to
        war in a clause that asks ("can they take dual citizens to war?", "urushga olib
        ketishlari mumkinmi", "нас заставляют идти на войну?") is a question about the law, not
        something happening now."""
        found: set[str] = set()
        for clause, asked in _clauses(text):
            words = fold(clause).split()
            if not words:
                continue
            here = self._families(words)
            if here & ASKABLE and (asked or self.questions is not None and self.questions._families(words)):
                here -= ASKABLE
            found |= here
        return tuple(f for f in INTENT_FAMILIES if f in found)


def _clauses(text: str) -> Iterable[tuple[str, bool]]:
    """The clauses of `text`, each with whether a question mark ends it: "маро ба ҷанг мебаранд?"
    ("will they take me to the war?") asks with no question word (REVIEW7 F1)."""
    start = 0
    for m in _CLAUSES.finditer(text):
        yield text[start:m.start()], "?" in m.group()
        start = m.end()
    yield text[start:], False


def reader_from_book(book: Any) -> IntentReader:
    intents = getattr(book, "intents", None)
    families: list[tuple[str, str]] = []
    if intents is not None:
        for by_family in intents.languages.values():
            for family, items in by_family.items():
                families += [(family, item) for item in items]
    negations: set[str] = set()
    for lex in getattr(book, "lexicon", {}).values():
        families += [(QUESTION, item) for item in lex.markers.get("question", [])]
        for item in lex.markers.get("negation", []):
            if len(item.split()) == 1 and not item.endswith("*") and not item.startswith("*"):
                negations.update(fold(item).split())
    return IntentReader(families, negations)


_READERS: dict[int, tuple[Any, IntentReader]] = {}


def intents_for(book: Any) -> IntentReader:
    """One reader per loaded rule book (a reload makes a new book, and a new reader)."""
    held = _READERS.get(id(book))
    if held is None or held[0] is not book:
        _READERS.clear()
        held = (book, reader_from_book(book))
        _READERS[id(book)] = held
    return held[1]
