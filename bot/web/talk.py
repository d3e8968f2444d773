"""The web's "talk to a person" page (issue 16): the web has no chat, so it shows the hosting
NGO's contacts from the settings (OGOH_HANDOFF_NGO_NAME / OGOH_HANDOFF_NGO_CONTACTS, else the
site's OGOH_WEB_OPERATOR_NAME / OGOH_WEB_OPERATOR_CONTACT). Nothing is sent or kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

EMAIL = re.compile(r"^[^@\s/]+@[^@\s/]+\.[^@\s/]+$")
HANDLE = re.compile(r"^@([A-Za-z0-9_]{4,32})$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,20}$")


@dataclass(frozen=True)
class Contact:
    text: str
    href: str | None  # a link when the contact is one (tel:, mailto:, https://, a @handle), else None


def contact(value: str) -> Contact:
    c = value.strip()
    if c.startswith(("https://", "http://")):
        return Contact(c, c)
    if EMAIL.match(c):
        return Contact(c, "mailto:" + c)
    m = HANDLE.match(c)
    if m:
        return Contact(c, "https://t.me/" + m.group(1))
    if PHONE.match(c):
        return Contact(c, "tel:" + re.sub(r"[^0-9+]", "", c))
    return Contact(c, None)


def ngo_of(settings: Any) -> tuple[str | None, list[Contact]]:
    """(name, contacts) of the hosting NGO, or (None, []) when nobody can be reached here."""
    if settings is None:
        return None, []
    name = getattr(settings, "handoff_ngo_name", None) or getattr(settings, "web_operator_name", None) or None
    values = list(getattr(settings, "handoff_ngo_contacts", None) or [])
    site_contact = getattr(settings, "web_operator_contact", None)
    if site_contact:
        values.append(site_contact)
    contacts = [contact(v) for v in dict.fromkeys(v.strip() for v in values if v and v.strip())]
    return name, contacts


def talk_available(page: Any) -> bool:
    """For templates: is there anyone to talk to (a link to /talk is shown only then)?"""
    return bool(ngo_of(getattr(page.request.app.state, "settings", None))[1])
