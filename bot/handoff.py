"""Talk to a person: the case logic of the anonymous handoff to NGO volunteers (issue 16).

No Telegram import here (the faces use it; the engine never does). What this module keeps, and
where, is the whole privacy story of the handoff:

* The link from a case to the worker's chat is **not in the database**. It travels inside the
  operator-side messages as an authenticated, encrypted token (AES-256-GCM, key derived from
  `OGOH_SECRET_KEY`): the worker's chat id, the case number and the time it was issued. An
  operator who replies to such a message hands the token back; nobody without the key can read
  or forge it, and it stops working after 7 days.
* The Store holds, for at most 7 days after the last message: under a keyed hash of the chat,
  the open case's number, language and two flags (photo warning shown, check shared); under a
  keyed hash of the case number, whether it is open, its language and when it opened; and per
  operator group (keyed hash) the numbers of its cases, for `/cases`. No message text, no
  Telegram id in clear, no token.
* Ending a case (`/stop`, `/forget`, `/close`) deletes the worker's record and marks the case
  closed, so a token still held by the group is refused from then on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import struct
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

from bot.matcher.normalize import fold
from bot.storage import Store, StoreUnavailable

CASE_TTL_SECONDS = 7 * 24 * 3600
TOKEN_MAX_AGE_SECONDS = CASE_TTL_SECONDS
RELAY_LIMIT_PER_MINUTE = 10
RELAY_LIMIT_PER_HOUR = 60
OFFER_EVERY_SECONDS = 600
# Case labels: 5 characters without look-alikes (0/O, 1/I/L, U/V): about 20 million labels.
LABEL_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
LABEL_LENGTH = 5
TOKEN_PREFIX = "HX:"  # callback data of the button under every operator-side message (<= 64 bytes)
URGENT_WORDS_KEY = "ui.handoff.urgent_words"
DEFAULT_ROUTE = "*"


class HandoffConfigError(ValueError):
    """`OGOH_HANDOFF_CHATS` is not a chat id or a JSON map of chat ids."""


def parse_chats(raw: str | int | dict | None) -> dict[str, int]:
    """`-1001234` (every case to one group) or `{"tg": -100…, "UZ": -100…, "*": -100…}`: a map
    from a language code (lower case) or a home country code (upper case) to a group; `*` is
    the group for everyone else. Empty or unset: no handoff at all."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}
    value: Any = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise HandoffConfigError("OGOH_HANDOFF_CHATS must be a chat id or a JSON map of chat ids") from exc
    if isinstance(value, bool):
        raise HandoffConfigError("OGOH_HANDOFF_CHATS must be a chat id or a JSON map of chat ids")
    if isinstance(value, int):
        return {DEFAULT_ROUTE: value}
    if not isinstance(value, dict) or not value:
        raise HandoffConfigError("OGOH_HANDOFF_CHATS must be a chat id or a JSON map of chat ids")
    routes: dict[str, int] = {}
    for key, chat in value.items():
        try:
            chat_id = int(chat)
        except (TypeError, ValueError) as exc:
            raise HandoffConfigError(f"OGOH_HANDOFF_CHATS: {key!r} must map to a chat id") from exc
        routes[str(key).strip()] = chat_id  # "tg" a language, "TJ" a country: case tells them apart
    return routes


def derive_key(secret: str, purpose: str = "ogoh-handoff-token-v1") -> bytes:
    """A key for one purpose, so the token key is never the hashing key itself."""
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class HandoffConfig:
    routes: dict[str, int] = field(default_factory=dict)
    key: bytes = field(default=b"", repr=False)
    ngo_name: str | None = None
    ngo_contacts: tuple[str, ...] = ()
    operator_lang: str = "ru"

    @classmethod
    def from_settings(cls, settings: Any) -> "HandoffConfig":
        contacts = getattr(settings, "handoff_ngo_contacts", None) or []
        if isinstance(contacts, str):
            contacts = [c for c in contacts.replace(";", "\n").splitlines()]
        return cls(
            routes=parse_chats(getattr(settings, "handoff_chats", None)),
            key=derive_key(settings.secret_key),
            ngo_name=(getattr(settings, "handoff_ngo_name", None) or "").strip() or None,
            ngo_contacts=tuple(c.strip() for c in contacts if c and c.strip()),
            operator_lang=getattr(settings, "handoff_operator_language", None) or "ru",
        )

    @property
    def enabled(self) -> bool:
        return bool(self.routes)

    @property
    def groups(self) -> frozenset[int]:
        return frozenset(self.routes.values())

    def group_for(self, lang: str | None, country: str | None = None) -> int | None:
        """Home country first (it says which embassy and law apply), then language, then `*`."""
        for key in ((country or "").upper(), (lang or "").split("-")[0].lower(), DEFAULT_ROUTE):
            if key and key in self.routes:
                return self.routes[key]
        return None


# --- the token carried by operator-side messages ------------------------------------------------

@dataclass(frozen=True)
class Ticket:
    chat_id: int
    case: int
    issued: int

    @property
    def label(self) -> str:
        return case_label(self.case)


_TOKEN = struct.Struct(">qII")  # chat id, case number, issued (unix seconds)


def _aead(key: bytes):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def seal(key: bytes, chat_id: int, case: int, issued: int | None = None) -> str:
    """`HX:` + base64url(nonce | AES-GCM(chat id, case, time)): 62 characters, fits callback data."""
    nonce = os.urandom(12)
    body = _aead(key).encrypt(nonce, _TOKEN.pack(chat_id, case, int(issued if issued is not None else time.time())), b"ogoh-handoff")
    return TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + body).decode().rstrip("=")


def unseal(key: bytes, token: str, now: float | None = None) -> Ticket | None:
    """The ticket, or None if the token was not made with this key, was altered, or is too old."""
    from cryptography.exceptions import InvalidTag

    if not token.startswith(TOKEN_PREFIX):
        return None
    raw = token[len(TOKEN_PREFIX):]
    try:
        blob = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        plain = _aead(key).decrypt(blob[:12], blob[12:], b"ogoh-handoff")
        chat_id, case, issued = _TOKEN.unpack(plain)
    except (InvalidTag, ValueError, struct.error):
        return None
    now = time.time() if now is None else now
    if not issued - 300 <= now <= issued + TOKEN_MAX_AGE_SECONDS:
        return None
    return Ticket(chat_id, case, issued)


def case_label(case: int) -> str:
    out = []
    for _ in range(LABEL_LENGTH):
        case, digit = divmod(case, len(LABEL_ALPHABET))
        out.append(LABEL_ALPHABET[digit])
    return "".join(reversed(out))


def case_from_label(label: str) -> int | None:
    label = label.strip().upper().lstrip("#")
    if len(label) != LABEL_LENGTH or any(ch not in LABEL_ALPHABET for ch in label):
        return None
    n = 0
    for ch in label:
        n = n * len(LABEL_ALPHABET) + LABEL_ALPHABET.index(ch)
    return n


def new_case_number() -> int:
    return secrets.randbelow(len(LABEL_ALPHABET) ** LABEL_LENGTH)


# --- cases in the Store -------------------------------------------------------------------------

@dataclass
class Case:
    case: int
    lang: str
    opened: float
    group: int | None = None  # the volunteers' group (a configured chat id, not the worker's)
    photo_warned: bool = False
    shared: bool = False

    @property
    def label(self) -> str:
        return case_label(self.case)


@dataclass(frozen=True)
class CaseInfo:
    label: str
    lang: str
    opened: float


class Cases:
    """Open cases, in the Store only (so two webhook replicas see the same), never linked in clear."""

    def __init__(self, store: Store):
        self.store = store

    def _worker(self, chat_id: int) -> str:
        return "handoff-w:" + self.store.hash_id("handoff-worker", chat_id)

    def _case(self, case: int) -> str:
        return "handoff-c:" + self.store.hash_id("handoff-case", case)

    def _group(self, group: int) -> str:
        return "handoff-g:" + self.store.hash_id("handoff-group", group)

    def open(self, chat_id: int, lang: str, group: int) -> Case:
        """A new case (any open one of this chat is ended first: a new label, nothing carried over)."""
        self.end(chat_id)
        case = Case(new_case_number(), lang, time.time(), group)
        self.store.set_state(self._worker(chat_id), {"case": case.case, "lang": lang, "opened": case.opened,
                                                     "group": group}, ttl_seconds=CASE_TTL_SECONDS)
        self.store.set_state(self._case(case.case), {"open": True, "lang": lang, "opened": case.opened,
                                                     "group": self.store.hash_id("handoff-group", group)},
                             ttl_seconds=CASE_TTL_SECONDS)
        self.store.add_message(self._group(group), case.case, ttl_seconds=CASE_TTL_SECONDS)
        return case

    def current(self, chat_id: int) -> Case | None:
        """The chat's open case; a case closed by an operator (`/close LABEL`) is cleaned up here."""
        record = self.store.get_state(self._worker(chat_id))
        if not record or "case" not in record:
            return None
        case_record = self.store.get_state(self._case(record["case"]))
        if not case_record or not case_record.get("open"):
            self.store.delete_state(self._worker(chat_id))
            return None
        return Case(int(record["case"]), record.get("lang", "ru"), float(record.get("opened", 0)), record.get("group"),
                    photo_warned=bool(record.get("photo_warned")), shared=bool(record.get("shared")))

    def was_closed_by_operator(self, chat_id: int) -> bool:
        """True once, when the chat's case was closed from the group while the worker was away."""
        record = self.store.get_state(self._worker(chat_id))
        if not record or "case" not in record:
            return False
        case_record = self.store.get_state(self._case(record["case"]))
        if case_record and case_record.get("open"):
            return False
        self.store.delete_state(self._worker(chat_id))
        return True

    def touch(self, chat_id: int, case: Case, **flags: bool) -> None:
        """Keep the case alive 7 days from now; set flags (photo_warned, shared)."""
        record = {"case": case.case, "lang": case.lang, "opened": case.opened, "group": case.group,
                  "photo_warned": flags.get("photo_warned", case.photo_warned), "shared": flags.get("shared", case.shared)}
        self.store.set_state(self._worker(chat_id), record, ttl_seconds=CASE_TTL_SECONDS)
        case_record = self.store.get_state(self._case(case.case))
        if case_record and case_record.get("open"):
            self.store.set_state(self._case(case.case), case_record, ttl_seconds=CASE_TTL_SECONDS)

    def is_open(self, ticket: Ticket) -> bool:
        """An operator's reply is delivered only if the token's case is still this chat's open case."""
        record = self.store.get_state(self._worker(ticket.chat_id))
        if not record or int(record.get("case", -1)) != ticket.case:
            return False
        case_record = self.store.get_state(self._case(ticket.case))
        return bool(case_record and case_record.get("open"))

    def end(self, chat_id: int) -> Case | None:
        """End the chat's case at once: the worker's record goes, the case is marked closed."""
        record = self.store.get_state(self._worker(chat_id))
        self.store.delete_state(self._worker(chat_id))
        if not record or "case" not in record:
            return None
        case = int(record["case"])
        was_open = self._close(case)
        return Case(case, record.get("lang", "ru"), float(record.get("opened", 0)), record.get("group")) if was_open else None

    def close_ticket(self, ticket: Ticket) -> bool:
        """`/close` as a reply: ends the case if it is still the chat's open one."""
        if not self.is_open(ticket):
            return False
        self.store.delete_state(self._worker(ticket.chat_id))
        return self._close(ticket.case)

    def close_label(self, group: int, label: str) -> bool:
        """`/close LABEL` in a group: only that group's cases. The worker is told at their next message."""
        case = case_from_label(label)
        if case is None or case not in self.store.messages(self._group(group)):
            return False
        return self._close(case)

    def _close(self, case: int) -> bool:
        record = self.store.get_state(self._case(case))
        if not record or not record.get("open"):
            return False
        record["open"] = False
        # Kept (closed) for the rest of the day only, so a late reply gets a clear "ended" notice.
        self.store.set_state(self._case(case), record, ttl_seconds=24 * 3600)
        return True

    def open_cases(self, group: int) -> list[CaseInfo]:
        out = []
        for case in dict.fromkeys(self.store.messages(self._group(group))):
            record = self.store.get_state(self._case(case))
            if record and record.get("open"):
                out.append(CaseInfo(case_label(case), record.get("lang", "?"), float(record.get("opened", 0))))
        return sorted(out, key=lambda c: c.opened)

    def allow_relay(self, chat_id: int) -> bool:
        """Per-worker limit, so nobody can flood the volunteers' group (10 a minute, 60 an hour)."""
        who = self.store.hash_id("handoff-rate", chat_id)
        try:
            minute, _ = self.store.hit("handoff-m:" + who, 60)
            hour, _ = self.store.hit("handoff-h:" + who, 3600)
        except StoreUnavailable:
            return True
        return minute <= RELAY_LIMIT_PER_MINUTE and hour <= RELAY_LIMIT_PER_HOUR

    def should_offer(self, chat_id: int) -> bool:
        """Offer "talk to a person" unasked at most once every 10 minutes."""
        try:
            count, _ = self.store.hit("handoff-offer:" + self.store.hash_id("handoff-offer", chat_id), OFFER_EVERY_SECONDS)
        except StoreUnavailable:
            return False
        return count == 1


# --- urgency ----------------------------------------------------------------------------------

class UrgencyWords:
    """Words that show someone needs a person now (detained, taken, forced, "срочно", a relative
    missing), from `ui.handoff.urgent_words` in every language (comma-separated; each word or
    phrase matches as word beginnings after folding, so endings and spellings vary freely)."""

    def __init__(self, lists: Iterable[str]):
        phrases = set()
        for line in lists:
            for item in line.split(","):
                words = fold(item).split()
                if words:
                    phrases.add(tuple(words))
        self.phrases = sorted(phrases)

    @classmethod
    def from_book(cls, book: Any) -> "UrgencyWords":
        return cls(entries[URGENT_WORDS_KEY].text for entries in book.texts.values() if URGENT_WORDS_KEY in entries)

    def found_in(self, text: str) -> bool:
        words = fold(text).split()
        for i in range(len(words)):
            for phrase in self.phrases:
                if len(phrase) <= len(words) - i and all(words[i + j].startswith(p) for j, p in enumerate(phrase)):
                    return True
        return False


_URGENCY_CACHE: dict[int, UrgencyWords] = {}


def urgency_for(book: Any) -> UrgencyWords:
    """One word list per loaded rule book (a hot reload makes a new book, and a new list)."""
    found = _URGENCY_CACHE.get(id(book))
    if found is None or getattr(found, "_book", None) is not book:
        found = UrgencyWords.from_book(book)
        found._book = book  # type: ignore[attr-defined]
        _URGENCY_CACHE.clear()
        _URGENCY_CACHE[id(book)] = found
    return found


# --- what "share my check" sends ---------------------------------------------------------------

def check_summary(ogoh: Any, answers: dict[str, str], lang: str) -> list[str]:
    """The check in plain lines: each answer (fact ids and options only: never free text) and each
    finding's severity and topic. Empty when there is nothing to share."""
    if not answers:
        return []
    from bot.engine.assess import InvalidAnswers
    from bot.engine.i18n import Localizer

    try:
        out = ogoh.assess(answers, lang)
    except InvalidAnswers:  # the rules changed under old answers: nothing reliable to share
        return []
    loc = Localizer(ogoh.book, lang)
    lines = []
    for fact_id, value in answers.items():
        if fact_id not in ogoh.book.facts:
            continue
        answer = loc.text("ui.dont_know") if value == "dont_know" else loc.text(f"fact.{fact_id}.option.{value}")
        lines.append(f"{loc.text(f'fact.{fact_id}.label')}: {answer}")
    findings = [f"{f.severity_label}: {f.topic_title}" + (" (?)" if f.status == "possible" else "") for f in out.findings]
    return lines + ([""] + findings if findings else [])


def age_text(opened: float, now: float | None = None) -> str:
    """Language-neutral age: 0:05, 3:40 (hours:minutes), 2d 4:00."""
    seconds = max(0, int((time.time() if now is None else now) - opened))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    clock = f"{hours}:{rest // 60:02d}"
    return f"{days}d {clock}" if days else clock
