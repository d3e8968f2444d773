"""Phone numbers, messenger handles and web addresses inside a text, as the links every face
shows them with (one helper for the web page and Telegram, so it lives in the service layer): tel:+…, https://wa.me/… (a number the contacts or the words just before it name
as WhatsApp), https://t.me/… for an @handle, https://… as it is. The personal summary links its
contacts (bot.engine.models.Contact.href); a topic's answer and steps are plain text, so a face
links what this finds in them, the same way."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.engine.protected import HANDLE, PHONE

_LINKABLE = re.compile(rf"(?P<phone>{PHONE.pattern})|(?P<handle>{HANDLE.pattern})|(?P<url>https://[^\s)»”\"<>]+[^\s)»”\"<>.,;:!?])")
_WHATSAPP_BEFORE = re.compile(r"whats\s?app\W{0,3}(?:\w+\W{1,3}){0,3}$", re.IGNORECASE)


def whatsapp_numbers(contacts: Iterable[object]) -> frozenset[str]:
    """The digits of the contacts published as WhatsApp numbers."""
    return frozenset(re.sub(r"\D", "", getattr(c, "value", "")) for c in contacts if getattr(c, "kind", None) == "whatsapp")


def link_spans(text: str, whatsapp: frozenset[str] = frozenset()) -> list[tuple[str, str | None]]:
    """The text cut into (piece, link or None); joining the pieces gives the text back."""
    out: list[tuple[str, str | None]] = []
    last = 0
    for m in _LINKABLE.finditer(text):
        token = m.group(0)
        if m.group("phone"):
            digits = re.sub(r"\D", "", token)
            wa = digits in whatsapp or _WHATSAPP_BEFORE.search(text[max(0, m.start() - 40):m.start()])
            href = f"https://wa.me/{digits}" if wa else f"tel:+{digits}"
        elif m.group("handle"):
            href = "https://t.me/" + token[1:]
        else:
            href = token
        if m.start() > last:
            out.append((text[last:m.start()], None))
        out.append((token, href))
        last = m.end()
    if last < len(text):
        out.append((text[last:], None))
    return out


def organisations(contacts: Iterable[object]) -> list[tuple[str, list, str | None]]:
    """The contacts one line per organisation (their label), in order: (label, its channels, the
    caveat that line must carry). An organisation of no country (Get Lost: it helps Russian
    citizens avoid call-up; whether it still works is not checked) is never shown without its
    caveat, on any face (REVIEW8 F5: the CLI and the web page showed its address alone); a
    country's number carries its caveat too where the face has room (`caveat_of` below)."""
    groups: dict[str, list] = {}
    for c in contacts:
        groups.setdefault(getattr(c, "label", ""), []).append(c)
    return [(label, items, next((getattr(c, "caveat", None) for c in items if getattr(c, "caveat", None)), None))
            for label, items in groups.items()]


def must_caveat(items: Iterable[object]) -> bool:
    """Whether an organisation's line needs its caveat even on a first screen short of room: it is
    an organisation of no country (every channel's country is "any")."""
    return all(getattr(c, "country", "any") == "any" for c in items)
