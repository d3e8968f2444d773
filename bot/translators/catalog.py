"""What a translator can translate, one Unit per text key, with everything needed to do it well:
where the text is shown, its length limit, its placeholders, the source text and its hash."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.engine.i18n import UZ_CYRILLIC
from bot.engine.rulebook import (
    BUTTON_CHARS,
    MESSAGE_LIMIT,
    PLACEHOLDER,
    SCREEN_CHARS,
    SHORT_CHARS,
    SHORT_KEY,
    OTHER_SUFFIX,
    RuleBook,
    text_hash,
)

Status = Literal["missing", "stale", "current"]

# Texts the Telegram bot shows on buttons: short is better (not enforced: `ogoh check` does not).
BUTTON_KEYS = frozenset({
    "ui.dont_know", "ui.back", "ui.because", "ui.sources", "ui.what_to_do", "ui.get_help",
    "ui.check_my_situation", "ui.topics", "bot.menu_language", "bot.menu_privacy", "bot.restart",
    "bot.menu_button", "bot.share",
})


# What the program puts in place of each {placeholder}.
PLACEHOLDER_HINTS = {
    "{date}": "a date",
    "{facts}": "a list of question names",
    "{asked}": "the name of the language the user chose",
    "{shown}": "the names of the languages shown instead",
    "{number}": "a number",
}
# Keys whose English text is a poor guide to what they need.
KEY_HINTS = {
    "ui.language_name": "the name of YOUR language, written in your language (not a translation of 'English')",
}


class NotTranslatable(ValueError):
    """A language that has no translation file of its own (the source language, uz-Cyrl, unknown)."""


@dataclass(frozen=True)
class Limit:
    chars: int
    why: str


def limit_for(key: str) -> Limit:
    """The same limits `ogoh check` applies (bot/engine/rulebook.py)."""
    if key.endswith(".answer"):
        return Limit(SCREEN_CHARS, "short answer: fits one phone screen")
    if ".option." in key:
        return Limit(BUTTON_CHARS, "answer button")
    if SHORT_KEY.match(key):
        return Limit(SHORT_CHARS, "one risk line of the personal answer: a longer text is cut at the last whole sentence that fits")
    return Limit(MESSAGE_LIMIT, "one Telegram message")


def placeholders(text: str) -> list[str]:
    """{placeholders} in order of first appearance, each once."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def line_count(text: str) -> int:
    return text.strip().count("\n") + 1


@dataclass(frozen=True)
class Unit:
    """One translatable text of one language."""

    key: str
    lang: str
    source: str                    # the source-language (en) text
    source_hash: str               # text_hash(source): the version a new translation is made against
    translation: str | None        # None when missing
    reviewed: bool
    translated_from: str | None    # the source_hash recorded in the language file
    context: str                   # where and what, in plain words
    field: str                     # title, answer, steps, question, option, detail, ...
    limit: Limit
    placeholders: tuple[str, ...]
    lines: int                     # lines of the source text (steps: one per line)
    button: bool
    ref: tuple[str, int] | None    # ("rules/text/tg.yaml", 12): where the translation is (or the English)

    @property
    def status(self) -> Status:
        if self.translation is None:
            return "missing"
        return "stale" if self.translated_from != self.source_hash else "current"

    @property
    def stale(self) -> bool:
        return self.status == "stale"

    @property
    def exported_reviewed(self) -> bool:
        """Offered as done (not fuzzy / reviewed "yes") only when reviewed AND current."""
        return self.translation is not None and self.reviewed and self.status == "current"

    def notes(self) -> list[str]:
        """Plain-language notes for the translator (PO comments, the spreadsheet's context)."""
        out = [self.context]
        if self.key in KEY_HINTS:
            out.append("note: " + KEY_HINTS[self.key])
        out.append(f"limit: {self.limit.chars} characters ({self.limit.why})")
        if self.button:
            out.append("shown on a button: keep it short")
        if self.placeholders:
            hints = [f"{p} = {PLACEHOLDER_HINTS[p]}" if p in PLACEHOLDER_HINTS else p for p in self.placeholders]
            out.append("placeholders: " + "; ".join(hints) + " (copy them exactly, do not translate them)")
        if self.lines > 1:
            what = "one step per line" if self.field == "steps" else "one item per line"
            out.append(f"{self.lines} lines: {what}; keep the same number of lines")
        if self.status == "stale":
            out.append("status: STALE, the English text changed after this was translated: check it")
        elif self.status == "missing":
            out.append("status: not translated yet")
        elif not self.reviewed:
            out.append("status: not reviewed yet (drafted, needs checking by a translator)")
        return out


def has_text_file(book: RuleBook, lang: str) -> bool:
    return lang in book.languages and lang != book.source_language


def require_target(book: RuleBook, lang: str) -> None:
    if lang == UZ_CYRILLIC:
        raise NotTranslatable("uz-Cyrl is made from the Uzbek Latin texts automatically: translate 'uz'")
    if lang == book.source_language:
        raise NotTranslatable(f"'{lang}' is the source language: edit rules/text/{lang}.yaml directly")
    if lang not in book.languages:
        others = ", ".join(c for c in book.languages if c != book.source_language)
        raise NotTranslatable(f"unknown language '{lang}' (languages: {others})")


def translatable_keys(book: RuleBook) -> list[str]:
    """Keys a translator is offered: every expected text whose source text has words in it.
    Never machine keys or answer values: those live in msgctxt/the key column, not in the text."""
    source = book.texts.get(book.source_language, {})
    keys = [
        key for key in book.expected_text_keys()
        if key in source and re.search(r"[^\W\d_]", PLACEHOLDER.sub("", source[key].text))
    ]
    # The order of the source file, which the language files follow too.
    line = {key: book.text_lines.get((book.source_language, key), ("", 0))[1] for key in keys}
    return sorted(keys, key=lambda k: line[k])


def _en_title(book: RuleBook, key: str) -> str:
    entry = book.texts.get(book.source_language, {}).get(key)
    return f" ({entry.text})" if entry else ""


RULE_FIELDS = {
    "detail": "the finding in full, shown under Details with its sources",
    "short": f"the numbered risk line on the first screen of the personal answer (at most {SHORT_CHARS} "
             "characters; its first whole sentences lead): say the risk and what it means for the reader",
    "short_possible": "the risk line when it rests on an \"I don't know\" answer: it must stay conditional "
                      f"(\"may\", \"if\"), at most {SHORT_CHARS} characters",
    "steps": "what to do about this risk in the personal answer, one step per line",
}
OTHER_NOTE = ("about someone else (\"my brother got a call-up paper\"): speak of that person, or to the one "
              "who asks for them, never \"you\" for the person in trouble")


def describe(book: RuleBook, key: str) -> tuple[str, str]:
    """(context, field) of a key, in plain words: what it belongs to, which field, where it is shown."""
    if key.endswith(OTHER_SUFFIX):
        context, fld = describe(book, key.removesuffix(OTHER_SUFFIX))
        return f"{context}; this variant is {OTHER_NOTE}", fld
    parts = key.split(".")
    kind = parts[0]
    if kind == "topic" and len(parts) == 3:
        tid, fld = parts[1], parts[2]
        what = {"title": "the title (also shown on a button in the topic list)",
                "short_title": "the topic's button label: a few words that fit a phone button",
                "answer": "the short answer, shown first",
                "steps": "what to do now, one step per line"}.get(fld, fld)
        return f"topic '{tid}'{_en_title(book, f'topic.{tid}.title')}, field '{fld}': {what}", fld
    if kind == "fact" and len(parts) >= 3:
        fid, fld = parts[1], parts[2]
        if fld == "option" and len(parts) == 4:
            question = _en_title(book, f"fact.{fid}.question")
            return f"interview question '{fid}'{question}, field 'option': one of the answer buttons", "option"
        if fld == "refine" and len(parts) == 4:
            return (f"interview question '{fid}', field 'refine': the follow-up question asked after the answer "
                    f"'{parts[3]}' (who, which)"), "refine"
        what = {"label": "short name of the question, shown next to the user's answer in results",
                "question": "the question as asked in the interview"}.get(fld, fld)
        return f"interview question '{fid}', field '{fld}': {what}", fld
    if kind == "rule" and len(parts) == 3:
        rid, fld = parts[1], parts[2]
        rule = next((r for r in book.rules if r.id == rid), None)
        where = f", under topic '{rule.topic}'{_en_title(book, f'topic.{rule.topic}.title')}" if rule else ""
        return f"rule '{rid}'{where}, field '{fld}': {RULE_FIELDS.get(fld, fld)}", fld
    if kind == "contact" and len(parts) == 3:
        what = {"label": "who this contact is, shown before its phone number or address",
                "caveat": "a warning shown with this contact"}.get(parts[2], parts[2])
        return f"contact '{parts[1]}', field '{parts[2]}': {what}", parts[2]
    if kind == "source" and len(parts) == 3:
        what = {"publisher": "the name of who published this source, as your readers know it",
                "via": "the name of who passed this source on, as your readers know it",
                "date_note": "what is known about the date of this source",
                "url_note": "why this source has no web address"}.get(parts[2], parts[2])
        return f"source '{parts[1]}', field '{parts[2]}': {what}", parts[2]
    if kind == "ui" and len(parts) == 3 and parts[1] == "severity":
        return f"interface, severity label '{parts[2]}' of a finding", "severity"
    if kind == "ui" and len(parts) == 3 and parts[1] == "smalltalk":
        return f"interface, reply to small talk ({parts[2].replace('_', ' ')})", "smalltalk"
    if kind == "ui":
        return f"interface text '{'.'.join(parts[1:])}', used by the bot, the web page and the API", "ui"
    if kind == "bot":
        return f"Telegram bot message '{parts[-1]}'", "bot"
    if kind == "web":
        return f"web page text '{parts[-1]}'", "web"
    return key, parts[-1]


def units(book: RuleBook, lang: str) -> list[Unit]:
    """Every translatable text of `lang`, in the order of the source file."""
    require_target(book, lang)
    source = book.texts[book.source_language]
    entries = book.texts.get(lang, {})
    out = []
    for key in translatable_keys(book):
        src = source[key].text
        entry = entries.get(key)
        present = entry is not None and bool(entry.text.strip())
        context, fld = describe(book, key)
        where = book.text_lines.get((lang, key)) or book.text_lines.get((book.source_language, key))
        out.append(Unit(
            key=key, lang=lang, source=src, source_hash=text_hash(src),
            translation=entry.text if present and entry else None,
            reviewed=bool(entry and entry.reviewed), translated_from=entry.source_hash if entry else None,
            context=context, field=fld, limit=limit_for(key), placeholders=tuple(placeholders(src)),
            lines=line_count(src), button=key in BUTTON_KEYS,
            ref=where,
        ))
    return out
