"""行政区划 lookups: current and abolished 长治市 codes, provinces, central, unknown codes."""

import pytest

from desktop_app.domain.regions import (
    DEFAULT_REGIONS,
    DEFAULT_ROWS,
    RegionRow,
    RegionTable,
    lookup_region,
    region_name,
)


@pytest.mark.parametrize(
    ("code", "name", "successor_code", "successor_name"),
    [
        ("140402", "城区", "140403", "潞州区"),
        ("140411", "郊区", "140403", "潞州区"),
        ("140421", "长治县", "140404", "上党区"),
        ("140424", "屯留县", "140405", "屯留区"),
        ("140481", "潞城市", "140406", "潞城区"),
    ],
)
def test_abolished_changzhi_codes_resolve_with_successor(
    code: str, name: str, successor_code: str, successor_name: str
) -> None:
    info = lookup_region(code)
    assert info is not None
    assert info.known
    assert info.abolished
    assert (info.name, info.successor_code, info.successor_name) == (
        name,
        successor_code,
        successor_name,
    )
    assert (info.province, info.prefecture) == ("山西省", "长治市")
    assert region_name(code) == f"山西省长治市{name}（已撤销，现属{successor_name}）"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("140403", "潞州区"),
        ("140404", "上党区"),
        ("140405", "屯留区"),
        ("140406", "潞城区"),
        ("140423", "襄垣县"),
        ("140425", "平顺县"),
        ("140426", "黎城县"),
        ("140427", "壶关县"),
        ("140428", "长子县"),
        ("140429", "武乡县"),
        ("140430", "沁县"),
        ("140431", "沁源县"),
    ],
)
def test_current_changzhi_codes(code: str, name: str) -> None:
    info = lookup_region(code)
    assert info is not None
    assert not info.abolished
    assert info.successor_code is None
    assert region_name(code) == f"山西省长治市{name}"


def test_high_tech_zone_carries_its_caveat() -> None:
    info = lookup_region("140471")
    assert info is not None
    assert info.note is not None
    assert "GB/T 2260" in (region_name("140471") or "")


def test_central_registration() -> None:
    info = lookup_region("100000")
    assert info is not None
    assert info.name == "中央/国家级登记"
    assert info.province is None
    assert region_name("100000") == "中央/国家级登记"


def test_all_31_provincial_divisions() -> None:
    provinces = [row for row in DEFAULT_ROWS if row.code.endswith("0000") and row.code != "100000"]
    assert len(provinces) == 31
    assert region_name("110000") == "北京市"
    assert region_name("650000") == "新疆维吾尔自治区"
    assert region_name("140400") == "山西省长治市"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("140499", "山西省长治市（区划代码 140499 未收录于区划表）"),
        ("350100", "福建省（区划代码 350100 未收录于区划表）"),
    ],
)
def test_unknown_district_in_known_province(code: str, expected: str) -> None:
    info = lookup_region(code)
    assert info is not None
    assert not info.known
    assert region_name(code) == expected


@pytest.mark.parametrize("code", ["990000", "710000", "100100", "14040", "1404031", "14040A", ""])
def test_unplaceable_codes(code: str) -> None:
    assert lookup_region(code) is None
    assert region_name(code) is None


def test_from_rows_builds_a_replacement_table() -> None:
    table = RegionTable.from_rows(
        [
            RegionRow("140000", "山西省"),
            RegionRow("140400", "长治市"),
            RegionRow("140401", "甲区", successor_code="140402"),
            RegionRow("140402", "乙区", successor_code="140403"),
            RegionRow("140403", "丙区"),
        ]
    )
    assert len(table) == 5
    assert "140401" in table
    info = table.lookup("140401")
    assert info is not None
    # A chain of reforms resolves to the division that exists today.
    assert (info.successor_code, info.successor_name) == ("140403", "丙区")
    assert table.name("140403") == "山西省长治市丙区"
    assert len(DEFAULT_REGIONS) == len(DEFAULT_ROWS)


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ([RegionRow("14040", "短")], "six digits"),
        ([RegionRow("140403", " ")], "no name"),
        ([RegionRow("140403", "甲"), RegionRow("140403", "乙")], "twice"),
        ([RegionRow("140402", "甲", successor_code="140403")], "missing"),
        (
            [
                RegionRow("140402", "甲", successor_code="140403"),
                RegionRow("140403", "乙", successor_code="140402"),
            ],
            "cycle",
        ),
    ],
)
def test_from_rows_rejects_inconsistent_tables(rows: list[RegionRow], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        RegionTable.from_rows(rows)
