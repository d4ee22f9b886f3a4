"""The 得分核对单's and the 整改台账's sentences come from Word templates the office may edit."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.documents.sheet_notes import LEDGER_NOTES, PRECHECK_NOTES, note_lines
from qe_workbook.documents.templating import bundled_template
from qe_workbook.forms.paper import closing_breaks
from qe_workbook.forms.register import Register, load_register
from qe_workbook.keys import read_key
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.precheck import write_prechecks
from qe_workbook.rectify.collect import rectify_collect
from qe_workbook.rectify.layout import SHEET
from qe_workbook.rectify.ledger import generate_ledgers, ledger_text
from qe_workbook.rubric import Rubric, load_rubric

from .forms import KEY, TIE, fill_all, generate
from .test_print import pages, to_pdf

ROOT = Path(__file__).resolve().parent.parent

PRECHECK = "东区_2022年度质量工作考核得分核对单.xlsx"


def test_the_bundled_precheck_template_gives_todays_sentences() -> None:
    context = {**PRECHECK_NOTES.example(), "调整后总分": "88.00"}
    assert note_lines(PRECHECK_NOTES, context) == [
        "漯河市2022年度政府质量工作考核得分核对单（临颍县）",
        "总分 87.50 分（满分 100 分，另有加分最多 5 分），其中平时考核（权重 60 分）折算 52.30 分，"
        "会议调整后总分 88.00 分；以下为各项目得分（扣分项为扣分），供核对。",
        "反馈截止日期：2023年5月20日（逾期未反馈的视为无异议）　　印发单位：漯河市质量强市工作领导小组办公室"
        "　　印发日期：2023年5月8日",
        "如对得分有异议，请在“异议”一栏写明理由并附佐证材料，于 2023年5月20日 前报市质强办；逾期未反馈的视为无异议。",
        "异议由评价部门复核，复核意见（维持或调整）记入异议登记，调整的得分以评价部门的更正为准。",
    ]
    two_parts = [
        {"名称": "平时考核", "权重": "60", "折算分": "52.30"},
        {"名称": "年终考核", "权重": "40", "折算分": "35.20"},
    ]
    lines = note_lines(PRECHECK_NOTES, {**PRECHECK_NOTES.example(), "各部分": two_parts})
    assert lines[1] == (
        "总分 87.50 分（满分 100 分，另有加分最多 5 分），其中平时考核（权重 60 分）折算 52.30 分、"
        "年终考核（权重 40 分）折算 35.20 分；以下为各项目得分（扣分项为扣分），供核对。"
    )
    lines = note_lines(PRECHECK_NOTES, {**PRECHECK_NOTES.example(), "各部分": []})
    assert lines[1] == "总分 87.50 分（满分 100 分，另有加分最多 5 分）；以下为各项目得分（扣分项为扣分），供核对。"


def test_the_bundled_ledger_template_gives_todays_sentences(small_rubric: Rubric) -> None:
    text = ledger_text(small_rubric, small_rubric.units[0])
    assert text.title == f"{small_rubric.city}2022年度政府质量工作考核反馈问题整改台账"
    assert text.unit_line == f"填报单位（盖章）：{small_rubric.units[0].full_name}"
    assert text.hint == (
        "填写说明：下表是考核结果反馈意见指出的问题，已锁定。请针对每个问题在浅黄色单元格中填写整改措施、责任单位、"
        f"完成时限（日期，如 2023-06-30）和进展（未开始、推进中、已完成），保存为 .xlsx 后报{small_rubric.office}；"
        "整改推进后请更新进展再次报送。请勿增删行列或改动其他内容，否则台账会被退回。"
    )
    assert text.no_problems == "本年度反馈意见未指出需要整改的问题，本表无需填写。"


def _edited(folder: Path, old: str, new: str) -> Path:
    """The bundled 得分核对单说明 template with `old` replaced by `new` in its text, saved into `folder`."""
    folder.mkdir(exist_ok=True)
    path = folder / PRECHECK_NOTES.file_name
    path.write_bytes(bundled_template(PRECHECK_NOTES))
    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            run.text = run.text.replace(old, new)
    document.save(str(path))
    return path


def _run(tmp_path: Path, rubric: Rubric) -> Path:
    fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    return run_collect(tmp_path / "returned", rubric, KEY, CollectOptions(tmp_path / "results")).folder


def _precheck(run: Path, rubric_path: Path, templates: Path) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["precheck", str(run), "--deadline", "2023-05-20", "--rubric", str(rubric_path),
                                     "--templates", str(templates)])  # fmt: skip
    return done.exit_code, done.stderr + done.stdout


def test_an_edited_template_shows_in_the_next_precheck_and_a_broken_one_writes_none(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path
) -> None:
    run = _run(tmp_path, small_rubric)
    templates = tmp_path / "文书模板"
    _edited(templates, "逾期未反馈的视为无异议。", "逾期未反馈的视为无异议。联系人：张三，电话 0395-1234567。")
    code, said = _precheck(run, small_rubric_path, templates)
    assert code == 0, said
    assert said.splitlines()[0].startswith(
        f"使用文书模板文件夹“{templates}”中的模板：得分核对单说明.docx（其余文书用内置模板）。"
    )
    (folder,) = (run / "得分核对单").iterdir()
    cells = [c for row in openpyxl.load_workbook(folder / PRECHECK).active.iter_rows(values_only=True) for c in row]
    assert (
        "如对得分有异议，请在“异议”一栏写明理由并附佐证材料，于 2023年5月20日 前报质强办；逾期未反馈的视为无异议。"
        "联系人：张三，电话 0395-1234567。"
    ) in cells
    _edited(templates, "{{ 单位 }}", "{{ 单位名称 }}")
    code, said = _precheck(run, small_rubric_path, templates)
    assert code == 1
    assert "得分核对单说明.docx" in said and "单位名称" in said
    assert len(list((run / "得分核对单").iterdir())) == 1  # no second, partial set


def test_templates_export_lists_the_sheet_templates_fields(tmp_path: Path) -> None:
    exported = CliRunner().invoke(main, ["templates", "export", str(tmp_path / "导出")])
    assert exported.exit_code == 0, exported.output
    fields = openpyxl.load_workbook(tmp_path / "导出" / "整改台账说明字段说明.xlsx").active
    rows = [tuple(r) for r in fields.iter_rows(min_row=2, values_only=True)]
    assert ("进展选项", "进展一栏可选的内容", "未开始、推进中、已完成", "{{ 进展选项|join('、') }}") in rows
    assert LEDGER_NOTES.file_name == "整改台账说明.docx"


def test_the_signature_block_takes_the_last_rows_with_it() -> None:
    # a page holds (595.3 - 1.3 × 72) × 0.94 = 471.6 points at 100 %: 100 + 7 × 50 fit, the 60-point signature
    # block after them does not, so the last row starts page 2 with it
    assert closing_breaks(4, [50.0] * 7, 100, 20, 60, 100) == [10]
    assert closing_breaks(4, [50.0] * 6, 100, 20, 60, 100) == []


def test_a_printed_precheck_ends_with_table_rows_above_the_signature(tmp_path: Path) -> None:
    rubric = load_rubric(ROOT / "rubric.json").rubric
    key, _ = read_key(ROOT / "samples" / "qe-sample.key")
    assert key is not None
    run = run_collect(ROOT / "samples" / "returned", rubric, key,
                      CollectOptions(tmp_path / "results", reports=False)).folder  # fmt: skip
    folder, problems = write_prechecks(run, rubric, date(2023, 5, 20))
    assert folder is not None, problems
    (pdf,) = to_pdf([folder / "临颍县_2022年度质量工作考核得分核对单.xlsx"], tmp_path, tmp_path / "lo-profile")
    printed = pages(pdf)
    assert len(printed) == 8  # the signature block alone made no page of its own
    assert re.search(r"^16-3\s+评分项", printed[-1], re.MULTILINE) and "被考核单位（盖章）：" in printed[-1]


def test_a_ledger_from_an_edited_template_is_collected_when_returned(tmp_path: Path, small_rubric: Rubric) -> None:
    run = _run(tmp_path, small_rubric)
    templates = tmp_path / "文书模板"
    templates.mkdir()
    path = templates / LEDGER_NOTES.file_name
    path.write_bytes(bundled_template(LEDGER_NOTES))
    document = docx.Document(str(path))
    document.paragraphs[0].runs[0].text = "{{ 年度 }}年度质量工作考核问题整改台账"
    document.save(str(path))
    register = Register(tmp_path / "register.json")
    issued = generate_ledgers(run, small_rubric, KEY, register=register, templates=templates)
    assert issued.problems == [] and issued.folder is not None
    east, told = next((f.path, f.problems) for f in issued.ledgers if f.unit == "东区")
    assert told == 3
    assert openpyxl.load_workbook(east)[SHEET]["A1"].value == "2022年度质量工作考核问题整改台账"
    back = tmp_path / "back"
    back.mkdir()
    wb = openpyxl.load_workbook(east)
    for row in (5, 6, 7):  # 东区 was told of three problems
        for col, value in zip("FGHI", ("逐项整改", "区政府办", datetime(2023, 6, 30), "已完成"), strict=True):
            wb[SHEET][f"{col}{row}"] = value
    wb.save(back / "东区.xlsx")
    loaded, _ = load_register(tmp_path / "register.json")
    collected = rectify_collect(back, small_rubric, KEY, today=date(2023, 7, 15), register=loaded)
    assert {(p.code, p.file) for p in collected.problems} == {("RECTIFY_MISSING", None)}  # 西区 and 南区
    assert collected.units["东区"][0] == "已交回"
    assert [(ln.unit, ln.measure) for ln in collected.lines] == [("东区", "逐项整改")] * 3
