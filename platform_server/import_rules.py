"""Field rules of each importable collection: one validator per collection, Chinese reasons.

Each validator takes one row (missing cells absent or ``None``) and returns a :class:`Valid`
(record id, fields, visibility scope, warnings) or raises :class:`RowRejected`.

- ``entities``: ``uscc`` and ``name`` required; id = USCC. A USCC whose only fault is the
  check digit is accepted when the row gives ``uscc_override_reason`` (some early legal codes
  fail it; DOMAIN.md), with a warning. ``region_code`` defaults to USCC positions 3–8; a code
  the region table does not know is a warning. ``credit_grade`` A–E (other provinces use A–E).
- ``list_memberships``: ``uscc``, ``list`` (red / serious_dishonesty / key_attention, or the
  Chinese list names), ``basis`` (listing must rest on law) and ``since`` required.
- ``credit_grades``: ``uscc``, ``grade``.
- ``commitment_catalog``: ``id``, ``domain``, ``matter``, ``legal_basis``, ``allowed_kinds``.
- ``checklists``: JSON: ``id``, ``title``, ``items`` (each ``item`` + ``legal_basis``); CSV: one
  row per item with ``id``, ``title``, ``item``, ``legal_basis`` (rows of one id are merged).
- ``calendar_overrides``: ``date`` + ``working`` (是/否, true/false, 工作日/休息日…), or
  ``year`` + ``complete`` (the table covers every holiday and make-up day of that year).
- ``licences`` (行政许可): ``uscc``, ``licence_no``, ``matter``, ``decided_on``, ``decided_by``;
  ``valid_until`` not before ``valid_from`` or ``decided_on``; ``status`` valid / revoked /
  expired / withdrawn (or 有效、已撤销、已过期、已撤回); id ``lic-<USCC>-<digest of licence_no>``.
  ``published_on`` (not before the decision) says the licence is already online: it enters the
  publication feed as published (penalties likewise); other rows enter it as due.
- ``penalties`` (行政处罚): ``uscc``, ``decision_no``, ``violation``, ``penalty``,
  ``decided_on``, ``decided_by``; ``severity`` minor / general / serious or 轻微、一般、严重
  (default general); ``publish_until`` is computed by
  :func:`desktop_app.domain.disclosure.publication_end` (a declared end is capped at the
  maximum, with a warning); ``repair_status`` none / applying / repaired / rejected (or the
  Chinese labels), ``repaired_on`` required exactly when repaired; ``amount`` in yuan;
  id ``pen-<USCC>-<digest of decision_no>``.
- ``public_inspections`` (公开的检查结果): ``uscc``, ``inspected_on``, ``inspection_kind``,
  ``authority``, ``result``; ``published_on`` not before ``inspected_on``; id
  ``pi-<source>`` when the row names the ``inspection_results`` form it mirrors (the same
  record as the platform's mirror), else ``insp-<USCC>-<yyyymmdd>-<digest>``.

The registry collections keep extra columns as other rows do, but never internal risk classes
(:data:`desktop_app.domain.disclosure.INTERNAL_FIELDS`): they are public records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop_app.domain import disclosure, person_id
from desktop_app.domain.commitments import KIND_LABELS, CommitmentKind
from desktop_app.domain.regions import DEFAULT_REGIONS
from desktop_app.domain.uscc import check_uscc
from platform_server import registry
from platform_server.demo_catalog import letter_template
from platform_server.records import Scope
from sync.protocol import Collection


class RowRejected(ValueError):  # noqa: N818 - reads as the row's state
    """The row cannot be imported; ``str(error)`` is a Chinese reason saying what to fix."""


@dataclass(frozen=True)
class Valid:
    """A validated row: the record to upsert and any warnings."""

    record_id: str
    fields: dict[str, Any]
    scope: Scope
    warnings: tuple[str, ...] = ()
    row: int = 0


_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_GRADE = re.compile(r"^[A-E]$")
LIST_ALIASES = {
    "red": "red",
    "红名单": "red",
    "守信联合激励对象名单": "red",
    "serious_dishonesty": "serious_dishonesty",
    "严重失信主体名单": "serious_dishonesty",
    "严重失信": "serious_dishonesty",
    "失信联合惩戒对象名单": "serious_dishonesty",
    "key_attention": "key_attention",
    "重点关注对象名单": "key_attention",
    "重点关注": "key_attention",
    "market_ban": "market_ban",
    "市场禁入": "market_ban",
    "禁入": "market_ban",
}
LIST_NAMES = {
    "red": "红名单",
    "serious_dishonesty": "严重失信主体名单",
    "key_attention": "重点关注对象名单",
    "market_ban": "市场禁入",
}
# Catalog kinds are stored as the domain's codes; the Chinese labels and DOMAIN.md's names are
# accepted on import because that is what a city's published matter list says.
KIND_ALIASES: dict[str, str] = (
    {k.value: k.value for k in CommitmentKind}
    | {label: k.value for k, label in KIND_LABELS.items()}
    | {
        "审批替代型": CommitmentKind.NOTIFY.value,
        "容缺受理型": CommitmentKind.TOLERANCE.value,
        "行业自律型": CommitmentKind.SELF_DISCIPLINE.value,
        "信用修复型": CommitmentKind.REPAIR.value,
        "主动型": CommitmentKind.VOLUNTARY.value,
    }
)
_TRUE = {"true", "1", "是", "yes", "y", "工作日", "上班", "补班"}
_FALSE = {"false", "0", "否", "no", "n", "休息日", "休息", "节假日", "放假"}
CSV_REQUIRED: dict[str, tuple[str, ...]] = {
    Collection.ENTITIES.value: ("uscc", "name"),
    Collection.LIST_MEMBERSHIPS.value: ("uscc", "list", "basis", "since"),
    Collection.CREDIT_GRADES.value: ("uscc", "grade"),
    Collection.COMMITMENT_CATALOG.value: ("id", "domain", "matter", "legal_basis", "allowed_kinds"),
    Collection.CHECKLISTS.value: ("id", "title", "item", "legal_basis"),
    Collection.LICENCES.value: ("uscc", "licence_no", "matter", "decided_on", "decided_by"),
    Collection.PENALTIES.value: (
        "uscc",
        "decision_no",
        "violation",
        "penalty",
        "decided_on",
        "decided_by",
    ),
    Collection.PUBLIC_INSPECTIONS.value: (
        "uscc",
        "inspected_on",
        "inspection_kind",
        "authority",
        "result",
    ),
}
"""Columns a CSV header must have, per collection (the validators require the values too)."""
LICENCE_STATUSES = ("valid", "revoked", "expired", "withdrawn")
LICENCE_STATUS_ALIASES: dict[str, str] = {
    **{s: s for s in LICENCE_STATUSES},
    "有效": "valid",
    "正常": "valid",
    "撤销": "revoked",
    "已撤销": "revoked",
    "吊销": "revoked",
    "已吊销": "revoked",
    "过期": "expired",
    "已过期": "expired",
    "有效期届满": "expired",
    "撤回": "withdrawn",
    "已撤回": "withdrawn",
}
PENALTY_STATUSES = ("active", "revoked")
PENALTY_STATUS_ALIASES: dict[str, str] = {
    **{s: s for s in PENALTY_STATUSES},
    "有效": "active",
    "生效": "active",
    "撤销": "revoked",
    "已撤销": "revoked",
}
REPAIR_STATUS_ALIASES: dict[str, str] = {
    **{s: s for s in disclosure.REPAIR_STATUSES},
    **{label: code for code, label in disclosure.REPAIR_LABELS.items()},
    "无": "none",
    "未修复": "none",
    "申请中": "applying",
    "修复中": "applying",
    "办理中": "applying",
    "已修复": "repaired",
    "修复完成": "repaired",
    "已完成修复": "repaired",
    "未通过": "rejected",
    "不予修复": "rejected",
    "驳回": "rejected",
}


def _text(raw: dict[str, Any], name: str, label: str, required: bool = True) -> str | None:
    value = raw.get(name)
    if value is None or value == "":
        if required:
            raise RowRejected(f"缺少必填项“{label}”（{name}），请补充后重新导入。")
        return None
    if isinstance(value, (dict, list, bool)):
        raise RowRejected(f"“{label}”（{name}）应为文字，请修改后重新导入。")
    return str(value).strip()


def _date(raw: dict[str, Any], name: str, label: str, required: bool = False) -> str | None:
    value = _text(raw, name, label, required)
    if value is None:
        return None
    try:
        if len(value) > 10 and value[10] not in "T ":
            raise ValueError(value)
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise RowRejected(
            f"“{label}”的值“{value}”不是有效日期，请使用 YYYY-MM-DD 格式（如 2026-03-31）。"
        ) from None


def _required(raw: dict[str, Any], name: str, label: str) -> str:
    value = _text(raw, name, label)
    if value is None:  # _text has refused it already; this keeps the type exact
        raise RowRejected(f"缺少必填项“{label}”（{name}），请补充后重新导入。")
    return value


def _required_date(raw: dict[str, Any], name: str, label: str) -> str:
    value = _date(raw, name, label, required=True)
    if value is None:  # _date has refused it already; this keeps the type exact
        raise RowRejected(f"缺少必填项“{label}”（{name}），请补充后重新导入。")
    return value


def _list(raw: dict[str, Any], name: str) -> list[str]:
    value = raw.get(name)
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in re.split(r"[；;|]", str(value)) if p.strip()]


def _bool(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowRejected(f"“{label}”应填“是”或“否”（true/false），实际为“{value}”。")


def _choice(
    raw: dict[str, Any], name: str, label: str, aliases: Mapping[str, str], allowed: str
) -> str | None:
    value = _text(raw, name, label, required=False)
    if value is None:
        return None
    found = aliases.get(value) or aliases.get(value.lower())
    if found is None:
        raise RowRejected(f"{label}“{value}”无效，应为 {allowed}。")
    return found


def _amount(raw: dict[str, Any]) -> int | float | None:
    value = raw.get("amount")
    if value is None or value == "":
        return None
    text = re.sub(r"[,，\s]|元$", "", str(value).strip())
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise RowRejected(
            f"罚款金额“{value}”无效，应为以元为单位的非负数字（如 5000 或 5000.50；"
            "“2万元”请填 20000）。"
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise RowRejected(f"罚款金额“{value}”最多保留两位小数（精确到分）。")
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _public_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """The row's cells as fields, without the id and without internal risk classes."""
    kept = {k: v for k, v in raw.items() if v is not None and k != "id"}
    return disclosure.strip_internal(kept)


def _record_id(raw: dict[str, Any], default: str) -> str:
    given = _text(raw, "id", "记录编号", required=False)
    if given is None:
        return default
    if not _ID.fullmatch(given):
        raise RowRejected("记录编号只能由字母、数字和 _ . : - 组成，且不超过64个字符。")
    return given


def _uscc(raw: dict[str, Any]) -> tuple[str, list[str]]:
    text = _text(raw, "uscc", "统一社会信用代码")
    assert text is not None
    check = check_uscc(text)
    warnings = [w.message for w in check.warnings]
    if check.ok:
        return check.normalized, warnings
    problems = "；".join(p.message for p in check.problems)
    reason = _text(raw, "uscc_override_reason", "例外使用理由", required=False)
    if check.check_digit_only and reason and len(reason) >= 4:
        warnings.append(f"校验码不符，已按例外理由“{reason}”导入：{problems}")
        return check.normalized, warnings
    raise RowRejected(f"统一社会信用代码无效：{problems}")


def _region(code: str | None, uscc: str) -> tuple[str, list[str]]:
    region = code or uscc[2:8]
    if not (len(region) == 6 and region.isdigit()):
        raise RowRejected(f"区划代码“{region}”应为6位数字。")
    info = DEFAULT_REGIONS.lookup(region)
    if info is None or not info.known:
        return region, [f"区划代码 {region} 不在区划表中，已照常导入，请核对。"]
    return region, []


def _person(raw: dict[str, Any], column: str, label: str) -> dict[str, str]:
    """A person's ID number checked (GB 11643) and kept masked; the full number never stored.

    Raises:
        RowRejected: The number is wrong (the message says how), without echoing it.
    """
    value = _text(raw, column, label, required=False)
    if not value:
        return {}
    if person_id.is_masked(value):
        return {column: person_id.normalize(value)}
    try:
        number = person_id.check_id_number(value)
    except person_id.PersonIdError as err:
        raise RowRejected(f"{label}：{err}") from None
    return {column: person_id.mask_id_number(number)}


ENTITY_PERSON_ALIASES = {
    "法定代表人身份证号": "legal_representative_id",
    "主要负责人": "principal",
    "主要负责人身份证号": "principal_id",
}


def _canonical_columns(raw: dict[str, Any], aliases: Mapping[str, str]) -> dict[str, Any]:
    """The row with its Chinese column names replaced by the stored ones.

    The alias column is dropped either way (an unchecked ID number must never be kept under
    the Chinese name); a non-empty stored-name column wins over its alias.
    """
    out = {k: v for k, v in raw.items() if k not in aliases}
    for alias, column in aliases.items():
        if out.get(column) in (None, "") and raw.get(alias) not in (None, ""):
            out[column] = raw[alias]
    return out


def entities(raw: dict[str, Any]) -> Valid:
    """Validate an ``entities`` row.

    Optional persons: ``legal_representative_id`` (法定代表人身份证号), ``principal``
    (主要负责人), ``principal_id`` (主要负责人身份证号). A full ID number is checked
    (GB 11643-1999; a wrong one rejects the row) and stored masked; a masked one is kept.
    """
    raw = _canonical_columns(raw, ENTITY_PERSON_ALIASES)
    uscc, warnings = _uscc(raw)
    name = _text(raw, "name", "名称")
    region, more = _region(_text(raw, "region_code", "区划代码", required=False), uscc)
    grade = _text(raw, "credit_grade", "信用等级", required=False)
    if grade is not None and not _GRADE.fullmatch(grade.upper()):
        raise RowRejected(f"信用等级“{grade}”无效，应为 A–E 中的一个字母。")
    fields = {k: v for k, v in raw.items() if v is not None and k != "id"}
    fields |= {"uscc": uscc, "name": name, "region_code": region}
    fields |= _person(raw, "legal_representative_id", "法定代表人身份证号")
    fields |= _person(raw, "principal_id", "主要负责人身份证号")
    fields["status"] = _text(raw, "status", "登记状态", required=False) or "存续"
    if grade is not None:
        fields["credit_grade"] = grade.upper()
    established = _date(raw, "established_on", "成立日期")
    if established is not None:
        fields["established_on"] = established
    return Valid(uscc, fields, Scope(region_code=region, entity_uscc=uscc), (*warnings, *more))


def list_memberships(raw: dict[str, Any]) -> Valid:
    """Validate a ``list_memberships`` row."""
    uscc, warnings = _uscc(raw)
    given = _text(raw, "list", "名单类别")
    which = LIST_ALIASES.get(given or "")
    if which is None:
        raise RowRejected(
            f"名单类别“{given}”无效，应为 红名单、严重失信主体名单 或 重点关注对象名单。"
        )
    basis = _text(raw, "basis", "列入依据")
    since = _date(raw, "since", "列入日期", required=True)
    notified = _date(raw, "notified_on", "告知日期")
    if notified is not None and since is not None and notified > since:
        warnings.append("告知日期晚于列入日期：列入前应先告知当事人，请核对。")
    fields = {k: v for k, v in raw.items() if v is not None and k != "id"}
    fields |= {"uscc": uscc, "list": which, "list_name": LIST_NAMES[which], "basis": basis}
    fields |= {"since": since, "status": fields.get("status") or "active"}
    if notified is not None:
        fields["notified_on"] = notified
    fields |= _person(raw, "person_id", "被列入人员身份证号")
    if fields.get("person_id") and not _text(raw, "person_name", "被列入人员", required=False):
        raise RowRejected("填写了被列入人员身份证号，请同时填写其姓名（person_name）。")
    scope = Scope(region_code=uscc[2:8], entity_uscc=uscc)
    return Valid(_record_id(raw, f"lm-{uscc}-{which}"), fields, scope, tuple(warnings))


def credit_grades(raw: dict[str, Any]) -> Valid:
    """Validate a ``credit_grades`` row."""
    uscc, warnings = _uscc(raw)
    grade = (_text(raw, "grade", "信用等级") or "").upper()
    if not _GRADE.fullmatch(grade):
        raise RowRejected(f"信用等级“{grade}”无效，应为 A–E 中的一个字母。")
    fields = {k: v for k, v in raw.items() if v is not None and k != "id"}
    fields |= {"uscc": uscc, "grade": grade}
    assessed = _date(raw, "assessed_on", "评定日期")
    if assessed is not None:
        fields["assessed_on"] = assessed
    scope = Scope(region_code=uscc[2:8], entity_uscc=uscc)
    return Valid(_record_id(raw, f"cg-{uscc}"), fields, scope, tuple(warnings))


def commitment_catalog(raw: dict[str, Any]) -> Valid:
    """Validate a ``commitment_catalog`` row."""
    record_id = _record_id(raw, "")
    if not record_id:
        raise RowRejected("缺少必填项“事项编号”（id），请补充后重新导入。")
    matter = _text(raw, "matter", "事项名称")
    fields = {k: v for k, v in raw.items() if v is not None and k != "id"}
    fields |= {"domain": _text(raw, "domain", "领域"), "matter": matter}
    fields["legal_basis"] = _text(raw, "legal_basis", "法律依据")
    kinds = _list(raw, "allowed_kinds")
    unknown = [k for k in kinds if k not in KIND_ALIASES]
    if not kinds or unknown:
        raise RowRejected(
            f"承诺类型“{'、'.join(unknown) or '（空）'}”无效，应为："
            + "、".join(f"{k.value}（{label}）" for k, label in KIND_LABELS.items())
            + "。"
        )
    fields["allowed_kinds"] = list(dict.fromkeys(KIND_ALIASES[k] for k in kinds))
    for name in ("required_materials", "commitment_items"):
        fields[name] = _list(raw, name)
    extra = tuple(fields["commitment_items"])
    fields["letter_template"] = fields.get("letter_template") or letter_template(str(matter), extra)
    return Valid(record_id, fields, Scope())


def checklists(raw: dict[str, Any]) -> Valid:
    """Validate a ``checklists`` row: a whole checklist (JSON) or one item of it (CSV)."""
    record_id = _record_id(raw, "")
    if not record_id:
        raise RowRejected("缺少必填项“检查表编号”（id），请补充后重新导入。")
    title = _text(raw, "title", "检查表名称")
    domain = _text(raw, "domain", "领域", required=False)
    if "items" not in raw or raw.get("items") is None:
        item: dict[str, Any] = {
            "item": _text(raw, "item", "检查事项"),
            "legal_basis": _text(raw, "legal_basis", "依据"),
        }
        no = _text(raw, "no", "序号", required=False)
        item["no"] = int(no) if no and no.isdigit() else None
        fields: dict[str, Any] = {"__item_row__": True, "title": title, "domain": domain}
        fields["item"] = item
        return Valid(record_id, fields, Scope())
    items = raw["items"]
    if not isinstance(items, list) or not items:
        raise RowRejected("检查事项（items）应为非空列表。")
    clean = []
    for n, entry in enumerate(items, start=1):
        if not isinstance(entry, dict) or not entry.get("item") or not entry.get("legal_basis"):
            raise RowRejected(f"第{n}个检查事项缺少“检查事项”（item）或“依据”（legal_basis）。")
        clean.append(
            {"no": entry.get("no") or n, "item": entry["item"], "legal_basis": entry["legal_basis"]}
        )
    fields = {k: v for k, v in raw.items() if v is not None and k != "id"}
    fields |= {"title": title, "domain": domain, "items": clean}
    return Valid(record_id, fields, Scope())


def calendar_overrides(raw: dict[str, Any]) -> Valid:
    """Validate a ``calendar_overrides`` row (one date, or a year declared complete)."""
    if raw.get("date") is None and raw.get("year") is not None:
        year = _text(raw, "year", "年份") or ""
        if not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise RowRejected(f"年份“{year}”无效，应为 2000–2100 之间的四位数字。")
        if not _bool(raw.get("complete"), "是否完整"):
            raise RowRejected(
                "年份行须将“是否完整”（complete）填为“是”，表示该年节假日和调休已全部列出。"
            )
        fields = {"year": int(year), "complete": True, "note": raw.get("note") or raw.get("source")}
        return Valid(
            f"cal-year-{year}", {k: v for k, v in fields.items() if v is not None}, Scope()
        )
    day = _date(raw, "date", "日期", required=True)
    working = _bool(raw.get("working"), "是否工作日")
    fields = {"date": day, "working": working}
    for name in ("note", "source"):
        if raw.get(name) is not None:
            fields[name] = str(raw[name])
    return Valid(f"cal-{day}", fields, Scope())


def _published_on(raw: dict[str, Any], fields: dict[str, Any], decided_label: str) -> None:
    """``published_on``: the day the decision already went online (checked, or dropped)."""
    fields.pop("published_on", None)
    day = _date(raw, "published_on", "公示日期")
    if day is None:
        return
    if day < fields["decided_on"]:
        raise RowRejected(
            f"公示日期（{day}）早于{decided_label}（{fields['decided_on']}），请核对后重新导入。"
        )
    fields["published_on"] = day


def licences(raw: dict[str, Any]) -> Valid:
    """Validate a ``licences`` (行政许可) row."""
    uscc, warnings = _uscc(raw)
    licence_no = _required(raw, "licence_no", "许可决定书文号")
    fields = _public_fields(raw)
    fields |= {
        "uscc": uscc,
        "licence_no": licence_no,
        "matter": _text(raw, "matter", "许可事项"),
        "decided_on": _required_date(raw, "decided_on", "许可决定日期"),
        "decided_by": _text(raw, "decided_by", "许可机关"),
    }
    for name, label in (("entity_name", "主体名称"), ("licence_name", "许可证书名称")):
        value = _text(raw, name, label, required=False)
        if value is not None:
            fields[name] = value
    for name, label in (("valid_from", "有效期自"), ("valid_until", "有效期至")):
        day = _date(raw, name, label)
        if day is not None:
            fields[name] = day
    until = fields.get("valid_until")
    if until is not None and until < fields.get("valid_from", fields["decided_on"]):
        start = "有效期自" if "valid_from" in fields else "许可决定日期"
        raise RowRejected(f"有效期至（{until}）早于{start}，请核对许可证书上的有效期。")
    _published_on(raw, fields, "许可决定日期")
    allowed = "有效、已撤销、已过期 或 已撤回（valid/revoked/expired/withdrawn）"
    status = _choice(raw, "status", "许可状态", LICENCE_STATUS_ALIASES, allowed)
    fields["status"] = status or "valid"
    record_id = _record_id(raw, registry.licence_id(uscc, licence_no))
    return Valid(record_id, fields, registry.registry_scope(uscc), tuple(warnings))


def _severity(raw: dict[str, Any]) -> disclosure.Severity:
    value = _text(raw, "severity", "处罚情节", required=False)
    if value is None:
        return disclosure.Severity.GENERAL
    try:
        return disclosure.parse_severity(value.lower())
    except disclosure.DisclosureError:
        raise RowRejected(
            f"处罚情节“{value}”无效，应为 轻微、一般 或 严重（也可填 minor、general、serious）。"
        ) from None


def penalties(raw: dict[str, Any]) -> Valid:
    """Validate a ``penalties`` (行政处罚) row; ``publish_until`` is computed."""
    uscc, warnings = _uscc(raw)
    decision_no = _required(raw, "decision_no", "处罚决定书文号")
    decided_on = _required_date(raw, "decided_on", "处罚决定日期")
    fields = _public_fields(raw)
    fields |= {
        "uscc": uscc,
        "decision_no": decision_no,
        "violation": _text(raw, "violation", "违法行为"),
        "penalty": _text(raw, "penalty", "处罚内容"),
        "decided_on": decided_on,
        "decided_by": _text(raw, "decided_by", "处罚机关"),
    }
    for name, label in (("entity_name", "主体名称"), ("basis", "处罚依据")):
        value = _text(raw, name, label, required=False)
        if value is not None:
            fields[name] = value
    amount = _amount(raw)
    if amount is not None:
        fields["amount"] = amount
    severity = _severity(raw)
    fields["severity"] = severity.value
    label = disclosure.SEVERITY_LABELS[severity]
    if raw.get("published") is None:
        fields["published"] = severity is not disclosure.Severity.MINOR
    else:
        fields["published"] = _bool(raw.get("published"), "是否公示")
        if severity is not disclosure.Severity.MINOR and not fields["published"]:
            warnings.append(
                f"“{label}”处罚依规须公示，“是否公示”（published）只对轻微处罚有效，"
                "公示期仍按处罚情节计算。"
            )
    _published_on(raw, fields, "处罚决定日期")
    decided = date.fromisoformat(decided_on)
    declared = _date(raw, "publish_until", "公示截止日期")
    if declared is not None and declared < decided_on:
        raise RowRejected(
            f"公示截止日期（{declared}）早于处罚决定日期（{decided_on}），请核对后重新导入。"
        )
    declared_day = date.fromisoformat(declared) if declared is not None else None
    until = disclosure.publication_end(severity, decided, declared_day)
    if declared_day is not None and until < declared_day:
        months = disclosure.MAX_PUBLICATION_MONTHS[severity]
        warnings.append(
            f"公示截止日期 {declared} 超过“{label}”处罚的最长公示期"
            f"（决定之日起{months}个月），已按 {until.isoformat()} 导入。"
        )
    fields["publish_until"] = until.isoformat()
    allowed = "、".join(disclosure.REPAIR_LABELS.values()) + "（none/applying/repaired/rejected）"
    repair = _choice(raw, "repair_status", "信用修复状态", REPAIR_STATUS_ALIASES, allowed)
    fields["repair_status"] = repair or "none"
    repaired_on = _date(raw, "repaired_on", "信用修复日期")
    if fields["repair_status"] == "repaired" and repaired_on is None:
        raise RowRejected("信用修复状态为“已完成信用修复”时须填写修复日期（repaired_on）。")
    if repaired_on is not None:
        if fields["repair_status"] != "repaired":
            raise RowRejected(
                "填写了信用修复日期（repaired_on），信用修复状态（repair_status）应为"
                "“已完成信用修复”；如修复尚未完成，请清空修复日期。"
            )
        if repaired_on < decided_on:
            raise RowRejected(
                f"信用修复日期（{repaired_on}）早于处罚决定日期（{decided_on}），请核对。"
            )
        earliest = disclosure.add_months(decided, disclosure.MIN_PUBLICATION_MONTHS[severity])
        if date.fromisoformat(repaired_on) < earliest:
            warnings.append(
                f"信用修复日期 {repaired_on} 早于“{label}”处罚的最短公示期满之日"
                f"（{earliest.isoformat()}），请核对。"
            )
        fields["repaired_on"] = repaired_on
    allowed = "有效 或 已撤销（active/revoked）"
    status = _choice(raw, "status", "处罚状态", PENALTY_STATUS_ALIASES, allowed)
    fields["status"] = status or "active"
    record_id = _record_id(raw, registry.penalty_id(uscc, decision_no))
    return Valid(record_id, fields, registry.registry_scope(uscc), tuple(warnings))


def public_inspections(raw: dict[str, Any]) -> Valid:
    """Validate a ``public_inspections`` (公开的检查结果) row."""
    uscc, warnings = _uscc(raw)
    inspected_on = _required_date(raw, "inspected_on", "检查日期")
    kind = _required(raw, "inspection_kind", "检查类别")
    authority = _required(raw, "authority", "检查机关")
    fields = _public_fields(raw)
    fields |= {
        "uscc": uscc,
        "inspected_on": inspected_on,
        "inspection_kind": kind,
        "authority": authority,
        "result": _text(raw, "result", "检查结果"),
    }
    entity_name = _text(raw, "entity_name", "主体名称", required=False)
    if entity_name is not None:
        fields["entity_name"] = entity_name
    published_on = _date(raw, "published_on", "公示日期")
    if published_on is not None:
        if published_on < inspected_on:
            raise RowRejected(
                f"公示日期（{published_on}）早于检查日期（{inspected_on}），请核对后重新导入。"
            )
        fields["published_on"] = published_on
    source = _text(raw, "source", "来源检查结果表单编号", required=False)
    if source is not None:
        if not _ID.fullmatch(source):
            raise RowRejected(
                "来源检查结果表单编号（source）只能由字母、数字和 _ . : - 组成，且不超过64个字符。"
            )
        fields["source"] = source
        default = registry.mirror_id(source)
    else:
        default = registry.inspection_id(uscc, inspected_on, kind, authority)
    return Valid(_record_id(raw, default), fields, registry.registry_scope(uscc), tuple(warnings))


VALIDATORS: dict[str, Callable[[dict[str, Any]], Valid]] = {
    Collection.ENTITIES.value: entities,
    Collection.LIST_MEMBERSHIPS.value: list_memberships,
    Collection.CREDIT_GRADES.value: credit_grades,
    Collection.COMMITMENT_CATALOG.value: commitment_catalog,
    Collection.CHECKLISTS.value: checklists,
    Collection.CALENDAR_OVERRIDES.value: calendar_overrides,
    Collection.LICENCES.value: licences,
    Collection.PENALTIES.value: penalties,
    Collection.PUBLIC_INSPECTIONS.value: public_inspections,
}


def merge_checklist_rows(valid: list[Valid]) -> tuple[list[Valid], list[tuple[int, str, str]]]:
    """Merge CSV item rows into one checklist per id; whole checklists pass through.

    Returns:
        The checklists, and ``(row, id, reason)`` for item rows that contradict their first row.
    """
    merged: dict[str, Valid] = {}
    out: list[Valid] = []
    problems: list[tuple[int, str, str]] = []
    for v in valid:
        if not v.fields.get("__item_row__"):
            out.append(v)
            continue
        first = merged.get(v.record_id)
        if first is None:
            fields = {"title": v.fields["title"], "domain": v.fields["domain"], "items": []}
            first = merged[v.record_id] = replace(v, fields=fields)
        elif first.fields["title"] != v.fields["title"]:
            reason = f"检查表名称与第{first.row}行不一致（同一编号的各行名称须相同）。"
            problems.append((v.row, v.record_id, reason))
            continue
        items = first.fields["items"]
        item = dict(v.fields["item"])
        item["no"] = item["no"] or len(items) + 1
        items.append(item)
    for v in merged.values():
        v.fields["items"].sort(key=lambda i: i["no"])
        if v.fields["domain"] is None:
            del v.fields["domain"]
    out.extend(merged.values())
    return out, problems
