"""What a typed message needs besides a topic, and the reply that leads with it (REVIEW4 R6, R7,
R19, R20, R26, R30, R32).

- Urgent (detained, forced, taken to the enlistment office, a relative missing, "SOS"): the
  reply opens with the one or two things to do now, taken from the steps of the topic that fits
  (so every line is backed by that topic's sources, one tap away), then the contact of his home
  country (stated, else the reply language's hint; else every country's), never the topic's own
  (an NGO that appeals expulsions is no help to a man held in a police station, REVIEW5 F3); the
  faces add the offer of a person when volunteers are configured.
- Urgent about someone else ("my son was sent to the front", "брата забрали", "укам йўқолиб
  қолди"): what the family can do, from where-to-get-help written for a relative
  (`topic.get-help.steps.other`: tell the embassy or consulate about him, then the reader's
  country's contacts), never the steps for the writer's own call-up paper (REVIEW5 F4, F17); the
  topic the message matched is a button, about that person.
- A contract already signed: Ogoh says plainly it has no checked answer on cancelling one, then
  the steps the rules do have for someone who signed (talk to a lawyer before going home, check
  the law with the embassy), the contact, and a person when configured.
- A request for a person: the volunteers when configured, else where to get help.
- Out of scope (the matcher's best label is "out of scope": the price of a patent, unpaid
  wages): it says so in the reader's language, not "I can't answer reliably", and points on;
  about expulsion or an entry ban, to the contact whose own source says it handles those. Work,
  pay, a patent or registration read "no checked answer on those"; the weather, a joke, anything
  else only what Ogoh answers; unpaid wages also that a high-pay offer may be a lure (REVIEW9 F8, F10).

The words are rules/lexicon/intents.yaml (bot.matcher.intents). Nothing here keeps the text:
only the names of the families found and the topic chosen leave `read`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from bot.core.cards import TopicCardOut, own_country
from bot.engine.i18n import Localizer
from bot.engine.summary import HOME_COUNTRIES, LANGUAGE_COUNTRY, Summary, SummaryContact, event_facts, person_text, same_step
from bot.engine.views import AskOut, render_citations
from bot.matcher.index import OUT_OF_SCOPE
from bot.matcher.intents import URGENT, intents_for

if TYPE_CHECKING:
    from bot.core.service import Service

HELP_TOPIC = "get-help"
DRAFTED_TOPIC = "foreigner-conscription"
# The topic whose steps say what to do now, by family (the first family found that has one).
FAMILY_TOPIC = {
    "detained": "work-permit-pressure",  # "Do not sign anything under pressure. Ask for a lawyer and an interpreter."
    "forced": "work-permit-pressure",
    "drafted": "foreigner-conscription",  # "... do not sign anything; show it to your embassy or consulate."
    "missing": HELP_TOPIC,
}
ABOUT_BOT_WORDS = 8  # "are you a lawyer?" is short; a longer message asks something else too
PRIVACY_WORDS = 16  # "это безопасно? вы храните мои данные?"; a longer one tells of more
NOW_STEPS = 2  # the one or two things to do now
TYPED_HEADLINES = ("1", "2", "3", "many", "mixed")  # ui.summary.headline_<k> -> ui.urgent.headline_<k>
URGENT_RISKS = 2  # the serious risks an urgent reply states first (REVIEW9 F4), as PRODUCT.md's sketch
# Someone who signed: home-country-penalties' steps "If you have already signed, talk to a lawyer
# before you travel home." and "Check the exact law with your embassy or a lawyer", the 2nd and 1st
# of its card for him (its "Do not sign a military contract" left out: bot.core.cards `signed`).
SIGNED_TOPIC = "home-country-penalties"
SIGNED_STEPS = (1, 0)
# Someone who stated Russian citizenship (dual, naturalized) taken to the enlistment office: not the
# foreigner's steps ("If you are not a Russian citizen …", REVIEW7 F1) but dual-citizenship's 2nd and
# 3rd: "Do not sign military papers or a contract you do not understand. Ask for time and a copy.",
# "Talk to a lawyer or your embassy before you act …".
RU_CITIZEN_TOPIC = "dual-citizenship"
RU_CITIZEN_STEPS = (1, 2)
RU_CITIZEN = frozenset({"dual", "naturalized"})
SIGNED_CITED = ("pressure-no-protection-at-home", "contract-length", "help-uz", "help-russian-citizens")  # the signed lines' sources
SIGNED_ALSO = "recruitment-offers"  # its answer: a "one-year" contract does not end after a year
# Outside what Ogoh covers, but a contact's own source says it handles it: expulsion and entry bans
# ("We help to appeal against unreasonably issued decisions on expulsion and entry bans", Civic
# Assistance, contacts.yaml `topics: [work-permit-pressure]`: that card's own contact). Patents,
# wages, registration: no contact's source says so (the Uzbek agency's and the Tajik ministry's
# sources give their numbers only), so none is offered (REVIEW6 #14).
EXPULSION_TOPIC = "work-permit-pressure"
# What an out-of-scope question is about (REVIEW9 F8, F10): unpaid wages, a patent, registration or
# a job get "no checked answer on work, pay, patents or registration" (ui.out_of_scope); the weather,
# a joke, anything else only what Ogoh answers (ui.out_of_scope_general: "pay, patent, registration"
# was the wrong list for "погода завтра"). Kept among the families only when the message is out of
# scope ("угрожают лишить патента" is a threat, its words no family of it). off_topic (the weather,
# a joke) is out of scope when the matcher answered nothing, whatever its out-of-scope label says.
SCOPE_FAMILIES = frozenset({"wages", "everyday", "off_topic"})
EVERYDAY_FAMILIES = frozenset({"wages", "everyday", "expulsion"})
NOT_A_QUESTION_FAMILIES = frozenset({"expulsion"}) | SCOPE_FAMILIES  # what a question is about: it may still be out of scope
# Unpaid wages: a high-pay offer in occupied Ukraine is a known lure (ui.out_of_scope_lure): migrants
# hired for construction there ended up digging trenches and fighting (Bloomberg, N28) and were paid
# less than promised (RFE/RL, O2): the rule occupied-job-offer's citations of these two sources.
LURE_RULE = "occupied-job-offer"
LURE_TOPIC = "occupied-territory-jobs"  # its rule's topic: a button (its sources and what to do)
LURE_SOURCES = ("bnn-bloomberg-2024-occupied", "rferl-2022-12-mariupol")


@dataclass(frozen=True)
class Attention:
    """What a message needs besides a topic: the intent families found, and whether the matcher
    took it for a question outside what Ogoh covers."""

    families: tuple[str, ...] = ()
    out_of_scope: bool = False

    @property
    def names(self) -> list[str]:
        """As AskOut.attention: the families, then "out_of_scope"."""
        return list(self.families) + (["out_of_scope"] if self.out_of_scope else [])

    @property
    def urgent(self) -> bool:
        return any(f in URGENT for f in self.families)

    @property
    def signed(self) -> bool:
        return "signed" in self.families

    @property
    def person(self) -> bool:
        return "person" in self.families

    @property
    def about_bot(self) -> bool:
        return "about_bot" in self.families

    @property
    def privacy(self) -> bool:
        return "privacy" in self.families

    @property
    def wants_person(self) -> bool:
        """The reply itself offers a person: urgency, a signed contract, or asked for."""
        return self.urgent or self.signed or self.person


class LeadReply(BaseModel):
    """The reply that leads with what a message needs (kinds above). `steps` come from `card`'s
    topic (its citations back them); `card` also gives the contact, Sources and Details."""

    kind: Literal["urgent", "signed", "person", "out_of_scope", "finding"]
    lead: str
    steps: list[str] = Field(default_factory=list)
    card: TopicCardOut
    also: str | None = Field(None, description="another topic the message matched: a button")
    headline: str | None = Field(None, description=(
        "urgent, about himself: the personal answer's headline when it finds serious risks (`risks` counts them), "
        "shown after what to do now: what is at stake (REVIEW9 F4: 'do not sign' alone said nothing of a contract "
        "meaning the front and a crime at home)"))
    risks: list[str] = Field(default_factory=list, description="the personal answer's serious risks (their leads), numbered under `headline`")


def families(svc: "Service", text: str) -> Attention:
    """The families in `text` alone (no out-of-scope reading, so none of SCOPE_FAMILIES)."""
    return Attention(tuple(f for f in intents_for(svc.ogoh.snapshot.book).read(text) if f not in SCOPE_FAMILIES))


def attention(out: AskOut) -> Attention:
    """What `Service.ask` found (AskOut.attention)."""
    return Attention(tuple(n for n in out.attention if n != "out_of_scope"), "out_of_scope" in out.attention)


def read(svc: "Service", text: str, out: AskOut) -> Attention:
    """The families in `text`, and out of scope when nothing else answered it."""
    snap = svc.ogoh.snapshot
    families = intents_for(snap.book).read(text)
    out_of_scope = False
    if not set(families) - NOT_A_QUESTION_FAMILIES and not out.matches and out.small_talk is None and not set(out.facts) & event_facts(snap.book):
        # (who he is, "домой в ташкент" read as an Uzbek in Russia, does not make a ticket home a
        # situation: only an event does, an offer, a call-up paper, a threat; REVIEW5 F11)
        # only on this path, the question the matcher did not answer: out of scope when that label
        # leads and the classifier is for it (a positive decision value), not merely least unlike
        # (the matcher's ranking of this very text, kept by `Ogoh.ask`; searched again only without it)
        best = out._leading or next(iter(snap.index.search(text).ranked), None)
        out_of_scope = (best is not None and best[0] == OUT_OF_SCOPE and best[1] > 0) or "off_topic" in families
    if not out_of_scope:
        families = tuple(f for f in families if f not in SCOPE_FAMILIES)
    return Attention(families, out_of_scope)


def _family_steps(svc: "Service", card: TopicCardOut, home: str | None) -> list[str]:
    """Where-to-get-help for a relative (`topic.get-help.steps.other`): its first line (tell the
    embassy or consulate about him), then the lines of the reader's country (stated, else the
    reply language's hint); with no country, every country's line but the last (for Russian
    citizens facing call-up: the relative's own situation, behind the topic's button)."""
    every = card.steps + card.more_steps
    first = svc.localizer(card.lang).text("topic.get-help.steps.other").splitlines()[0].strip()
    rest = [s for s in every if s != first]
    reader = home if home in HOME_COUNTRIES else LANGUAGE_COUNTRY.get(card.lang.split("-")[0])
    if reader:
        return [first] + [s for s in rest if own_country(svc.book, s, reader)]
    return [first] + rest[:-1]


def already_signed(out: AskOut, att: Attention) -> bool:
    """The message says he signed a contract already (the words, or the fact contract_signed)."""
    return att.signed or out.facts.get("contract_signed") == "yes"


def _signed_reply(svc: "Service", out: AskOut, c: TopicCardOut) -> LeadReply:
    """For someone who signed (REVIEW9 F6: "no checked answer" and a lawyer were nothing to act on):
    Ogoh has no checked answer on cancelling, then what the sources do say, his country's contact
    first (stated, else the reply language's hint: get-help's line for it, so nothing is tapped
    twice; with no country, every country's number after the rest, as before):
    - Uzbekistan (or no country known): the Migration Agency asks citizens abroad to contact it at
      once (Zamin.uz, 2025); a man who got new documents at the embassy and went home got 3 years
      (N18); coerced signers were jailed at home (N17, N19). Another country: its own penalty
      (rule.penalties-<country>.short), not Uzbek cases (REVIEW7 F3);
    - a "one-year" contract runs until the end of the "SMO", courts side with the command (N13);
    - a Russian citizen (dual, naturalized): Get Lost (H5, N37), with its caveat.
    The card (home-country-penalties', signed) cites each of them."""
    loc = svc.localizer(out.reply_lang)
    every = c.steps + c.more_steps
    home = out.facts.get("home_country")
    reader = home if home in HOME_COUNTRIES else LANGUAGE_COUNTRY.get(out.reply_lang.split("-")[0])
    uzbek = reader in (None, "UZ")
    own: list[str] = []
    if reader:  # his country's line of where-to-get-help ("Uzbekistan: Migration Agency, +7 925 …")
        lines = [s.strip() for s in loc.text(f"topic.{HELP_TOPIC}.steps").splitlines() if s.strip()]
        own = [s for s in lines if own_country(svc.book, s, reader)][:1]
    steps = ([loc.text("ui.signed.home_uz")] if reader == "UZ" else []) + own
    if uzbek:
        steps += [loc.text("ui.signed.lawyer_home"), loc.text("ui.signed.pressure")]
    elif reader is not None:
        steps += [every[i] for i in SIGNED_STEPS[:1] if i < len(every)]  # talk to a lawyer before you travel home
        if any(r.id == f"penalties-{reader.lower()}" for r in svc.book.rules):  # his country's penalty
            steps.append(loc.text(f"rule.penalties-{reader.lower()}.short"))
    steps.append(loc.text("ui.signed.contract_length"))
    if out.facts.get("ru_citizenship") in RU_CITIZEN:
        steps.append(loc.text("ui.signed.get_lost"))
    # what these lines say, cited by the rules that say it too (the topic card's own list stays one
    # screen: test_card_sources); each line names its source in words as well
    have = {x.source_id for x in c.citations}
    extra = [x for r in svc.book.rules if r.id in SIGNED_CITED for x in r.citations if x.source not in have]
    update: dict = {"citations": c.citations + render_citations(svc.book, list({x.source: x for x in extra}.values()), loc)}
    if own:  # the contact is given first, in the steps: not again under them
        update.update(contacts=[], help=None)
    c = c.model_copy(update=update)
    return LeadReply(kind="signed", lead=loc.text("ui.urgent.signed"), steps=steps, card=c, also=SIGNED_ALSO)


def relative_at_war(out: AskOut) -> bool:
    """A message about someone else who already went to the war or signed ("уулум согушка кетти",
    "күйеуім соғысқа кетті", "my brother went to war": the fact contract_signed, no urgent words):
    the family's answer, never "nothing points to a risk for this person" (REVIEW9 F1)."""
    return out.about == "other" and out.facts.get("contract_signed") == "yes"


PENALTY_TOPIC = "home-country-penalties"
PENALTY_CASES = ("UZ", "KG", "KZ", "TJ")  # ui.penalty.cases.<country>: its recent cases (Turkmenistan: none known)


def penalty_country(out: AskOut) -> str | None:
    """The country whose penalty a question about fighting asks for (REVIEW9 F5: "если я повоюю год
    и вернусь в узбекистан что будет", "соғысқа барсам Қазақстанда не болады" read a five-country
    table or "nothing points to a risk"): the best match is the penalty at home and a home country
    is known (stated, else named, else the reply language's hint); None otherwise."""
    if not out.matches or out.matches[0].topic_id != PENALTY_TOPIC:
        return None
    if out.summary is not None and any(r.topic_id != PENALTY_TOPIC for r in out.summary.risks):
        return None  # an offer, a threat he told of: the personal answer leads with its serious risks
    home = out.facts.get("home_country")
    for country in (home, out.country_named, LANGUAGE_COUNTRY.get(out.reply_lang.split("-")[0])):
        if country in HOME_COUNTRIES:
            return country
    return None


def _penalty_reply(svc: "Service", out: AskOut, country: str) -> LeadReply:
    """That country's penalty first (rule.penalties-<country>.short, whole), then its recent cases
    as the sources give them (ui.penalty.cases.<country>), that a "one-year" contract runs until
    the end of the "SMO" (N13), and to check the law with the embassy or a lawyer; the card is the
    penalty topic's for that country (its own rule's sources first), with its contact."""
    loc = svc.localizer(out.reply_lang)
    c = svc.topic_card(PENALTY_TOPIC, out.reply_lang, out.about, country, "home")
    lead = person_text(loc, f"rule.penalties-{country.lower()}.short", out.about)
    steps = [loc.text(f"ui.penalty.cases.{country}")] if country in PENALTY_CASES else []
    steps.append(loc.text("ui.signed.contract_length"))
    check = loc.text(f"topic.{PENALTY_TOPIC}.steps").splitlines()
    actions = svc.book.topics[PENALTY_TOPIC].actions
    steps += [s.strip() for a, s in zip(actions, check, strict=False) if a == "check_law"]
    return LeadReply(kind="finding", lead=lead, steps=steps, card=c)


DECREE_TOPIC = "foreigner-conscription"
DECREE_RULE, DECREE_KZ_RULE = "decree-821-application", "decree-821-kz-permit"


def asks_decree(out: AskOut, att: Attention) -> bool:
    """A question about a residence permit or Decree No. 821 ("указ 821 внж мне нужно подписывать
    контракт?", "ВНЖ алғым келеді", REVIEW9 F2: "nothing points to a risk" or the 2022 Sakharovo
    text), from someone not stated a Russian citizen (the decree is about foreigners), whose
    answer has no serious risk of another topic (an offer he told of leads with its own risks)."""
    if "decree_821" not in att.families or out.facts.get("ru_citizenship") in RU_CITIZEN:
        return False
    s = out.summary
    return s is None or all(r.topic_id == DECREE_TOPIC for r in s.risks)


def _decree_reply(svc: "Service", out: AskOut) -> LeadReply:
    """The decree's finding: for a Kazakh citizen (stated or named) that its condition is reported
    to cover only citizenship, not the residence permit (NewsGram reprinting RFE/RL), and its
    step; else the army-contract condition ("if" while no application is stated), its steps
    (a lawyer on the grounds, no contract for a permit, proof of unfitness) and, while his country
    is not known, the Kazakhstan carve-out with "if". The card: the decree's topic (its sources)."""
    loc, about = svc.localizer(out.reply_lang), out.about
    home = out.facts.get("home_country")
    country = home if home in HOME_COUNTRIES else out.country_named if out.country_named in HOME_COUNTRIES else None
    c = svc.topic_card(DECREE_TOPIC, out.reply_lang, about, country, "home")

    def lines(key: str) -> list[str]:
        return [x.strip() for x in person_text(loc, key, about).splitlines() if x.strip()]

    if country == "KZ":
        return LeadReply(kind="finding", lead=person_text(loc, f"rule.{DECREE_KZ_RULE}.short", about),
                         steps=lines(f"rule.{DECREE_KZ_RULE}.steps"), card=c)
    stated = out.facts.get("status_application") in ("residence_permit", "citizenship")
    lead = person_text(loc, f"rule.{DECREE_RULE}.{'short' if stated else 'short_possible'}", about)
    steps = lines(f"rule.{DECREE_RULE}.steps")
    # the Kazakhstan carve-out only to who may be a Kazakh: no country stated or named, and a reply
    # language that hints none or Kazakhstan (an Uzbek writing in Uzbek read it: REVIEW9b G7)
    if country is None and LANGUAGE_COUNTRY.get(out.reply_lang.split("-")[0], "KZ") == "KZ":
        steps.append(person_text(loc, f"rule.{DECREE_KZ_RULE}.short_possible", about))
    return LeadReply(kind="finding", lead=lead, steps=steps, card=c)


OFFER_RULE = "offer-military-contract"
PRESSURE_RULE = "pressure-no-protection-at-home"  # its sources (N17, N19) back ui.urgent.pressure
PRESSURE_SOURCES = ("centralasia-media-2025-08-uz", "centralasia-media-2026-01-uz")


def pressed(out: AskOut) -> bool:
    """The message tells of a contract offered under pressure: by the police (detained) or with a
    threat to his permit ("sign or be deported")."""
    return out.facts.get("military_offer") == "police" or out.facts.get("permit_threat") == "yes"


def _stake_line(loc: Localizer, out: AskOut, risk) -> str:
    """A serious risk as the urgent reply states it: its lead; for a contract offered under
    pressure to an Uzbek or someone who did not say his country, not "your home country may
    prosecute you" but what the sources report (REVIEW9b G4): Uzbek courts jailed migrants who
    signed after a detention in Russia for 3 to 6 years, 2025-2026 (N17, N19; the rule
    pressure-no-protection-at-home, whose condition is the same: an Uzbek, or not known)."""
    home = out.facts.get("home_country")
    # (stated, else the reply language's hint, as the signed reply: a Tajik reads his own country's
    # "may prosecute", not Uzbek verdicts in place of it, REVIEW7 F3)
    reader = home if home in HOME_COUNTRIES else LANGUAGE_COUNTRY.get(out.reply_lang.split("-")[0])
    if risk.rule_ids[0] == OFFER_RULE and risk.status == "applies" and pressed(out) and reader in (None, "UZ"):
        return loc.text("ui.urgent.pressure")
    return risk.lead or risk.text


def lead_reply(svc: "Service", out: AskOut, att: Attention, person_offered: bool = False) -> LeadReply | None:
    """The reply for `att` (None: the message needs nothing beyond its topic). `person_offered`:
    volunteers are configured here (the face adds their offer and button)."""
    lang, about, home = out.reply_lang, out.about, out.facts.get("home_country")
    loc = svc.localizer(lang)
    matched = out.matches[0].topic_id if out.matches else None

    # Someone who says he signed already (the words, or the fact): every card this reply is built
    # from is his, without "do not sign" (its Details and Sources buttons rebuild it so: card_ref)
    signed = already_signed(out, att)

    def card(topic_id: str, contact_for: str = "topic") -> TopicCardOut:
        return svc.topic_card(topic_id, lang, about, home, contact_for, signed)

    if att.urgent:
        topic = next((FAMILY_TOPIC[f] for f in att.families if f in FAMILY_TOPIC), None) or matched or HELP_TOPIC
        if about == "other":  # a relative: what the family can do, not the writer's own steps
            c = card(HELP_TOPIC)
            also = matched if matched not in (None, HELP_TOPIC) else (topic if topic != HELP_TOPIC else None)
            if signed:  # what his signature brings at home, not the offer's topic
                also = SIGNED_TOPIC
            return LeadReply(kind="urgent", lead=loc.text("ui.urgent.family"), steps=_family_steps(svc, c, home), card=c,
                             also=also)
        if signed:
            # forced, detained or taken, and signed already ("меня заставили подписать контракт, я уже
            # подписал"): what someone who signed can do, never "If this is happening now: do not
            # sign anything under pressure" (REVIEW8 #1)
            return _signed_reply(svc, out, card(SIGNED_TOPIC, "home"))
        # what is at stake, as the personal answer says it, after what to do now (REVIEW9 F4:
        # detained and offered a contract instead of court read only "do not sign; ask for a copy")
        stake = out.summary if out.summary is not None and out.summary.risks else None
        at_stake: dict = {}
        if stake is not None:  # at most two, with the first steps on one screen: "several … the most serious ones:" over three
            headline = stake.headline
            if len(stake.risks) > URGENT_RISKS and headline == loc.text(f"ui.summary.headline_{len(stake.risks)}"):
                headline = loc.text("ui.summary.headline_many")
            # a typed message: "What you wrote points to …", not "Your answers …": he answered no question
            headline = next((loc.text(f"ui.urgent.headline_{k}") for k in TYPED_HEADLINES
                             if headline == loc.text(f"ui.summary.headline_{k}")), headline)
            at_stake = {"headline": headline, "risks": [_stake_line(loc, out, r) for r in stake.risks[:URGENT_RISKS]]}
        if topic == DRAFTED_TOPIC and out.facts.get("ru_citizenship") in RU_CITIZEN:
            c = card(RU_CITIZEN_TOPIC, "home")
            every = c.steps + c.more_steps
            return LeadReply(kind="urgent", lead=loc.text("ui.urgent.now"), steps=[every[i] for i in RU_CITIZEN_STEPS if i < len(every)],
                             card=c, also=matched if matched not in (None, RU_CITIZEN_TOPIC) else None, **at_stake)
        c = card(topic, "home")
        if loc.text("ui.urgent.pressure") in at_stake.get("risks", []):  # its sources (N17, N19) on the card
            have = {x.source_id for x in c.citations}
            extra = [x for r in svc.book.rules if r.id == PRESSURE_RULE for x in r.citations
                     if x.source in PRESSURE_SOURCES and x.source not in have]
            if extra:
                c = c.model_copy(update={"citations": c.citations + render_citations(svc.book, extra, loc)})
        # with what is at stake above them, the one thing to do now (the rest: the personal answer, one tap on Right)
        steps = c.steps if topic == HELP_TOPIC else (c.steps + c.more_steps)[:1 if at_stake else NOW_STEPS]
        return LeadReply(kind="urgent", lead=loc.text("ui.urgent.now"), steps=steps, card=c,
                         also=matched if matched not in (None, topic) else None, **at_stake)
    if att.signed:
        if about == "other":  # his wife, his brother: what the family can do, not "if you have signed, talk to a lawyer"
            c = card(HELP_TOPIC)
            return LeadReply(kind="signed", lead=loc.text("ui.urgent.signed"), steps=_family_steps(svc, c, home), card=c,
                             also=SIGNED_TOPIC)
        return _signed_reply(svc, out, card(SIGNED_TOPIC, "home"))
    if relative_at_war(out):  # gone to the war already: what the family can do (the consulate, his country's contact)
        c = card(HELP_TOPIC)
        return LeadReply(kind="urgent", lead=loc.text("ui.urgent.family"), steps=_family_steps(svc, c, home), card=c,
                         also=SIGNED_TOPIC)
    if asks_decree(out, att) and not att.person:
        return _decree_reply(svc, out)
    country = penalty_country(out)
    if country and not att.person and not att.out_of_scope:
        return _penalty_reply(svc, out, country)
    if att.person:
        c = card(HELP_TOPIC)
        if person_offered:
            return LeadReply(kind="person", lead=loc.text("ui.handoff.offer"), card=c)
        return LeadReply(kind="person", lead=loc.text("ui.person.none"), steps=c.steps, card=c)
    if att.out_of_scope:
        if "expulsion" in att.families:  # its card's contact is the one whose source handles it (if still so tagged)
            c = card(EXPULSION_TOPIC)
            if c.contacts and all(x.country == "any" for x in c.contacts):
                return LeadReply(kind="out_of_scope", lead=loc.text("ui.out_of_scope"), card=c)
        everyday = bool(EVERYDAY_FAMILIES & set(att.families))
        c = card(HELP_TOPIC)
        lure: list[str] = []
        also = None
        if "wages" in att.families:  # a high-pay offer may be a lure: its line, and its sources on the card
            lure = [loc.text("ui.out_of_scope_lure")]
            have = {x.source_id for x in c.citations}
            extra = [x for r in svc.book.rules if r.id == LURE_RULE for x in r.citations if x.source in LURE_SOURCES and x.source not in have]
            c = c.model_copy(update={"citations": c.citations + render_citations(svc.book, list({x.source: x for x in extra}.values()), loc)})
            also = LURE_TOPIC if LURE_TOPIC in svc.book.topics else None
        return LeadReply(kind="out_of_scope", lead=loc.text("ui.out_of_scope" if everyday else "ui.out_of_scope_general"),
                         steps=lure, card=c, also=also)
    return None


class FirstAid(BaseModel):
    """What the first reply to a typed situation says to do before any tap (REVIEW6 #9): in
    Telegram "I understood: … [Right] [Change]" came alone, and on a throttled connection the
    answer one tap away may never arrive. One step that holds whatever he answers next, and a
    contact he can tap."""

    step: str | None = Field(None, description="one thing to do now")
    topic_id: str | None = Field(None, description="the topic whose card the step is from (its sources back it); "
                                 "None: the personal answer's own step (its sources)")
    contacts: list[SummaryContact] = Field(default_factory=list, description="one organisation: its channels")
    help: str | None = Field(None, description="when no contact fits: your country's embassy or consulate")


def first_aid(svc: "Service", summary: Summary, topic: str | None, lang: str, about: str = "self",
              home: str | None = None) -> FirstAid:
    """For the facts a typed message states (their personal answer `summary`) and the topic it
    matched: the step the personal answer leads with when it finds a serious risk ("Do not sign
    the contract …"); else the first step of the topic he asked about (a call-up paper: "If you
    are not a Russian citizen … do not sign anything; show it to your embassy"), which does not
    wait on what is not yet known; else the answer's first step, else the first step of the
    topic its first item is from (nothing yet: a foreigner's call-up topic, whose first step
    holds for anyone). The contact: the answer's home-country contact, else its
    first, else the home country's (stated, else the reply language's hint; with none, every
    country's published number and the embassy line), as the urgent reply picks it; the embassy
    line not under a step that already says it."""
    home = home if home in HOME_COUNTRIES else None
    step: str | None = None
    step_topic: str | None = None
    if summary.risks and summary.steps:
        step = summary.steps[0]
    elif about == "other":
        # a relative, with nothing serious found yet: what the family can do, as the family reply
        # said it, not the call-up paper's "if you are not a Russian citizen … do not sign"
        # addressed to the writer (REVIEW7 F6: a wife whose husband signed read that)
        family = _family_steps(svc, svc.topic_card(HELP_TOPIC, lang, about, home), home)
        step, step_topic = (family[0], HELP_TOPIC) if family else (None, None)
    else:
        items = [r.topic_id for r in summary.risks + summary.good_to_know]
        for candidate in [topic] + ([] if summary.steps else items + [DRAFTED_TOPIC]):
            if candidate and svc.is_topic(candidate):
                steps = svc.topic_card(candidate, lang, about, home).steps
                if steps:
                    step, step_topic = steps[0], candidate
                    break
        if step is None and summary.steps:
            step = summary.steps[0]
    reader = home or LANGUAGE_COUNTRY.get(lang.split("-")[0])
    if not home and not any(c.country == reader for c in svc.book.contacts):
        reader = None  # only hinted, with no number of its own (Kyrgyz, Kazakh): every country's (REVIEW7 F2)
    # his country's organisation (stated, else the reply language's hint); for a country with no
    # number in our sources (Kyrgyzstan), a contact for his answers; with no country at all, not
    # one country's number picked for him, but every country's (below)
    own = [c for c in summary.contacts if c.country == reader] if reader else []
    if not own and reader:
        own = [c for c in summary.contacts if c.country == "any"]
    if own:
        return FirstAid(step=step, topic_id=step_topic, contacts=[c for c in own if c.label == own[0].label])
    # no contact fits yet: the home country's, else every country's published number and the
    # embassy line for the others, as the urgent reply gives them (a card whose steps are not its
    # contacts: get-help's steps list them, so its card shows none)
    cards = (svc.topic_card(t, lang, about, home, "home") for t in dict.fromkeys([step_topic, topic, DRAFTED_TOPIC])
             if t and t != HELP_TOPIC and svc.is_topic(t))
    card = next((c for c in cards if c.contacts or c.help), None)
    contacts, help_line = (card.contacts, card.help) if card is not None else ([], summary.help)
    if help_line and not contacts and step and same_step(svc.localizer(lang).text("ui.summary.embassy"), step):
        help_line = None  # the step already says it: "Contact your country's embassy", not twice
    return FirstAid(step=step, topic_id=step_topic, contacts=contacts, help=help_line)


def summary_message(loc: Localizer, summary: Summary, aid: FirstAid | None = None) -> str:
    """The personal answer as one plain text (`message` of `POST /v1/ask` and `ogoh ask --json`
    when a typed message states a situation, REVIEW6 #7: an NGO that shows `message` showed the
    flagship worker "Maybe you meant …"): the headline, the serious risks numbered as the
    headline counts them, what is good to know, then what to do now: two steps and one
    organisation's channels (else the embassy line), as the bot's first screen orders them;
    where the answer has no step or contact yet, `aid`'s (first_aid, as the bot and the web page)."""
    lines = [summary.headline]
    lines += [f"{i}. {r.lead or r.text}" for i, r in enumerate(summary.risks, 1)]
    if summary.good_to_know:
        if summary.risks or not summary.headline.rstrip().endswith(":"):
            lines.append(loc.text("ui.summary.general") + ":")
        lines += [f"• {r.lead or r.text}" for r in summary.good_to_know]
    steps = summary.steps[:NOW_STEPS] or ([aid.step] if aid is not None and aid.step else [])
    todo = [f"• {step}" for step in steps]
    if summary.contacts:  # one organisation: his country's, else the first
        own = [c for c in summary.contacts if c.country != "any"] or summary.contacts
        labels, help_line = [own[0].label], None
    else:  # first aid's: his country's, or every country's and the embassy line
        own = aid.contacts if aid is not None else []
        labels = list(dict.fromkeys(c.label for c in own))
        help_line = aid.help if aid is not None else summary.help  # (not under a step that says it)
    for label in labels:
        channels = [c for c in own if c.label == label]
        dates = sorted({c.last_confirmed_text for c in channels if c.last_confirmed_text})
        when = f" ({loc.text('ui.summary.as_of', date=dates[-1])})" if dates else ""
        todo.append(f"• {label}: " + ", ".join(c.value for c in channels) + when)
    if help_line and not any(same_step(help_line, step) for step in steps):  # "contact your embassy" once
        todo.append(f"• {help_line}")
    if todo:
        lines += [loc.text("ui.what_to_do") + ":"] + todo
    return "\n".join(lines)


def first_sources(out, book=None) -> list:
    """The sources behind what the personal answer's first screen says (its risks and what is
    good to know, in their order), when they are fewer than all of the answer's: a tap on Sources
    gave 28 (1,407 characters) for the flagship, Censor.NET and «Zamin.uz, no date» among them
    (REVIEW7 F9); the rest are one tap (Telegram), one section (the web page) further. Else every
    source. `out`: an AssessOut (its findings' citations), or an AskOut with the rule `book` (its
    rules' citations; without it each item's source_ids, every finding merged into it)."""
    s = getattr(out, "summary", None)
    # the sources of the finding whose text each item shows (its first rule), not of every finding
    # merged into it
    cited = {f.rule_id: [c.source_id for c in f.citations] for f in getattr(out, "findings", [])}
    if book is not None and s is not None:
        wanted = {r.rule_ids[0] for r in s.risks + s.good_to_know} - set(cited)
        cited.update({rule.id: [c.source for c in rule.citations] for rule in book.rules if rule.id in wanted})
    ids = list(dict.fromkeys(i for r in (s.risks + s.good_to_know) for i in cited.get(r.rule_ids[0], r.source_ids))) if s is not None else []
    by_id = {src.source_id: src for src in out.sources}
    first = [by_id[i] for i in ids if i in by_id]
    return first if first and len(first) < len(out.sources) else list(out.sources)
