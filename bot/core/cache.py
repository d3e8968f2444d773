"""Fast start: the parsed rule book and the trained question index, cached on disk.

Building a snapshot costs seconds (YAML parsing and validation, then training the matcher); reading
it back from a pickle costs ~50 ms. The cache file is named by a key that covers everything the
snapshot is made from: the rule files and the documents their quotes are checked against, the
absolute rules folder, today's date (review dates turn into warnings), the Python and library
versions and the source of the engine and matcher themselves. A cache is never trusted across
code versions.

Safety: a file is written to a temporary name, fsynced and renamed into place (a reader sees the
whole file or none); it starts with a magic line and a SHA-256 of its body, so a half-written,
truncated or corrupt file is detected, deleted and rebuilt. Any failure to read or write the cache
only costs speed: the snapshot is then built from the rule files as before.

The cache folder must be writable only by the service's user (a pickle is code): it lives in the
data folder (`OGOH_DATA_DIR`), created with owner-only permissions.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger("ogoh.cache")

MAGIC = b"OGOH-SNAPSHOT-1\n"
KEEP = 6  # cache files kept (the newest); older ones are removed
_CODE_PACKAGES = ("bot/engine", "bot/matcher")
_CODE_FILES = ("bot/ogoh.py", "bot/core/cache.py")
_LIBRARIES = ("numpy", "scipy", "scikit-learn", "pydantic", "rapidfuzz", "ruamel.yaml")
_TRAINING_ONLY = ("chars", "stems", "classifier")
_BOT_ROOT = Path(__file__).resolve().parent.parent.parent


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for lib in _LIBRARIES:
        try:
            digest.update(f"{lib}={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(lib.encode())
    paths = [p for pkg in _CODE_PACKAGES for p in sorted((_BOT_ROOT / pkg).rglob("*.py"))]
    paths += [_BOT_ROOT / f for f in _CODE_FILES]
    for path in paths:
        digest.update(str(path.relative_to(_BOT_ROOT)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


def cache_key(rules_dir: Path, today: dt.date | None = None) -> str:
    rules_dir = rules_dir.resolve()
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(str(rules_dir).encode() + b"\0" + (today or dt.date.today()).isoformat().encode())
    roots = [rules_dir] + [d for d in (rules_dir.parent / "seeds",) if d.is_dir()]
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _restore_index(obj: Any, state: dict[str, Any]) -> None:
    obj.__dict__.update(state)
    obj.init_query_caches()  # its per-word memos, empty


class _Pickler(pickle.Pickler):
    """The question index keeps per-instance lru_caches, which pickle cannot store: drop them and
    make fresh, empty ones on loading. The fitted scikit-learn objects are dropped too: answering
    uses only the vocabularies and weights taken from them, and leaving them out means a cached
    index loads without importing scikit-learn (~0.9 s)."""

    def reducer_override(self, obj: Any) -> Any:
        from bot.matcher.index import QuestionIndex

        if type(obj) is QuestionIndex:
            state = {k: v for k, v in obj.__dict__.items()
                     if k not in _TRAINING_ONLY and not isinstance(v, functools._lru_cache_wrapper)}
            return (object.__new__, (QuestionIndex,), state, None, None, _restore_index)
        return NotImplemented


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    body = buffer.getvalue()
    return MAGIC + hashlib.sha256(body).digest() + body


def loads(data: bytes) -> Any:
    if not data.startswith(MAGIC):
        raise ValueError("not a snapshot cache file")
    digest, body = data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
    if hashlib.sha256(body).digest() != digest:
        raise ValueError("snapshot cache file is damaged")
    return pickle.loads(body)


def read(cache_dir: Path, key: str) -> Any | None:
    path = cache_dir / f"snapshot-{key}.pickle"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        value = loads(data)
    except Exception as exc:  # damaged or from an incompatible build: rebuild it
        log.warning("ignoring a damaged snapshot cache (%s)", type(exc).__name__)
        try:
            path.unlink()
        except OSError:
            pass
        return None
    try:
        os.utime(path)  # newest-used files survive pruning
    except OSError:
        pass
    return value


def write(cache_dir: Path, key: str, value: Any) -> bool:
    try:
        data = dumps(value)
    except Exception as exc:
        log.warning("snapshot not cached: cannot serialize it (%s)", type(exc).__name__)
        return False
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".snapshot-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, cache_dir / f"snapshot-{key}.pickle")
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as exc:
        log.warning("snapshot not cached: %s", type(exc).__name__)
        return False
    _prune(cache_dir)
    return True


def _prune(cache_dir: Path) -> None:
    try:
        files = sorted(cache_dir.glob("snapshot-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            old.unlink()
    except OSError:
        pass
