"""`ogoh check` runs the phrase tests of the word lists (rules/lexicon/tests/<lang>.yaml): a word
moved under the wrong answer, which every shape check accepts, fails a phrase with its file and
line, what was read instead and the words that read it (REVIEW_TRANSLATOR #1)."""

from __future__ import annotations

import re

from bot.cli import main
from bot.core.service import check_rules
from tests.conftest import RULES, replace_in


def _move_to_yes(path, fact: str, pattern: str) -> None:
    """A translator's slip: `pattern` cut from wherever it is and pasted under `fact` "yes"."""
    text = path.read_text(encoding="utf-8")
    text = text.replace(f"{pattern}, ", "").replace(f", {pattern}]", "]")
    head = re.search(rf"\n  {fact}:\n    \"yes\": \[", text)
    assert head, fact
    text = text[: head.end()] + f"{pattern}, " + text[head.end():]
    path.write_text(text, encoding="utf-8")


def test_every_language_has_phrase_tests_and_they_pass():
    folder = RULES / "lexicon" / "tests"
    langs = {p.stem for p in folder.glob("*.yaml")}
    assert {"ru", "uz", "tg", "ky", "kk", "en"} <= langs
    problems, errors, _ = check_rules(RULES)
    assert not [p for p in problems if "lexicon/tests" in p.file and p.level == "error"]


def test_a_no_phrase_moved_under_yes_fails_check_at_the_phrase(rules_copy, capsys):
    _move_to_yes(rules_copy / "lexicon" / "ky.yaml", "passport_taken", "паспортум өзүмдө")
    assert main(["check", "--rules", str(rules_copy)]) == 1
    out = capsys.readouterr().out
    line = next(i for i, t in enumerate((rules_copy / "lexicon/tests/ky.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith('  "паспортум өзүмдө"'))
    wrong = next(t for t in out.splitlines() if t.startswith(f"rules/lexicon/tests/ky.yaml:{line}: error:"))
    assert "must state passport_taken: no; Ogoh reads passport_taken: yes" in wrong
    assert re.search(r'rules/lexicon/ky\.yaml:\d+ "паспортум өзүмдө" \(passport_taken: yes\)', wrong)
    assert "FAILED" in out.splitlines()[-1]


def test_a_summons_word_under_permit_threat_fails_the_summons_phrases(rules_copy):
    _move_to_yes(rules_copy / "lexicon" / "ky.yaml", "permit_threat", "повестка*")
    problems, errors, _ = check_rules(rules_copy)
    failed = [p for p in problems if p.level == "error"]
    assert errors and all(p.file.startswith("rules/lexicon/tests/") for p in failed)
    ky = [p.message for p in failed if p.file == "rules/lexicon/tests/ky.yaml"]
    assert any('"мага повестка келди" must state summons: yes; Ogoh reads permit_threat: yes, summons: yes' in m
               and '"повестка*" (permit_threat: yes)' in m for m in ky)


def test_a_negation_phrase_guards_against_a_negated_word(rules_copy):
    """`{}` phrases and "no" phrases: "эч ким коркуткан жок" (nobody threatened) must stay a no."""
    replace_in(rules_copy / "lexicon" / "tests" / "ky.yaml", '"эч ким коркуткан жок": {permit_threat: "no"}',
               '"эч ким коркуткан жок": {permit_threat: "yes"}')
    problems, _, _ = check_rules(rules_copy)
    msg = [p.message for p in problems if p.level == "error"]
    assert len(msg) == 1 and msg[0].startswith('"эч ким коркуткан жок" must state permit_threat: yes; Ogoh reads permit_threat: no')
    assert "(permit_threat: yes)" in msg[0]  # the "yes" word a negation turned into "no"


def test_a_mistake_in_a_phrase_file_is_named(rules_copy):
    path = rules_copy / "lexicon" / "tests" / "ky.yaml"
    line = replace_in(path, '{summons: "yes"}', '{sumons: "yes"}')
    line2 = replace_in(path, '{passport_taken: "no"}', '{passport_taken: "ооба"}')
    problems, errors, _ = check_rules(rules_copy)
    got = {(p.line, p.message.split(": ", 1)[1][:40]) for p in problems if p.level == "error"}
    assert (line, "unknown fact 'sumons' (facts: home_count") in got
    assert (line2, "'ооба' is not an answer of 'passport_tak") in got
