"""How people type our languages on a Russian keyboard, which lacks some letters.

Folding (bot.matcher.normalize) already makes most of them meet: қ/к, ғ/г, ҳ/х, ӣ/и, ӯ/у, ө/о,
ү/у, ң/н, ә/а, і/и, ұ/у fold to the same Latin letter. Two do not, because the letter they stand
for has its own Latin spelling: Tajik ҷ (typed ч; Latin "j": ҷанг = jang, typed чанг) and Uzbek ў
(typed у; Latin "o'": ўзбек = o'zbek, typed узбек). The lexicon patterns and the example questions
are also read in their Russian-keyboard spelling, so "ба кучо мурочиат кунам" meets "ба куҷо
муроҷиат кунам" without losing "jang".

Kyrgyz and Kazakh (and Russian) typed in Latin letters write "y" for Cyrillic "ы" (кагазы = kagazy,
алып = alyp), which folds to "i". Folding Latin "y" to "i" everywhere would break English ("army"
would meet the Turkic question suffix "-mi"), so instead the lexicon patterns with "ы" (bot.matcher.
facts.Lexicon.add), and the examples of LATIN_Y_LANGS with "ы", are also read in that Latin spelling."""

from __future__ import annotations

from typing import Iterable, Protocol, TypeVar

from bot.matcher.normalize import fold

RUSSIAN_KEYBOARD = str.maketrans({"ҷ": "ч", "Ҷ": "Ч", "ў": "у", "Ў": "У"})
LATIN_Y = str.maketrans({"ы": "y", "Ы": "Y"})
# Languages whose examples also train their Latin spelling with "y" for "ы": none for now. With ky
# and kk (963 more examples, +40% of theirs), at the thresholds tuned without them (2026-12-01),
# development questions lost 3 (in-scope 1283 -> 1282 of 1434, out of scope rejected 318 -> 316 of
# 323) and dev3 was unchanged (324/365, 98/104), while the development questions' 38 Kyrgyz/Kazakh
# lines in Latin letters were already right but one, without them. The lexicon's "y" spellings
# (bot.matcher.facts.Lexicon.add) are on. To try again: {"ky", "kk"}, then bench/tune_thresholds.py.
# Re-measured in session 9 with bench/spelling_robustness.py (development questions with "ы" retyped
# in Latin letters, "y" for "ы": ky 95.5 -> 87.9 % top-1, kk 93.3 -> 89.7 %, ru 96.8 -> 94.7 %): with
# {"ky", "kk"} the retyped ky / kk lines reach 94.9 / 93.9 %, but re-tuned (OUT_MARGIN 0.4 -> 0.6) dev1
# top-1 94.8 -> 94.3 %, dev6 97.7 -> 96.0 %. A query-side reading instead (an unknown word that is
# known with "i" for its "y" read so, in bot.matcher.index): retyped ky 87.9 -> 93.6 %, kk 89.7 ->
# 93.3 %, ru 94.7 -> 96.8 %, wrong lower on all three, held-out examples 87.3 -> 87.4 % at the same
# thresholds, dev1 +2 right, dev3 and dev6 unchanged, but dev2 +1 right and +1 wrong (a Kazakh
# Latin "new citizens" question, unread before, now read and matched to conscription of
# foreigners): not kept for that wrong answer, the next candidate once that confusion is fixed.
LATIN_Y_LANGS: frozenset[str] = frozenset()


class _Example(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def lang(self) -> str: ...


T = TypeVar("T", bound=_Example)


def russian_keyboard(text: str) -> str | None:
    """The text as typed on a Russian keyboard, when that folds differently; else None."""
    typed = text.translate(RUSSIAN_KEYBOARD)
    return typed if typed != text and fold(typed) != fold(text) else None


def latin_y(text: str) -> str | None:
    """The text with Latin "y" for every "ы" ("чакыруу кагазы" -> "чакyруу кагазy", which folds
    as "chakyruu kagazy" does), when it has one; else None."""
    typed = text.translate(LATIN_Y)
    return typed if typed != text and fold(typed) != fold(text) else None


def variants(text: str, lang: str) -> list[str]:
    """The other spellings `with_keyboard_variants` trains for one example, in its order."""
    out = []
    typed = russian_keyboard(text)
    if typed is not None:
        out.append(typed)
    latin = latin_y(text) if lang in LATIN_Y_LANGS else None
    if latin is not None:
        out.append(latin)
    return out


def with_keyboard_variants(examples: Iterable[T]) -> list[T]:
    """The examples, each followed by its Russian-keyboard spelling when there is one, and one of
    LATIN_Y_LANGS (none now) by its Latin spelling with "y" for "ы" (examples are
    bot.matcher.index.Example: text, label, lang)."""
    out: list[T] = []
    for ex in examples:
        out.append(ex)
        for typed in variants(ex.text, ex.lang):
            out.append(type(ex)(typed, ex.label, ex.lang))  # type: ignore[call-arg]
    return out
