"""Read a guideline file: YAML, validated against the JSON Schema, then cross-checked.

Every problem names the file, the line and the field, in Japanese, so the person at the
city who edits the file can fix it without reading code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from bot.cliutil import os_error
from bot.guideline.model import (
    Calendar,
    CheckReminder,
    Clause,
    Exemption,
    Guideline,
    IncidentType,
    PolicyItem,
    Role,
    Step,
)
from rules import CLAUSES

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_FILE = DATA_DIR / "matsumoto-1.00.yaml"
SCHEMA_FILE = Path(__file__).parent / "guideline.schema.json"


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str
    message: str

    def render(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {self.field or '（ファイル全体）'}: {self.message}"


class GuidelineError(Exception):
    """The file cannot be used; ``problems`` say where and why (Japanese)."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        lines = [p.render(path) for p in problems]
        super().__init__(
            f"ガイドラインのファイルに {len(problems)} 件の問題があります。\n" + "\n".join(lines)
        )
        self.message = str(self)


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def load_file(path: str | Path) -> Guideline:
    """Read and validate one guideline file (raises ``GuidelineError``)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise GuidelineError(
            str(p), [Problem(None, "", f"ファイルを読めません（{os_error(exc)}）")]
        ) from None
    return parse(raw, source=str(p))


@cache
def default_guideline() -> Guideline:
    """The guideline the product ships with (the seed city's Ver1.00)."""
    return load_file(DEFAULT_FILE)


def parse(raw: bytes, *, source: str = "<guideline>") -> Guideline:
    """Validate the bytes of a guideline file and build the model."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GuidelineError(
            source, [Problem(None, "", "UTF-8 で保存してください（文字コードが違います）。")]
        ) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = _plain(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        why = getattr(exc, "problem", None) or "書式の誤り"
        raise GuidelineError(
            source, [Problem(line, "", f"YAML として読めません（{why}）。")]
        ) from None
    validator = jsonschema.Draft202012Validator(schema())
    problems = [
        Problem(_line(node, list(e.absolute_path)), _field(e.absolute_path), _japanese(e))
        for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
    if not problems:
        problems = list(_cross_check(data, node))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.field))
        raise GuidelineError(source, problems)
    return _build(data, hashlib.sha256(raw).hexdigest())


# ---------------------------------------------------------------- cross-field checks


def _cross_check(data: dict[str, Any], node: Any) -> Iterator[Problem]:
    def at(*path: str | int) -> int | None:
        return _line(node, list(path))

    ids: dict[str, int] = {}
    for i, c in enumerate(data["clauses"]):
        if c["id"] in ids:
            yield Problem(
                at("clauses", i, "id"), f"clauses[{i}].id", f"条項「{c['id']}」が重複しています。"
            )
        ids.setdefault(c["id"], i)
        check = c.get("check")
        if check is not None and check not in CLAUSES:
            yield Problem(
                at("clauses", i, "check"),
                f"clauses[{i}].check",
                f"内容チェックの区分「{check}」はありません。{'、'.join(CLAUSES)} から選んでください。",
            )
    checks = data.get("content_check", {})
    disabled = set(checks.get("disabled_checks", []))
    mapped = {c.get("check") for c in data["clauses"]}
    for key in CLAUSES:
        if key not in mapped and key not in disabled:
            yield Problem(
                at("clauses"),
                "clauses",
                f"内容チェックの区分「{key}」を引用する条項がありません。該当する条項に "
                f'check: "{key}" を書くか、content_check.disabled_checks に加えてください。',
            )
    for i, key in enumerate(checks.get("disabled_checks", [])):
        if key not in CLAUSES:
            yield Problem(
                at("content_check", "disabled_checks", i),
                f"content_check.disabled_checks[{i}]",
                f"内容チェックの区分「{key}」はありません。",
            )

    def ref(value: str, *path: str | int) -> Iterator[Problem]:
        if value not in ids:
            yield Problem(
                at(*path),
                _field(list(path)),
                f"条項「{value}」は clauses にありません。先に clauses に書いてください。",
            )

    yield from ref(data["approval"]["clause"], "approval", "clause")
    yield from ref(data["account_policy"]["clause"], "account_policy", "clause")
    for role in ("account_confirmer", "incident_desk"):
        clause = data["roles"][role].get("clause")
        if clause is not None:
            yield from ref(clause, "roles", role, "clause")
    for topic, clause in data.get("references", {}).items():
        if clause not in ids and not any(i.startswith(clause) for i in ids):
            yield Problem(
                at("references", topic),
                f"references.{topic}",
                f"条項「{clause}」は clauses にありません（条項の番号か、その上位の番号を書いてください）。",
            )
    covered: set[str] = set()
    for i, item in enumerate(data["account_policy"]["items"]):
        for j, name in enumerate(item.get("fields", ())):
            if name in covered:
                yield Problem(
                    at("account_policy", "items", i, "fields", j),
                    f"account_policy.items[{i}].fields[{j}]",
                    f"入力項目「{name}」は別の項目にも書かれています（1つの項目にだけ書いてください）。",
                )
            covered.add(name)
    yield from _unique(
        data["approval"]["exemptions"], "label", ("approval", "exemptions"), at, "区分"
    )
    yield from _unique(
        data["account_policy"]["items"], "label", ("account_policy", "items"), at, "項目"
    )
    yield from _unique(data["incident_types"], "code", ("incident_types",), at, "種別コード")
    yield from _unique(data["incident_types"], "name", ("incident_types",), at, "種別名")
    for i, t in enumerate(data["incident_types"]):
        yield from ref(t["clause"], "incident_types", i, "clause")
        yield from _unique(t["steps"], "code", ("incident_types", i, "steps"), at, "手順コード")
        for j, s in enumerate(t["steps"]):
            yield from ref(s["clause"], "incident_types", i, "steps", j, "clause")
    cal = data.get("calendar", {})
    if "start" in cal and "end" in cal and cal["start"] >= cal["end"]:
        yield Problem(
            at("calendar", "end"), "calendar.end", "終了時刻は開始時刻より後にしてください。"
        )
    if cal.get("days") == []:
        yield Problem(at("calendar", "days"), "calendar.days", "勤務日を1日以上指定してください。")
    if "holidays" in cal and not _known_country(cal["holidays"]):
        yield Problem(
            at("calendar", "holidays"),
            "calendar.holidays",
            f"国コード「{cal['holidays']}」の祝日は holidays パッケージにありません（例: JP）。",
        )


def _known_country(code: str) -> bool:
    import holidays

    try:
        holidays.country_holidays(code)
    except NotImplementedError:
        return False
    return True


def _unique(
    items: list[dict[str, Any]], key: str, path: tuple[str | int, ...], at: Any, what: str
) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item[key] in seen:
            yield Problem(
                at(*path, i, key),
                _field([*path, i, key]),
                f"{what}「{item[key]}」が重複しています。",
            )
        seen.add(item[key])


# ------------------------------------------------------------------------ building


def _build(data: dict[str, Any], sha256: str) -> Guideline:
    meta = data["guideline"]
    roles = data["roles"]
    checks = data.get("content_check", {})
    cal = data.get("calendar", {})
    defaults = Calendar()
    return Guideline(
        name=meta["name"],
        short_name=meta.get("short_name", "ガイドライン"),
        version=meta["version"],
        issued_by=meta["issued_by"],
        issued_on=meta.get("issued_on"),
        clauses=tuple(
            Clause(c["id"], c["title"], c["text"], c.get("check")) for c in data["clauses"]
        ),
        approval_clause=data["approval"]["clause"],
        exemptions=tuple(
            Exemption(e["label"], e["description"], e["evidence"], e["held"], e.get("short", ""))
            for e in data["approval"]["exemptions"]
        ),
        approver=roles["approver"],
        account_confirmer=Role(**roles["account_confirmer"]),
        incident_desk=Role(**roles["incident_desk"]),
        policy_clause=data["account_policy"]["clause"],
        policy_items=tuple(
            PolicyItem(i["label"], i["text"], tuple(i.get("fields", ())))
            for i in data["account_policy"]["items"]
        ),
        incident_types=tuple(
            IncidentType(
                t["code"],
                t["name"],
                t["clause"],
                t["description"],
                tuple(Step(s["code"], s["label"], s["clause"]) for s in t["steps"]),
            )
            for t in data["incident_types"]
        ),
        rule_severity={k: v["severity"] for k, v in checks.get("rules", {}).items()},
        disabled_checks=frozenset(checks.get("disabled_checks", [])),
        reminders={k: float(v) for k, v in data.get("reminders", {}).items()},
        calendar=Calendar(
            working_time_name=cal.get("working_time_name", defaults.working_time_name),
            start=cal.get("start", defaults.start),
            end=cal.get("end", defaults.end),
            days=tuple(cal.get("days", defaults.days)),
            holidays=cal.get("holidays", defaults.holidays),
            closed_days=tuple(cal.get("closed_days", defaults.closed_days)),
        ),
        references=dict(data.get("references", {})),
        check_reminders=tuple(
            CheckReminder(r["clause"], r["text"]) for r in data.get("check_reminders", [])
        ),
        sha256=sha256,
    )


# ------------------------------------------------------------------------- helpers


def _plain(value: Any) -> Any:
    """YAML's dates become ISO strings (the schema speaks JSON)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _line(node: Any, path: list[Any]) -> int | None:
    """1-based line of the value at ``path`` (or of its nearest parent that exists)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in path:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            pair = next(((k, v) for k, v in node.value if k.value == key), None)
            if pair is None:
                return line
            # The key's line: a nested mapping's value starts on the line after it.
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _field(path: Any) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


_TYPES = {
    "string": "文字列",
    "object": "「名前: 値」の組",
    "array": "一覧（- で始まる行）",
    "number": "数値",
    "integer": "整数",
    "boolean": "true または false",
}


def _japanese(error: jsonschema.ValidationError) -> str:
    v, arg = error.validator, error.validator_value
    if v == "required":
        missing = [k for k in arg if isinstance(error.instance, dict) and k not in error.instance]
        return f"必須の項目「{'」「'.join(missing)}」がありません。"
    if v == "additionalProperties":
        extra = sorted(
            set(error.instance) - set(error.schema.get("properties", {}))
            if isinstance(error.instance, dict)
            else []
        )
        return f"「{'」「'.join(extra)}」という項目は使えません（綴りを確かめてください）。"
    if v == "type":
        return f"{_TYPES.get(str(arg), str(arg))}で書いてください。"
    if v == "enum":
        return f"{'、'.join(map(str, arg))} のいずれかを指定してください。"
    if v == "const":
        return f"{arg} を指定してください。"
    if v == "pattern":
        return f"「{error.instance}」は形式が正しくありません。"
    if v == "minLength":
        return "空にできません。"
    if v == "maxLength":
        return f"長すぎます（{arg}文字まで）。"
    if v == "minItems":
        return f"少なくとも{arg}件書いてください。"
    if v == "exclusiveMinimum":
        return f"{arg} より大きい数にしてください。"
    if v == "uniqueItems":
        return "同じ値が重複しています。"
    return "値が正しくありません。"
