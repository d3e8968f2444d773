"""How the matcher holds up when a development question is retyped the way some people type it
(in-process; development question sets only, never tests/data/blind* or dev3).

    python bench/spelling_robustness.py

Each check takes the lines of dev1, dev2 and dev6 (tests/data/questions, tests/data/dev/questions,
tests/data/dev6/questions) that the retyping changes and scores them as written and as retyped:
- uz "sh" as "w": Uzbek Latin chat spelling ("ishlayman" -> "iwlayman");
- uz "o'" as "u": the Russian-keyboard habit ("bo'lsa" -> "bulsa");
- uz "ts" as "c": Russian loanwords spelt the Russian Latin way ("mobilizatsiya" -> "mobilizaciya");
- ru, kk, ky Cyrillic in Latin letters, "ы" as "y" (lines with "ы" only): "кагазы" -> "kagazy".
Prints in-scope top-1 / confidently wrong / out of scope rejected for both, as
bench/eval_matcher.py counts them.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.eval_matcher import evaluate, line  # noqa: E402
from bot.ogoh import Ogoh  # noqa: E402

SETS = ("tests/data/questions", "tests/data/dev/questions", "tests/data/dev6/questions")
_LATIN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y",
          "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
          "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
          "я": "ya", "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "қ": "q", "ғ": "g", "ң": "ng", "һ": "h", "і": "i"}
_O_APOSTROPHE = re.compile(r"([oO])[ʻʼ‘’'`´]")


def latin(text: str) -> str:
    return "".join(_LATIN.get(ch.lower(), ch) for ch in text)


CHECKS = [
    ("uz 'sh' typed 'w'", {"uz"}, lambda t: "sh" in t, lambda t: t.replace("sh", "w").replace("Sh", "W")),
    ("uz 'o'' typed 'u'", {"uz"}, lambda t: bool(_O_APOSTROPHE.search(t)), lambda t: _O_APOSTROPHE.sub(lambda m: "u" if m.group(1) == "o" else "U", t)),
    ("uz 'ts' typed 'c'", {"uz"}, lambda t: "ts" in t, lambda t: t.replace("ts", "c")),
    ("ru in Latin, 'ы' as 'y'", {"ru"}, lambda t: "ы" in t.lower(), latin),
    ("kk in Latin, 'ы' as 'y'", {"kk"}, lambda t: "ы" in t.lower(), latin),
    ("ky in Latin, 'ы' as 'y'", {"ky"}, lambda t: "ы" in t.lower(), latin),
]


def main() -> int:
    rows = []
    for folder in SETS:
        for path in sorted((ROOT / folder).glob("*.jsonl")):
            rows += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    ogoh = Ogoh(ROOT / "rules")
    for name, langs, applies, retype in CHECKS:
        chosen = [r for r in rows if r["lang"] in langs and applies(r["text"])]
        print(line(f"{name}, as written", evaluate(ogoh, chosen), langs=False))
        print(line(f"{name}, retyped   ", evaluate(ogoh, [{**r, "text": retype(r["text"])} for r in chosen]), langs=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
