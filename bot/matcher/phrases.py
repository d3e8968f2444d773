"""Phrase tests of the word lists (rules/lexicon/tests/<lang>.yaml), run by `ogoh check`.

A word list (rules/lexicon/<lang>.yaml) can be well formed and still wrong: "паспортум өзүмдө"
("my passport is with me") moved under passport_taken "yes" reverses what a worker said, and only
a sentence read with it shows that. Each file holds phrases in one language and the facts Ogoh
must read from each, exactly: every fact named with its answer, and no other fact. `{}` means
"no fact at all" (a negation, a question, a word that must not count):

    lang: ky
    phrases:
      "паспортум өзүмдө": {passport_taken: "no"}
      "мага повестка келди": {summons: "yes"}
      "патентимди алып салышпайт": {}
      "агай, мага повестка келди": {summons: "yes", about: "self"}

`about: "self"` or `about: "other"` (optional) also checks whom the message is about: the writer,
or a relative or friend he writes of ("агам повестка алды").

A phrase read otherwise is an error at its line, saying what was read instead and which words of
the word lists read it (file and line), so a translator can find the entry to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.engine.problems import Problem
from bot.engine.yamlfile import YamlDoc, load_yaml
from bot.matcher.facts import FactExtractor, Lexicon, extractor_for

FOLDER = ("lexicon", "tests")


def _display(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _shown(facts: dict[str, str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(facts.items())) or "no fact"


def _culprits(root: Path, book: Any, text: str, fid: str, value: str) -> list[str]:
    """The patterns listed under facts.<fid>.<value> that find something in `text`, as
    'file:line "pattern"' (each tried alone; only for a failing phrase). None found: those of the
    fact's other answers ("no" is often a "yes" word under a negation)."""
    found = _patterns_in(root, book, text, fid, [value])
    return found or _patterns_in(root, book, text, fid, [v for v in book.facts[fid].options if v != value])


def _patterns_in(root: Path, book: Any, text: str, fid: str, values: list[str]) -> list[str]:
    out: list[str] = []
    for code in book.lexicon:
        path = root / "lexicon" / f"{code}.yaml"
        doc, _ = load_yaml(path, _display(root, path))
        if doc is None or not isinstance(doc.data, dict):
            continue
        for value in values:
            items = ((doc.data.get("facts") or {}).get(fid) or {}).get(value) or []
            for i, item in enumerate(items):
                lex = Lexicon(fact_options={})
                lex.add(str(item), ("fact", fid, value))
                if FactExtractor(lex)._read(text)[3]:
                    out.append(f"{doc.display}:{doc.line(('facts', fid, value, i))} \"{item}\" ({fid}: {value})")
    return out


def _problem(doc: YamlDoc, loc: tuple[Any, ...], message: str) -> Problem:
    return doc.problem(loc, message)


def check_phrases(book: Any) -> list[Problem]:
    """Every phrase test of the rule book's folder; the problems of those that fail."""
    root = Path(book.root)
    folder = root.joinpath(*FOLDER)
    if not folder.is_dir():
        return []
    extractor = extractor_for(book)
    options = {fid: set(f.options) | {"dont_know"} for fid, f in book.facts.items()}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        doc, found = load_yaml(path, _display(root, path))
        problems += found
        if doc is None:
            continue
        data = doc.data
        if not isinstance(data, dict) or not isinstance(data.get("phrases"), dict):
            problems.append(doc.problem((), 'the file must have `lang: <code>` and `phrases:`, one `"phrase": {fact: "answer"}` a line'))
            continue
        if data.get("lang") != path.stem:
            problems.append(doc.problem(("lang",), f"lang is '{data.get('lang')}' but the file is for '{path.stem}'"))
        for field in data:
            if field not in ("lang", "phrases"):
                problems.append(doc.problem((field,), f"unknown field '{field}' (a phrase file has lang and phrases)"))
        for text, want in data["phrases"].items():
            loc = ("phrases", text)
            if want is None:
                want = {}
            if not isinstance(want, dict):
                problems.append(_problem(doc, loc, f"\"{text}\": write the facts it states as {{fact: \"answer\"}}, or {{}} for none"))
                continue
            bad = False
            about = want.get("about")
            if about is not None and str(about) not in ("self", "other"):
                problems.append(_problem(doc, loc, f"\"{text}\": about is \"self\" or \"other\", not '{about}'"))
                bad = True
            want = {k: v for k, v in want.items() if k != "about"}
            for fid, value in want.items():
                if fid not in options:
                    problems.append(_problem(doc, loc, f"\"{text}\": unknown fact '{fid}' (facts: {', '.join(options)})"))
                    bad = True
                elif str(value) not in options[fid]:
                    problems.append(_problem(doc, loc, f"\"{text}\": '{value}' is not an answer of '{fid}' (answers: {', '.join(sorted(options[fid]))})"))
                    bad = True
            if bad:
                continue
            want = {k: str(v) for k, v in want.items()}
            read = extractor.extract(str(text))
            got = read.facts
            if about is not None and read.about != str(about):
                problems.append(_problem(doc, loc, f"\"{text}\" must be about {about}; Ogoh reads it as about {read.about}"
                                         " (markers self, other, friend, address of rules/lexicon/*.yaml)"))
            if got == want:
                continue
            wrong = {k: v for k, v in got.items() if want.get(k) != v}
            missed = {k: v for k, v in want.items() if got.get(k) != v}
            message = f"\"{text}\" must state {_shown(want)}; Ogoh reads {_shown(got)}"
            where = [c for fid, value in wrong.items() for c in _culprits(root, book, str(text), fid, value)]
            if where:
                message += "; the words that read it: " + ", ".join(where[:4])
            elif missed:
                message += f"; no words of rules/lexicon/*.yaml read {_shown(missed)} here (or a negation undoes them)"
            problems.append(_problem(doc, loc, message))
    return problems
