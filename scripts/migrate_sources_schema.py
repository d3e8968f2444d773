"""One-off migration of rules/sources.yaml to the schema of contract 5 (December 2026).

publisher becomes the proper name only; "X, citing Y" / "X, reprinted by Y" / "X / AFP" become
via + relation; descriptions in brackets become publisher_kind codes; date_note and url_note
become codes (or `text`, with the English note moved to rules/text/en.yaml as
source.<id>.date_note); "(from the page address)" in titles becomes title_from_url: true.
Line-based, so comments and layout survive. Run once: python scripts/migrate_sources_schema.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# old publisher -> (publisher, via, relation, kind)
PUBLISHERS: dict[str, tuple[str, str | None, str | None, str | None]] = {
    "International Committee of the Red Cross (ICRC)": ("ICRC", None, None, "organisation"),
    "prg.kz (legal database)": ("prg.kz", None, None, "legal_database"),
    "Euro Weekly News, citing RTVI": ("Euro Weekly News", "RTVI", "citing", None),
    "Zamin.uz (the same appeal: UzDaily, 14 August 2025)": ("Zamin.uz", None, None, None),
    "Censor.NET, citing UzNews": ("Censor.NET", "UzNews", "citing", "ukrainian_outlet"),
    "The Moscow Times / AFP": ("AFP", "The Moscow Times", "reprint", None),
    "Eurasian Star, citing Azattyk": ("Eurasian Star", "Azattyk", "citing", None),
    "Azattyk Asia (RFE/RL)": ("Azattyk Asia", None, None, None),
    "Turan Times, relaying Kazakhstan's Interior Ministry": ("Turan Times", "МВД РК", "relaying", None),
    "The Defense Post / AFP": ("AFP", "The Defense Post", "reprint", None),
    "United24 (a Ukrainian state project)": ("United24", None, None, "state_project"),
    "Georgia Today, citing RTVI and Russia's Defence Ministry": ("Georgia Today", "RTVI", "citing", None),
    "blog quoting the US Library of Congress": ("Emucafe", "US Library of Congress", "quoting", "blog"),
    "baeff.ru (a Russian law firm)": ("baeff.ru", None, None, "law_firm"),
    "President of Russia (kremlin.ru)": ("kremlin.ru", None, None, None),
    "Eurasianet, reprinted by BEARR": ("Eurasianet", "BEARR", "reprint", None),
    "Global Detention Project, reprinted by eurasia.ro": ("Global Detention Project", "eurasia.ro", "reprint", "organisation"),
    "RFE/RL, reprinted by Eurasia Review": ("RFE/RL", "Eurasia Review", "reprint", None),
    "AFP, reprinted by ukrdream.com": ("AFP", "ukrdream.com", "reprint", None),
    "Russian Life, summarizing Verstka": ("Russian Life", "Verstka", "summary", None),
    "Paul Goble's Window on Eurasia, citing CABAR": ("Window on Eurasia", "CABAR", "citing", "blog"),
    "Azattyk (RFE/RL Kyrgyz Service)": ("Azattyk", None, None, None),
    "Civic Assistance Committee (refugee.ru)": ("Civic Assistance Committee", None, None, "organisation"),
    "Get Lost (iditelesom.org), as described by Wikipedia": ("Wikipedia", "Get Lost", "summary", None),
    "Caravanserai (sponsored by the US government)": ("Caravanserai", None, None, "us_sponsored"),
    "Kyiv Post": ("Kyiv Post", None, None, "ukrainian_outlet"),
}
DATE_NOTES = {
    "the page shows no date": "no_date",
    "no date recorded": "not_recorded",
    "organisation page": "organisation_page",
    "about 2015": "approximate",
    "about September 2022": "approximate",
    "about January 2025": "approximate",
    "about 9 June 2025": "approximate",
}
URL_NOTES = {"the research notes did not record the address": "not_recorded"}
FROM_URL = " (from the page address)"


def q(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def migrate(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    out: list[str] = []
    own_notes: dict[str, str] = {}  # text key -> English text
    sid = None
    for line in lines:
        m = re.match(r"^  ([a-z0-9][a-z0-9_\-]*):\s*$", line)
        if m:
            sid = m.group(1)
        m = re.match(r'^(\s+)(publisher|date_note|url_note|title): "(.*)"\s*$', line)
        if not m or sid is None:
            out.append(line)
            continue
        indent, field, value = m.groups()
        value = value.replace('\\"', '"')
        if field == "title":
            if value.endswith(FROM_URL):
                out += [f"{indent}title: {q(value[: -len(FROM_URL)])}", f"{indent}title_from_url: true"]
            else:
                out.append(line)
        elif field == "publisher":
            pub, via, relation, kind = PUBLISHERS.get(value, (value, None, None, None))
            out.append(f"{indent}publisher: {q(pub)}")
            if via:
                out += [f"{indent}via: {q(via)}", f"{indent}relation: {relation}"]
            if kind:
                out.append(f"{indent}publisher_kind: {kind}")
        else:
            codes = DATE_NOTES if field == "date_note" else URL_NOTES
            code = codes.get(value)
            if code is None:
                code = "text"
                own_notes[f"source.{sid}.{field}"] = value
            out.append(f"{indent}{field}: {code}")
    return out, own_notes


def main(root: Path) -> None:
    path = root / "rules" / "sources.yaml"
    lines, notes = migrate(path.read_text(encoding="utf-8").splitlines())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for key, text in notes.items():
        print(f"  {key}:\n    text: {q(text)}\n    reviewed: false")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
