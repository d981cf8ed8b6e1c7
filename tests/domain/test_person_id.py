"""Resident identity numbers (GB 11643-1999) and matching a person without the full number."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import person_id as pid

VALID = "11010519491231002X"  # the standard's example: check character X


def test_valid_numbers_normalise_and_pass() -> None:
    assert pid.check_id_number(VALID) == VALID
    assert pid.check_id_number(" 110105 19491231 002x ") == VALID  # spaces, lower-case x
    assert pid.check_id_number("１１０１０５１９４９１２３１００２Ｘ") == VALID  # full-width
    first17 = "14040319900101123"
    assert pid.check_id_number(first17 + pid.check_character(first17)).startswith("140403")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1101051949123100", "length"),
        ("11010519491231002A", "length"),
        ("110105194913310021", "birth_date"),
        ("110105189912310021", "birth_date"),
        ("110105204912310021", "birth_date"),  # born in the future
        ("110105194912310021", "check_digit"),
    ],
)
def test_each_fault_is_named(text: str, kind: str) -> None:
    with pytest.raises(pid.PersonIdError) as caught:
        pid.check_id_number(text, today=date(2026, 12, 4))
    assert caught.value.kind == kind
    assert text not in str(caught.value)  # the message never echoes the number
    if kind == "check_digit":
        assert caught.value.expected == "X" and "“X”" in str(caught.value)


def test_masking_keeps_six_and_four_and_never_shows_part_of_an_odd_text() -> None:
    assert pid.mask_id_number(VALID) == "110105********002X"
    assert pid.mask_id_number("110105********002X") == "110105********002X"
    assert pid.is_masked("110105********002x") and not pid.is_masked(VALID)
    assert pid.mask_id_number("12345") == "*****"


def test_same_person_needs_the_name_and_the_masked_number() -> None:
    masked = pid.mask_id_number(VALID)
    assert pid.same_person("张三", VALID, " 张三", masked)
    assert not pid.same_person("张三", VALID, "张叁", masked)
    assert not pid.same_person("张三", "", "张三", "")  # a name alone is never enough
    assert not pid.same_person("张三", VALID, "张三", "110105********0031")
