"""Table exports: CSV that Excel opens in Chinese, XLSX read back by openpyxl, formulas kept as
text, atomic replacement."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from desktop_app.reports.spreadsheet import Table, write_csv, write_table, write_xlsx

HEADERS = ["主体名称", "事项"]
ROWS = [["长治市示例有限公司", "=1+1"], ["@某某", "食品\x01经营许可"]]


def test_cells_a_spreadsheet_would_run_stay_text(tmp_path: Path) -> None:
    table = Table("公示台账", HEADERS, ROWS)
    xlsx = write_table(table, tmp_path / "t.XLSX")
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        HEADERS,
        ["长治市示例有限公司", "=1+1"],
        ["@某某", "食品经营许可"],  # XLSX cannot hold the control character
    ]
    assert sheet.cell(2, 2).data_type == "s" and sheet.title == "公示台账"
    write_csv(table, tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [
            HEADERS,
            ["长治市示例有限公司", "'=1+1"],
            ["'@某某", "食品\x01经营许可"],
        ]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match="row 0 has 1 cells"):
        Table("t", HEADERS, [["only one"]])
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")

    def disk_full(_book: object, name: str) -> None:
        Path(name).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_xlsx(Table("t", HEADERS, ROWS), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]
