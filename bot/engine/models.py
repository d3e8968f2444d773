"""Pydantic models of the rule files, exactly as translators and lawyers write them."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]*$"
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def partial_date(value: object) -> object:
    """A date as the sources give it: YYYY-MM-DD, YYYY-MM or YYYY (a YAML date becomes its ISO
    text), or None; anything else is refused."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is not None and not (isinstance(value, str) and _PARTIAL_DATE.match(value)):
        raise ValueError("write the date as YYYY-MM-DD, YYYY-MM or YYYY in quotes, or null")
    return value


class Severity(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    info = "info"

    @property
    def rank(self) -> int:
        return {"critical": 4, "high": 3, "medium": 2, "info": 1}[self.value]


class Strict(BaseModel):
    # A misspelt field name is a mistake a translator must hear about, not something to ignore.
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalCopy(Strict):
    file: str
    kind: Literal["full_text", "research_notes"]


# How a source reached us, rendered through ui.source.relation.<code> ("{publisher}, citing {via}").
RELATIONS = ("citing", "reprint", "summary", "relaying", "quoting")
# What kind of publisher it is, rendered through ui.source.kind.<code>.
PUBLISHER_KINDS = (
    "state_project", "us_sponsored", "law_firm", "blog", "legal_database", "organisation",
    "aggregator", "ukrainian_outlet", "pro_kremlin",
)
# Why a date or an address is missing: a shared code (ui.source.date_note.<code>,
# ui.source.url_note.<code>) or `text`: the source's own note in source.<id>.date_note / .url_note.
DATE_NOTES = ("no_date", "not_recorded", "organisation_page", "approximate", "text")
URL_NOTES = ("not_recorded", "text")


class Source(Strict):
    # The title as the source itself has it (verbatim, in the source's language) or, when
    # title_from_url is true, as read off the page address, or, when title_is_description is true,
    # our own label for the source (the notes record no title): see title_kind.
    title: str = Field(min_length=1)
    title_from_url: bool = False
    title_is_description: bool = False
    # Only the proper name ("The Moscow Times"): every description goes in the fields below.
    publisher: str = Field(min_length=1)
    via: str | None = None
    relation: Literal["citing", "reprint", "summary", "relaying", "quoting"] | None = None
    publisher_kind: Literal[
        "state_project", "us_sponsored", "law_firm", "blog", "legal_database", "organisation",
        "aggregator", "ukrainian_outlet", "pro_kremlin",
    ] | None = None
    date: str | None
    date_note: Literal["no_date", "not_recorded", "organisation_page", "approximate", "text"] | None = None
    url: str | None
    url_note: Literal["not_recorded", "text"] | None = None
    # The domain the publisher publishes on, when its name does not say it ("refugee.ru" for the
    # Civic Assistance Committee): `ogoh check` compares the address's host with publisher, via, site.
    site: str | None = None
    last_checked: dt.date
    local_copy: LocalCopy | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _partial_date(cls, value: object) -> object:
        return partial_date(value)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("the address must start with http:// or https:// and have no spaces")
        return value

    @model_validator(mode="after")
    def _explain_gaps(self) -> "Source":
        if self.date is None and not self.date_note:
            raise ValueError("date is null: add date_note saying why (for example: the page shows no date)")
        if self.url is None and not self.url_note:
            raise ValueError("url is null: add url_note saying why")
        if self.title_from_url and self.title_is_description:
            raise ValueError("title_from_url and title_is_description: the title is either read off the address or our own label, not both")
        if (self.via is None) != (self.relation is None):
            raise ValueError("via and relation go together: who else is involved, and how (citing, reprint, summary, relaying, quoting)")
        for name in (self.publisher, self.via or ""):
            if re.search(r",|\(|\bciting\b|\breprinted\b|\bas described\b", name):
                raise ValueError(f"'{name}': publisher and via are proper names only; put descriptions in via/relation/publisher_kind")
        return self

    @property
    def title_kind(self) -> Literal["verbatim", "from_url", "description"]:
        """What `title` is: the source's own words, read off its address, or our label for it."""
        return "from_url" if self.title_from_url else "description" if self.title_is_description else "verbatim"


class Citation(Strict):
    source: str
    quote: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _quote_or_note(self) -> "Citation":
        if not self.quote and not self.note:
            raise ValueError("a citation needs a verbatim quote, or a note saying why there is none")
        return self


class Topic(Strict):
    severity: Severity
    as_of: dt.date
    review_by: dt.date
    citations: list[Citation] = Field(min_length=1)
    # Topics its card points to with a button: whom its answer does not cover (foreigner-conscription:
    # a dual or new Russian citizen reads dual-citizenship, naturalized-citizens).
    see_also: list[str] = Field(default_factory=list)
    # What each line of topic.<id>.steps does (ids of rules.yaml `actions`, as a rule's): a card
    # beside a contract already signed leaves out "do not sign" (bot.core.cards)
    actions: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Topic":
        if self.review_by < self.as_of:
            raise ValueError("review_by is earlier than as_of")
        return self


class Refinement(Strict):
    # the answers that say more (who offered it): the interview asks for one of them next
    to: list[str] = Field(min_length=2)
    # what "I don't know" to that question keeps: the coarse fact, as one of `to` ("someone else")
    dont_know: str


class Fact(Strict):
    options: list[str] = Field(min_length=2)
    ask_if: str | None = None
    # option -> answers it settles: `implies: {RU: {ru_citizenship: naturalized}}`. An implied
    # answer counts as given (it is not asked) and is shown as following from this one.
    implies: dict[str, dict[str, str]] = Field(default_factory=dict)
    # Several answers at once ("an employer and an online ad"): the answer is a set of options;
    # "no" and "dont_know" stand alone (see conditions.EXCLUSIVE).
    multiple: bool = False
    # A coarse answer a typed message gives ("I was offered a contract": military_offer "yes") that
    # the interview refines by asking again with the finer answers; not offered as a button.
    refine: dict[str, Refinement] = Field(default_factory=dict)

    @field_validator("options")
    @classmethod
    def _clean_options(cls, options: list[str]) -> list[str]:
        for option in options:
            if not isinstance(option, str) or not re.match(r"^[A-Za-z0-9_]+$", option):
                raise ValueError(f"option {option!r} must be a word of letters, digits and _ (quote yes/no)")
        if "dont_know" in options:
            raise ValueError("dont_know is always allowed; do not list it")
        if len(set(options)) != len(options):
            raise ValueError("an option is listed twice")
        return options


class Rule(Strict):
    id: str = Field(pattern=ID_PATTERN)
    topic: str
    severity: Severity
    when: str
    # Used instead of `severity` when the answers show no exposure (see `exposure` in rules.yaml):
    # background that applies to everyone is information, not a warning.
    severity_without_exposure: Literal["info", "medium"] | None = None
    # This rule's own, narrower exposure (a condition): its `severity` only where both it and the
    # rule book's `exposure` hold, else severity_without_exposure (a home penalty for mercenarism
    # is live once there is an offer, a contract, a threat or a call-up paper, not for being a
    # Russian citizen: REVIEW7 F4).
    exposure: str | None = None
    if_unknown: Literal["warn", "skip"] = "skip"
    sources_differ: bool = False
    citations: list[Citation] = Field(min_length=1)
    # What each line of rule.<id>.steps does, line for line (an id of rules.yaml `actions`; two
    # joined by "+" for a line that does both, "dont_sign+lawyer"): the personal answer says each
    # action once, by these ids, whatever a translation's wording (bot.engine.summary.each_action_once)
    actions: list[str] = Field(default_factory=list)


class Contact(Strict):
    """Someone a worker can reach (rules/contacts.yaml): shown in the summary, home country first."""

    id: str = Field(pattern=ID_PATTERN)
    country: Literal["UZ", "TJ", "KG", "KZ", "TM", "any"]
    when: str | None = None  # audience condition, e.g. ru_citizenship in [dual, naturalized]
    # topic cards (a plain question) show this contact first for these topics (bot.core.cards)
    topics: list[str] = Field(default_factory=list)
    kind: Literal["phone", "telegram", "whatsapp", "web"]
    value: str = Field(min_length=1)
    last_confirmed: str | None  # YYYY-MM-DD, YYYY-MM or YYYY: when a source last showed it working
    citation: Citation  # where the address (number, handle) was published
    # The sources of what its label and caveat say about it, when that is not the address's own
    # source (Get Lost: the address is the group's site, what it does is Wikipedia's sentence).
    label_citations: list[Citation] = Field(default_factory=list)

    @field_validator("last_confirmed", mode="before")
    @classmethod
    def _partial_date(cls, value: object) -> object:
        return partial_date(value)

    @model_validator(mode="after")
    def _value_fits_kind(self) -> "Contact":
        ok = {
            "phone": re.fullmatch(r"\+[0-9 ()\-]{7,20}", self.value),
            "whatsapp": re.fullmatch(r"\+[0-9 ()\-]{7,20}", self.value),
            "telegram": re.fullmatch(r"@[A-Za-z0-9_]{4,32}", self.value),
            "web": re.fullmatch(r"https://\S+", self.value),
        }[self.kind]
        if not ok:
            raise ValueError(f"'{self.value}' is not a {self.kind} contact (phone/whatsapp: +7 …; telegram: @handle; web: https://…)")
        return self

    @property
    def href(self) -> str:
        digits = re.sub(r"\D", "", self.value)
        if self.kind == "phone":
            return f"tel:+{digits}"
        if self.kind == "whatsapp":
            return f"https://wa.me/{digits}"
        if self.kind == "telegram":
            return f"https://t.me/{self.value[1:]}"
        return self.value


class ContactsFile(Strict):
    contacts: list[Contact]


class ProtectedNamesFile(Strict):
    names: list[str]


class TextEntry(Strict):
    text: str
    reviewed: bool = False
    # Hash of the source-language text this translation was made from; see `ogoh i18n status`.
    source_hash: str | None = None


class Language(Strict):
    name: str
    fallback: list[str] = Field(default_factory=list)


class SourcesFile(Strict):
    sources: dict[str, Source]


class TopicsFile(Strict):
    topics: dict[str, Topic]


class FactsFile(Strict):
    facts: dict[str, Fact]


class RulesFile(Strict):
    # "The answers show exposure": a condition over the facts. Where it is not true, a rule's
    # severity_without_exposure replaces its severity.
    exposure: str | None = None
    # The actions a step can stand for (id -> what it means), the ids rules' and topics' `actions` use
    actions: dict[str, str] = Field(default_factory=dict)
    rules: list[Rule]


class TextFile(Strict):
    lang: str
    texts: dict[str, TextEntry]


class LanguagesFile(Strict):
    source_language: str
    languages: dict[str, Language]


class ExamplesFile(Strict):
    lang: str
    reviewed: bool = False
    topics: dict[str, list[str]]
    keywords: dict[str, list[str]] = Field(default_factory=dict)
    small_talk: dict[str, list[str]] = Field(default_factory=dict)
    out_of_scope: list[str] = Field(default_factory=list)


# --- the words for reading facts out of a message (rules/lexicon/<lang>.yaml; FACTS) -------------
# How sentences work (negation, questions, "if", who it is about, from/in a place ...).
LEXICON_MARKERS = (
    "negation", "negation_forward", "negation_back", "cancel", "unknown", "question", "question_suffix", "conditional", "generic", "self", "other",
    "origin", "location", "now", "origin_suffix", "location_suffix", "contrast", "only", "year",
    "month", "ago", "past", "since_unknown", "direction", "direction_suffix", "since_this_year", "since_last_year",
    "conditional_end", "reported", "what_to_do",
    # "him", "his", "оған", "ага", "ба ӯ": a third person, whose facts are his, not the writer's (facts._whose)
    # "past": "раньше", "бұрын", "before": what follows in its sentence is over when a later clause says "now" (facts._ended); also an "ago"
    "third", "friend",
    # "просто спрашиваю про двойное гражданство", "question about dual citizenship": what follows
    # in the clause is asked about, not stated; "asked_about" ("ikki fuqarolik haqida so'ramoqchiman",
    # Turkic order): all of the clause is
    "asks_about", "asked_about",
    # "urushga ketgan bo'lishi mumkin", "может быть", "maybe": a guess; the facts of its clause are not stated
    "hedge",
    # "я был в", "edim", "будам", "I was in": a place one was in; not where one is when another clause says "now" (facts._was)
    "was",
    # "оила дар Душанбе", "отбасым Таразда", "family in Kulob": the family's place, not the writer's (facts: in_russia)
    "family",
    # "ВНЖ тез медиҳем", "we give VNZh fast", "паспорт тез аласың": a permit or passport promised, not one held
    "promise",
    # "salom", "помоги", "hi", "help": a greeting or plea beside a kin word that starts a sentence: the
    # kin word addresses the reader ("брат, мне пришла повестка"), the facts are the writer's (facts._address)
    "address",
)
# Pieces that combine into facts (a passport word next to "Russia" is Russian citizenship ...).
LEXICON_CUES = (
    "russia", "passport_word", "document", "take", "ru_citizen", "gave_up", "status", "offer",
    "surrender", "kept", "acquired", "returned",
    "offer_verb",  # "предложили", "offered", "taklif": next to an offer word, an offer by someone not said
)


class LexiconFile(Strict):
    lang: str
    reviewed: bool = False
    markers: dict[str, list[str]] = Field(default_factory=dict)
    cues: dict[str, list[str]] = Field(default_factory=dict)
    facts: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    countries: dict[str, list[str]] = Field(default_factory=dict)
    offer_source: dict[str, list[str]] = Field(default_factory=dict)


# --- what a message needs besides a topic (rules/lexicon/intents.yaml) ---------------------------
# Urgency families (someone needs help now), a contract already signed, a request for a person,
# a question about the bot itself, a question about privacy ("do you keep my data?"), expulsion
# or an entry ban (outside what Ogoh covers; a contact's source says it handles it). Each family:
# patterns as in the facts lexicon.
INTENT_FAMILIES = ("help_now", "detained", "forced", "drafted", "missing", "signed", "person", "about_bot", "privacy",
                   "expulsion", "decree_821", "wages", "everyday", "off_topic")
URGENT_FAMILIES = ("help_now", "detained", "forced", "drafted", "missing")


class IntentsFile(Strict):
    reviewed: bool = False
    languages: dict[str, dict[str, list[str]]] = Field(default_factory=dict)


class PlacesFile(Strict):
    home: dict[str, list[str]] = Field(default_factory=dict)  # home country -> cities and regions
    russia: list[str] = Field(default_factory=list)  # cities of Russia: the writer is in Russia
    occupied: list[str] = Field(default_factory=list)  # occupied places of Ukraine: work there
