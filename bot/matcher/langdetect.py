"""Which of our languages a question is written in, offline: letters that only one language uses
first, then the languages of the example questions it most resembles, then Russian."""

from __future__ import annotations

import re

_UNIQUE_LETTERS = [
    ("tg", re.compile(r"[ҷӣӯ]")),
    ("uz-Cyrl", re.compile(r"[ў]")),
    ("kk", re.compile(r"[әіұһ]")),
    ("ky", re.compile(r"[өүң]")),  # also Kazakh, which the line above catches first
    ("tg", re.compile(r"[ҳ]")),  # also Uzbek Cyrillic, caught by ў when present
]
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_LATIN = re.compile(r"[a-zA-Z]")
_UZBEK_LATIN = re.compile(r"\b\w*[og][ʻ‘'`’]\w*|\b\w*(?:lik|lar|ni|ga|da|mi|man|siz)\b", re.IGNORECASE)


def detect_language(text: str, votes: dict[str, float], default: str = "ru") -> str:
    for lang, letters in _UNIQUE_LETTERS:
        if letters.search(text):
            if lang == "ky" and votes.get("kk", 0) > votes.get("ky", 0):
                return "kk"
            if lang == "tg" and letters.pattern == "[ҳ]" and votes.get("uz", 0) > votes.get("tg", 0):
                return "uz-Cyrl"
            return lang
    if not votes:
        return default
    best = max(votes, key=lambda k: votes[k])
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if best == "uz" and cyrillic > latin:
        return "uz-Cyrl"
    if best in ("ru", "en") and latin > cyrillic and _UZBEK_LATIN.search(text) and votes.get("uz", 0) > 0.5 * votes[best]:
        return "uz"
    return best
