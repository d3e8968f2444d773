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
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if cyrillic > latin:  # "ок", "у меня только узбекский паспорт": Cyrillic letters are never English
        votes = {k: v for k, v in votes.items() if k != "en"} or {default: 1.0}
    best = max(votes, key=lambda k: votes[k])
    if best == "uz" and cyrillic > latin:
        return "uz-Cyrl"
    if best in ("ru", "en") and latin > cyrillic and _UZBEK_LATIN.search(text) and votes.get("uz", 0) > 0.5 * votes[best]:
        return "uz"
    return best


# --- the user's language as the prior --------------------------------------------------------
# How much more the text must resemble another language's examples than the prior's to switch,
# and how many words it needs: "Salom" or "1" or "voenkomat" never switch a user's language.
SWITCH_RATIO = 2.0
SWITCH_MIN_WORDS = 3
_WORD = re.compile(r"\w+", re.UNICODE)


def prior_language(book: object, prior: str | None) -> str | None:
    """A Telegram language_code or a chosen code, as one of our languages (uz-Cyrl kept), else None."""
    if not prior:
        return None
    code = prior.strip().replace("_", "-")
    languages = getattr(book, "languages", {})
    if code in languages or code == "uz-Cyrl":
        return code
    base = code.split("-")[0].lower()
    return base if base in languages else None


def choose_language(text: str, result: object, prior: str) -> str:
    """Keep the prior unless the text is clearly in another language: letters only that language
    has, or a long enough text that resembles its examples far more than the prior's."""
    detected = getattr(result, "lang", prior)
    kind = getattr(result, "kind", "")
    base_prior = prior.split("-")[0]
    if detected.split("-")[0] == base_prior:
        # same language; the script follows the text (uz vs uz-Cyrl), else the prior
        return detected if base_prior == "uz" else prior
    if kind == "small_talk":
        return prior
    for lang, letters in _UNIQUE_LETTERS[:4]:
        if letters.search(text) and detected.split("-")[0] == lang.split("-")[0]:
            return detected
    if len(_WORD.findall(text)) < SWITCH_MIN_WORDS:
        return prior
    votes = getattr(result, "votes", None) or {}
    mine = votes.get(detected.split("-")[0], 0.0)
    theirs = votes.get(base_prior, 0.0)
    if votes and mine >= SWITCH_RATIO * theirs and mine > 0:
        return detected
    return prior
