"""`ogoh check`: the shipped rules pass; every kind of mistake is reported with file and line."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.cli import main
from bot.engine.problems import RuleBookError
from bot.engine.rulebook import REQUIRED_LANGUAGES, REQUIRED_TOPICS, load_rulebook
from tests.conftest import RULES, replace_in


def errors_of(rules_dir):
    with pytest.raises(RuleBookError) as info:
        load_rulebook(rules_dir)
    return [p for p in info.value.problems if p.level == "error"]


def test_shipped_rules_pass_check(capsys):
    assert main(["check", "--rules", str(RULES)]) == 0
    assert "OK: 0 error(s)" in capsys.readouterr().out


def test_all_nine_topics_exist_in_all_six_languages_with_citations(book):
    assert set(REQUIRED_TOPICS) <= set(book.topics)
    for tid in REQUIRED_TOPICS:
        assert book.topics[tid].citations
        for lang in REQUIRED_LANGUAGES:
            for field in ("title", "answer", "steps"):
                assert book.texts[lang][f"topic.{tid}.{field}"].text.strip(), (lang, tid, field)


def test_unreviewed_translations_are_said_to_be_so_and_reviewed_ones_are_not(rules_copy):
    """Whatever translators have reviewed so far: a reader is told exactly when a text they see
    is unreviewed (the test sets one Kazakh text reviewed and another not, and reads both)."""
    from bot.engine.i18n import Localizer
    from bot.engine.rulebook import load_rulebook

    path = rules_copy / "text" / "kk.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    want = {"topic.get-help.title": "true", "topic.get-help.answer": "false"}
    current, changed = None, 0
    for i, line in enumerate(lines):
        if line.startswith("  ") and not line.startswith("    ") and line.rstrip().endswith(":"):
            current = line.strip()[:-1]
        elif current in want and line.strip().startswith("reviewed:"):
            lines[i] = line.split("reviewed:")[0] + f"reviewed: {want[current]}\n"
            changed += 1
    assert changed == 2
    path.write_text("".join(lines), encoding="utf-8")
    book = load_rulebook(rules_copy)
    notice = Localizer(book, "kk").text("ui.unreviewed_notice")
    for key, reviewed in want.items():
        loc = Localizer(book, "kk")
        loc.text(key)
        assert (notice in loc.notices()) == (reviewed == "false"), key


def test_yaml_syntax_error_reported_with_file_and_line(rules_copy, capsys):
    line = replace_in(rules_copy / "facts.yaml", "  in_russia:\n", "  in_russia: [\n")
    assert main(["check", "--rules", str(rules_copy)]) == 1
    out = capsys.readouterr().out
    assert "rules/facts.yaml:" in out and "YAML syntax error" in out
    reported = [int(l.split(":")[1]) for l in out.splitlines() if l.startswith("rules/facts.yaml:")]
    assert any(abs(n - line) <= 2 for n in reported), (line, out)


def test_unknown_fact_in_a_rule_names_file_line_and_fact(rules_copy):
    line = replace_in(rules_copy / "rules.yaml", "when: home_country == UZ", "when: home_contry == UZ")
    errs = errors_of(rules_copy)
    assert any(p.file == "rules/rules.yaml" and p.line == line and "unknown fact 'home_contry'" in p.message for p in errs), errs


def test_invalid_answer_value_in_condition(rules_copy):
    line = replace_in(rules_copy / "rules.yaml", "when: home_country == TM", "when: home_country == Turkmenistan")
    errs = errors_of(rules_copy)
    assert any(p.line == line and "'Turkmenistan' is not an answer of 'home_country'" in p.message for p in errs)


def test_misquoted_seed_is_an_error_at_the_quote(rules_copy):
    line = replace_in(rules_copy / "topics.yaml", "This risk is not fabricated.", "This risk is entirely fabricated.")
    errs = errors_of(rules_copy)
    assert any(p.file == "rules/topics.yaml" and p.line == line and "quote not found" in p.message for p in errs), errs


def test_quote_check_ignores_whitespace_and_quote_marks(rules_copy):
    replace_in(rules_copy / "topics.yaml", '"This risk is not fabricated."', "'This   risk is\n          not fabricated.'")
    load_rulebook(rules_copy)  # no error


def test_missing_language_file_is_an_error(rules_copy):
    (rules_copy / "text" / "ky.yaml").unlink()
    errs = errors_of(rules_copy)
    assert any(p.file == "rules/text/ky.yaml" and "missing" in p.message for p in errs)


def test_missing_translation_is_a_warning_and_falls_back_visibly(rules_copy):
    from bot.ogoh import Ogoh

    text = (rules_copy / "text" / "tg.yaml").read_text(encoding="utf-8")
    start = text.index("  topic.get-help.title:")
    end = text.index("\n  topic.get-help.answer:")
    (rules_copy / "text" / "tg.yaml").write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    book = load_rulebook(rules_copy)
    assert any("topic.get-help.title' is not translated" in p.message and p.level == "warning" for p in book.warnings)
    out = Ogoh(rules_copy).topic("get-help", "tg")
    assert out.topic.lang == "ru"  # the title is shown in the first fallback language
    assert any("Русский" in n for n in out.notices)


def test_duplicate_key_is_rejected(rules_copy):
    line = replace_in(rules_copy / "facts.yaml", "  summons:\n", "  summons:\n    options: [\"yes\", \"no\"]\n  summons:\n")
    errs = errors_of(rules_copy)
    # said in plain words, with both lines (REVIEW_TRANSLATOR #9), not as ruamel's dict reprs
    assert any(p.file == "rules/facts.yaml" and p.message.startswith(f"summons is defined twice (lines {line} and {line + 2}): delete one")
               and p.line == line + 2 for p in errs), errs


def test_conditions_are_never_evaluated_as_python(rules_copy, tmp_path):
    marker = tmp_path / "pwned"
    replace_in(rules_copy / "rules.yaml", "when: home_country == KG", f"when: __import__('os').system('touch {marker}')")
    errs = errors_of(rules_copy)
    assert not marker.exists()
    assert any("condition" in p.message for p in errs)


def test_yaml_tags_cannot_build_python_objects(rules_copy):
    replace_in(rules_copy / "facts.yaml", "facts:\n", "evil: !!python/object/apply:os.system ['true']\nfacts:\n")
    assert errors_of(rules_copy)


def test_unknown_topic_and_source_ids(rules_copy):
    t_line = replace_in(rules_copy / "rules.yaml", "topic: get-help\n    severity: info\n    when: home_country == UZ", "topic: get-hepl\n    severity: info\n    when: home_country == UZ")
    s_line = replace_in(rules_copy / "rules.yaml", "- source: iditelesom", "- source: idite-lesom")
    messages = {(p.line, p.message) for p in errors_of(rules_copy)}
    assert any(l == t_line and "unknown topic 'get-hepl'" in m for l, m in messages)
    assert any(l == s_line and "unknown source 'idite-lesom'" in m for l, m in messages)


def test_misspelt_field_is_reported(rules_copy):
    line = replace_in(rules_copy / "topics.yaml", "review_by: 2027-06-01", "reveiw_by: 2027-06-01")
    errs = errors_of(rules_copy)
    assert any(p.line == line and "reveiw_by" in p.message for p in errs)


def test_lost_placeholder_in_translation(rules_copy):
    path = rules_copy / "text" / "kk.yaml"
    text = path.read_text(encoding="utf-8")
    key = text.index("ui.not_a_lawyer:")
    brace = text.index("{date}", key)
    path.write_text(text[:brace] + "DATE" + text[brace + 6 :], encoding="utf-8")
    errs = errors_of(rules_copy)
    assert any(p.file == "rules/text/kk.yaml" and "placeholders" in p.message for p in errs)


def test_review_date_passed_is_a_warning(rules_copy):
    book = load_rulebook(rules_copy, today=dt.date(2030, 1, 1))
    assert any("due for review" in p.message and p.level == "warning" for p in book.warnings)


def test_overlong_text_is_an_error(rules_copy):
    path = rules_copy / "text" / "en.yaml"
    replace_in(path, 'text: "Where to get help"', 'text: "' + "x" * 5000 + '"')
    errs = errors_of(rules_copy)
    assert any("Telegram allows 4096" in p.message for p in errs)


def test_check_json_output(rules_copy, capsys):
    replace_in(rules_copy / "rules.yaml", "when: home_country == UZ", "when: home_country = UZ")
    assert main(["check", "--json", "--rules", str(rules_copy)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["errors"] >= 1
    assert any(p["file"] == "rules/rules.yaml" and "unexpected character '='" in p["message"] for p in report["problems"])


def test_rules_dir_from_environment(rules_copy, monkeypatch, capsys):
    (rules_copy / "topics.yaml").write_text("topics: [", encoding="utf-8")
    monkeypatch.setenv("OGOH_RULES_DIR", str(rules_copy))
    from bot.cli import build_parser

    args = build_parser().parse_args(["check"])
    assert args.rules == str(rules_copy)


def test_a_stale_translation_is_never_shown_as_current(rules_copy):
    from bot.ogoh import Ogoh

    tg = rules_copy / "text" / "tg.yaml"
    for key in ("topic.get-help.title", "topic.get-help.answer", "topic.get-help.steps"):
        _set_translation(rules_copy, "tg", key, lambda en: en)  # a current translation of today's English
    tg.write_text(tg.read_text(encoding="utf-8").replace("reviewed: false", "reviewed: true"), encoding="utf-8")
    assert Ogoh(rules_copy).topic("get-help", "tg").notices == []  # reviewed and current: no notice
    replace_in(rules_copy / "text" / "en.yaml", 'text: "Where to get help"', 'text: "Where to get help now"')
    book = load_rulebook(rules_copy)
    assert ("tg", "topic.get-help.title") in book.stale
    assert any("topic.get-help.title' is stale" in p.message for p in book.warnings)
    notices = Ogoh(rules_copy).topic("get-help", "tg").notices
    assert notices == [book.texts["tg"]["ui.unreviewed_notice"].text]


def _set_translation(rules_copy, lang, key, text, current=True):
    """Write one translation as a translator would, recording the current English hash."""
    from ruamel.yaml import YAML

    from bot.engine.rulebook import text_hash

    yaml = YAML()
    en = yaml.load((rules_copy / "text" / "en.yaml").read_text(encoding="utf-8"))["texts"][key]["text"]
    path = rules_copy / "text" / f"{lang}.yaml"
    doc = yaml.load(path.read_text(encoding="utf-8"))
    doc["texts"][key] = {"text": text(en), "reviewed": False, "source_hash": text_hash(en) if current else "0000000000"}
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    return en


def test_translation_that_changes_a_number_phone_handle_or_link_is_refused(rules_copy):
    def broken(en):
        return (en.replace("+7 925 045-47-44", "+7 925 045-47-45")
                  .replace("@huquqiy_yordam_uzbot", "@huquqiy_yordam_bot")
                  .replace("2025", "2024"))
    en = _set_translation(rules_copy, "kk", "rule.help-uz.detail", broken)
    assert "+7 925 045-47-44" in en and "@huquqiy_yordam_uzbot" in en and "2025" in en
    _set_translation(rules_copy, "ky", "bot.cleared", lambda en: en.replace("48", "24"))
    _set_translation(rules_copy, "tg", "rule.help-russian-citizens.detail", lambda en: en.replace("iditelesom.org", "iditelesom.com"))
    _set_translation(rules_copy, "ru", "bot.help", lambda en: en.replace("/forget", "/forgot"))
    errs = errors_of(rules_copy)
    kk = [p.message for p in errs if p.file == "rules/text/kk.yaml" and "rule.help-uz.detail" in p.message]
    assert any("'+7 925 045-47-44' is missing" in m for m in kk)
    assert any("'@huquqiy_yordam_uzbot' is missing" in m for m in kk)
    assert any("2025" in m and "missing" in m for m in kk) and any("2024" in m and "not in the English" in m for m in kk)
    assert any(p.file == "rules/text/ky.yaml" and "bot.cleared" in p.message and "48" in p.message for p in errs)
    assert any(p.file == "rules/text/tg.yaml" and "'iditelesom.org' is missing" in p.message for p in errs)
    assert any(p.file == "rules/text/ru.yaml" and "'/forget' is missing" in p.message for p in errs)
    assert all(p.line > 1 for p in errs if "is missing" in p.message)


def test_numbers_are_compared_by_value_and_stale_translations_are_left_to_the_stale_warning(rules_copy):
    # "3,300" may be written "3 300" or "3300"; a decimal comma is fine; nothing else changes.
    from bot.engine.protected import compare

    assert compare("almost $3,300 a month, 2.3 trillion, +7 (495) 967 98 44", "почти 3 300 долларов, 2,3 трлн, +7 (495) 967 98 44") == []
    assert compare("up to 10 years", "до 10 лет (2022)") != []
    # A stale translation (made from older English) is not refused: it is listed as stale.
    _set_translation(rules_copy, "ky", "bot.cleared", lambda en: en.replace("48", "24"), current=False)
    book = load_rulebook(rules_copy)
    assert any(p.level == "warning" and "'bot.cleared' is stale" in p.message for p in book.warnings)


def test_contact_text_missing_or_in_latin_letters_in_a_language_is_an_error(rules_copy):
    """A contact is shown in every answer of its audience: a label or caveat missing in Kyrgyz, or
    a Tajik label that starts with the English name, would put English into those answers."""
    from ruamel.yaml import YAML

    yaml = YAML()
    path = rules_copy / "text" / "ky.yaml"
    doc = yaml.load(path.read_text(encoding="utf-8"))
    del doc["texts"]["contact.civic-assistance.label"]
    del doc["texts"]["contact.get-lost.caveat"]
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    _set_translation(rules_copy, "tg", "contact.civic-assistance.label", lambda en: "Civic Assistance Committee: шикоят аз қарори ихроҷ")
    _set_translation(rules_copy, "uz", "contact.get-lost.label", lambda en: "Get Lost: chaqiruvga duch kelgan Rossiya fuqarolari uchun")
    errs = errors_of(rules_copy)
    ky = [p.message for p in errs if p.file == "rules/text/ky.yaml"]
    assert any("contact.civic-assistance.label" in m and "missing in ky" in m for m in ky)
    assert any("contact.get-lost.caveat" in m and "missing in ky" in m for m in ky)
    assert any(p.file == "rules/text/tg.yaml" and "'civic-assistance'" in p.message and "Latin letters" in p.message for p in errs)
    assert not any(p.file == "rules/text/uz.yaml" and "Latin letters" in p.message for p in errs)  # Uzbek is written in Latin


def test_every_contact_text_exists_in_every_language(book):
    from bot.engine.i18n import UZ_CYRILLIC, Localizer

    for contact in book.contacts:
        for key in (f"contact.{contact.id}.label", f"contact.{contact.id}.caveat"):
            if key not in book.texts["en"]:
                continue
            for lang in [*REQUIRED_LANGUAGES, UZ_CYRILLIC]:
                loc = Localizer(book, lang)
                loc.text(key)
                assert not loc.fallbacks, (lang, key)


def test_a_coarse_answer_that_refines_to_no_answer_or_lacks_its_question_is_an_error(rules_copy):
    """facts.yaml `refine` ("yes" -> who): every value must be an answer of the fact, and the
    question that asks who (fact.<id>.refine.<value>) must exist in every language."""
    line = replace_in(rules_copy / "facts.yaml", "dont_know: other}", "dont_know: nobody}")
    errs = errors_of(rules_copy)
    assert any(p.file == "rules/facts.yaml" and p.line == line and "'nobody' is not an answer of 'military_offer'" in p.message for p in errs), errs
    replace_in(rules_copy / "facts.yaml", "dont_know: nobody}", "dont_know: other}")
    replace_in(rules_copy / "text" / "en.yaml", "  fact.military_offer.refine.yes:", "  fact.military_offer.refine.yess:")
    errs = errors_of(rules_copy)
    assert any("fact.military_offer.refine.yes" in p.message for p in errs), errs
