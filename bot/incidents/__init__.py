"""Incidents (guideline 6): 炎上, なりすまし and 訂正 escalations and the 6(2) log."""

# Importing the responses module registers its hook on core's draft decisions, so a
# decision on a response post lands on the incident timeline in the same transaction.
from bot.incidents import responses as _responses  # noqa: F401
