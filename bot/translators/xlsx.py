"""Spreadsheets (Excel, LibreOffice, Google Sheets) for translators who prefer them (openpyxl).

Sheet "texts": one row per translatable text. Columns: key, context, limit, placeholders, source
(en), translation, reviewed (yes/no), source_hash, status, previous source (the English a stale
translation was made from). Only `translation` and `reviewed` are for editing. Sheet "about": the language and how to work with the file.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.engine.rulebook import RuleBook
from bot.translators.catalog import require_target, units
from bot.translators.history import previous_sources
from bot.translators.imported import ImportedEntry, ImportedFile, ImportProblem

SHEET = "texts"
ABOUT = "about"
# (header, width, wrapped)
COLUMNS = (
    ("key", 34, False),
    ("context", 40, True),
    ("limit", 7, False),
    ("placeholders", 14, False),
    ("source", 60, True),
    ("translation", 60, True),
    ("reviewed", 10, False),
    ("source_hash", 12, False),
    ("status", 10, False),
    ("previous source", 60, True),  # a stale text: the English it was translated from
)
EDITABLE = {"translation", "reviewed"}
YES = {"yes", "y", "true", "1", "да", "ha", "ҳа", "иә", "ооба"}
NO = {"no", "n", "false", "0", "", "нет", "yo'q", "не", "жоқ", "жок"}

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_READONLY_FILL = PatternFill("solid", fgColor="F3F3F3")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def _set(cell: Cell | MergedCell, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a text, never a formula


def _header_label(name: str, book: RuleBook, lang: str) -> str:
    if name == "source":
        return f"source ({book.source_language})"
    if name == "previous source":
        return f"previous source ({book.source_language}, stale texts)"
    if name == "translation":
        return f"translation ({lang})"
    return name


def export_xlsx(book: RuleBook, lang: str) -> bytes:
    """The workbook of one language, as the bytes of an .xlsx file."""
    require_target(book, lang)
    wb = Workbook()
    ws: Worksheet = wb.active  # type: ignore[assignment]
    ws.title = SHEET
    for col, (name, width, _) in enumerate(COLUMNS, 1):
        head = ws.cell(row=1, column=col, value=_header_label(name, book, lang))
        head.font, head.fill = _HEADER_FONT, _HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    found = units(book, lang)
    previous = previous_sources(book, {u.key: u.translated_from for u in found if u.stale and u.translated_from})
    for row, unit in enumerate(found, 2):
        context = "\n".join(n for n in unit.notes() if not n.startswith(("limit:", "placeholders:", "status:")))
        values = {
            "key": unit.key, "context": context, "limit": unit.limit.chars,
            "placeholders": " ".join(unit.placeholders), "source": unit.source,
            "previous source": previous.get(unit.key, "(not known)") if unit.stale else "",
            "translation": unit.translation or "", "reviewed": "yes" if unit.exported_reviewed else "no",
            "source_hash": unit.source_hash, "status": unit.status,
        }
        for col, (name, _, wrapped) in enumerate(COLUMNS, 1):
            cell = ws.cell(row=row, column=col)
            _set(cell, values[name])
            cell.alignment = _WRAP if wrapped else _TOP
            if name not in EDITABLE:
                cell.fill = _READONLY_FILL
            if name == "source_hash":
                cell.number_format = "@"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    last = ws.max_row
    reviewed_col = next(i for i, c in enumerate(COLUMNS, 1) if c[0] == "reviewed")
    letter = get_column_letter(reviewed_col)
    check = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    check.error, check.errorTitle = "Write yes or no", "reviewed"
    ws.add_data_validation(check)
    check.add(f"{letter}2:{letter}{max(last, 2)}")

    about = wb.create_sheet(ABOUT)
    rows = [
        ("language", lang),
        ("language name", book.languages[lang].name),
        ("source language", book.source_language),
        ("rules version", book.version),
        ("exported", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("", ""),
        ("how to", "Write or correct the text in the 'translation' column; change nothing else."),
        ("", "Set 'reviewed' to yes when the translation has been checked, no if it still needs checking."),
        ("", "Copy {placeholders}, phone numbers, @names, /commands and web addresses exactly."),
        ("", "Steps: one per line, as many lines as the source (Alt+Enter / Ctrl+Enter starts a new line in a cell)."),
        ("", "status: current = up to date; stale = the English text changed, check the translation; missing = not translated."),
        ("", "Then: ogoh i18n import FILE.xlsx (see TRANSLATING.md)."),
    ]
    for r, (k, v) in enumerate(rows, 1):
        about.cell(row=r, column=1, value=k).font = _HEADER_FONT
        about.cell(row=r, column=2, value=v)
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 100
    wb.properties.language = lang
    wb.properties.title = f"Ogoh texts: {book.languages[lang].name} ({lang})"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _hash(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value):010d}"  # a spreadsheet turned an all-digit hash into a number
    return str(value).strip().lower() or None


def _column(header: Any) -> str:
    return _text(header).strip().lower().split("(")[0].strip().replace(" ", "_")


def parse_xlsx(data: bytes | Path, name: str = "file.xlsx") -> ImportedFile:
    try:
        wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken or non-xlsx file
        return ImportedFile(name, "xlsx", None, problems=[ImportProblem(None, f"not a readable .xlsx file: {exc}", name)])
    lang = (wb.properties.language or "").strip() or None
    if ABOUT in wb.sheetnames:
        for k, v in wb[ABOUT].iter_rows(min_col=1, max_col=2, values_only=True):
            if _text(k).strip() == "language" and _text(v).strip():
                lang = _text(v).strip()
    out = ImportedFile(name, "xlsx", lang)
    ws = next((s for s in wb.worksheets if _column(s.cell(row=1, column=1).value) == "key"), None)
    if ws is None:
        out.problems.append(ImportProblem(None, "no sheet has 'key' in its first cell (A1): is this a file from `ogoh i18n export`?", name))
        return out
    columns = {_column(c.value): i for i, c in enumerate(ws[1]) if c.value is not None}
    missing = [c for c in ("key", "translation", "reviewed") if c not in columns]
    if missing or ("source_hash" not in columns and "source" not in columns):
        need = missing + ([] if ("source_hash" in columns or "source" in columns) else ["source_hash"])
        out.problems.append(ImportProblem(None, f"sheet '{ws.title}' lacks the column(s) {', '.join(need)} in row 1", name))
        return out

    def get(row: tuple[Any, ...], column: str) -> Any:
        i = columns.get(column)
        return row[i] if i is not None and i < len(row) else None

    for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
        if all(v is None or _text(v).strip() == "" for v in row):
            continue
        where = f"{name} row {r}"
        key = _text(get(row, "key")).strip()
        text = _text(get(row, "translation"))
        if not key:
            out.problems.append(ImportProblem(None, "the row has no key: it cannot be placed", where))
            continue
        flag = _text(get(row, "reviewed")).strip().lower()
        if flag not in YES | NO:
            out.problems.append(ImportProblem(key, f"reviewed is '{flag}': write yes or no", where))
            continue
        source = get(row, "source")
        out.entries.append(ImportedEntry(
            key=key, text=text, reviewed=flag in YES, source_hash=_hash(get(row, "source_hash")),
            source_text=_text(source) if source is not None else None, where=where,
        ))
    return out
