"""One spelling for Cyrillic, Latin and translit, so that "повестка", "povestka" and "pavestka",
or "oʻzbek", "o'zbek", "ozbek" and "ўзбек", meet in the same form."""

from __future__ import annotations

import operator
import re
import unicodedata
from functools import lru_cache

_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Uzbek, Tajik, Kyrgyz, Kazakh letters, folded to what people type without them
    "ў": "o", "қ": "k", "ғ": "g", "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u", "ң": "n", "ө": "o",
    "ү": "u", "ұ": "u", "і": "i", "ә": "a", "һ": "h", "є": "e", "ї": "i",
}
_LATIN_DIGRAPHS = [("shch", "sh"), ("zh", "j"), ("kh", "h"), ("ts", "ts"), ("ia", "ya"), ("iu", "yu"), ("yo", "e")]
_LATIN_SINGLE = str.maketrans({"x": "h", "q": "k", "w": "v", "c": "s", "ä": "a", "ö": "o", "ü": "u", "ı": "i", "ñ": "n", "ş": "sh", "ç": "ch", "ğ": "g"})
# Every apostrophe-like mark: Uzbek oʻ/gʻ and the tutuq belgisi are typed with any of them, or none.
_APOSTROPHES = re.compile(r"[ʻʼ‘’'`´ʹ′]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1+")
_FIRST_LETTER = operator.methodcaller("group", 1)
# "w" for "sh" after i, u or x, as Uzbek chat Latin writes it ("iwlayman" = ishlayman, "yaxwi" =
# yaxshi, "qiliw" = qilish, "uruw" = urush). Only there: English "w" comes after a, e, o ("law",
# "new", "how") or at a word's start ("we" must not become "she"), and stays "v".
_W_AS_SH = re.compile(r"(?<=[iux])w")


# Apostrophes dropped and Cyrillic letters spelt in Latin, in one pass (str.translate).
_FIRST_PASS = str.maketrans({**{ch: None for ch in "ʻʼ‘’'`´ʹ′"}, **_CYR})


def fold(text: str) -> str:
    """Lowercase, one alphabet, no apostrophes or punctuation, repeated letters collapsed.
    Word by word: every step acts within a whitespace-separated word (no digraph, repeat or
    composition spans a space, and a space stays a separator), so the fold of a text is its words'
    folds joined, and each word's fold is memoised (`_fold_word`, bounded; keyed by one word,
    never by a text). tests/test_normalize.py checks that the two agree."""
    return " ".join([f for f in map(_fold_word, text.split()) if f])


def _fold_whole(text: str) -> str:
    """`fold` of a whole text at once (what `fold` memoises word by word)."""
    if text.isascii():  # NFKC changes no ASCII text; of the first pass's marks only ' and ` are ASCII
        text = text.lower().replace("'", "").replace("`", "")
    else:
        text = unicodedata.normalize("NFKC", text).lower().translate(_FIRST_PASS)
        if not text.isascii():  # accents left (ASCII text has none: NFKD would change nothing)
            text = unicodedata.normalize("NFKD", text)
            text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if "w" in text:
        text = _W_AS_SH.sub("sh", text)
    for src, dst in _LATIN_DIGRAPHS:
        text = text.replace(src, dst)
    if text.isascii():  # _LATIN_SINGLE's ASCII letters, by str.replace (~15x faster than translate)
        text = text.replace("x", "h").replace("q", "k").replace("w", "v").replace("c", "s")
    else:
        text = text.translate(_LATIN_SINGLE)
    text = _NON_WORD.sub(" ", text)
    text = _REPEATS.sub(_FIRST_LETTER, text)  # what r"\1" expands to, without the template machinery
    return " ".join(text.split())


# One word's fold; a message, a clause of it and a fact's piece of it all fold the same words.
_fold_word = lru_cache(maxsize=50_000)(_fold_whole)


# One ask folds its message up to four times (the query, the small-talk check, the language's words
# with and without a prior): the last few texts' folds are kept. Eight entries, never more, in this
# process's memory only (like the fact extractor's recent readings); it answers nothing by itself.
fold_message = lru_cache(maxsize=8)(fold)


def words(folded: str) -> list[str]:
    return [w for w in folded.split() if len(w) > 1 or w.isdigit()]


STEM_LENGTH = 6


def stem(word: str) -> str:
    """Prefix stem: Turkic suffixes and Russian endings mostly change the end of a word."""
    return word[:STEM_LENGTH]
