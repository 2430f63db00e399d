"""Audit log (W7): append-only, tamper-evident records of every workflow event."""

from bot.audit.service import Entry, record, record_many, text_hash, verify

__all__ = ["Entry", "record", "record_many", "text_hash", "verify"]
