"""行政区划代码 (administrative division codes, GB/T 2260) as found in positions 3–8 of a USCC.

The table is data, not code: the default rows below cover the 31 provincial divisions, the
central registration code ``100000`` and 长治市 (prefix ``1404``) with its abolished districts,
and :meth:`RegionTable.from_rows` builds the same thing from a table the platform distributes.

A USCC keeps its code for life, so a district abolished after the code was issued is still a
valid region: it resolves to its own name, flagged abolished, with the district that took it over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

CENTRAL_CODE = "100000"


class RegionRow(NamedTuple):
    """One row of a division table.

    Attributes:
        code: Six-digit division code.
        name: Name of this level only (``潞州区``, not ``山西省长治市潞州区``).
        successor_code: For an abolished division, the code that took it over; ``None`` while
            the division exists. A row with a successor is abolished.
        note: Caveat shown with the name, e.g. that the code is not confirmed in GB/T 2260.
    """

    code: str
    name: str
    successor_code: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """What a division code means.

    Attributes:
        code: The code looked up.
        name: Name of the code itself; for a district missing from the table, the name of the
            nearest known level above it (``known`` is then False).
        abolished: The division no longer exists (the code stays valid in old USCCs).
        successor_code: Current division that took over an abolished one.
        successor_name: Name of ``successor_code``.
        province: Provincial division name; ``None`` for ``100000``.
        prefecture: Prefecture-level name when the table has it (``长治市``).
        known: The code itself is in the table.
        note: Caveat to show with the name.
    """

    code: str
    name: str
    abolished: bool = False
    successor_code: str | None = None
    successor_name: str | None = None
    province: str | None = None
    prefecture: str | None = None
    known: bool = True
    note: str | None = None

    @property
    def display_name(self) -> str:
        """Full name for display, e.g. ``山西省长治市长治县（已撤销，现属上党区）``."""
        levels = [self.province, self.prefecture, self.name if self.known else None]
        full = "".join(dict.fromkeys(level for level in levels if level))
        if not full:
            full = self.name
        if not self.known:
            return f"{full}（区划代码 {self.code} 未收录于区划表）"
        if self.abolished:
            now = f"，现属{self.successor_name}" if self.successor_name else ""
            full = f"{full}（已撤销{now}）"
        if self.note:
            full = f"{full}（{self.note}）"
        return full


def _is_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


class RegionTable:
    """A lookup table of division codes.

    Build one with :meth:`from_rows`; :data:`DEFAULT_REGIONS` is the table shipped with the app.
    """

    def __init__(self, rows: Mapping[str, RegionRow]) -> None:
        self._rows = dict(rows)

    @classmethod
    def from_rows(cls, rows: Iterable[RegionRow]) -> RegionTable:
        """Build a table from rows, checking that they are consistent.

        Args:
            rows: Division rows; codes must be unique six-digit strings, and every successor
                must itself be a row of the table.

        Returns:
            The table.

        Raises:
            ValueError: A code is malformed or repeated, a name is empty, a successor is
                missing, or successors form a cycle.
        """
        table: dict[str, RegionRow] = {}
        for row in rows:
            if not _is_code(row.code):
                raise ValueError(f"division code must be six digits: {row.code!r}")
            if not row.name.strip():
                raise ValueError(f"division {row.code} has no name")
            if row.code in table:
                raise ValueError(f"division {row.code} appears twice")
            table[row.code] = row
        for row in table.values():
            if row.successor_code is not None:
                if row.successor_code not in table:
                    raise ValueError(f"successor {row.successor_code} of {row.code} is missing")
                cls._final_successor(table, row.code)
        return cls(table)

    @staticmethod
    def _final_successor(table: Mapping[str, RegionRow], code: str) -> str:
        # Successive reforms chain (A → B → C); users need the division that exists today.
        seen = {code}
        current = table[code]
        while current.successor_code is not None:
            if current.successor_code in seen:
                raise ValueError(f"successor cycle through {current.successor_code}")
            seen.add(current.successor_code)
            current = table[current.successor_code]
        return current.code

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def lookup(self, code: str) -> RegionInfo | None:
        """Describe a division code.

        Args:
            code: Six-digit code (positions 3–8 of a USCC).

        Returns:
            The division; for a code missing from the table but inside a known province, the
            nearest known level above it with ``known=False``; ``None`` for a malformed code or
            an unknown province.
        """
        if not _is_code(code):
            return None
        province_row = self._rows.get(code[:2] + "0000")
        prefecture_row = self._rows.get(code[:4] + "00") if code[2:4] != "00" else None
        province = province_row.name if province_row and code != CENTRAL_CODE else None
        prefecture = prefecture_row.name if prefecture_row else None
        row = self._rows.get(code)
        if row is None:
            nearest = prefecture_row or province_row
            if nearest is None or code[:2] == CENTRAL_CODE[:2]:
                return None
            return RegionInfo(
                code, nearest.name, province=province, prefecture=prefecture, known=False
            )
        successor = None
        if row.successor_code is not None:
            successor = self._rows[self._final_successor(self._rows, code)]
        return RegionInfo(
            code=code,
            name=row.name,
            abolished=successor is not None,
            successor_code=successor.code if successor else None,
            successor_name=successor.name if successor else None,
            province=province,
            prefecture=prefecture,
            note=row.note,
        )

    def name(self, code: str) -> str | None:
        """Display name of a division code, or ``None`` when it cannot be placed at all.

        Args:
            code: Six-digit code.
        """
        info = self.lookup(code)
        return info.display_name if info else None


_PROVINCES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
}

# 长治市 as reorganised on 2018-11-23, and the codes that reform retired.
_CHANGZHI = (
    RegionRow("140400", "长治市"),
    RegionRow("140403", "潞州区"),
    RegionRow("140404", "上党区"),
    RegionRow("140405", "屯留区"),
    RegionRow("140406", "潞城区"),
    RegionRow("140423", "襄垣县"),
    RegionRow("140425", "平顺县"),
    RegionRow("140426", "黎城县"),
    RegionRow("140427", "壶关县"),
    RegionRow("140428", "长子县"),
    RegionRow("140429", "武乡县"),
    RegionRow("140430", "沁县"),
    RegionRow("140431", "沁源县"),
    RegionRow("140471", "高新区", note="统计用区划代码，未经 GB/T 2260 确认"),
    RegionRow("140402", "城区", successor_code="140403"),
    RegionRow("140411", "郊区", successor_code="140403"),
    RegionRow("140421", "长治县", successor_code="140404"),
    RegionRow("140424", "屯留县", successor_code="140405"),
    RegionRow("140481", "潞城市", successor_code="140406"),
)

DEFAULT_ROWS: tuple[RegionRow, ...] = (
    RegionRow(CENTRAL_CODE, "中央/国家级登记"),
    *(RegionRow(prefix + "0000", name) for prefix, name in _PROVINCES.items()),
    *_CHANGZHI,
)

DEFAULT_REGIONS = RegionTable.from_rows(DEFAULT_ROWS)


def lookup_region(code: str) -> RegionInfo | None:
    """Describe a division code using the default table (see :meth:`RegionTable.lookup`).

    Args:
        code: Six-digit code.
    """
    return DEFAULT_REGIONS.lookup(code)


def region_name(code: str) -> str | None:
    """Display name of a division code using the default table.

    Args:
        code: Six-digit code, e.g. ``140421`` → ``山西省长治市长治县（已撤销，现属上党区）``.
    """
    return DEFAULT_REGIONS.name(code)
