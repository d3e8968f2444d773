"""The shape of the code: the engine is independent of its faces, and the faces go through the
service layer (bot.core), never the engine's internals."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BOT = ROOT / "bot"
# What a face may import from the core of the project: the service layer, the engine's view
# models (the JSON shapes faces serialize or render), settings, and the storage interface it
# wires up (bot.storage, for create_app / polling locks). Everything else in bot.engine,
# bot.matcher and bot.ogoh is the engine's business.
ALLOWED = ("bot.core", "bot.engine.views", "bot.settings", "bot.storage", "bot.api", "bot.web", "bot.telegram", "bot.stats",
           "bot.translators", "bot.handoff")
ENGINE = ("bot.engine", "bot.matcher", "bot.ogoh", "bot.trends")
FACES = ["bot/api", "bot/web/router.py", "bot/web/__init__.py", "bot/cli.py", "bot/telegram/app.py", "bot/telegram/session.py",
         "bot/telegram/webhook.py", "bot/telegram/__init__.py"]
# Telegram handlers and rendering, and the newest web helpers, still reach into the engine; they
# are shared with other owners and move to the service one by one. This list may only shrink.
NOT_YET: set[str] = set()


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def engine_imports(path: Path) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line} imports {mod}" for line, mod in imports_of(path)
            if mod.startswith(ENGINE) and not mod.startswith(ALLOWED)]


def face_files() -> list[Path]:
    files: list[Path] = []
    for entry in FACES:
        p = ROOT / entry
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    files += sorted((BOT / "telegram" / "handlers").glob("*.py")) + [BOT / "telegram" / "render.py", BOT / "telegram" / "keyboards.py"]
    files += sorted((BOT / "web").glob("*.py"))
    return [f for f in dict.fromkeys(files) if f.exists()]


def test_faces_import_nothing_from_the_engine_internals():
    offending = [msg for f in face_files() if str(f.relative_to(ROOT)) not in NOT_YET for msg in engine_imports(f)]
    assert offending == [], "faces must go through bot.core.service:\n" + "\n".join(offending)


def test_the_list_of_faces_not_yet_moved_only_shrinks():
    still = {str(f.relative_to(ROOT)) for f in face_files() if engine_imports(f)}
    moved = sorted(p for p in NOT_YET if (ROOT / p).exists() and p not in still)
    assert moved == [], f"these now use the service only: remove them from NOT_YET: {moved}"


def test_the_api_and_web_routes_are_module_level():
    """Routes are plain module-level handlers (no closures inside create_app / a router factory)."""
    for path in (BOT / "api" / "app.py", BOT / "web" / "router.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(fn):
                    if inner is not fn and isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        for deco in inner.decorator_list:
                            target = deco.func if isinstance(deco, ast.Call) else deco
                            name = ast.unparse(target)
                            assert not name.startswith(("v1.", "router.", "ops.")), f"{path.name}: route {inner.name} inside {fn.name}"


def test_engine_and_matcher_import_neither_fastapi_nor_telegram():
    code = (
        "import sys, bot.ogoh, bot.engine.rulebook, bot.engine.assess, bot.engine.views, bot.engine.coverage, "
        "bot.matcher.decide, bot.stats, bot.core.service, bot.core.store, bot.core.cache; "
        "print(sorted(m for m in ('fastapi', 'starlette', 'telegram', 'uvicorn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def _sync_storage_calls(path: Path) -> list[str]:
    """Calls in a Telegram handler of a synchronous store's (or the handoff cases') methods that
    are not awaited: each would run storage I/O on the event loop. A lambda handed to
    session.off_loop runs on a worker thread and is allowed; so is the limiter (memory only)."""
    from bot.handoff import Cases
    from bot.storage.base import Store

    names = {n for n in dir(Store) if not n.startswith("_") and callable(getattr(Store, n))} - {"hash_id", "new_key_secret"}
    names |= {n for n in vars(Cases) if not n.startswith("_")}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("load_state", "save_state") or (isinstance(func, ast.Attribute) and name in names):
            if isinstance(func, ast.Attribute) and ast.unparse(func.value).endswith("limiter"):
                continue
            up, in_lambda = parents.get(node), False
            while up is not None and not isinstance(up, (ast.FunctionDef, ast.AsyncFunctionDef)):
                in_lambda = in_lambda or isinstance(up, ast.Lambda)
                up = parents.get(up)
            if not isinstance(parents.get(node), ast.Await) and not in_lambda:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(func)}()")
    return found


def test_telegram_handlers_never_call_the_synchronous_store():
    """Issue 13 item 2: every handler reads and writes state through the async service/store
    (session.state_of / update_state / Service methods); the handoff's cases through off_loop.
    tests/test_telegram.py checks the same at run time."""
    files = sorted((BOT / "telegram" / "handlers").glob("*.py")) + [BOT / "telegram" / "render.py", BOT / "telegram" / "keyboards.py"]
    offending = [msg for f in files for msg in _sync_storage_calls(f)]
    assert offending == [], "synchronous storage on the event loop:\n" + "\n".join(offending)
