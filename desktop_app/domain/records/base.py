"""The base of every typed record: field kinds, submit-time checks, lenient reads.

A record type is a pydantic model with one class per synced collection. Its fields say the
type, the Chinese label, whether the field is required when the record is submitted, and the
value range; the class variables say who writes the collection and how its scope is derived.
The same class is used by the client (before it saves a form) and by the platform (when a
push arrives), so both refuse the same input with the same reason code.

Two ways in:

* :meth:`RecordModel.check` — strict, for a record about to be saved or pushed: required
  fields present, every declared value of the right type and range; raises
  :class:`RecordInvalid` with the protocol's reason code and a Chinese message.
* :meth:`RecordModel.read` — lenient, for a record already stored: a value that does not fit
  its field is dropped (the field keeps its default) rather than hiding the whole record.

Fields a definition does not declare are kept as they come (forms grow; a newer client may
send more), and :meth:`RecordModel.to_fields` writes them back unchanged.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    StringConstraints,
    ValidationError,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.errors import DomainError
from desktop_app.domain.records.states import StateMachine

__all__ = [
    "MAX_ATTACHMENTS",
    "MAX_WORKING_DAYS",
    "OVERRIDE_REASON_FIELD",
    "Blobs",
    "Flag",
    "IsoDate",
    "LongText",
    "Owner",
    "RecordInvalid",
    "RecordModel",
    "Text",
    "Texts",
    "WorkingDays",
    "choice",
    "field",
]

_log = logging.getLogger(__name__)

MAX_WORKING_DAYS = 250
"""The longest period in working days any form may set (about one year)."""
MAX_ATTACHMENTS = 100
"""Most attachments one form may cite."""
OVERRIDE_REASON_FIELD = "uscc_override_reason"
"""The field beside a USCC that records why a code failing only its check digit is used."""
MAX_TEXT = 2000
MAX_LONG_TEXT = 50_000
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")

Kind = Literal[
    "text", "long_text", "date", "int", "bool", "texts", "choice", "uscc", "blobs", "any"
]


class Owner(enum.StrEnum):
    """Who writes a collection."""

    PLATFORM = "platform"
    CLIENT = "client"


class RecordInvalid(DomainError):  # noqa: N818 - a verdict on input, like IllegalTransition
    """A record breaks its definition; the message (Chinese) says what to fix.

    Attributes:
        code: The sync protocol's reason code (``missing_field``, ``invalid_field``,
            ``invalid_uscc``, ``illegal_transition``) — the platform answers the same one.
        field: The field at fault ("" for a rule over several fields).
    """

    def __init__(self, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.field = field


# --- value types ---------------------------------------------------------------------------


def _none_to(default: Any) -> Any:
    def convert(value: Any) -> Any:
        return default if value is None else value

    return convert


def _parse_date(value: Any) -> Any:
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_format", "not a YYYY-MM-DD date")


def _sha256_list(value: Any) -> Any:
    if value is None:
        return []
    if (
        isinstance(value, list)
        and len(value) <= MAX_ATTACHMENTS
        and all(isinstance(v, str) and _SHA256.fullmatch(v) for v in value)
    ):
        return value
    raise PydanticCustomError("blobs_format", "not a list of SHA-256 digests")


# The before-validator comes last in the metadata, so it wraps the whole string check: the
# strict type and the length limit then stay in pydantic-core. After it, they ran as Python
# validators per value, and reading a record took twice as long (the pull reads 300,000
# entities of ten text fields; docs/PERFORMANCE.md, "The pull").
Text = Annotated[
    str, Strict(), StringConstraints(max_length=MAX_TEXT), BeforeValidator(_none_to(""))
]
"""Text up to 2,000 characters; null reads as ""."""
LongText = Annotated[
    str, Strict(), StringConstraints(max_length=MAX_LONG_TEXT), BeforeValidator(_none_to(""))
]
"""Text up to 50,000 characters (conclusions, evidence, letters)."""
IsoDate = Annotated[
    date | None,
    BeforeValidator(_parse_date),
    PlainSerializer(lambda d: d.isoformat() if d else None, return_type=str | None),
]
"""A date written ``YYYY-MM-DD`` on the wire and in the store."""
WorkingDays = Annotated[int | None, Strict(), Field(ge=1, le=MAX_WORKING_DAYS)]
"""A period of 1 … 250 working days."""
Flag = Annotated[bool, BeforeValidator(_none_to(False)), Strict()]
"""Yes or no; null reads as no."""
Texts = Annotated[list[Annotated[str, Strict()]], BeforeValidator(_none_to([]))]
"""A list of texts."""
Blobs = Annotated[list[str], BeforeValidator(_sha256_list)]
"""SHA-256 digests of attachments (at most 100)."""

E = TypeVar("E", bound=enum.StrEnum)


def choice(enum_type: type[E]) -> BeforeValidator:
    """The validator of a field holding one value of ``enum_type`` (its code on the wire).

    Use as ``Annotated[Kind | None, choice(Kind)]``: a code becomes the member, anything
    else is refused (``choice`` error).

    Args:
        enum_type: The enumeration.
    """

    def convert(value: Any) -> Any:
        if value is None or isinstance(value, enum_type):
            return value
        if isinstance(value, str):
            try:
                return enum_type(value)
            except ValueError:
                pass
        raise PydanticCustomError("choice", "not one of the choices")

    return BeforeValidator(convert)


def field(
    label: str,
    kind: Kind,
    *,
    required: bool = False,
    default: Any = None,
    choices: tuple[str, ...] = (),
    low: int | None = None,
    high: int | None = None,
    nullable: bool = False,
) -> Any:
    """A declared field: its Chinese label, its kind, whether it is required on submit.

    Args:
        label: The Chinese name used in messages and forms.
        kind: How the value is checked and described in messages.
        required: Must be present (and, for text, not blank) when the record is submitted.
        default: The value a record without the field reads as.
        choices: Allowed codes of a ``choice`` (for the message).
        low: Lowest ``int``.
        high: Highest ``int``.
        nullable: A ``texts`` field that reads as None when absent (not as ``[]``).
    """
    if default is None and kind == "blobs":
        return Field(
            default_factory=list,
            title=label,
            json_schema_extra={"kind": kind, "required": required},
        )
    extra: dict[str, Any] = {"kind": kind, "required": required}
    if choices:
        extra["choices"] = list(choices)
    if low is not None:
        extra["low"] = low
    if high is not None:
        extra["high"] = high
    if default is None and kind == "texts" and not nullable:
        default = []
    if default is None and kind in {"text", "long_text", "uscc"}:
        default = ""
    if default is None and kind == "bool":
        default = False
    if isinstance(default, list) and not default:
        # A fresh list per record without a deep copy of the default each time.
        return Field(default_factory=list, title=label, json_schema_extra=extra)
    return Field(default=default, title=label, json_schema_extra=extra)


# --- the base ------------------------------------------------------------------------------


class RecordModel(BaseModel):
    """One synced record, typed. Subclasses declare fields with :func:`field`.

    Class attributes:
        COLLECTION: The collection's name on the wire.
        LABEL: Chinese name for messages.
        OWNER: Who writes it.
        SCOPE_BY: How a new record's scope is derived: ``hall`` (window forms), ``task``
            (inspection forms), ``platform`` (imports and draws).
        CREATE_ROLES: Roles (``sync.protocol.Role`` values) that may create it by push.
        IMMUTABLE: Fields fixed at creation.
        DERIVED: Fields the platform computes; a client's value is replaced.
        STATES: The lifecycle table, for a record type that has one.
    """

    model_config = ConfigDict(
        extra="allow", frozen=True, validate_default=False, arbitrary_types_allowed=False
    )

    COLLECTION: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
    OWNER: ClassVar[Owner] = Owner.PLATFORM
    SCOPE_BY: ClassVar[Literal["platform", "hall", "task"]] = "platform"
    CREATE_ROLES: ClassVar[frozenset[str]] = frozenset()
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset()
    DERIVED: ClassVar[frozenset[str]] = frozenset()
    STATES: ClassVar[StateMachine[Any] | None] = None
    AUTHOR_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """Who made the form: the platform writes the authenticated account's name at creation
    and refuses a change (a colleague cannot rewrite who recorded an inspection)."""
    STAMP_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """When the form was made: the platform writes its own clock at creation, keeps the
    client's value as ``client_<field>`` and refuses a change."""
    NAMED_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """Names the registry knows (``entity_name``): the platform writes the registry's name for
    the form's ``uscc`` at creation when it holds the entity, and refuses a change."""

    @classmethod
    def platform_set(cls) -> frozenset[str]:
        """Every field the platform sets at creation and a client may not change after."""
        stamped = frozenset(f"client_{name}" for name in cls.STAMP_FIELDS)
        return cls.AUTHOR_FIELDS | cls.STAMP_FIELDS | cls.NAMED_FIELDS | stamped

    # -- reading and writing --------------------------------------------------------------

    @classmethod
    def read(cls, data: Mapping[str, Any] | None) -> Self:
        """A stored record, leniently: values that do not fit their field are dropped.

        Args:
            data: The stored fields (None or a non-mapping reads as an empty record).
        """
        if isinstance(data, dict):
            try:
                return cls.model_validate(data)  # the common case: no copy
            except ValidationError:
                pass
        raw = dict(data) if isinstance(data, Mapping) else {}
        for _ in range(len(cls.model_fields) + 1):
            try:
                return cls.model_validate(raw)
            except ValidationError as err:
                bad = {str(e["loc"][0]) for e in err.errors() if e["loc"]}
                if not bad & raw.keys():
                    break
                for name in bad:
                    raw.pop(name, None)
        _log.warning("%s: unreadable record fields dropped", cls.COLLECTION)
        return cls.model_construct()

    @classmethod
    def check(cls, data: Mapping[str, Any], before: Mapping[str, Any] | None = None) -> Self:
        """A record about to be saved or pushed, strictly.

        Args:
            data: All the fields the record will have.
            before: The stored fields before this change; None for a new record.

        Raises:
            RecordInvalid: A required field is missing, or a value does not fit.
        """
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra
            if not isinstance(extra, dict) or not extra.get("required"):
                continue
            value = data.get(name)
            if value is None:
                raise RecordInvalid(
                    "missing_field",
                    f"缺少必填项“{info.title}”（{name}），请填写后再提交。",
                    name,
                )
            if extra.get("kind") in {"text", "long_text"} and (
                not isinstance(value, str) or not value.strip()
            ):
                raise RecordInvalid("invalid_field", f"“{info.title}”应为非空文字。", name)
        try:
            record = cls.model_validate(dict(data))
        except ValidationError as err:
            raise _invalid(cls, err) from None
        record.check_rules(None if before is None else cls.read(before))
        return record

    def check_rules(self, before: Self | None) -> None:
        """Rules over several fields, applied by :meth:`check` (subclasses add theirs).

        Args:
            before: The record before this change (read leniently); None for a new one.

        Raises:
            RecordInvalid: A rule refuses the record.
        """
        self.check_state(before)
        for name, info in type(self).model_fields.items():
            extra = info.json_schema_extra
            if isinstance(extra, dict) and extra.get("kind") == "uscc":
                self._check_uscc(name, str(info.title))

    def check_state(self, before: Self | None) -> None:
        """The lifecycle table's rule for this change (nothing for a type without one).

        Raises:
            RecordInvalid: ``illegal_transition``.
        """
        table = type(self).STATES
        if table is None:
            return
        old = None if before is None else getattr(before, table.field)
        new = getattr(self, table.field)
        if not table.allows(old, new):
            label = type(self).label_of(table.field)
            then = "新建时" if old is None else f"从“{_shown(old)}”"
            raise RecordInvalid(
                table.code, f"{type(self).LABEL}的“{label}”不能{then}改为“{_shown(new)}”。", label
            )

    def _check_uscc(self, name: str, label: str) -> None:
        value = getattr(self, name)
        if not value:
            return
        check = uscc_rules.check_uscc(value)
        if check.ok:
            return
        reason = getattr(self, OVERRIDE_REASON_FIELD, None)
        if check.check_digit_only:
            if isinstance(reason, str) and len(reason.strip()) >= uscc_rules.MIN_OVERRIDE_REASON:
                return
            raise RecordInvalid(
                "invalid_uscc",
                f"{check.message}\n如营业执照上的代码确实如此，请在“例外使用理由”"
                f"（{OVERRIDE_REASON_FIELD}）中填写至少{uscc_rules.MIN_OVERRIDE_REASON}个字的理由。",
                name,
            )
        raise RecordInvalid("invalid_uscc", f"统一社会信用代码有误：\n{check.message}", name)

    def cited_blobs(self) -> list[str]:
        """The SHA-256 digests this record cites (every attachments-kind field)."""
        out: list[str] = []
        for name, info in type(self).model_fields.items():
            extra = info.json_schema_extra
            if isinstance(extra, dict) and extra.get("kind") == "blobs":
                out.extend(getattr(self, name))
        return out

    @property
    def entity_uscc(self) -> str | None:
        """The code of the entity this record concerns (its ``uscc``), if it has one."""
        value = getattr(self, "uscc", None)
        return value if isinstance(value, str) and 0 < len(value) <= 18 else None

    def value_of(self, name: str) -> Any:
        """A field's value by name, declared or not (None when absent)."""
        if name in type(self).model_fields:
            return getattr(self, name)
        return (self.model_extra or {}).get(name)

    def normalized(self) -> dict[str, Any]:
        """Declared values the definition normalizes (USCC codes), by field name."""
        out: dict[str, Any] = {}
        for name, info in type(self).model_fields.items():
            extra = info.json_schema_extra
            value = getattr(self, name)
            if isinstance(extra, dict) and extra.get("kind") == "uscc" and value:
                out[name] = uscc_rules.normalize(value)
        return out

    def to_fields(self) -> dict[str, Any]:
        """The record as stored and sent: JSON-ready, undeclared fields kept as they came."""
        return self.model_dump(mode="json", exclude_unset=True)

    def differing(self, wanted: Mapping[str, Any]) -> dict[str, Any]:
        """The entries of ``wanted`` (field → new value) that differ from this record.

        Values compare as stored (dates as ISO text, enumerations as their values), so the
        result is exactly the update to write.
        """
        stored = self.to_fields()
        return {k: v for k, v in _jsonable(wanted).items() if stored.get(k) != v}

    def changed(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied (values checked like :meth:`read` would)."""
        return type(self).read({**self.to_fields(), **_jsonable(changes)})

    @classmethod
    def label_of(cls, name: str) -> str:
        """The Chinese label of a field ("" for an undeclared one)."""
        info = _info(cls, name)
        return str(info.title) if info is not None and info.title else name

    @classmethod
    def kind_of(cls, name: str) -> Kind | None:
        """The kind of a declared field, or None."""
        info = _info(cls, name)
        extra = info.json_schema_extra if info is not None else None
        return extra.get("kind") if isinstance(extra, dict) else None  # type: ignore[return-value]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(getattr(value, "value", value))


def _info(cls: type[RecordModel], name: str) -> FieldInfo | None:
    known = cls.model_fields
    return known.get(name)


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, date):
            out[name] = value.isoformat()
        elif isinstance(value, enum.Enum):
            out[name] = value.value
        else:
            out[name] = value
    return out


def _invalid(cls: type[RecordModel], err: ValidationError) -> RecordInvalid:
    first = err.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    info = _info(cls, name)
    label = str(info.title) if info is not None and info.title else name
    extra = info.json_schema_extra if info is not None else None
    meta: dict[str, Any] = extra if isinstance(extra, dict) else {}
    kind = meta.get("kind")
    kind_text = {
        "date": f"“{label}”应为日期，格式为 YYYY-MM-DD，例如 2025-03-18。",
        "int": f"“{label}”应为{meta.get('low')}至{meta.get('high')}之间的整数。",
        "bool": f"“{label}”应为是或否（true/false）。",
        "texts": f"“{label}”应为文字列表。",
        "blobs": (
            f"“{label}”应为附件 SHA-256 摘要（64位小写十六进制）的列表，最多{MAX_ATTACHMENTS}个。"
        ),
        "choice": f"“{label}”应为以下之一：{'、'.join(sorted(meta.get('choices', [])))}。",
        "uscc": f"“{label}”应为18位统一社会信用代码。",
    }
    if first["type"] in {"string_too_long", "too_long"}:
        limit = MAX_LONG_TEXT if kind == "long_text" else MAX_TEXT
        message = f"“{label}”超过{limit}字，请精简。"
    elif kind in kind_text:
        message = kind_text[kind]
    elif kind in {"text", "long_text"}:
        message = f"“{label}”应为文字。"
    else:
        message = f"“{label}”（{name}）的值无效。"
    return RecordInvalid("invalid_uscc" if kind == "uscc" else "invalid_field", message, name)
