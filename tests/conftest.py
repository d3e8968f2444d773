from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
# The snapshot cache (bot.core.cache) of the test runs, kept between runs: the suite then loads the
# rules in ~50 ms instead of seconds. Subprocesses (ogoh serve, the CLI) inherit it.
os.environ.setdefault("OGOH_DATA_DIR", str(ROOT / ".pytest_cache" / "ogoh-data"))
# python-telegram-bot 22: opt in to `datetime.timedelta` periods (RetryAfter.retry_after, ...), as
# the Dockerfile does for the service; without it, every 429 the fake server injects warns that the
# int form is deprecated. The bot's code reads the timedelta (`_retry_after`) either way.
os.environ.setdefault("PTB_TIMEDELTA", "1")


def _shared_default_ssl_context():
    """httpx builds a new SSL context for every client, reading the whole CA bundle (~0.15 s);
    python-telegram-bot makes two clients per Application and the tests start one per test. No
    test speaks TLS (every server is plain HTTP on 127.0.0.1): the default context is made once."""
    import functools

    import httpx._transports.default as transport

    original = transport.create_ssl_context
    default = functools.lru_cache(maxsize=1)(lambda: original())

    def create_ssl_context(verify=True, cert=None, trust_env=True):
        if verify is True and cert is None and trust_env is True:
            return default()
        return original(verify=verify, cert=cert, trust_env=trust_env)

    transport.create_ssl_context = create_ssl_context


_shared_default_ssl_context()


@pytest.fixture(scope="session")
def ogoh():
    from bot.ogoh import Ogoh

    return Ogoh(RULES)


@pytest.fixture(scope="session")
def book(ogoh):
    return ogoh.book


@pytest.fixture()
def rules_copy(tmp_path: Path, monkeypatch) -> Path:
    """A writable copy of the rules and the seeds they quote, for breaking on purpose.

    Its snapshot is not cached (OGOH_SNAPSHOT_CACHE=off for the test): a copy lives in its own
    folder, so its cache file would never be read again, and writing it would push the shipped
    rules' snapshot out of the cache (KEEP newest files) that the CLI and `ogoh serve`
    subprocesses of the other tests read. Tests of the cache itself pass `cache_dir=`."""
    monkeypatch.setenv("OGOH_SNAPSHOT_CACHE", "off")
    shutil.copytree(RULES, tmp_path / "rules")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "rules"


def replace_in(path: Path, old: str, new: str, count: int = 1) -> int:
    """Edit a rule file like a translator would; returns the 1-based line of the edit."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


class RedisServer:
    """A real redis-server on 127.0.0.1, with an append-only file so a restart loses nothing."""

    def __init__(self, workdir: Path):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.workdir = workdir
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        import subprocess
        import time

        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return self
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    import os
    import shutil as sh

    if not sh.which("redis-server"):
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing in CI: scripts/test-tools.sh should have installed it")
        pytest.skip("redis-server is not installed (Debian package redis-server); run scripts/test-tools.sh")
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


# Test files that take longest, in that order (measured; a new file goes last by default). With
# `pytest -n auto --dist loadfile` (make test) each file runs on one worker, handed out in
# collection order: the long files first, the many short ones fill the gaps, and no worker starts
# the browser tests when the other is nearly done. Within a file the order is unchanged.
LONG_FILES_FIRST = ("test_web_a11y.py", "test_cache.py", "test_web_browser.py", "test_check.py", "test_translators.py",
                    "test_hardening.py", "test_web.py", "test_telegram.py", "test_handoff.py", "test_api.py")


def pytest_collection_modifyitems(session, config, items) -> None:
    rank = {name: i for i, name in enumerate(LONG_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files keep their test order
