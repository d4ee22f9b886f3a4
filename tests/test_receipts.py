"""The receipt record: arrival times from the mail record and the office's hand-kept register
decide lateness; a department's late form is warned about, never dropped."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.intake.collect import collect
from qe_workbook.intake.receipts import (
    OFFICE_TZ,
    RECORD_JSON,
    REGISTER_XLSX,
    Receipt,
    ReceiptBook,
    late_problem,
    load_receipts,
    parse_received,
    read_record,
    read_register,
    write_record,
    write_register_template,
)
from qe_workbook.intake.submission import Status
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .forms import KEY, TIE, fill_all, generate

TODAY = date(2023, 6, 1)


def fill_register(path: Path, rows: list[list[object]]) -> None:
    """Type rows into the template under its header, as the clerk would in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb["收件登记"]
    for n, row in enumerate(rows, start=4):
        for col, value in enumerate(row, start=1):
            ws.cell(n, col, value)
    wb.save(path)


def test_register_rows_become_receipts_and_bad_cells_are_named(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write_register_template(tmp_path / REGISTER_XLSX, small_rubric)
    fill_register(path, [
        ["甲局", "评价表", "微信", datetime(2023, 4, 28, 15, 30), "张三"],
        ["2022_评价表_乙局.xlsx", "评价表", "U盘", "2023年5月2日 9时05分", "李四"],
        ["东区人民政府", "自评报告", "现场", "2023/4/10", "王五"],
        ["丙局", "评价表", "OA", "2023-04-29 10:00", "张三"],  # not a department of this rubric
        ["西区", "联系人员名单", "飞鸽", "4月9日", "张三"],  # no year: refused
        ["南区", "自评报告", "邮件", "2021-12-31", "张三"],  # before the assessed year
        ["质强办", "评价表", "现场", 45045.5, "张三"],  # an Excel day number: 2023-04-29 12:00
    ])  # fmt: skip
    receipts, problems = read_register(path, small_rubric, today=TODAY)
    assert [(p.code, p.cell) for p in problems] == [
        ("RECEIPT_NAME_UNKNOWN", "A7"),
        ("RECEIPT_DATE_INVALID", "D8"),
        ("RECEIPT_DATE_INVALID", "D9"),
    ]
    assert "“丙局”" in problems[0].message and "早于考核年度" in problems[2].message
    assert all(p.sheet == "收件登记" and p.file == REGISTER_XLSX for p in problems)
    shown = [(r.sender, r.file, r.material, r.channel, r.shown_time(), r.received_by) for r in receipts]
    assert shown == [
        ("甲局", None, "评价表", "微信", "2023-04-28 15:30", "张三"),
        ("乙局", "2022_评价表_乙局.xlsx", "评价表", "U盘", "2023-05-02 09:05", "李四"),
        ("东区", None, "自评报告", "现场", "2023-04-10", "王五"),
        (None, None, "评价表", "办公系统", "2023-04-29 10:00", "张三"),
        ("质强办", None, "评价表", "现场", "2023-04-29 12:00", "张三"),
    ]
    assert receipts[0].received_at == datetime(2023, 4, 28, 7, 30, tzinfo=UTC)
    assert receipts[1].source == f"{REGISTER_XLSX} D5"


def test_register_without_its_columns_is_one_clear_problem(tmp_path: Path, small_rubric: Rubric) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "时间"])
    wb.active.append(["甲局", "2023-04-28"])
    wb.save(tmp_path / REGISTER_XLSX)
    receipts, problems = read_register(tmp_path / REGISTER_XLSX, small_rubric, today=TODAY)
    assert receipts == []
    assert [p.code for p in problems] == ["RECEIPT_COLUMNS_MISSING"]
    assert "收到时间" in problems[0].message


def test_received_times_as_clerks_type_them() -> None:
    def parse(value: object) -> tuple[str | None, bool, str]:
        moment, day_only, why = parse_received(value, 2022, TODAY)
        return (f"{moment.astimezone(OFFICE_TZ):%Y-%m-%d %H:%M}" if moment else None), day_only, why

    assert parse("2023-04-28 15:30") == ("2023-04-28 15:30", False, "")
    assert parse("２０２３年４月２８日　１５：３０") == ("2023-04-28 15:30", False, "")
    assert parse("2023.4.28") == ("2023-04-28 00:00", True, "")
    assert parse("2023-04-28T07:30:00+00:00") == ("2023-04-28 15:30", False, "")
    assert parse(date(2023, 4, 28)) == ("2023-04-28 00:00", True, "")
    assert parse(None) == (None, False, "未填写")
    assert parse("下周一") == (None, False, "无法识别为日期时间")
    assert parse("2023-07-01") == (None, False, "晚于今天")


def test_record_round_trip_and_lookup(tmp_path: Path) -> None:
    first = datetime(2023, 4, 28, 16, 0, tzinfo=OFFICE_TZ)
    mail = Receipt(first, "邮件", sender="甲局", file="甲局.xlsx", address="jia@example.cn", subject="评价表",
                   message_id="<1@x>", mail_uid="7:1", sha256="aa", saved_as="0001/甲局.xlsx")  # fmt: skip
    again = Receipt(first + timedelta(days=3), "邮件", sender="甲局", file="甲局(1).xlsx", sha256="aa",
                    saved_as="0002/甲局(1).xlsx")  # fmt: skip
    by_hand = Receipt(first, "现场", sender="乙局", material="评价表")
    write_record(tmp_path, ReceiptBook([mail, again, by_hand], [{"mail_uid": "7:1"}]))
    book, problems = read_record(tmp_path / RECORD_JSON)
    assert problems == []
    assert book.receipts[0] == Receipt(**{**mail.__dict__, "source": RECORD_JSON})
    assert book.find(sha256="aa") == book.receipts[0]  # the same bytes twice: the first arrival counts
    assert book.find(path="0002\\甲局(1).xlsx") == book.receipts[1]
    assert book.find(name="sub/甲局(1).XLSX") == book.receipts[1]
    assert book.find(sha256="bb", sender="乙局", material="评价表") == book.receipts[2]
    assert book.find(sha256="bb", sender="乙局", material="自评报告") is None
    assert (tmp_path / "收件记录.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_a_damaged_record_is_a_problem_not_a_crash(tmp_path: Path, small_rubric: Rubric) -> None:
    (tmp_path / RECORD_JSON).write_text('{"receipts": [{"received_at": "昨天"}]}', encoding="utf-8")
    book, problems = load_receipts(tmp_path, small_rubric)
    assert not book
    assert [p.code for p in problems] == ["RECEIPT_RECORD_UNREADABLE"]


def test_late_is_a_warning_for_forms_and_an_error_for_materials() -> None:
    on_the_day = Receipt(datetime(2023, 4, 30, 23, 59, tzinfo=OFFICE_TZ), "邮件")
    next_day_in_utc = Receipt(datetime(2023, 4, 30, 16, 1, tzinfo=UTC), "邮件")  # 5月1日 00:01 北京时间
    deadline = date(2023, 4, 30)
    assert late_problem(on_the_day, deadline, file=None, who="甲局", material="评价表", rejects=False) is None
    warn = late_problem(next_day_in_utc, deadline, file="x.xlsx", who="甲局", material="评价表", rejects=False)
    error = late_problem(next_day_in_utc, deadline, file=None, who="东区", material="自评报告", rejects=True)
    assert warn is not None and error is not None
    assert (warn.code, str(warn.severity)) == ("RECEIPT_FORM_LATE", "warning")
    assert (error.code, str(error.severity)) == ("RECEIPT_MATERIAL_LATE", "error")
    assert "2023-05-01 00:01" in warn.message and "不予采用" in error.message


def test_collect_takes_lateness_from_the_register(tmp_path: Path, small_rubric: Rubric) -> None:
    """甲局's form came by 微信 a day late: warned, still used, totals as without a register."""
    returned = tmp_path / "returned"
    files = fill_all(generate(small_rubric, tmp_path / "forms"), returned, TIE)
    write_register_template(returned / REGISTER_XLSX, small_rubric)
    fill_register(returned / REGISTER_XLSX, [
        ["甲局", "评价表", "微信", "2023-05-01 08:30", "张三"],
        [files["乙局"].name, "评价表", "U盘", "2023-04-30 17:00", "李四"],
    ])  # fmt: skip
    result = collect(returned, small_rubric, KEY)
    assert [(p.code, p.file) for p in result.problems] == [
        ("RECEIPT_FORM_LATE", files["甲局"].name),
        ("RECEIPT_NOT_FOUND", files["质强办"].name),
    ]
    assert "2023-05-01 08:30（微信）收到，晚于截止日期 2023-04-30" in result.problems[0].message
    assert all(s.status == Status.ACCEPTED for s in result.submissions)  # the register is not read as a form
    assert len(result.submissions) == 3
    by_unit = {u.unit: u.total for u in score(result.frame, small_rubric).units}
    assert by_unit == {"东区": Decimal("90.5"), "西区": Decimal("90.5"), "南区": 98}

    run = run_collect(returned, small_rubric, KEY, CollectOptions(tmp_path / "out", reports=False))
    audit = json.loads((run.folder / "audit.json").read_text(encoding="utf-8"))
    receipt = {a["evaluator"]: a["receipt"] for a in audit["files"]}
    assert receipt["甲局"]["channel"] == "微信" and receipt["甲局"]["received_at"] == "2023-05-01T08:30:00+08:00"
    assert receipt["质强办"] is None
    ws = openpyxl.load_workbook(run.folder / "master.xlsx", read_only=True)["报送情况"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["甲局"][4:6] == ("2023-05-01 08:30（逾期）", "微信")
    assert rows["乙局"][4:6] == ("2023-04-30 17:00", "U盘")


def test_the_mail_record_finds_files_by_content(tmp_path: Path, small_rubric: Rubric) -> None:
    returned = tmp_path / "returned"
    files = fill_all(generate(small_rubric, tmp_path / "forms"), returned, TIE)
    at = datetime(2023, 4, 29, 10, 0, tzinfo=OFFICE_TZ)
    receipts = [
        Receipt(at, "邮件", file="附件.xlsx", sha256=hashlib.sha256(path.read_bytes()).hexdigest())
        for path in files.values()
    ]
    write_record(returned, ReceiptBook(receipts))
    result = collect(returned, small_rubric, KEY)
    assert result.problems == []
    assert {s.receipt.shown_time() for s in result.submissions if s.receipt} == {"2023-04-29 10:00"}


def test_receipts_template_command(tmp_path: Path) -> None:
    runner = CliRunner()
    rubric = str(Path(__file__).resolve().parents[1] / "rubric.json")
    target = tmp_path / REGISTER_XLSX
    first = runner.invoke(main, ["receipts", "template", "--rubric", rubric, "--out", str(target)])
    assert first.exit_code == 0, first.output
    ws = openpyxl.load_workbook(target)["收件登记"]
    assert [c.value for c in ws[3]] == ["文件名或报送单位", "材料", "渠道", "收到时间", "经办人", "备注"]
    assert "市工信局" in [c.value for c in openpyxl.load_workbook(target)["名录"]["A"]]
    again = runner.invoke(main, ["receipts", "template", "--rubric", rubric, "--out", str(target)])
    assert again.exit_code == 1 and "未覆盖" in again.output


@pytest.mark.parametrize("name", ["收件记录.json", "收件记录.xlsx", "收件登记.xlsx"])
def test_record_files_are_not_read_as_forms(tmp_path: Path, small_rubric: Rubric, name: str) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    (returned / name).write_bytes(b"")
    result = collect(returned, small_rubric, KEY, receipts=ReceiptBook())
    assert result.submissions == [] and result.ignored == []
