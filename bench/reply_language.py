"""Reply-language accuracy on the development sets (tests/data/questions, tests/data/dev, tests/data/dev3: each
line's `lang`), as `Ogoh.ask` chooses it: with the prior = the writer's own language (a user who
chose it, or whose Telegram is in it), with no prior (API or web without a language), and with
the prior Russian for texts in the other languages (a worker whose Telegram is in Russian: the
reply should switch only when the text clearly is in another language). Never the blind sets.

    python bench/reply_language.py [--errors]
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ogoh import Ogoh  # noqa: E402

SETS = ["tests/data/questions", "tests/data/dev/questions", "tests/data/dev/facts", "tests/data/dev3/questions", "tests/data/dev3/facts"]


def expected(lang: str, text: str) -> str:
    """Uzbek in Cyrillic letters is answered in uz-Cyrl (tests/data/questions labels it uz)."""
    if lang == "uz" and sum("а" <= ch.lower() <= "я" or ch in "ўқғҳё" for ch in text) > sum("a" <= ch.lower() <= "z" for ch in text):
        return "uz-Cyrl"
    return lang


def rows() -> list[tuple[str, str]]:
    out = []
    for folder in SETS:
        for path in sorted((ROOT / folder).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    out.append((expected(item["lang"], item["text"]), item["text"]))
    return out


def main() -> int:
    ogoh = Ogoh(ROOT / "rules")
    data = rows()
    settings = {"prior = own": lambda lang: lang, "no prior": lambda lang: None, "prior ru (not ru)": lambda lang: "ru"}
    show = "--errors" in sys.argv
    langs = sorted({lang for lang, _ in data})
    print(f"{'setting':<20}" + "".join(f"{lg:>9}" for lg in langs) + f"{'all':>9}")
    for name, prior_of in settings.items():
        right: collections.Counter[str] = collections.Counter()
        total: collections.Counter[str] = collections.Counter()
        for lang, text in data:
            if name.startswith("prior ru") and lang == "ru":
                continue
            got = ogoh.ask(text, None, prior_of(lang)).reply_lang
            total[lang] += 1
            if got == lang:
                right[lang] += 1
            elif show:
                print(f"  [{name}] {lang} -> {got}: {text[:90]}")
        cells = "".join(f"{100 * right[lg] / total[lg]:8.1f}%" if total[lg] else f"{'-':>9}" for lg in langs)
        print(f"{name:<20}{cells}{100 * sum(right.values()) / sum(total.values()):8.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
