"""Schema tests submit drafts on the demo directory (bot/directory/demo.yaml)."""

from tests.demo import Demo, demo  # noqa: F401  (fixture re-export)
