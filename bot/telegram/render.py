"""Engine results as Telegram HTML: escaped, cited, and split into messages under 4096 characters."""

from __future__ import annotations

from html import escape

from bot.engine.i18n import Localizer
from bot.engine.views import CitationOut, FindingOut, QuestionOut, TopicOut

TELEGRAM_LIMIT = 4096


def esc(text: str) -> str:
    """Escape text for Telegram HTML (quotes stay readable; they need no escaping outside tags)."""
    return escape(text, quote=False)


def citation_line(loc: Localizer, c: CitationOut, with_quote: bool = False) -> str:
    when = c.date_text or loc.text("ui.no_date")
    where = f'<a href="{escape(c.url, quote=True)}">{esc(_host(c.url))}</a>' if c.url else esc(c.url_note or loc.text("ui.no_url"))
    line = f"• {esc(c.publisher_text)}, {esc(when)}, {where}"
    if with_quote and c.quote:
        line += f"\n  <i>«{esc(c.quote)}»</i>"
    elif with_quote and c.note:
        line += f"\n  ({esc(c.note)})"
    return line


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0]


def sources_block(loc: Localizer, citations: list[CitationOut], with_quotes: bool = False) -> str:
    return f"<b>{esc(loc.text('ui.sources'))}:</b>\n" + "\n".join(citation_line(loc, c, with_quotes) for c in citations)


def topic_card(loc: Localizer, topic: TopicOut, disclaimer: str, notices: list[str]) -> str:
    steps = "\n".join(f"{i}. {esc(s)}" for i, s in enumerate(topic.steps, 1))
    parts = [
        f"<b>{esc(topic.title)}</b>",
        esc(topic.answer),
        f"<b>{esc(loc.text('ui.what_to_do'))}:</b>\n{steps}",
        sources_block(loc, topic.citations),
        f"<i>{esc(disclaimer)}</i>",
    ] + [f"<i>{esc(n)}</i>" for n in notices]
    return "\n\n".join(parts)


def finding_text(loc: Localizer, f: FindingOut) -> str:
    parts = [f"<b>{esc(f.severity_label)}: {esc(f.topic_title)}</b>", esc(f.detail)]
    if f.note:
        parts.append(f"⚠️ {esc(f.note)}")
    return "\n\n".join(parts)


def because_text(loc: Localizer, f: FindingOut) -> str:
    lines = [f"• {esc(b.label)}: {esc(b.answer_label)}" for b in f.because]
    return f"<b>{esc(loc.text('ui.because'))}:</b>\n" + "\n".join(lines)


def question_text(q: QuestionOut, number: int, loc: Localizer) -> str:
    return f"<i>{esc(loc.text('bot.question_progress', number=str(number)))}</i>\n<b>{esc(q.question)}</b>"


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
