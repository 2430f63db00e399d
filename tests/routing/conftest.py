"""Router tests use the demo directory of the core tests."""

from tests.demo import Demo, demo  # noqa: F401
