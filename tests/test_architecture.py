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
