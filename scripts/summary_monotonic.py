"""Monotonicity of the personal answer (REVIEW_API #4): adding one more true fact to a situation
must never remove a serious risk from `summary.risks`, unless that fact settles the risk's rule
as not applying (with the answers it implies, facts.yaml `implies`). Situations: every assignment of up to two facts (each option and "dont_know"),
each extended by one answer of a third fact; the summary is the engine's (language: en; the
risks do not depend on the language). A drop while the extended answer lists MAX_RISKS serious
risks is counted apart (the cap, not a lost risk).

    .venv/bin/python scripts/summary_monotonic.py [--rules rules] [--show 10]
"""

from __future__ import annotations

import argparse
import itertools
import sys

from bot.engine.assess import assess
from bot.engine.conditions import DONT_KNOW, evaluate, facts_in
from bot.engine.i18n import Localizer
from bot.engine.rulebook import load_rulebook
from bot.engine.models import Severity
from bot.engine.summary import MAX_RISKS, SERIOUS, build_summary


def values(book, fid):
    fact = book.facts[fid]
    opts = list(fact.options) + [DONT_KNOW]
    for coarse in fact.refine:
        if coarse not in opts:
            opts.append(coarse)
    return opts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--show", type=int, default=10)
    args = ap.parse_args(argv)
    book = load_rulebook(args.rules)
    loc = Localizer(book, "en")
    cache: dict = {}
    rules = {r.id: r for r in book.rules}

    def risks(answers):
        key = tuple(sorted(answers.items()))
        if key not in cache:
            a = assess(book, answers)
            s = build_summary(book, a, loc)
            cache[key] = ({r.topic_id: r for r in s.risks}, a.answers)
        return cache[key]

    facts = list(book.facts)
    bases = [{}]
    for n in (1, 2):
        for combo in itertools.combinations(facts, n):
            for vals in itertools.product(*(values(book, f) for f in combo)):
                bases.append(dict(zip(combo, vals, strict=True)))
    pairs = lost = capped = capped_before_less = 0
    shown = 0
    for base in bases:
        before, _ = risks(base)
        if not before:
            continue
        for fid in facts:
            if fid in base:
                continue
            for v in values(book, fid):
                more = {**base, fid: v}
                pairs += 1
                after, implied = risks(more)
                for tid, risk in before.items():
                    if tid in after:
                        continue
                    serious = [rid for rid in risk.rule_ids if rules[rid].severity.value in SERIOUS] or risk.rule_ids
                    if all(evaluate(book.conditions[rid], implied)[0] is False for rid in serious):
                        continue  # the new fact settles it (its serious rules): not a lost risk
                    if implied.get("contract_signed") == "yes" and all(
                            "military_offer" in facts_in(book.conditions[rid]) for rid in serious):
                        continue  # signed already: what an offer calls for is moot (summary.build_summary, REVIEW8 F2)
                    if len(after) >= MAX_RISKS:
                        capped += 1
                        rank = Severity(risk.severity).rank
                        if any(Severity(r.severity).rank < rank for r in after.values()):
                            capped_before_less += 1
                            if shown < args.show:
                                shown += 1
                                print(f"capped before a less severe risk {tid} ({risk.severity}): {base} + {fid}={v} -> "
                                      f"{[(t, r.severity) for t, r in after.items()]}")
                        continue
                    lost += 1
                    if shown < args.show:
                        shown += 1
                        print(f"lost {tid} ({risk.severity}, {risk.status}): {base} + {fid}={v} -> {sorted(after)}")
    print(f"situations {len(bases)}, extensions {pairs}: serious risk lost {lost}, dropped at the cap of {MAX_RISKS} {capped} "
          f"(of them before a less severe one {capped_before_less})")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
