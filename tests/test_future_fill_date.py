"""A 填报日期 after the day the file was received (or after today) cannot be right: its own problem with
the fix, not a late return, and it never makes a version the latest."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from qe_workbook.intake.collect import collect
from qe_workbook.intake.receipts import OFFICE_TZ, Receipt, ReceiptBook, write_record
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate


def test_a_fill_date_after_today_is_its_own_problem(tmp_path: Path, small_rubric: Rubric) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    files = fill_all(generated, tmp_path / "returned", {"甲局": TIE["甲局"]}, fill_date=date(2033, 4, 20))
    result = collect(tmp_path / "returned", small_rubric, KEY, today=date(2023, 5, 2))
    dated = [p for p in result.problems if p.code.startswith("VALUE_DATE")]
    assert [(p.code, p.file, p.cell) for p in dated] == [("VALUE_DATE_FUTURE", files["甲局"].name, "E2")]
    assert dated[0].message == (
        "填报日期 2033年4月20日 晚于今天（2023年5月2日），不可能是真实的填报日期。"
        "请该部门核对并更正“填报日期”（多为年份或月份写错）；在更正之前，不据此判断是否逾期。"
    )


def test_a_fill_date_after_the_receipt_is_not_late_but_wrong(tmp_path: Path, small_rubric: Rubric) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    files = fill_all(generated, tmp_path / "returned", {"甲局": TIE["甲局"]}, fill_date=date(2023, 5, 3))
    at = datetime(2023, 4, 28, 10, 0, tzinfo=OFFICE_TZ)
    write_record(tmp_path / "returned", ReceiptBook([Receipt(at, "邮件", file=files["甲局"].name)]), people=False)
    result = collect(tmp_path / "returned", small_rubric, KEY, today=date(2023, 5, 6))
    dated = [p for p in result.problems if p.code.startswith("VALUE_DATE")]
    assert [p.code for p in dated] == ["VALUE_DATE_FUTURE"]  # not VALUE_DATE_LATE: 05-03 is after 04-30
    assert dated[0].message.startswith(
        "填报日期 2023年5月3日 晚于收到该文件的时间（2023-04-28 10:00），不可能是真实的填报日期。"
    )
