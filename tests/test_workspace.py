"""A year's workspace for `qe ui`: created from the bundled rubric (or rolled on to another year), the
office's key kept or installed, returned files kept only after the same checks as `qe collect`, and the
year's jobs and views through the same library calls as the CLI."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

from qe_workbook.intake.container import Limits
from qe_workbook.intake.receipts import OFFICE_TZ, Receipt, ReceiptBook, read_record, write_record
from qe_workbook.keys import read_key
from qe_workbook.problems import has_errors
from qe_workbook.rubric import Rubric, load_rubric
from qe_workbook.rubric.load import BUNDLED_RUBRIC
from qe_workbook.rubric.workbook.files import export_rubric
from qe_workbook.workspace.actions import collect_in, generate_in, returned_count
from qe_workbook.workspace.layout import RETURNED, Workspace, create_workspace
from qe_workbook.workspace.returns import add_returned, department_returns, receive_files
from qe_workbook.workspace.runs import run_view

from .conftest import ROOT, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, with_changes

SAMPLE = sorted((ROOT / "samples" / "returned").glob("*.xlsx"))[0]


def test_a_workspace_for_the_bundled_year_holds_its_rubric_a_new_key_and_the_returned_folder(tmp_path: Path) -> None:
    created = create_workspace(tmp_path / "ws", 2022)
    assert created.problems == [] and created.checklist == []
    ws = Workspace(tmp_path / "ws")
    assert ws.rubric_path.read_bytes() == BUNDLED_RUBRIC.read_bytes()
    assert read_key(ws.key_path)[0] is not None
    assert (tmp_path / "ws" / RETURNED).is_dir() and ws.ready
    again = create_workspace(tmp_path / "ws", 2022)
    assert again.workspace is None and [p.code for p in again.problems] == ["WORKSPACE_EXISTS"]


def test_another_year_is_rolled_on_as_qe_rubric_new_year_does_and_the_given_key_is_installed(tmp_path: Path) -> None:
    key_text = "# 练习用密钥\n" + KEY.hex() + "\n"
    created = create_workspace(tmp_path / "ws", 2023, key_text)
    assert created.problems == []
    assert created.checklist  # what to check against the new plan
    rubric, _problems = Workspace(tmp_path / "ws").load_rubric()
    assert rubric is not None and rubric.year == 2023
    assert read_key(Workspace(tmp_path / "ws").key_path)[0] == KEY


def test_the_offices_rubric_workbook_or_json_becomes_the_workspace_rubric(tmp_path: Path) -> None:
    assert export_rubric(BUNDLED_RUBRIC, tmp_path / "考核细则.xlsx").path is not None
    from_xlsx = create_workspace(
        tmp_path / "a", 1999, rubric_file=("考核细则.xlsx", (tmp_path / "考核细则.xlsx").read_bytes())
    )
    assert not has_errors(from_xlsx.problems)
    imported, bundled = Workspace(tmp_path / "a").load_rubric()[0], load_rubric(BUNDLED_RUBRIC).rubric
    assert imported is not None and bundled is not None and imported.content_hash == bundled.content_hash
    assert (tmp_path / "a" / "导入的考核细则.xlsx").is_file()  # kept as given
    small = json.dumps(small_rubric_data(), ensure_ascii=False).encode()
    from_json = create_workspace(tmp_path / "b", 2022, rubric_file=("rubric.json", small))
    rubric, _ = Workspace(tmp_path / "b").load_rubric()
    assert (
        not has_errors(from_json.problems)
        and rubric is not None
        and [u.name for u in rubric.units] == ["东区", "西区", "南区"]
    )
    broken = create_workspace(tmp_path / "c", 2022, rubric_file=("rubric.json", b"{"))
    assert broken.workspace is None and has_errors(broken.problems) and not (tmp_path / "c" / "rubric.json").exists()
    other = create_workspace(tmp_path / "d", 2022, rubric_file=("细则.docx", b"PK"))
    assert [p.code for p in other.problems] == ["RUBRIC_UNREADABLE"]


def test_a_bad_key_file_creates_nothing_and_an_existing_different_key_is_kept(tmp_path: Path) -> None:
    bad = create_workspace(tmp_path / "ws", 2022, "不是密钥")
    assert [p.code for p in bad.problems] == ["KEY_INVALID"] and not (tmp_path / "ws" / "rubric.json").exists()
    ws = Workspace(tmp_path / "other")
    ws.key_path.parent.mkdir(parents=True)
    ws.key_path.write_text(bytes(32).hex(), encoding="ascii")
    clash = create_workspace(tmp_path / "other", 2022, KEY.hex())
    assert [p.code for p in clash.problems] == ["KEY_EXISTS"] and read_key(ws.key_path)[0] == bytes(32)


def test_inside_refuses_every_way_out_of_the_workspace(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    (tmp_path / "ws" / "out").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    (tmp_path / "ws" / "link").symlink_to(tmp_path)
    assert ws.inside("out") == (tmp_path / "ws" / "out").resolve()
    for way_out in (
        "../secret.txt",
        str(tmp_path / "secret.txt"),
        "out/../../secret.txt",
        "link/secret.txt",
        "",
        "a\x00b",
    ):
        assert ws.inside(way_out) is None, way_out


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_a_returned_file_is_kept_as_sent_under_a_safe_name_and_what_collect_will_say_is_said(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    data = SAMPLE.read_bytes()
    added = add_returned(ws, "..\\..\\市住建局:评价表?.xlsx", data)
    assert added.problems == [] and added.path == ws.returned / "市住建局_评价表_.xlsx" and added.saved
    assert added.sent == "市住建局:评价表?.xlsx" and added.renamed == "文件名含不能用作文件名的字符"
    assert added.path.read_bytes() == data
    same = add_returned(ws, "另一个名字.xlsx", data)
    assert [p.code for p in same.problems] == ["RETURNED_ALREADY_ADDED"] and same.path == added.path
    assert same.same and not same.saved
    changed = add_returned(ws, "市住建局:评价表?.xlsx", data + b"\0")
    assert changed.path == ws.returned / "市住建局_评价表_ (2).xlsx"
    reserved = add_returned(ws, "CON.xlsx", data[:-1] + b"\1")
    assert reserved.path is not None and reserved.path.name != "CON.xlsx" and reserved.path.parent == ws.returned
    word = add_returned(ws, "评价表.xlsx", docx_bytes())  # kept: it is what was sent; collect will say so too
    assert word.path == ws.returned / "评价表.xlsx" and [p.code for p in word.problems] == ["FILE_NOT_XLSX"]
    big = add_returned(ws, "大.xlsx", data, Limits(max_file_bytes=len(data) - 1))
    assert big.path is None and [p.code for p in big.problems] == ["FILE_TOO_LARGE"]
    long = add_returned(ws, "关" * 100 + ".xlsx", data[:-1] + b"\2")  # 305 bytes: too long for one name on Linux
    assert long.path == ws.returned / ("关" * 74 + "….xlsx") and long.renamed == "文件名过长"
    assert len(ws.returned_files()) == 5


def test_an_xls_or_a_zip_keeps_its_own_name_and_extension(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    xls = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504  # an Excel 97-2003 file begins so
    zipped = docx_bytes()
    for name, data in (("市住建局评价表.xls", xls), ("市教育局评价表.zip", zipped), ("市卫健委.ods", zipped + b"\1")):
        added = add_returned(ws, name, data)
        assert added.path == ws.returned / name and added.problems == [] and added.path.read_bytes() == data


def test_each_upload_is_written_to_the_one_receipt_record_with_its_time_and_channel(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    mail = Receipt(datetime(2023, 5, 1, 8, 0, tzinfo=OFFICE_TZ), "邮件", sender="乙局", file="乙局.xlsx", sha256="ab")
    write_record(ws.returned, ReceiptBook([mail]))  # what qe mail fetch wrote before
    data = SAMPLE.read_bytes()
    given = datetime(2023, 5, 2, 9, 30, tzinfo=OFFICE_TZ)
    added, problems = receive_files(ws, [("甲局评价表.xls", b"old"), ("甲局.xlsx", data), ("甲局 副本.xlsx", data)],
                                    rubric, received=given, channel="微信")  # fmt: skip
    assert problems == [] and [a.saved for a in added] == [True, True, False]
    before = datetime.now(OFFICE_TZ)
    added, problems = receive_files(ws, [("评价表.xlsx", data + b"\0")], rubric)
    book, read_problems = read_record(ws.returned / "收件记录.json")
    assert read_problems == [] and (ws.returned / "收件记录.xlsx").is_file()
    assert [(r.sender, r.file, r.channel, r.saved_as, r.material) for r in book.receipts] == [
        ("乙局", "乙局.xlsx", "邮件", None, None),
        ("甲局", "甲局评价表.xls", "微信", "甲局评价表.xls", "评价表"),
        ("甲局", "甲局.xlsx", "微信", "甲局.xlsx", "评价表"),
        (None, "评价表.xlsx", "网页上传", "评价表.xlsx", "评价表"),
    ]  # fmt: skip
    assert [r.received_at for r in book.receipts[1:3]] == [given, given]
    assert before <= book.receipts[3].received_at <= datetime.now(OFFICE_TZ)
    assert book.find(sha256=hashlib.sha256(data).hexdigest()) == book.receipts[2]
    assert [p.name for p in ws.returned_files()] == ["甲局.xlsx", "甲局评价表.xls", "评价表.xlsx"]


def small_year(tmp_path: Path) -> tuple[Workspace, Rubric]:
    """A workspace holding the small rubric and the test key, nothing generated yet."""
    ws = Workspace(tmp_path / "ws")
    ws.root.mkdir()
    write_json(ws.rubric_path, small_rubric_data())
    ws.key_path.parent.mkdir()
    ws.key_path.write_text(KEY.hex(), encoding="ascii")
    rubric, _ = ws.load_rubric()
    assert rubric is not None
    return ws, rubric


def test_generate_collect_and_the_views_of_a_small_year(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    seen: list[str] = []
    generated = generate_in(ws, rubric, seen.append)
    assert generated.generated is not None and seen == ["甲局", "乙局", "质强办"]
    assert [p.code for p in generate_in(ws, rubric).problems] == ["FORMS_FOLDER_OCCUPIED"]
    ws.returned.mkdir()
    fill_all(generated.generated, ws.returned, {k: v for k, v in TIE.items() if k != "乙局"})
    before = department_returns(ws, rubric)
    assert before.run is None and [(d.evaluator, d.received, d.state) for d in before.departments] == [
        ("甲局", 1, "已收到，待汇总"), ("乙局", 0, "未收到"), ("质强办", 1, "已收到，待汇总")
    ]  # fmt: skip
    assert returned_count(ws) == 2
    outcome = collect_in(ws, rubric)
    assert outcome.report is not None and not outcome.report.clean
    after = department_returns(ws, rubric)
    assert after.run == outcome.report.folder and after.newer_files == 0
    assert [(d.evaluator, d.adopted, d.state, d.ask) for d in after.departments] == [
        ("甲局", 1, "已采用", ""), ("乙局", 0, "未收到", "请催报评价表"), ("质强办", 1, "已采用", "")
    ]  # fmt: skip
    view = run_view(outcome.report.folder)
    assert [row[:2] for row in view.rows] == [["1", "南区"], ["2", "东区"], ["3", "西区"]]
    assert "乙局" in dict(view.groups)  # its missing form, under its name
    assert [label for label, _path in view.documents] == [
        "汇总表", "考核结果通报（代拟稿）", "公告名单（.csv）", "公告名单（.xlsx）", "结果数据（.csv）", "问题清单（.csv）"
    ]  # fmt: skip
    assert len(view.letters) == 3 and not view.complete  # 乙局's items missing: every grade 暂定


def test_an_adopted_form_with_a_bad_cell_is_asked_to_correct_it(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    generated = generate_in(ws, rubric).generated
    assert generated is not None
    ws.returned.mkdir()
    fill_all(generated, ws.returned, with_changes(TIE, "甲局", {("东区", "01-1"): (41, "超过满分")}))
    collect_in(ws, rubric)
    jia = department_returns(ws, rubric).departments[0]
    assert (jia.evaluator, jia.adopted, jia.state, len(jia.corrections)) == ("甲局", 1, "已采用，需更正（E5）", 1)
    assert jia.ask.startswith("得分已采用；请该部门更正所列单元格后重新报送：评价表 ") and "41" in jia.ask


def test_a_file_added_after_the_latest_run_is_counted(tmp_path: Path) -> None:
    test_generate_collect_and_the_views_of_a_small_year(tmp_path)
    ws = Workspace(tmp_path / "ws")
    rubric, _ = ws.load_rubric()
    assert rubric is not None
    shutil.copyfile(SAMPLE, ws.returned / "后来的.xlsx")
    assert department_returns(ws, rubric).newer_files == 1


def test_before_any_run_a_file_counts_for_the_department_its_folder_names(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    fetched = ws.returned / "20230427-090100_乙局_3"
    fetched.mkdir(parents=True)
    (fetched / "评价表.pdf").write_bytes(b"%PDF-1.4\n")
    before = department_returns(ws, rubric)
    assert [(d.evaluator, d.received) for d in before.departments] == [("甲局", 0), ("乙局", 1), ("质强办", 0)]
