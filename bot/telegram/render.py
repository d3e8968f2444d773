"""Engine results as Telegram HTML: escaped, cited, and split into messages under 4096 characters."""

from __future__ import annotations

from html import escape

from bot.core.service import Localizer, TopicCardOut
from bot.core.cards import contacts_and_embassy
from bot.core.links import link_spans, must_caveat, whatsapp_numbers
from bot.core.replies import first_sources  # one choice of the first sources for every face (REVIEW7 F9)
from bot.engine.views import CitationOut, FindingOut, QuestionOut

TELEGRAM_LIMIT = 4096


def esc(text: str) -> str:
    """Escape text for Telegram HTML (quotes stay readable; they need no escaping outside tags)."""
    return escape(text, quote=False)


def citation_line(loc: Localizer, c: CitationOut, with_quote: bool = False) -> str:
    when = c.date_text or loc.text("ui.no_date")
    line = f"• {_source_name(c.publisher_text, c.url)}, {esc(when)}" + ("" if c.url else f", {esc(c.url_note or loc.text('ui.no_url'))}")
    if with_quote and c.quote:  # verbatim; in another language than the reader's, marked so (REVIEW5 F23)
        line += "\n  " + (f"{esc(c.quote_note)}: " if c.quote_note else "") + f"<i>«{esc(c.quote)}»</i>"
    elif with_quote and c.note:
        line += f"\n  ({esc(c.note)})"
    return line


def _source_name(publisher_text: str, url: str | None) -> str:
    """A source's publisher, linked to its page: the name a reader knows (Azattyk Asia), not the
    host it is served from (d2ityc26n0mltl.cloudfront.net, old.asiaplustj.info: REVIEW4 R17)."""
    return f'<a href="{escape(url, quote=True)}">{esc(publisher_text)}</a>' if url else esc(publisher_text)


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0]


def sources_block(loc: Localizer, citations: list[CitationOut], with_quotes: bool = False) -> str:
    return f"<b>{esc(loc.text('ui.sources'))}:</b>\n" + "\n".join(citation_line(loc, c, with_quotes) for c in citations)


def linked(loc: Localizer, text: str) -> str:
    """`text` escaped, its WhatsApp numbers and @handles as links (bot.core.links, as the web
    page); phone numbers stay text: Telegram makes them tappable itself and takes no tel: link."""
    spans = link_spans(text, whatsapp_numbers(loc.book.contacts))
    return "".join(f'<a href="{escape(href, quote=True)}">{esc(piece)}</a>' if href and not href.startswith("tel:") else esc(piece)
                   for piece, href in spans)


def topic_card(loc: Localizer, card: TopicCardOut, notes: list[str] | tuple[str, ...] = ()) -> str:
    """The first message of a topic (bot.core.cards, as the web page shows it): title, the
    answer's first sentences, the first 3 steps and one tappable contact. Its sources
    (topic_sources) and the rest (topic_more) are one tap away: keyboards.topic_actions.
    `notes` go at its end (a new user's privacy summary)."""
    head = f"<b>{esc(card.title)}</b>" + (f"\n<i>{esc(card.for_other)}</i>" if card.for_other else "")
    steps = [f"{i}. {linked(loc, s)}" for i, s in enumerate(card.steps, 1)]
    plain_help = [f"• {esc(card.help)}"] if card.help else []
    help_lines = contact_lines(loc, card.contacts, caveats=False) if card.contacts else plain_help

    def compose(lines: list[str]) -> str:
        parts = [head, linked(loc, card.lead), f"<b>{esc(loc.text('ui.what_to_do'))}:</b>\n" + "\n".join(steps + lines)]
        return "\n\n".join(parts + [f"<i>{esc(n)}</i>" for n in notes])

    text = compose(help_lines)
    # An organisation of no country, kept only with its caveat (contact_lines), may not fit one
    # screen (Get Lost on the dual-citizenship card: 909-1,028 characters): it stays one tap away
    # (Details carries its caveat, Get help its address), never its address without the warning.
    if visible_length(text) > TOPIC_CARD_CHARS and card.contacts and _of_no_country(card.contacts):
        text = compose(plain_help)
    return text


def topic_more(loc: Localizer, card: TopicCardOut) -> str:
    """"Details": the rest of the answer, the other steps, the contact's caveat, the
    disclaimer with the date the topic was checked, the notices (untranslated, unreviewed)."""
    parts = [f"<b>{esc(card.title)}</b>"]
    if card.more:
        parts.append(linked(loc, card.more))
    if card.more_steps:  # bullets: a list read alone that starts at "4." looks cut (REVIEW5 F24)
        parts.append(f"<b>{esc(loc.text('ui.what_to_do'))}:</b>\n" + "\n".join(f"• {linked(loc, s)}" for s in card.more_steps))
    caveats = [c.caveat for c in card.contacts if c.caveat]
    if caveats:
        parts.append(f"⚠️ {esc(caveats[0])}")
    parts += [f"<i>{esc(card.disclaimer)}</i>"] + [f"<i>{esc(n)}</i>" for n in card.notices]
    return "\n\n".join(parts)


def topic_sources(loc: Localizer, card: TopicCardOut) -> str:
    """"Sources" under a topic card: every citation of the card (the topic's and its contact's,
    the reader's country first: bot.core.cards) once, with publisher, date and address in the
    reader's language; the notices after them (an unreviewed translation), as under the personal
    answer's Sources. The sources' own words, mostly English or Russian, are one tap further
    (topic_quotes): a list of them read in Kyrgyz was a wall of English (REVIEW5 F23)."""
    return (f"<b>{esc(card.title)}</b>\n\n" + sources_block(loc, card.citations)
            + "".join(f"\n\n<i>{esc(n)}</i>" for n in card.notices))


def topic_quotes(loc: Localizer, card: TopicCardOut) -> str:
    """The card's sources' own words, verbatim: a quote in another language than the reader's
    says, in the reader's language, that it is the original and in which language."""
    lines = []
    for c in card.citations:
        if c.quote:
            lines.append(f"• {esc(c.publisher_text)}" + (f" ({esc(c.quote_note)})" if c.quote_note else "")
                         + f": <i>«{esc(c.quote)}»</i>")
        elif c.note:
            lines.append(f"• {esc(c.publisher_text)}: {esc(c.note)}")
    return f"<b>{esc(card.title)}</b>\n\n<b>{esc(loc.text('ui.source.quote_label'))}:</b>\n" + "\n".join(lines)


def finding_text(loc: Localizer, f: FindingOut) -> str:
    parts = [f"<b>{esc(f.severity_label)}: {esc(f.topic_title)}</b>", esc(f.detail)]
    if f.note:
        parts.append(f"⚠️ {esc(f.note)}")
    return "\n\n".join(parts)


def because_text(loc: Localizer, f: FindingOut) -> str:
    lines = [f"• {esc(b.label)}: {esc(b.answer_label)}" for b in f.because]
    return f"<b>{esc(loc.text('ui.because'))}:</b>\n" + "\n".join(lines)


def question_text(q: QuestionOut, number: int, loc: Localizer, total: int | None = None) -> str:
    progress = (loc.text("ui.question_progress_total", number=str(number), total=str(total)) if total
                else loc.text("bot.question_progress", number=str(number)))
    hint = f"\n<i>{esc(loc.text('ui.choose_all'))}</i>" if q.multiple else ""  # several answers (additive, MULTIPLE)
    return f"<i>{esc(progress)}</i>\n<b>{esc(q.question)}</b>{hint}"


def split_message(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split at paragraph, then line, then word boundaries; never inside a tag or an entity.

    Every piece keeps its own tags balanced because we only split between blocks that we build
    balanced (paragraphs and lines); a single overlong line is split at spaces outside tags."""
    if len(html) <= limit:
        return [html]
    pieces: list[str] = []
    current = ""
    for block in _blocks(html, limit):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                pieces.append(current)
            current = block
    if current:
        pieces.append(current)
    return pieces


def _blocks(html: str, limit: int) -> list[str]:
    out: list[str] = []
    for para in html.split("\n\n"):
        if len(para) <= limit:
            out.append(para)
            continue
        line_acc = ""
        for line in para.split("\n"):
            for chunk in _split_line(line, limit):
                candidate = f"{line_acc}\n{chunk}" if line_acc else chunk
                if len(candidate) <= limit:
                    line_acc = candidate
                else:
                    out.append(line_acc)
                    line_acc = chunk
        if line_acc:
            out.append(line_acc)
    return out


def _split_line(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    chunks, current, depth = [], "", 0
    token = ""
    for ch in line:  # walk, tracking whether we are inside <...> or &...;
        token += ch
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == " " and depth == 0 and "&" not in token.rsplit(" ", 1)[0][-8:]:
            if len(current) + len(token) > limit and current:
                chunks.append(current.rstrip())
                current = ""
            current += token
            token = ""
    current += token
    while len(current) > limit:  # one enormous word: cut it (rare; only plain text reaches here)
        chunks.append(current[:limit])
        current = current[limit:]
    if current:
        chunks.append(current)
    return chunks


# --- the result of a check: the personal summary first (issue 11) ---------------------------

FIRST_MESSAGE_CHARS = 700  # what one phone screen shows
TOPIC_CARD_CHARS = 900  # a topic card's first message (tests/test_topic_card.py): title, lead, 3 steps, one contact
OPENED_CHARS = 1400  # a risk opened in place: its detail, at most two screens (REVIEW5 F14)


def visible_length(html: str) -> int:
    """Characters the reader sees (Telegram counts text after its HTML is parsed)."""
    import re
    from html import unescape

    return len(unescape(re.sub(r"<[^>]+>", "", html)))


def _contact_html(c) -> str:
    if c.kind == "phone":
        return esc(c.value)  # Telegram makes phone numbers tappable itself
    if c.kind == "web":
        return f'<a href="{escape(c.href, quote=True)}">{esc(_host(c.value))}</a>'
    return f'<a href="{escape(c.href, quote=True)}">{esc(c.value)}</a>'


def _of_no_country(contacts: list) -> bool:
    """Every contact is a general organisation's (Get Lost), none a country's number."""
    return all(getattr(c, "country", "any") == "any" for c in contacts)


def contact_lines(loc: Localizer, contacts: list, caveats: bool = True) -> list[str]:
    """One line per organisation: its numbers and handles, tappable, with the date confirmed.
    `caveats=False` (a first screen short of room): a general organisation (not a country's)
    with a caveat is left out with it (one tap away: Details, Get help), never its address without
    its warning (REVIEW7 F10: Get Lost's link on a dual citizen's phone without "we have not
    checked whether it works now", which the web page shows); the only one is kept, with its
    caveat. A country's number stays, its caveat one tap away (a detained man's number first)."""
    groups: dict[str, list] = {}
    for c in contacts:
        groups.setdefault(c.label, []).append(c)
    lines = []
    for label, items in groups.items():
        caveat = next((c.caveat for c in items if c.caveat), None)
        general = must_caveat(items)  # (one rule for every face: bot.core.links, REVIEW8 F5)
        if caveat and not caveats and general and len(groups) > 1:
            continue
        line = f"• {esc(label)}: " + ", ".join(_contact_html(c) for c in items)
        dates = sorted({c.last_confirmed_text for c in items if c.last_confirmed_text})
        if dates:
            line += f" ({esc(loc.text('ui.summary.as_of', date=dates[-1]))})"
        if caveat and (caveats or general):  # its own line: never glued to the address (REVIEW5 F8)
            line += f"\n  ⚠️ <i>{esc(caveat)}</i>"
        lines.append(line)
    return lines


def summary_card(loc: Localizer, out, expanded: int = 0, limit: int = FIRST_MESSAGE_CHARS) -> str:
    """The first message of a result: headline, the serious risks (numbered: the headline counts
    them), what is good to know (bullets), what to do now with tappable contacts. Every risk and
    every item good to know is shown, always as its sentences (`lead`, bot.engine.summary), never
    as a bare title (REVIEW4 R10, R25, R34): to fit one screen only the steps, the contacts'
    caveats and the number of contacts shrink. `expanded` (1-based, over the risks then the items
    good to know, as keyboards.summary numbers its buttons) opens one in place: the headline, that
    risk and what it rests on, alone (`opened_card`; the others and the steps are one tap away,
    under "Hide details")."""
    s = out.summary
    if expanded:
        return opened_card(loc, out, expanded, OPENED_CHARS - (FIRST_MESSAGE_CHARS - limit))
    home = [c for c in s.contacts if c.country != "any"]
    general = [c for c in s.contacts if c.country == "any"]
    one = home or general[:1]
    # (whole risk texts, steps, contacts, caveats, items good to know): from the most to the least
    # complete. What is good to know beside serious risks goes last but one (its button stays);
    # the serious risks, counted by the headline, always stay, each with its first sentences.
    levels = [(True, 3, s.contacts, True, 2), (True, 3, s.contacts, False, 2), (True, 3, one, False, 2),
              (False, 3, one, False, 2), (False, 2, one, False, 2), (False, 2, one, False, 0 if s.risks else 2),
              (False, 2, one[:1], False, 0 if s.risks else 2),  # one channel before one step (REVIEW5 F13)
              (False, 1, one[:1], False, 0 if s.risks else 2), (False, 1, one[:1], False, 0 if s.risks else 1)]
    text = ""
    for whole, n_steps, contacts, caveats, extra in levels:
        text = _card(loc, out, whole, n_steps, contacts, caveats, expanded, extra)
        if visible_length(_card(loc, out, whole, n_steps, contacts, caveats, 0, extra)) <= limit:
            break
    return text


def _card(loc: Localizer, out, whole: bool, n_steps: int, contacts: list, caveats: bool, expanded: int,
          extra: int = 2) -> str:
    s = out.summary
    parts = [f"<b>{esc(s.headline)}</b>"]
    n_good = max(extra, expanded - len(s.risks))  # an open item good to know is shown
    items = list(enumerate(s.risks + s.good_to_know[:n_good], 1))

    def line(i: int, mark: str, r) -> str:
        text = f"{mark} {esc(r.text if whole or i == expanded else r.lead or r.text)}"
        return text + ("\n\n" + risk_detail(loc, out, r) if i == expanded else "")

    numbered = [line(i, f"{i}.", r) for i, r in items[:len(s.risks)]]
    bullets = [line(i, "•", r) for i, r in items[len(s.risks):]]
    if numbered:
        parts.append("\n".join(numbered))
    if bullets:  # under "Good to know" unless the headline leads into them ("… Good to know:")
        head = [] if s.headline.rstrip().endswith(":") and not numbered else [f"<b>{esc(loc.text('ui.summary.general'))}:</b>"]
        parts.append("\n".join(head + bullets))
    # No contact fits the answers (Kyrgyzstan, Kazakhstan, Turkmenistan, no country): the embassy.
    home = out.answers.get("home_country") if hasattr(out, "answers") else None
    # a Kyrgyz or Kazakh reader: his embassy before others' numbers (REVIEW9 F7)
    help_lines = contacts_and_embassy(loc.book, loc.lang, home, contact_lines(loc, contacts, caveats), [f"• {esc(s.help)}"] if s.help else [])
    todo = [f"• {esc(step)}" for step in s.steps[:n_steps]] + help_lines
    if todo:
        parts.append(f"<b>{esc(loc.text('ui.what_to_do'))}:</b>\n" + "\n".join(todo))
    parts += [f"<i>{esc(n)}</i>" for n in s.notes]
    return "\n\n".join(parts)


def opened_card(loc: Localizer, out, expanded: int, limit: int = OPENED_CHARS) -> str:
    """One risk opened in place (REVIEW5 F14: the whole card with the detail inside it was ~1,850
    characters, the risk list, the detail and the steps one long scroll on a cheap phone): the
    headline, then the risk's details under its number (about someone else, under its own line),
    within what is left of `limit`, whole findings only."""
    s = out.summary
    items = s.risks + s.good_to_know
    if not 1 <= expanded <= len(items):
        return summary_card(loc, out)
    r = items[expanded - 1]
    mark = f"{expanded}." if expanded <= len(s.risks) else "•"
    head = f"<b>{esc(s.headline)}</b>"
    if s.about != "other":  # its number on the details' heading, the detail saying what the lead says
        left = limit - visible_length(head) - len(mark) - 3
        return "\n\n".join([head, f"{mark} " + risk_detail(loc, out, r, limit=left)])
    line = f"{mark} {esc(r.lead or r.text)}"  # about someone else: the risk's own third-person line names it
    left = limit - visible_length(head) - visible_length(line) - 4
    return "\n\n".join([head, line, risk_detail(loc, out, r, limit=left)])


def risk_detail(loc: Localizer, out, risk, limit: int = 1200) -> str:
    """What one risk rests on (REVIEW4 R17): its heading once (severity and topic), each finding's
    detail once (a finding whose text another already gives is left out), its notes; at most
    `limit` characters, whole findings only (the rest with every source under Sources). About
    someone else, a note says the text is written for that person (ui.topic.for_other)."""
    blocks: list[str] = []
    seen: set[str] = set()
    head = f"<b>{esc(risk.severity_label)}: {esc(risk.title)}</b>"
    if out.summary.about == "other":
        # The topic titles speak to the reader ("Russia treats you as a Russian citizen"): about
        # someone else the risk's own line above (its .other text) names it, and a note says the
        # details are written for that person.
        head = f"<b>{esc(risk.severity_label)}</b>\n<i>{esc(loc.text('ui.topic.for_other'))}</i>"
    limit -= visible_length(head) + 2
    for f in out.findings:
        if f.rule_id not in risk.rule_ids or f.detail in seen:
            continue
        seen.add(f.detail)
        block = esc(f.detail) + (f"\n⚠️ {esc(f.note)}" if f.note else "")
        if blocks and visible_length("\n\n".join(blocks + [block])) > limit:
            break
        blocks.append(block)
    return "\n\n".join([head] + blocks)


def sources_list(loc: Localizer, out, notices: bool = False, every: bool = False) -> str:
    """The answer's sources once each: publisher, month and year, link; those behind the first
    screen unless `every` (first_sources); with `notices`, the answer's notices after them (an
    unreviewed translation: a typed situation's answer keeps its first screen for the answer)."""
    lines = []
    for src in (out.sources if every else first_sources(out)):
        where = "" if src.url else esc(src.url_note or loc.text("ui.no_url"))
        text = ", ".join(p for p in (_source_name(src.publisher_text, src.url), esc(src.date_text), where) if p)
        lines.append(f"• {text}")
    tail = "".join(f"\n\n<i>{esc(n)}</i>" for n in out.notices) if notices else ""
    return f"<b>{esc(loc.text('ui.sources'))}:</b>\n" + "\n".join(lines) + tail


def quotes_list(loc: Localizer, out) -> str:
    """The sources' own words, verbatim, labelled as such."""
    lines = []
    for src in out.sources:
        for q in src.quotes:  # in another language than the reader's: marked as the original (REVIEW5 F23)
            lines.append(f"• {esc(src.publisher_text)}" + (f" ({esc(q.note)})" if q.note else "") + f": <i>«{esc(q.text)}»</i>")
        for n in src.notes:
            lines.append(f"• {esc(src.publisher_text)}: {esc(n)}")
    return f"<b>{esc(loc.text('ui.source.quote_label'))}:</b>\n" + "\n".join(lines)
