"""Console tests that need the reminder world of the scheduler tests."""

from tests.scheduler.conftest import plan, settings, world  # noqa: F401  (fixture re-export)
