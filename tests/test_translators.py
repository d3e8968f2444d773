"""The translators' workflow: status, PO and XLSX export/import, mark-current (bot/translators)."""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import polib
import pytest
from openpyxl import load_workbook
from ruamel.yaml import YAML

from bot.engine.coverage import coverage
from bot.engine.rulebook import BUTTON_CHARS, SCREEN_CHARS, load_rulebook, text_hash
from bot.translators.apply import apply_import, read_import
from bot.translators.catalog import NotTranslatable, translatable_keys, units
from bot.translators.cli import main
from bot.translators.mark import mark_current
from bot.translators.po import export_po, parse_po
from bot.translators.status import keys_listing, status, status_table
from bot.translators.xlsx import COLUMNS, export_xlsx, parse_xlsx
from bot.translators.yamltext import EntryUpdate, apply_updates
from tests.conftest import RULES, replace_in

TARGETS = ("ru", "uz", "tg", "ky", "kk")


@pytest.fixture()
def rules_copy(rules_copy: Path) -> Path:
    """These tests describe a fully translated rule book: in the copy, every text the content
    engineer added or changed since the last translation round gets its English text as a current,
    unreviewed translation (the shipped files may lag behind; that is reported, not an error)."""
    en_content = (rules_copy / "text" / "en.yaml").read_text(encoding="utf-8")
    for lang in TARGETS:
        path = rules_copy / "text" / f"{lang}.yaml"
        path.write_text(_fully_translated(en_content, path.read_text(encoding="utf-8")), encoding="utf-8")
    return rules_copy


@functools.lru_cache(maxsize=4)
def _english_texts(en_content: str) -> dict:
    return YAML(typ="safe", pure=True).load(en_content)["texts"]


@functools.lru_cache(maxsize=16)
def _fully_translated(en_content: str, content: str) -> str:
    """The file `content` with every lagging text replaced by its English (the same for every
    test while the shipped files do not change: made once, not parsed again for each test)."""
    en = _english_texts(en_content)
    texts = YAML(typ="safe", pure=True).load(content)["texts"]
    lagging = [k for k, e in en.items() if k not in texts or texts[k].get("source_hash") != text_hash(e["text"])]
    lines = content.splitlines(keepends=True)
    keep, skip = [], False
    for line in lines:
        if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":"):
            skip = line.strip()[:-1] in lagging
        elif not line.startswith("    "):
            skip = False
        if not skip:
            keep.append(line)
    content = "".join(keep).rstrip("\n") + "\n"
    for key in lagging:
        text = en[key]["text"]
        body = ("    text: |-\n" + "".join(f"      {l}\n" for l in text.split("\n"))) if "\n" in text else f"    text: {json.dumps(text, ensure_ascii=False)}\n"
        content += f"  {key}:\n{body}    reviewed: false\n    source_hash: {json.dumps(text_hash(text))}\n"
    return content


def parsed(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def entry(rules: Path, lang: str, key: str) -> dict | None:
    return parsed(rules / "text" / f"{lang}.yaml")["texts"].get(key)


def po_entries(text: str) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(text)}


def write_po(po_text: str, path: Path, edit=None) -> Path:
    po = polib.pofile(po_text)
    if edit:
        for e in po:
            edit(e)
    po.save(str(path))
    return path


def change_english(rules: Path, key: str, old: str, new: str) -> None:
    """Edit the source text of `key` (asserting the edit lands in that entry)."""
    line = replace_in(rules / "text" / "en.yaml", old, new)
    lines = (rules / "text" / "en.yaml").read_text(encoding="utf-8").splitlines()
    assert any(key + ":" in lines[i] for i in range(max(0, line - 4), line)), (key, line)


# ---------------------------------------------------------------- status


def test_status_counts_match_coverage_on_shipped_rules(book):
    report = status(book)
    by_code = {r.code: r for r in report.languages}
    assert set(by_code) == set(book.languages)
    total = len(book.expected_text_keys())
    for cov in coverage(book):
        row = by_code[cov.code]
        assert (row.total, row.translated, row.missing, row.stale, row.unreviewed) == (
            total, cov.translated, cov.missing, cov.stale, cov.unreviewed)
        assert row.percent_translated == round(100 * row.translated / total, 1)
        assert row.current == row.translated - row.stale
    assert by_code["en"].source and not by_code["tg"].source


def test_status_numbers_after_edits(rules_copy):
    tg = rules_copy / "text" / "tg.yaml"
    # one missing (delete the entry), one reviewed, one stale (English changed)
    text = tg.read_text(encoding="utf-8")
    start = text.index("  ui.back:\n")
    end = text.index("  ui.because:\n")
    tg.write_text(text[:start] + text[end:], encoding="utf-8")
    replace_in(tg, '    text: "Мавзӯъҳо"\n    reviewed: false', '    text: "Мавзӯъҳо"\n    reviewed: true')
    change_english(rules_copy, "ui.sources", 'text: "Sources"', 'text: "Sources used"')
    book = load_rulebook(rules_copy)
    row = next(r for r in status(book).languages if r.code == "tg")
    total = len(book.expected_text_keys())
    assert (row.total, row.translated, row.missing, row.stale, row.unreviewed) == (total, total - 1, 1, 1, total - 2)
    assert row.missing_keys == ["ui.back"] and row.stale_keys == ["ui.sources"]
    assert "ui.topics" not in row.unreviewed_keys
    assert row.percent_missing == round(100 / total, 1)
    assert row.percent_current == round(100 * (total - 2) / total, 1)
    # every other language is stale on ui.sources too, and nothing else
    for other in ("ru", "uz", "ky", "kk"):
        assert next(r for r in status(book).languages if r.code == other).stale_keys == ["ui.sources"]
    table = status_table(book)
    tg_line = next(line for line in table.splitlines() if line.startswith("tg "))
    assert f"{total - 1:>4} {100 * (total - 1) / total:5.1f}%" in tg_line and f"   1 {100 / total:5.1f}%" in tg_line


def test_status_cli_table_and_json(rules_copy, capsys):
    book = load_rulebook(rules_copy)
    assert main(["i18n", "status", "--rules", str(rules_copy)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:4] == ["lang", "name", "total", "translated"]
    assert any(line.startswith("tg ") for line in out.splitlines())
    assert main(["i18n", "status", "--json", "--rules", str(rules_copy)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source_language"] == "en"
    assert {r["code"] for r in data["languages"]} == {"ru", "uz", "tg", "ky", "kk", "en"}
    assert f"not reviewed ({len(book.expected_text_keys())}):" in keys_listing(book, "tg")


# ---------------------------------------------------------------- stale


def test_stale_translation_is_reported_and_never_offered_as_current(rules_copy, tmp_path):
    tg = rules_copy / "text" / "tg.yaml"
    key = "topic.get-help.title"
    # A reviewed, current translation...
    replace_in(tg, '    text: "Аз куҷо кӯмак гирифтан мумкин"\n    reviewed: false', '    text: "Аз куҷо кӯмак гирифтан мумкин"\n    reviewed: true')
    book = load_rulebook(rules_copy)
    unit = next(u for u in units(book, "tg") if u.key == key)
    assert unit.status == "current" and unit.exported_reviewed
    before_po = export_po(book, "tg")  # a translator takes this file home
    assert "fuzzy" not in po_entries(before_po)[key].flags

    # ...becomes stale when the English changes: `ogoh check` warns, status counts it, and the
    # exports offer it as needing work even though it was reviewed.
    change_english(rules_copy, key, 'text: "Where to get help"', 'text: "Where to get help now"')
    book = load_rulebook(rules_copy)
    assert any("text 'topic.get-help.title' is stale" in p.message for p in book.warnings)
    unit = next(u for u in units(book, "tg") if u.key == key)
    assert unit.status == "stale" and not unit.exported_reviewed
    tg_row = next(r for r in status(book).languages if r.code == "tg")
    assert key in tg_row.stale_keys and tg_row.current == tg_row.translated - 1
    po = po_entries(export_po(book, "tg"))[key]
    assert "fuzzy" in po.flags and "STALE" in po.comment
    ws = load_workbook(io.BytesIO(export_xlsx(book, "tg")))["texts"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == key)
    header = [c[0] for c in COLUMNS]
    assert row[header.index("status")] == "stale" and row[header.index("reviewed")] == "no"

    # Importing the fresh export untouched changes nothing: still stale, still reviewed.
    for fresh in (write_po(export_po(book, "tg"), tmp_path / "fresh.po"), tmp_path / "fresh.xlsx"):
        if fresh.suffix == ".xlsx":
            fresh.write_bytes(export_xlsx(book, "tg"))
        report = apply_import(book, read_import(fresh))
        assert report.ok and not report.changes
    assert entry(rules_copy, "tg", key) == {"text": "Аз куҷо кӯмак гирифтан мумкин", "reviewed": True,
                                            "source_hash": text_hash("Where to get help")}

    # A translation made from the OLD export records the old source: it stays stale.
    def edit(e):
        if e.msgctxt == key:
            e.msgstr = "Аз куҷо кӯмак гирем"
            e.flags = [f for f in e.flags if f != "fuzzy"]
    report = apply_import(book, read_import(write_po(before_po, tmp_path / "old.po", edit)))
    assert report.ok and [(c.key, c.stale) for c in report.changes] == [(key, True)]
    assert entry(rules_copy, "tg", key) == {"text": "Аз куҷо кӯмак гирем", "reviewed": True,
                                            "source_hash": text_hash("Where to get help")}
    book = load_rulebook(rules_copy)
    assert key in next(r for r in status(book).languages if r.code == "tg").stale_keys

    # Clearing fuzzy in a fresh export (made against the new English) makes it current.
    def confirm(e):
        if e.msgctxt == key:
            e.flags = [f for f in e.flags if f != "fuzzy"]
    report = apply_import(book, read_import(write_po(export_po(book, "tg"), tmp_path / "fresh2.po", confirm)))
    assert [(c.key, c.kind, c.stale) for c in report.changes] == [(key, "reviewed", False)]
    assert entry(rules_copy, "tg", key) == {"text": "Аз куҷо кӯмак гирем", "reviewed": True,
                                            "source_hash": text_hash("Where to get help now")}


def test_mark_current_after_fixing_by_hand(rules_copy, capsys):
    key = "ui.sources"
    change_english(rules_copy, key, 'text: "Sources"', 'text: "Sources used"')
    book = load_rulebook(rules_copy)
    assert all(key in r.stale_keys for r in status(book).languages if not r.source)
    before = entry(rules_copy, "ru", key)
    assert main(["i18n", "mark-current", "--lang", "ru", key, "--rules", str(rules_copy)]) == 0
    assert "marked current: ui.sources" in capsys.readouterr().out
    assert entry(rules_copy, "ru", key) == {**before, "source_hash": text_hash("Sources used")}  # reviewed untouched
    # all keys of a language at once (dry run first); unknown keys are refused by name
    assert mark_current(book, "tg", dry_run=True).marked == [key]
    assert entry(rules_copy, "tg", key)["source_hash"] == text_hash("Sources")
    report = mark_current(book, "tg")
    assert report.marked == [key] and report.ok and report.already_current == len(translatable_keys(book)) - 1
    assert entry(rules_copy, "tg", key)["source_hash"] == text_hash("Sources used")
    report = mark_current(book, "kk", ["ui.nope", key])
    assert [str(p) for p in report.problems] == ["ui.nope: unknown key: no such text"] and report.marked == [key]
    with pytest.raises(NotTranslatable):
        mark_current(book, "en")
    assert entry(rules_copy, "kk", key)["source_hash"] == text_hash("Sources used")


# ---------------------------------------------------------------- PO


def test_po_export_passes_msgfmt_check(book, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI") == "true":
            pytest.fail("msgfmt is missing in CI: scripts/test-tools.sh should have installed gettext")
        pytest.skip("msgfmt is not installed (Debian package gettext); run scripts/test-tools.sh")
    for lang in TARGETS:
        path = tmp_path / f"{lang}.po"
        path.write_text(export_po(book, lang), encoding="utf-8")
        run = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert run.returncode == 0, (lang, run.stderr)
    # and msgfmt does check our placeholders (python-brace-format): a lost {date} fails
    po = polib.pofile(export_po(book, "ru"))
    broken = next(e for e in po if e.msgctxt == "ui.published")
    assert "python-brace-format" in broken.flags
    broken.msgstr, broken.flags = "опубликовано: {data}", ["python-brace-format"]
    po.save(str(tmp_path / "broken.po"))
    run = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(tmp_path / "broken.po")], capture_output=True, text=True)
    assert run.returncode != 0 and "data" in run.stderr


def test_po_entries_carry_context_limit_placeholders_and_hash(book):
    po = polib.pofile(export_po(book, "tg"))
    assert po.metadata["Language"] == "tg"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"].startswith("nplurals=")
    entries = {e.msgctxt: e for e in po}
    assert list(entries) == translatable_keys(book)
    answer = entries["topic.get-help.answer"]
    assert answer.msgid == book.texts["en"]["topic.get-help.answer"].text
    assert answer.msgstr == book.texts["tg"]["topic.get-help.answer"].text
    assert "topic 'get-help'" in answer.comment and f"limit: {SCREEN_CHARS} characters" in answer.comment
    assert f"source_hash: {text_hash(answer.msgid)}" in answer.comment
    assert "fuzzy" in answer.flags  # the shipped drafts are not reviewed
    option = entries["fact.home_country.option.UZ"]
    assert f"limit: {BUTTON_CHARS} characters" in option.comment and "Which country" in option.comment
    date = entries["ui.not_a_lawyer"]
    assert "python-brace-format" in date.flags and "{date}" in date.comment
    steps = entries["topic.get-help.steps"]
    assert "4 lines: one step per line" in steps.comment
    assert steps.occurrences == [("rules/text/tg.yaml", str(book.text_lines[("tg", "topic.get-help.steps")][1]))]
    with pytest.raises(NotTranslatable):
        export_po(book, "en")


def test_machine_keys_and_option_values_are_never_msgids(book):
    keys = set(book.expected_text_keys())
    values = {o for fact in book.facts.values() for o in fact.options} | {"dont_know"}
    values |= set(book.topics) | {r.id for r in book.rules} | set(book.facts)
    for lang in TARGETS:
        po = polib.pofile(export_po(book, lang))
        for e in po:
            assert e.msgid not in keys and e.msgid not in values, (lang, e.msgctxt, e.msgid)
            assert e.msgid == book.texts["en"][e.msgctxt].text
        ws = load_workbook(io.BytesIO(export_xlsx(book, lang)))["texts"]
        for row in ws.iter_rows(min_row=2, values_only=True):
            assert row[4] not in keys and row[4] not in values and row[4] == book.texts["en"][row[0]].text


def test_po_round_trip_is_lossless(rules_copy, tmp_path):
    # Make the files less tidy than shipped: a missing text, a stale one, a reviewed one.
    tg = rules_copy / "text" / "tg.yaml"
    text = tg.read_text(encoding="utf-8")
    tg.write_text(text[: text.index("  ui.back:\n")] + text[text.index("  ui.because:\n"):], encoding="utf-8")
    replace_in(tg, '    text: "Мавзӯъҳо"\n    reviewed: false', '    text: "Мавзӯъҳо"\n    reviewed: true')
    change_english(rules_copy, "ui.sources", 'text: "Sources"', 'text: "Sources used"')
    book = load_rulebook(rules_copy)
    for lang in TARGETS:
        path = rules_copy / "text" / f"{lang}.yaml"
        before_bytes, before = path.read_bytes(), parsed(path)
        po = write_po(export_po(book, lang), tmp_path / f"{lang}.po")
        report = apply_import(book, read_import(po))
        assert report.ok and not report.changes, (lang, report.problems, report.changes)
        assert parsed(path) == before and path.read_bytes() == before_bytes
    assert next(r for r in status(load_rulebook(rules_copy)).languages if r.code == "tg").missing_keys == ["ui.back"]


def test_writer_rewriting_every_entry_keeps_parsed_content(book):
    for lang in TARGETS:
        path = RULES / "text" / f"{lang}.yaml"
        content = path.read_text(encoding="utf-8")
        entries = parse_po(export_po(book, lang)).entries
        current = book.texts[lang]
        updates = [EntryUpdate(e.key, e.text, current[e.key].reviewed, current[e.key].source_hash) for e in entries if e.key in current]
        new = apply_updates(content, updates, list(book.texts["en"]))
        assert YAML(typ="safe", pure=True).load(new) == YAML(typ="safe", pure=True).load(content), lang
        assert new.splitlines()[:3] == content.splitlines()[:3]  # the header comments stay


def test_all_digit_hash_stays_a_string():
    content = 'lang: tg\ntexts:\n  ui.back:\n    text: "Бозгашт"\n    reviewed: false\n'
    new = apply_updates(content, [EntryUpdate("ui.back", source_hash="0829278652")], [])
    assert YAML(typ="safe", pure=True).load(new)["texts"]["ui.back"]["source_hash"] == "0829278652"


def test_edited_po_imports_with_new_text_reviewed_and_recorded_hash(rules_copy, tmp_path, capsys):
    book = load_rulebook(rules_copy)
    # Texts without numbers or phones of their own, so that the content can change freely.
    answer_key, steps_key = "ui.no_match", "bot.help"
    new_answer = "Ба ин савол ҷавоби боэътимод дода наметавонам. Мавзӯъҳо ва ҷойҳои кӯмак дар поён."
    old_steps = book.texts["tg"][steps_key].text
    new_steps = old_steps.replace("/topics – мавзӯъҳо", "/topics – ҳамаи мавзӯъҳо")

    def edit(e):
        if e.msgctxt == answer_key:
            e.msgstr, e.flags = new_answer, []
        if e.msgctxt == steps_key:
            e.msgstr, e.flags = new_steps, []
    po = write_po(export_po(book, "tg"), tmp_path / "tg.po", edit)
    assert apply_import(book, read_import(po), dry_run=True).changes
    assert entry(rules_copy, "tg", answer_key)["text"] != new_answer  # dry run wrote nothing
    assert main(["i18n", "import", str(po), "--rules", str(rules_copy)]) == 0
    out = capsys.readouterr().out
    assert f"{answer_key}: updated [reviewed]" in out and "2 updated" in out
    saved = entry(rules_copy, "tg", answer_key)
    assert saved == {"text": new_answer, "reviewed": True, "source_hash": text_hash(book.texts["en"][answer_key].text)}
    assert entry(rules_copy, "tg", steps_key)["text"] == new_steps
    raw = (rules_copy / "text" / "tg.yaml").read_text(encoding="utf-8")
    assert f"  {steps_key}:\n    text: |-\n      Ман ба саволҳо" in raw  # still a |- block
    assert raw.startswith("# Tajik texts.")  # comments kept
    assert f'    text: "{new_answer}"\n    reviewed: true\n' in raw  # quoting style kept


def test_import_adds_a_missing_translation_in_source_order(rules_copy, tmp_path):
    tg = rules_copy / "text" / "tg.yaml"
    text = tg.read_text(encoding="utf-8")
    tg.write_text(text[: text.index("  ui.back:\n")] + text[text.index("  ui.because:\n"):], encoding="utf-8")
    book = load_rulebook(rules_copy)
    po = polib.pofile(export_po(book, "tg"))
    back = next(e for e in po if e.msgctxt == "ui.back")
    assert back.msgstr == "" and "fuzzy" not in back.flags
    back.msgstr = "Ба қафо"
    po.save(str(tmp_path / "tg.po"))
    report = apply_import(book, read_import(tmp_path / "tg.po"))
    assert report.ok and [(c.key, c.kind) for c in report.changes] == [("ui.back", "added")]
    keys = list(parsed(tg)["texts"])
    assert keys.index("ui.back") == keys.index("ui.dont_know") + 1
    assert entry(rules_copy, "tg", "ui.back") == {"text": "Ба қафо", "reviewed": True, "source_hash": text_hash("Back")}


def test_import_rejects_every_problem_naming_each_key(rules_copy, tmp_path, capsys):
    book = load_rulebook(rules_copy)
    before = parsed(rules_copy / "text" / "ky.yaml")

    def edit(e):
        e.flags = [f for f in e.flags if f != "fuzzy"]
        if e.msgctxt == "ui.not_a_lawyer":
            e.msgstr = e.msgstr.replace("{date}", "")                     # lost placeholder
        elif e.msgctxt == "ui.published":
            e.msgstr = e.msgstr.replace("{date}", "{дата}")               # changed placeholder
        elif e.msgctxt == "topic.get-help.answer":
            e.msgstr = "ж" * (SCREEN_CHARS + 1)                           # over the screen limit
        elif e.msgctxt == "fact.home_country.option.UZ":
            e.msgstr = "Өзбекстан " * 5                                   # over the button limit
        elif e.msgctxt == "topic.recruitment-offers.steps":
            e.msgstr = e.msgstr.replace("\n", " ", 1)                     # a step merged into another
        elif e.msgctxt == "rule.help-tj.detail":
            e.msgstr = e.msgstr.replace("+7 (495) 967 98 44", "")         # phone number lost
        elif e.msgctxt == "ui.back":
            e.msgctxt = "ui.bak"                                          # unknown key
        elif e.msgctxt == "ui.topics":
            e.msgstr = "Темалар (жаңы)"                                   # a good edit
    po = write_po(export_po(book, "ky"), tmp_path / "ky.po", edit)
    assert main(["i18n", "import", str(po), "--rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    expected = {
        "ui.not_a_lawyer": "the placeholder {date} is missing",
        "ui.published": "the placeholder {date} is missing",
        "topic.get-help.answer": f"the limit is {SCREEN_CHARS}",
        "fact.home_country.option.UZ": f"the limit is {BUTTON_CHARS}",
        "topic.recruitment-offers.steps": "one step per line",
        "rule.help-tj.detail": "'+7 (495) 967 98 44' is missing",
        "ui.bak": "unknown key",
    }
    for key, message in expected.items():
        assert any(line.startswith(f"error: {key}: ") and message in line for line in err.splitlines()), (key, err)
    assert "ky.po:" in err  # where in the file
    after = parsed(rules_copy / "text" / "ky.yaml")
    assert after["texts"]["ui.topics"]["text"] == "Темалар (жаңы)"  # accepted entries are written
    for key in expected:
        if key != "ui.bak":
            assert after["texts"][key] == before["texts"][key], key  # rejected ones are not
    # A file for another language, or for English, is refused.
    assert [str(p) for p in apply_import(book, read_import(po), "kk").problems] == ["the file is for 'ky' but --lang is 'kk' (ky.po)"]
    assert "source language" in str(apply_import(book, replace(read_import(po), lang=None), "en").problems[0])


def test_import_without_comments_uses_the_msgid_hash(rules_copy, tmp_path):
    """Tools that drop #. comments keep msgid: its hash is the source version translated."""
    book = load_rulebook(rules_copy)

    def edit(e):
        e.comment = ""
        if e.msgctxt == "ui.topics":
            e.msgstr, e.flags = "Темы!", []
    po = write_po(export_po(book, "ru"), tmp_path / "ru.po", edit)
    report = apply_import(book, read_import(po))
    assert report.ok and [c.key for c in report.changes] == ["ui.topics"]
    assert entry(rules_copy, "ru", "ui.topics")["source_hash"] == text_hash("Topics")

    def tamper(e):
        if e.msgctxt == "ui.back":
            e.msgid, e.msgstr, e.flags = "Go back", "Назад!", []
    po = write_po(export_po(book, "ru"), tmp_path / "ru2.po", tamper)
    report = apply_import(book, read_import(po))
    assert [(p.key, "source) text was edited" in p.message) for p in report.problems] == [("ui.back", True)]


# ---------------------------------------------------------------- XLSX


def test_xlsx_layout(book):
    wb = load_workbook(io.BytesIO(export_xlsx(book, "uz")))
    ws = wb["texts"]
    header = [c.value for c in ws[1]]
    assert header[:8] == ["key", "context", "limit", "placeholders", "source (en)", "translation (uz)", "reviewed", "source_hash"]
    assert ws.freeze_panes == "A2"
    source_col, translation_col = header.index("source (en)") + 1, header.index("translation (uz)") + 1
    for row in (2, ws.max_row):
        assert ws.cell(row=row, column=source_col).alignment.wrap_text
        assert ws.cell(row=row, column=translation_col).alignment.wrap_text
    assert ws.column_dimensions["E"].width >= 50 and ws.column_dimensions["A"].width >= 30
    assert ws.max_row == len(translatable_keys(book)) + 1
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "ui.not_a_lawyer")
    assert row[2] == 4096 and row[3] == "{date}" and row[6] == "no" and row[7] == text_hash(row[4])
    assert parse_xlsx(export_xlsx(book, "uz")).lang == "uz"


def test_xlsx_round_trip_is_lossless_and_edits_import(rules_copy, tmp_path):
    book = load_rulebook(rules_copy)
    for lang in TARGETS:
        path = rules_copy / "text" / f"{lang}.yaml"
        before_bytes = path.read_bytes()
        xlsx = tmp_path / f"{lang}.xlsx"
        xlsx.write_bytes(export_xlsx(book, lang))
        report = apply_import(book, read_import(xlsx))
        assert report.ok and not report.changes and report.unchanged == len(translatable_keys(book)), lang
        assert path.read_bytes() == before_bytes
    # Edit like a spreadsheet user: a new translation (with Windows line ends), reviewed yes.
    wb = load_workbook(tmp_path / "kk.xlsx")
    ws = wb["texts"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "topic.foreigner-conscription.steps":
            row[5].value = row[5].value.replace("\n", "\r\n").replace("елшілігіңізге", "өз елшілігіңізге")
            row[6].value = "yes"
        if row[0].value == "ui.dont_know":
            row[5].value = "{date} білмеймін"  # an unknown placeholder: refused
    wb.save(tmp_path / "kk-edited.xlsx")
    report = apply_import(book, read_import(tmp_path / "kk-edited.xlsx"))
    assert [c.key for c in report.changes] == ["topic.foreigner-conscription.steps"]
    assert [p.key for p in report.problems] == ["ui.dont_know"] and "row" in str(report.problems[0])
    saved = entry(rules_copy, "kk", "topic.foreigner-conscription.steps")
    assert saved["reviewed"] is True and "\r" not in saved["text"] and saved["text"].count("\n") == 2


def test_cli_export_writes_both_formats(book, tmp_path, capsys):
    po, xlsx = tmp_path / "out.po", tmp_path / "out.xlsx"
    assert main(["i18n", "export", "--lang", "tg", "--format", "po", "--out", str(po), "--rules", str(RULES)]) == 0
    assert main(["i18n", "export", "--lang", "tg", "--format", "xlsx", "--out", str(xlsx), "--rules", str(RULES)]) == 0
    assert f"{len(translatable_keys(book))} texts in" in capsys.readouterr().err
    assert polib.pofile(str(po)).metadata["Language"] == "tg"
    assert load_workbook(xlsx)["texts"].freeze_panes == "A2"
    bad = tmp_path / "x.txt"
    bad.write_text("hello", encoding="utf-8")
    assert "use .po or .xlsx" in str(read_import(bad).problems[0])


def test_import_refuses_a_changed_number_handle_or_link(rules_copy, tmp_path, capsys):
    """A translation that drops or changes a number, @handle or address is not written."""
    book = load_rulebook(rules_copy)
    before = parsed(rules_copy / "text" / "ru.yaml")["texts"]

    def edit(e):
        e.flags = [f for f in e.flags if f != "fuzzy"]
        if e.msgctxt == "bot.cleared":
            e.msgstr = e.msgstr.replace("48", "24")                      # a changed number
        elif e.msgctxt == "rule.help-russian-citizens.detail":
            e.msgstr = e.msgstr.replace("iditelesom.org", "iditelesom.ru")  # a changed address
        elif e.msgctxt == "bot.help":
            e.msgstr = e.msgstr.replace("/forget", "/zabyt")              # a changed command
    po = write_po(export_po(book, "ru"), tmp_path / "ru.po", edit)
    assert main(["i18n", "import", str(po), "--rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    assert any(line.startswith("error: bot.cleared: ") and "48" in line for line in err.splitlines()), err
    assert any(line.startswith("error: rule.help-russian-citizens.detail: ") and "'iditelesom.org' is missing" in line for line in err.splitlines()), err
    assert any(line.startswith("error: bot.help: ") and "'/forget' is missing" in line for line in err.splitlines()), err
    after = parsed(rules_copy / "text" / "ru.yaml")["texts"]
    for key in ("bot.cleared", "rule.help-russian-citizens.detail", "bot.help"):
        assert after[key] == before[key]
