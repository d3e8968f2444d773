"""The steps of the personal answer's first screen (REVIEW8 F8, item 4): over generated situations
(home country or none × Russian citizenship or not said × one or two events × self/other × 7
languages), how many answers have more than 3 steps, how many say one action twice among the
steps a first screen shows (3), and how many tell someone who already signed a contract not to
sign (its steps, or the card a signed contract's reply shows). The action of a step is read from
the rule book's `actions` (rules.yaml, line for line), so the same script measures an older
checkout (`--code DIR`: its engine and rules; the actions are this checkout's, by line position).

    .venv/bin/python bench/first_screen_steps.py [--code /tmp/old-checkout] [--show 5]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parents[1]
LANGS = ["en", "ru", "uz", "uz-Cyrl", "tg", "ky", "kk"]
EVENTS = [("summons", "yes"), ("military_offer", "migration_center"), ("military_offer", "police"),
          ("military_offer", "employer"), ("permit_threat", "yes"), ("contract_signed", "yes"),
          ("status_application", "residence_permit"), ("passport_taken", "yes")]
HOMES = [None, "UZ", "TJ", "KG", "KZ", "TM"]
CITIZENSHIP = [None, "none", "dual", "naturalized", "dont_know"]


def situations():
    for home, cit in itertools.product(HOMES, CITIZENSHIP):
        for n in (1, 2):
            for events in itertools.combinations(EVENTS, n):
                if len({f for f, _ in events}) < n:
                    continue
                facts = dict(events)
                if home:
                    facts["home_country"] = home
                if cit:
                    facts["ru_citizenship"] = cit
                yield facts


def action_table(book, actions_from: Path) -> dict[tuple[str, str], list[str]]:
    """(language, step text) -> its actions, by the line's position in rule.<id>.steps (and .other)."""
    data = yaml.safe_load((actions_from / "rules.yaml").read_text())
    topics = yaml.safe_load((actions_from / "topics.yaml").read_text())["topics"]
    owners = {f"rule.{r['id']}.steps": r.get("actions", []) for r in data["rules"]}
    owners |= {f"topic.{t}.steps": v.get("actions", []) for t, v in topics.items()}
    from bot.engine.i18n import Localizer
    table: dict[tuple[str, str], list[str]] = {}
    for lang in LANGS:
        loc = Localizer(book, lang)
        for key, actions in owners.items():
            for variant in (key, key + ".other"):
                if not any(variant in book.texts.get(c, {}) for c in loc.chain()):
                    continue
                lines = [s.strip() for s in loc.text(variant).splitlines() if s.strip()]
                for line, action in zip(lines, actions, strict=False):
                    parts = action.split("+")
                    table[(lang, line)] = parts
                    if ";" in line and len(parts) == 2:  # the older code kept only what follows ";"
                        rest = line.split(";", 1)[1].strip()
                        table[(lang, rest[:1].upper() + rest[1:])] = parts[1:]
    return table


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--code", default=str(HERE), help="the checkout whose engine and rules to measure")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    sys.path.insert(0, args.code)
    from bot.engine.assess import assess
    from bot.engine.i18n import Localizer
    from bot.engine.summary import build_summary
    from bot.ogoh import Ogoh
    ogoh = Ogoh(str(Path(args.code) / "rules"))
    book = ogoh.book
    table = action_table(book, HERE / "rules")
    total = over3 = repeated = signed_total = signed_dont = unknown = 0
    steps_n: list[int] = []
    shown: list[tuple[str, dict, str, list[str]]] = []
    for lang in LANGS:
        loc = Localizer(book, lang)
        for about in ("self", "other"):
            for facts in situations():
                s = build_summary(book, assess(book, facts), loc, about)
                total += 1
                steps_n.append(len(s.steps))
                over3 += len(s.steps) > 3
                first = s.steps[:3]
                acts = [table.get((lang, step)) for step in first]
                unknown += sum(a is None for a in acts)
                flat = [x for a in acts if a for x in a]
                if len(flat) != len(set(flat)):
                    repeated += 1
                    shown.append(("repeated", facts, lang, first))
                if facts.get("contract_signed") == "yes":
                    signed_total += 1
                    if "dont_sign" in flat:
                        signed_dont += 1
                        shown.append(("signed", facts, lang, first))
    print(f"{total} first screens (summary): more than 3 steps {over3}; an action twice among the first 3 "
          f"{repeated}; signed and told 'do not sign' {signed_dont} of {signed_total}; max steps {max(steps_n)}; "
          f"steps not found in the action table {unknown}")
    for kind, facts, lang, first in shown[:args.show]:
        print(kind, lang, facts, first)


if __name__ == "__main__":
    main()
