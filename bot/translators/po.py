"""gettext PO files, for Poedit, Weblate, Crowdin and the like (polib).

One entry per translatable text: msgctxt is the key (`topic.get-help.answer`), msgid the English
text, msgstr the translation (empty when missing). Extracted comments (#.) tell the translator
where the text is shown, its length limit, its placeholders, and the source_hash that import uses.
`fuzzy` marks a translation that is stale or not reviewed; `python-brace-format` lets msgfmt check
{placeholders}.
"""

from __future__ import annotations

import datetime as dt
import re

import polib

from bot.engine.rulebook import RuleBook
from bot.translators.catalog import Unit, require_target, units
from bot.translators.history import previous_sources
from bot.translators.imported import ImportedEntry, ImportedFile, ImportProblem

# gettext's Plural-Forms (we have no plural texts, but the header must say it).
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "uz": "nplurals=2; plural=(n != 1);",
    "tg": "nplurals=2; plural=(n != 1);",
    "ky": "nplurals=2; plural=(n != 1);",
    "kk": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
}
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
HASH_NOTE = re.compile(r"^source_hash: *([0-9a-f]+)\s*$", re.MULTILINE)


def _header(book: RuleBook, lang: str) -> str:
    name = book.languages[lang].name
    return (
        f"Ogoh: texts in {name} ({lang}), translated from English.\n"
        f"msgctxt is the text's key in rules/text/{lang}.yaml; the comments say where it is shown,\n"
        "its length limit and its {placeholders} (copy them exactly, never translate them).\n"
        "fuzzy (\"needs work\") = not reviewed yet, or the English text changed since it was translated.\n"
        "Clear fuzzy when you have checked a translation. Import: ogoh i18n import FILE"
    )


def export_po(book: RuleBook, lang: str) -> str:
    """The PO file of one language, as text. Passes `msgfmt --check` for files `ogoh check` accepts."""
    require_target(book, lang)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M+0000")
    po = polib.POFile(wrapwidth=78)
    po.header = _header(book, lang)
    po.metadata = {
        "Project-Id-Version": f"Ogoh rules {book.version}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": f"{book.languages[lang].name} ({lang})",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(lang, DEFAULT_PLURAL_FORMS),
        "X-Generator": "ogoh i18n export",
        "X-Ogoh-Source-Language": book.source_language,
        "X-Ogoh-Rules-Version": book.version,
    }
    found = units(book, lang)
    # A stale text: the English it was translated from, as `#| msgid` (Poedit, Weblate show the diff).
    previous = previous_sources(book, {u.key: u.translated_from for u in found if u.stale and u.translated_from})
    for unit in found:
        flags = []
        if unit.translation is not None and not unit.exported_reviewed:
            flags.append("fuzzy")
        if unit.placeholders:
            flags.append("python-brace-format")
        po.append(polib.POEntry(
            msgctxt=unit.key,
            msgid=unit.source,
            msgstr=unit.translation or "",
            comment="\n".join(unit.notes() + _previous_note(unit, previous) + [f"source_hash: {unit.source_hash}"]),
            previous_msgid=previous.get(unit.key),
            occurrences=[(unit.ref[0], str(unit.ref[1]))] if unit.ref else [],
            flags=flags,
        ))
    return str(po)


def _previous_note(unit: Unit, previous: dict[str, str]) -> list[str]:
    if not unit.stale:
        return []
    if unit.key in previous:
        return ["the English this translation was made from is shown as the previous source text (#| msgid)"]
    return ["the English this translation was made from is not known (not in the history): compare with the English above"]


def parse_po(content: str, name: str = "file.po") -> ImportedFile:
    """Read a PO file's text. Problems of the file as a whole are in `.problems`."""
    try:
        po = polib.pofile(content, wrapwidth=78)
    except (OSError, ValueError) as exc:
        return ImportedFile(name, "po", None, problems=[ImportProblem(None, f"not a readable PO file: {exc}", name)])
    lang = (po.metadata.get("Language") or "").strip() or None
    out = ImportedFile(name, "po", lang)
    for entry in po:
        if entry.obsolete or (entry.msgid == "" and entry.msgctxt is None):
            continue
        where = f"{name}:{entry.linenum}"
        if not entry.msgctxt:
            out.problems.append(ImportProblem(entry.msgid[:40] or None, "the entry has no key (msgctxt): it cannot be placed", where))
            continue
        if entry.msgid_plural:
            out.problems.append(ImportProblem(entry.msgctxt, "plural entries are not used by Ogoh", where))
            continue
        found = HASH_NOTE.findall(entry.comment or "")
        out.entries.append(ImportedEntry(
            key=entry.msgctxt, text=entry.msgstr, reviewed="fuzzy" not in entry.flags,
            source_hash=found[-1] if found else None, source_text=entry.msgid, where=where,
        ))
    return out

