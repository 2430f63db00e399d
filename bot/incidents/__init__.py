"""Incidents (guideline 6): 炎上, なりすまし and 訂正 escalations and the 6(2) log."""
