"""Sync protocol v1: authentication, push, pull, blobs, draws, publications, reports.

Conventions: JSON bodies, UTF-8; times are ISO 8601 in UTC; record ids are strings chosen by
whoever creates the record (UUIDs for client-created forms); ``fields`` maps field names to
JSON values. Every error answer is an :class:`ErrorBody` with a stable ``code`` (see
:class:`ReasonCode`) and a Chinese ``message`` that says what to do.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"
MAX_PUSH_BATCH = 500
MAX_PULL_LIMIT = 10_000
DEFAULT_PULL_LIMIT = 5_000
MAX_BLOB_BYTES = 64 * 1024 * 1024
BLOB_CHUNK_BYTES = 1024 * 1024

__all__ = [
    "API_PREFIX",
    "BLOB_CHUNK_BYTES",
    "DEFAULT_PULL_LIMIT",
    "MAX_BLOB_BYTES",
    "MAX_PULL_LIMIT",
    "MAX_PUSH_BATCH",
    "MAX_WIRE_INT",
    "PLATFORM_OWNED",
    "PROTOCOL_VERSION",
    "SNAPSHOT_COLLECTIONS",
    "BlobStatus",
    "BlobUploadStart",
    "Change",
    "Collection",
    "DrawClass",
    "DrawList",
    "DrawReplay",
    "DrawRequest",
    "DrawResult",
    "DrawSummary",
    "DrawTask",
    "ErrorBody",
    "FieldConflict",
    "LoginRequest",
    "Mutation",
    "MutationResult",
    "MutationStatus",
    "Op",
    "PublicationItem",
    "PublicationList",
    "PublicationMark",
    "PublicationStatistics",
    "PublicationUnitCount",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "ReasonCode",
    "RefreshRequest",
    "ReportRegistration",
    "ReportStatus",
    "ReportVerifyRequest",
    "ReportVerifyResult",
    "RiskRuleFired",
    "RiskWarning",
    "RiskWarningList",
    "Role",
    "SnapshotInfo",
    "TokenPair",
    "UserInfo",
    "WireCount",
]


class _Model(BaseModel):
    """A request: the platform refuses unknown fields (a typo must not be silently dropped)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Answer(BaseModel):
    """A response: clients ignore fields they do not know, so v1 answers can grow."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Role(enum.StrEnum):
    """Who a platform account is (scopes follow from it)."""

    WINDOW = "window"  # 窗口人员: one service hall, one region
    INSPECTOR = "inspector"  # 执法人员: one region
    SUPERVISOR = "supervisor"  # 科室负责人
    ADMIN = "admin"


class Collection(enum.StrEnum):
    """Every synced collection. The first group is platform-owned and read-only to clients."""

    ENTITIES = "entities"
    LIST_MEMBERSHIPS = "list_memberships"
    CREDIT_GRADES = "credit_grades"
    COMMITMENT_CATALOG = "commitment_catalog"
    CHECKLISTS = "checklists"
    CALENDAR_OVERRIDES = "calendar_overrides"
    INSPECTION_TASKS = "inspection_tasks"
    LICENCES = "licences"  # 行政许可
    PENALTIES = "penalties"  # 行政处罚
    PUBLIC_INSPECTIONS = "public_inspections"  # 公开的检查结果 (一公开)
    CREDIT_ENTRIES = "credit_entries"  # the city-wide public credit record (projection)
    POLICIES = "policies"  # credit policy as data (list measures, 容缺 threshold, grade scale)
    # Client-created forms.
    COMMITMENTS = "commitments"
    EDUCATION_SESSIONS = "education_sessions"
    ATTENDANCE = "attendance"
    INSPECTION_RESULTS = "inspection_results"
    FINDINGS = "findings"
    WARNINGS = "warnings"
    INTERVIEWS = "interviews"
    USCC_OVERRIDES = "uscc_overrides"
    DISHONESTY_RECORDS = "dishonesty_records"  # 失信记录 (breach / false commitment)
    REPAIR_APPLICATIONS = "repair_applications"  # 信用修复申请
    OBJECTIONS = "objections"  # 异议申请
    MEASURE_FEEDBACK = "measure_feedback"  # 联合奖惩反馈


PLATFORM_OWNED = frozenset(
    {
        Collection.ENTITIES,
        Collection.LIST_MEMBERSHIPS,
        Collection.CREDIT_GRADES,
        Collection.COMMITMENT_CATALOG,
        Collection.CHECKLISTS,
        Collection.CALENDAR_OVERRIDES,
        Collection.INSPECTION_TASKS,
        Collection.LICENCES,
        Collection.PENALTIES,
        Collection.PUBLIC_INSPECTIONS,
        Collection.CREDIT_ENTRIES,
        Collection.POLICIES,
    }
)


class ReasonCode(enum.StrEnum):
    """Stable machine-readable reasons for rejections and error answers."""

    BAD_REQUEST = "bad_request"
    VALIDATION_ERROR = "validation_error"
    BODY_TOO_LARGE = "body_too_large"
    UNAUTHENTICATED = "unauthenticated"
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 - a reason code, not a secret
    TOKEN_REUSED = "token_reused"  # noqa: S105
    BAD_CREDENTIALS = "bad_credentials"
    RATE_LIMITED = "rate_limited"
    DEVICE_REVOKED = "device_revoked"
    DEVICE_MISMATCH = "device_mismatch"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    UNKNOWN_COLLECTION = "unknown_collection"
    READ_ONLY_COLLECTION = "read_only_collection"
    MISSING_FIELD = "missing_field"
    INVALID_FIELD = "invalid_field"
    INVALID_USCC = "invalid_uscc"
    ILLEGAL_TRANSITION = "illegal_transition"
    CALENDAR_UNKNOWN = "calendar_unknown"
    RECORD_EXISTS = "record_exists"
    RECORD_MISSING = "record_missing"
    RECORD_DELETED = "record_deleted"
    RECORD_IN_USE = "record_in_use"  # 409-like: other records still point at it
    BASE_VERSION_REQUIRED = "base_version_required"
    BLOB_TOO_LARGE = "blob_too_large"
    BLOB_OFFSET_MISMATCH = "blob_offset_mismatch"
    BLOB_DIGEST_MISMATCH = "blob_digest_mismatch"
    BLOB_MISSING = "blob_missing"
    CURSOR_INVALID = "cursor_invalid"
    INTERNAL_ERROR = "internal_error"
    # 双随机 draws, report verification.
    NOT_ENOUGH_INSPECTORS = "not_enough_inspectors"
    NO_CANDIDATES = "no_candidates"
    PAYLOAD_INVALID = "payload_invalid"
    SIGNATURE_INVALID = "signature_invalid"
    REPORT_CONFLICT = "report_conflict"
    NUMBER_NOT_OWNED = "number_not_owned"  # 403: the number is another device's or hall's
    REGISTRATION_LATE = "registration_late"  # 409: past the offline registration window


class ErrorBody(_Answer):
    """Every 4xx/5xx answer. ``message`` is Chinese and says what to do next."""

    code: ReasonCode
    message: str
    detail: Any | None = None


# --- authentication and devices -------------------------------------------------------------

DeviceId = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class LoginRequest(_Model):
    """Password login from one device; the first login of a device enrols its public key."""

    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]
    device_id: DeviceId
    device_public_key: Annotated[
        str, Field(description="Ed25519 public key, 32 raw bytes, base64", max_length=64)
    ]
    device_name: Annotated[str, Field(max_length=128)] = ""


class RefreshRequest(_Model):
    """Trade a refresh token for a new token pair (the old refresh token is spent)."""

    refresh_token: Annotated[str, Field(min_length=16, max_length=256)]
    device_id: DeviceId


class UserInfo(_Answer):
    """The account a token belongs to."""

    username: str
    display_name: str
    role: Role
    hall_id: str | None
    region_code: str | None


class TokenPair(_Answer):
    """Bearer tokens bound to one device."""

    access_token: str
    refresh_token: str
    expires_in: int
    user: UserInfo
    server_epoch: str


# --- push ---------------------------------------------------------------------------------

MAX_WIRE_INT = 2**53 - 1
"""The largest sequence number or version a request may carry: exact in every JSON reader
(JavaScript's safe integers) and far inside the platform's 64-bit columns, so an out-of-range
number is a 422 that says so, never a database overflow."""

WireCount = Annotated[int, Field(ge=0, le=MAX_WIRE_INT)]
"""A non-negative integer on the wire (versions, sizes, counts) with its range."""

Op = Literal["create", "update", "delete"]
RecordId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class Mutation(_Model):
    """One local change, identified by ``(device_id, mutation_seq)``."""

    mutation_seq: Annotated[int, Field(ge=1, le=MAX_WIRE_INT)]
    collection: str
    record_id: RecordId
    op: Op
    base_version: WireCount | None = None
    fields: dict[str, Any] = Field(default_factory=dict)


class PushRequest(_Model):
    """A batch of mutations in ``mutation_seq`` order."""

    device_id: DeviceId
    mutations: Annotated[list[Mutation], Field(max_length=MAX_PUSH_BATCH)]


class MutationStatus(enum.StrEnum):
    """What the platform did with a mutation."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # a resend: ``original`` holds the stored result
    CONFLICT = "conflict"  # non-overlapping fields merged; overlapping ones in ``conflicts``
    REJECTED = "rejected"


class FieldConflict(_Answer):
    """A field both sides changed since ``base_version``: the server value stays current."""

    field: str
    server_value: Any
    client_value: Any


class MutationResult(_Answer):
    """The outcome of one mutation."""

    mutation_seq: int
    status: MutationStatus
    collection: str
    record_id: str
    version: int | None = None
    reason: ReasonCode | None = None
    message: str | None = None
    conflicts: list[FieldConflict] = Field(default_factory=list)
    server_fields: dict[str, Any] | None = None
    original: MutationStatus | None = None


class PushResponse(_Answer):
    """One result per mutation, in request order."""

    results: list[MutationResult]


# --- pull ---------------------------------------------------------------------------------


class Change(_Answer):
    """The current state of one record (``deleted``: a tombstone, ``fields`` is null)."""

    collection: str
    record_id: str
    version: int
    deleted: bool = False
    fields: dict[str, Any] | None = None


class PullResponse(_Answer):
    """A page of changes after ``cursor``.

    ``reset`` true: the cursor can no longer be served; drop platform-owned data and pull
    from the start (keep unsynced local work). ``cursor`` is opaque: send it back as is.
    """

    changes: list[Change]
    cursor: str
    has_more: bool
    reset: bool = False


# --- blobs --------------------------------------------------------------------------------

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class BlobUploadStart(_Model):
    """Announce a blob before sending its chunks."""

    sha256: Sha256Hex
    size: Annotated[int, Field(ge=0, le=MAX_WIRE_INT)]  # over MAX_BLOB_BYTES: a 413 that says so
    content_type: Annotated[str, Field(max_length=128)] = "application/octet-stream"


class BlobStatus(_Answer):
    """How much of a blob the platform holds; resume the upload from ``received``."""

    sha256: str
    size: int
    received: int
    complete: bool


# --- first-pull snapshot --------------------------------------------------------------------

SNAPSHOT_COLLECTIONS = frozenset(
    c.value
    for c in (
        Collection.ENTITIES,
        Collection.LIST_MEMBERSHIPS,
        Collection.LICENCES,
        Collection.PENALTIES,
        Collection.PUBLIC_INSPECTIONS,
        Collection.CREDIT_ENTRIES,
        Collection.COMMITMENT_CATALOG,
        Collection.CHECKLISTS,
        Collection.CALENDAR_OVERRIDES,
        Collection.POLICIES,
    )
)
"""What a window's first-pull snapshot covers: the city-wide registry and public credit record
and the reference data every window reads (never a hall's forms, never the risk classes or
the supervisors' policies). The platform serves the rest of a window's scope by pull."""


class SnapshotInfo(_Model):
    """A ready-made store for a window's first pull (``GET /v1/sync/snapshot``).

    The file (``GET /v1/sync/snapshot/{sha256}``) is a client store encrypted under ``key``
    (64 hex digits; the client re-encrypts it under its own key at once) holding every
    :data:`SNAPSHOT_COLLECTIONS` change up to ``cursor`` and no device's own data. A client
    that adopts it pulls from the start with ``snapshot=cursor``: the platform then leaves out
    what the snapshot already holds. The same model is the manifest the builder writes
    beside the file (``snapshot.json``) and ``credit-platform publish-snapshot`` reads.
    """

    cursor: Annotated[str, Field(min_length=1, max_length=512)]
    schema_revision: Annotated[str, Field(min_length=1, max_length=64)]
    size: Annotated[int, Field(gt=0, le=MAX_WIRE_INT)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    key: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    entities: Annotated[int, Field(ge=0, le=MAX_WIRE_INT)]


# --- 双随机 draw ---------------------------------------------------------------------------


class DrawRequest(_Model):
    """A supervisor's 双随机 draw.

    The platform samples each risk class at its rate (the ``grade_scale`` policy, raised for
    entities under list measures) and chooses the seed itself; it records seed and inputs so
    the draw can be replayed. ``share`` is the fraction of the yearly rates this draw takes
    (1 for a yearly draw, 0.25 for a quarterly one). A supervisor draws in their own region
    (the default); an admin anywhere (no region: the whole registry).
    """

    title: Annotated[str, Field(min_length=1, max_length=200)]
    region_code: str | None = None
    industry: str | None = None
    share: Annotated[float, Field(gt=0, le=1)] = 1.0
    inspector_usernames: list[str] | None = None
    checklist_id: str | None = None
    due_working_days: Annotated[int, Field(ge=1, le=250)] = 20


class DrawTask(_Answer):
    """One drawn entity and its two inspectors, with its sampling rate in this draw."""

    task_id: str
    uscc: str
    entity_name: str
    credit_grade: str | None
    inspectors: list[str]
    sampling_rate: float | None = None


class DrawClass(_Answer):
    """One risk class of a draw: its pool, its rate in this draw, and how many were drawn.

    ``rate`` is the class's yearly rate times the draw's ``share``; ``drawn`` is
    ``ceil`` of the sum of the per-entity rates of the pool (the ``raised`` ones count with
    their list-raised rate), at least one when the pool is non-empty and the rate positive.
    """

    code: str
    pool: int
    rate: float
    raised: int = 0
    drawn: int


class DrawResult(_Answer):
    """The outcome of a draw, enough to reproduce it."""

    draw_id: str
    title: str
    seed: str
    inputs: dict[str, Any]
    candidates: int
    classes: list[DrawClass] = Field(default_factory=list)
    tasks: list[DrawTask]
    created_at: str


class DrawSummary(_Answer):
    """One draw in the list of draws (``GET /v1/draws``); the tasks are in ``DrawResult``."""

    draw_id: str
    title: str
    seed: str
    region_code: str | None
    industry: str | None
    share: float = 1.0
    candidates: int
    task_count: int
    created_by: str
    created_at: str


class DrawReplay(_Answer):
    """A recorded draw recomputed from its seed and inputs (``GET /v1/draws/{id}/replay``).

    ``matches``: the rerun gave the same tasks (entities and inspectors) in the same order.
    ``digest_matches``: the registry today (entities, grades, lists in force on the draw date)
    gives the candidate digest the draw recorded; when it does not, the draw is not rerun
    (``tasks_compared`` 0) and ``message`` says the registry changed.
    """

    draw_id: str
    matches: bool
    digest_matches: bool
    recorded_digest: str | None
    current_digest: str | None
    tasks_compared: int
    message: str


class DrawList(_Answer):
    """Draws, newest first."""

    items: list[DrawSummary]


# --- publication feed (一公开 / 双公示) -------------------------------------------------------


class PublicationItem(_Answer):
    """A decision or result due for publication within 7 working days."""

    id: str
    kind: str
    collection: str
    record_id: str
    title: str
    uscc: str | None
    decided_on: str
    deadline: str | None
    deadline_note: str | None
    published_at: str | None
    overdue: bool
    # The publication desk: who decided, about whom and what, and where and when it went
    # online (``published_at`` is when that was recorded; ``late``: online after the deadline).
    unit: str | None = None
    region_code: str | None = None
    entity_name: str | None = None
    matter: str | None = None
    published_on: str | None = None
    published_where: str | None = None
    published_by: str | None = None
    late: bool = False


class PublicationList(_Answer):
    """A page of the publication feed."""

    items: list[PublicationItem]
    as_of: str


IsoDay = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class PublicationMark(_Model):
    """``POST /v1/publications/{id}/publish``: the day an item went online and where.

    ``published_on`` defaults to the platform's China date, never in the future nor before the
    decision; who recorded it and when are the platform's.
    """

    published_on: IsoDay | None = None
    where: Annotated[str, Field(max_length=200)] | None = None


class PublicationUnitCount(_Answer):
    """One unit's items: online in time, online late, not yet online (and overdue of those)."""

    unit: str
    on_time: int
    late: int
    pending: int
    overdue: int
    total: int


class PublicationStatistics(_Answer):
    """``GET /v1/publications/statistics``: counts per unit, the kinds in scope, as of a day."""

    units: list[PublicationUnitCount]
    kinds: list[str]
    as_of: str
    region: str | None = None


# --- credit report verification -------------------------------------------------------------


class ReportRegistration(_Model):
    """A device registers a report it issued (when online)."""

    report_no: Annotated[str, Field(min_length=4, max_length=64)]
    payload: Annotated[str, Field(max_length=2048)]


class ReportVerifyRequest(_Model):
    """Check a report number and the payload read from its QR code."""

    report_no: Annotated[str, Field(min_length=4, max_length=64)]
    payload: Annotated[str, Field(max_length=2048)]


class ReportStatus(enum.StrEnum):
    """What the platform can say about a printed report (``reason`` says it in Chinese)."""

    GENUINE = "genuine"  # signed by its device and registered in time by it
    UNKNOWN = "unknown"  # unconfirmed: not registered (in time), dated ahead, device unknown
    NOT_VALID_AFTER = "not_valid_after"  # device revoked, report not registered before that
    FORGED = "forged"  # bad signature, altered number, or another report under this number
    UNREADABLE = "unreadable"  # the QR text is not a report payload of this system


class ReportVerifyResult(_Answer):
    """What the platform knows of a report: ``status`` and a Chinese ``reason`` saying what to do.

    ``genuine`` (kept for older clients) is true exactly when ``status`` is ``genuine``.
    ``registered_at`` is the platform's own registration time; ``not_valid_after`` the time the
    issuing device was revoked (its signatures count only for reports registered before it).
    """

    genuine: bool
    reason: str
    report_no: str
    uscc: str | None = None
    issued_at: str | None = None
    device_id: str | None = None
    registered: bool = False
    status: ReportStatus = ReportStatus.UNKNOWN
    registered_at: str | None = None
    not_valid_after: str | None = None


# --- 风险预警 (supervisors and admins only; never a window) -------------------------------------


class RiskRuleFired(_Answer):
    """One early-warning rule that fired for an entity, with why, and its effect on draws.

    ``raise_to`` is the yearly sampling rate the flag raises the entity to at least,
    ``rate_factor`` the factor it multiplies the rate by (the ``risk_rules`` policy).
    """

    code: str
    kind: str
    label: str
    explanation: str
    raise_to: float = 0.0
    rate_factor: float = 1.0


class RiskWarning(_Answer):
    """A flagged entity (``GET /v1/risk-warnings``): the rules that fired and the combined raise."""

    uscc: str
    entity_name: str
    region_code: str | None
    rules: list[RiskRuleFired]
    raise_to: float = 0.0
    rate_factor: float = 1.0


class RiskWarningList(_Answer):
    """A page of flagged entities, by USCC, evaluated on ``as_of`` (China date)."""

    items: list[RiskWarning]
    total: int
    as_of: str
    rules_revision: int
