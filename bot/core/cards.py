"""A topic card as a worker first reads it, made once for every face (Telegram, the web page).

A plain question matched to a topic used to get the topic's whole answer, every step, every
source and the disclaimer in one message: 1,300-2,200 characters, a wall of text on a cheap
phone. The card is now

    title · the answer's first sentences (`lead`) · the first 3 steps · one contact that fits
    [Sources] (publisher, date, address, quote)   [Details] (the rest of the answer, the other
    steps, the disclaimer with the date the topic was checked)

so every statement of the first screen is one tap from its sources, and nothing is lost.

Where the answer is cut comes from the text's own structure: only between sentences (a full
stop, question or exclamation mark, then a capital, a digit or an opening quote), never inside
brackets or quotes (a statement keeps its attribution: "… (Eurasianet, October 2022)."), never
after an abbreviation before a number ("Art. 15", "No. 821", "ст. 15"). The lead is the longest
run of whole sentences that lets the card fit FIRST_SCREEN characters; at least one sentence.

About someone else ("my brother …", `about: "other"`): each text is looked up as `<key>.other`
first (as the personal answer does, bot.engine.summary.person_key); a text that still speaks to
the reader gets a one-line note saying so (ui.topic.for_other).

The contact: one organisation (its channels, at most 2): a contact whose `topics` (contacts.yaml)
names the topic, else the home country's (the stated home country, else the reply language's
hint), else the embassy line.
Its source joins the card's citations, so it too is one tap from where it was published.
A card made for an urgent reply (`contact="home"`, REVIEW5 F3, F18) takes the home country's
contact instead of the topic's own (someone held by the police is not helped by an NGO that
appeals expulsions), and with no country known, stated or hinted, one line for each country that
has a published contact, then the embassy line for the others: never only a line with nothing to
tap.

The reader's country (REVIEW4 R29, R38): `home` is the stated home country, else the one the
question names (AskOut.country_named: "сколько лет дадут в таджикистане"). A topic with a rule
true for everyone of that country (penalties-tj) leads with that rule's short text, whole, its
sources first. The steps that name the reader's country (stated, else the reply language's hint)
or give its contacts come first, and a contact line the shown steps already give (the same digits
or handle) is not repeated; no line at all when there is nothing to show. Sources: one citation
per source, the reader's country's first. A card led by a country's rule whose steps name no other
country speaks of that country alone (REVIEW5 F23): its Details are the rule's own account
(rule.<id>.detail) and its Sources leave out what only another country's rule cites. A topic's
`see_also` (topics.yaml) are the topics its answer does not cover (REVIEW5 F12).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, TypeVar

from pydantic import BaseModel, Field

from bot.engine.conditions import DONT_KNOW, evaluate
from bot.engine.i18n import Localizer
from bot.engine.memo import cached_view
from bot.engine.rulebook import RuleBook
from bot.engine.sentences import split_answer
from bot.engine.models import Citation, Rule
from bot.engine.summary import HOME_COUNTRIES, LANGUAGE_COUNTRY, SummaryContact, _has, _stems, contact_view, not_dont_sign, person_key, same_step
from bot.matcher.facts import extractor_for
from bot.engine.views import CitationOut, disclaimer, render_citations, render_topic

FIRST_SCREEN = 700  # visible characters of the first screen: title, lead, steps, contact (as the summary's)
STEPS_SHOWN = 3
CHANNELS_SHOWN = 2
MIN_LEAD = 160  # the lead may take at least this much, even when the steps are long
MAX_SCREEN = 880  # over this with one sentence and the steps, the card shows a step fewer (the rest one tap away)



class TopicCardOut(BaseModel):
    """A topic's short card: what the first message / the top of the page shows, and what is
    one tap away (`more`, `more_steps`, `citations`)."""
    id: str
    severity: str
    severity_label: str
    title: str
    lang: str
    about: Literal["self", "other"] = "self"
    home: str | None = Field(None, description="the stated home country the contact was chosen for (None: the reply language's hint)")
    contact_for: Literal["topic", "home"] = Field("topic", description="topic: the topic's own contact first; home: the home country's (an urgent reply)")
    signed: bool = Field(False, description="made for someone who already signed a contract: no \"do not sign\" step")
    for_other: str | None = Field(None, description="about someone else, while the text speaks to the reader: a note saying so")
    lead: str = Field(description="the answer's first whole sentences")
    more: str = Field("", description="the rest of the answer (empty: none)")
    steps: list[str] = Field(description=f"the first {STEPS_SHOWN} steps")
    more_steps: list[str] = Field(default_factory=list, description="the other steps")
    contacts: list[SummaryContact] = Field(default_factory=list, description="one organisation that fits the topic (its channels)")
    help: str | None = Field(None, description="when no contact fits: your country's embassy or consulate")
    citations: list[CitationOut] = Field(description="the topic's sources, then the contact's")
    see_also: list[str] = Field(default_factory=list, description="topics the card points to: whom its answer does not cover")
    as_of: dt.date
    disclaimer: str
    notices: list[str] = Field(default_factory=list)

    @property
    def answer(self) -> str:
        """The whole answer (lead and the rest)."""
        return f"{self.lead} {self.more}" if self.more else self.lead


def _person_text(loc: Localizer, key: str, about: str) -> tuple[str, bool]:
    """The text of `key` for the person it is about, and whether it is the `.other` variant."""
    shown = person_key(loc, key, about)
    return loc.text(shown), shown != key


def _contacts(book: RuleBook, loc: Localizer, topic_id: str, home: str | None) -> list[SummaryContact]:
    """The topic's own contact (contacts.yaml `topics`: the topic is its audience), else the home
    country's for everyone of that country; chosen by topic and home country only, so a button
    under the card (Sources) rebuilds the same card."""
    if home in (None, DONT_KNOW):
        home = LANGUAGE_COUNTRY.get(loc.base)
    facts = {"home_country": home} if home else {}

    def for_everyone(c_id: str) -> bool:
        node = book.contact_conditions.get(c_id)
        return node is None or evaluate(node, facts)[0] is True

    tagged = [c for c in book.contacts if topic_id in c.topics and c.country in ("any", home)]
    homes = [c for c in book.contacts if c.country == home and for_everyone(c.id)]
    for group in (tagged, homes):
        if group:
            label = loc.text(f"contact.{group[0].id}.label")
            same = [c for c in book.contacts if c.country == group[0].country and loc.text(f"contact.{c.id}.label") == label
                    and c in group]
            return [contact_view(loc, c) for c in same[:CHANNELS_SHOWN]]
    return []


def _home_contacts(book: RuleBook, loc: Localizer, home: str | None) -> list[SummaryContact]:
    """An urgent reply's contacts: the home country's (stated, else the reply language's hint),
    else the first channel of every country's organisation (Uzbekistan's agency, Tajikistan's
    ministry ...): the one to tap is among them. A country only the language hints at that has no
    number in our sources (Kyrgyz, Kazakh) is no reason to show none: every country's, as a
    Russian message gets them (REVIEW7 F2: a detained Kyrgyz got only "your embassy")."""
    if home not in (None, DONT_KNOW):
        return _contacts(book, loc, "", home)
    hinted = LANGUAGE_COUNTRY.get(loc.base)
    own = _contacts(book, loc, "", hinted) if hinted else []
    if own:
        return own
    return [c for country in dict.fromkeys(k.country for k in book.contacts if k.country in HOME_COUNTRIES)
            for c in _contacts(book, loc, "", country)[:1]]


_PHONE = re.compile(r"\+?\d[\d ()\-]{6,}\d")
_HANDLE = re.compile(r"@\w{3,}")


def _key(value: str) -> str:
    """A contact's value as it is compared: a phone number's digits, a handle or a site's host
    (lower case), however a text writes it ("+7 (495) 967 98 44" is "+7 (495) 967-98-44")."""
    if _PHONE.fullmatch(value.strip()):
        return re.sub(r"\D", "", value)
    return value.split("://", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")


def _keys_in(text: str) -> set[str]:
    """The phone numbers, handles and sites a text gives, as _key compares them."""
    found = {re.sub(r"\D", "", m) for m in _PHONE.findall(text)} | {m.lower() for m in _HANDLE.findall(text)}
    found |= {w.lower().removeprefix("www.") for w in re.findall(r"\b[\w-]+(?:\.[\w-]+)*\.(?:org|ru|com|net|uz|tj|kg|kz)\b", text)}
    return found


def _steps_for(book: RuleBook, steps: list[str], home: str | None) -> list[str]:
    """The steps with the reader's country first (REVIEW4 R38): a step that names `home` (its
    name or a city, the facts lexicon) or gives its contacts (contacts.yaml), and no other
    country's contact, moves ahead of the others ("Kyrgyzstan, Kazakhstan, Turkmenistan: your
    embassy" first for a Kyrgyz reader); the rest keep their order."""
    if not home:
        return steps
    return [s for s in steps if own_country(book, s, home)] + [s for s in steps if not own_country(book, s, home)]


def own_country(book: RuleBook, step: str, home: str) -> bool:
    """Whether `step` names `home` (its name or a city) or gives its contacts, and no other
    country's contact."""
    country = {_key(c.value): c.country for c in book.contacts}
    given = {country[k] for k in _keys_in(step) if k in country} - {"any"}
    return given <= {home} and home in given | set(extractor_for(book).countries_named(step))


def _country_rules(book: RuleBook, topic_id: str, home: str | None) -> list[Rule]:
    """The topic's rules that hold for everyone of `home` (a stated or named home country):
    whose condition is true on the home country alone (penalties-tj: `home_country == TJ`) and
    that have a short sentence; in file order (REVIEW4 R29: "how many years in Tajikistan" got
    the generic card while the rules hold Tajikistan's own finding)."""
    if home not in HOME_COUNTRIES:
        return []
    facts = {"home_country": home}
    return [r for r in book.rules if r.topic == topic_id and r.id in book.conditions
            and evaluate(book.conditions[r.id], facts)[0] is True]


def _speaks_of_one(book: RuleBook, steps: list[str], home: str | None) -> bool:
    """Whether a card led by `home`'s own rule can speak of that country alone: none of its steps
    names another country or gives its contact (get-help's steps list every country's
    numbers: they stay, with their sources)."""
    country = {_key(c.value): c.country for c in book.contacts}
    names = extractor_for(book)
    for step in steps:
        given = {country[k] for k in _keys_in(step) if k in country} | set(names.countries_named(step))
        if given - {home, "any"}:
            return False
    return True


def _cited(book: RuleBook, topic_id: str, country: list[Rule], alone: str | None, reader: str | None) -> list[Citation]:
    """The sources of what the card says, the reader's country first (REVIEW5 F23): the leading
    country rule's citations, then the topic's; a card that speaks of the country `alone` (its
    own account behind Details, not the topic's list of every country's laws) leaves out the
    topic's citations that only another country's rule cites. With no country leading, the
    topic's citations that the reader's country's rule (`reader`: stated, else the reply
    language's hint) also cites come first."""
    topic = list(book.topics[topic_id].citations)
    own = [c for r in country for c in r.citations]
    if alone:
        others = {c.source for h in HOME_COUNTRIES if h != alone for r in _country_rules(book, topic_id, h) for c in r.citations}
        mine = {c.source for c in own}
        return own + [c for c in topic if c.source in mine or c.source not in others]
    if not own and reader in HOME_COUNTRIES:
        first = {c.source for r in _country_rules(book, topic_id, reader) for c in r.citations}
        return [c for c in topic if c.source in first] + [c for c in topic if c.source not in first]
    return own + topic


def _unique(citations: list[Citation]) -> list[Citation]:
    """One citation per source (REVIEW4 R17), its quotes joined in order ("A … B": each verbatim)."""
    out: dict[str, Citation] = {}
    for c in citations:
        first = out.get(c.source)
        if first is None:
            out[c.source] = c
        elif c.quote and c.quote not in (first.quote or ""):
            joined = f"{first.quote} … {c.quote}" if first.quote else c.quote
            out[c.source] = first.model_copy(update={"quote": joined, "note": None})
    return list(out.values())


def _length(*parts: str) -> int:
    """Characters of the paragraphs or lines `parts`, with the breaks between them."""
    return sum(len(p) + 2 for p in parts if p)


def _contact_line(loc: Localizer, contacts: list[SummaryContact], help_line: str | None) -> str:
    """The contact as the faces show it (label: numbers, handles, a site's host (as of …))."""
    if not contacts:
        return f"• {help_line}" if help_line else ""
    values = ", ".join(c.value.split("://", 1)[-1].split("/", 1)[0] if c.kind == "web" else c.value for c in contacts)
    dates = sorted(c.last_confirmed_text for c in contacts if c.last_confirmed_text)
    when = f" ({loc.text('ui.summary.as_of', date=dates[-1])})" if dates else ""
    return f"• {contacts[0].label}: {values}{when}"


def _said_in(sentence: str, other: str) -> bool:
    """Whether `other` already says `sentence`: three quarters of its words (stems) are in it
    ("We have no confirmed hotline for your country: contact your embassy or consulate." holds
    "Contact your country's embassy or consulate.", in any language's word forms)."""
    words = _stems(sentence)
    return bool(words) and len(words & _stems(other)) >= 0.75 * len(words)


def _step_lines(loc: Localizer, topic_id: str, about: str) -> tuple[list[str], bool]:
    """The topic's steps for the person it is about, and whether they are the `.other` variant."""
    steps_text, steps_other = _person_text(loc, f"topic.{topic_id}.steps", about)
    return [s.strip() for s in steps_text.splitlines() if s.strip()], steps_other


def step_actions(book: RuleBook, loc: Localizer, topic_id: str, about: str = "self") -> dict[str, tuple[str, ...]]:
    """Each step of the topic's card (its text, as the card shows it) -> its action ids (topics.yaml
    `actions`, line for line; "a+b" for a line that does both). A line with none has none."""
    lines, _ = _step_lines(loc, topic_id, "other" if about == "other" else "self")
    actions = book.topics[topic_id].actions
    return {line: tuple(actions[i].split("+")) for i, line in enumerate(lines) if i < len(actions)}


def unsaid(book: RuleBook, loc: Localizer, topic_id: str, about: str, steps: list[str], said: set[str]) -> list[str]:
    """`steps` of a topic's card without those whose every action the personal answer beside it
    already says (`said`: its steps' action ids, Summary.step_actions): "Do not sign the call-up
    paper or any contract." and "Show the paper to your embassy or consulate." were followed by
    the card's "If you are not a Russian citizen and get a call-up paper, do not sign anything;
    show it to your embassy or consulate." and "A contract is not a call-up: say no to any
    contract offer." (each action by its id, never by its words). A step with no known action stays."""
    known = step_actions(book, loc, topic_id, about)
    return [s for s in steps if not (s in known and set(known[s]) <= said)]


def beside(book: RuleBook, loc: Localizer, card: TopicCardOut, said: set[str]) -> TopicCardOut:
    """The card shown beside a personal answer whose steps do the actions `said`: the steps it
    already shows left out (`unsaid`), as many shown first as before, the rest one tap away."""
    every = unsaid(book, loc, card.id, card.about, card.steps + card.more_steps, said)
    if len(every) == len(card.steps) + len(card.more_steps):
        return card
    n = len(card.steps)
    return card.model_copy(update={"steps": every[:n], "more_steps": every[n:]})


def _build(book: RuleBook, loc: Localizer, topic_id: str, about: str, home: str | None, contact_for: str = "topic",
           signed: bool = False) -> TopicCardOut:
    topic = render_topic(book, loc, topic_id)
    answer, answer_other = _person_text(loc, f"topic.{topic_id}.answer", about)
    lines, steps_other = _step_lines(loc, topic_id, about)
    reader = home if home not in (None, DONT_KNOW) else LANGUAGE_COUNTRY.get(loc.base)  # stated, else the language's hint
    if signed:  # a contract already signed: no "do not sign", "you can say no" (its line's action, topics.yaml)
        lines = not_dont_sign(book.topics[topic_id].actions, lines)
    steps = _steps_for(book, lines, reader)
    for_other = None
    if about == "other" and not (answer_other and steps_other):
        for_other = loc.text("ui.topic.for_other")
    contacts = _home_contacts(book, loc, home) if contact_for == "home" else _contacts(book, loc, topic_id, home)
    several = len({c.country for c in contacts}) > 1  # every country's line: the embassy for the others
    from bot.engine.summary import embassy_line  # (the personal answer's line too)

    help_line = None if contacts and not several else embassy_line(book, loc, home, several)
    given = set().union(*(_keys_in(s) for s in steps[:STEPS_SHOWN]))
    if any(_key(c.value) in given for c in contacts):
        contacts, help_line = [], None  # the steps already give it (where to get help): never twice
    elif help_line and not several and contact_for != "home" and any(same_step(loc.text("ui.summary.embassy"), s) for s in steps[:STEPS_SHOWN] + [split_answer(answer, 1)[0]]):
        help_line = None  # a step or the answer's first sentence already says "your embassy"
    first = ""
    country = [r for r in _country_rules(book, topic_id, home) if _has(loc, f"rule.{r.id}.short")]
    if country:  # the stated or named home country's own sentence first, whole (its "disputed" kept)
        first, first_other = _person_text(loc, f"rule.{country[0].id}.short", about)
        if about == "other" and not first_other:
            for_other = loc.text("ui.topic.for_other")
        opening, rest = split_answer(answer, 1)
        if rest and _said_in(opening, first):
            answer = rest  # the country's sentence already says it: "contact your embassy", not twice
        answer = f"{first} {answer}"
    alone = bool(country) and _speaks_of_one(book, steps, home)
    if alone:  # the country's own account, not the other countries' laws (REVIEW5 F23)
        answer = first
    said = disclaimer(loc, [topic.as_of])  # behind Details (Telegram), under the card (web)
    fixed = _length(topic.title, for_other or "", loc.text("ui.what_to_do") + ":", _contact_line(loc, contacts, help_line))
    fixed += _length(" ".join(loc.text(f"topic.{t}.short_title") for t in book.topics[topic_id].see_also))  # the web's links
    shown = STEPS_SHOWN
    while True:  # the first steps, fewer only when one sentence of the answer and 3 steps are too long
        around = fixed + sum(len(step) + 4 for step in steps[:shown])  # "1. " and a line each
        lead, more = split_answer(answer, max(MIN_LEAD, FIRST_SCREEN - around, len(first) if country else 0))
        if country and not lead.startswith(first):
            lead, more = first, answer[len(first):].strip()
        if shown <= 2 or around + len(lead) <= MAX_SCREEN:
            break
        shown -= 1
    if alone:
        more = _person_text(loc, f"rule.{country[0].id}.detail", about)[0]
    cited = _cited(book, topic_id, country[:1], home if alone else None, reader)
    shown_ids = {c.id for c in contacts} if several else {c.id for c in contacts[:1]}
    extra = [c for k in book.contacts if k.id in shown_ids for c in (k.citation, *k.label_citations)]
    citations = render_citations(book, _unique(cited + extra), loc)
    return TopicCardOut(
        id=topic_id, severity=topic.severity, severity_label=topic.severity_label, title=topic.title, lang=topic.lang,
        about="other" if about == "other" else "self", home=home, contact_for="home" if contact_for == "home" else "topic",
        signed=signed,
        for_other=for_other, lead=lead, more=more,
        steps=steps[:shown], more_steps=steps[shown:], contacts=contacts, help=help_line,
        citations=citations, see_also=list(book.topics[topic_id].see_also), as_of=topic.as_of, disclaimer=said,
    )


def topic_card(book: RuleBook, loc: Localizer, topic_id: str, about: str = "self", home: str | None = None,
               contact_for: str = "topic", signed: bool = False) -> TopicCardOut:
    """The card of one topic in `loc`'s language, for the reader or (`about="other"`) the person
    they wrote about, with the contact for `home` (a stated home country; None: the reply
    language's hint). Made once per rule book, language, person and country (bot.engine.memo;
    never keyed by a user's text). `contact_for="home"`: the home country's contact (an urgent
    reply). `signed`: for someone who already signed a contract: its steps without "do not sign"
    (REVIEW8 item 4). Its notices are the localizer's (`loc.notices()`)."""
    about = "other" if about == "other" else "self"
    home = home if home in HOME_COUNTRIES else None
    contact_for = "home" if contact_for == "home" else "topic"
    signed = signed is True
    return cached_view(loc, "topic_card", (topic_id, about, home, contact_for) + (("signed",) if signed else ()),
                       lambda probe: _build(book, probe, topic_id, about, home, contact_for, signed))


def embassy_first(book: RuleBook, lang: str, home: str | None) -> bool:
    """Whether the embassy line comes before the numbers shown with it: his country is not stated
    and the one his language hints at (ky: Kyrgyzstan, kk: Kazakhstan) has no number in our
    sources, so the numbers shown are other countries' (the Uzbek agency serves Uzbek citizens
    only, FACTS H1): a Kyrgyz reader first reads his own embassy (REVIEW9 F7), the numbers after it
    (REVIEW7 F2: never only "your embassy")."""
    if home in HOME_COUNTRIES:
        return False
    hinted = LANGUAGE_COUNTRY.get(lang.split("-")[0])
    return hinted is not None and not any(c.country == hinted for c in book.contacts)


T = TypeVar("T")


def contacts_and_embassy(book: RuleBook, lang: str, home: str | None, contacts: list[T], embassy: list[T]) -> list[T]:
    """The lines of the numbers and of the embassy, in the order every face shows them (embassy_first)."""
    return embassy + contacts if embassy and embassy_first(book, lang, home) else contacts + embassy


def card_ref(card: TopicCardOut) -> str:
    """What a button needs to rebuild the same card: "<topic>" or "<topic>:<o><h><s><country>"
    (o: about someone else; h: the home country's contact; s: for someone who already signed a
    contract, so Details and Sources never bring back "do not sign"), at most 31 bytes (topic ids
    are short: `ogoh check`)."""
    return topic_ref(card.id, card.about, card.signed, card.contact_for, card.home)


def topic_ref(topic_id: str, about: str = "self", signed: bool = False, contact_for: str = "topic",
              home: str | None = None) -> str:
    """card_ref of the card these would make (a topic button under a reply: the signed reply's
    "recruitment-offers", for him, or for the relative who signed)."""
    extra = ("o" if about == "other" else "") + ("h" if contact_for == "home" else "") + ("s" if signed else "") + (home or "")
    return f"{topic_id}:{extra}" if extra else topic_id


def _flags(ref: str) -> tuple[str, str]:
    """(the lower-case flags, the country) of a card_ref's part after the colon."""
    extra = ref.partition(":")[2]
    flags = extra[: len(extra) - len(extra.lstrip("ohs"))]
    return flags, extra[len(flags):]


def parse_ref(ref: str) -> tuple[str, str, str | None]:
    """(topic id, about, home country) of a card_ref."""
    flags, home = _flags(ref)
    about = "other" if "o" in flags else "self"
    return ref.partition(":")[0], about, home if home in HOME_COUNTRIES else None


def contact_for_ref(ref: str) -> str:
    """Whose contact the card of a card_ref shows: "home" (an urgent reply) or "topic"."""
    return "home" if "h" in _flags(ref)[0] else "topic"


def signed_ref(ref: str) -> bool:
    """Whether the card of a card_ref is for someone who already signed a contract."""
    return "s" in _flags(ref)[0]
