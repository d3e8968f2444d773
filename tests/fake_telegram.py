"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real
python-telegram-bot library, and a harness that runs the bot against it.

It speaks the Bot API's HTTP shape (/bot<token>/<method>, {"ok": ..., "result": ...}), records
every call, serves queued updates to getUpdates, and can inject 429 and 5xx replies."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BOT_USER = {"id": 999000, "is_bot": True, "first_name": "Ogoh", "username": "ogoh_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # the bot closing a long poll at shutdown is not an error


@dataclass
class Call:
    method: str
    params: dict
    status: int
    at: float = field(default_factory=time.time)
    result: object = None  # what the server answered (e.g. the new message, with its id)


class FakeBotApi:
    def __init__(self, token: str = "123:TEST"):
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict] = []
        self.faults: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._cond = threading.Condition()
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        # serve_forever checks for shutdown every poll_interval (0.5 s by default): every test's
        # stop() waited that long for nothing.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def start(self) -> "FakeBotApi":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- feeding the bot --------------------------------------------------------------------
    def push(self, update: dict) -> None:
        with self._cond:
            update = {"update_id": next(self._update_ids), **update}
            self.updates.append(update)
            self._cond.notify_all()

    def inject(self, method: str, status: int, times: int = 1, retry_after: int = 1) -> None:
        body = {"ok": False, "error_code": status, "description": "Too Many Requests: retry after 1" if status == 429 else "Bad Gateway"}
        if status == 429:
            body["parameters"] = {"retry_after": retry_after}
        self.faults[method] += [(status, body)] * times

    # --- reading what the bot did --------------------------------------------------------------
    def calls_to(self, method: str, ok_only: bool = True) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15, since: int = 0, where=None) -> list[Call]:
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [c for c in self.calls_to(method)[since:] if where is None or where(c)]
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} successful {method} call(s); got {[(c.method, c.status) for c in self.calls[-10:]]}")

    # --- the HTTP side --------------------------------------------------------------------------
    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                method = self.path[len(prefix):].split("?")[0]
                params = self._params()
                with api._cond:
                    fault = api.faults[method].pop(0) if api.faults[method] else None
                if fault:
                    api.calls.append(Call(method, params, fault[0]))
                    return self._reply(*fault)
                result = api._result(method, params)
                api.calls.append(Call(method, params, 200, result=result))
                self._reply(200, {"ok": True, "result": result})

            def _params(self) -> dict:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("content-type", "")
                if "json" in ctype and raw:
                    return json.loads(raw)
                if "multipart" in ctype:
                    return api._multipart(raw, ctype)
                params = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                return {k: _maybe_json(v) for k, v in params.items()}

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    @staticmethod
    def _multipart(raw: bytes, ctype: str) -> dict:
        boundary = ctype.split("boundary=")[-1].strip().encode()
        out = {}
        for part in raw.split(b"--" + boundary):
            if b"name=\"" not in part:
                continue
            head, _, body = part.partition(b"\r\n\r\n")
            name = head.split(b"name=\"")[1].split(b"\"")[0].decode()
            out[name] = _maybe_json(body.rstrip(b"\r\n").decode())
        return out

    def _result(self, method: str, p: dict):
        now = int(time.time())
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            offset = int(p.get("offset") or 0)
            timeout = min(float(p.get("timeout") or 0), 1.0)
            deadline = time.time() + timeout
            with self._cond:
                while True:
                    ready = [u for u in self.updates if u["update_id"] >= offset]
                    if ready or time.time() >= deadline:
                        return ready
                    self._cond.wait(max(0.0, deadline - time.time()))
        if method in ("sendMessage", "editMessageText"):
            chat_id = int(p["chat_id"])
            message_id = next(self._ids) if method == "sendMessage" else int(p["message_id"])
            msg = {"message_id": message_id, "date": now, "chat": {"id": chat_id, "type": "private"},
                   "from": BOT_USER, "text": p.get("text", "")}
            if p.get("reply_markup"):
                msg["reply_markup"] = p["reply_markup"]
            return msg
        if method == "copyMessage":  # the copy's id in the target chat (what the Bot API returns)
            return {"message_id": next(self._ids)}
        if method in ("setMyDescription", "setMyShortDescription", "setMyCommands"):
            return True  # recorded in self.calls with their language_code (issue 15)
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True  # answerCallbackQuery, deleteMessage, answerInlineQuery, setMyCommands, setWebhook, ...


def _maybe_json(value: str):
    try:
        return json.loads(value)
    except (ValueError, TypeError):
        return value


# --- updates a user would cause --------------------------------------------------------------

def user(uid: int = 42, lang: str = "ru") -> dict:
    return {"id": uid, "is_bot": False, "first_name": "Worker", "language_code": lang}


def text_update(text: str, chat_id: int = 42, lang: str = "ru", chat_type: str = "private") -> dict:
    message = {"message_id": int(time.time() * 1000) % 10**9, "date": int(time.time()),
               "chat": {"id": chat_id, "type": chat_type}, "from": user(chat_id if chat_type == "private" else 42, lang), "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"message": message}


def callback_update(data: str, message_id: int, chat_id: int = 42, lang: str = "ru") -> dict:
    return {"callback_query": {
        "id": f"cq{time.time_ns()}", "from": user(chat_id, lang), "chat_instance": "ci", "data": data,
        "message": {"message_id": message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                    "from": BOT_USER, "text": "…"},
    }}


def voice_update(chat_id: int = 42, lang: str = "ru") -> dict:
    return {"message": {"message_id": 7, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                        "from": user(chat_id, lang), "voice": {"file_id": "v1", "file_unique_id": "u1", "duration": 3}}}


def photo_update(chat_id: int = 42, lang: str = "ru", message_id: int = 8, caption: str | None = None) -> dict:
    message = {"message_id": message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
               "from": user(chat_id, lang), "photo": [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}]}
    if caption:
        message["caption"] = caption
    return {"message": message}


def group_update(text: str, chat_id: int, from_user: dict, message_id: int, reply_to: dict | None = None,
                 chat_type: str = "supergroup") -> dict:
    """A message in a group (e.g. a volunteer's reply); `reply_to` is the message replied to,
    as Telegram gives it: the whole original message, its inline keyboard included."""
    message = {"message_id": message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": chat_type, "title": "group"},
               "from": from_user, "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return {"message": message}


def inline_update(query: str, lang: str = "ru") -> dict:
    return {"inline_query": {"id": f"iq{time.time_ns()}", "from": user(42, lang), "query": query, "offset": ""}}


class BotHarness:
    """Runs the real Application with long polling against the fake server, in its own thread."""

    def __init__(self, app, fake: FakeBotApi):
        self.app, self.fake = app, fake
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> "BotHarness":
        self.thread.start()
        self._run(self._start())
        return self

    async def _start(self) -> None:
        await self.app.initialize()
        if self.app.post_init:  # run_polling() would call it; we start the parts by hand
            await self.app.post_init(self.app)
        await self.app.start()
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1, drop_pending_updates=False)

    def stop(self) -> None:
        async def _stop():
            await self.app.updater.stop()
            await self.app.stop()
            await self.app.shutdown()

        self._run(_stop(), timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    def _run(self, coro, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def buttons(self, call: Call) -> list[tuple[str, str]]:
        markup = call.params.get("reply_markup") or {}
        return [(b["text"], b.get("callback_data") or b.get("url")) for row in markup.get("inline_keyboard", []) for b in row]


@contextmanager
def running_bot(ogoh, token: str) -> Iterator[BotHarness]:
    """The real application (python-telegram-bot) on `ogoh`, talking to a fake Bot API on
    127.0.0.1, with an in-memory store (as `harness.store`)."""
    from bot.settings import Settings
    from bot.storage import open_store
    from bot.telegram.app import build_application

    fake = FakeBotApi(token).start()
    settings = Settings(rules_dir=ogoh.rules_dir, storage_url="sqlite://:memory:", telegram_bot_token=token,
                        telegram_api_base_url=fake.base_url)
    store = open_store(settings.storage_url, settings.secret_key)
    harness = BotHarness(build_application(ogoh, store, settings), fake).start()
    harness.store = store
    try:
        yield harness
    finally:
        harness.stop()
        fake.stop()
