"""Where a text may be cut for a first screen: only between whole sentences (a full stop,
question or exclamation mark, then a capital, a digit or an opening quote), never inside brackets
or quotes (a statement keeps its attribution: "… (Eurasianet, October 2022)."), never after an
abbreviation before a number ("Art. 15", "No. 821", "ст. 15"). Used by the topic card
(bot.core.cards) and the personal answer's risk leads (bot.engine.summary)."""

from __future__ import annotations

import re

_OPENERS = "([{«“„‘"
_CLOSERS = ")]}»”’"
_ENDS = ".!?…"


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence of `text` but the last (see the module note)."""
    ends: list[int] = []
    depth = 0
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif ch == '"':  # a straight quote opens or closes
            depth = depth + 1 if depth == 0 or (i and text[i - 1].isspace()) else depth - 1
        if ch not in _ENDS or depth:
            continue
        j = i + 1
        while j < n and text[j] in _ENDS + _CLOSERS:
            j += 1
        if j >= n or not text[j].isspace():
            continue
        k = j
        while k < n and text[k].isspace():
            k += 1
        if k >= n:
            continue
        nxt = text[k]
        if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or nxt in '"№'):
            continue
        word = re.search(r"(\w+)$", text[:i])
        if nxt.isdigit() and word and len(word.group(1)) <= 3 and not word.group(1).isdigit():
            continue  # "Art. 15", "No. 821", "ст. 15": an abbreviation before a number
        ends.append(j)
    return ends


def split_answer(text: str, budget: int) -> tuple[str, str]:
    """(lead, rest): the longest run of whole sentences within `budget` characters, at least one."""
    text = text.strip()
    if len(text) <= budget:
        return text, ""
    cut = 0
    for end in sentence_ends(text):
        if end > budget and cut:
            break
        cut = end
        if end > budget:
            break
    if not cut:
        return text, ""
    return text[:cut].strip(), text[cut:].strip()
