"""How people type our languages on a Russian keyboard, which lacks some letters.

Folding (bot.matcher.normalize) already makes most of them meet: қ/к, ғ/г, ҳ/х, ӣ/и, ӯ/у, ө/о,
ү/у, ң/н, ә/а, і/и, ұ/у fold to the same Latin letter. Two do not, because the letter they stand
for has its own Latin spelling: Tajik ҷ (typed ч; Latin "j": ҷанг = jang, typed чанг) and Uzbek ў
(typed у; Latin "o'": ўзбек = o'zbek, typed узбек). The lexicon patterns and the example questions
are also read in their Russian-keyboard spelling, so "ба кучо мурочиат кунам" meets "ба куҷо
муроҷиат кунам" without losing "jang"."""

from __future__ import annotations

from typing import Iterable, Protocol, TypeVar

from bot.matcher.normalize import fold

RUSSIAN_KEYBOARD = str.maketrans({"ҷ": "ч", "Ҷ": "Ч", "ў": "у", "Ў": "У"})



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


def with_keyboard_variants(examples: Iterable[T]) -> list[T]:
    """The examples, each followed by its Russian-keyboard spelling when there is one (examples
    are bot.matcher.index.Example: text, label, lang)."""
    out: list[T] = []
    for ex in examples:
        out.append(ex)
        typed = russian_keyboard(ex.text)
        if typed is not None:
            out.append(type(ex)(typed, ex.label, ex.lang))  # type: ignore[call-arg]
    return out
