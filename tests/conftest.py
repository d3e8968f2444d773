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


@pytest.fixture(scope="session")
def ogoh():
    from bot.ogoh import Ogoh

    return Ogoh(RULES)


@pytest.fixture(scope="session")
def book(ogoh):
    return ogoh.book


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the rules and the seeds they quote, for breaking on purpose."""
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
