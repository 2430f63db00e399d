"""``audit verify``: the chain, the rows' signatures, signed checkpoints and published heads.

What each part proves (docs/security.md, "Audit log"):

- the hash chain: a row edited, deleted or inserted *without recomputing the hashes after
  it* is named by the walk;
- a valid checkpoint (or a head published outside the database, ``--expect-head``) fixes
  the chain's length and head at a time: rows deleted from the tail show as a missing
  range, and a chain recomputed after an edit, deletion, insertion or reordering no longer
  ends in the signed head; the first row whose signature does not match is named;
- rows after the latest checkpoint carry their writer's signature: a row appended by
  someone without the key is named.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.audit import keys
from bot.audit.models import AuditCheckpoint, AuditEvent
from bot.audit.service import GENESIS, _digest, _encode, _utc_iso
from bot.clock import format_jst
from bot.tenancy import DEFAULT_TENANT, current_tenant

# A checkpoint older than this (with the default hourly checkpoints: two missed) is
# reported: rows written since are not anchored yet.
STALE_AFTER = timedelta(hours=2)

_KIND_ORDER = {"deleted": 0, "inserted": 1, "edited": 2, "rewritten": 3, "forged": 4}


@dataclass(frozen=True)
class Problem:
    """One place where the log does not hold: a row (``seq``) or a range ``seq``〜``end``."""

    seq: int
    kind: str  # edited | inserted | deleted | rewritten | forged | checkpoint
    detail: str
    end: int | None = None

    def where(self) -> str:
        if self.kind == "checkpoint":
            return "チェックポイント"
        if self.end is not None and self.end != self.seq:
            return f"連番 {self.seq}〜{self.end}"
        return f"連番 {self.seq}"


@dataclass(frozen=True)
class Head:
    """The chain's length (its last seq) and the hash of its last row."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        """``件数:ハッシュ`` as printed by ``audit verify`` / the daily message / exports."""
        count, sep, digest = text.strip().partition(":")
        digest = digest.strip().lower()
        if (
            not sep
            or not count.strip().isdigit()
            or len(digest) != 64
            or any(c not in "0123456789abcdef" for c in digest)
        ):
            raise ValueError(
                f"ヘッドは「件数:ハッシュ（16進 64 桁）」の形で指定してください: {text[:80]!r}"
            )
        return cls(int(count), digest)


def checkpoint_message(cp: AuditCheckpoint) -> bytes:
    return keys.checkpoint_message(cp.seq, cp.head_hash, _utc_iso(cp.created_at), cp.key_id)


def describe(cp: AuditCheckpoint) -> str:
    return f"チェックポイント #{cp.id}（{format_jst(cp.created_at)}、{cp.seq}件）"


@dataclass(frozen=True)
class _Anchor:
    seq: int
    hash: str
    label: str


@dataclass
class Report:
    """Everything ``audit verify`` found; ``problems`` empty means the log holds."""

    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    head: Head = field(default_factory=lambda: Head(0, GENESIS))
    checkpoint: AuditCheckpoint | None = None  # the latest valid one
    keyring: bool = False  # whether signatures could be checked at all


def verify(session: Session, **kwargs: Any) -> list[Problem]:
    """Every place where the log does not hold (``check`` has the whole report)."""
    return check(session, **kwargs).problems


def check(
    session: Session,
    *,
    keyring: keys.KeyRing | None = None,
    expect: Iterable[Head] = (),
    now: datetime | None = None,
    tail_only: bool = False,
    batch: int = 20_000,
) -> Report:
    """Verify the log against the chain, the signatures, checkpoints and ``expect``.

    ``tail_only``: trust the latest valid checkpoint and check only what was written after
    it (what the checkpoint job does before it signs a new head).
    """
    ring = keys.current_keyring() if keyring is None else keyring
    report = Report(keyring=bool(ring))
    anchors: list[_Anchor] = []
    checkpoints = session.scalars(sa.select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
    latest: AuditCheckpoint | None = None
    for cp in checkpoints if ring else ():
        why = ring.check(cp.key_id, cp.signature, checkpoint_message(cp))
        if why:
            report.problems.append(
                Problem(cp.seq, "checkpoint", f"{describe(cp)}: {why}（偽造または改ざん）")
            )
            continue
        anchors.append(_Anchor(cp.seq, cp.head_hash, describe(cp)))
        if latest is None or (cp.seq, cp.created_at) >= (latest.seq, latest.created_at):
            latest = cp
    anchors.extend(_Anchor(h.seq, h.hash, f"公開されたヘッド（{h.seq}件）") for h in expect)
    report.checkpoint = latest

    start = latest.seq if tail_only and latest is not None else 1
    walk = _Walk(
        anchors={a.seq for a in anchors},
        ring=ring,
        # Rows up to the latest valid checkpoint are vouched for by it (and checked against
        # it below); rows after it by their own signatures.
        signed_after=latest.seq if latest is not None else 0,
        must_sign=latest is not None,
    )
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived strings, no cycles: see _Walk.run
    try:
        walk.run(session, start=start, batch=batch)
    finally:
        if gc_was_enabled:
            gc.enable()
    report.problems.extend(walk.problems)
    report.head = Head(walk.last, walk.last_hash)
    _check_anchors(session, report, anchors, walk, ring)

    seen: set[tuple[int, str]] = set()
    unique = []
    for p in sorted(report.problems, key=lambda p: (p.seq, _KIND_ORDER.get(p.kind, 9))):
        if (p.seq, p.kind) not in seen:
            seen.add((p.seq, p.kind))
            unique.append(p)
    report.problems = unique
    _notices(report, checkpoints, walk, now)
    return report


def _check_anchors(
    session: Session, report: Report, anchors: list[_Anchor], walk: _Walk, ring: keys.KeyRing
) -> None:
    """Compare the log with each signed or published head; name where it differs."""
    matched = 0
    missing: _Anchor | None = None
    for anchor in sorted(anchors, key=lambda a: a.seq):
        if anchor.seq == 0:
            continue
        if anchor.seq > walk.last:
            if missing is None or anchor.seq > missing.seq:
                missing = anchor
            continue
        stored = walk.at.get(anchor.seq)
        if stored is None:  # that row itself is gone: the walk named the gap
            continue
        if stored == anchor.hash:
            matched = max(matched, anchor.seq)
            continue
        flagged = [p.seq for p in walk.problems if matched < p.seq <= anchor.seq]
        problem = _first_rewritten(session, anchor, matched, ring, walk)
        assert problem is not None  # with the fallback, always a problem
        # A row the walk already named (edited, inserted, a gap) explains the difference,
        # unless the signatures show an earlier row rewritten: then name that one.
        if not flagged or (problem.end is None and problem.seq < min(flagged)):
            report.problems.append(problem)
    if missing is not None:
        # Rows are gone off the end. Rows that are still there after the last head that
        # matched may have been rewritten too (a deletion, then the chain recomputed): the
        # first of them, by its signature, comes before the missing range.
        flagged = [p.seq for p in walk.problems if matched < p.seq <= walk.last]
        if ring and walk.last > matched and not flagged:
            end = _Anchor(walk.last, walk.last_hash, missing.label)
            rewritten = _first_rewritten(session, end, matched, ring, walk, fallback=False)
            if rewritten is not None:
                report.problems.append(rewritten)
        first = walk.last + 1
        report.problems.append(
            Problem(
                first,
                "deleted",
                f"連番 {first}〜{missing.seq} の行がありません"
                f"（{missing.label}の時点では {missing.seq} 件ありました）",
                end=missing.seq,
            )
        )


def _first_rewritten(
    session: Session,
    anchor: _Anchor,
    after: int,
    ring: keys.KeyRing,
    walk: _Walk,
    *,
    fallback: bool = True,
) -> Problem | None:
    """The first row after ``after`` (the last head that still matched) not as signed.

    When no row can be named: the whole range (``fallback``), or None.
    """
    table = AuditEvent.__table__
    rows = session.execute(
        sa.select(table.c.seq, table.c.hash, table.c.key_id, table.c.signature)
        .where(table.c.tenant_id == current_tenant(session))  # Core: not scoped by the ORM
        .where(table.c.seq > after, table.c.seq <= anchor.seq)
        .order_by(table.c.seq)
        .execution_options(yield_per=2000)
    )
    expected = after + 1
    unsigned_from: int | None = None
    for seq, row_hash, kid, signature in rows:
        if seq != expected:
            return Problem(
                expected, "deleted", f"連番 {expected}〜{seq - 1} の行が削除されています", seq - 1
            )
        expected = seq + 1
        if not ring:
            break
        if signature is None and (walk.first_signed is None or seq < walk.first_signed):
            # Written before signing began: cannot say whether this row is the one.
            unsigned_from = unsigned_from or seq
            continue
        why = ring.check(kid, signature, keys.event_message(row_hash))
        if why is None:
            continue
        if unsigned_from is not None:
            return Problem(
                unsigned_from,
                "rewritten",
                f"{anchor.label}の後に連番 {unsigned_from}〜{seq} のどこかが書き換えられています"
                "（署名のない古い行があるため、これ以上は特定できません）",
                end=seq,
            )
        return Problem(
            seq,
            "rewritten",
            f"{anchor.label}の後に書き換えられた行です（{why}）。"
            "これ以降のハッシュはすべて計算し直されています",
        )
    if not fallback:
        return None
    first = after + 1
    return Problem(
        first,
        "rewritten",
        f"連番 {first}〜{anchor.seq} のどこかが{anchor.label}と一致しません"
        + ("（署名鍵がないため行を特定できません）" if not ring else ""),
        end=anchor.seq,
    )


def _notices(
    report: Report, checkpoints: Sequence[AuditCheckpoint], walk: _Walk, now: datetime | None
) -> None:
    notes = report.notices
    if not report.keyring:
        notes.append(keys.UNSIGNED_NOTICE)
        if checkpoints:
            notes.append(
                f"チェックポイントが {len(checkpoints)} 件ありますが、"
                "信頼する公開鍵がないため署名を確かめていません。"
            )
        return
    cp = report.checkpoint
    if cp is None:
        notes.append(
            "有効なチェックポイントがまだありません。末尾の行の削除やチェーンの再計算は、"
            "--expect-head で公開されたヘッドを与えない限り検出できません。"
        )
    else:
        notes.append(f"最新の有効な{describe(cp)}（鍵 {cp.key_id}）と照合しました。")
        if now is not None and now - cp.created_at > STALE_AFTER:
            notes.append(
                f"最新のチェックポイントが {format_jst(cp.created_at)} と古くなっています。"
                "ワーカーが止まっているか、新しいチェックポイントが削除された可能性があります。"
                "それ以降に書かれた行の削除は、公開されたヘッドと照合しない限り検出できません。"
            )
    if walk.unsigned:
        notes.append(
            f"署名のない行が {walk.unsigned} 件あります（署名鍵を設定する前に書かれた行）。"
        )


class _Walk:
    """One pass over the rows in pages by ``seq``: chain links, hashes, signatures.

    Reads plain tuples (no ORM objects, times formatted by the database): this is what
    keeps ``audit verify`` fast on a long log.
    """

    def __init__(
        self, *, anchors: set[int], ring: keys.KeyRing, signed_after: int, must_sign: bool
    ) -> None:
        self.anchors = anchors
        self.ring = ring
        self.signed_after = signed_after
        self.must_sign = must_sign
        self.problems: list[Problem] = []
        self.at: dict[int, str] = {}  # stored hash at each anchor's seq
        self.last = 0
        self.last_hash = GENESIS
        self.first_signed: int | None = None
        self.unsigned = 0
        self.tenant = DEFAULT_TENANT

    def run(self, session: Session, *, start: int, batch: int) -> None:
        table = AuditEvent.__table__
        sqlite = session.get_bind().dialect.name == "sqlite"
        raw = sa.types.NullType()  # values as the driver returns them: no per-row conversion
        columns = (
            table.c.seq,
            # The canonical text of the time; SQLite's stored text is finished by _utc_iso.
            sa.type_coerce(table.c.occurred_at, raw)
            if sqlite
            else sa.func.to_char(
                sa.func.timezone("UTC", table.c.occurred_at), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
            ),
            table.c.actor,
            table.c.action,
            table.c.subject_type,
            table.c.subject_id,
            table.c.text_hash,
            # Text: json.loads here is several times faster than psycopg's jsonb loader.
            sa.type_coerce(table.c.data if sqlite else sa.cast(table.c.data, sa.Text), raw),
            table.c.prev_hash,
            table.c.hash,
            table.c.key_id,
            table.c.signature,
        )

        self.tenant = tenant = current_tenant(session)

        def page(first: int) -> Sequence[Any]:
            stmt = (
                sa.select(*columns)
                .where(table.c.tenant_id == tenant)  # Core: not scoped by the ORM
                .where(table.c.seq >= first)
                .order_by(table.c.seq)
            )
            return session.execute(stmt.limit(batch)).all()

        rows = page(start)
        if start > 1 and rows and rows[0][0] == start:
            # tail_only: the checkpoint vouches for the rows before ``start``.
            state: list[Any] = [rows[0][8], start]
        else:
            state = [GENESIS, 1] if start == 1 else [None, start]
        while rows:
            self._check_page(rows, sqlite=sqlite, state=state)
            rows = page(rows[-1][0] + 1) if len(rows) == batch else []

    def _check_page(self, rows: Sequence[Any], *, sqlite: bool, state: list[Any]) -> None:
        """Check one page of rows; ``state`` is [the previous row's hash, the expected seq]."""
        prev_hash, expected = state
        problems, tenant = self.problems, self.tenant
        anchors, ring, signed_after = self.anchors, self.ring, self.signed_after
        for row in rows:
            seq, when, actor, action, subject_type, subject_id, th, data, prev, stored = row[:10]
            kid, signature = row[10], row[11]
            gap = seq != expected
            if gap:
                problems.append(
                    Problem(
                        expected,
                        "deleted",
                        f"連番 {expected}〜{seq - 1} の行が削除されています",
                        end=seq - 1,
                    )
                )
            fields = (seq, when, actor, action, subject_type, subject_id, th)
            try:
                computed: str | None = None
                if sqlite:
                    fields = (seq, _utc_iso(when), actor, action, subject_type, subject_id, th)
                    # Written in canonical form (bot.db.canonical_json): hash it as it is.
                    computed = _digest(prev, *fields, data, tenant)
                if computed != stored:
                    computed = _digest(prev, *fields, _encode(json.loads(data)), tenant)
            except (ValueError, TypeError):  # a value no writer of ours could have stored
                computed = None
            if computed != stored:
                problems.append(Problem(seq, "edited", "行の内容が記録時のハッシュと一致しません"))
            elif prev_hash is not None and prev != prev_hash and not gap:
                problems.append(Problem(seq, "inserted", "直前の行のハッシュと連結していません"))
            if signature is not None:
                if self.first_signed is None:
                    self.first_signed = seq
            elif not (self.must_sign or self.first_signed is not None):
                self.unsigned += 1
            # Once signing has begun (a checkpoint exists, or an earlier row is signed),
            # every later row must carry a valid signature.
            required = self.must_sign or self.first_signed is not None
            if seq > signed_after and ring and required:
                why = ring.check(kid, signature, keys.event_message(stored))
                if why is not None:
                    problems.append(
                        Problem(
                            seq, "forged", f"署名鍵を持つボットが書いた行ではありません（{why}）"
                        )
                    )
            if seq in anchors:
                self.at[seq] = stored
            prev_hash = stored
            expected = seq + 1
            self.last, self.last_hash = seq, stored
        state[:] = [prev_hash, expected]
