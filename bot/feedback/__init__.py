"""What the city's decisions teach the content check (issue 11, item 5).

Authors who submit a post despite a blocking finding state why they think it is a false
positive; the 所属長 then decides on that version. ``feedback`` gathers those statements
with their decisions, grouped by rule, and a reviewer at 情報政策課 turns one into an
allowance (an allow-list entry, a public number, a trusted domain, or switching a rule
off) stored as data with who and when. ``checker_for`` builds the check the workflow uses
from the bundled data plus those allowances, so no code or file changes are needed.
"""
