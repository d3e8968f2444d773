"""`ogoh i18n status | export | import | mark-current`.

Wired into `ogoh` by bot/cli.py with `add_i18n_parser(sub, common)`; `python -m bot.translators`
runs the same commands on their own.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from typing import TYPE_CHECKING

from bot.engine.problems import RuleBookError
from bot.engine.rulebook import RuleBook, load_rulebook
from bot.settings import Settings
from bot.translators.catalog import NotTranslatable, require_target, units

if TYPE_CHECKING:
    from bot.translators.apply import ImportReport

# polib and openpyxl are imported by the commands that use them, not by every `ogoh` start.
FORMATS = ("po", "xlsx")


def _book(args: argparse.Namespace) -> RuleBook:
    return load_rulebook(Path(args.rules) if getattr(args, "rules", None) else Settings().rules_dir)


def _language_errors(command):
    """A language that cannot be translated into is the user's mistake: say so, exit 2."""

    @functools.wraps(command)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except NotTranslatable as exc:
            print(str(exc), file=sys.stderr)
            return 2

    return wrapper


@_language_errors
def cmd_status(args: argparse.Namespace) -> int:
    from bot.translators.status import keys_listing, status_json, status_table

    book = _book(args)
    if args.lang:
        if args.lang not in book.languages:
            require_target(book, args.lang)
        if args.json:
            row = next(r for r in status_json(book)["languages"] if r["code"] == args.lang)
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(keys_listing(book, args.lang))
        return 0
    if args.json:
        print(json.dumps(status_json(book), ensure_ascii=False))
    else:
        print(status_table(book))
    return 0


@_language_errors
def cmd_export(args: argparse.Namespace) -> int:
    from bot.translators.po import export_po
    from bot.translators.xlsx import export_xlsx

    book = _book(args)
    require_target(book, args.lang)
    out = args.out or f"ogoh-{args.lang}.{args.format}"
    if args.format == "po":
        text = export_po(book, args.lang)
        if out == "-":
            sys.stdout.write(text)
            return 0
        Path(out).write_text(text, encoding="utf-8")
    else:
        if out == "-":
            print("an .xlsx file cannot go to the terminal: give --out FILE.xlsx", file=sys.stderr)
            return 2
        Path(out).write_bytes(export_xlsx(book, args.lang))
    items = units(book, args.lang)
    counts = {s: sum(u.status == s for u in items) for s in ("missing", "stale")}
    unreviewed = sum(1 for u in items if u.translation is not None and not u.reviewed)
    print(f"wrote {out}: {len(items)} texts in {book.languages[args.lang].name} ({args.lang}); "
          f"{counts['missing']} missing, {counts['stale']} stale, {unreviewed} not reviewed", file=sys.stderr)
    return 0


def _print_import(report: ImportReport, dry_run: bool) -> None:
    for p in report.problems:
        print(f"error: {p}", file=sys.stderr)
    for c in report.changes:
        note = " (stays stale: the English text changed after this file was exported)" if c.stale else ""
        state = "reviewed" if c.reviewed else "not reviewed"
        what = f"marked {state}" if c.kind == "reviewed" else f"{c.kind} [{state}]"
        print(f"{'(dry run) ' if dry_run else ''}{c.key}: {what}{note}")
    kinds = {k: sum(c.kind == k for c in report.changes) for k in ("added", "updated", "reviewed")}
    target = f"rules/text/{report.lang}.yaml" if report.lang else "?"
    print(f"{report.file} -> {target}: {kinds['added']} added, {kinds['updated']} updated, "
          f"{kinds['reviewed']} only (un)marked reviewed, {report.unchanged} unchanged, "
          f"{len(report.untranslated)} untranslated (skipped), {len(report.problems)} problem(s)")
    if dry_run:
        print("dry run: nothing was written")
    elif report.changes and report.written is None:
        print("nothing was written")
    if report.problems:
        print("entries with problems were not imported: fix them and import the file again", file=sys.stderr)


@_language_errors
def cmd_import(args: argparse.Namespace) -> int:
    from bot.translators.apply import apply_import, read_import

    book = _book(args)
    imported = read_import(Path(args.file))
    report = apply_import(book, imported, args.lang, dry_run=args.dry_run)
    _print_import(report, args.dry_run)
    return 0 if report.ok else 1


@_language_errors
def cmd_mark_current(args: argparse.Namespace) -> int:
    from bot.translators.mark import mark_current

    book = _book(args)
    require_target(book, args.lang)
    report = mark_current(book, args.lang, args.keys or None, dry_run=args.dry_run)
    for p in report.problems:
        print(f"error: {p}", file=sys.stderr)
    for key in report.marked:
        print(f"{'would mark' if args.dry_run else 'marked'} current: {key}")
    print(f"{len(report.marked)} marked current, {report.already_current} already current, {len(report.problems)} problem(s)")
    return 0 if report.ok else 1


def add_i18n_parser(subparsers: argparse._SubParsersAction, common_parent: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add `i18n` and its commands; each takes --rules from `common_parent`."""
    p = subparsers.add_parser("i18n", help="translations: status, export/import (PO, XLSX), mark-current",
                              description="Translators' tools. See TRANSLATING.md.")
    sub = p.add_subparsers(dest="i18n_command", required=True, metavar="{status,export,import,mark-current}")

    s = sub.add_parser("status", parents=[common_parent], help="per language: translated, missing, stale, not reviewed")
    s.add_argument("--lang", default=None, help="list the missing, stale and unreviewed keys of one language")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("export", parents=[common_parent], help="write a PO file or a spreadsheet for one language")
    s.add_argument("--lang", required=True)
    s.add_argument("--format", choices=FORMATS, default="po")
    s.add_argument("--out", metavar="FILE", default=None, help="default: ogoh-<lang>.<format>; '-' prints a PO file")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("import", parents=[common_parent], help="check a .po or .xlsx file and write its translations")
    s.add_argument("file", metavar="FILE", help="a .po or .xlsx file (the kind is taken from the extension)")
    s.add_argument("--lang", default=None, help="default: the language written in the file")
    s.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("mark-current", parents=[common_parent],
                       help="record that translations (all, or the KEYs) match the current English text")
    s.add_argument("--lang", required=True)
    s.add_argument("keys", nargs="*", metavar="KEY")
    s.add_argument("--dry-run", action="store_true")
    s.set_defaults(func=cmd_mark_current)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogoh")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--rules", metavar="DIR", default=os.environ.get("OGOH_RULES_DIR"), help="rules folder")
    add_i18n_parser(parser.add_subparsers(dest="command", required=True), common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except RuleBookError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("the rule files have errors: run `ogoh check`", file=sys.stderr)
        return 1
    except NotTranslatable as exc:
        print(str(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
