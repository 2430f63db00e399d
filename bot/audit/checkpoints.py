"""Signed checkpoints of the chain head, and the head published outside the database.

A hash chain cannot prove its own completeness: whoever can write to the database can cut
its tail or recompute it from an edited row on. A checkpoint is the writer's signed
statement "at time T the chain had N rows and ended in hash H" (as Certificate
Transparency's signed tree heads are); its key is never in the database. The worker writes
one at least hourly and ``audit export`` at every export; the head is also published where
the database's users cannot reach it: a daily message to 情報政策課's channel and every
export file. ``audit verify --expect-head N:H`` checks the log against such a copy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.audit import keys
from bot.audit.models import AuditCheckpoint, AuditEvent
from bot.audit.service import GENESIS, _utc_iso
from bot.audit.verify import Head, Problem, check
from bot.clock import Clock, SystemClock, format_jst
from bot.guideline import terms as guideline_terms
from bot.notify.messages import Field, OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import enqueue

log = logging.getLogger(__name__)


class ChainBroken(Exception):
    """The rows written since the last checkpoint do not verify: nothing is signed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s), first at seq {problems[0].seq}")
        self.problems = problems


def current_head(session: Session) -> Head:
    """The chain's last row (seq and hash), or (0, GENESIS) for an empty log."""
    row = session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return Head(row[0], row[1]) if row else Head(0, GENESIS)


def write_checkpoint(
    session: Session,
    *,
    reason: str,
    signer: keys.Signer | None = None,
    keyring: keys.KeyRing | None = None,
    clock: Clock | None = None,
) -> AuditCheckpoint:
    """Sign the current head, in the caller's transaction.

    The rows written since the latest valid checkpoint are verified first (chain and
    signatures): a head over rows nobody with the key wrote is never signed.
    Raises ChainBroken (nothing written) if they do not verify.
    """
    signer = signer or keys.current_signer()
    if signer is None:
        raise keys.AuditKeyError(keys.UNSIGNED_NOTICE)
    ring = keyring if keyring is not None else keys.load_keyring(signer=signer)
    report = check(session, keyring=ring, tail_only=True)
    if report.problems:
        raise ChainBroken(report.problems)
    head = report.head
    # Microseconds survive both backends, so the signed text of the time round-trips.
    created_at = (clock or SystemClock()).now()
    signature = signer.sign(
        keys.checkpoint_message(head.seq, head.hash, _utc_iso(created_at), signer.key_id)
    )
    cp = AuditCheckpoint(
        created_at=created_at,
        seq=head.seq,
        head_hash=head.hash,
        key_id=signer.key_id,
        signature=signature,
        reason=reason,
    )
    session.add(cp)
    session.flush()
    return cp


@dataclass(frozen=True)
class PublishedHead:
    """The head as it goes out of the database (daily message, export files)."""

    seq: int
    hash: str
    created_at: datetime
    key_id: str | None
    signature: str | None
    checkpoint_id: int | None

    @property
    def head(self) -> str:
        return str(Head(self.seq, self.hash))

    def to_dict(self) -> dict[str, Any]:
        return {
            "head": self.head,
            "seq": self.seq,
            "hash": self.hash,
            "created_at": _utc_iso(self.created_at),
            "key_id": self.key_id,
            "signature": self.signature,
            "checkpoint_id": self.checkpoint_id,
        }

    @classmethod
    def of(cls, cp: AuditCheckpoint) -> PublishedHead:
        return cls(cp.seq, cp.head_hash, cp.created_at, cp.key_id, cp.signature, cp.id)


def checkpoint_or_head(
    session: Session, *, reason: str, clock: Clock | None = None
) -> tuple[PublishedHead, str | None]:
    """A fresh signed checkpoint if a key is configured, else the unsigned head.

    Returns the head and, when it is not signed, a Japanese sentence saying why.
    """
    now = (clock or SystemClock()).now()
    if keys.current_signer() is None:
        head = current_head(session)
        return PublishedHead(head.seq, head.hash, now, None, None, None), keys.UNSIGNED_NOTICE
    try:
        with session.begin_nested():
            cp = write_checkpoint(session, reason=reason, clock=clock)
    except ChainBroken as exc:
        head = current_head(session)
        first = exc.problems[0]
        return PublishedHead(head.seq, head.hash, now, None, None, None), (
            f"監査ログの検証に失敗したため（{first.where()}: {first.detail}）、"
            "ヘッドに署名していません。python -m bot audit verify で確認してください。"
        )
    return PublishedHead.of(cp), None


def head_message(
    head: PublishedHead, *, records: str, unsigned_reason: str | None = None
) -> OutMessage:
    """The daily message to 情報政策課 that keeps a copy of the head outside the database;
    ``records`` is the guideline's clause on records (``Terms.ref("records")``, 5(11))."""
    fields = [
        Field("件数", f"{head.seq}件"),
        Field("ヘッド", head.head),
        Field("時刻", format_jst(head.created_at)),
    ]
    if head.signature:
        fields += [Field("署名鍵", str(head.key_id)), Field("署名", head.signature)]
    text = (
        f"監査ログ（公文書の記録、{records}）の現在の末尾です。このメッセージは、記録が後から"
        "消されたり書き換えられたりしていないことを確かめるための控えですので、削除しないで"
        "ください。確認するときは python -m bot audit verify --expect-head "
        f"{head.head} を実行します。"
    )
    if unsigned_reason:
        text += f"\n注意: {unsigned_reason}"
    return OutMessage(
        kind="audit.head",
        title=f"【監査ログ】チェーンヘッドの控え（{head.seq}件）",
        text=text,
        fields=fields,
        context=(f"チェックポイント #{head.checkpoint_id}" if head.checkpoint_id else "署名なし"),
    )


def publish_head(
    session: Session, *, channel: str, clock: Clock | None = None
) -> OutboxMessage | None:
    """Checkpoint and enqueue today's head message to ``channel`` once per day."""
    clock = clock or SystemClock()
    head, unsigned = checkpoint_or_head(session, reason="daily", clock=clock)
    day = format_jst(clock.now()).split(" ")[0]
    return enqueue(
        session,
        message=head_message(
            head,
            records=guideline_terms.in_force(session).ref("records"),
            unsigned_reason=unsigned,
        ),
        to_channel=channel,
        dedupe_key=f"audit.head:{day}",
        clock=clock,
    )


def alert_message(problems: list[Problem]) -> OutMessage:
    """To 情報政策課 when the checkpoint job finds rows it will not sign."""
    first = problems[0]
    return OutMessage(
        kind="audit.alert",
        title="【監査ログ】記録の検証に失敗しました",
        text=(
            f"前回のチェックポイント以降の監査ログに不整合が {len(problems)} 件あり、"
            f"チェックポイントへの署名を止めています。最初の不整合: {first.where()}: "
            f"{first.detail}。python -m bot audit verify で内容を確認してください。"
        ),
    )
