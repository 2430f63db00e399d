"""Router tests use the demo directory of the core tests."""

from tests.core.conftest import Demo, demo  # noqa: F401
