"""What `ogoh check` warns about in a source's registry entry (rules/sources.yaml) beyond its
schema (REVIEW_API #9): an address a caseworker should not be sent to (a staging or preview
host, a mobile, AMP or plugin copy, a date-index page instead of the article, a slug cut off after
its number, a tracking parameter), a publisher whose name the address's host does not carry, a
date marked approximate that gives a day, a title said to be verbatim that our copy does not hold.

Warnings, never errors: an address can only be replaced by one our research notes give, so a
flagged one may have to stay (the warning says so until the notes have a better one)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

from bot.engine.models import Source

# First label of a host that is not the publisher's public site.
_STAGING = {"staging", "stage", "preview", "dev", "test", "beta"}
_COPY_HOSTS = {"m": "a mobile copy", "mobile": "a mobile copy", "amp": "an AMP copy",
               "plugin-frontend": "a plugin's copy", "novideo": "a copy without video", "old": "an old copy"}
_TRACKING = re.compile(r"^(utm_\w+|from|ref|fbclid|gclid|yclid|_ga|mc_cid|mc_eid|rss)$")
# /2022/08/10/, /2022/11/, /20230227/ at the end of the path: a page listing a day's or a month's news.
_DATE_INDEX = re.compile(r"/(?:(?:19|20)\d\d/(?:0?[1-9]|1[0-2])(?:/(?:0?[1-9]|[12]\d|3[01]))?"
                         r"|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))/?$")
_CUT_SLUG = re.compile(r"/\d+-$")  # ".../15387-": the number, then nothing of the slug
_GENERIC = {"the", "of", "and", "news", "radio", "times", "media", "post", "today", "info", "online", "on"}


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z0-9]", "", "".join(ch for ch in folded if not unicodedata.combining(ch)))


def _names_host(name: str, host: str) -> bool:
    """Whether a publisher's proper name is the address's host: 'The Moscow Times' and
    themoscowtimes.com, 'RIA Novosti' and ria.ru, 'Nezavisimaya Gazeta' and ng.ru, 'Mediazona' and
    zona.media."""
    host_key, labels = _key(host), [_key(label) for label in host.split(".")]
    if _key(name) and _key(name) in host_key:
        return True
    words = [_key(w) for w in re.split(r"[\s/\-.]+", name) if _key(w)]
    if any(len(w) >= 3 and w not in _GENERIC and w in host_key for w in words):
        return True
    initials = "".join(w[0] for w in words)
    if len(words) >= 2 and any(label.startswith(initials) for label in labels):
        return True
    main = labels[-2] if len(labels) >= 2 else labels[0]  # zona.media -> zona
    return len(main) >= 4 and main in _key(name)


def address_problems(url: str) -> list[str]:
    """Why an address is not a canonical article address (empty when nothing is seen)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    labels = host.split(".")
    found = []
    if labels[0] in _STAGING:
        found.append(f"'{host}' is a {labels[0]} host, not the publisher's public site")
    elif labels[0] in _COPY_HOSTS:
        found.append(f"'{host}' serves {_COPY_HOSTS[labels[0]]}, not the article's own address")
    if _DATE_INDEX.search(parts.path):
        found.append(f"'{parts.path}' is a date-index page (the news of a day or month), not the article")
    if _CUT_SLUG.search(parts.path):
        found.append(f"'{parts.path}' ends after the article's number: the slug looks cut off")
    tracking = [k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if _TRACKING.match(k.lower())]
    if tracking:
        found.append(f"tracking parameter {', '.join(tracking)}")
    return found


def source_warnings(sid: str, source: Source, copy_text: str | None, normalize=lambda s: s) -> Iterator[tuple[str, str]]:
    """(field, message) for each problem; `copy_text` is our normalized local copy, if any."""
    if source.url:
        problems = address_problems(source.url)
        if problems:
            yield "url", (f"source '{sid}': the address is not a canonical article address ({'; '.join(problems)}): "
                          "replace it with the article's address as the research notes give it, never a guessed one")
        host = (urlsplit(source.url).hostname or "").lower().removeprefix("www.")
        names = [source.publisher] + ([source.via] if source.via else [])
        site_ok = bool(source.site) and (host == source.site or host.endswith("." + (source.site or "")))
        if not site_ok and not any(_names_host(n, host) for n in names):
            yield "publisher", (f"source '{sid}': publisher '{source.publisher}'" + (f" (via '{source.via}')" if source.via else "")
                                + f" does not match the address's host '{host}': the publisher is who published that page"
                                " (or add `site:` when its name does not say its domain)")
    if source.date_note == "approximate" and source.date and source.date.count("-") == 2:
        yield "date", (f"source '{sid}': date '{source.date}' gives a day but is marked approximate (shown as the month): "
                       f"write '{source.date[:7]}'")
    if source.title_kind == "verbatim" and copy_text is not None and normalize(source.title) not in copy_text:
        yield "title", (f"source '{sid}': the title is said to be the source's own, but {source.local_copy.file if source.local_copy else 'our copy'} "
                        "does not hold it: mark it `title_is_description: true` (our label) or `title_from_url: true`")
