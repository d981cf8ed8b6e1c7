"""统一社会信用代码 (unified social credit code, USCC; GB 32100-2015).

Checks a code and says what is wrong and where, decodes it, pulls codes out of pasted text or a
licence QR payload, and lets staff use a code that fails only its check digit with a recorded
reason (some legal codes from early pilots do).

Layout: 1 登记管理部门码, 2 机构类别码, 3–8 行政区划码, 9–17 主体标识码 (a GB 11714
organisation code, its own check digit at 17), 18 校验码.
"""

from __future__ import annotations

import enum
import re
import string
from dataclasses import dataclass
from itertools import accumulate
from urllib.parse import unquote

from desktop_app.domain.errors import DomainError
from desktop_app.domain.regions import DEFAULT_REGIONS, RegionInfo, RegionTable

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_LENGTH = 18
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
USCC_PATTERN = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
MIN_OVERRIDE_REASON = 4

_VALUE = {ch: value for value, ch in enumerate(ALPHABET)}
_ORG_ALPHABET = string.digits + string.ascii_uppercase  # GB 11714 values 0–35
_REGION = range(3, 9)

# fmt: off
DEPARTMENTS = {
    "1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游",
    "7": "宗教", "8": "工会", "9": "工商/市场监管", "A": "军队编制", "N": "农业", "Y": "其他",
}
CATEGORIES = {
    ("1", "1"): "机关", ("1", "2"): "事业单位", ("1", "3"): "群众团体", ("1", "9"): "其他",
    ("5", "1"): "社会团体", ("5", "2"): "民办非企业单位", ("5", "3"): "基金会",
    ("9", "1"): "企业", ("9", "2"): "个体工商户", ("9", "3"): "农民专业合作社",
}
# fmt: on

# Look-alikes people and OCR confuse with the letters the standard leaves out.
_LOOKALIKES = {"O": "0", "I": "1", "S": "5", "Z": "2", "V": "U"}
# In 3–8 only digits are allowed, so letters that look like digits are worth suggesting too.
_DIGIT_LOOKALIKES = {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"}

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"
_SPACES = "\u3000\u00a0"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _table(*, keep_separators: bool) -> dict[int, int | None]:
    # Full-width ASCII (U+FF01–FF5E) sits at a fixed offset from ASCII.
    table: dict[int, int | None] = {
        cp: ord(chr(cp - 0xFEE0).upper()) for cp in range(0xFF01, 0xFF5F)
    }
    table |= {ord(ch): ord(ch.upper()) for ch in string.ascii_lowercase}
    table |= dict.fromkeys(map(ord, _DASHES), ord("-") if keep_separators else None)
    table |= dict.fromkeys(map(ord, _SPACES), ord(" ") if keep_separators else None)
    return table | dict.fromkeys(map(ord, _INVISIBLE))


_NORMALIZE = _table(keep_separators=False)
_SCAN = _table(keep_separators=True)


def normalize(text: str) -> str:
    """Put a typed, pasted or scanned code into canonical form (not necessarily a valid code).

    Full-width characters become half-width, letters upper-case; whitespace, dashes and
    invisible characters are dropped. Idempotent.

    Args:
        text: What the user entered.
    """
    return "".join(ch for ch in text.translate(_NORMALIZE) if not ch.isspace())


class UsccProblemKind(enum.Enum):
    """What kind of fault a code has."""

    LENGTH = "length"
    CHARACTER = "character"
    REGION_DIGITS = "region_digits"
    CHECK_DIGIT = "check_digit"
    ORG_CODE_CHECK = "org_code_check"


@dataclass(frozen=True, slots=True)
class UsccProblem:
    """One fault in a code.

    Attributes:
        kind: What is wrong.
        position: 1-based position of the faulty character, if there is one.
        expected: What should be there: the right length, check digit, or a likely correct
            character for a look-alike; ``None`` when it cannot be known.
        actual: What is there.
        message: Chinese message naming the position and what to do.
    """

    kind: UsccProblemKind
    position: int | None
    expected: str | None
    actual: str | None
    message: str


@dataclass(frozen=True, slots=True)
class UsccCheck:
    """The result of checking a code.

    Attributes:
        normalized: The input after :func:`normalize`.
        problems: Blocking faults: wrong length, characters, region digits or check digit.
        warnings: Non-blocking faults: the organisation-code check at position 17, which some
            legal codes fail.
        suggestion: The code with each look-alike character replaced (``O``→``0`` …), offered
            only when that corrected code passes every blocking check.
    """

    normalized: str
    problems: tuple[UsccProblem, ...] = ()
    warnings: tuple[UsccProblem, ...] = ()
    suggestion: str | None = None

    @property
    def ok(self) -> bool:
        """Format and check digit are valid (warnings do not count)."""
        return not self.problems

    @property
    def check_digit_only(self) -> bool:
        """The check digit is the one blocking fault, so an override may accept the code."""
        return bool(self.problems) and all(
            p.kind is UsccProblemKind.CHECK_DIGIT for p in self.problems
        )

    @property
    def message(self) -> str:
        """All problem and warning messages, one per line; empty for a clean code."""
        return "\n".join(p.message for p in (*self.problems, *self.warnings))


class UsccError(DomainError):
    """A code could not be used as asked; ``check`` holds the faults, if any were found."""

    def __init__(self, message: str, check: UsccCheck | None = None) -> None:
        super().__init__(message)
        self.check = check


def _position_problem(position: int, ch: str, *, in_alphabet: bool) -> UsccProblem:
    guess = _DIGIT_LOOKALIKES.get(ch) if position in _REGION else _LOOKALIKES.get(ch)
    hint = f"可能应为“{guess}”。" if guess else "请核对营业执照。"
    kind = UsccProblemKind.REGION_DIGITS if in_alphabet else UsccProblemKind.CHARACTER
    if in_alphabet:  # a valid character, but 3–8 must be digits
        what = "应为数字（第3–8位是登记管理机关行政区划码）"
    elif ch in string.ascii_uppercase:
        what = "不是有效字符（统一社会信用代码不使用 I、O、S、V、Z）"
    else:
        what = "不是有效字符（统一社会信用代码只由数字和大写字母组成）"
    return UsccProblem(kind, position, guess, ch, f"第{position}位“{ch}”{what}，{hint}")


def compute_check_digit(first17: str) -> str:
    """Compute the position-18 check digit (GB 32100-2015).

    Args:
        first17: The first 17 characters, normalized, all from :data:`ALPHABET`.

    Raises:
        ValueError: ``first17`` is not 17 alphabet characters.
    """
    if len(first17) != USCC_LENGTH - 1 or any(ch not in _VALUE for ch in first17):
        raise ValueError(f"need 17 characters of the USCC alphabet: {first17!r}")
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def compute_org_check_digit(body8: str) -> str:
    """Compute the GB 11714 organisation-code check digit (USCC position 17): ``0``–``9`` or ``X``.

    Args:
        body8: The eight body characters (USCC positions 9–16), digits or upper-case letters.

    Raises:
        ValueError: ``body8`` is not eight digits or upper-case letters.
    """
    if len(body8) != len(ORG_WEIGHTS) or any(ch not in _ORG_ALPHABET for ch in body8):
        raise ValueError(f"need 8 digits or upper-case letters: {body8!r}")
    total = sum(_ORG_ALPHABET.index(ch) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return {10: "X", 11: "0"}.get(digit, str(digit))


def check_uscc(text: str) -> UsccCheck:
    """Check a code and describe every fault found.

    Length, characters and region digits are checked first; the check digits are computed
    only once those pass, because a check digit computed over a malformed body would point
    staff at position 18 when the fault is elsewhere.

    Args:
        text: What the user entered; it is normalized first.
    """
    code = normalize(text)
    problems: list[UsccProblem] = []
    if len(code) != USCC_LENGTH:
        message = f"长度应为18位，实际为{len(code)}位。" if code else "请输入18位统一社会信用代码。"
        problems.append(UsccProblem(UsccProblemKind.LENGTH, None, "18", str(len(code)), message))
    for position, ch in enumerate(code, start=1):
        if ch not in _VALUE:
            problems.append(_position_problem(position, ch, in_alphabet=False))
        elif len(code) == USCC_LENGTH and position in _REGION and not ch.isdigit():
            problems.append(_position_problem(position, ch, in_alphabet=True))
    if problems:
        return UsccCheck(code, tuple(problems), suggestion=_suggest(code, problems))
    expected = compute_check_digit(code[:17])
    if code[17] != expected:
        message = (
            f"第18位校验码应为“{expected}”，实际为“{code[17]}”。"
            "前17位中任何一位录入错误也会导致不符，请逐位核对营业执照。"
        )
        problems.append(UsccProblem(UsccProblemKind.CHECK_DIGIT, 18, expected, code[17], message))
    warnings: tuple[UsccProblem, ...] = ()
    org = compute_org_check_digit(code[8:16])
    if code[16] != org:
        message = (
            f"第17位（组织机构代码校验码）按第9–16位计算应为“{org}”，实际为“{code[16]}”。"
            "部分合法代码不满足此项，与营业执照一致即可使用。"
        )
        warnings = (UsccProblem(UsccProblemKind.ORG_CODE_CHECK, 17, org, code[16], message),)
    return UsccCheck(code, tuple(problems), warnings)


def _suggest(code: str, problems: list[UsccProblem]) -> str | None:
    fixable = (UsccProblemKind.CHARACTER, UsccProblemKind.REGION_DIGITS)
    if len(code) != USCC_LENGTH:
        return None
    chars = list(code)
    for p in problems:
        if p.kind not in fixable or p.expected is None or p.position is None:
            return None
        chars[p.position - 1] = p.expected
    candidate = "".join(chars)
    return candidate if check_uscc(candidate).ok else None


def is_valid_uscc(text: str) -> bool:
    """Whether ``text`` normalizes to a code with valid format and check digit.

    Args:
        text: What the user entered.
    """
    return check_uscc(text).ok


def generate_uscc(department: str, category: str, region: str, org_body8: str) -> str:
    """Build a valid code with both check digits computed (demo data, tests, benchmarks).

    Args:
        department: Position 1, one alphabet character.
        category: Position 2, one alphabet character.
        region: Positions 3–8, six digits.
        org_body8: Positions 9–16, eight alphabet characters.

    Raises:
        ValueError: A part has the wrong length or characters.
    """
    first16 = department + category + region + org_body8
    if not USCC_PATTERN.fullmatch(first16 + "00"):
        raise ValueError(f"parts do not form a USCC: {first16!r}")
    first17 = first16 + compute_org_check_digit(org_body8)
    return first17 + compute_check_digit(first17)


@dataclass(frozen=True, slots=True)
class UsccInfo:
    """The parts of a code, decoded.

    Attributes:
        code: The normalized code.
        department_code: Position 1, 登记管理部门码.
        department_name: Its name, or ``None`` for a code the standard does not assign.
        category_code: Position 2, 机构类别码.
        category_name: Its name where the department's categories are known, else ``None``.
        region_code: Positions 3–8, 登记管理机关行政区划码.
        region: The division, or ``None`` when the table cannot place it.
        org_code: Positions 9–17, 主体标识码 (organisation code with its check digit).
    """

    code: str
    department_code: str
    department_name: str | None
    category_code: str
    category_name: str | None
    region_code: str
    region: RegionInfo | None
    org_code: str


def describe(code: str, regions: RegionTable | None = None) -> UsccInfo:
    """Decode the parts of a code; parts that cannot be named decode to ``None``.

    A code that fails its checks still decodes (staff may hold an overridden one).

    Args:
        code: The code; it is normalized first.
        regions: Division table; the default table when omitted.

    Raises:
        UsccError: The code is not 18 characters long, so its parts cannot be located.
    """
    normalized = normalize(code)
    if len(normalized) != USCC_LENGTH:
        check = check_uscc(normalized)
        raise UsccError(f"无法解析统一社会信用代码：{check.problems[0].message}", check)
    department, category, region = normalized[0], normalized[1], normalized[2:8]
    table = regions if regions is not None else DEFAULT_REGIONS
    return UsccInfo(
        code=normalized,
        department_code=department,
        department_name=DEPARTMENTS.get(department),
        category_code=category,
        category_name=CATEGORIES.get((department, category)),
        region_code=region,
        region=table.lookup(region),
        org_code=normalized[8:17],
    )


def accept_with_override(text: str, reason: str) -> str:
    """Accept a code whose one blocking fault is its check digit; return it normalized.

    Args:
        text: The code as entered.
        reason: Why staff use it anyway (at least four characters once stripped).

    Raises:
        UsccError: The code is valid (no override needed), has faults other than the check
            digit, or the reason is missing or too short.
    """
    check = check_uscc(text)
    if check.ok:
        raise UsccError("该统一社会信用代码校验通过，无需填写例外理由，可直接使用。", check)
    if not check.check_digit_only:
        faults = "\n".join(p.message for p in check.problems)
        raise UsccError(
            f"该代码存在校验码以外的错误，不能例外使用：\n{faults}\n请更正后再提交。", check
        )
    if len(reason.strip()) < MIN_OVERRIDE_REASON:
        raise UsccError(
            f"请填写例外使用的理由（至少{MIN_OVERRIDE_REASON}个字），"
            "例如“已与营业执照原件核对一致”。",
            check,
        )
    return check.normalized


@dataclass(frozen=True, slots=True)
class UsccOverride:
    """A code used despite a failed check digit, with the reason staff gave (例外使用).

    Attributes:
        code: The normalized code.
        reason: The reason, stripped.
    """

    code: str
    reason: str

    @classmethod
    def record(cls, text: str, reason: str) -> UsccOverride:
        """Validate ``text`` and ``reason`` as :func:`accept_with_override` does, keep both."""
        return cls(accept_with_override(text, reason), reason.strip())


# Field names that carry the code in licence QR payloads and exported records.
_LABELS = ("UNISCID", "USCC", "CREDITCODE", "TYSHXYDM", "SHXYDM", "统一社会信用代码", "信用代码")
_RUN = re.compile(r"[0-9A-Z]+(?:[ -][0-9A-Z]+)*")
_GROUP = re.compile(r"[0-9A-Z]+")


# Sort key of a candidate, best first: fails the check, unlabelled, split in groups, offset.
_Rank = tuple[bool, bool, bool, int]


def _candidates(text: str) -> list[tuple[_Rank, str]]:
    scan = (unquote(text) if "%" in text else text).translate(_SCAN)
    found: list[tuple[_Rank, str]] = []
    for run in _RUN.finditer(scan):
        # Codes are often pasted in groups ("9135 0100 M000 100Y 43"); try every span of whole
        # groups that adds up to 18 characters and let the check digit pick among them.
        groups = list(_GROUP.finditer(scan, run.start(), run.end()))
        for i, first in enumerate(groups):
            lengths = accumulate(len(g.group()) for g in groups[i:])
            last = next((k for k, total in enumerate(lengths, i) if total >= USCC_LENGTH), None)
            if last is None:
                continue
            code = "".join(g.group() for g in groups[i : last + 1])
            if len(code) != USCC_LENGTH:
                continue
            labelled = (
                scan[max(0, first.start() - 24) : first.start()].rstrip(" =:\"'").endswith(_LABELS)
            )
            found.append(((not is_valid_uscc(code), not labelled, last > i, first.start()), code))
    return found


def extract_all_uscc(text: str) -> list[str]:
    """Every distinct 18-character code-shaped string in ``text``, normalized, in order.

    Candidates need not be valid: run :func:`check_uscc` on each.

    Args:
        text: Pasted text or a QR payload (e.g. ``…?uniscid=9114…``); full-width characters,
            lower case, URL escapes and codes split by spaces or dashes are handled.
    """
    ordered = sorted(_candidates(text), key=lambda item: item[0][3])
    return list(dict.fromkeys(code for _, code in ordered))


def extract_uscc(text: str) -> str | None:
    """The normalized code most likely meant in ``text``; ``None`` if nothing is code-shaped.

    Prefers a candidate that passes the check digit, then one labelled as the code
    (``uniscid=``, ``统一社会信用代码：``), then one written without separators, then the first.
    Many licence QR codes carry only an encrypted link; staff then type the code instead.

    Args:
        text: Pasted text or a QR payload.
    """
    found = _candidates(text)
    return min(found)[1] if found else None
