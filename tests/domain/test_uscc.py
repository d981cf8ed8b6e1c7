"""统一社会信用代码: checking, messages, decoding, extraction and overrides."""

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.errors import DomainError
from desktop_app.domain.uscc import (
    ALPHABET,
    WEIGHTS,
    UsccError,
    UsccOverride,
    UsccProblemKind,
    accept_with_override,
    check_uscc,
    compute_check_digit,
    compute_org_check_digit,
    describe,
    extract_all_uscc,
    extract_uscc,
    generate_uscc,
    is_valid_uscc,
    normalize,
)

EXAMPLE = "91350100M000100Y43"  # GB 32100-2015's own example
DIGITS = "0123456789"
REGION = range(2, 8)  # 0-based indices of positions 3–8

FAST = settings(max_examples=150, deadline=None)


def reference_check_digit(first17: str) -> str:
    """The standard's formula written out independently of the module under test."""
    total = sum(ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return ALPHABET[(31 - total % 31) % 31]


@st.composite
def codes(draw: st.DrawFn) -> str:
    """Random codes of the right shape with a correct position-18 check digit."""
    head = draw(st.text(ALPHABET, min_size=2, max_size=2))
    region = draw(st.text(DIGITS, min_size=6, max_size=6))
    body = draw(st.text(ALPHABET, min_size=9, max_size=9))
    first17 = head + region + body
    return first17 + reference_check_digit(first17)


def kinds(text: str) -> list[UsccProblemKind]:
    return [p.kind for p in check_uscc(text).problems]


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


# --- check digits ----------------------------------------------------------------------------


def test_standard_example_is_valid_without_warnings() -> None:
    check = check_uscc(EXAMPLE)
    assert check.ok
    assert check.problems == ()
    assert check.warnings == ()
    assert check.message == ""
    assert is_valid_uscc(EXAMPLE)


def test_weights_are_powers_of_three_mod_31() -> None:
    assert tuple(pow(3, i, 31) for i in range(17)) == WEIGHTS


def test_check_digit_of_standard_example() -> None:
    assert compute_check_digit(EXAMPLE[:17]) == "3"
    assert compute_org_check_digit(EXAMPLE[8:16]) == "4"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("9", "1", "140403", "MA0K8U2C"), "91140403MA0K8U2C1T"),
        (("9", "2", "140421", "L0123456"), "92140421L01234565E"),
        (("5", "2", "140404", "MJY12345"), "52140404MJY1234584"),
        (("1", "2", "140400", "12345678"), "12140400123456788U"),
        (("Y", "1", "100000", "MA01ABCD"), "Y1100000MA01ABCD58"),
        (("9", "3", "140481", "MA0HXY7T"), "93140481MA0HXY7T74"),
    ],
)
def test_generated_codes(parts: tuple[str, str, str, str], expected: str) -> None:
    code = generate_uscc(*parts)
    assert code == expected
    assert code[17] == reference_check_digit(code[:17])
    check = check_uscc(code)
    assert check.ok
    assert check.warnings == ()


def test_org_check_digit_special_values() -> None:
    # 11 - (sum mod 11) gives 10 → X and 11 → 0.
    assert compute_org_check_digit("10000018") == "X"
    assert compute_org_check_digit("10000004") == "0"
    code = generate_uscc("9", "1", "140403", "10000018")
    assert code[16] == "X"
    assert check_uscc(code).ok


@pytest.mark.parametrize("bad", ["", "1234567890123456", "123456789012345678", "ABCDEFGHJKLMNPQRI"])
def test_compute_check_digit_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError, match="17 characters"):
        compute_check_digit(bad)


@pytest.mark.parametrize("bad", ["1234567", "123456789", "1234567a", "1234567-"])
def test_compute_org_check_digit_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError, match="8 digits"):
        compute_org_check_digit(bad)


@pytest.mark.parametrize(
    "parts",
    [
        ("99", "1", "140403", "MA0K8U2C"),
        ("9", "1", "14040A", "MA0K8U2C"),
        ("9", "1", "140403", "MA0K8U2"),
    ],
)
def test_generate_rejects_bad_parts(parts: tuple[str, str, str, str]) -> None:
    with pytest.raises(ValueError, match="do not form"):
        generate_uscc(*parts)


@FAST
@given(codes())
def test_any_well_formed_code_with_its_check_digit_is_valid(code: str) -> None:
    assert is_valid_uscc(code)
    assert compute_check_digit(code[:17]) == code[17]


def test_single_substitution_always_changes_the_sum() -> None:
    # Changing value a to b at position i changes S by (b - a)·Wi. 31 is prime, 0 < |b - a| < 31
    # and Wi = 3^(i-1) is a unit mod 31, so the change is never 0 mod 31.
    for weight in WEIGHTS:
        for a, b in combinations(range(31), 2):
            assert (b - a) * weight % 31 != 0


@FAST
@given(codes(), st.integers(0, 17), st.sampled_from(ALPHABET))
def test_single_substitution_is_detected(code: str, index: int, replacement: str) -> None:
    if replacement == code[index]:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % 31]
    changed = code[:index] + replacement + code[index + 1 :]
    assert not is_valid_uscc(changed)
    if index not in REGION or replacement in DIGITS:
        (problem,) = check_uscc(changed).problems
        assert problem.kind is UsccProblemKind.CHECK_DIGIT
        assert problem.position == 18


def test_every_transposition_in_the_first_17_changes_the_sum() -> None:
    # Swapping a (at i) and b (at j) changes S by (b - a)(Wi - Wj); the weights are pairwise
    # distinct mod 31 (3 has order 30 mod 31 and there are only 17 weights), so not just
    # adjacent but every transposition of two different characters is caught.
    assert len(set(WEIGHTS)) == len(WEIGHTS)
    for wi, wj in combinations(WEIGHTS, 2):
        assert (wi - wj) % 31 != 0


def test_swapping_positions_17_and_18_changes_validity() -> None:
    # Valid before and after would need b ≡ -(S0 + 28a) and a ≡ -(S0 + 28b), i.e.
    # 27(a - b) ≡ 0 (mod 31), so a = b. Checked exhaustively over the values that matter.
    for s0 in range(31):
        for a in range(31):
            b = (-(s0 + 28 * a)) % 31
            if b != a:
                assert a != (-(s0 + 28 * b)) % 31


@FAST
@given(codes(), st.integers(0, 16))
def test_adjacent_transposition_is_detected(code: str, index: int) -> None:
    swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
    if swapped != code:
        assert not is_valid_uscc(swapped)


# --- normalisation ---------------------------------------------------------------------------


@FAST
@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@FAST
@given(
    codes(), st.lists(st.sampled_from([" ", "-", "\u3000", "\u00a0", "－", "\u200b"]), max_size=5)
)
def test_fullwidth_lowercase_and_separators_normalize_to_the_code(
    code: str, separators: list[str]
) -> None:
    messy = to_fullwidth(code.lower())
    for k, sep in enumerate(separators):
        cut = 3 * (k + 1)
        messy = messy[:cut] + sep + messy[cut:]
    assert normalize(messy) == code
    assert check_uscc(messy).normalized == code
    assert is_valid_uscc(messy)


def test_normalize_examples() -> None:
    assert normalize(" ９１３５０１００ｍ０００１００ｙ４３ ") == EXAMPLE
    assert normalize("9135-0100-M000-100Y-43") == EXAMPLE
    assert normalize("9135\u00a00100\tm000\n100y43") == EXAMPLE


# --- messages --------------------------------------------------------------------------------


def test_check_digit_message_names_position_18() -> None:
    (problem,) = check_uscc(EXAMPLE[:17] + "4").problems
    assert problem.kind is UsccProblemKind.CHECK_DIGIT
    assert (problem.position, problem.expected, problem.actual) == (18, "3", "4")
    assert problem.message.startswith("第18位校验码应为“3”，实际为“4”。")
    assert "营业执照" in problem.message


@pytest.mark.parametrize(("text", "length"), [(EXAMPLE[:17], 17), (EXAMPLE + "1", 19)])
def test_length_message(text: str, length: int) -> None:
    check = check_uscc(text)
    (problem,) = check.problems
    assert problem.kind is UsccProblemKind.LENGTH
    assert problem.position is None
    assert problem.message == f"长度应为18位，实际为{length}位。"


def test_empty_input_asks_for_a_code() -> None:
    (problem,) = check_uscc("  ").problems
    assert problem.kind is UsccProblemKind.LENGTH
    assert "请输入" in problem.message


@pytest.mark.parametrize(
    ("position", "wrong", "suggested"),
    [(5, "O", "0"), (2, "I", "1"), (12, "S", "5"), (16, "Z", "2"), (10, "V", "U")],
)
def test_excluded_letters_are_named_with_a_look_alike(
    position: int, wrong: str, suggested: str
) -> None:
    text = EXAMPLE[: position - 1] + wrong + EXAMPLE[position:]
    (problem,) = check_uscc(text).problems
    assert problem.kind is UsccProblemKind.CHARACTER
    assert (problem.position, problem.actual, problem.expected) == (position, wrong, suggested)
    assert problem.message.startswith(f"第{position}位“{wrong}”不是有效字符")
    assert "I、O、S、V、Z" in problem.message
    assert f"可能应为“{suggested}”" in problem.message


def test_look_alike_fix_is_suggested_only_when_it_passes() -> None:
    assert check_uscc("9135O100M000100Y43").suggestion == EXAMPLE
    assert check_uscc("9135O100M000100Y44").suggestion is None


def test_other_characters_are_named() -> None:
    (problem,) = check_uscc("91350100M000100Y4#").problems
    assert problem.kind is UsccProblemKind.CHARACTER
    assert problem.position == 18
    assert problem.expected is None
    assert "只由数字和大写字母组成" in problem.message


def test_letter_in_region_digits() -> None:
    (problem,) = check_uscc("9135B100M000100Y43").problems
    assert problem.kind is UsccProblemKind.REGION_DIGITS
    assert (problem.position, problem.expected) == (5, "8")
    assert problem.message.startswith("第5位“B”应为数字（第3–8位")


def test_org_code_failure_is_a_warning_not_a_problem() -> None:
    first17 = EXAMPLE[:16] + "5"  # position 17 should be 4
    code = first17 + compute_check_digit(first17)
    check = check_uscc(code)
    assert check.ok
    (warning,) = check.warnings
    assert warning.kind is UsccProblemKind.ORG_CODE_CHECK
    assert (warning.position, warning.expected, warning.actual) == (17, "4", "5")
    assert warning.message.startswith("第17位")


# --- decoding --------------------------------------------------------------------------------


def test_describe_enterprise_in_abolished_district() -> None:
    info = describe("91140421MA0GRK1XXH")
    assert (info.department_code, info.department_name) == ("9", "工商/市场监管")
    assert (info.category_code, info.category_name) == ("1", "企业")
    assert info.region_code == "140421"
    assert info.region is not None
    assert info.region.abolished
    assert info.region.successor_name == "上党区"
    assert info.region.display_name == "山西省长治市长治县（已撤销，现属上党区）"
    assert info.org_code == "MA0GRK1XX"


@pytest.mark.parametrize(
    ("head", "department", "category"),
    [("11", "机构编制", "机关"), ("52", "民政", "民办非企业单位"), ("53", "民政", "基金会"),
     ("92", "工商/市场监管", "个体工商户"), ("93", "工商/市场监管", "农民专业合作社"),
     ("N1", "农业", None), ("A1", "军队编制", None), ("B1", None, None)],
)  # fmt: skip
def test_describe_department_and_category(
    head: str, department: str | None, category: str | None
) -> None:
    info = describe(generate_uscc(head[0], head[1], "100000", "MA01ABCD"))
    assert info.department_name == department
    assert info.category_name == category
    assert info.region is not None
    assert info.region.display_name == "中央/国家级登记"


def test_describe_decodes_a_code_failing_its_check_digit() -> None:
    assert describe(EXAMPLE[:17] + "4").department_name == "工商/市场监管"


def test_describe_needs_18_characters() -> None:
    with pytest.raises(UsccError, match="长度应为18位") as raised:
        describe(EXAMPLE[:10])
    assert raised.value.check is not None


# --- extraction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        f"http://www.gsxt.gov.cn/index.html?uniscid={EXAMPLE}",
        f"https://www.gsxt.gov.cn/corp-query?entType=1&uniscid={EXAMPLE.lower()}&x=ABC",
        f"统一社会信用代码：{EXAMPLE} 名称：长治市某某有限公司",
        f"统一社会信用代码：{to_fullwidth(EXAMPLE)}名称：某某",
        "代码 9135 0100 M000 100Y 43 法定代表人 张三",
        f"https://example.cn/q?data=%7B%22uscc%22%3A%22{EXAMPLE}%22%7D",
        f"{EXAMPLE}",
    ],
)
def test_extract_finds_the_code(payload: str) -> None:
    assert extract_uscc(payload) == EXAMPLE


def test_extract_prefers_a_code_that_passes() -> None:
    wrong = EXAMPLE[:17] + "4"
    text = f"旧代码 {wrong}；新代码 {EXAMPLE}"
    assert extract_all_uscc(text) == [wrong, EXAMPLE]
    assert extract_uscc(text) == EXAMPLE


def test_extract_prefers_the_labelled_field_among_failing_codes() -> None:
    other = "ABCDEFGHJKLMNPQRTU"
    wrong = EXAMPLE[:17] + "4"
    assert extract_uscc(f"https://x.cn/?sid={other}&uniscid={wrong}") == wrong


def test_extract_returns_a_failing_code_rather_than_nothing() -> None:
    assert extract_uscc(f"代码：{EXAMPLE[:17]}4") == EXAMPLE[:17] + "4"


def test_extract_splits_neighbouring_groups_by_check_digit() -> None:
    assert extract_uscc("AB 9135 0100 M000 100Y 43") == EXAMPLE


@pytest.mark.parametrize(
    "text", ["", "营业执照", "9135010", f"{EXAMPLE}1", "http://www.gsxt.gov.cn/%7BABC%7D"]
)
def test_extract_none_without_an_18_character_candidate(text: str) -> None:
    assert extract_uscc(text) is None
    assert extract_all_uscc(text) == []


def test_extract_all_in_order_without_duplicates() -> None:
    second = generate_uscc("9", "1", "140403", "MA0K8U2C")
    text = f"{second}\n{EXAMPLE}\n{second.lower()}"
    assert extract_all_uscc(text) == [second, EXAMPLE]


# --- overrides -------------------------------------------------------------------------------


def test_override_accepts_check_digit_only_failure_with_reason() -> None:
    assert accept_with_override(" 91350100m000100y44 ", "与营业执照原件核对一致") == (
        EXAMPLE[:17] + "4"
    )
    record = UsccOverride.record(EXAMPLE[:17] + "4", "  早期试点发放的代码  ")
    assert record == UsccOverride(EXAMPLE[:17] + "4", "早期试点发放的代码")


@pytest.mark.parametrize("reason", ["", "   ", "核对", "已核对"])
def test_override_needs_a_reason(reason: str) -> None:
    with pytest.raises(UsccError, match="理由") as raised:
        accept_with_override(EXAMPLE[:17] + "4", reason)
    assert raised.value.check is not None
    assert raised.value.check.check_digit_only


@pytest.mark.parametrize("text", ["9135O100M000100Y44", EXAMPLE[:17], "9135B100M000100Y44"])
def test_override_refuses_other_faults(text: str) -> None:
    with pytest.raises(UsccError, match="不能例外使用") as raised:
        accept_with_override(text, "与营业执照原件核对一致")
    assert isinstance(raised.value, DomainError)
    assert raised.value.check is not None
    assert not raised.value.check.check_digit_only


def test_override_not_needed_for_a_valid_code() -> None:
    with pytest.raises(UsccError, match="无需"):
        accept_with_override(EXAMPLE, "与营业执照原件核对一致")
