"""The engine is independent of its faces: importing it loads neither FastAPI nor Telegram."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_engine_and_matcher_import_neither_fastapi_nor_telegram():
    code = (
        "import sys, bot.ogoh, bot.engine.rulebook, bot.engine.assess, bot.engine.views, bot.engine.coverage, "
        "bot.matcher.decide, bot.trends, bot.stats; "
        "print(sorted(m for m in ('fastapi', 'starlette', 'telegram', 'uvicorn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"
