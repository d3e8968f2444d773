"""The facts one free-text message states, with the ids and values of rules/facts.yaml.

The words live in rules/lexicon/<lang>.yaml (one file per language, edited by translators) and
rules/lexicon/places.yaml (cities and regions); this module only knows how sentences work:

- a message is cut into sentences (. ! ? ; new line) and clauses (commas, "but", "а", "ammo" ...);
- every pattern of every language is matched at once (people mix languages), in the folded
  spelling of bot.matcher.normalize, so Cyrillic, Latin and translit meet;
- a pattern is words; `word*` matches words starting with it, `*word` words ending with it, and
  `a ~ b` means a and b within a few words of each other in either order;
- a negation next to a cue flips it ("повестку не получал" -> summons no); `cancel` patterns
  ("не знаю", "кто не") switch off whatever they overlap;
- asking is not stating: a cue in a question, after "if", or about people in general ("can
  foreigners be drafted?") counts only when the clause also speaks of the writer or a relative;
- cues combine: a passport word next to "Russia" is Russian citizenship, next to a home country a
  home passport; both is dual; a Russian city means the writer is in Russia, a home city in the
  locative ("Toshkentdaman") that they are not, in the ablative ("Xivadan") where they are from;
- a message about a relative ("my brother ...") is reported as about "other".
Nothing here stores or logs the text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping

from bot.matcher.normalize import fold
from bot.matcher.variants import latin_y, russian_keyboard

WINDOW = 4  # words between the parts of an `a ~ b` pattern
NEG_BEFORE = 4  # a negation this many words before a cue negates it ...
NEG_FORWARD = 6  # "I don't have a residence permit or a Russian passport": "not" reaches further forward
NEG_AFTER = 3  # ... or this many after (verbs follow the object in Turkic languages and Tajik)
NEAR = 3  # a passport word and a country this close belong together
# Russian genitives that follow the passport they qualify ("паспорт рф", "паспорта россии"), folded
OF_RUSSIA = frozenset({"rf", "rosi", "rosii", "rossii"})
ALSO_WORDS = frozenset({"toje", "takje", "ham", "to", "too", "also", "da", "de"})  # "узбекский тоже": a second passport, dual, not one alone
PLACE_PREPOSITIONS = frozenset({"v", "vo", "iz", "po"})  # "в россии паспорт забрали": Russia the place, not the passport's country
BEHIND = 2  # words of a known kind ("рф", "у меня") between a trailing "not" and what it negates
FIRST_PERSON = frozenset({"i", "ya", "men"})  # "I kept my passport" is not "they kept my passport"

from bot.engine.models import LEXICON_CUES as CUES, LEXICON_MARKERS as MARKERS  # noqa: E402,F401
# "negation" negates the words on either side (Turkic and Tajik verbs come last: "паспорт жок");
# "negation_forward" only what follows ("not", "never", "не").
# "negation_back" only what precedes it: a verb that ends its clause and is negative by its own
# prefix (Tajik «надорам», «нагирифтанд»: "ба ман намедиҳанд, контракт пешниҳод карданд" offers).
NEGATIONS = (("marker", "negation"), ("marker", "negation_forward"), ("marker", "negation_back"))
NEGATED_VALUE = {
    "summons": {"yes": "no"},
    "passport_taken": {"yes": "no"},
    "permit_threat": {"yes": "no"},
    "occupied_job_offer": {"yes": "no"},
    "in_russia": {"yes": "no"},
    "status_application": {"residence_permit": "no", "citizenship": "no"},
}
# A pattern that states a negative answer is not flipped by another negation next to it: Russian,
# Kazakh, Kyrgyz, Uzbek and Tajik negatives agree ("про армию ничего не говорили", "ешкім ... жоқ").
NEGATIVE_VALUES = frozenset({"no", "none"})
# Russian «не», «ни» (folded): a negation that goes with the word after it ("не гражданин"); other
# negations go with the word before them when they touch one (Turkic "паспорт жоқ", "фуқароси эмас").
CLITICS = frozenset({"ne", "ni"})
# what a reporting verb said to everyone ("all", "those who") says to the writer too
REPORTED_TO_ALL = frozenset({("fact", "permit_threat"), ("cue", "offer"), ("cue", "take"), ("cue", "document"),
                             ("fact", "passport_taken"), ("place", "occupied"), ("fact", "occupied_job_offer")})
# "19 сола" (Tajik: 19 years old), folded: an age is not a duration
AGE_WORDS = frozenset({"sola", "solam", "solaam", "solai", "solash", "eshda", "eshta", "yoshda", "jashta", "jashda", "jasta", "jasda"})
# "гражданин РФ и Таджикистана", "Rossiya va O'zbekiston fuqarosi": a citizen of Russia and of another country (folded)
AND_WORDS = frozenset({"i", "и", "va", "ва", "jana", "jane", "and", "ham"})
# "5 ё 6 сол", "10 or 11 yrs", "5 или 6 лет", "5 yoki 6 yil" (folded): two guessed numbers, one unit
# "никто", "ҳеч кас", "ешкім", "nobody", "never" (folded): a "not" that is a person or a time, which
# negates a verb ("в Сахарово никто не вербовал"), never a place one is in
NOBODY = frozenset({"nikto", "nikomu", "nishego", "eshkim", "nobody", "nothing"})
NOBODY_FIRST, NOBODY_SECOND = frozenset({"hesh", "hej", "esh"}), frozenset({"kim", "kas", "kimsa"})  # hech kim, ҳеч кас, эч ким (not hech qachon: never)
# "оила бо ...", "oilam bilan", "with my family" (folded): together with the family
WITH_WORDS = frozenset({"bilan", "bo", "with", "menen", "birge", "s"})
OR_WORDS = frozenset({"yo", "or", "ili", "yoki", "je", "nemese", "ye"})
# Tajik "тоҷикиам", "туркманиаш", "точикиашро" (folded, after the country's stem): "my / his ... one"
TJ_POSSESSED = frozenset(i + e + r for i in ("i", "iy", "y") for e in ("am", "ash", "amon", "ashon") for r in ("", "ro", "ham"))
# Turkic and Tajik accusative endings, folded (-ни, -ны, -ды, -ді, -ты, -ду, -ту, -ну; Tajik -ро)
ACCUSATIVE = ("ni", "di", "ti", "du", "tu", "nu", "ro")
# Cues that can take a negation for themselves (not "Russia", which goes with its passport word, nor
# a cue that only helps another one: a verb of offering is the offer's)
OWN_NEGATION_CUES = frozenset({"passport_word", "document", "take", "ru_citizen", "gave_up", "status", "offer",
                               "surrender", "kept", "acquired", "returned"})
# What happens to someone (a summons, an offer, a threat, a passport taken): whose clause states it
# decides whose message it is (`FactExtractor._whose`)
EVENT_KINDS = frozenset({("fact", "summons"), ("fact", "permit_threat"), ("fact", "passport_taken"), ("fact", "military_offer"),
                         ("fact", "occupied_job_offer"), ("fact", "status_application"), ("cue", "offer"), ("cue", "take"), ("source", "police"),
                         ("source", "employer"), ("source", "migration_center"), ("source", "online"), ("place", "occupied")})
# an elided "me not" after someone else's event: the writer's "no"
ELIDED_NO = {("fact", "summons"): ("summons", "no"), ("fact", "permit_threat"): ("permit_threat", "no"),
             ("fact", "passport_taken"): ("passport_taken", "no"), ("cue", "take"): ("passport_taken", "no"),
             ("fact", "military_offer"): ("military_offer", "no"), ("cue", "offer"): ("military_offer", "no")}
# English subject pronouns (folded): "he will", "they can" state; "will he", "can they" ask
SUBJECTS = frozenset({"i", "he", "she", "they", "we", "it", "you", "u"})
# a self marker inside one of these is not the writer speaking of himself: "eshitdim", "шунидам"
# (I heard: hearsay, a generic word), "дустам", "do'stim" (my friend: the friend's)
HEARSAY_HOLDERS = frozenset({("marker", "generic"), ("marker", "friend")})
# "Ресей армиясында", "российской армии", "rus politsiyasi", "Russian army" (folded stems): "Russia" before
# one of these qualifies it (the army, the police), not a passport word nearby
RUSSIAS_OWN = ("armi", "army", "asker", "askar", "voysk", "voisk", "polits", "polis", "milits", "kushin", "koshin")
# "өзбек бала", "tojik yigit", "тәжік жігітке", "узбек парень", "a Tajik guy" (folded stems): a person of that people
PEOPLE = ("bala", "jigit", "yigit", "paren", "guy", "man", "kishi", "odam", "adam", "bacha", "mard", "muzhik", "zhigit")
# "ko'rmadim", "кўрмаганман", "көрмедім", "не видел", "надидам" (folded): not seen by the writer
UNSEEN = frozenset({"kormadim", "kormaganman", "kormedim", "kormegenmin", "korbodum", "nadidam", "nadidaam"})
# What one is told to do ("sign", "go to Kherson"), stated in the "if not" of what was said (`reported_demand`)
DEMANDS = frozenset({("cue", "offer"), ("place", "occupied"), ("fact", "occupied_job_offer"), ("fact", "military_offer")})
# Cues that are (or end in) a verb: a Russian «не» after one negates the next verb, not it.
VERBAL_CUES = frozenset({"take", "acquired", "surrender", "returned", "gave_up", "kept"})


@dataclass(frozen=True)
class Token:
    kind: str  # "exact" | "prefix" | "suffix"
    text: str

    def matches(self, word: str) -> bool:
        if self.kind == "exact":
            return word == self.text
        if self.kind == "prefix":
            return word.startswith(self.text)
        return word.endswith(self.text) and len(word) > len(self.text)


@dataclass(frozen=True)
class Pattern:
    sides: tuple[tuple[Token, ...], ...]
    name: tuple[str, ...]  # e.g. ("fact", "summons", "yes"), ("marker", "negation"), ("country", "UZ")
    source: str  # as written, for messages
    single: bool = False  # one word: found wherever `Lexicon.candidates` offers it
    second: str = ""  # the second word of a pattern that starts with two exact words ("не предлагали"), for a quick test


def parse_pattern(text: str) -> list[tuple[Token, ...]]:
    """`word`, `word*`, `*word`, separated by spaces; `~` joins parts found near each other."""
    sides = []
    for part in text.split("~"):
        tokens = []
        for raw in part.split():
            prefix, suffix = raw.endswith("*"), raw.startswith("*")
            core = raw.lower() if raw.lower() in KEPT_CYRILLIC else fold(raw.strip("*"))
            if not core:
                continue
            for i, piece in enumerate(core.split()):  # folding may split "o'z-o'zidan"
                last, first = i == len(core.split()) - 1, i == 0
                kind = "prefix" if prefix and last else "suffix" if suffix and first else "exact"
                tokens.append(Token(kind, piece))
        if tokens:
            sides.append(tuple(tokens))
    return sides


@dataclass
class Hit:
    name: tuple[str, ...]
    clause: int
    start: int  # word positions within the message
    end: int  # inclusive
    rest: str = ""  # what follows a `word*` pattern's last word in the message: Toshkent|daman
    ending: bool = False  # found by a `*ending` pattern ("*madim"): a verb's negative suffix


@dataclass
class Clause:
    sentence: int
    start: int
    end: int  # exclusive
    question: bool = False
    cond_at: int | None = None  # position of "if"
    q_at: int | None = None  # the first question word ("can", "можно")
    qmark: bool = False  # the clause ends its sentence with "?"
    cond_end: int | None = None  # a Turkic conditional verb ("kelsa", "коймасаң"): the words up to it are the "if" part
    todo_at: int | None = None  # "что делать", "chi kor kunam": asks what to do, not whether what comes before it is so
    final_q: int | None = None  # a question word ending the clause ("келе ме", "bormi", "или нет"): it asks the words just before it
    lead_q: int | None = None  # the end of a question of two words or more that opens the clause ("can they", "могут ли")
    tagged: bool = False  # its sentence ends in a tag question ("..., правда?", "... rostmi?"): all of it is asked
    generic: bool = False
    personal: bool = False
    now: bool = False


@dataclass(frozen=True)
class Extraction:
    facts: dict[str, str]
    about: str  # "self" | "other"


@dataclass
class Lexicon:
    """Every pattern of every language, indexed by the first word so a message is read once."""

    patterns: list[Pattern] = field(default_factory=list)
    exact: dict[str, list[Pattern]] = field(default_factory=dict)
    prefix: dict[str, list[Pattern]] = field(default_factory=dict)
    suffix: dict[str, list[Pattern]] = field(default_factory=dict)
    contrast: frozenset[str] = frozenset()
    year_words: dict[str, str] = field(default_factory=dict)  # folded word prefix -> "year" | "month"
    fact_options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    suffixes: dict[str, list[str]] = field(default_factory=lambda: {"origin": [], "location": [], "direction": []})
    _seen: dict[str, tuple[Pattern, ...]] = field(default_factory=dict, repr=False)  # word -> candidates
    _lengths: tuple[list[int], list[int]] | None = field(default=None, repr=False)
    _plans: dict[str, tuple[tuple[Pattern | None, tuple[str, ...], str, bool], ...]] = field(default_factory=dict, repr=False)  # word -> `plan`
    _endings: dict[tuple[str, tuple[str, ...]], str | None] = field(default_factory=dict, repr=False)  # `ending_kind`

    def add(self, text: str, name: tuple[str, ...]) -> None:
        typed = russian_keyboard(text)  # "муроҷиат" is also typed "мурочиат"
        if typed is not None and text.lower() not in KEPT_CYRILLIC:  # (ҚР is not КР)
            self._add(typed, name)
        if "ӣ" in text:  # the Tajik ending -ӣ is typed "й" on a Russian keyboard: шаҳрвандӣ = шахрвандй
            self._add(_TJ_FINAL_I.sub("й", typed or text), name)
        if _VOICED_STEM.search(text):  # Kazakh, Kyrgyz: азаматтық* -> азаматтығым, көмек* -> көмегі
            voiced = _VOICED_STEM.sub(lambda m: _VOICED[m.group(1)] + "*", text)
            self._add(voiced, name)
            self._add_latin_y(voiced, name)
        self._add_latin_y(text, name)
        self._add(text, name)

    def _add_latin_y(self, text: str, name: tuple[str, ...]) -> None:
        """Kyrgyz, Kazakh, Russian typed in Latin letters: "y" for "ы" (кагазы = kagazy, алып =
        alyp), which `fold` turns into "i". A word of two letters keeps only its Cyrillic spelling
        (the Russian question word "бы" would be English "by")."""
        if text.lower() in KEPT_CYRILLIC or ("ы" not in text and "Ы" not in text):
            return
        typed = " ".join(w if len(w.strip("*~")) <= 2 else latin_y(w) or w for w in text.split(" "))
        if fold(typed) != fold(text):
            self._add(typed, name)

    def _add(self, text: str, name: tuple[str, ...]) -> None:
        sides = parse_pattern(text)
        if not sides:
            return
        if len(sides) > 1:
            # `a ~ b` is found in either order: look it up by its rarer-looking side ("паспорт* ~ алып
            # кет*" by "алып"), so that a common word does not try every pattern that starts with it
            sides.sort(key=lambda side: -(100 * (side[0].kind == "exact") + len(side[0].text)))
        head = sides[0]
        second = head[1].text if len(head) > 1 and head[1].kind == "exact" else ""
        pattern = Pattern(tuple(sides), name, text, len(sides) == 1 and len(head) == 1, second)
        self.patterns.append(pattern)
        first = sides[0][0]
        table = {"exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}[first.kind]
        table.setdefault(first.text, []).append(pattern)
        self._seen.clear()
        self._lengths = None
        if getattr(self, "_plans", None):
            self._plans.clear()
        if getattr(self, "_endings", None):
            self._endings.clear()

    def candidates(self, word: str) -> tuple[Pattern, ...]:
        """The patterns whose first word may match `word`: its exact entry, then every listed
        prefix (shortest first), then every listed suffix (shortest first). Only the lengths some
        pattern has are tried, and the answer is kept per word (a lexicon is not changed once
        built; `_add` forgets the cache)."""
        found = self._seen.get(word)
        if found is None:
            if self._lengths is None:
                self._lengths = (sorted({len(k) for k in self.prefix}), sorted({len(k) for k in self.suffix}))
            prefix_lens, suffix_lens = self._lengths
            out: list[Pattern] = list(self.exact.get(word, ()))
            size = len(word)
            for n in prefix_lens:
                if n > size:
                    break
                out += self.prefix.get(word[:n], ())
            for n in suffix_lens:
                if n >= size:
                    break
                out += self.suffix.get(word[-n:], ())
            found = tuple(out)
            if len(self._seen) >= 50_000:
                self._seen.clear()
            self._seen[word] = found
        return found

    def ending_kind(self, test: str, forms: tuple[str, ...]) -> str | None:
        """The first of origin, location, direction whose case endings (`suffixes`) one of `forms`
        starts with (`test` "starts": the rest of a place word after its stem), or, "ends", ends
        with, an ending of two letters or more and the word longer than it by two (a form listed
        whole); None when none does. Kept per forms, as `candidates` is per word."""
        memo = getattr(self, "_endings", None)
        if memo is None:  # (a lexicon unpickled from a snapshot made before this memo)
            memo = self._endings = {}
        key = (test, forms)
        if key in memo:
            return memo[key]
        found = None
        for kind in ("origin", "location", "direction"):
            listed = self.suffixes[kind]
            if test == "starts":
                hit = any(r.startswith(s) for r in forms for s in listed)
            else:
                hit = any(len(s) > 1 and w.endswith(s) and len(w) > len(s) + 1 for w in forms for s in listed)
            if hit:
                found = kind
                break
        if len(memo) >= 50_000:
            memo.clear()
        memo[key] = found
        return found

    def plans(self) -> dict[str, tuple[tuple[Pattern | None, tuple[str, ...], str, bool], ...]]:
        """The words `plan` has worked out (read only: `plan` adds to it)."""
        plans = getattr(self, "_plans", None)
        if plans is None:  # (a lexicon unpickled from a snapshot made before this memo)
            plans = self._plans = {}
        return plans

    def plan(self, word: str) -> tuple[tuple[Pattern | None, tuple[str, ...], str, bool], ...]:
        """What `FactExtractor._match` does at a word, worked out once per word (kept like
        `candidates`; a lexicon is not changed once built): its candidates in order, a one-word
        pattern as the hit it makes there (name, the rest of the word after a `word*` stem, whether
        a `*ending` found it), the same name twice at the word once, with the shortest rest (the
        first of them: Toshkent|da, not Tosh|kentda); a longer pattern as itself (None for a hit)."""
        plans = self.plans()
        found = plans.get(word)
        if found is None:
            out: list[list] = []
            single_at: dict[tuple[str, ...], int] = {}
            for p in self.candidates(word):
                if not p.single:
                    out.append([p, p.name, "", False])
                    continue
                token = p.sides[0][0]
                rest = word[len(token.text):] if token.kind == "prefix" else ""
                at = single_at.get(p.name)
                if at is not None:
                    if len(rest) < len(out[at][2]):
                        out[at][2] = rest
                    continue
                single_at[p.name] = len(out)
                out.append([None, p.name, rest, token.kind == "suffix"])
            found = tuple((e[0], e[1], e[2], e[3]) for e in out)
            if len(plans) >= 50_000:
                plans.clear()
            plans[word] = found
        return found


def build_lexicon(files: Iterable[object], places: object | None, fact_options: Mapping[str, Iterable[str]]) -> Lexicon:
    """From the parsed lexicon files (bot.engine.models.LexiconFile) and places (PlacesFile)."""
    lex = Lexicon(fact_options={k: tuple(v) for k, v in fact_options.items()})
    contrast: set[str] = set()
    for f in files:
        for marker, items in getattr(f, "markers", {}).items():
            for item in items:
                if marker == "contrast":
                    contrast.update(item.lower().split())
                elif marker in ("origin_suffix", "location_suffix", "direction_suffix"):
                    lex.suffixes[marker.split("_")[0]].extend(fold(item).split())
                elif marker in ("year", "month"):
                    for w in parse_pattern(item)[:1]:
                        lex.year_words[w[0].text] = marker
                else:
                    lex.add(item, ("marker", marker))
        for cue, items in getattr(f, "cues", {}).items():
            for item in items:
                lex.add(item, ("cue", cue))
        for fid, values in getattr(f, "facts", {}).items():
            for value, items in values.items():
                for item in items:
                    lex.add(item, ("fact", fid, value))
        for country, items in getattr(f, "countries", {}).items():
            for item in items:
                lex.add(item, ("country", country))
        for source, items in getattr(f, "offer_source", {}).items():
            for item in items:
                lex.add(item, ("source", source))
    if places is not None:
        for country, items in getattr(places, "home", {}).items():
            for item in items:
                lex.add(item, ("place", "home", country))
        for item in getattr(places, "russia", []):
            lex.add(item, ("place", "russia"))
        for item in getattr(places, "occupied", []):
            lex.add(item, ("place", "occupied"))
    lex.contrast = frozenset(contrast)
    return lex


# a stem written with * that ends in к, қ, п is voiced before a vowel ending (қ→ғ, к→г, п→б)
_VOICED = {"қ": "ғ", "к": "г", "п": "б"}
_VOICED_STEM = re.compile(r"(?<=[аәеёиіоөуұүыэюя])([қкп])\*")
_TJ_FINAL_I = re.compile(r"ӣ(?=[\s*~]|$)")
_SENTENCES = re.compile(r"[.!?;\n…]+|(?<=\D)[:](?=\s)")
_QUESTION_END = re.compile(r"\?\s*$")
_CLAUSES = re.compile(r"[,«»\"“”„()\[\]—–]+|\s-\s")
_NUMBER = re.compile(r"^\d{1,4}$")
_YEAR_WITH_ENDING = re.compile(r"^(\d{4})[a-z']{1,6}$")
_KAZAKH_LETTERS = re.compile(r"[әіұӘІҰ]")  # letters only Kazakh has: the message is (partly) Kazakh


# "РВП-ны", "ВНЖ-ни", "СВО-ро": an accusative or genitive ending after a hyphen belongs to the word
# before it (alone, "ни" would read as the Russian negation «ни»)
_HYPHEN_CASE = re.compile(r"(?<=\w)-(ны|ни|ну|нү|ды|ди|ду|дү|ты|ти|ту|тү|ро|ның|нің|нын|нин|нун|нүн|дын|дин|дун|дүн|тын|тин|тун|түн|ni|ny|di|ti|ro|ning|nin)(?=[\W]|$)", re.IGNORECASE)


def _segment(text: str, contrast: frozenset[str]) -> tuple[list[str], list[Clause]]:
    if "-" in text:
        text = _HYPHEN_CASE.sub("", text)
    words: list[str] = []
    clauses: list[Clause] = []
    sentence = 0
    for raw_sentence, ends_q in _split_sentences(text):
        parts = [p for p in _CLAUSES.split(raw_sentence) if p.strip()]
        first_clause = len(clauses)
        for part in parts:
            # "but" words start a new clause; compared before folding, so that Russian «а», «но»
            # are not English "a", "no"
            pieces: list[list[str]] = [[]]
            for raw in part.split():
                if raw.lower().strip(".,:;!?'\"") in contrast and pieces[-1]:
                    pieces.append([])
                pieces[-1].append(raw)
            for piece in pieces:
                folded = _fold_piece(piece)
                if folded:
                    clauses.append(Clause(sentence, len(words), len(words) + len(folded)))
                    words += folded
        if ends_q and len(clauses) > first_clause:
            clauses[-1].question = True
            clauses[-1].qmark = True
        sentence += 1
    return words, clauses


# Short Cyrillic words kept as they are: folded they would be English words of the lexicon («и» =
# "I", «но» = "no", «а» = "a", «то» = "to", «он» = "on": "паспорт забрали и держат", "но в миграционке")
KEPT_CYRILLIC = frozenset({"и", "но", "а", "то", "он", "ме", "ин", "қр"})  # ме: Kazakh question, ин: Tajik "this", ҚР: Kazakhstan (КР: Kyrgyzstan)


_KEPT_AFTER = ".,:;!?'\"…"  # what may follow a kept word in its word (_KEPT's lookahead)
_KEPT = re.compile(r"(?<!\S)(" + "|".join(sorted(KEPT_CYRILLIC)) + r")(?=[.,:;!?'\"…]*(?:\s|$))", re.IGNORECASE)
_KEPT_WORD = re.compile("|".join(sorted(KEPT_CYRILLIC)), re.IGNORECASE)  # (fullmatch: a kept word, as _KEPT reads it)


def _fold_piece(piece: list[str]) -> list[str]:
    text = " ".join(piece)
    # (every kept word is Cyrillic; one kept is a word of its piece, punctuation after it: a short word)
    if text.isascii() or not any(len(core) <= 2 and _KEPT_WORD.fullmatch(core) for core in (w.rstrip(_KEPT_AFTER) for w in piece)) \
            or _KEPT.search(text) is None:
        return fold(text).split()
    out: list[str] = []
    pos = 0
    for m in _KEPT.finditer(text):
        out += fold(text[pos:m.start()]).split()
        out.append(m.group(1).lower())
        pos = m.end()
    return out + fold(text[pos:]).split()


def _split_sentences(text: str) -> Iterable[tuple[str, bool]]:
    pos = 0
    for m in _SENTENCES.finditer(text):
        yield text[pos:m.end()], "?" in m.group(0)
        pos = m.end()
    if text[pos:].strip():
        yield text[pos:], False


class FactExtractor:
    def __init__(self, lexicon: Lexicon, today: dt.date | None = None):
        self.lex = lexicon
        self.year = (today or dt.date.today()).year
        self._recent: dict[str, Extraction] = {}  # the matcher and `ask` read the same text
        self._named: dict[str, list[str]] = {}  # the countries a recent text names, found by the same reading

    def extract(self, text: str) -> Extraction:
        found = self._recent.get(text)
        if found is None:
            found = self._extract(text)
            if len(self._recent) >= 256:
                self._recent.clear()
            self._recent[text] = found
        return Extraction(dict(found.facts), found.about)

    def countries_named(self, text: str) -> list[str]:
        """The home countries a text names (a country's name or one of its cities, places.yaml),
        in the order named: what the text is about, not whose citizen the writer is ("сколько лет
        дадут в таджикистане": Tajikistan; a topic card then shows that country's finding)."""
        named = self._named.get(text)
        if named is None:
            self._read(text)
            named = self._named[text]
        return list(named)

    # --- reading ---------------------------------------------------------------------------

    def _read(self, text: str) -> tuple[list[str], list[Clause], list[int], list[Hit]]:
        """The words, clauses, each word's clause and every pattern found, once per text: the facts
        (`_extract`) and the countries named are both read from it (an ask needs both)."""
        words, clauses = _segment(text, self.lex.contrast)
        # (the clauses follow each other and hold every word: `_segment`)
        clause_of = [ci for ci, c in enumerate(clauses) for _ in range(c.end - c.start)]
        hits = self._match(words, clause_of) if words else []
        places = [h for h in hits if h.name[0] == "country" or h.name[:2] == ("place", "home")]
        if len(places) > 1:  # (in the order named: a stable sort of these is theirs in the sorted hits)
            places.sort(key=lambda h: h.start)
        named = [h.name[1] if h.name[0] == "country" else h.name[2] for h in places]
        if len(self._named) >= 256:
            self._named.clear()
        self._named[text] = list(dict.fromkeys(named))
        return words, clauses, clause_of, hits

    def _match(self, words: list[str], clause_of: list[int]) -> list[Hit]:
        hits: list[Hit] = []
        seen: dict[tuple, int] = {}  # (a longer pattern's name, span) -> its hit (a one-word pattern's: `Lexicon.plan`)
        n = len(words)
        plan = self.lex.plan
        planned = self.lex.plans()
        for i, word in enumerate(words):
            entries = planned.get(word)
            if entries is None:
                entries = plan(word)
            if not entries:
                continue
            following = words[i + 1] if i + 1 < n else ""
            for p, name, rest, ending in entries:
                if p is None:  # a one-word pattern: its hit at this word, worked out once per word
                    hits.append(Hit(name, clause_of[i], i, i, rest, ending))
                    continue
                # a candidate's first word already matches (candidates() looks it up by it)
                if p.second and p.second != following:
                    continue
                span = self._match_at(p, words, clause_of, i, n)
                if span is None:
                    continue
                last = p.sides[0][-1]
                rest = words[span[0] + len(p.sides[0]) - 1][len(last.text):] if last.kind == "prefix" and len(p.sides) == 1 else ""
                key = (p.name, span)
                if key in seen:  # the same cue again: keep the longest stem (Toshkent|da, not Tosh|kentda)
                    if len(rest) < len(hits[seen[key]].rest):
                        hits[seen[key]].rest = rest
                    continue
                seen[key] = len(hits)
                hits.append(Hit(p.name, clause_of[i], span[0], span[1], rest, p.sides[0][0].kind == "suffix"))
        return hits

    @staticmethod
    def _seq_at(tokens: tuple[Token, ...], words: list[str], clause_of: list[int], i: int, n: int, skip: int = 0) -> int | None:
        if i + len(tokens) > n:
            return None
        c = clause_of[i]
        for k in range(skip, len(tokens)):
            if clause_of[i + k] != c:
                return None
            token, word = tokens[k], words[i + k]  # Token.matches, inline
            kind, text = token.kind, token.text
            if kind == "exact":
                if word != text:
                    return None
            elif kind == "prefix":
                if not word.startswith(text):
                    return None
            elif not (word.endswith(text) and len(word) > len(text)):
                return None
        return i + len(tokens) - 1

    def _match_at(self, p: Pattern, words: list[str], clause_of: list[int], i: int, n: int) -> tuple[int, int] | None:
        end = self._seq_at(p.sides[0], words, clause_of, i, n, 1)  # its first word is the candidate's
        if end is None:
            return None
        lo, hi = i, end
        for side in p.sides[1:]:
            found = None
            for j in range(max(0, i - WINDOW - len(side)), min(n, end + WINDOW + 1)):
                if clause_of[j] != clause_of[i] or lo <= j <= hi:
                    continue
                e = self._seq_at(side, words, clause_of, j, n)
                if e is not None:
                    found = (j, e)
                    break
            if found is None:
                return None
            lo, hi = min(lo, found[0]), max(hi, found[1])
        return lo, hi

    # --- deciding --------------------------------------------------------------------------

    def _extract(self, text: str) -> Extraction:
        words, clauses, clause_of, hits = self._read(text)
        if not words:
            return Extraction({}, "self")
        hits = _address(hits, clauses)
        if all(h.name[0] == "marker" for h in hits):
            # only markers (negations, questions, persons ...): every fact, and whether the message
            # is about a relative's events, needs a fact, cue, country, place or offerer; what is
            # left is who it speaks of, which no marker filter below changes (`_about` reads the
            # self and relative markers, which only a content hit can switch off)
            return Extraction({}, self._about(hits, clauses))
        # "не знаю", "кто не": whatever they overlap is not a negation or a cue
        cancels = [h for h in hits if h.name == ("marker", "cancel")]
        # ... unless a fact listed whole holds it: "не хочу подавать" (will not apply) is meant, not "не хочу"
        # (at its edge: "ВНЖны контрактсыз алгым келет" holds "контрактсыз" inside, which still cancels the contract)
        cancels = [o for o in cancels if not any(f.name[0] == "fact" and f.start <= o.start and o.end <= f.end
                                                 and f.end - f.start > o.end - o.start and (o.start == f.start or o.end == f.end) for f in hits)]
        if _KAZAKH_LETTERS.search(text):
            # in Kazakh «не» is "what" or "or" ('не контракт, не выдворение', 'контракт не анықтама'), never "not"
            hits = [h for h in hits if not (h.name in NEGATIONS and h.start == h.end and words[h.start] == "ne")]
        negs = [h for h in hits if h.name in NEGATIONS]
        todos = [h for h in hits if h.name == ("marker", "what_to_do")]
        # "кай гирифтам намедонам" (I don't know when I got it): its "when" asks nothing
        todos += [h for h in hits if h.name == ("marker", "since_unknown")]
        # "чанд сол боз гражданство дорам аник намедонам", "сколько лет гражданство, не знаю": a question of
        # how long ("how many years", "necha yil") beside "I don't know" doubts the time, not the citizenship
        doubting = {clauses[h.clause].sentence for h in hits if h.name == ("marker", "unknown")}
        spans = [h for h in hits if h.name == ("marker", "question") and clauses[h.clause].sentence in doubting
                 and any(k < len(words) and clause_of[k] == h.clause and self._unit(words[k]) for k in (
                     (h.end + 1, h.end + 2) if h.end + 1 < len(words) and words[h.end + 1] in ("many", "much") else (h.end + 1,)))]
        todos += spans
        hits += [Hit(("marker", "since_unknown"), h.clause, h.start, h.end, h.rest) for h in spans]

        def overlaps(h: Hit, others: list[Hit]) -> bool:
            return any(o.start <= h.end and h.start <= o.end for o in others)

        # ("для иностранцев": a contract *for foreigners* is not a question about foreigners in general)
        def cancelled(h: Hit) -> bool:  # (a fact listed whole around a cancel holds it: "ВНЖны контрактсыз алгым келет")
            return any(o.start <= h.end and h.start <= o.end and not (
                h.name[0] == "fact" and h.start <= o.start and o.end <= h.end and h.end - h.start > o.end - o.start) for o in cancels)

        hits = [h for h in hits if not (cancels and (h.name[0] != "marker" or h.name in NEGATIONS) and cancelled(h))
                # (a generic word only by a cancel holding it whole: "у тех кто не подписывает" stays general)
                and not (h.name == ("marker", "generic") and any(o.start <= h.start and h.end <= o.end for o in cancels))
                # "Тәжіктер мен Ресей": Kazakh «мен» after a name is "and", not "I"
                and not (h.name == ("marker", "self") and h.start == h.end and words[h.start] == "men" and h.start > clauses[h.clause].start
                         and any(o.end == h.start - 1 and (o.name[0] in ("country", "place") or o.name == ("cue", "russia")) for o in hits))
                # "в Перми" is a place, not the Uzbek question ending -rmi
                and not (h.name[0] == "marker" and h.name[1] in ("question", "question_suffix") and h.start == h.end
                         and any(p.name[0] == "place" and p.start == h.start for p in hits))
                # "he will make documents", "they will send him": a subject before the modal states (not in a "?" clause)
                and not (h.name[0] == "marker" and h.name[1] == "question" and h.start == h.end and h.start > 0
                         and words[h.start - 1] in SUBJECTS and clause_of[h.start - 1] == h.clause and not clauses[h.clause].qmark)
                # "hech qachon", "hech kim" (never, nobody) hold question words but ask nothing
                # (but "ё не", "or not" hold a negation and still ask)
                and not (h.name[0] == "marker" and h.name[1] in ("question", "question_suffix")
                         and any(n.start <= h.start and h.end <= n.end for n in negs))
                # a word listed whole under cancel switches off a question ending it happens to have ("xodimi": staff)
                and not (h.name[0] == "marker" and h.name[1] in ("question", "question_suffix")
                         and any(o.start == h.start and o.end == h.end for o in cancels))
                # ... and so does the last word of a phrase listed whole ("про службу": a Russian "-бу" is
                # no Kyrgyz question ending)
                and not (h.name[0] == "marker" and h.name[1] in ("question", "question_suffix") and h.ending
                         and any(o.name[0] != "marker" and o.start < h.start == o.end and not o.rest for o in hits))
                # "повестка келді, не істеймін": a what-to-do question holds no negation (Russian "не")
                and not (h.name in NEGATIONS and any(o.start <= h.start and h.end <= o.end for o in todos))
                # "повестка пришла, что делать": the question word of a what-to-do question asks only that
                and not (h.name[0] == "marker" and h.name[1] in ("question", "question_suffix")
                         and any(o.start <= h.start and h.end <= o.end for o in todos))]
        by_name: dict[tuple[str, ...], list[Hit]] = {}  # the hits of each name, in order
        for h in hits:
            by_name.setdefault(h.name, []).append(h)
        for h in hits:
            c = clauses[h.clause]
            kind = h.name[1] if h.name[0] == "marker" else None
            if kind == "question" or kind == "question_suffix":
                c.question = True
                c.q_at = h.start if c.q_at is None else min(c.q_at, h.start)
            elif kind == "conditional":
                c.cond_at = h.start if c.cond_at is None else min(c.cond_at, h.start)
            elif kind == "what_to_do":
                c.todo_at = h.start if c.todo_at is None else min(c.todo_at, h.start)
            elif kind == "conditional_end":
                c.cond_end = h.end if c.cond_end is None else max(c.cond_end, h.end)
            elif kind == "generic":
                c.generic = True
            elif kind == "other" or kind == "self" and not any(
                    o.start <= h.start and h.end <= o.end and o.name in HEARSAY_HOLDERS for o in hits):
                c.personal = True  # (not the "I" of "I heard", "eshitdim", nor the "my" of "my friend", "дустам")
            elif kind == "now":
                c.now = True
            if kind == "question" and h.end > h.start and h.start <= c.start + 1:
                c.lead_q = h.end if c.lead_q is None else max(c.lead_q, h.end)
            if kind in ("asks_about", "asked_about"):  # "спрашиваю про ...": the rest of the clause is asked
                at = h.end if kind == "asks_about" else c.start - 1
                c.lead_q = at if c.lead_q is None else min(c.lead_q, at)
            if kind in ("question", "question_suffix") and h.end == c.end - 1:
                c.final_q = h.start if c.final_q is None else min(c.final_q, h.start)
        # "жігіттер айтады ... қол қойғызады екен, рас па?", "мегуянд дар Донецк пули хуб хаст. рост?":
        # a clause that is only a question word ends what it tags (its sentence, or the one before it)
        asked_words = {k for h in hits if h.name[0] == "marker" and h.name[1] in ("question", "question_suffix") for k in range(h.start, h.end + 1)}
        for ci, c in enumerate(clauses):
            if c.qmark and all(k in asked_words for k in range(c.start, c.end)):
                own = [cl for cl in clauses if cl.sentence == c.sentence]
                if own[0] is c and ci > 0:
                    own += [cl for cl in clauses if cl.sentence == clauses[ci - 1].sentence]
                for cl in own:
                    cl.tagged = True
        # a negation that is part of a longer pattern ("патент не продлят") is used up by it
        # ("никто не звал" states military_offer no, "азаматтығым жоқ" ru_citizenship none: their
        # negation may still negate a neighbour, "орыс азаматтығым жоқ")
        # and so is one inside a word listed whole ("qaytarmayapti": does not give back, a take)
        worded = [h for h in hits if h.name[0] != "marker" and h.name[-1] not in ("no", "none") and (h.end > h.start or not h.rest)]
        # but not a negating suffix on the open stem a pattern ends with ("азаматтыққа тапсыр|маймын":
        # will not apply): that one negates the pattern itself
        negations = [h for h in hits if h.name in NEGATIONS
                     and not any(w.start <= h.start and h.end <= w.end and not (w.rest and h.start == h.end == w.end) for w in worded)]

        # "сказали если не подпишу контракт аннулируют патент": a threat after an "if" with no comma
        # is what they said when a reporting verb (said, сказали, deyishdi) is in its sentence
        reported = {clauses[h.clause].sentence for h in by_name.get(("marker", "reported"), ())}

        def reported_threat(h: Hit) -> bool:
            c = clauses[h.clause]
            return h.name == ("fact", "permit_threat", "yes") and c.sentence in reported and not c.qmark

        def reported_demand(h: Hit) -> bool:
            """"бригадир айтты контракт жасамасаң жұмыстан шығарамыз деп", "Херсонға бармасаң патентіңді
            жабамыз деді": what they said he must do, in the "if not" of what they said, is an offer stated."""
            c = clauses[h.clause]
            return h.name[:2] in DEMANDS and c.sentence in reported and not c.qmark and not c.question

        def stated(h: Hit) -> bool:
            c = clauses[h.clause]
            if c.tagged:
                return False
            ci = h.clause
            if c.qmark and not c.personal and c.q_at is None and c.end - c.start <= 2:
                return False  # "повестка?", "povestka omad?": a word asked back, a yes/no question
            if c.qmark and ci > 0 and clauses[ci - 1].sentence == c.sentence and clauses[ci - 1].cond_at is not None:
                return False  # "agar kontrakt imzo kunam, dar Tojikiston maro zindon mekunand?": what would follow, asked
            if c.final_q is not None and c.final_q - 2 <= h.end and h.start < c.end:
                return False  # "маған повестка келе ме?", "rus pasportim bormi": what the final question word asks, even about oneself
            if c.cond_at is not None and h.start > c.cond_at and not (c.cond_end is not None and c.cond_at < c.cond_end < h.start) \
                    and not reported_threat(h) and not reported_demand(h):
                return False  # (after "agar ... -sa" comes what then happens)
            if c.cond_end is not None and h.end <= c.cond_end and (
                    h.end >= c.cond_end - 1 if c.cond_at is None or c.cond_at >= c.cond_end else h.start >= c.cond_at) \
                    and not reported_demand(h):
                # "pasportimni olib qo'yishsa", "мага повестка келсе": the -sa verb and the word before it
                # ("qo'rqitishyapti urushga bormasam": the threat is stated), or all from "agar" to it
                return False
            # ("uchastkovoy ... imzolamaganlarni chiqarib yuboramiz dedi": said to those who do not sign, the writer among them)
            general = c.generic and not (c.sentence in reported and not c.question and (
                h.name[:2] in REPORTED_TO_ALL or h.name[0] == "source"))
            # (what was done or said to all, the writer among them: a threat, an offer, passports taken,
            # work in occupied places; "Тәжіктер мен Ресейдің арасында ... келісім бар дейді" stays general)
            if (c.question or general or c.todo_at is not None and h.start > c.todo_at) and not c.personal:
                return False  # ("what do I do if they take my passport": after a what-to-do question, asked)
            if c.qmark and c.q_at is not None and c.q_at <= c.start + 1 and h.start > c.q_at:
                return False
            if c.lead_q is not None and h.start > c.lead_q:
                return False  # "can they take back my russian passport if ...", "should i apply for citizenship now": asked, with or without "?"  # "can they deport me if I refuse?": what the question asks, even about oneself
            return True

        # What a negation can belong to: facts, cues and offerers (not markers; "Russia" goes with
        # its passport word). A negation belongs to the one it touches or the nearer one, never to one
        # farther away across another: "povestka keldi grajdanstvo joq" (the citizenship is not
        # there, the paper is), "вручили повестку, он же не гражданин рф", "рус фуқароси эмасман
        # чақирув қоғозига" (a Turkic "not" follows its word), "контрактга рози эмасман" (does not
        # agree, so was offered one).
        content = [h for h in hits if h.name[0] in ("fact", "source") or h.name[0] == "cue" and h.name[1] in OWN_NEGATION_CUES]

        def touching(neg: Hit, forward: bool) -> list[Hit]:
            return [o for o in content if o.clause == neg.clause and (o.start == neg.end + 1 if forward else o.end == neg.start - 1)]

        covered = {k for o in hits for k in range(o.start, o.end + 1)}

        def just_behind(neg: Hit) -> list[Hit]:
            """The content a trailing "not" follows across words that go with it: "паспорта рф нет
            контракт предложили" (no passport; an offer), not the offer after it."""
            back = [o for o in content if o.clause == neg.clause and neg.start - 1 - BEHIND <= o.end < neg.start - 1
                    and all(k in covered for k in range(o.end + 1, neg.start))]
            return [max(back, key=lambda o: o.end)] if back else []

        owners: dict[int, list[Hit]] = {}
        for neg in negations:
            clitic = neg.start == neg.end and words[neg.start] in CLITICS  # Russian «не» goes with the next word
            first, second = (True, False) if clitic or neg.name[1] == "negation_forward" else (False, True)
            owners[id(neg)] = touching(neg, first) or (just_behind(neg) if not first else []) \
                or (touching(neg, second) if neg.name[1] != "negation_back" else [])

        verbal = [h for h in content if h.name[0] == "cue" and h.name[1] in VERBAL_CUES]

        def belongs_elsewhere(h: Hit, neg: Hit) -> bool:
            def other(o: Hit) -> bool:  # (the same fact again is not another: "no one threatened me with deportation")
                return o.name[:2] != h.name[:2] and not (o.start <= h.end and h.start <= o.end)
            own = owners[id(neg)]
            if own and all(other(o) for o in own):
                return True
            lo, hi = (h.end, neg.start) if h.end < neg.start else (neg.end, h.start)
            if neg.name[1] != "negation_forward" and any(lo < o.start and o.end < hi and other(o) for o in content if o.clause == h.clause):
                return True  # another fact or cue between them takes it (but "I don't have a residence permit or a Russian passport")
            # a Russian «не» after a verb is the next verb's: "стал гражданином россии, его не выпускают"
            return neg.start > h.end and neg.start == neg.end and words[neg.start] in CLITICS and any(
                v.start <= h.end and h.start <= v.end for v in verbal)

        cond_ends = [h for h in by_name.get(("marker", "conditional_end"), ())]

        def negated(h: Hit, after: bool = True) -> bool:
            for neg in negations:
                if neg.clause != h.clause or not after and neg.start > h.end:
                    continue
                if h.start <= neg.start and neg.end <= h.end:
                    # inside the cue: only a suffix after a stem the cue leaves open ("qo'rqit|magan")
                    if h.rest and neg.start == neg.end == h.end:
                        return True
                    continue
                if belongs_elsewhere(h, neg):
                    continue
                if neg.name[1] == "negation_forward" and neg.start > h.end:
                    continue  # "in Perm, never got citizenship": "never" negates what follows it
                if (neg.ending or neg.name[1] == "negation_back") and neg.end < h.start and not (
                        neg.end + 1 < h.start and words[neg.end + 1] == "ki"):
                    continue  # a verb's negative ending negates what comes before the verb ("tushunmadim, kontrakt ...")
                    # (but not a Tajik "нагуфт ки ...", "nobody said that ...": what was not said follows its "ки")
                cond = clauses[h.clause].cond_at
                if cond is not None and min(h.start, neg.start) < cond <= max(h.start, neg.start):
                    continue  # "cancel my patent if I don't go": the "not" belongs to the condition
                if cond is not None and cond < neg.start < h.start and reported_threat(h):
                    continue  # "they said if I don't sign they will cancel ...": the same, the condition first
                if reported_demand(h) and (clauses[h.clause].cond_at is not None or clauses[h.clause].cond_end is not None):
                    continue  # "said if you dont go to SVO we fire you": the "not" is the condition's
                if any(e.clause == neg.clause and e.start <= neg.start and neg.end <= e.end for e in cond_ends):
                    continue  # "контракт имзоламасанг ... бермайман": the "not" of an "if not" verb is the condition's
                cond_end = clauses[h.clause].cond_end
                if cond_end is not None and min(h.start, neg.start) <= cond_end < max(h.start, neg.start):
                    continue  # "imzolamasang, patentingni bekor qilamiz": the same, the condition first
                before = NEG_FORWARD if neg.name[1] == "negation_forward" else NEG_BEFORE
                if h.start - before <= neg.end < h.start or h.end < neg.start <= h.end + NEG_AFTER:
                    return True
            return False

        def negated_across_markers(h: Hit) -> bool:
            """The next negation after `h` in its clause, with only marker words between ("у меня
            пока нет"), no other verb ("домой лететь не пускают")."""
            after = [neg.start for neg in negations if neg.clause == h.clause and neg.start > h.end and neg.name[1] in ("negation", "negation_back")]
            if not after:
                return False
            marked = {k for m in hits if m.name[0] == "marker" for k in range(m.start, m.end + 1)}
            return all(k in marked for k in range(h.end + 1, min(after)))

        def near(a: Hit, b: Hit, dist: int = NEAR) -> bool:
            return a.clause == b.clause and (abs(a.start - b.end) <= dist or abs(b.start - a.end) <= dist)

        dropped, theirs, elided, about_other = self._whose(hits, clauses, stated)
        ended = self._ended(words, hits, clauses)
        was = self._was(hits, clauses)

        def over(h: Hit) -> bool:
            """A summons, or a home country one was in, told of a time that is over ("в 2021 году
            в Казахстане получил повестку. Сейчас в Москве ..."): not what holds now."""
            if h.clause in was and (h.name == ("place", "russia") or h.name[:2] == ("fact", "in_russia")):
                return True  # "hozir Dubayda ishlayapman, oldin Rossiyada edim": where one was, told beside where one is
            return h.clause in ended and (h.name[:2] == ("fact", "summons") or (
                h.name[0] == "country" or h.name[:2] == ("place", "home")) and self._place_context(h, words, hits) == "location")

        # "akam urushga ketgan bo'lishi mumkin", "может быть, он подписал": a guess states no event of its clause
        # (citizenship and country stay: "got Russian citizenship maybe 10 years ago" guesses the time, _since)
        hedged = {h.clause for h in by_name.get(("marker", "hedge"), ())}
        live = [h for h in hits if h.name[0] != "marker" and h.clause not in dropped and stated(h) and not over(h)
                and not (h.clause in hedged and (h.name[:2] in EVENT_KINDS or h.name[0] == "fact" and h.name[1] not in ("ru_citizenship", "home_country")))
                and not (h.clause in theirs and (h.name[:2] in EVENT_KINDS or h.name == ("place", "russia") or h.name[:2] == ("fact", "in_russia")))]
        by: dict[tuple[str, ...], list[Hit]] = {}
        for h in live:
            by.setdefault(h.name[:2], []).append(h)
        facts: dict[str, str] = {}
        votes: dict[str, set[str]] = {}

        def vote(fid: str, value: str) -> None:
            if value in self.lex.fact_options.get(fid, ()) or value == "dont_know":
                votes.setdefault(fid, set()).add(value)

        for fid, value in elided:  # "my friend got a summons, me not": the writer's own "no"
            vote(fid, value)

        # ("не знаю как сказать", "I don't know how to say it": a longer cancel holding it doubts nothing)
        unknown = [h for h in by_name.get(("marker", "unknown"), ()) if not any(
            o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start for o in cancels)]

        def unsure(h: Hit) -> bool:
            """"не знаю, была ли повестка", "povestka kelganmi bilmayman": the writer does not know."""
            return any(clauses[u.clause].sentence == clauses[h.clause].sentence for u in unknown)

        # Facts stated directly, flipped by a negation next to them. ("stated" drops the question
        # "была ли повестка"; a question next to "I don't know" is the writer's own doubt.)
        # ("даъватнома омад, намедонам чӣ навиштааст": a paper that came, whose words he cannot read, is a
        # summons; the doubt is about its own clause or a question that holds the paper)
        def doubted(h: Hit) -> bool:
            return unsure(h) and (clauses[h.clause].question or any(u.clause == h.clause for u in unknown))

        for h in hits:
            if h.name[:2] == ("fact", "summons") and doubted(h):
                vote("summons", "dont_know")
        for h in live:
            if h.name[0] != "fact":
                continue
            _, fid, value = h.name
            if fid in ("ru_citizenship", "in_russia", "military_offer", "home_country", "occupied_job_offer"):
                continue  # combined below
            if fid == "summons" and doubted(h):
                continue
            if fid == "summons" and value == "yes" and clauses[h.clause].sentence in reported and any(
                    words[k] in UNSEEN or words[k] in ("korgen", "korgon") and k + 1 < len(words) and words[k + 1].startswith("jo")
                    for k in range(h.end + 1, len(words))):
                vote("summons", "dont_know")  # "povestka keldi deb aytishdi, lekin o'zim ko'rmadim": told of, not seen
                continue
            if fid == "passport_taken" and value == "no" and any(
                    o.clause == h.clause and o.start > h.end and (o.name == ("marker", "only") or o.name[0] == "country") for o in hits):
                continue  # "паспорт у меня только узбекский" says which passport, not where it is
            if fid == "passport_taken" and value == "no" and any(
                    o.clause == h.clause and o.name[0] == "country" and h.start - 2 <= o.start and o.end <= h.end + 2 for o in hits):
                continue  # "ўзбек паспорти ҳам ўзимда", "паспорти точики хануз дар дастам": which passports one holds
            if negated(h) and value not in NEGATIVE_VALUES:
                if clauses[h.clause].qmark:
                    continue  # "меня не депортируют?": a worried question, not "no threat"
                flipped = NEGATED_VALUE.get(fid, {}).get(value)
                if flipped:
                    vote(fid, flipped)
            else:
                vote(fid, value)  # "никто не предлагал", "ничего не говорили": negatives agree, they do not cancel

        # Passports and citizenship.
        # countries, and "other" countries (facts: home_country: other: [azerbaijan*, ...])
        countries = [h for h in live if h.name[0] == "country"]
        countries += [Hit(("country", h.name[2]), h.clause, h.start, h.end, h.rest) for h in by.get(("fact", "home_country"), [])]
        passport_words = by.get(("cue", "passport_word"), []) + by.get(("cue", "document"), [])
        russia = by.get(("cue", "russia"), [])
        ru_yes, ru_no = [], []
        # "получил гражданство", "became a citizen": the citizenship one acquires is the Russian one
        acquired = by.get(("cue", "acquired"), [])
        promises = [h for h in by_name.get(("marker", "promise"), ())]

        def promised(h: Hit) -> bool:
            """"контракт имзо кун, ВНЖ тез медиҳем", "sign and we give VNZh fast", "ресей паспортын тез аласың":
            a permit or a passport someone promises is not one he holds."""
            return any(m.clause == h.clause and (0 < m.start - h.end <= WINDOW or 0 < h.start - m.end <= 2) for m in promises)

        # "шаҳрвандии Русияро гирифтан мехоҳам" (want to get it): a citizenship wished for is applied for, not held
        # (one refused, "Ресей азаматтығын алғым келмейді", is one he lacks)
        applied = by.get(("fact", "status_application"), [])

        def wished(h: Hit) -> bool:
            return any(a.clause == h.clause and (a.start <= h.start <= a.end or h.end + 1 == a.start) for a in applied)

        acquired = [h for h in acquired if not promised(h) and not wished(h)]
        # ("я гражданин Узбекистана, хочу получить гражданство РФ по браку": the Russian citizenship of a wish is not held)
        wanted = [a for a in applied if a.name[2] != "no" and not negated(a)]

        def wished_for(h: Hit) -> bool:
            return any(a.clause == h.clause and a.start <= h.start <= a.end for a in wanted)

        for h in [c for c in by.get(("cue", "ru_citizen"), []) if not promised(c) and not wished_for(c)] + acquired:
            if h.name[1] == "ru_citizen" and h.start == h.end and any(p.start == h.end + 1 for p in passport_words):
                continue  # Kyrgyz "Россиянын жараны" (Russia's citizen) folds like Russian «россиянин»: the pair decides
            (ru_no if negated(h) else ru_yes).append(h)
        for p in passport_words:
            if any(a.start <= p.start and p.end <= a.end and a.name[2] != "no" and not negated(a) for a in by.get(("fact", "status_application"), [])):
                continue  # "орыс паспортына тапсырғанмын": the passport applied for is not held
            if promised(p):
                continue
            # (not "Russia" that qualifies the word after it: "Қазақстан азаматы Ресей армиясында", "Russian police")
            pair = [r for r in russia if near(p, r) and not (r.end + 1 < len(words) and words[r.end + 1].startswith(RUSSIAS_OWN))
                    and not wished_for(r)]  # "гражданин Узбекистана, хочу получить гражданство РФ": the Russia of the wish
            if pair:  # "паспорта рф у меня нет": the "нет" may follow either word of the pair, across "у меня"
                span = Hit(p.name, p.clause, min(p.start, pair[0].start), max(p.end, pair[0].end), p.rest)
                (ru_no if negated(p) or negated(span, after=False) or negated_across_markers(span) else ru_yes).append(p)
        if ru_no and ru_yes:
            # "Мен Ресей азаматы емеспін, бірақ әйелім Ресей азаматы": the wife's, in a clause about her alone
            kin = {h.clause for h in by_name.get(("marker", "other"), ())} - {h.clause for h in by_name.get(("marker", "self"), ())}
            if any(h.clause not in kin for h in ru_no):
                ru_yes = [h for h in ru_yes if h.clause not in kin]
        if ru_no and ru_yes:
            # "Қазақстан азаматымын орыс паспортым жоқ": the passport word right beside a home country
            # is that country's, the "Russian" beside it belongs to the one that is denied
            ru_yes = [p for p in ru_yes if p.name[1] not in ("passport_word", "document") or not any(near(p, c, 1) for c in countries)]
        home_docs = []
        for p in passport_words:
            if any(r.clause == p.clause and r.start == p.end + 1 and words[r.start] in OF_RUSSIA for r in russia):
                continue  # "я узбек паспорта рф нет": a passport "of the RF" is the Russian one, not his Uzbek one
            for c in countries:
                if near(p, c):
                    home_docs.append((c.name[1], p, c))
        if passport_words:
            # Tajik "паспорти русиям ҳаст, тоҷикиаш ҳам": a country's adjective with a possessive
            # ending (-иам, -иаш: "my / its Tajik one") is that country's passport, in a message
            # that speaks of passports
            for c in countries:
                also = c.rest in ("i", "iro", "iy", "iyro") and c.end + 1 < len(words) and words[c.end + 1] == "ham"
                if (c.rest in TJ_POSSESSED or also) and not any(c is d[2] for d in home_docs):  # ("точикиро хам дорам": the Tajik one too)
                    home_docs.append((c.name[1], c, c))
        dual = [h for h in live if h.name == ("fact", "ru_citizenship", "dual") and not negated(h)]
        # "гражданин РФ и Таджикистана": Russia and a home country joined by "and", next to a citizen word
        dual += [r for r in russia if not negated(r) and any(
            c.clause == r.clause and (c.start == r.end + 2 and words[r.end + 1] in AND_WORDS or r.start == c.end + 2 and words[c.end + 1] in AND_WORDS)
            for c in countries) and any(near(r, p) for p in passport_words + by.get(("cue", "ru_citizen"), []))]
        dual_denied = [h for h in live if h.name == ("fact", "ru_citizenship", "dual") and negated(h)]  # "ду паспорт надорам"
        naturalized = [h for h in live if h.name == ("fact", "ru_citizenship", "naturalized") and not negated(h)]
        none_direct = [h for h in live if h.name == ("fact", "ru_citizenship", "none")]
        gave_up = [h for h in by.get(("cue", "gave_up"), []) if not negated(h)]
        # "сдал узбекский паспорт" (gave it up) / "узбекский не сдавал" (kept it): a verb of giving
        # up next to a home country or a passport that is not the Russian one
        kept = list(by.get(("cue", "kept"), []))
        for v in by.get(("cue", "surrender"), []):
            objects = [c for c in countries if near(v, c)] + [p for p in passport_words if near(v, p) and not any(near(p, r) for r in russia)]
            if objects:
                (kept if negated(v) else gave_up).append(v)
        # "ВНЖ-ға құжат бердім", "подаю на внж": applying for a permit is not holding one
        applying = by.get(("fact", "status_application"), [])
        # (elsewhere in the message too, when it is the permit applied for: "ВНЖ тез бўлади. ВНЖга топширяпман")
        status = [h for h in by.get(("cue", "status"), []) if not negated(h) and not promised(h)
                  and not any(a.clause == h.clause or a.name[2] == "residence_permit" and any(
                      words[k].startswith(words[h.start]) for k in range(a.start, a.end + 1)) for a in applying)]
        only = [h for h in by_name.get(("marker", "only"), ())]
        # "бывший гражданин Таджикистана", "олдин Ўзбекистон фуқароси эдим": a home citizenship of a time that is over
        formerly = {h.clause for h in hits if h.name in (("marker", "past"), ("marker", "was")) and not clauses[h.clause].now}
        # ("эски ўзбек паспортим амалдами йўқми билмайман": whether the old one still holds is not known)
        home_doc_positive = [d for d in home_docs if not negated(d[1]) and not negated(d[2]) and d[1].clause not in formerly
                             and not (clauses[d[1].clause].question and unsure(d[1]))]
        if ru_yes and not ru_no:  # "ўзбек паспортим энди йўқ" beside a Russian one: the home passport is gone
            gave_up += [d[1] for d in home_docs if d not in home_doc_positive]
        # (for a Russian passport named alone: the writer's own, in a message about no one else, with
        # no "not" in the message ("dont take russian citizenship") and no doubt ("алдыбы билбейм"))
        about_others = any(h.name[0] == "marker" and h.name[1] in ("other", "friend", "third", "origin", "hedge") for h in hits)
        doubted = any(h.name == ("marker", "unknown") for h in hits)
        negated_clauses = {h.clause for h in hits if h.name[0] == "marker" and h.name[1] in ("negation", "negation_forward")}
        if ru_no and not ru_yes:
            vote("ru_citizenship", "none")
        elif ru_yes and not ru_no:
            if dual or kept or home_doc_positive and not gave_up:
                vote("ru_citizenship", "dual")
            elif gave_up or naturalized:
                vote("ru_citizenship", "naturalized")
            elif any(a in ru_yes for a in acquired) and not home_docs:
                vote("ru_citizenship", "naturalized")  # "got Russian citizenship 3 months ago", nothing of a home passport
            elif not home_docs and not applying and self._since(text, words, clauses, ru_yes, hits) in ("under_1_year", "1_to_10_years", "over_10_years"):
                vote("ru_citizenship", "naturalized")  # "u rossiya fuqarosi 12 yildan beri", "паспорт рф у меня 8 месяцев": a citizen for a time, no other passport named
            elif not home_docs and not applying and not about_others and not doubted and (
                    not countries or not ALSO_WORDS.intersection(words) and not only and not any(h.clause in formerly for h in ru_yes) and all(h.name == ("cue", "ru_citizen") or any(p.start == h.start for p in passport_words if p.name[1] == "passport_word")
                                         and any(r.clause == h.clause and (0 < r.start - h.end <= 1 or 0 < h.start - r.end <= 1)
                                                 and not (r.start > 0 and words[r.start - 1] in PLACE_PREPOSITIONS) for r in russia)
                                         for h in ru_yes)) and any(
                    not clauses[h.clause].question and clauses[h.clause].cond_at is None and clauses[h.clause].cond_end is None
                    and not clauses[h.clause].generic and not negated_clauses for h in ru_yes):
                # "у меня паспорт РФ, пришла повестка", "I have a Russian passport": a Russian citizen who
                # names no other passport is answered as one (facts.yaml: RU alone implies naturalized),
                # never with "a foreigner cannot be called up" (REVIEW8 #1); beside a home country
                # only when the Russian citizenship is named outright ("я таджик с паспортом рф",
                # REVIEW9 F3), not a document word near "Russia" ("patent v RF")
                vote("ru_citizenship", "naturalized")
        elif dual and not ru_no:
            vote("ru_citizenship", "dual")
        elif naturalized and not ru_no:
            vote("ru_citizenship", "naturalized")
        elif not ru_yes and (status or none_direct or dual_denied):  # applying for a permit is not stating one has no passport
            vote("ru_citizenship", "none")
        elif not ru_yes and any(any(near(o, d[1], 2) for o in only) for d in home_doc_positive):
            vote("ru_citizenship", "none")
        elif not ru_yes and any(near(o, c, 1) and not negated(c) and any(p.clause == o.clause for p in passport_words) for o in only for c in countries):
            # "паспорт у меня пока только узбекский": "only" next to a home country, a passport in the clause
            vote("ru_citizenship", "none")
        # "не знаю, есть ли у меня гражданство РФ", "rus pasportim bormi yo'qmi bilmayman": asked
        # about one's own citizenship in a sentence that says "I don't know"
        # (not the home passport: "эски ўзбек паспортим амалдами йўқми билмайман" doubts whether the old one is valid)
        citizenship_cues = [h for h in hits if h.name in (("cue", "ru_citizen"), ("cue", "acquired"), ("cue", "passport_word"),
                                                           ("fact", "ru_citizenship", "dual"), ("fact", "ru_citizenship", "naturalized"))
                            and not (h.name[1] == "passport_word" and any(p is h for _, p, _ in home_docs))]
        since_unknown = {clauses[h.clause].sentence for h in by_name.get(("marker", "since_unknown"), ())}
        # ("кай паспорти рус гирифтаамро намедонам": the date is not known, the citizenship is)
        doubts = [h for h in citizenship_cues if clauses[h.clause].question and unsure(h) and clauses[h.clause].sentence not in since_unknown]
        # "I don't know which country citizen I am, father from Turkmenistan, mother from Uzbekistan": a
        # citizenship with no Russia beside it, among two home countries named, is the home one not known
        of_home = doubts and len({c.name[1] for c in countries}) >= 2 and not any(
            r.name in (("cue", "russia"), ("cue", "ru_citizen"), ("cue", "acquired")) and clauses[r.clause].sentence in {clauses[d.clause].sentence for d in doubts}
            for r in hits)
        if doubts and not of_home and not status:
            votes["ru_citizenship"] = {"dont_know"}  # (a permit holder who wonders whether citizenship will be granted has none)
        citizenship = next(iter(votes.get("ru_citizenship", ())), None) if len(votes.get("ru_citizenship", ())) == 1 else None
        if citizenship in ("dual", "naturalized"):
            since = self._since(text, words, clauses, ru_yes + dual + naturalized + gave_up, hits)
            if since:
                vote("ru_citizenship_since", since)

        def asked_where(h: Hit) -> bool:
            """"в Узбекистане посадят, если я поеду воевать?", "O'zbekistonda jazo bormi": a home place in
            a question is where the asked thing would happen, not where the writer is (unless "now")."""
            c = clauses[h.clause]
            return (c.question or c.final_q is not None) and not c.now

        # Where the writer is from.
        strong, weak = set(), set()
        home_here: list[Hit] = []
        not_only_there: set[str] = set()  # countries known by more than living there now
        for country, p, c in home_docs:
            if not negated(c) and not negated(p):  # ("ўзбек паспортим энди йўқ": no longer)
                strong.add(country)
                not_only_there.add(country)
        # "бир тожик таниш", "a Tajik guy": the acquaintance's country, not the writer's
        acquainted = [h for h in hits if h.name == ("source", "acquaintance")
                      and not any(o.name == ("marker", "other") and o.start <= h.start and h.end <= o.end for o in hits)]
        for c in countries:
            # "я из таджикистана паспорта рф нет": "from" says where he is from, whatever passport
            # word follows the country (no comma needed); "таджикского паспорта нет" has no "from"
            if negated(c) or any(c is d[2] for d in home_docs) and self._place_context(c, words, hits) != "origin":
                continue
            if any(a.clause == c.clause and a.start == c.end + 1 for a in acquainted) and any(h.name in (("marker", "self"), ("marker", "other")) for h in hits):
                continue  # (when the writer speaks of himself or a relative too: else the message is about that person)
            if c.start == c.end and not c.rest and c.end + 1 < len(words) and clause_of[c.end + 1] == c.clause \
                    and words[c.end + 1].startswith(PEOPLE) and any(h.name in (("marker", "self"), ("marker", "other")) for h in hits):
                continue  # "жатаканадагы өзбек бала", "bir tojik yigit", "армян жигит": that person's people, not the writer's
            ctx = self._place_context(c, words, hits)
            if ctx == "origin" and c.start >= 2 and clause_of[c.start - 2] == c.clause and any(
                    p.name == ("marker", "generic") and p.single for p in self.lex.candidates(words[c.start - 2])):
                continue  # "горячая линия для мигрантов из таджикистана": where those people are from
            if ctx == "location" and asked_where(c):
                continue  # "Қазақстанда сотталамын ба?": the country asked about, not the writer's
            cc = clauses[c.clause]
            if ctx is None and c.name[1] == "other" and c.start == c.end and any(m.name == ("marker", "self") and m.start == m.end == c.start for m in hits):
                # "Мен молдаванмын", "Мен арманман": I am one, as strong as where one grew up (not "ўзбекман",
                # which an Uzbek from Osh says of his people, not his passport)
                ctx = "origin"
            if ctx == "direction" and (cc.cond_at is not None or cc.cond_end is not None or cc.sentence in reported):
                continue  # "повестка келсе, Қазақстанға қашып кел деп айтады": where he would go, or was told to
            (strong if ctx in ("origin", "location") else weak).add(c.name[1])
            if ctx != "location":
                not_only_there.add(c.name[1])
            if ctx == "location" and (clauses[c.clause].personal or clauses[c.clause].now) and not asked_where(c):
                home_here.append(c)  # "Кыргызстандамын", "hozir O'zbekistondaman"
        home_places = [h for h in live if h.name[:2] == ("place", "home")]
        returned = by.get(("cue", "returned"), [])
        for c in countries:  # "O'zbekistonga qaytdim": went back there, so from there and there now
            if not negated(c) and any(near(c, r, 2) for r in returned) and self._place_context(c, words, hits) == "direction":
                strong.add(c.name[1])
                home_here.append(c)
        for h in home_places:
            ctx = self._place_context(h, words, hits)
            if ctx == "direction" and any(near(h, r, 2) and not negated(r) for r in returned):
                ctx = "location"  # "Toshkentga qaytdim", "Самарқандга қайтди"
            if ctx == "location" and not asked_where(h) and not negated(h):  # (not "Бишкекте эмесмин": not there)
                home_here.append(h)
            if ctx != "direction":  # "Toshkentga ketaman": going there says nothing of where one is from
                (strong if ctx in ("origin", "location") else weak).add(h.name[2])
                if ctx != "location":
                    not_only_there.add(h.name[2])
        # "pasporti tojikiro dar Dushanbe supurdam", "Қазақстанда әскерде болғанмын": a home place where
        # something was done or where one was (a passport given up, citizenship received) is not where one is now
        acts = {h.clause for h in hits if h.name[:2] in (("cue", "surrender"), ("cue", "gave_up"), ("cue", "acquired"), ("cue", "kept"))}
        home_here = [h for h in home_here if clauses[h.clause].now or h.clause not in formerly and h.clause not in acts]
        # "ман танҳо кор мекунам, оила дар Душанбе", "отбасым Таразда": the family's home place, in a clause
        # without the writer, is not where he is (but "оила билан Ўзбекистонга қайтдик": with them)
        families = {h.clause for h in hits if h.name == ("marker", "family")
                    and not (h.end + 1 < len(words) and words[h.end + 1] in WITH_WORDS)}
        # ("у меня семья в Намангане": the "меня" of "I have a family" is inside the family words, not the writer's place)
        family_hits = [f for f in by_name.get(("marker", "family"), ())]
        selfs = {h.clause for h in hits if h.name == ("marker", "self")
                 and not any(f.start <= h.start and h.end <= f.end for f in family_hits)}
        home_here = [h for h in home_here if h.clause not in families or h.clause in selfs]
        # a passport or citizenship named with its country outweighs where one grew up or lives
        # ("Армениянын жараныммын, Ошто чоңойгом"), when it names one country
        by_docs = {country for country, p, c in home_docs if not negated(c) and not negated(p)}
        chosen = by_docs if len(by_docs) == 1 else strong or weak
        if citizenship == "naturalized":
            # after naturalization: the country given up or come from ("gave back my Kazakh passport",
            # "from Nukus"), not one lived in now ("азыр Бишкекте турушат")
            chosen = {c for c in chosen if c in not_only_there}
        if len(chosen) == 1:
            vote("home_country", next(iter(chosen)))
        if of_home:
            votes["home_country"] = {"dont_know"}

        # In Russia or not.
        def nobody(k: int) -> bool:
            return words[k] in NOBODY or words[k] in NOBODY_FIRST and k + 1 < len(words) and words[k + 1] in NOBODY_SECOND

        def negated_place(h: Hit) -> bool:
            """("в Сахарово никто не вербовал", "Moskvada hech kim ... qilmadi": a "nobody", and the "not"
            that goes with it, negate the verb, not the place)"""
            near_negs = [n for n in negations if n.clause == h.clause and (
                h.start - NEG_BEFORE <= n.end < h.start or h.end < n.start <= h.end + NEG_AFTER)]
            return negated(h) and any(not nobody(n.start) and not any(
                nobody(k) for k in range(max(h.end + 1, n.start - 3), n.start)) for n in near_negs)

        yes_strong = [h for h in live if h.name == ("place", "russia") and not negated_place(h)
                      and (self._place_context(h, words, hits) not in ("origin", "direction") or any(near(h, r, 2) and not negated(r) for r in returned))]
        # ("born in Russia", "Ресейде туған", "дар Россия таваллуд шуда": where one was born, not where one is)
        born = [r for r in by_name.get(("cue", "russia"), ()) if self._place_context(r, words, hits) == "origin"]
        yes_weak = [h for h in by.get(("fact", "in_russia"), []) if h.name[2] == "yes" and not negated_place(h)
                    and not (self._place_context(h, words, hits) == "origin" or any(h.start <= r.start and r.end <= h.end for r in born))]
        # "Ресейде де азаматпын", "дар Русия ҳам шаҳрвандам", "Россияда ҳам фуқароман": a citizen "in Russia"
        # (a citizen word, not a passport, right after it) is Russia's citizen, not someone who is there
        papers_at = {k for d in hits if d.name == ("cue", "document") for k in range(d.start, d.end + 1)}
        citizen_after = {p.start for p in passport_words if p.start not in papers_at and p.end == clauses[p.clause].end - 1}  # (its predicate)

        def citizen_of(h: Hit) -> bool:
            return any(h.end < k <= h.end + 2 and clause_of[k] == h.clause for k in citizen_after)

        # "Знакомый гуфт дар Белгород кор ҳаст", "Таныс Курскіде окоп қазу жұмысы бар деді": a place in what
        # an acquaintance says (no "I" in its clause) is where the work is, not where the writer is
        # (not one where something happened to the speaker: "guy from our village said in Moscow migration center they gave him contract")
        told = {clauses[h.clause].sentence for h in hits if h.name == ("source", "acquaintance") or h.name in HEARSAY_HOLDERS} & reported
        told -= {clauses[h.clause].sentence for h in hits if h.name[:2] in EVENT_KINDS and h.name != ("source", "acquaintance")}
        yes_strong = [h for h in yes_strong if not citizen_of(h) and not (clauses[h.clause].sentence in told and not clauses[h.clause].personal)]
        yes_weak = [h for h in yes_weak if not citizen_of(h)]
        # ("Мени Россияда эч ким тынчсыздандырган жок": "nobody" negates the verb, not "in Russia")
        no = [h for h in by.get(("fact", "in_russia"), []) if (h.name[2] == "no") != (negated_place(h) if h.name[2] == "yes" else negated(h))]
        # "Мәскеуде емеспін", "I'm not in Moscow now", "дар Москва нестам": not in Russia
        # (the "not" right beside the place: not "живу в Подольске, ни разу не ходил в военкомат")
        no += home_here + [h for h in live if h.name == ("place", "russia") and negated_place(h)
                           and self._place_context(h, words, hits) not in ("origin", "direction")
                           and any(n.clause == h.clause and (n.start == h.end + 1 or n.end in (h.start - 1, h.start - 2))
                                   and not nobody(n.start) for n in negations)]
        if self._about(hits, clauses) == "self":
            # "я ... работаю в Балашихе, жена с детьми в Фергане": a family at home, in a clause about
            # them alone, says nothing against the writer being in Russia (a relative in Russia and the
            # writer at home stay undecided: such messages are often about the relative)
            marks = {(h.clause, h.name[1]) for h in hits if h.name in (("marker", "self"), ("marker", "other"))}
            theirs = {ci for ci in range(len(clauses)) if (ci, "other") in marks and (ci, "self") not in marks}
            if any((ci, "self") in marks for ci in range(len(clauses))) and any(h.clause not in theirs for h in yes_strong):
                no = [h for h in no if h.clause not in theirs]
        if yes_strong and no:
            yes_now = any(clauses[h.clause].now for h in yes_strong)
            no_now = any(clauses[h.clause].now for h in no)
            if yes_now != no_now:
                vote("in_russia", "yes" if yes_now else "no")
        elif yes_strong:
            vote("in_russia", "yes")
        elif no:
            vote("in_russia", "no")
        elif yes_weak:
            vote("in_russia", "yes")

        # Offers of a military contract, and who made them.
        offer_no = [h for h in by.get(("fact", "military_offer"), []) if h.name[2] == "no"]
        offers = by.get(("cue", "offer"), [])
        # "nobody offered work in the new territories": a "no offer" next to an occupied place is about that work
        # ("I was in Donetsk working before the war in 2013, now I'm in Ryazan": a place of a time that is over)
        occupied = [h for h in live if h.name == ("place", "occupied") and self._place_context(h, words, hits) != "origin"
                    and not (h.clause in was and any(m.name == ("marker", "was") and m.clause == h.clause for m in hits))]
        occupied += by.get(("fact", "occupied_job_offer"), [])
        occupied_no = {n.clause for n in offer_no if any(o.clause == n.clause for o in occupied)}
        # "... дар Мариупол кор ҳаст, ба ман касе пешниҳод накардааст": a "no offer" that names nothing, in
        # a sentence about work in an occupied place and no military word, is about that work
        occupied_no |= {n.clause for n in offer_no
                        if any(v.start >= n.start and v.end <= n.end for v in by.get(("cue", "offer_verb"), []))
                        and any(clauses[o.clause].sentence == clauses[n.clause].sentence for o in hits
                               if o.name == ("place", "occupied") or o.name[:2] == ("fact", "occupied_job_offer"))
                        and not any(clauses[f.clause].sentence == clauses[n.clause].sentence for f in offers)}
        offer_no = [n for n in offer_no if n.clause not in occupied_no]
        # "nobody said anything about deport", "про повестку ничего не говорили": a "no" that names another
        # matter in its clause, and no contract or army word, is about that matter
        offer_no = [n for n in offer_no if not any(
            o.clause == n.clause and o.name[0] == "fact" and o.name[1] in ("permit_threat", "summons", "passport_taken", "status_application")
            and not (n.start <= o.start and o.end <= n.end) for o in hits) or any(f.clause == n.clause for f in offers)]
        offer_yes = [h for h in offers if not negated(h) and not any(n.clause == h.clause for n in offer_no)]
        # "cancel your patent if you don't go serve": an offer in the "if" part of a threat stated
        threats = [h for h in live if h.name == ("fact", "permit_threat", "yes") and not negated(h)]
        for h in hits:
            c = clauses[h.clause]
            if (h.name == ("cue", "offer") and (c.cond_at is not None or c.cond_end is not None) and not c.question
                    and any(clauses[t.clause].sentence == c.sentence for t in threats) and h not in offer_yes):
                offer_yes.append(h)
        # "предложили гражданство быстро если пойду служить": offered something, on the condition of
        # serving, an offer verb before the "if" of its clause, is an offer
        offered_if = [h for h in by_name.get(("cue", "offer"), ()) if h not in offer_yes and not clauses[h.clause].question
                      and clauses[h.clause].cond_at is not None and not negated(h) and any(
                          v.clause == h.clause and v.end < clauses[h.clause].cond_at < h.start and not negated(v)
                          for v in by.get(("cue", "offer_verb"), []))]
        offer_yes += offered_if
        # "контракт жоқ, ВНЖ бар", "kontrakt nadoram", "no kontrakt, have patent": a contract he does not have
        # (its clause only the word and its "not") says nothing of an offer; "никто не предлагал контракт" does
        def bare(h: Hit) -> bool:
            c = clauses[h.clause]
            # (a sentence that speaks of offers keeps it: "they offered me nothing, no contract, no job in Ukraine")
            return c.end - c.start <= 2 and not any(clauses[o.clause].sentence == c.sentence and o.name[:2] == ("cue", "offer_verb") for o in hits)
        offer_no += [h for h in offers if negated(h) and not bare(h)]
        direct = [h for h in by.get(("fact", "military_offer"), []) if h.name[2] != "no" and not negated(h)]
        if offer_yes or direct:
            sources = [h for h in hits if h.name[0] == "source" and h.clause not in dropped]  # "полиция кармады": -ма- there is no "not"
            # "шиноснома" (passport) starts like "шинос" (an acquaintance): a word that is a document is not an offerer
            papers = [h for h in hits if h.name in (("cue", "passport_word"), ("cue", "document"))]
            sources = [h for h in sources if not any(d.start == h.start == h.end and len(d.rest) < len(h.rest) for d in papers)]
            # "the MVD officer": a longer source holding a shorter one is the one meant
            sources = [h for h in sources if not any(o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start for o in sources)]
            # "сдам в миграционку", "migratsiyaga topshiraman": where one is threatened to be reported is not who offers
            towards = [h for h in sources if self._place_context(h, words, hits) == "direction"]
            if len(towards) < len(sources):
                sources = [h for h in sources if h not in towards]
            # "qo'shnimni ... SVOga olib ketishdi", "дўстимни ушлаб қолишди", "рафиқамро": an acquaintance
            # in the accusative is the one it happened to, not the one who offered
            sources = [h for h in sources if not (h.name[1] == "acquaintance" and (
                len(h.rest) > 2 and h.rest.endswith(ACCUSATIVE)
                # Russian «соседа/знакомого ... забрали» (not «от соседа», «у знакомого», «через знакомого», «с незнакомого номера»)
                or h.rest in ("a", "ya", "ogo") and (h.start == 0 or words[h.start - 1] not in ("ot", "u", "cherez", "s"))))]
            # "at work", "дар кор", "ishda": where it happened, not who offered; it names the employer
            # only beside nobody else and an offer told as such ("at his work they offered him a contract";
            # not "at work they always talk about the SVO", "дар кор полиция омад")
            def at_work(s: Hit) -> bool:  # a location in the words themselves: "at work", "дар кор", "жұмыста", "ishxonada"
                if any(m.name == ("marker", "location") and s.start <= m.start and m.end <= s.end for m in hits):
                    return True
                ending = s.rest or (words[s.end] if s.start == s.end and len(words[s.end]) >= 5 else "")
                def has(kind: str) -> bool:
                    return any(ending.endswith(x) if not s.rest else ending.startswith(x) for x in self.lex.suffixes[kind] if len(x) > 1)
                return bool(ending) and has("location") and not has("origin")  # ("brigadirdan bir odam": from the foreman)

            workplace = [s for s in sources if s.name[1] == "employer" and at_work(s)]
            offered = bool(offered_if or any(near(v, o, WINDOW) for v in by.get(("cue", "offer_verb"), []) if not negated(v) for o in offer_yes))
            if workplace and (len(workplace) < len(sources) or not offered or any(unsure(s) for s in workplace)):
                sources = [s for s in sources if s not in workplace]  # ("... контракт пешниход карданд, кй пешниход кард намедонам")
            values = {h.name[2] for h in direct}
            if not values and sources:
                anchor = offer_yes[0]
                best = min(sources, key=lambda s: (clauses[s.clause].sentence != clauses[anchor.clause].sentence, s.start))
                # "a recruiter at the migration centre", "вербовщик в полиции", "парень в телеграме": a
                # person at a place or in a channel is that place's offer, not an acquaintance's
                where = [s for s in sources if s.name[1] in ("migration_center", "police", "online") and near(s, best, WINDOW)]
                if best.name[1] == "acquaintance" and where:
                    best = min(where, key=lambda s: abs(s.start - best.start))
                # "my roommate was offered a contract by the foreman", "hamkorimga brigadir taklif qildi": beside
                # an employer, the police or the migration centre in its sentence, a friend is the one told
                named = [s for s in sources if s.name[1] != "acquaintance" and clauses[s.clause].sentence == clauses[best.clause].sentence]
                if best.name[1] == "acquaintance" and named:
                    best = min(named, key=lambda s: abs(s.start - best.start))
                values = {best.name[1]}
            if len(values) == 1:
                vote("military_offer", values.pop())
            elif not values and offered:
                # "мне предложили контракт", "menga kontrakt taklif qilishdi": an offer verb next to an
                # offer word is an offer by someone not said ("контракт" alone is not: "подписал контракт")
                vote("military_offer", "yes")
        elif offer_no:
            vote("military_offer", "no")

        # Work in occupied places.
        no_sentences = {clauses[ci].sentence for ci in occupied_no}
        if occupied_no and not occupied:
            vote("occupied_job_offer", "no")  # (the place said in general: "мегӯянд ки дар Мариупол кор ҳаст")
        # "signed a contract, now he is near Donetsk", "ба ҷанг рафт, ҳоло дар Донецк": an occupied place
        # beside a contract already signed or a war gone to is where he fights, not work offered there
        if any(h.name == ("fact", "contract_signed", "yes") and not negated(h) and stated(h) for h in hits):
            occupied = [h for h in occupied if h.name[0] == "fact"]
        for h in occupied:
            value = h.name[2] if h.name[0] == "fact" else "yes"
            if h.clause in occupied_no or clauses[h.clause].sentence in no_sentences:
                vote("occupied_job_offer", "no")
            elif negated(h) and value not in NEGATIVE_VALUES:
                vote("occupied_job_offer", NEGATED_VALUE["occupied_job_offer"].get(value, value))
            else:
                vote("occupied_job_offer", value)

        # "депортация кылабыз дешти ... Армия жөнүндө эч нерсе айтышкан жок", "депортируют за штрафы, про армию
        # речи нет": a threat in a message that says no contract was spoken of is not one to make him sign
        # (not "imzolamasa patentini yopaman": a contract named outside the "no" is the demand)
        said_no = [n for n in offer_no if n.name[0] == "fact"]
        if votes.get("permit_threat") == {"yes"} and votes.get("military_offer") == {"no"} and said_no and not occupied \
                and not any(not any(n.start <= o.start and o.end <= n.end for n in said_no) for o in offers):
            del votes["permit_threat"]

        # Passport taken: a passport next to a verb of taking.
        takes = by.get(("cue", "take"), [])
        docs = by.get(("cue", "document"), [])
        selves_end = {k for k, w in enumerate(words) if w in FIRST_PERSON}
        keeps = by.get(("cue", "kept"), [])
        given_up = by.get(("cue", "gave_up"), [])
        takes = [t for t in takes if t.start - 1 not in selves_end  # "I kept my passport"
                 # "ВНЖ гирифтан мехоҳам" (want to get a permit): a verb inside another fact listed whole is that fact's
                 and not any(f.name[0] == "fact" and f.name[1] != "passport_taken" and f.start <= t.start and t.end <= f.end
                             and f.end - f.start > t.end - t.start for f in hits)
                 and not any(g.start <= t.end and t.start <= g.end for g in given_up)  # "старый паспорт отдал"
                 and not any(k.start <= t.end and t.start <= k.end for k in keeps)  # "... and kept my Kyrgyz passport"
                 # "pasport dar dasti man" (in my hands), not "dar dasti brigadir" (in the foreman's)
                 and not any(k.start <= t.end and t.start <= k.end for k in by.get(("fact", "passport_taken"), []) if k.name[2] == "no")
                 # "гражданство гирифт", "azamattygyn aldym": citizenship is received, not taken away
                 and not any(p.end == t.start - 1 and not any(d.start == p.start for d in docs) for p in passport_words)]
        for d in docs:
            if any(near(d, r) for r in russia):
                continue  # "rus pasportini oldi", "паспорти РФ гирифт", "he take rus passport": got one, not had it taken
            for t in takes:
                if near(d, t, WINDOW):
                    vote("passport_taken", "no" if negated(t) or negated(d) else "yes")

        if "passport_taken" in votes and any(h.name == ("fact", "passport_taken", "yes") and h.start - 1 in selves_end for h in live):
            votes["passport_taken"].discard("yes")
        for fid, values in votes.items():
            if len(values) == 1:
                facts[fid] = next(iter(values))
        facts.pop("home_country", None) if facts.get("home_country") == "RU" else None
        about = "other" if about_other else self._about(hits, clauses)
        return Extraction(facts, about)

    def _ended(self, words: list[str], hits: list[Hit], clauses: list[Clause]) -> set[int]:
        """The clauses told of a time that is over: from a word of the past ("раньше", "бұрын",
        "пештар", "before") or a year before this one to the end of its sentence or a "now", when a
        later clause says "now" ("Бұрын, 2021 жылы ... повестка алғанмын. Қазір Мәскеуде ...")."""
        nows = [ci for ci, c in enumerate(clauses) if c.now]
        if not nows:
            return set()
        starts = {h.clause for h in hits if h.name == ("marker", "past")}
        for ci, c in enumerate(clauses):
            for k in range(c.start, c.end):
                dated = _YEAR_WITH_ENDING.match(words[k])
                year = int(dated.group(1)) if dated else int(words[k]) if _NUMBER.match(words[k]) and len(words[k]) == 4 else 0
                if 1990 <= year < self.year:
                    starts.add(ci)
        out: set[int] = set()
        for ci in sorted(starts):
            if ci >= max(nows):
                continue
            k = ci
            while k < len(clauses) and clauses[k].sentence == clauses[ci].sentence and not clauses[k].now:
                out.add(k)
                k += 1
        return out

    @staticmethod
    def _was(hits: list[Hit], clauses: list[Clause]) -> set[int]:
        """The clauses of a place one was in: from a word of the past ("раньше", "oldin", "пештар",
        "будам", "edim") to the end of its sentence or a "now", when another clause, before or after
        it, says "now" ("hozir Dubayda ishlayapman, oldin Rossiyada edim"). A year does not start one
        here: "с 2019 живу в Москве" is where one still is."""
        nows = {ci for ci, c in enumerate(clauses) if c.now}
        if not nows:
            return set()
        out: set[int] = set()
        for ci in sorted({h.clause for h in hits if h.name in (("marker", "past"), ("marker", "was"))}):
            if ci in nows or not nows - {ci}:
                continue
            k = ci
            while k < len(clauses) and clauses[k].sentence == clauses[ci].sentence and (k == ci or not clauses[k].now):
                out.add(k)
                k += 1
        return out

    @staticmethod
    def _whose(hits: list[Hit], clauses: list[Clause], stated: object) -> tuple[set[int], set[int], list[tuple[str, str]], bool]:
        """Whose fact each clause states: the writer's ("self": я, мен, ман, I), a relative's
        ("other": брат, ағам, my son) or a third person's ("third": him, his, оған, ага, ба ӯ, уро;
        "friend": a friend, a coworker, a neighbour, досым, жолдасым, рафикам). A clause naming nobody is the previous one's, in its sentence;
        a pronoun after a relative is that relative, after an offerer that offerer ("the master
        says: come to him"). A "me" a reporting verb holds ("told me", "маған айтты"), or any "I" in
        a clause that quotes someone ("бригадир: патентингни йўқотиб юбораман"), is not the writer's.
        Returns the clauses whose facts belong to someone the message is not about, the clauses
        whose events (not where they are from) belong to a relative the message is not about, the
        writer's own "no" of an elided clause ("Досыма повестка келді, маған келген жоқ", "ба ман
        не", "me not"), and whether the message is about the relative:
        - a third person's facts are dropped when the writer speaks of himself in another sentence
          or denies something ("my coworker says they offered him a contract at Sakharovo. I didn't
          go there yet"; not "hamkoram ... elon dida, ba man ham firistod": sent to him too);
        - a relative's or friend's events are dropped when the writer states an event of his own
          ("my friend got a summons, me not"; "жолдасыма контракт ұсыныпты, маған ешкім ұсынған жоқ");
        - the writer's own clauses are dropped when only the relative's clauses tell of events
          ("I'm in Tajikistan, my son is in Moscow, at his work they said ..."): it is about him."""
        n = len(clauses)
        if n < 2 or not any(h.name[0] == "marker" and h.name[1] in ("other", "third", "friend") for h in hits):
            return set(), set(), [], False  # (most messages: one clause, or nobody but the writer)
        heard = [h for h in hits if h.name == ("marker", "reported")]
        quoting = {clauses[h.clause].sentence for h in heard}
        own: list[set[str]] = [set() for _ in range(n)]
        worded_self = [False] * n  # a whole word "I", "мен", "ман", not a verb ending
        last = ""  # the last person named: "other", "third" or "source"
        people = sorted((h for h in hits if h.name[0] == "source" or h.name[0] == "marker" and h.name[1] in ("self", "other", "third", "friend")),
                        key=lambda h: h.start)
        for h in people:
            if h.name[0] == "source":
                if not any(o.name[0] == "marker" and o.start <= h.end and h.start <= o.end for o in people):
                    last = "source"  # (a coworker is a person, though also someone who may offer)
                continue
            kind = "third" if h.name[1] == "friend" else h.name[1]  # a friend's, coworker's story is his
            if kind == "self":
                if any(r.start - 1 <= h.start and h.end <= r.end + 1 for r in heard) or clauses[h.clause].sentence in quoting and h.ending:
                    continue  # "told me", "маған айтты": who heard it; "... юбораман деяпти": the speaker
                if any(o.name in (("marker", "other"), ("marker", "friend")) and o.start <= h.start and h.end <= o.end for o in hits):
                    continue  # "my brother", "мой брат": the relative's
                worded_self[h.clause] = worded_self[h.clause] or not h.ending
            elif kind == "third":
                if any(o.name in (("marker", "other"), ("marker", "friend")) and o.start <= h.start and h.end <= o.end
                       and o.end - o.start > h.end - h.start for o in hits):
                    continue  # ("my friend": one person, "friend" inside it)
                if last == "source":
                    continue  # "master says who wants a job come to him": the offerer
                if last == "other":
                    kind = "other"  # "my son is in Moscow, at his work ...": the son
            if kind != "self":
                last = kind
            own[h.clause].add(kind)
        owner = [""] * n
        for ci, c in enumerate(clauses):
            kinds = own[ci]
            if "self" in kinds:
                owner[ci] = "mixed" if kinds - {"self"} else "self"
            elif "other" in kinds:
                owner[ci] = "other"
            elif "third" in kinds:
                owner[ci] = "third"
            elif ci > 0 and clauses[ci - 1].sentence == c.sentence:
                owner[ci] = owner[ci - 1]
        if not any(o in ("self", "mixed") for o in owner) or all(o in ("self", "mixed", "") for o in owner):
            return set(), set(), [], False
        negated_clauses = {h.clause for h in hits if h.name in NEGATIONS}
        events = {h.clause for h in hits if h.name[:2] in EVENT_KINDS and stated(h)}  # type: ignore[operator]
        elided: list[tuple[str, str]] = []
        for ci in range(1, n):
            c = clauses[ci]
            if owner[ci] != "self" or owner[ci - 1] not in ("other", "third") or c.end - c.start > 4 or ci not in negated_clauses:
                continue
            if any(h.clause == ci and h.name[0] != "marker" for h in hits):
                continue
            for h in hits:
                if h.clause == ci - 1 and h.name[:2] in EVENT_KINDS:
                    value = ELIDED_NO.get(h.name[:2])
                    if value and value not in elided:
                        elided.append(value)
        self_events = bool(elided) or any(owner[ci] == "self" for ci in events)
        dropped: set[int] = set()
        theirs: set[int] = set()
        selves = [ci for ci in range(n) if owner[ci] in ("self", "mixed")]
        for ci in range(n):
            if owner[ci] == "third" and any(clauses[si].sentence != clauses[ci].sentence or si in negated_clauses for si in selves):
                dropped.add(ci)
        if self_events:
            theirs = {ci for ci in range(n) if owner[ci] == "other"}
        about_other = False
        if not self_events and any(owner[ci] == "other" for ci in events):
            dropped |= {ci for ci in range(n) if owner[ci] == "self" and worded_self[ci]}
            about_other = True
        return dropped, theirs, elided, about_other

    def _place_context(self, h: Hit, words: list[str], hits: list[Hit]) -> str | None:
        """'origin' for "из Бухары", "Xivadan", "from Osh"; 'location' for "в Москве", "Toshkentda";
        'direction' for "в Москву", "Moskvaga", "to Moscow" (going there is not being there)."""
        # the rest of the place word first: Toshkent|daman, Xiva|dan, Tokmok|tonmun; the stem may
        # stop before its last vowel: Бухар|адан, Москв|ага
        for m in hits:  # "Toshkentda tug'ilganman", "в Ташкенте родился": born there is from there
            # (a verb, one long word: not a preposition of the next place, "тоҷикиро аз занам")
            if m.name == ("marker", "origin") and m.clause == h.clause and m.start == m.end == h.end + 1 and len(words[m.start]) > 4:
                return "origin"
            # ... or a few words on (a verb ends its clause): "O'shda o'zbek mahallasida tug'ilganman",
            # "дар Турсунзода калон шудам" (grew up there)
            # (a verb, not a preposition: "в Москву приехал из Оша" is from Osh)
            if m.name == ("marker", "origin") and m.clause == h.clause and h.end + 1 <= m.start <= h.end + 4 \
                    and len(words[m.start]) > 3 and len(words[m.end]) > 4 and m.end - m.start <= 2:
                return "origin"
        rest = h.rest
        rests = (rest, rest[1:]) if rest[:1] in ("a", "e", "o", "u", "i") and len(rest) > 1 else (rest,)
        if rest:
            kind = self.lex.ending_kind("starts", rests)
            if kind:
                return kind
        for m in hits:
            if m.name[0] == "marker" and m.name[1] in ("origin", "location", "direction") and m.clause == h.clause and m.end in (h.start - 1, h.start - 2):
                return m.name[1]
        word = words[h.end]
        if not rest and h.start == h.end and any(p.name == h.name for p in self.lex.exact.get(word, ())):
            # a form listed whole: "ошто", "oshdan", "казанда" carry their own ending
            kind = self.lex.ending_kind("ends", (word,))
            if kind:
                return kind
        if rest:
            # folding merges a doubled letter at the seam: Бишкек|ке -> bishkek|e, Ташкент|тен ->
            # tashkent|en, Өзбекстан|нан -> ozbekstan|anmin; so the stem's last letter may start the ending
            seam = word[len(word) - len(rest) - 1:] if len(word) > len(rest) else ""
            if seam:
                return self.lex.ending_kind("starts", (seam,))
        return None

    def _since(self, text: str, words: list[str], clauses: list[Clause], anchors: list[Hit], hits: list[Hit]) -> str | None:
        sentences = {clauses[a.clause].sentence for a in anchors}
        # ("чанд сол ... намедонам": "how many years", asked, not "several years")
        doubted = [h for h in hits if h.name == ("marker", "since_unknown")]
        marked = [value for marker, value in (("since_this_year", "under_1_year"), ("since_last_year", "1_to_10_years"))
                  if any(h.name == ("marker", marker) and clauses[h.clause].sentence in sentences
                         and not any(d.start <= h.end and h.start <= d.end for d in doubted) for h in hits)]
        if any(h.name in (("marker", "since_unknown"), ("marker", "hedge")) and clauses[h.clause].sentence in sentences for h in hits):
            # a guess or "I don't remember when" knows the time only when every number it gives falls
            # in one answer ("шояд 5 ё 6 сол пеш": 1 to 10 years; "maybe 10 or 11 yrs ago": not known)
            found = set(marked) | set(self._durations(words, clauses, anchors, hits, sentences, guessed=True))
            return found.pop() if len(found) == 1 else "dont_know"
        if marked:
            return marked[0]
        return next(self._durations(words, clauses, anchors, hits, sentences), None)

    def _durations(self, words: list[str], clauses: list[Clause], anchors: list[Hit], hits: list[Hit], sentences: set[int],
                   guessed: bool = False) -> Iterator[str]:
        """How long citizenship has been held, for each number of years or months (or a year) said in
        the anchors' sentences, the clause that says "got citizenship" first. `guessed`: "5 or 6
        years" gives the unit of the second number to the first."""
        agos = {h.start for h in hits if h.name in (("marker", "ago"), ("marker", "past"))}
        # the clause that says "got citizenship" first ("в Омске 15 лет, гражданство получил 11 лет назад")
        own = {a.clause for a in anchors}
        order = sorted(range(len(clauses)), key=lambda ci: (ci not in own, ci))
        # ("Маскавда 30 йил яшайди", "I left Russia in 2023", "в Россию не ездит с 2022": a time in another
        # clause that tells of a place is the time there, not the citizenship's)
        # ("2023 аз Русия баромадам": the year he left Russia)
        placed = {h.clause for h in hits if h.name[0] == "place" or h.name[0] == "country"
                  or h.name[:2] in (("cue", "returned"), ("fact", "in_russia"))
                  or h.name[:2] == ("cue", "russia") and self._place_context(h, words, hits) == "origin"}
        for ci in order:
            c = clauses[ci]
            if c.sentence not in sentences:
                continue
            if ci not in own and ci in placed:
                continue
            for k in range(c.start, c.end):
                w = words[k]
                dated = _YEAR_WITH_ENDING.match(w)  # "2014da olganman", "2019dan beri": a year with a Turkic ending
                if not _NUMBER.match(w) and not (dated and 1950 <= int(dated.group(1)) <= self.year):
                    continue
                n = int(dated.group(1)) if dated else int(w)
                if 1950 <= n <= self.year:
                    years: float = self.year - n
                else:
                    if k + 1 < c.end and words[k + 1] in AGE_WORDS or k + 2 < c.end and words[k + 2] == "old":
                        continue  # "19 сола", "19 yoshda", "19 years old": an age, not how long one has held citizenship
                    unit = self._unit(words[k + 1]) if k + 1 < c.end else None
                    if unit == "year" and k + 2 not in agos and k + 3 not in agos and not self._unit_has_since(words[k + 1]) and any(
                            h.end == k - 1 and h.name in (("marker", "other"), ("marker", "self")) for h in hits):
                        continue  # "мой сын 19 лет", "мне 25 лет": a person's age (not "әкем 18 жыл бұрын", "анам 25 жылдан бері")
                    if unit is None and k > c.start:  # "лет 12 назад", "года 3 как"
                        unit = self._unit(words[k - 1])
                    if unit is None and guessed and k + 3 < c.end and words[k + 1] in OR_WORDS and _NUMBER.match(words[k + 2]):
                        unit = self._unit(words[k + 3])  # "5 ё 6 сол", "10 or 11 yrs"
                    if unit is None:
                        continue
                    years = n if unit == "year" else n / 12
                if years < 1:
                    yield "under_1_year"
                else:
                    yield "1_to_10_years" if years <= 10 else "over_10_years"

    def _unit(self, word: str) -> str | None:
        for n in range(len(word), 0, -1):
            unit = self.lex.year_words.get(word[:n])
            if unit:
                return unit
        return None

    @staticmethod
    def _unit_has_since(word: str) -> bool:
        return word.endswith("dan") or word.endswith("dan beri")

    @staticmethod
    def _about(hits: list[Hit], clauses: list[Clause]) -> str:
        others = [h.start for h in hits if h.name in (("marker", "other"), ("marker", "friend"))]
        if not others:
            return "self"
        # "mening akam", "my brother": the possessive belongs to the relative
        selves = [h.start for h in hits if h.name == ("marker", "self") and h.end + 1 not in others and h.start not in others]
        return "other" if not selves or min(others) < min(selves) else "self"


def _address(hits: list[Hit], clauses: list[Clause]) -> list[Hit]:
    """The hits without a kin or friend word that addresses the reader: "брат, мне пришла повестка",
    "bratishka salom, menga povestka keldi", "привет брат мне пришла повестка", "brother, I got a
    summons". Such a word is one word that starts its sentence (or follows a greeting that does, in
    its clause), followed by the end of its clause (a comma) or a greeting or plea (marker
    "address": "salom", "помоги", "help"), and the writer speaks of himself after it (a self
    marker): the facts are his. A greeting and the word alone in their clause ("salam brat") need
    no self marker. "мой брат получил повестку", "akamga povestka keldi", "брат,
    ему пришла повестка" stay about the relative."""
    kin = [h for h in hits if h.name in (("marker", "other"), ("marker", "friend")) and h.start == h.end]
    if not kin:
        return hits
    greetings = [h for h in hits if h.name == ("marker", "address")]
    selves = [h.start for h in hits if h.name == ("marker", "self")]
    dropped = []
    for h in kin:
        c = clauses[h.clause]
        if not (h.clause == 0 or clauses[h.clause - 1].sentence != c.sentence):
            continue  # (not the first clause of its sentence: "привет, брат получил повестку")
        greeted = any(g.end + 1 == h.start and g.clause == h.clause and g.start == c.start for g in greetings)
        if not (h.start == c.start or greeted):
            continue
        if greeted and h.end == c.end - 1:
            dropped.append(h)  # "salam brat", "салом бародар, ...": a greeting and the reader
        elif any(s > h.end for s in selves) and (h.end == c.end - 1 or greeted or any(g.start == h.end + 1 for g in greetings)):
            dropped.append(h)
    if not dropped:
        return hits
    return [h for h in hits if h not in dropped]


def extractor_from_files(rules_dir: str | object) -> FactExtractor:
    """Only the lexicon, places and facts.yaml (for benches and quick checks; the service gets
    its extractor from the validated rule book: `extractor_for(book)`)."""
    from pathlib import Path

    from bot.engine.models import LexiconFile, PlacesFile
    from bot.engine.yamlfile import load_yaml

    root = Path(str(rules_dir))
    facts_doc, _ = load_yaml(root / "facts.yaml", "facts.yaml")
    options = {fid: [str(o) for o in f.get("options", [])] for fid, f in (facts_doc.data if facts_doc else {}).get("facts", {}).items()}
    files = []
    for path in sorted((root / "lexicon").glob("*.yaml")):
        if path.stem in ("places", "intents"):  # (intents.yaml: the words a message needs besides facts, read by the rule book)
            continue
        doc, _ = load_yaml(path, path.name)
        files.append(LexiconFile.model_validate(doc.data))
    doc, _ = load_yaml(root / "lexicon" / "places.yaml", "places.yaml")
    places = PlacesFile.model_validate(doc.data) if doc else None
    return FactExtractor(build_lexicon(files, places, options))


_EXTRACTORS: dict[tuple[str, str], FactExtractor] = {}


def extractor_for(book: object) -> FactExtractor:
    """One extractor per rule book version, built on first use (a few milliseconds)."""
    key = (str(getattr(book, "root", "")), str(getattr(book, "version", "")))
    found = _EXTRACTORS.get(key)
    if found is None:
        facts = getattr(book, "facts", {})
        found = FactExtractor(build_lexicon(getattr(book, "lexicon", {}).values(), getattr(book, "places", None),
                                            {fid: f.options for fid, f in facts.items()}))
        if len(_EXTRACTORS) > 4:
            _EXTRACTORS.clear()
        _EXTRACTORS[key] = found
    return found
