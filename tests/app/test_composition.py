"""The composition root (``bot.app``) wires the application; importing a module wires nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import bot.actions, bot.commands, bot.incidents, bot.incidents.responses, bot.cli
from bot.drafts import decisions as drafts  # where the hook list lives
before = list(drafts._decision_hooks)
import bot.app
after_import = list(drafts._decision_hooks)
bot.app.wire()
bot.app.wire()
print(len(before), len(after_import), [h.__qualname__ for h in drafts._decision_hooks])
"""


def test_hooks_are_registered_by_the_composition_root_only_once():
    # A fresh interpreter: the test session itself is already wired (tests/conftest.py).
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["0", "0", "['on_draft_decided']"]
