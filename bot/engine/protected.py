"""What a translation must copy from the English exactly: numbers, phone numbers, @handles,
/commands and web addresses. A wrong digit can send a worker to the wrong person or give him the
wrong prison term, so `ogoh check` and `ogoh i18n import` both refuse a translation that drops,
changes or adds one (see TRANSLATING.md).

Numbers are compared by value, not by writing: "3,300", "3 300" and "3300" are the same number
(a group of exactly three digits after a comma, dot or space is a thousands group); anything else
is compared digit run by digit run, so "2.3" and "2,3" match too. Phones, handles, commands and
addresses are compared character by character.
"""

from __future__ import annotations

import re

HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_]{3,}")
COMMAND = re.compile(r"(?<![\w/.])/[a-z_]+\b")
PHONE = re.compile(r"\+\d{1,3}[ \-]?(?:\(\d{3,5}\)|\d{3,5})(?:[ \-]?\d{2,4})+")
LINK = re.compile(r"https?://[^\s)»”\"]+|\b[a-z0-9-]+\.(?:org|net|com|ru|uz|tj|kg|kz|tm|media|az|info|io)\b")
_PROTECTED = (HANDLE, COMMAND, PHONE, LINK)
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_NUMBER = re.compile(r"\d{1,3}(?:[,. \u00a0\u202f]\d{3})+(?!\d)|\d+")


def protected_tokens(text: str) -> list[str]:
    """Phones, @handles, /commands and addresses in the order they first occur (no repeats)."""
    seen: dict[str, None] = {}
    for pattern in _PROTECTED:
        for token in pattern.findall(text):
            seen.setdefault(token, None)
    return list(seen)


def numbers(text: str) -> set[str]:
    """The numbers written in digits outside phones, handles, addresses and placeholders."""
    rest = _PLACEHOLDER.sub(" ", text)
    for pattern in _PROTECTED:
        rest = pattern.sub(" ", rest)
    found = set()
    for token in _NUMBER.findall(rest):
        digits = re.sub(r"\D", "", token)
        found.add(digits.lstrip("0") or "0")
    return found


def compare(source: str, translation: str) -> list[str]:
    """Every number, phone, @handle, /command or address the translation drops, changes or adds
    relative to the source text, in plain words (empty list: fine)."""
    problems: list[str] = []
    want, got = protected_tokens(source), protected_tokens(translation)
    for token in want:
        if token not in translation:
            problems.append(f"'{token}' is missing: copy phone numbers, @names, /commands and web addresses exactly")
    for token in got:
        if token not in source:
            problems.append(f"'{token}' is not in the English text: copy phone numbers, @names, /commands and web addresses exactly")
    want_n, got_n = numbers(source), numbers(translation)
    missing = sorted(want_n - got_n, key=lambda n: (len(n), n))
    extra = sorted(got_n - want_n, key=lambda n: (len(n), n))
    if missing:
        problems.append(f"the number(s) {', '.join(missing)} of the English text are missing: write every number in digits, exactly as in the English")
    if extra:
        problems.append(f"the number(s) {', '.join(extra)} are not in the English text: a changed number is a wrong fact")
    return problems
