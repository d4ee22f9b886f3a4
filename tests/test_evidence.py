"""`qe evidence check`: the 印证材料 a department received, classified by unit and item id.

The small rubric (conftest): 甲局 evaluates 01-1 and 01-2 (needing evidence) and 02-1, a
deduction (none needed); 03-1 is 乙局's. Each of 东区, 西区 and 南区 owes 甲局 evidence for 01-1
and 01-2.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.rubric import Rubric
from qe_workbook.units.evidence import check_evidence, evidence_rows
from qe_workbook.units.guide import department_folder
from qe_workbook.units.materials import EVIDENCE_DIR, INDEX_FILE, needs_materials
from qe_workbook.units.package import generate_packages

from .forms import KEY

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ENCRYPTED_PDF = b"%PDF-1.7\n1 0 obj<</Filter/Standard/V 2>>endobj\ntrailer<</Encrypt 1 0 R>>\n%%EOF\n"


def put(path: Path, data: bytes = PDF) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def index(template: Path, dst: Path, rows: list[tuple[str, str]]) -> None:
    """Fill the issued 目录.xlsx: (项目编号, 文件名) per row."""
    wb = openpyxl.load_workbook(template)
    ws = wb["目录"]
    for n, (item, name) in enumerate(rows, start=4):
        ws.cell(n, 1).value, ws.cell(n, 2).value, ws.cell(n, 3).value, ws.cell(n, 4).value = n - 3, item, "材料", name
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)


def zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))


def test_a_departments_tree(tmp_path: Path, small_rubric: Rubric) -> None:
    generate_packages(small_rubric, tmp_path / "units", KEY, generated_at=datetime(2023, 3, 1))
    template = tmp_path / "units" / "东区" / EVIDENCE_DIR / "甲局" / INDEX_FILE
    got = tmp_path / "甲局收到"
    # 东区: complete, but its 目录 lists a file that never came
    put(got / "东区" / "01-1 产品质量" / "合格率统计.pdf")
    put(got / "东区" / "01-2" / "农产品抽检.pdf")
    index(template, got / "东区" / INDEX_FILE,
          [("01-1", "合格率统计.pdf"), ("01-2", "农产品抽检.pdf"), ("01-2", "抽检补充说明.pdf")])  # fmt: skip
    # 西区: nothing for 01-2, no 目录
    put(got / "西区" / "01-1" / "合格率.pdf")
    # 南区: an unlisted file, a loose file, another department's item, an unknown item id,
    # and three files that cannot be used (empty, encrypted, a zip bomb)
    put(got / "南区" / "01-1" / "报告.pdf")
    put(got / "南区" / "01-2" / "未列入目录.pdf")
    put(got / "南区" / "说明.pdf")
    put(got / "南区" / "03-1" / "制度.pdf")
    put(got / "南区" / "09-9" / "其他.pdf")
    put(got / "南区" / "01-2" / "空文件.pdf", b"")
    put(got / "南区" / "01-2" / "加密.pdf", ENCRYPTED_PDF)
    zip_bomb(got / "南区" / "01-2" / "炸弹.docx")
    put(got / "南区" / "补充材料.zip", b"PK\x05\x06" + bytes(18))  # an archive: to be unpacked first
    index(template, got / "南区" / INDEX_FILE,
          [("01-1", "报告.pdf"), ("", "说明.pdf"), ("03-1", "制度.pdf"), ("09-9", "其他.pdf"), ("01-2", "空文件.pdf"),
           ("01-2", "加密.pdf"), ("01-2", "炸弹.docx")])  # fmt: skip
    before = sorted((p, p.read_bytes()) for p in got.rglob("*") if p.is_file())

    check = check_evidence(got, small_rubric, evaluator=small_rubric.evaluator("甲局"))

    found = sorted((p.code, p.file or "", p.params.get("unit", ""), p.params.get("item", "")) for p in check.problems)
    assert found == sorted([
        ("EVIDENCE_LISTED_MISSING", "东区/目录.xlsx", "", "01-2"),
        ("EVIDENCE_ITEM_MISSING", "", "西区", "01-2"),
        ("EVIDENCE_NO_INDEX", "", "西区", ""),
        ("EVIDENCE_UNLISTED", "南区/01-2/未列入目录.pdf", "南区", ""),
        ("EVIDENCE_OUTSIDE_ITEM", "南区/说明.pdf", "", ""),
        ("EVIDENCE_OTHER_EVALUATOR", "南区/03-1/制度.pdf", "", "03-1"),
        ("EVIDENCE_UNKNOWN_ITEM", "南区/09-9/其他.pdf", "", ""),
        ("MATERIAL_FILE_EMPTY", "南区/01-2/空文件.pdf", "", ""),
        ("MATERIAL_FILE_ENCRYPTED", "南区/01-2/加密.pdf", "", ""),
        ("MATERIAL_FILE_UNSAFE", "南区/01-2/炸弹.docx", "", ""),
        ("EVIDENCE_ARCHIVE", "南区/补充材料.zip", "南区", ""),
    ])  # fmt: skip
    listed_missing = next(p for p in check.problems if p.code == "EVIDENCE_LISTED_MISSING")
    assert listed_missing.cell == "D6" and "抽检补充说明.pdf" in listed_missing.message
    table = {(r[0], r[2]): r[4] for r in evidence_rows(check)}
    assert table == {
        ("东区", "01-1"): "1 个文件", ("东区", "01-2"): "1 个文件", ("东区", "02-1"): "不需提供",
        ("西区", "01-1"): "1 个文件", ("西区", "01-2"): "缺", ("西区", "02-1"): "不需提供",
        ("南区", "01-1"): "1 个文件", ("南区", "01-2"): "1 个文件", ("南区", "02-1"): "不需提供",
    }  # fmt: skip
    assert not check.clean
    assert sorted((p, p.read_bytes()) for p in got.rglob("*") if p.is_file()) == before


def test_a_units_own_tree_before_sending(tmp_path: Path, rubric_2022: Rubric) -> None:
    generate_packages(rubric_2022, tmp_path / "units", KEY, generated_at=datetime(2023, 3, 1))
    tree = tmp_path / "units" / "舞阳县" / EVIDENCE_DIR
    out = tmp_path / "out"
    empty = CliRunner().invoke(main, ["evidence", "check", str(tree), "--out", str(out), "--json"])
    assert empty.exit_code == 1
    owed = [(ev.name, i.id) for ev in rubric_2022.form_evaluators() for i in rubric_2022.items_for(ev.name)
            if needs_materials(i)]  # fmt: skip
    assert ("市农业农村局", "05-1") in owed and ("市质强办", "01-1") not in owed
    # fill every item folder of the skeleton with one listed file: nothing is missing any more
    for folder in tree.iterdir():
        rows = []
        for item_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
            put(item_folder / f"{item_folder.name}材料.pdf")
            rows.append((item_folder.name, f"{item_folder.name}材料.pdf"))
        index(folder / INDEX_FILE, folder / INDEX_FILE, rows)
    agriculture = tree / department_folder(rubric_2022.evaluator("市农业农村局"))  # type: ignore[arg-type]
    assert sorted(p.name for p in agriculture.iterdir() if p.is_dir()) == ["01-2", "05-1", "05-2", "07-1", "08-5"]
    full = CliRunner().invoke(main, ["evidence", "check", str(tree), "--out", str(out)])
    assert full.exit_code == 0, full.output
    shutil.rmtree(agriculture / "05-1")
    again = CliRunner().invoke(main, ["evidence", "check", str(tree), "--unit", "舞阳县", "--out", str(out)])
    assert again.exit_code == 1
    assert "舞阳县没有报送市农业农村局项目 05-1 的印证材料" in again.output
    assert "目录第 5 行列出的“05-1材料.pdf”" in again.output
    runs = sorted(p.name for p in out.iterdir())
    assert len(runs) == 3 and all((out / r / "印证材料检查.xlsx").is_file() for r in runs)
    usage = CliRunner().invoke(main, ["evidence", "check", str(tree), "--evaluator", "不存在的局"])
    assert usage.exit_code == 2
