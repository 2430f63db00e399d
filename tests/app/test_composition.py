"""The composition root (``bot.app``) wires the application; importing a module wires nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Every module of the core and the adapters, imported alone, registers nothing; building
# the application (bot.app.build, what every entry point runs) wires the decision hook
# once, however often it is built.
PROBE = """
import importlib, pkgutil, sys
import bot, handlers
from bot.drafts.decisions import decision_hooks
names = sorted(
    m.name
    for package in (bot, handlers)
    for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    if m.name.rpartition(".")[2] != "__main__" and ".migrations." not in m.name
)
for name in names:
    importlib.import_module(name)
print(len(names), len(decision_hooks.registered()))
import bot.app
url = "sqlite:///" + sys.argv[1]
bot.app.build(url)
bot.app.build(url, migrate=False)
print(*[h.__module__ + "." + h.__qualname__ for h in decision_hooks.registered()])
"""


def test_importing_wires_nothing_and_building_the_app_wires_the_hook_once(tmp_path):
    # A fresh interpreter: the test session itself is already wired (tests/conftest.py).
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "app.sqlite3")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    counts, wired = run.stdout.splitlines()
    imported, hooks_after_imports = counts.split()
    assert int(imported) > 100  # the walk reached the whole tree
    assert hooks_after_imports == "0"
    assert wired == "bot.incidents.responses.on_draft_decided"
