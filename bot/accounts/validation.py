"""Field definitions and pure validation for the 運用ポリシー form (4(1)ア〜キ).

Nothing here touches the database: checks that need the directory (departments,
people, duplicate URLs) live in ``bot.accounts.service``. Every message is Japanese and
names the clause it serves, so a form on any platform can show it next to the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlsplit, urlunsplit

from bot.directory.service import normalise_handle
from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms
from bot.text import visible_or_empty
from rules.shorteners import CLAUSE as SHORT_URL_CHECK  # the check's category key


@dataclass(frozen=True)
class FormField:
    """One input of the registration form, for console, Slack modals and Teams cards."""

    key: str
    label: str  # Japanese label
    clause: str  # guideline clause it serves ("" here: ``form_fields`` fills it from the file)
    hint: str = ""  # Japanese placeholder / example
    multiline: bool = False
    required: bool = True


FIELDS: tuple[FormField, ...] = (
    FormField("code", "アカウントコード", "", "半角英小文字・数字・ハイフン（例: kouhou-x）"),
    FormField("department", "所管課（課コード）", "", "名簿の課コード（例: kouhou）"),
    FormField("organisation", "管理主体", "", "例: 松本市 政策部 広報課"),
    FormField("purpose", "利用目的", "", "", multiline=True),
    FormField("information", "発信する情報", "", "", multiline=True),
    FormField(
        "response",
        "受信した情報への対応",
        "",
        "例: コメントには原則として個別に返信しません",
        multiline=True,
    ),
    FormField("media", "ソーシャルメディアの種類", "", "例: X, Facebook, Instagram, LINE"),
    FormField("name", "公式アカウント名", "", ""),
    FormField("url", "登録URL", "", "https:// で始まる、そのメディアのURL"),
    FormField("start_date", "運用開始日", "", "YYYY-MM-DD（例: 2026-04-01）"),
    FormField("manager", "公式アカウントの管理者", "", "名簿のハンドル"),
    FormField(
        "operators",
        "公式アカウントの担当者",
        "",
        "名簿のハンドルをカンマ区切りで（例: suzuki,tanaka）",
        required=False,
    ),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}


def form_fields(terms: Terms | None = None) -> tuple[FormField, ...]:
    """``FIELDS``, each citing the account-policy item of ``terms`` it belongs to (「4(1)カ」)."""
    terms = terms or _default_terms()
    return tuple(replace(f, clause=terms.policy_ref(f.key)) for f in FIELDS)


def _default_terms() -> Terms:
    return guideline_terms.of(default_guideline())


# Japanese labels and short aliases accepted as keys on the console (``管理主体=...``).
KEY_ALIASES: dict[str, str] = {
    **{f.label: f.key for f in FIELDS},
    "コード": "code",
    "所管課": "department",
    "課": "department",
    "メディア": "media",
    "アカウント名": "name",
    "URL": "url",
    "開始日": "start_date",
    "管理者": "manager",
    "担当者": "operators",
    "operator": "operators",
    "start": "start_date",
    "dept": "department",
    "organization": "organisation",
}


@dataclass(frozen=True)
class Media:
    """A social-media service the city may use, and the web domains its pages live on."""

    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    # The platform's own short-link domains: real, but 5(9) keeps short links out.
    short_domains: tuple[str, ...] = ()
    # Whether every post's URL lies under the account's page (x.com/<account>/status/…).
    posts_under_account: bool = False


MEDIA: tuple[Media, ...] = (
    Media(
        "X",
        ("x.com", "twitter.com"),
        ("twitter", "ツイッター", "エックス", "x（旧twitter）"),
        short_domains=("t.co",),
        posts_under_account=True,
    ),
    Media("Facebook", ("facebook.com",), ("フェイスブック",), short_domains=("fb.me", "fb.watch")),
    Media(
        "Instagram",
        ("instagram.com",),
        ("インスタグラム", "インスタ"),
        short_domains=("instagr.am",),
    ),
    Media("LINE", ("line.me",), ("ライン",), short_domains=("lin.ee",)),
    Media("YouTube", ("youtube.com",), ("ユーチューブ",), short_domains=("youtu.be",)),
    Media(
        "TikTok",
        ("tiktok.com",),
        ("ティックトック",),
        short_domains=("vt.tiktok.com", "vm.tiktok.com"),
        posts_under_account=True,
    ),
    Media("note", ("note.com",), ("ノート",), posts_under_account=True),
    Media("Threads", ("threads.net", "threads.com"), ("スレッズ",), posts_under_account=True),
    Media("Bluesky", ("bsky.app",), ("ブルースカイ",), posts_under_account=True),
)
_MEDIA_LOOKUP: dict[str, Media] = {}
for _m in MEDIA:
    for _alias in (_m.name, *_m.aliases):
        _MEDIA_LOOKUP[_alias.casefold()] = _m
# A URL's host is compared without these prefixes (www.x.com == x.com).
_HOST_PREFIXES = ("www.", "m.", "mobile.")
_CANONICAL_DOMAIN = {"twitter.com": "x.com", "threads.com": "threads.net"}

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")
HANDLE_SPLIT_RE = re.compile(r"[\s,、，]+")
_DATE_RE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*$")


def media_names() -> str:
    """The known media, for messages: "X、Facebook、…"."""
    return "、".join(m.name for m in MEDIA)


def find_media(value: str) -> Media | None:
    """The known media a user's spelling names, or None."""
    return _MEDIA_LOOKUP.get(value.strip().casefold())


def media_for(name: str) -> Media | None:
    """The media with this canonical name (as stored on ``Account.media``)."""
    return next((m for m in MEDIA if m.name == name), None)


def _bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def _host_on(host: str, domains: tuple[str, ...]) -> str | None:
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def canonical_url(url: str) -> str:
    """The URL as stored: https, lower-case host without www., no trailing slash or fragment."""
    parts = urlsplit(url.strip())
    host = _bare_host(parts.hostname or "")
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, parts.query, ""))


def url_key(url: str) -> str:
    """Comparison key for duplicate URLs: case, trailing slash, www. and x.com/twitter.com."""
    parts = urlsplit(url.strip().lower())
    host = _bare_host(parts.hostname or "")
    host = _CANONICAL_DOMAIN.get(host, host)
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, parts.query, ""))


def check_url(url: str, media: Media | None, terms: Terms | None = None) -> str | None:
    """A Japanese message if ``url`` is not an https page of ``media``, else None."""
    value = url.strip()
    if not value:
        cited = (terms or _default_terms()).policy_ref("url")
        return f"登録URLを入力してください{f'（{cited}）' if cited else ''}。"
    if any(ch.isspace() for ch in value):
        return "登録URLに空白が含まれています。"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return "登録URLの形式が正しくありません。"
    if parts.scheme.lower() != "https":
        return "登録URLは https:// で始まるURLにしてください。"
    if not parts.hostname or parts.username or parts.password or port not in (None, 443):
        return "登録URLの形式が正しくありません。"
    if media is None:
        return None  # the media field carries the error
    short = _short_link(_bare_host(parts.hostname), media, terms or _default_terms())
    if short is not None:
        return short
    if _host_on(_bare_host(parts.hostname), media.domains) is None:
        return (
            f"登録URLが{media.name}のURLではありません"
            f"（{media.name}のURLは {'、'.join(media.domains)} です）。"
        )
    if not parts.path.strip("/"):
        return (
            f"登録URLには{media.name}のトップページではなく、アカウントのページを指定してください。"
        )
    return None


def _short_link(host: str, media: Media, terms: Terms) -> str | None:
    """The 5(9) refusal for the platform's own short link (lin.ee, youtu.be…), else None;
    it cites the clause of ``terms`` that the short-URL check enforces."""
    domain = _host_on(host, media.short_domains)
    if domain is None:
        return None
    cited = terms.cite(SHORT_URL_CHECK) or terms.short_name
    return (
        f"{domain} は{media.name}の短縮URLのため登録できません。短縮URLは本来のリンク先が分からず、"
        f"利用者に不安を与えるおそれがあるため、原則として利用しません（{cited}）。"
        f"{'、'.join(media.domains)} で始まる本来のURLを入力してください。"
    )


def check_post_url(
    url: str, *, media_name: str, account_url: str | None, terms: Terms | None = None
) -> str | None:
    """A Japanese message if ``url`` cannot be where this account published a post, else None.

    https only; on the account's own platform; no short link (5(9)); and, on platforms whose
    post URLs lie under the account's page (X, TikTok, note, Threads, Bluesky), under the
    account's registered URL.
    """
    value = url.strip()
    what = "掲載先のURL"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return f"{what}の形式が正しくありません。投稿のページのURLをそのまま貼り付けてください。"
    if parts.scheme.lower() != "https":
        return f"{what}は https:// で始まるURLにしてください（投稿のページのURLをそのまま貼り付けてください）。"
    if not parts.hostname or parts.username or parts.password or port not in (None, 443):
        return f"{what}の形式が正しくありません。投稿のページのURLをそのまま貼り付けてください。"
    media = media_for(media_name)
    if media is None:
        return None  # a media we do not know: nothing more to compare with
    host = _bare_host(parts.hostname)
    short = _short_link(host, media, terms or _default_terms())
    if short is not None:
        return short.replace("登録できません", "掲載先として記録できません")
    if _host_on(host, media.domains) is None:
        return (
            f"{what}がこのアカウントのメディア（{media.name}）のURLではありません"
            f"（{media.name}のURLは {'、'.join(media.domains)} です）。"
            "このアカウントで掲載した投稿のURLを入力してください。"
        )
    if media.posts_under_account and account_url:
        base = url_key(account_url).rstrip("/") + "/"
        if not url_key(value).startswith(base):
            return (
                f"{what}がこのアカウント（{account_url}）の投稿のURLではありません。"
                f"{account_url}/ で始まる、このアカウントで掲載した投稿のURLを入力してください。"
            )
    return None


def parse_date(value: str) -> date | None:
    """A real calendar date from "2026-04-01", "2026/4/1" or "2026年4月1日", else None."""
    m = _DATE_RE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def split_handles(value: str) -> list[str]:
    """Handles from "a, b、c" (order kept, duplicates dropped)."""
    seen: dict[str, None] = {}
    for part in HANDLE_SPLIT_RE.split(value.strip()):
        handle = normalise_handle(part)
        if handle:
            seen.setdefault(handle, None)
    return list(seen)


@dataclass(frozen=True)
class PolicyInput:
    """Validated form values (still to be checked against the directory)."""

    code: str
    department: str
    organisation: str
    purpose: str
    information: str
    response: str
    media: str
    name: str
    url: str
    url_key: str
    start_date: date
    manager: str
    operators: tuple[str, ...]


LIMITS = {"code": 64, "department": 64, "name": 200, "url": 500, "manager": 64}
TEXT_LIMIT = 2000


def fail(errors: dict[str, str], terms: Terms | None = None) -> ValidationFailed:
    """One ValidationFailed listing every field error, each on its own line."""
    lines = [
        f"・{FIELD_BY_KEY[k].label if k in FIELD_BY_KEY else k}: {msg}" for k, msg in errors.items()
    ]
    clause = (terms or _default_terms()).policy_clause
    return ValidationFailed(
        f"運用ポリシー（{clause}）の入力に誤りがあります。\n" + "\n".join(lines), fields=errors
    )


def validate_form(values: dict[str, str], terms: Terms | None = None) -> PolicyInput:
    """Check every field's form; raise ValidationFailed naming each wrong field in Japanese."""
    errors: dict[str, str] = {}
    unknown = sorted(set(values) - set(FIELD_BY_KEY))
    for key in unknown:
        errors[key] = f"「{key}」という項目はありません。"
    v = {f.key: visible_or_empty(values.get(f.key)) for f in FIELDS}
    for f in form_fields(terms):
        if f.required and not v[f.key]:
            clause = f"（{f.clause}）" if f.clause else ""
            errors[f.key] = f"{f.label}を入力してください{clause}。"
        elif len(v[f.key]) > LIMITS.get(f.key, TEXT_LIMIT):
            errors[f.key] = f"{f.label}は{LIMITS.get(f.key, TEXT_LIMIT)}文字以内にしてください。"
    if v["code"] and "code" not in errors and not CODE_RE.match(v["code"]):
        errors["code"] = (
            "アカウントコードは半角英小文字・数字・ハイフン・アンダースコアの2〜64文字にしてください"
            "（例: kouhou-x）。"
        )
    media = find_media(v["media"]) if v["media"] else None
    if v["media"] and media is None:
        errors["media"] = (
            f"「{v['media']}」は登録できるソーシャルメディアの種類にありません"
            f"（{media_names()} から選んでください）。"
        )
    if "url" not in errors:
        url_error = check_url(v["url"], media, terms)
        if url_error:
            errors["url"] = url_error
    start = parse_date(v["start_date"]) if v["start_date"] else None
    if v["start_date"] and start is None:
        errors["start_date"] = (
            f"運用開始日「{v['start_date']}」は実在する日付ではありません（YYYY-MM-DD で入力してください）。"
        )
    operators = tuple(split_handles(v["operators"]))
    if errors:
        raise fail(errors, terms)
    assert media is not None and start is not None
    return PolicyInput(
        code=v["code"],
        department=v["department"],
        organisation=v["organisation"],
        purpose=v["purpose"],
        information=v["information"],
        response=v["response"],
        media=media.name,
        name=v["name"],
        url=canonical_url(v["url"]),
        url_key=url_key(v["url"]),
        start_date=start,
        manager=normalise_handle(v["manager"]),
        operators=operators,
    )
