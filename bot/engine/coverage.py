"""How complete and current each language's texts are: translated, missing, stale, unreviewed."""

from __future__ import annotations

from pydantic import BaseModel

from bot.engine.rulebook import RuleBook, text_hash


class LanguageCoverage(BaseModel):
    code: str
    name: str
    total: int
    translated: int
    missing: int
    stale: int
    unreviewed: int
    percent_translated: float
    percent_current: float
    fallback: list[str]
    missing_keys: list[str]
    stale_keys: list[str]


def stale_keys(book: RuleBook, code: str) -> list[str]:
    """Translations whose recorded source hash does not match the current source-language text,
    or that do not record one: a translation of unknown age is never shown as current."""
    source = book.texts.get(book.source_language, {})
    return [
        key for key, entry in book.texts.get(code, {}).items()
        if code != book.source_language and key in source and entry.source_hash != text_hash(source[key].text)
    ]


def coverage(book: RuleBook) -> list[LanguageCoverage]:
    expected = book.expected_text_keys()
    rows = []
    for code, language in book.languages.items():
        entries = book.texts.get(code, {})
        present = [k for k in expected if k in entries and entries[k].text.strip()]
        missing = [k for k in expected if k not in present]
        stale = [k for k in stale_keys(book, code) if k in expected]
        unreviewed = sum(1 for k in present if not entries[k].reviewed)
        total = len(expected)
        rows.append(LanguageCoverage(
            code=code, name=language.name, total=total, translated=len(present), missing=len(missing),
            stale=len(stale), unreviewed=unreviewed,
            percent_translated=round(100 * len(present) / total, 1),
            percent_current=round(100 * (len(present) - len(stale)) / total, 1),
            fallback=list(language.fallback), missing_keys=missing, stale_keys=stale,
        ))
    return rows
