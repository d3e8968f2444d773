"""The `ogoh` command: check, topics, assess, ask, serve, keys, ... (thin: every answer comes from
the service layer, bot.core.service, and --json prints exactly what the matching REST endpoint
returns)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from pydantic import BaseModel

from pydantic import ValidationError

from bot.core.service import InvalidAnswers, RuleBookError, UnknownLanguage
from bot.settings import InsecureSecret, Settings
from bot.translators.cli import add_i18n_parser


def _rules_dir(args: argparse.Namespace) -> Path:
    return Path(args.rules) if args.rules else Settings().rules_dir


def _ogoh(args: argparse.Namespace):
    """The service over the rules (no storage: the CLI is an operator's tool, its batch
    classifications are not worker trends)."""
    from bot.core.service import Ogoh, Service

    return Service(Ogoh(_rules_dir(args)))


def _emit(model: BaseModel, as_json: bool, text: Callable[[], str]) -> None:
    if as_json:
        print(model.model_dump_json())
    else:
        print(text())


def cmd_check(args: argparse.Namespace) -> int:
    from bot.core.service import check_rules

    problems, errors, warnings = check_rules(_rules_dir(args))
    if args.json:
        print(json.dumps({"ok": errors == 0, "errors": errors, "warnings": warnings, "problems": [p.as_dict() for p in problems]}, ensure_ascii=False))
    else:
        for p in problems:
            print(p)
        verdict = "FAILED" if errors else "OK"
        print(f"{verdict}: {errors} error(s), {warnings} warning(s) in {_rules_dir(args)}")
    return 1 if errors else 0


def cmd_topics(args: argparse.Namespace) -> int:
    out = _ogoh(args).topics(args.lang)
    _emit(out, args.json, lambda: "\n".join(f"{t.id:28} [{t.severity_label}] {t.title}" for t in out.topics))
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    try:
        facts = json.loads(args.facts)
    except json.JSONDecodeError as exc:
        print(f"--facts is not valid JSON: {exc.msg} at character {exc.pos}", file=sys.stderr)
        return 2
    if not isinstance(facts, dict):
        print('--facts must be a JSON object, e.g. {"home_country": "UZ"}', file=sys.stderr)
        return 2
    out = _ogoh(args).assess_now(facts, args.lang)
    _emit(out, args.json, lambda: _assessment_text(out))
    return 0


def _contact_lines(contacts) -> list[str]:
    """One line per organisation, with its caveat where it has one (bot.core.links.organisations:
    Get Lost never without "we have not checked whether it still works", REVIEW8 F5)."""
    from bot.core.links import organisations

    return [f"  > {label}: {', '.join(c.value for c in items)}" + (f" - {caveat}" if caveat else "")
            for label, items, caveat in organisations(contacts)]


def _contacts_and_help(book, lang: str, home: str | None, contacts, help_line: str | None) -> list[str]:
    """The contact lines, then the embassy line; for a Kyrgyz or Kazakh reader who did not say his
    country, his embassy first (bot.core.cards.embassy_first, as the bot)."""
    from bot.core.cards import contacts_and_embassy

    lines, extra = _contact_lines(contacts), [f"  > {help_line}"] if help_line else []
    return contacts_and_embassy(book, lang, home, lines, extra) if book is not None else lines + extra


def _summary_text(out) -> list[str]:
    """The personal answer first, as every face shows it."""
    s = out.summary
    lines = [s.headline] + [f"! {n}" for n in s.notes]
    lines += [f"{i}. [{r.severity_label}] {r.text}" for i, r in enumerate(s.risks, 1)]
    lines += [f"• [{r.severity_label}] {r.text}" for r in s.good_to_know]
    lines += [f"  * {step}" for step in s.steps]
    for c in s.contacts:
        when = f" ({c.last_confirmed_text})" if c.last_confirmed_text else ""
        lines.append(f"  > {c.label}: {c.value}{when}" + (f" - {c.caveat}" if c.caveat else ""))
    return [line for line in lines if line] + ["", "---"]


def _assessment_text(out) -> str:
    lines = _summary_text(out) if out.complete or out.findings else []
    for f in out.findings:
        lines.append(f"[{f.severity_label}] {f.topic_title} ({f.rule_id}, {f.status})")
        lines.append(f"  {f.detail}")
        if f.note:
            lines.append(f"  ! {f.note}")
        lines.append("  because: " + "; ".join(f"{b.label}: {b.answer_label}" for b in f.because))
        for c in f.citations:
            lines.append(f"  - {c.publisher_text}, {c.date_text}, {c.url or c.url_note}" + (f': "{c.quote}"' if c.quote else ""))
    if out.message:
        lines.append(out.message)
    if out.next_question:
        q = out.next_question
        lines.append(f"next question ({q.fact_id}): {q.question}  [" + " | ".join(f"{o.value}={o.label}" for o in q.options) + "]")
    lines += out.notices + [out.disclaimer, f"rules {out.rules_version}"]
    return "\n".join(lines)


def _numbered_sources(label: str, sources) -> list[str]:
    """A short numbered list, publisher and date (the addresses are in --json and behind each
    source on the web page and in the bot): a worker reading the text face read full URLs
    (REVIEW7 F10)."""
    if not sources:
        return []
    return [f"  {label}: " + "; ".join(f"{i}. {src.publisher_text}, {src.date_text}" for i, src in enumerate(sources, 1))]


def _ask_text(out, lead=None, sources_label: str = "Sources", book=None, understood: bool = True) -> str:
    """`lead`: what the message needs first (bot.core.replies: urgent, signed, a person, out of
    scope), as the bot leads with it. `sources_label`: ui.sources in the reply language; `book`:
    the rule book (the first sources are those of each item's own rule, replies.first_sources);
    `understood`: the service answers the message with its personal answer (Service.understood),
    as the bot and the web page do; else "I can't answer that reliably" and the topics, as there."""
    from bot.core.replies import first_sources

    lines = []
    if lead is not None:
        if lead.headline:  # what is at stake first (urgent: the personal answer's serious risks), as the bot
            lines += [lead.headline] + [f"  {i}. {r}" for i, r in enumerate(lead.risks, 1)]
        lines += [lead.lead] + [f"  * {s}" for s in lead.steps]
        if lead.card.id != "get-help":  # get-help's steps are its contacts (as the bot shows it)
            lines += _contacts_and_help(book, lead.card.lang, lead.card.home, lead.card.contacts, lead.card.help)
        if lead.kind == "out_of_scope":
            return "\n".join(lines + out.notices + [out.disclaimer])
    personal = out.summary is not None and lead is None and understood
    if personal:
        # the personal answer for the situation the message states, as the bot shows it after
        # "I understood" (a flagship message used to print only "did you mean" here, REVIEW6 #7),
        # with the sources behind what it says (the rest in --json), as the bot's Sources
        s = out.summary
        lines.append(s.headline)
        lines += [f"  {i}. {r.lead or r.text}" for i, r in enumerate(s.risks, 1)]
        lines += [f"  - {r.lead or r.text}" for r in s.good_to_know]
        lines += [f"  * {step}" for step in s.steps]
        home = out.facts.get("home_country")
        lines += _contacts_and_help(book, out.reply_lang, home if isinstance(home, str) else None, s.contacts, s.help)
        lines += _numbered_sources(sources_label, first_sources(out, book) if s.risks or s.good_to_know else [])
    said = {a for acts in out.summary.step_actions for a in acts} if personal and book is not None else set()
    for m in out.matches:
        steps = m.steps
        if said and m.topic_id in book.topics:  # beside the personal answer: not a step it already shows (as the bot, the web page)
            from bot.core.cards import unsaid
            from bot.core.service import Localizer

            steps = unsaid(book, Localizer(book, out.reply_lang), m.topic_id, out.about, steps, said)
        if lead is not None:  # the steps the reply led with: not again under its topic (the web page leaves that card out)
            steps = [s for s in steps if s not in lead.steps]
        lines += [f"{m.title}  ({m.topic_id}, score {m.score})", m.answer] + [f"  * {s}" for s in steps]
        lines += _numbered_sources(sources_label, m.citations)
    if out.small_talk:
        lines.append(out.small_talk.reply)
    if out.message and not personal and lead is None:
        # "Maybe you meant …": the topics to choose from; under a personal answer, not (its
        # `message` says the answer printed above, and "? … (0.51)" lines were noise, REVIEW7 F10)
        lines.append(out.message)
        lines += [f"  ? {s.title} ({s.topic_id}, {s.score})" for s in out.suggestions]
        if not out.suggestions:  # "here are the topics I know about": then list them (R30)
            lines += [f"  ? {t.title} ({t.id})" for t in out.topics]
    lines += out.notices + [out.disclaimer]
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.core.service import QuestionTooLong

    ogoh = _ogoh(args)
    if args.text:
        text = " ".join(args.text)
        out = ogoh.ask_now(text, args.lang, getattr(args, "prior", None))
        label = ogoh.localizer(out.reply_lang).text("ui.sources")
        _emit(out, args.json, lambda: _ask_text(out, out.lead, label, ogoh.book, bool(ogoh.understood(out))))  # the lead the bot shows (bot.core.replies)
        return 0
    # One question per line in, one JSON object per line out, same order (for batch use).
    for line in sys.stdin:
        question = line.rstrip("\n")
        try:
            out = ogoh.ask_now(question, args.lang, getattr(args, "prior", None))
            label = ogoh.localizer(out.reply_lang).text("ui.sources")
            print(out.model_dump_json() if args.json else _ask_text(out, out.lead, label, ogoh.book, bool(ogoh.understood(out))).replace("\n", " | "), flush=False)
        except QuestionTooLong as exc:
            print(json.dumps({"error": str(exc)}))
    sys.stdout.flush()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.api import create_app
    from bot.api.server import uvicorn_options
    from bot.core.service import quiet_logging

    settings = Settings(rules_dir=Path(args.rules)) if args.rules else Settings()
    quiet_logging()
    # access_log off: URLs may carry a worker's words in query strings; our own metrics count requests.
    # uvicorn_options: header size limit, read timeouts, problem+json 400s, no proxy headers
    # (OGOH_TRUSTED_PROXIES decides whom to believe).
    uvicorn.run(create_app(settings), host=args.host, port=args.port, access_log=False, log_level="info",
                log_config=None, **uvicorn_options())
    return 0


def cmd_telegram(args: argparse.Namespace) -> int:
    from bot.core.service import Ogoh, quiet_logging
    from bot.storage import open_store
    from bot.telegram.app import PollerAlreadyRunning, run_polling

    settings = Settings(rules_dir=Path(args.rules)) if args.rules else Settings()
    if not settings.telegram_bot_token:
        print("set TELEGRAM_BOT_TOKEN to run the bot", file=sys.stderr)
        return 2
    quiet_logging()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines would print the token in URLs
    try:
        run_polling(Ogoh(settings.rules_dir), open_store(settings.storage_url, settings.secret_key), settings)
    except PollerAlreadyRunning as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.stats import build_stats, stats_csv
    from bot.storage import open_store

    settings = Settings()
    out = build_stats(open_store(settings.storage_url, settings.secret_key))
    if args.csv:
        print(stats_csv(out), end="")
    elif args.json:
        print(out.model_dump_json())
    else:
        print(f"{'kind':8} {'id':36} {'this week':>9} {'last week':>9}  change")
        for t in out.trends:
            print(f"{t.kind:8} {t.id:36} {str(t.this_week):>9} {str(t.last_week):>9}  {t.change or ''}")
        print(out.note)
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from bot.storage import open_store

    settings = Settings()
    store = open_store(settings.storage_url, settings.secret_key)
    if args.action == "create":
        key, secret = store.create_key(args.name)
        print(f"created key {key.id} for {key.name!r}\n{secret}\n(shown once: only its hash is stored)")
    elif args.action == "list":
        for key in store.list_keys():
            print(f"{key.id}  {'revoked' if key.revoked else 'active '}  {key.name}")
    elif args.action == "revoke":
        if not store.revoke_key(args.id):
            print(f"no active key {args.id}", file=sys.stderr)
            return 1
        print(f"revoked {args.id}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogoh", description="Ogoh: cited answers about the risks of being drawn into the war.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--rules", metavar="DIR", default=os.environ.get("OGOH_RULES_DIR"), help="rules folder (default: OGOH_RULES_DIR or ./rules)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", parents=[common], help="validate the rule files")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("topics", parents=[common], help="list the topics")
    p.add_argument("--lang", default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("assess", parents=[common], help="findings for a situation")
    p.add_argument("--facts", required=True, help='JSON object, e.g. {"home_country": "TJ", "ru_citizenship": "dual"}')
    p.add_argument("--lang", default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser("ask", parents=[common], help="answer a question (or one per line from stdin)")
    p.add_argument("text", nargs="*")
    p.add_argument("--lang", default=None, help="reply language (default: detected from the text)")
    p.add_argument("--prior", default=None, help="the user's language (chosen, or Telegram's language_code): kept unless the text is clearly in another")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", parents=[common], help="run the REST API and web page (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("telegram", parents=[common], help="run the Telegram bot with long polling")
    p.set_defaults(func=cmd_telegram)

    p = sub.add_parser("stats", help="anonymous trends (counts under 5 shown as <5)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--csv", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("keys", help="NGO API keys (stored hashed)")
    keys = p.add_subparsers(dest="action", required=True)
    k = keys.add_parser("create", help="create a key; prints it once")
    k.add_argument("name")
    keys.add_parser("list", help="list keys")
    k = keys.add_parser("revoke", help="revoke a key")
    k.add_argument("id")
    p.set_defaults(func=cmd_keys)

    add_i18n_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `ogoh ask ... | head` closed the pipe: stop quietly (R33), not with a traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's flush of stdout at exit would raise it again
        return 0
    except RuleBookError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("the rule files have errors: run `ogoh check`", file=sys.stderr)
        return 1
    except InvalidAnswers as exc:
        for fact, message in exc.errors:
            print(f"{fact}: {message}", file=sys.stderr)
        return 2
    except UnknownLanguage as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except (InsecureSecret, ValidationError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else [{"msg": str(exc)}]
        for e in errors:
            print(f"settings: {str(e.get('msg', '')).removeprefix('Value error, ')}", file=sys.stderr)
        return 2
