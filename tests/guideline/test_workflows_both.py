"""The workflows run under either guideline file, and say what that file says.

Each test runs with the seed city's file (the default, nothing loaded) and with さくら町's
(loaded as a new version), and asserts what a user sees: the clause a finding cites, the
exemption labels, the approver's and the incident desk's titles, the checklist items.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from bot.accounts import posting_rules
from bot.audit.models import AuditEvent
from bot.directory import service as directory
from bot.drafts.models import Decision, Draft, DraftVersion
from bot.drafts.reminders import DraftSource
from bot.errors import NotFound, PermissionDenied
from bot.guideline import service
from bot.guideline.loader import DATA_DIR
from bot.incidents.models import Incident, ModeratedComment
from handlers.console.testing import TestBot

PHONE = "問い合わせは090-1234-5678まで。"


@dataclass(frozen=True)
class City:
    file: str | None  # None: nothing loaded (the shipped default)
    version: str
    pii: str  # where the city cites personal information
    not_pii: str  # the other city's citation: must not appear
    short: str  # what the finding message calls the guideline
    approver: str
    approval: str  # the clause of prior approval
    emergency: str  # the exemption label that is never held
    published: str  # the exemption label that needs evidence
    unknown: str  # a label the city does not have
    labels: str
    desk: str
    first_step: str  # the first 炎上 checklist item
    confirmer: str  # who confirms a new account
    form: str  # what the form to the confirmer is called
    confirmation: str  # the clause of that confirmation
    policy_items: str  # the account-policy items, cited as a range
    org_item: str  # the label of the item 管理主体 belongs to
    manager_item: str  # the item the account's manager belongs to, cited
    contact: str  # the clause of the profile's contact details
    publication: str  # the clause of the published list
    foreign: tuple[str, ...]  # the other file's words: never shown
    personal: str  # the chapter of /check's personal-account reminders
    first_reminder: str  # the clause of the first of them
    rights: str  # the clauses a photo of a person touches
    incident_flaming: str = "6(3)"  # the clause of 炎上
    forbidden: str = "7(1)"  # the list of what must not be posted
    last_forbidden: str = "サ"  # its last item's label
    comment_deletion: str = "6(2)"  # the clause of deleting a third party's comment
    correction: str = "6(1)"


MATSUMOTO = City(
    None,
    "Ver1.00",
    "7(1)エ",
    "5(1)エ",
    "ガイドライン7(1)エ",
    "所属長",
    "4(3)",
    "エ",
    "ア",
    "甲",
    "ア・イ・ウ・エ",
    "情報政策課",
    "職員個人の判断で反論・抗弁をしない",
    confirmer="広報課長",
    form="開設届",
    confirmation="4(2)",
    policy_items="4(1)ア〜キ",
    org_item="ア",
    manager_item="4(1)キ",
    contact="5(4)",
    publication="5(5)",
    foreign=("企画課長", "開設確認申請書", "所管課長", "2(1)", "2(2)", "3(2)", "運用指針"),
    personal="7",
    first_reminder="7(2)オ",
    rights="7(1)ク、7(2)ア",
)
SAKURA = City(
    "sakura-town-2.1.yaml",
    "第2.1版",
    "5(1)エ",
    "7(1)エ",
    "運用指針5(1)エ",
    "所管課長",
    "3(2)",
    "甲",
    "乙",
    "エ",
    "甲・乙",
    "総務課情報係",
    "担当者個人で反論しないよう周知した",
    confirmer="企画課長",
    form="開設確認申請書",
    confirmation="2(2)",
    policy_items="2(1)一〜五",
    org_item="一",
    manager_item="2(1)五",
    contact="2(3)",
    publication="2(4)",
    foreign=(
        "広報課長",
        "開設届",
        "所属長",
        "4(1)",
        "4(2)",
        "4(3)",
        "5(4)",
        "5(5)",
        "ガイドライン",
    ),
    personal="6",
    first_reminder="6(1)",
    rights="5(1)ク、5(3)",
    incident_flaming="4(2)",
    forbidden="5(1)",
    last_forbidden="シ",
    comment_deletion="4(4)",
    correction="4(1)",
)


def load(factory, name: str, clock) -> None:
    with factory() as s:
        service.record_load(
            s, raw=(DATA_DIR / name).read_bytes(), source=name, actor="system", clock=clock
        )
        s.commit()


@pytest.fixture(params=[MATSUMOTO, SAKURA], ids=["matsumoto", "sakura"])
def city(request) -> City:
    c: City = request.param
    return c


@pytest.fixture
def bot(factory, clock, city):
    # The demo directory first (its posting rules use the seed's labels, kept as history),
    # then the city's guideline as the version in force.
    testbot = TestBot(factory, clock=clock)
    if city.file is not None:
        load(factory, city.file, clock)
    return testbot


def test_blocked_submission_cites_the_citys_clause(bot, city, factory):
    bot.push("sato", f"/draft {PHONE}")
    refused = bot.pop("sato")
    assert refused.kind == "error"
    assert city.pii in refused and city.not_pii not in refused
    assert city.short in refused  # the rule's message, renumbered
    bot.push("sato", f'/draft fp="観光案内所の公開番号です" {PHONE}')
    receipt = bot.pop("sato")
    assert f"誤検知の説明は{city.approver}に伝えられます" in receipt
    request = bot.pop("yamada", kind="draft.approval_request")
    assert f"決裁依頼です（{city.approval}）" in request and city.pii in request
    with factory() as s:
        version = s.scalars(sa.select(DraftVersion)).one()
        assert [f["clause"] for f in version.findings] == [city.pii]
        assert [f["check"] for f in version.findings] == ["7(1)エ"]
        assert version.guideline_version == city.version
        event = s.scalars(sa.select(AuditEvent).where(AuditEvent.action == "draft.submitted")).one()
        assert event.data["guideline"]["version"] == city.version
        assert event.data["findings"][0]["clause"] == city.pii


def test_submit_approve_publish(bot, city, factory):
    bot.push("sato", "/draft account=kanko-x 桜まつりを4月5日に開催します。")
    receipt = bot.pop("sato")
    assert f"{city.approver}の決裁（{city.approval}）を依頼しました" in receipt
    n = receipt.draft_id
    request = bot.pop("yamada", kind="draft.approval_request")
    assert f"なし（{city.approver}の決裁が必要）" in request
    bot.push("yamada", f"/approve {n}")
    assert "承認されました" in bot.pop("sato", kind="draft.decided").title
    bot.push("sato", f"/published {n} https://x.com/midori_kanko_demo/status/1")
    assert "掲載済み" in bot.pop("sato")
    with factory() as s:
        assert s.get(Draft, n).state == "published"
        assert s.get(Draft, n).guideline_version == city.version


def test_exempt_post_report_and_acknowledge(bot, city, factory, clock):
    with factory() as s:
        posting_rules.register_rule(
            s,
            actor=directory.get_person(s, handle="yamada"),
            code="kanko-x",
            category=city.published,
            rule_text="掲載済みの内容は掲載ページの URL を添えて投稿する。",
            clock=clock,
        )
        s.commit()
    ref = f"{city.approval}{city.published}"
    bot.push("sato", f"/draft exempt={city.published} 菊まつりは11月3日です。")
    assert "根拠を入力してください" in bot.pop("sato", kind="error")
    assert f"掲載ルール（{ref}）の登録" in bot.pop("sato", kind="account.rule_changed").title
    bot.push(
        "sato",
        f"/draft exempt={city.published} evidence=https://www.city.example/kiku "
        "菊まつりは11月3日です。",
    )
    receipt = bot.pop("sato")
    assert f"決裁不要（{ref} " in receipt and f"{city.approver}へ事後報告" in receipt
    n = receipt.draft_id
    bot.push("sato", f"/report {n} url=https://x.com/midori_kanko_demo/status/9 掲載しました。")
    report = bot.pop("yamada", kind="report.filed")
    assert f"（{city.approval}ただし書）" in report and ref in report
    bot.push("yamada", f"/ack {n}")
    assert "確認済み" in bot.pop("sato", kind="report.acknowledged").title


def test_emergency_category_is_never_held(bot, city):
    ref = f"{city.approval}{city.emergency}"
    bot.push("sato", f"/draft exempt={city.emergency} 避難所を開設しました。")
    receipt = bot.pop("sato")
    assert f"緊急情報（{ref}）のため、すぐに掲載できます" in receipt
    notice = bot.pop("yamada", kind="draft.exempt_notice")
    assert f"【緊急情報 {ref}】" in notice.title


def test_a_label_of_another_guideline_is_refused(bot, city, factory):
    bot.push("sato", f"/draft exempt={city.unknown} 避難所を開設しました。")
    refused = bot.pop("sato", kind="error")
    assert f"{city.approval}ただし書の{city.labels}のいずれか" in refused
    with factory() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


def test_incident_checklist_and_desk_follow_the_file(bot, city, factory):
    bot.push("sato", "/incident 炎上 kanko-x 開催日の誤りに批判が集まっています")
    declared = bot.pop("sato", kind="incident.declared")
    assert f"{city.desk}のチャンネル" in declared
    with factory() as s:
        incident = s.scalars(sa.select(Incident)).one()
        assert incident.items[0].label.startswith(city.first_step)
        assert incident.guideline_version == city.version
        n = incident.id
    bot.push("sato", f"/incident show {n}")
    shown = bot.pop("sato", kind="incident.detail")
    assert city.first_step in shown
    bot.push("watanabe", f"/incident tick {n} 1")
    assert city.first_step in bot.pop("watanabe", kind="incident.ack").title
    bot.push("watanabe", f"/incident close {n} 訂正を掲載し、収束しました")
    assert "終了しました" in bot.pop("watanabe", kind="incident.ack").title
    with factory() as s:
        incident = s.scalars(sa.select(Incident)).one()
        assert incident.status == "closed" and incident.items[0].done_at is not None


def test_loading_a_new_version_never_rewrites_history(factory, clock):
    bot = TestBot(factory, clock=clock)
    bot.push("sato", f'/draft fp="観光案内所の公開番号です" {PHONE}')
    n = bot.pop("sato").draft_id
    load(factory, "sakura-town-2.1.yaml", clock)
    bot.clear()
    # The old draft, decided after the load: still cited and labelled as checked then.
    bot.push("yamada", f"/reject {n} 番号を削除してください")
    closed = bot.pop("yamada", kind="draft.approval_closed")
    assert "チェックした版" in closed and "Ver1.00" in closed
    with factory() as s:
        old = s.scalars(sa.select(DraftVersion).where(DraftVersion.draft_id == n)).one()
        assert old.guideline_version == "Ver1.00"
        decision = s.scalars(sa.select(Decision).where(Decision.draft_id == n)).one()
        assert decision.guideline_version == "第2.1版"  # decided under the version in force
        decided = s.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "draft.rejected")
        ).one()
        assert decided.data["guideline"]["version"] == "第2.1版"
        assert [f["clause"] for f in old.findings] == ["7(1)エ"]
    # A new draft is checked under the new version.
    bot.push("sato", f"/draft {PHONE}")
    refused = bot.pop("sato", kind="error")
    assert "5(1)エ" in refused and "7(1)エ" not in refused


def shown(received, city: City):
    """``received`` as staff read it, after checking that it uses none of the other file's words."""
    text = str(received)
    leaked = [w for w in city.foreign if w in text]
    assert not leaked, f"{leaked} in:\n{text}"
    return text


def titles_only(received, city: City):
    """``shown`` for a message citing さくら町's section 4 (its 4(1) 訂正 and 4(2) 炎上 are
    the seed's ids of other clauses): only the other file's titles are looked for."""
    text = str(received)
    titles = ("情報政策課", "総務課情報係", "所属長", "所管課長", "ガイドライン", "運用指針")
    leaked = [w for w in titles if w in text and w not in (city.desk, city.approver, city.short)]
    assert not leaked, f"{leaked} in:\n{text}"
    return text


NEW_ACCOUNT = (
    '/account new code=kanko-fb department=kanko organisation="みどり市 観光課" '
    "purpose=観光の情報発信 information=イベント情報 response=個別には返信しません "
    "media=Facebook name=みどり市観光課Facebook url=https://www.facebook.com/midori.kanko.demo "
    "start_date=2026-04-01 manager=sato"
)


def test_account_registration_speaks_the_files_words(bot, city):
    bot.push("sato", "/account new")  # the guided form, then the lines that fill it
    template = bot.pop("sato", kind="account.form")
    assert f"運用ポリシー {city.policy_items}" in shown(template, city)
    assert f"（公式アカウントの管理者・{city.manager_item}）" in shown(template, city)
    bot.push("sato", "/cancel")
    bot.clear()

    bot.push("sato", NEW_ACCOUNT)
    registered = shown(bot.pop("sato"), city)
    assert f"{city.form}はまだ提出されていません" in registered
    assert f"{city.confirmer}へ提出してください（{city.confirmation}）" in registered
    bot.push("sato", "/account submit kanko-fb")
    assert f"{city.confirmer}の高橋 誠（takahashi）に{city.form}（#" in shown(bot.pop("sato"), city)

    request = bot.pop("takahashi", kind="account.registration")
    assert request.title.startswith(f"公式アカウント{city.form}: ")
    text = shown(request, city)
    assert f"{city.confirmer}の確認を受けてから" in text and city.policy_items in text
    labels = [f.label for f in request.message.fields]
    assert f"{city.org_item} 管理主体" in labels

    bot.push("takahashi", "/account confirm kanko-fb")
    confirmed = bot.pop("takahashi")
    assert confirmed.title.startswith(f"{city.form}を確認しました") and shown(confirmed, city)
    decided = bot.pop("sato", kind="account.decision")
    text = shown(decided, city)
    assert f"{city.confirmer}の高橋 誠（takahashi）が" in text
    assert f"（{city.confirmation}）" in text
    assert f"{city.contact} 運用組織・連絡先、{city.publication} " in text

    bot.push("sato", f"/account check kanko-fb {city.contact}")
    checked = bot.pop("sato")
    assert checked.title.startswith(f"{city.contact} 基本情報欄に運用組織") and shown(checked, city)

    bot.push("sato", "/account show kanko-fb")
    detail = bot.pop("sato", kind="account.detail")
    shown(detail, city)
    labels = [f.label for f in detail.message.fields]
    assert labels[-2:] == [
        f"{city.contact} 基本情報欄に運用組織・連絡先を明示している",
        f"{city.publication} 基本情報欄に市ホームページの当該ページURLを掲載している",
    ]
    rules = [label for label in labels if label.startswith("掲載ルール ")]
    assert rules == [f"掲載ルール {city.approval}{x}" for x in city.labels.split("・")]
    assert f"{city.form}（{city.confirmation}）" in labels


def test_account_usage_and_refusals_follow_the_file(bot, city):
    bot.push("sato", "/account help")
    usage = shown(bot.pop("sato", kind="account.help"), city)
    assert f"（{city.form}を{city.confirmer}へ提出、{city.confirmation}）" in usage
    assert f"（{city.confirmer}のみ）" in usage
    assert f"（{city.approval}ただし書の掲載ルール、{city.approver}のみ）" in usage
    assert f"{city.contact}|{city.publication}" in usage
    bot.push("sato", "/account confirm kanko-insta")
    refused = shown(bot.pop("sato"), city)
    assert (
        f"確認・差し戻しできるのは{city.confirmer}だけです（{city.short[: -len(city.pii)]}"
        in refused
    )


def test_help_names_the_files_clauses_and_roles(bot, city):
    bot.push("sato", "/help")
    listing = shown(bot.pop("sato"), city)
    assert f"事後報告を{city.approver}へ提出する（{city.approval}ただし書）" in listing
    assert f"下書きを承認する（{city.approver}・代理）" in listing
    assert f"公式アカウントの登録・{city.form}・掲載ルール" in listing
    bot.push("sato", "/help draft")
    assert f"チェックして決裁へ回す（{city.approval}）" in shown(bot.pop("sato"), city)


def test_check_adds_the_files_personal_account_reminders(bot, city):
    bot.push("sato", "/check 今日は菊まつりの準備をしています。")
    result = shown(bot.pop("sato", kind="check.result"), city)
    assert f"個人アカウントで発信する場合の留意点（{city.personal}）:" in result
    assert f"・{city.first_reminder}: " in result
    assert "（勤務時間: 平日 08:30〜17:15（日本時間、祝日・年末年始を除く））" in result


def test_photo_refusal_cites_the_files_clauses(bot, city):
    bot.push("sato", "/draft photo=identifiable 菊まつりの来場者の写真です。")
    refused = shown(bot.pop("sato", kind="error"), city)
    assert f"了解が必要です（{city.rights}）" in refused and "consent=yes" in refused


def test_emergency_reminder_runs_on_the_wall_clock_and_speaks_the_file(
    session, factory, clock, city
):
    from bot.scheduler.service import build_digest, build_plan, sweep
    from bot.scheduler.settings import ReminderSettings
    from tests.scheduler.conftest import jst, make_draft, make_world, sent_to

    if city.file is not None:
        load(factory, city.file, clock)
    world = make_world(session)
    settings = ReminderSettings(_env_file=None)  # type: ignore[call-arg]
    plan = build_plan(settings, [DraftSource(settings)])
    # The never-held category, posted on a Saturday night: reminded an hour later, at night.
    make_draft(
        session,
        world,
        state="report_due",
        exemption=city.emergency,
        submitted=jst("2026-11-07 22:30"),
        planned_at=jst("2026-11-07 23:00"),
    )
    clock.set(jst("2026-11-08 00:00"))
    assert sweep(factory, plan=plan, worker="w1", clock=clock).sent == 1
    [reminder] = sent_to(session, "sato")
    text = reminder.message["text"]
    assert f"{city.approval}ただし書により" in text and f"{city.approver}へ事後報告" in text
    assert not [w for w in city.foreign if w in text]
    fields = {f["label"]: f["value"] for f in reminder.message["fields"]}
    assert fields["決裁不要の区分"] == f"{city.approval}{city.emergency}"
    digest = build_digest(session, plan=plan, now=jst("2026-11-08 03:00"))
    labels = [f.label for f in digest.fields]
    assert f"事後報告なし・緊急情報（{city.approval}{city.emergency}）" in labels


def test_the_incident_thread_names_the_reporter_as_staff_name_people(bot, city):
    bot.push("sato", "/incident 炎上 kanko-x 開催日の誤りに批判が集まっています")
    root = bot.pop("#info_policy", kind="incident.opened")
    assert "報告者: 佐藤 美咲（sato）" in root
    assert f"{city.short[: -len(city.pii)]}{city.incident_flaming}による対応チェックリスト" in root


def test_incident_usage_and_deleted_comments_follow_the_file(bot, city, factory):
    bot.push("sato", "/incident help")
    usage = shown(bot.pop("sato", kind="incident.usage"), city)
    assert f"終了（{city.desk}・{city.approver}のみ）" in usage
    assert f"事案を報告（{city.short[: -len(city.pii)]}{city.incident_flaming[0]}）" in usage
    assert (
        f"理由({city.forbidden}ア〜{city.last_forbidden}) 内容 … 削除した書き込みの記録"
        f"（{city.comment_deletion}）"
    ) in usage
    bot.push("sato", "/incident comment kanko-x")
    example = shown(bot.pop("sato", kind="error"), city)
    assert f"/incident comment アカウント {city.forbidden}イ " in example
    other = "5(1)" if city.forbidden == "7(1)" else "7(1)"
    bot.push("sato", f"/incident comment kanko-x {other}イ 差別的な書き込み")
    refused = shown(bot.pop("sato", kind="error"), city)
    assert f"{city.forbidden}のア〜{city.last_forbidden}（例: {city.forbidden}イ）で指定" in refused
    bot.push("takahashi", f"/incident comment kanko-x {city.forbidden}イ 差別的な書き込み")
    denied = shown(bot.pop("takahashi", kind="error"), city)
    assert (
        f"{city.approver}（代理を含む）、{city.desk}のみです（{city.comment_deletion}）" in denied
    )
    bot.push("sato", f"/incident comment kanko-x {city.forbidden}イ 差別的な書き込み")
    recorded = bot.pop("sato", kind="incident.comment_recorded")
    assert f"書き込み削除を記録しました（{city.comment_deletion}）" in shown(recorded, city)
    bot.push("sato", "/incident comment kanko-x シ 合成した画像を明示せずに掲載")
    if city.last_forbidden == "シ":  # the town's added clause is an item of its list
        assert "5(1)シ" in shown(bot.pop("sato", kind="incident.comment_recorded"), city)
    else:
        assert "7(1)のア〜サ" in shown(bot.pop("sato", kind="error"), city)
    with factory() as s:
        whys = sorted(c.why for c in s.scalars(sa.select(ModeratedComment)))
    assert whys == [f"{city.forbidden}イ", *(["5(1)シ"] if city.last_forbidden == "シ" else [])]


def test_incident_permissions_and_responses_follow_the_file(bot, city, factory):
    bot.push("sato", "/incident 炎上 kanko-x 開催日の誤りに批判が集まっています")
    bot.pop("sato", kind="incident.declared")
    with factory() as s:
        n = s.scalars(sa.select(Incident.id)).one()
    bot.push("sato", f"/incident close {n} 収束しました")
    refused = titles_only(bot.pop("sato", kind="error"), city)
    assert (
        f"終了できるのは、{city.desk}または観光課の{city.approver}（代理を含む）のみです"
        f"（{city.incident_flaming}）" in refused
    )
    bot.push("takahashi", f"/incident update {n} 状況です")
    denied = shown(bot.pop("takahashi", kind="error"), city)
    assert (
        f"報告者・{city.approver}（代理を含む）・公式アカウント管理者/担当者・{city.desk}のみ"
        in denied
    )
    bot.push("sato", f"/incident respond {n} 宣伝 お知らせです")
    purpose = titles_only(bot.pop("sato", kind="error"), city)
    assert f"いずれかを指定してください（{city.correction}・{city.incident_flaming}）" in purpose


def test_custody_speaks_the_files_words(bot, city, factory, clock):
    from bot.custody import transfers
    from bot.db import transaction

    credentials = "5(10)" if city.file is None else "3(5)"
    bot.push("sato", "/custody help")
    assert f"（認証情報の管理・{credentials}）" in shown(bot.pop("sato", kind="custody.help"), city)
    bot.push(
        "sato", '/custody medium kanko-x label=ICカード1 kind=ic_card storage="金庫 Hn7#kq2Lp9"'
    )
    refused = shown(bot.pop("sato", kind="error"), city)
    assert f"認証情報そのものは記録しません（{credentials}）" in refused
    assert "Hn7#kq2Lp9" not in refused
    bot.push("sato", "/custody set kanko-x holder=sato twofa=on twofa_method=app")
    bot.pop("sato")
    bot.push("suzuki", "/custody confirm kanko-x")
    denied = shown(bot.pop("suzuki", kind="error"), city)
    assert (
        f"観光課の{city.approver}または代理、認証情報の管理者、システム管理者です（{credentials}）"
        in denied
    )

    # A transfer list may name the head by the approver's title; the plan speaks it too.
    with transaction(factory) as session, pytest.raises(transfers.TransferError) as err:
        transfers.plan(
            session,
            f"person,from,to,effective,role\nyamada,kanko,kouhou,2027-04-01,\n"
            f"kato,kanko,kanko,2027-04-01,{city.approver}\nsato,kanko,kanko,2027-04-01,部長\n",
            kind="csv",
        )
    assert f"（head＝{city.approver}、deputy＝代理、空欄＝職員）" in err.value.message
    with transaction(factory) as session:
        plan = transfers.plan(
            session,
            f"person,from,to,effective,role\nyamada,kanko,kouhou,2027-04-01,\n"
            f"kato,kanko,kanko,2027-04-01,{city.approver}\n",
            kind="csv",
        )
    described = "\n".join(plan.lines)
    assert f"観光課（{city.approver}）" in described
    assert f"観光課の{city.approver}が交代します" in described
    assert not [w for w in city.foreign if w in described]


def test_draft_refusals_and_the_directory_speak_the_files_words(bot, city, factory):
    bot.push("sato", "/draft account=kanko-x 桜まつりを4月5日に開催します。")
    n = bot.pop("sato").draft_id
    bot.push("sato", f"/published {n} https://x.com/midori_kanko_demo/status/1")
    refused = shown(bot.pop("sato", kind="error"), city)
    assert f"{city.approver}の決裁（{city.approval}）が済むまで掲載できません" in refused
    bot.push("yamada", f"/approve {n}")
    bot.push("sato", f"/report {n} url=https://x.com/midori_kanko_demo/status/1 掲載しました。")
    refused = shown(bot.pop("sato", kind="error"), city)
    assert f"この下書きは{city.approver}の決裁を受けているため、事後報告は不要です" in refused
    with factory() as s:
        # The demo account's own name says 開設届: data, not the bot's words.
        listing = shown(directory.describe(s).replace("（開設届提出中）", ""), city)
        assert f"kanko: 観光課　{city.approver}: 山田 花子（yamada）" in listing
        assert f"決裁不要 {city.approval}ア: " in listing  # the demo's rules keep the seed's labels
        assert f"  {city.confirmer}: 高橋 誠（takahashi）" in listing
        assert f"  {city.desk}: 伊藤 由紀（ito）、渡辺 大輔（watanabe）" in listing
        with pytest.raises(NotFound) as err:
            directory.get_person(s, handle="nobody")
        assert f"名簿の管理者（{city.desk}）に登録を依頼してください" in err.value.message


def test_desk_only_refusals_name_the_files_desk(bot, city, factory, clock):
    from bot.feedback import service as feedback
    from handlers.teams.core_adapter import TeamsCore

    with factory() as s:
        sato = directory.get_person(s, handle="sato")
        with pytest.raises(PermissionDenied) as err:
            feedback.revoke_allowance(s, allowance_id=1, actor=sato)
        assert f"許容設定を変更できるのは{city.desk}の担当者だけです" in err.value.message
        assert f"必要な場合は{city.desk}に依頼してください" in err.value.message
        with pytest.raises(PermissionDenied) as err:
            service.record_load(
                s,
                raw=(DATA_DIR / "sakura-town-2.1.yaml").read_bytes(),
                source="t.yaml",
                actor="sato",
            )
        assert f"読み込めるのは管理者と{city.desk}の担当者だけです" in err.value.message
    core = TeamsCore(factory, clock=clock)
    assert f"名簿の管理者（{city.desk}）に Teams のアカウントの登録を依頼" in core.not_registered()
    welcome = core.welcome(known=False).replace("SNSガイドラインボット", "")  # the product
    assert f"{city.approver}への決裁依頼" in welcome and not [
        w for w in city.foreign if w in welcome
    ]


def test_slack_and_teams_guides_and_forms_speak_the_files_words(bot, city, factory, clock):
    import json

    from bot import forms
    from bot.custody import api as custody_api
    from bot.guideline import terms as guideline_terms
    from bot.interaction import Actor
    from handlers.slack import render
    from handlers.teams import forms as teams_forms
    from handlers.teams.core_adapter import TeamsCore

    credentials = "5(10)" if city.file is None else "3(5)"
    with factory() as s:
        terms = guideline_terms.in_force(s)
    home = json.dumps(render.home_view(terms=terms), ensure_ascii=False)
    assert f"内容チェックのうえ{city.approver}の決裁に回します" in home
    assert f"公式アカウントの登録・{city.form}の提出" in home
    assert not [w for w in city.foreign if w in home.replace("SNSガイドライン確認ボット", "")]

    sato = Actor("console", "sato")
    opened = forms.incident_form(factory, actor=sato)
    assert opened.incident is not None
    modal = json.dumps(render.incident_modal(opened.incident), ensure_ascii=False)
    assert f"炎上は{city.incident_flaming}、" in modal

    form = custody_api.form(factory, actor=sato, code="kanko-x", clock=clock)
    assert isinstance(form, custody_api.CustodyForm)
    slack = json.dumps(render.custody_modal(form), ensure_ascii=False)
    assert f"記録します（{city.short[: -len(city.pii)]}{credentials}）" in slack
    card = teams_forms.custody_card(form).model_dump_json()
    assert f"記録します（{credentials}）" in card

    guide = TeamsCore(factory, clock=clock).help_text()
    assert f"投稿案を作成して決裁へ（{city.approval}）" in guide
    assert f"exempt={city.labels.replace('・', '|')}" in guide
    assert f"公式アカウントの登録・一覧（{city.policy_items[:4]}、{city.confirmation}）" in guide
    assert f"認証情報の管理状況と異動の引継ぎ（{credentials}）" in guide
    content, incidents = ("7", "6") if city.file is None else ("5", "4")
    assert f"投稿前の内容チェック（{content}）：" in guide
    assert f"炎上・なりすまし・訂正の対応（{incidents}）：/incident 炎上|なりすまし|訂正 " in guide


def test_short_url_refusal_cites_the_files_clause(bot, city):
    short_url = "5(9)" if city.file is None else "3(4)"
    bot.push("sato", "/draft account=kanko-x 桜まつりを4月5日に開催します。")
    n = bot.pop("sato").draft_id
    bot.push("yamada", f"/approve {n}")
    bot.push("sato", f"/published {n} https://t.co/abc123")
    refused = bot.pop("sato", kind="error")
    assert f"原則として利用しません（{short_url}）" in refused


def test_the_audit_heads_daily_copy_cites_the_files_records_clause(bot, city, factory, clock):
    from bot.audit.checkpoints import publish_head

    records = "5(11)" if city.file is None else "3(6)"
    with factory() as s:
        row = publish_head(s, channel="info_policy", clock=clock)
        assert row is not None
        assert f"監査ログ（公文書の記録、{records}）の現在の末尾です" in row.message["text"]
