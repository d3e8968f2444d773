"""What a volunteer translator ran into (REVIEW_TRANSLATOR #4-#9): limits, notes, a copy of the
rules folder, a misspelt key, the English a stale text was made from, plain messages."""

from __future__ import annotations

import io
import shutil
import subprocess

import polib
from openpyxl import load_workbook

from bot.cli import main
from bot.core.service import check_rules
from bot.engine.rulebook import SHORT_CHARS, load_rulebook
from bot.translators.apply import apply_import, read_import
from bot.translators.catalog import units
from bot.translators.po import export_po
from bot.translators.xlsx import export_xlsx
from tests.conftest import RULES, replace_in


def _errors(rules_dir):
    problems, _, _ = check_rules(rules_dir)
    return [p for p in problems if p.level == "error"]


def _entry_text_line(path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  {key}:")
    return next(i for i in range(start, len(lines)) if lines[i].strip().startswith("text:")) + 1


def _lengthen(path, key: str, extra: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = _entry_text_line(path, key) - 1
    assert lines[i].rstrip().endswith('"'), lines[i]
    lines[i] = lines[i].rstrip()[:-1] + extra + '"\n'
    path.write_text("".join(lines), encoding="utf-8")


def test_a_too_long_short_text_in_any_language_fails_check_with_its_line_and_limit(rules_copy):
    """#4: the summary keeps at most 300 characters of a risk; a longer Kazakh one lost its advice silently."""
    path = rules_copy / "text" / "kk.yaml"
    _lengthen(path, "rule.passport-taken.short", " Бұл сөйлем артық." * 20)
    errs = _errors(rules_copy)
    assert [(p.file, p.line) for p in errs] == [("rules/text/kk.yaml", _entry_text_line(path, "rule.passport-taken.short"))]
    assert f"the limit is {SHORT_CHARS}" in errs[0].message and "rule.passport-taken.short" in errs[0].message


def test_export_states_the_real_limit_of_short_texts_and_import_refuses_longer(rules_copy, tmp_path):
    book = load_rulebook(rules_copy)
    po = polib.pofile(export_po(book, "ky"))
    short = po.find("rule.passport-taken.short", by="msgctxt")
    assert f"limit: {SHORT_CHARS} characters" in short.comment
    wb = load_workbook(io.BytesIO(export_xlsx(book, "kk")))
    row = next(r for r in wb["texts"].iter_rows(min_row=2, values_only=True) if r[0] == "rule.passport-taken.short")
    assert row[2] == SHORT_CHARS
    short.msgstr = "Паспорт. " * 40
    short.flags = []
    po.save(str(tmp_path / "ky.po"))
    result = apply_import(book, read_import(tmp_path / "ky.po"), None, dry_run=True)
    assert any(p.key == "rule.passport-taken.short" and f"the limit is {SHORT_CHARS}" in str(p) for p in result.problems)


def test_po_notes_name_the_field_of_each_rule_text(book):
    """#5: a risk line, its 'possible' form and its steps were all described as 'detail'."""
    notes = {u.key: u.context for u in units(book, "ky")}
    assert "field 'short': the numbered risk line" in notes["rule.passport-taken.short"]
    assert "field 'steps'" in notes["rule.passport-taken.steps"] and "one step per line" in notes["rule.passport-taken.steps"]
    assert "field 'detail'" in notes["rule.passport-taken.detail"]
    possible = next(k for k in notes if k.endswith(".short_possible"))
    assert "field 'short_possible'" in notes[possible] and "conditional" in notes[possible]
    assert "never \"you\"" in notes["rule.passport-taken.short.other"] and "field 'short'" in notes["rule.passport-taken.short.other"]
    assert not [k for k, n in notes.items() if k.startswith("rule.") and "field 'detail'" in n and not k.endswith(".detail")]


def test_check_on_a_copy_of_the_rules_folder_alone_reports_no_false_missing_documents(tmp_path, monkeypatch):
    """#6: `cp -r rules COPY; ogoh check --rules COPY` gave 114 'local copy does not exist' errors."""
    monkeypatch.setenv("OGOH_SNAPSHOT_CACHE", "off")
    shutil.copytree(RULES, tmp_path / "copy")
    problems, errors, _ = check_rules(tmp_path / "copy")
    assert errors == 0
    assert sum("no seeds/ folder next to" in p.message and "checked against" in p.message for p in problems) == 1
    # and the quotes are still checked, against the project's documents
    replace_in(tmp_path / "copy" / "topics.yaml", "quote: \"", "quote: \"Zzyzx ", 1)
    assert any("quote not found" in p.message for p in _errors(tmp_path / "copy"))


def test_a_misspelt_key_in_a_language_file_fails_and_says_which_key_was_meant(rules_copy, capsys):
    """#7: ui.because renamed ui.becuase was two warnings and 'OK'."""
    line = replace_in(rules_copy / "text" / "ky.yaml", "  ui.because:\n", "  ui.becuase:\n")
    assert main(["check", "--rules", str(rules_copy)]) == 1
    out = capsys.readouterr().out
    assert f"rules/text/ky.yaml:{line}: error: 'ui.becuase' is not a key of any en text: did you mean 'ui.because'?" in out
    assert "'ui.because' is not translated yet" not in out  # said once, in the error
    assert out.splitlines()[-1].startswith("FAILED: 1 error(s)")


def test_an_unknown_english_key_in_a_translation_without_a_close_match_is_an_error_too(rules_copy):
    replace_in(rules_copy / "text" / "kk.yaml", "  ui.back:\n", "  ui.back:\n    text: \"x\"\n    reviewed: false\n  zz.qqq:\n")
    errs = _errors(rules_copy)
    assert any("'zz.qqq' is not a key of any en text" in p.message and "copy the key" in p.message for p in errs), errs


def test_reviewed_in_the_translators_own_language_gets_a_plain_message(rules_copy):
    """#9: `reviewed: ооба` gave Pydantic's 'Input should be a valid boolean, unable to interpret input'."""
    path = rules_copy / "text" / "ky.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  ui.language_name:\n")
    at = text.index("reviewed: ", start)
    end = text.index("\n", at)
    path.write_text(text[:at] + "reviewed: ооба" + text[end:], encoding="utf-8")
    line = text[:at].count("\n") + 1
    errs = _errors(rules_copy)
    assert [(p.line, p.message.split(" (")[0]) for p in errs] == [(line, "reviewed must be true or false")]
    assert "'ооба'" in errs[0].message


def test_a_stale_text_in_the_export_carries_the_english_it_was_made_from(rules_copy, tmp_path):
    """#8: the PO has `#| msgid` (Poedit and Weblate show the change), the spreadsheet a 'previous source' column."""
    root = rules_copy.parent
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(git + ["init", "-q"], cwd=root, check=True)
    subprocess.run(git + ["add", "rules"], cwd=root, check=True)
    subprocess.run(git + ["commit", "-qm", "rules"], cwd=root, check=True)
    en = rules_copy / "text" / "en.yaml"
    key = "ui.sources_differ"
    book = load_rulebook(rules_copy)
    old = book.texts["en"][key].text
    assert book.texts["ky"][key].source_hash is not None and (("ky", key) not in book.stale)
    content = en.read_text(encoding="utf-8")
    assert content.count(old) == 1
    en.write_text(content.replace(old, old.rstrip(".") + " (changed)."), encoding="utf-8")
    book = load_rulebook(rules_copy)
    entry = polib.pofile(export_po(book, "ky")).find(key, by="msgctxt")
    assert "fuzzy" in entry.flags and entry.previous_msgid == old and entry.msgid != old
    assert "#| msgid" in str(entry)
    ws = load_workbook(io.BytesIO(export_xlsx(book, "kk")))["texts"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == key)
    assert row[header.index("status")] == "stale" and row[header.index("previous source (en, stale texts)")] == old
    fresh = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[header.index("status")] == "current")
    assert not fresh[header.index("previous source (en, stale texts)")]
