"""Every file a department sent is recognised as received from it, whatever its format or name."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

from qe_workbook.intake.collect import CollectResult, collect
from qe_workbook.intake.container import Limits
from qe_workbook.intake.receipts import OFFICE_TZ, Receipt, ReceiptBook, write_record, write_register_template
from qe_workbook.intake.standing import Standing, file_standing, standing
from qe_workbook.intake.submission import Status, Submission
from qe_workbook.keys import read_key
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric

from .conftest import ROOT

SAMPLES = ROOT / "samples"
KEY = read_key(SAMPLES / "qe-sample.key")[0] or b""
PREFIX = "2022年度质量工作考核评价表_"


def returned_without(tmp_path: Path, *departments: str) -> Path:
    """The bundled returned folder, less the forms of `departments` (which the test sends otherwise)."""
    folder = tmp_path / "回收"
    shutil.copytree(SAMPLES / "returned", folder)
    for dept in departments:
        (folder / f"{PREFIX}{dept}.xlsx").unlink()
    return folder


def form_of(dept: str) -> Path:
    return SAMPLES / "returned" / f"{PREFIX}{dept}.xlsx"


def owned(result: CollectResult, dept: str) -> list[Submission]:
    return [s for s in result.submissions if s.owner == dept]


def codes(result: CollectResult, dept: str) -> set[str]:
    return {p.code for p in result.problems if p.params.get("evaluator") == dept}


def test_a_pdf_an_image_and_a_word_file_are_received_but_cannot_be_used(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path, "市质强办", "市卫健委", "市教育局")
    (folder / f"{PREFIX}市质强办.pdf").write_bytes(b"%PDF-1.4\n% printed from the form\n")
    (folder / "市卫健委评价表.jpg").write_bytes(b"\xff\xd8\xff\xe0 a photograph of the form")
    (folder / "市教育局.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 a Word 97 file")
    result = collect(folder, rubric_2022, KEY)
    for dept, file, kind in (("市质强办", f"{PREFIX}市质强办.pdf", "是 PDF 文档"), ("市卫健委", "市卫健委评价表.jpg", "是图片"),
                             ("市教育局", "市教育局.doc", "是 Word 文档")):  # fmt: skip
        (sub,) = owned(result, dept)
        assert (sub.file, sub.status, sub.status.label) == (file, Status.UNUSABLE, "收到但无法采用")
        assert sub.reason == f"{file} {kind}，收到但不能采用（打印、扫描或拍照的表格无法核验）"
        (note,) = [p for p in result.problems if p.file == file]
        assert note.code == "FILE_NOT_FORM" and "请该部门交回下发的 .xlsx 评价表" in note.message
        assert codes(result, dept) == {"SUBMISSION_REJECTED"}


def test_a_stray_pdf_of_nobody_is_only_noted(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path)
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4\n")
    result = collect(folder, rubric_2022, KEY)
    assert [(p.code, p.severity.value) for p in result.problems] == [("FILE_NOT_FORM", "info")]
    assert len(result.accepted()) == 28


def test_the_folder_of_a_fetched_mail_names_the_sender(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path, "市水利局")
    mail = folder / "20230427-090100_市水利局_3"
    mail.mkdir()
    (mail / "水利局评价表.pdf").write_bytes(b"%PDF-1.4\n")
    result = collect(folder, rubric_2022, KEY)
    (sub,) = owned(result, "市水利局")
    assert sub.file == "20230427-090100_市水利局_3/水利局评价表.pdf"
    assert codes(result, "市水利局") == {"SUBMISSION_REJECTED"}


def test_the_receipt_record_names_the_sender(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path, "市水利局")
    (folder / "附件").mkdir()
    (folder / "附件" / "评价表.pdf").write_bytes(b"%PDF-1.4\n")
    receipt = Receipt(datetime(2023, 4, 27, 9, 1, tzinfo=OFFICE_TZ), "邮件", sender="市水利局", file="评价表.pdf",
                      material="评价表", address="slj@example.cn", saved_as="附件/评价表.pdf")  # fmt: skip
    write_record(folder, ReceiptBook([receipt]), people=False)
    result = collect(folder, rubric_2022, KEY)
    (sub,) = owned(result, "市水利局")
    assert sub.file == "附件/评价表.pdf" and sub.receipt is not None and sub.receipt.address == "slj@example.cn"
    assert codes(result, "市水利局") == {"SUBMISSION_REJECTED"}


def test_a_table_copied_into_a_new_workbook_is_known_by_its_owner_line(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path, "市质强办")
    issued = openpyxl.load_workbook(form_of("市质强办"))
    copy = openpyxl.Workbook()
    sheet = copy.active
    for row in issued.worksheets[0].iter_rows():
        for cell in row:
            if cell.value is not None:
                sheet.cell(cell.row, cell.column, cell.value)
    assert str(sheet["A2"].value).endswith("市质强办")
    copy.save(folder / "新建 Microsoft Excel 工作表.xlsx")
    result = collect(folder, rubric_2022, KEY)
    (sub,) = owned(result, "市质强办")
    assert sub.status == Status.REJECTED and [p.code for p in sub.problems] == ["FORM_NO_MANIFEST"]
    assert codes(result, "市质强办") == {"SUBMISSION_REJECTED"}


def zipped(path: Path, members: dict[str, bytes], *, password: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    if password:  # the 'encrypted' flag set in both headers, as a zip tool sets it
        data = bytearray(path.read_bytes())
        for offset in (6, data.find(b"PK\x01\x02") + 8):
            data[offset] |= 1
        path.write_bytes(bytes(data))
    return path


def test_a_form_inside_a_zip_is_read_and_the_folder_left_untouched(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path, "市水利局", "市畜牧局")
    archive = zipped(folder / "市水利局.zip", {"评价表/水利局评价表.xlsx": form_of("市水利局").read_bytes(),
                                              "__MACOSX/._水利局评价表.xlsx": b"\x00"})  # fmt: skip
    zipped(folder / "畜牧局报送材料.zip", {f"{PREFIX}市畜牧局.xlsx": form_of("市畜牧局").read_bytes()})
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    result = collect(folder, rubric_2022, KEY)
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before and archive.is_file()
    (water,) = owned(result, "市水利局")
    assert (water.file, water.status) == ("市水利局.zip/评价表/水利局评价表.xlsx", Status.ACCEPTED)
    (herds,) = owned(result, "市畜牧局")
    assert (herds.file, herds.status) == (f"畜牧局报送材料.zip/{PREFIX}市畜牧局.xlsx", Status.ACCEPTED)
    assert len(result.accepted()) == 28 and result.problems == []


def test_a_zip_that_cannot_be_unpacked_safely_is_received_from_its_sender(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path, "市水利局", "市畜牧局", "市商务局")
    zipped(folder / "市水利局.zip", {"../../市水利局.xlsx": form_of("市水利局").read_bytes()})
    zipped(folder / "市畜牧局.zip", {"市畜牧局.xlsx": b"encrypted"}, password=True)
    zipped(folder / "市商务局.zip", {"里层.zip": b"PK\x05\x06" + bytes(18)})
    result = collect(folder, rubric_2022, KEY)
    for dept, reason in (("市水利局", "压缩包以外"), ("市畜牧局", "解压密码"), ("市商务局", "压缩包中又套了压缩包")):
        (sub,) = owned(result, dept)
        assert sub.status == Status.UNUSABLE and reason in sub.reason, sub.reason
        assert codes(result, dept) == {"SUBMISSION_REJECTED"}
    assert not (tmp_path / "市水利局.xlsx").exists()


def test_the_tools_own_outputs_in_the_returned_folder_are_only_noted(tmp_path: Path, rubric_2022: Rubric) -> None:
    run = run_collect(SAMPLES / "returned", rubric_2022, KEY, CollectOptions(tmp_path / "out"))
    folder = returned_without(tmp_path)
    shutil.copy(run.folder / "master.xlsx", folder / "master.xlsx")
    (folder / "上次结果").mkdir()
    shutil.copy(run.folder / "公告名单.xlsx", folder / "上次结果" / "公告名单.xlsx")
    write_register_template(folder / "上次结果" / "收件登记.xlsx", rubric_2022)
    result = collect(folder, rubric_2022, KEY)
    assert [(p.code, p.severity.value, p.file, p.message.split("。")[0]) for p in result.problems] == [
        ("FILE_OWN_OUTPUT", "info", "master.xlsx", "master.xlsx 是本工具生成的“2022年度政府质量工作考核汇总”，不是评价表，未读取"),
        ("FILE_OWN_OUTPUT", "info", "上次结果/公告名单.xlsx",
         "上次结果/公告名单.xlsx 是本工具生成的“漯河市2022年度政府质量工作考核结果公告名单”，不是评价表，未读取"),
        ("FILE_OWN_OUTPUT", "info", "上次结果/收件登记.xlsx", "上次结果/收件登记.xlsx 是本工具生成的“收件登记”，不是评价表，未读取"),
    ]  # fmt: skip
    assert len(result.submissions) == len(result.accepted()) == 28
    assert {"master.xlsx", "上次结果/公告名单.xlsx", "上次结果/收件登记.xlsx"} <= set(result.ignored)
    assert run_collect(folder, rubric_2022, KEY, CollectOptions(tmp_path / "again")).clean  # exit 0


def test_a_file_unpacked_from_a_zip_has_the_zips_receipt(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path, "市水利局", "市畜牧局")
    zipped(folder / "附件.zip", {"评价表.pdf": b"%PDF-1.4\n"})
    zipped(folder / "附件2.zip", {"评价表.xlsx": form_of("市畜牧局").read_bytes()})
    at = datetime(2023, 4, 28, 10, 3, tzinfo=OFFICE_TZ)
    write_record(folder, ReceiptBook([Receipt(at, "邮件", sender="市水利局", file="附件.zip", saved_as="附件.zip"),
                                      Receipt(at, "邮件", sender="市畜牧局", file="附件2.zip", saved_as="附件2.zip")]),
                 people=False)  # fmt: skip
    result = collect(folder, rubric_2022, KEY)
    (water,) = owned(result, "市水利局")
    assert (water.file, water.status, water.receipt and water.receipt.file) == (
        "附件.zip/评价表.pdf",
        Status.UNUSABLE,
        "附件.zip",
    )
    (herds,) = owned(result, "市畜牧局")
    assert (herds.status, herds.receipt and herds.receipt.file) == (Status.ACCEPTED, "附件2.zip")
    assert "附件2.zip/评价表.xlsx" not in {p.file for p in result.problems}


def test_archives_together_unpack_to_no_more_than_one_may(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path, "市水利局", "市畜牧局")
    scan = b"%PDF-1.4\n" + bytes(590)
    zipped(folder / "1_市水利局.zip", {"评价表.pdf": scan})
    zipped(folder / "2_市畜牧局.zip", {"评价表.pdf": scan})
    result = collect(folder, rubric_2022, KEY, limits=Limits(max_unzipped_bytes=1000))
    (water,) = owned(result, "市水利局")
    assert (water.file, water.status) == ("1_市水利局.zip/评价表.pdf", Status.UNUSABLE)
    (herds,) = owned(result, "市畜牧局")
    assert herds.file == "2_市畜牧局.zip" and herds.status == Status.UNUSABLE and "合计超过上限" in herds.reason


def test_a_stamped_scan_beside_the_adopted_form_asks_nothing(tmp_path: Path, rubric_2022: Rubric) -> None:
    folder = returned_without(tmp_path)
    (folder / f"{PREFIX}市质强办（盖章）.pdf").write_bytes(b"%PDF-1.4\n")
    result = collect(folder, rubric_2022, KEY)
    (form, scan) = sorted(owned(result, "市质强办"), key=lambda s: s.file)
    assert (form.status, scan.status, scan.status.label) == (Status.ACCEPTED, Status.COMPANION, "随附文件（不需采用）")
    assert [(p.code, p.severity.value, p.message.split("。")[0]) for p in result.problems] == [
        ("FILE_COMPANION", "info", f"{PREFIX}市质强办（盖章）.pdf 是 PDF 文档，随已采用的评价表 {PREFIX}市质强办.xlsx 一同报送（如盖章扫描件），不需采用")
    ]  # fmt: skip
    assert file_standing(scan.status) is None and standing([form.status, scan.status]) is Standing.ADOPTED


def test_the_tools_own_tables_as_csv_are_only_noted(tmp_path: Path, rubric_2022: Rubric) -> None:
    run = run_collect(SAMPLES / "returned", rubric_2022, KEY, CollectOptions(tmp_path / "out"))
    folder = returned_without(tmp_path)
    for name in ("results.csv", "公告名单.csv", "problems.csv"):
        shutil.copy(run.folder / name, folder / name)
    result = collect(folder, rubric_2022, KEY)
    assert {(p.code, p.severity.value, p.file) for p in result.problems} == {
        ("FILE_CSV_NAME", "info", "results.csv"), ("FILE_CSV_NAME", "info", "公告名单.csv"),
        ("FILE_CSV_NAME", "info", "problems.csv"),
    }  # fmt: skip
    assert run_collect(folder, rubric_2022, KEY, CollectOptions(tmp_path / "again")).clean
