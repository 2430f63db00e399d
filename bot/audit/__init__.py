"""Audit log (W7): append-only, tamper-evident records of every workflow event."""

from bot.audit.service import record, text_hash, verify

__all__ = ["record", "text_hash", "verify"]
