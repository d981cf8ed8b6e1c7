"""Resident identity numbers (GB 11643-1999) and how a person is matched without them.

DOMAIN.md "Persons": measures reach the 法定代表人 / 主要负责人 of a listed or 禁入 entity. An
entity record carries them with the ID number **masked** (first 6 and last 4 characters); the
full number is validated where it is typed (the check character is ISO 7064 MOD 11-2 and may be
``X``) and never stored in full unless a profile setting allows it, never logged.

Two records name the same person when the names are equal and the masked numbers are equal
(:func:`same_person`): a name alone is never enough, common names are shared by thousands.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from desktop_app.domain.clock import china_today
from desktop_app.domain.errors import DomainError

__all__ = [
    "PersonIdError",
    "check_id_number",
    "is_masked",
    "mask_id_number",
    "normalize",
    "normalize_spaces",
    "same_person",
]

_BODY = re.compile(r"[0-9]{17}[0-9X]")
_MASKED = re.compile(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


class PersonIdError(DomainError):
    """An identity number is wrong.

    Attributes:
        kind: ``length`` (length or characters), ``birth_date`` or ``check_digit``.
        expected: The check character the first 17 digits call for (``check_digit`` only).
        length: The normalised length.
    """

    def __init__(self, message: str, kind: str, *, expected: str = "", length: int = 0) -> None:
        super().__init__(message)
        self.kind = kind
        self.expected = expected
        self.length = length


def normalize(text: str) -> str:
    """Full-width to half-width, ``x`` to ``X``, spaces removed."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def normalize_spaces(text: str) -> str:
    """Full-width to half-width (so an ideographic space separates words), case kept."""
    return unicodedata.normalize("NFKC", text or "")


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def check_id_number(text: str, today: date | None = None) -> str:
    """An 18-character resident identity number, normalised, with a valid birth date and check.

    Raises:
        PersonIdError: Length or characters, birth date, or check character are wrong (the
            message says which, and the expected check character).
    """
    number = normalize(text)
    if len(number) != 18 or not _BODY.fullmatch(number):
        raise PersonIdError(
            f"身份证号码应为18位（前17位为数字，最后一位为数字或X），现为{len(number)}位，请核对。",
            "length",
            length=len(number),
        )
    try:
        born: date | None = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > (today or china_today()):
        raise PersonIdError("身份证号码中的出生日期（第7–14位）无效，请核对。", "birth_date")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise PersonIdError(
            f"身份证号码校验位不正确：按前17位计算，最后一位应为“{expected}”，请核对。",
            "check_digit",
            expected=expected,
        )
    return number


def is_masked(text: str) -> bool:
    """Whether ``text`` is an 18-character number masked as ``140402********123X``."""
    return bool(_MASKED.fullmatch(normalize(text)))


def mask_id_number(number: str) -> str:
    """``140402********123X``: first 6 and last 4 kept (an already masked number is kept).

    A text of another length is masked entirely (never shown in part).
    """
    text = normalize(number)
    if len(text) != 18:
        return "*" * len(text)
    return text[:6] + "*" * 8 + text[-4:]


def same_person(name_a: str, id_a: str, name_b: str, id_b: str) -> bool:
    """Same name and same masked ID number (both numbers present)."""
    if not (id_a and id_b) or (name_a or "").strip() != (name_b or "").strip():
        return False
    return mask_id_number(id_a) == mask_id_number(id_b)
