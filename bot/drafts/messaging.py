"""What the draft workflow says to people: platform-neutral ``OutMessage`` builders.

Message kinds (adapters may render each kind differently):

- ``draft.receipt``            to the author, right after submit/edit (findings, next step)
- ``draft.approval_request``   to the 所属長 and active deputies; actions below
- ``draft.approval_closed``    replaces an approval request once decided (no actions)
- ``draft.approval_stale``     replaces an approval request for a version that was edited
- ``draft.approval_withdrawn`` replaces an approval request of a withdrawn draft
- ``draft.decided``            to the author: approved / rejected / changes requested
- ``draft.exempt_notice``      to the 所属長: an exempt post with a false-positive statement,
                               or any 4(3)エ emergency post (never held, told at once)
- ``draft.published``          to the author (receipt), with the report reminder if exempt
- ``report.filed``             to the 所属長 and active deputies; action report.acknowledge
- ``report.acknowledged``      replaces the report message, and tells the author
- ``draft.list`` / ``draft.inbox`` / ``check.result`` / ``error``: replies to the actor

Action ids and values (values carry ids only):

- ``draft.approve``         {"draft_id", "version"}
- ``draft.request_changes`` {"draft_id", "version"}  needs_reason
- ``draft.reject``          {"draft_id", "version"}  needs_reason
- ``report.acknowledge``    {"draft_id", "report_id"}

The author's next step (``bot.actions`` handles these; adapters ask for the inputs first):

- ``draft.publish`` {"draft_id", "version"} on an approval (asks for the post's URL)
- ``draft.edit``    {"draft_id", "version"} on a request for changes (opens the draft form)
- ``draft.report``  {"draft_id"[, "version"]} on an exempt receipt / publication (URL, note)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import object_session

from bot.clock import format_jst
from bot.directory.models import Account, Person
from bot.drafts.checking import SEVERITY_LABELS, VERDICT_LABELS, CheckOutcome, finding_views
from bot.drafts.models import AfterReport, Decision, Draft, DraftVersion
from bot.drafts.state import State, label
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.notify.messages import Action, Field, OutMessage

DECISION_LABELS = {"approve": "承認", "reject": "却下", "request_changes": "差し戻し"}
# "差し戻し" + "しました" would be 「差し戻ししました」: each verb is written out.
DECISION_VERBS = {
    "approve": "承認しました",
    "reject": "却下しました",
    "request_changes": "差し戻しました",
}


def reason_label(kind: str) -> str:
    """An approval's note is a コメント; a rejection's or a request for changes' a 理由."""
    return "コメント" if kind == "approve" else "理由"


def decided_by(decider: Person, account: Account) -> str:
    """「山田 花子（yamada）が」, or 「加藤 健（kato）が代理として」 for a deputy's decision."""
    deputy = account.department is not None and account.department.head_id != decider.id
    return f"{who(decider)}が代理として" if deputy else f"{who(decider)}が"


DECISION_TITLES = {
    "approve": "承認されました",
    "reject": "却下されました",
    "request_changes": "差し戻されました（修正が必要です）",
}


def terms_of(draft: Draft) -> Terms:
    """The vocabulary a draft's messages use: the guideline version it was routed under."""
    return guideline_terms.of_record(draft)


PHOTO_LABELS = {"none": "なし（個人が特定できる写真・映像なし）", "identifiable": "あり"}


def who(person: Person | None) -> str:
    """How a person is named in messages."""
    return f"{person.name}（{person.handle}）" if person is not None else "不明"


def ref(draft: Draft, version: int | None = None) -> str:
    """e.g. 下書き #12（第2版）."""
    return f"下書き #{draft.id}（第{version or draft.current_version}版）"


def _draft_fields(draft: Draft, account: Account, version: DraftVersion) -> list[Field]:
    terms = terms_of(draft)
    fields = [
        Field("アカウント", f"{account.name}［{account.media}］"),
        Field("作成者", who(draft.author)),
        Field("掲載予定", format_jst(draft.planned_at) if draft.planned_at else "未定"),
        Field(
            "決裁不要の区分",
            terms.exemption_text(draft.exemption)
            if draft.exemption
            else f"なし（{terms.approver}の決裁が必要）",
        ),
    ]
    if draft.evidence:
        fields.append(Field("根拠", draft.evidence))
    photo = PHOTO_LABELS.get(draft.photo_people, draft.photo_people)
    if draft.photo_people == "identifiable":
        photo += "（本人の了解あり）" if draft.photo_consent else "（本人の了解なし）"
    fields.append(Field("人物が特定できる写真・映像", photo))
    fields.append(Field("チェック結果", VERDICT_LABELS.get(version.verdict, version.verdict)))
    if version.false_positive_reason:
        fields.append(Field("作成者による誤検知の説明", version.false_positive_reason))
    judged = guideline_terms.of_record(version)
    if judged.sha256 != _in_force_sha(draft):
        # Where it matters: the draft was checked under another version than the one in
        # force now; its findings cite that version's clauses.
        fields.append(Field("チェックした版", f"{judged.guideline.name} {judged.version}"))
    return fields


def _in_force_sha(record: Any) -> str | None:
    session = object_session(record)
    return guideline_terms.in_force(session).sha256 if session is not None else None


def _context(draft: Draft, version: DraftVersion) -> str:
    return f"下書き #{draft.id} 第{version.number}版・本文ハッシュ {version.text_hash[:12]}"


def decision_actions(draft_id: int, version: int) -> list[Action]:
    """The 所属長's three buttons on a draft version (決裁依頼 and its reminders)."""
    value = {"draft_id": draft_id, "version": version}
    return [
        Action("draft.approve", "承認", value, style="primary"),
        Action("draft.request_changes", "差し戻し", value, needs_reason=True),
        Action("draft.reject", "却下", value, style="danger", needs_reason=True),
    ]


@dataclass(frozen=True)
class Related:
    """What a draft answers (an incident's response post): a sentence for its 決裁依頼 and
    the button that opens it (the incident's thread)."""

    text: str
    action: Action | None = None


def approval_request(
    draft: Draft, account: Account, version: DraftVersion, *, related: Related | None = None
) -> OutMessage:
    """The 決裁 request (4(3)) sent to the 所属長 and active deputies."""
    terms = terms_of(draft)
    text = (
        f"{who(draft.author)}から「{account.name}」への投稿の決裁依頼です"
        f"（{terms.approval_clause}）。"
    )
    if related is not None:
        text += "\n" + related.text
    if version.number > 1:
        text += f"\n本文が修正されたため（第{version.number}版）、改めて決裁が必要です。前の版の承認は引き継がれません。"
    if version.false_positive_reason:
        text += "\n※ 掲載できない内容の指摘がありましたが、作成者は誤検知だと説明しています。内容を確認してください。"
    return OutMessage(
        kind="draft.approval_request",
        title=f"【決裁依頼】{ref(draft, version.number)}",
        text=text,
        fields=_draft_fields(draft, account, version),
        findings=finding_views(version.findings),
        actions=decision_actions(draft.id, version.number)
        + ([related.action] if related is not None and related.action is not None else []),
        quote=version.text,
        context=_context(draft, version),
        mentions=[],
    )


def approval_closed(
    draft: Draft, account: Account, version: DraftVersion, decision: Decision, decider: Person
) -> OutMessage:
    """The approval request, replaced once someone decided."""
    verb = DECISION_LABELS[decision.kind]
    text = (
        f"{decided_by(decider, account)}{format_jst(decision.decided_at)}に"
        f"{DECISION_VERBS[decision.kind]}。"
    )
    if decision.reason:
        text += f"\n{reason_label(decision.kind)}: {decision.reason}"
    return OutMessage(
        kind="draft.approval_closed",
        title=f"【{verb}済み】{ref(draft, version.number)}",
        text=text,
        fields=_draft_fields(draft, account, version),
        quote=version.text,
        context=_context(draft, version),
    )


def approval_stale(draft: Draft, old: DraftVersion, new_number: int) -> OutMessage:
    """An approval request whose version was replaced by an edit."""
    return OutMessage(
        kind="draft.approval_stale",
        title=f"【古い決裁依頼】{ref(draft, old.number)}",
        text=(
            f"この決裁依頼は古くなりました。作成者が本文を第{new_number}版に修正したため、"
            "新しい決裁依頼から判断してください（この版への操作は受け付けません）。"
        ),
        context=_context(draft, old),
    )


def approval_withdrawn(draft: Draft, version: DraftVersion, when: datetime) -> OutMessage:
    """An approval request of a draft its author withdrew."""
    return OutMessage(
        kind="draft.approval_withdrawn",
        title=f"【取り下げ】{ref(draft, version.number)}",
        text=f"作成者が{format_jst(when)}にこの下書きを取り下げました。決裁は不要です。",
        context=_context(draft, version),
    )


def decided(
    draft: Draft, account: Account, version: DraftVersion, decision: Decision, decider: Person
) -> OutMessage:
    """Tell the author the decision."""
    kind = decision.kind
    text = (
        f"{decided_by(decider, account)}{format_jst(decision.decided_at)}に{DECISION_VERBS[kind]}。"
    )
    if decision.reason:
        text += f"\n{reason_label(kind)}: {decision.reason}"
    if kind == "approve":
        text += "\n掲載したら［掲載しました］から掲載先のURLを登録してください。"
    elif kind == "request_changes":
        text += "\n［修正する］から本文を修正して再度送ってください。修正後は改めて決裁が必要です。"
    else:
        text += "\nこの下書きは掲載できません。"
    return OutMessage(
        kind="draft.decided",
        title=f"{ref(draft, version.number)}は{DECISION_TITLES[kind]}",
        text=text,
        fields=[Field("アカウント", account.name), Field("決裁", DECISION_LABELS[kind])],
        actions=_author_actions(draft, version, kind),
        quote=version.text,
        context=_context(draft, version),
    )


def _author_actions(draft: Draft, version: DraftVersion, kind: str) -> list[Action]:
    """The author's next step as a button (handled by ``bot.actions``)."""
    value = {"draft_id": draft.id, "version": version.number}
    if kind == "approve":
        return [Action("draft.publish", "掲載しました", value, style="primary")]
    if kind == "request_changes":
        return [Action("draft.edit", "修正する", value, style="primary")]
    if kind == "exempt":
        return [Action("draft.report", "投稿しました（事後報告）", value, style="primary")]
    return []


def exempt_notice(
    draft: Draft, account: Account, version: DraftVersion, *, registered: bool
) -> OutMessage:
    """To the 所属長: an exempt post that carries a false-positive statement, or a 4(3)エ post."""
    terms = terms_of(draft)
    if terms.is_emergency(draft.exemption):
        found = terms.exemption(draft.exemption)
        assert found is not None
        cited = terms.exemption_ref(draft.exemption)
        title = f"【緊急情報 {cited}】{ref(draft, version.number)}"
        text = f"{who(draft.author)}が{found.name}（{cited}）として投稿を登録しました。"
        if version.verdict == "block":
            # One verdict: the check's. Emergency posts are never held, but this text must
            # not go out as it is.
            text += (
                "決裁は不要ですが、チェックで掲載できない内容が見つかりました。"
                "作成者が指摘の箇所を直してから掲載するよう、必要に応じて声をかけてください。"
            )
        else:
            text += "緊急のため決裁を待たずに掲載できます。掲載後に事後報告が届きます。"
        if not registered:
            text += (
                "\n※ この区分の掲載ルールは事前に取り決められていません"
                f"（{terms.approval_clause}ただし書）。"
            )
        if version.findings and version.verdict != "block":
            text += "\n※ チェックで確認が必要な箇所があります。内容を確認してください。"
    else:
        title = f"【誤検知の説明】{ref(draft, version.number)}"
        text = (
            f"{who(draft.author)}の決裁不要（{terms.exemption_text(draft.exemption)}）の投稿で"
            "掲載できない内容が指摘されましたが、作成者は誤検知だと説明しています。内容を確認してください。"
        )
    return OutMessage(
        kind="draft.exempt_notice",
        title=title,
        text=text,
        fields=_draft_fields(draft, account, version),
        findings=finding_views(version.findings),
        quote=version.text,
        context=_context(draft, version),
    )


def receipt(
    draft: Draft,
    account: Account,
    version: DraftVersion,
    outcome: CheckOutcome,
    approvers: list[Person],
    *,
    edited: bool = False,
) -> OutMessage:
    """To the author right after submitting or editing."""
    verb = "修正" if edited else "登録"
    terms = terms_of(draft)
    emergency = terms.is_emergency(draft.exemption)
    cited = terms.exemption_ref(draft.exemption)
    state = label(draft.state, terms)
    if draft.state == State.EXEMPT and outcome.verdict == "block":
        state = "決裁不要（指摘の箇所を直してから掲載・掲載後に事後報告）"  # not 「掲載可」
    lines = [f"状態: {state}"]  # the title already says what was done
    if draft.exemption is None:
        lines.append(
            f"{terms.approver}の決裁（{terms.approval_clause}）を依頼しました: "
            + "、".join(who(p) for p in approvers)
            + "。"
        )
        if edited and version.number > 1:
            lines.append("本文を修正したため、前の版の承認は引き継がれません。")
    elif emergency and outcome.verdict == "block":
        # One verdict, stated once: never "すぐに掲載できます" beside 「掲載できない内容」.
        lines.append(
            f"緊急情報（{cited}）のため決裁は不要ですが、チェックで掲載できない内容が見つかりました"
            f"（{len(outcome.findings)}件）。指摘の箇所を［修正する］から直してから"
            f"掲載してください。{terms.approver}にも知らせました。"
        )
    elif emergency:
        lines.append(
            f"緊急情報（{cited}）のため、すぐに掲載できます。{terms.approver}にも知らせました。"
            "掲載後は速やかに［投稿しました（事後報告）］から事後報告をしてください。"
        )
    else:
        lines.append(
            f"決裁不要（{terms.exemption_text(draft.exemption)}）として登録しました。取り決めたルールに沿って掲載し、"
            f"掲載後は速やかに［投稿しました（事後報告）］から{terms.approver}へ事後報告をしてください。"
        )
    if version.false_positive_reason:
        lines.append(f"誤検知の説明は{terms.approver}に伝えられます。")
    if outcome.findings and not (emergency and outcome.verdict == "block"):
        lines.append(
            f"チェック結果: {VERDICT_LABELS[outcome.verdict]}（{len(outcome.findings)}件）"
        )
    return OutMessage(
        kind="draft.receipt",
        title=f"{ref(draft, version.number)}を{verb}しました",
        text="\n".join(lines),
        fields=[Field("アカウント", account.name)],
        findings=outcome.views(),
        actions=(
            _author_actions(draft, version, "request_changes")
            + _author_actions(draft, version, "exempt")
            if emergency and outcome.verdict == "block"
            else _author_actions(draft, version, "exempt")
            if draft.exemption
            else []
        ),
        context=_context(draft, version),
    )


def published(draft: Draft) -> OutMessage:
    """To the author after marking a post as published."""
    text = (
        f"掲載済みとして記録しました（{format_jst(draft.published_at)}、{draft.published_url}）。"
        if draft.published_at
        else ""
    )
    if draft.exemption is not None:
        text += (
            "\n決裁不要の投稿のため、速やかに［事後報告する］から"
            f"{terms_of(draft).approver}へ事後報告をしてください。"
        )
    actions = []
    if draft.exemption is not None:
        actions = [Action("draft.report", "事後報告する", {"draft_id": draft.id}, style="primary")]
    return OutMessage(
        kind="draft.published",
        title=f"{ref(draft)}を掲載済みにしました",
        text=text,
        actions=actions,
    )


def report_filed(
    draft: Draft, account: Account, version: DraftVersion, report: AfterReport
) -> OutMessage:
    """The after-posting report (事後報告, 4(3) ただし書) to the 所属長 and deputies."""
    terms = terms_of(draft)
    text = (
        f"{who(draft.author)}さんから、決裁不要（{terms.exemption_text(draft.exemption)}）で"
        f"掲載した投稿の事後報告です（{terms.approval_clause}ただし書）。"
    )
    if report.note:
        text += f"\n報告: {report.note}"
    fields = _draft_fields(draft, account, version)
    fields.append(
        Field("掲載日時", format_jst(draft.published_at) if draft.published_at else "不明")
    )
    if draft.published_url:
        fields.append(Field("掲載先", draft.published_url))
    return OutMessage(
        kind="report.filed",
        title=f"【事後報告】{ref(draft, version.number)}",
        text=text,
        fields=fields,
        findings=finding_views(version.findings),
        actions=[
            Action(
                "report.acknowledge",
                "確認しました",
                {"draft_id": draft.id, "report_id": report.id},
                style="primary",
            )
        ],
        quote=version.text,
        context=_context(draft, version),
    )


def report_acknowledged(
    draft: Draft, report: AfterReport, by: Person, *, for_author: bool
) -> OutMessage:
    """The report message once acknowledged (and the note to the author)."""
    when = format_jst(report.acknowledged_at) if report.acknowledged_at else ""
    return OutMessage(
        kind="report.acknowledged",
        title=f"【事後報告 確認済み】{ref(draft)}",
        text=(
            f"{who(by)}が{when}に事後報告を確認しました。"
            + ("この投稿の手続きは完了です。" if for_author else "")
        ),
    )


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(severity, severity)


def _line(s: Any, terms: Terms) -> str:
    planned = f"　掲載予定 {format_jst(s.planned_at)}" if s.planned_at else ""
    exempt = f"［決裁不要 {terms.exemption_ref(s.exemption)}］" if s.exemption else ""
    return f"#{s.id} {s.account_name} 第{s.version}版 {s.state_label}{exempt}{planned}\n    {s.excerpt}"


def _due(s: Any) -> str:
    """From when a 事後報告 is late: the publication, else the planned time."""
    if s.published_at is not None:
        return f"掲載 {format_jst(s.published_at)}"
    return f"掲載予定 {format_jst(s.planned_at)}"


def draft_list(summaries: list[Any], *, overdue: list[Any], terms: Terms) -> OutMessage:
    """The author's drafts with their states (``/drafts``)."""
    if not summaries:
        text = "下書きはまだありません。/draft で作成できます。"
    else:
        text = "\n".join(_line(s, terms) for s in summaries)
    if overdue:
        text += (
            f"\n\n事後報告が遅れている投稿（{terms.approval_clause}ただし書: 掲載後速やかに報告）:\n"
        ) + "\n".join(
            f"#{s.id} {s.account_name}（{_due(s)}）→ /report {s.id} 報告内容" for s in overdue
        )
    return OutMessage(kind="draft.list", title=f"あなたの下書き（{len(summaries)}件）", text=text)


def inbox(
    decisions: list[Any], reports: list[Any], registrations: Any = (), *, terms: Terms
) -> OutMessage:
    """Every decision this person owes (``/inbox``, App Home): drafts to decide and reports to
    acknowledge as 所属長 or deputy, 開設届 to confirm as 広報課長 (4(2))."""
    parts: list[str] = []
    registrations = list(registrations)
    if registrations:
        parts.append(
            f"{terms.registration_form}の確認待ち（{len(registrations)}件、{terms.confirmation_clause}）:\n"
            + "\n".join(
                f"{r.name}（{r.media}・{r.department}）"
                + (f"\n    提出者: {r.submitted_by}" if r.submitted_by else "")
                + (f"　提出 {format_jst(r.submitted_at)}" if r.submitted_at else "")
                + f"\n    確認: /account confirm {r.code}　差し戻し: /account return {r.code} 理由"
                for r in registrations
            )
        )
    if decisions:
        parts.append(
            f"決裁待ち（{len(decisions)}件）:\n"
            + "\n".join(
                f"{_line(s, terms)}\n    作成者: {s.author_name}（{s.author_handle}）"
                for s in decisions
            )
        )
    if reports:
        parts.append(
            f"事後報告の確認待ち（{len(reports)}件）:\n"
            + "\n".join(
                f"{_line(s, terms)}\n    作成者: {s.author_name}（{s.author_handle}）"
                for s in reports
            )
        )
    if not parts:
        parts.append("あなたの決裁や確認を待っているものはありません。")
    return OutMessage(kind="draft.inbox", title="あなたの対応待ち", text="\n\n".join(parts))
