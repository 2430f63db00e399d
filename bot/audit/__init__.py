"""Audit log (W7): append-only, tamper-evident records of every workflow event."""

from bot.audit.service import Entry, record, record_many, text_hash
from bot.audit.verify import Head, Problem, check, verify

__all__ = ["Entry", "Head", "Problem", "check", "record", "record_many", "text_hash", "verify"]
