"""Languages: choosing one, looking texts up with a fallback that is never silent, Uzbek scripts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.engine.memo import memo
from bot.engine.rulebook import RuleBook

UZ_CYRILLIC = "uz-Cyrl"


class UnknownLanguage(ValueError):
    def __init__(self, requested: str, supported: list[str]):
        super().__init__(f"unsupported language '{requested}'; use one of: {', '.join(supported)}")
        self.requested = requested
        self.supported = supported


def supported_languages(book: RuleBook) -> list[str]:
    return list(book.languages) + ([UZ_CYRILLIC] if "uz" in book.languages else [])


def resolve_language(book: RuleBook, requested: str | None, default: str = "ru") -> str:
    """Map what a caller asked for ("ru-RU", "uz_cyrl", "uz-Latn", "KK") to one of ours."""
    if not requested:
        return default
    tag = requested.strip().replace("_", "-").lower()
    if tag in ("uz-cyrl", "uz-cyrillic", "uz-cyr", "uzc"):
        return UZ_CYRILLIC
    base = tag.split("-")[0]
    if base in book.languages:
        return base
    raise UnknownLanguage(requested, supported_languages(book))


def language_from_accept(book: RuleBook, header: str | None) -> str | None:
    """Best supported language in an Accept-Language header, or None."""
    if not header:
        return None
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        piece, _, params = part.strip().partition(";")
        quality = 1.0
        m = re.search(r"q=([0-9.]+)", params)
        if m:
            try:
                quality = float(m.group(1))
            except ValueError:
                quality = 0.0
        choices.append((-quality, i, piece))
    for _, _, piece in sorted(choices):
        try:
            return resolve_language(book, piece) if piece and piece != "*" else None
        except UnknownLanguage:
            continue
    return None


# Uzbek Latin -> Cyrillic (official 1995 alphabet correspondences). Digraphs first.
_APOSTROPHES = "ʻʼ‘’'`"
_UZ_PAIRS = [
    ("o'", "ў"), ("g'", "ғ"), ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"),
    ("ye", "е"),
]
_UZ_SINGLE = {
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с",
    "t": "т", "u": "у", "v": "в", "x": "х", "y": "й", "z": "з", "c": "с", "w": "в",
}
_VOWELS = set("aeiouаеиоуэ")
# Russian loanwords are written as in Russian in Uzbek Cyrillic: the soft sign comes back, and
# "-tsiya" is ц. Latin stem (lowercase, at the start of a word) -> Cyrillic stem; suffixes follow.
_LOAN_STEMS = {
    "yanvar": "январь", "fevral": "февраль", "aprel": "апрель", "iyun": "июнь", "iyul": "июль",
    "sentabr": "сентябрь", "sentyabr": "сентябрь", "oktabr": "октябрь", "oktyabr": "октябрь",
    "noyabr": "ноябрь", "dekabr": "декабрь", "mariupol": "мариуполь", "kreml": "кремль",
    "batalyon": "батальон", "batalon": "батальон", "aeroport": "аэропорт", "avtomobil": "автомобиль",
    "rubl": "рубль", "film": "фильм", "medal": "медаль", "signal": "сигнал", "portfel": "портфель",
    "sevastopol": "севастополь", "kontsert": "концерт", "shtab": "штаб", "pochtalon": "почтальон",
    # е after a vowel that is е in Russian, not э: "(voenkomatdan)" was "(воэнкоматдан)"
    "voenkomat": "военкомат", "voyenkomat": "военкомат", "voenkom": "военком", "voyenkom": "военком",
    "reestr": "реестр", "proekt": "проект", "proyekt": "проект",
}
_LOAN_RE = re.compile(r"^(" + "|".join(sorted(_LOAN_STEMS, key=len, reverse=True)) + r")", re.IGNORECASE)
# Never transliterated: addresses, @handles, /commands, placeholders, domains, and (passed in)
# proper names such as publishers.
_PROTECTED = re.compile(
    r"(https?://\S+|@\w+|(?<![\w/])/[a-z_]+\b|\{[a-z_]+\}"
    r"|[\w-]+(?:\.[\w-]+)*\.(?:org|ru|uz|com|kz|kg|tj|tm|media|az|net|info|io|ro|ua|eu)\b\S*)"
)


def _uz_word_to_cyrillic(word: str) -> str:
    out: list[str] = []
    i = 0
    lower = word.lower()
    # Apostrophes of any kind mean the same in o', g' and the tutuq belgisi.
    lower = re.sub(f"[{_APOSTROPHES}]", "'", lower)
    loan = _LOAN_RE.match(lower)
    if loan:
        stem = _LOAN_STEMS[loan.group(1).lower()]
        rest = _uz_word_to_cyrillic(word[loan.end():]) if loan.end() < len(word) else ""
        if word[:1].isupper():
            stem = stem.upper() if word.isupper() and len(word) > 1 else stem[:1].upper() + stem[1:]
        return stem + rest
    while i < len(lower):
        ch = lower[i]
        pair = lower[i : i + 2]
        rep = None
        for latin, cyr in _UZ_PAIRS:
            # "yo'q" is й+ў+қ, not ё+ъ+қ: a digraph never swallows the o of o'.
            if pair == latin and not (latin[1] == "o" and lower[i + 2 : i + 3] == "'"):
                rep, step = cyr, 2
                break
        if rep is None and pair == "ts":
            # ц only in loanwords (-tsiya, -tsion, tsement); across a morpheme boundary it is
            # тс: ketsa, aytsa, ko'rsatsa, and before the suffix -siz "without": maslahatsiz.
            if (lower[i + 2 : i + 3] == "i" and lower[i + 3 : i + 4] != "z") or i == 0:
                rep, step = "ц", 2
        if rep is None:
            if ch == "e" and (i == 0 or not lower[i - 1].isalpha() or lower[i - 1] in _VOWELS):
                rep, step = "э", 1  # word-initial e, and e after a vowel (aeroport, poeziya)
            elif ch == "'":
                rep, step = ("ъ" if i > 0 and lower[i - 1].isalpha() else ""), 1
            else:
                rep, step = _UZ_SINGLE.get(ch, ch), 1
        original = word[i : i + step]
        if original[:1].isupper():
            rep = rep[:1].upper() + rep[1:] if (len(original) == 1 or not original[1:].isupper()) else rep.upper()
        out.append(rep)
        i += step
    return "".join(out)


_FOREIGN_WORD = re.compile(r"c(?!h)|w|th|ee|oo", re.IGNORECASE)


def _transliterate_word(match: re.Match[str]) -> str:
    word = match.group(0)
    # Foreign words and names that are not in the list (The Diplomat, Caravanserai) stay in Latin.
    # A known Russian loanword is Uzbek even where it looks foreign (reestr: "ee").
    if _LOAN_RE.match(word) is None and _FOREIGN_WORD.search(word):
        return word
    return _uz_word_to_cyrillic(word)


_MONEY = re.compile(r"([$€£])(\d{1,3}(?:,\d{3})+)(?![\d,])")


def unambiguous_money(text: str) -> str:
    """"$3,300" reads as 3.3 where the comma is the decimal mark: write "$3300"."""
    return _MONEY.sub(lambda m: m.group(1) + m.group(2).replace(",", ""), text)


_NAMES_CACHE: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if names not in _NAMES_CACHE:
        alts = sorted({n for n in names if n.strip()}, key=len, reverse=True)
        _NAMES_CACHE[names] = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in alts) + r")(?!\w)") if alts else None
    return _NAMES_CACHE[names]


def uzbek_latin_to_cyrillic(text: str, names: tuple[str, ...] = ()) -> str:
    """Transliterate Uzbek Latin text, leaving addresses, @handles, /commands, placeholders,
    domains, the given proper names and foreign-looking words alone."""
    pattern = _names_pattern(tuple(names))
    segments = pattern.split(text) if pattern else [text]
    out = []
    for k, segment in enumerate(segments):
        if k % 2:  # a protected name
            out.append(segment)
            continue
        parts = _PROTECTED.split(segment)
        out.append("".join(p if i % 2 else re.sub(r"[A-Za-z" + _APOSTROPHES + r"]+", _transliterate_word, p)
                           for i, p in enumerate(parts)))
    return "".join(out)


@dataclass
class Localizer:
    """Looks texts up for one reply and remembers every fallback, so the reply can say so."""

    book: RuleBook
    lang: str
    fallbacks: set[str] = field(default_factory=set)  # languages actually shown instead of `lang`
    unreviewed: bool = False
    _memo: dict | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def base(self) -> str:
        return "uz" if self.lang == UZ_CYRILLIC else self.lang

    def chain(self) -> list[str]:
        chain = [self.base] + list(self.book.languages[self.base].fallback)
        source = self.book.source_language
        return chain + ([source] if source not in chain else [])

    def lookup(self, key: str) -> tuple[str, str]:
        """The text and the language it is shown in (sums of money written unambiguously).
        Looked up once per rule book, language and key (bot.engine.memo); the fallback and
        "not reviewed" notices are recorded on every call."""
        store = self._memo
        if store is None:
            store = self._memo = memo(self.book, "text")
        hit = store.get((self.lang, key))
        if hit is None:
            text, shown, unreviewed, fallback = self._find(key)
            hit = store[(self.lang, key)] = ((text if shown == "en" else unambiguous_money(text)), shown, unreviewed, fallback)
        if hit[2]:
            self.unreviewed = True
        if hit[3] is not None:
            self.fallbacks.add(hit[3])
        return hit[0], hit[1]

    def _find(self, key: str) -> tuple[str, str, bool, str | None]:
        """(text, language shown, whether it is unreviewed or stale, the fallback language used)."""
        for code in self.chain():
            entry = self.book.texts.get(code, {}).get(key)
            if entry is not None and entry.text.strip():
                # A stale translation is never shown as current: it gets the same notice as an
                # unreviewed one (its English source changed since it was checked). The source
                # language is no translation: never "not yet checked by a translator" (REVIEW_API #10).
                unreviewed = code != self.book.source_language and (not entry.reviewed or (code, key) in self.book.stale)
                if code != self.base:
                    return entry.text, code, unreviewed, code
                if self.lang == UZ_CYRILLIC:
                    return uzbek_latin_to_cyrillic(entry.text, self.book.protected_names), UZ_CYRILLIC, unreviewed, None
                return entry.text, code, unreviewed, None
        raise KeyError(f"no text for {key}")  # the loader guarantees the source language has it

    def text(self, key: str, **values: str) -> str:
        text, _ = self.lookup(key)
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text

    def month_year(self, date: str) -> str:
        """"2022-09-20" -> "сентябрь 2022" / "2022-yil sentabr"; a bare year stays a year."""
        parts = date.split("-")
        if len(parts) < 2:
            return parts[0]
        months = [m.strip() for m in self.text("ui.date.months").splitlines() if m.strip()]
        month = months[int(parts[1]) - 1] if len(months) == 12 else parts[1]
        return self.text("ui.date.month_year", month=month, year=parts[0])

    def citation_note(self, note: str) -> str:
        """A citation's note (why there is no verbatim quote) in the reply language. The notes in
        the rule files are English working notes: other languages get the general sentence."""
        return note if self.base == "en" else self.text("ui.source.note_no_quote")

    def date(self, value: "dt.date | str") -> str:
        """A date as month and year in the reply language (what the sources can support)."""
        return self.month_year(value.isoformat() if isinstance(value, dt.date) else value)

    def notices(self) -> list[str]:
        notes: list[str] = []
        if self.fallbacks:
            names = ", ".join(self.book.languages[c].name for c in sorted(self.fallbacks))
            asked = self.book.languages[self.base].name + (" (кирилл)" if self.lang == UZ_CYRILLIC else "")
            notes.append(self.text("ui.fallback_notice", asked=asked, shown=names))
        if self.unreviewed:
            notes.append(self.text("ui.unreviewed_notice"))
        return notes
