"""An office edits its templates in LibreOffice and the next run's documents carry exactly those edits; a broken
template stops the whole set of documents before the first is written."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.workspace.actions import collect_in, generate_in

from .conftest import ROOT, require_program
from .forms import TIE, fill_all
from .test_notice_template import body_texts
from .test_real_clients import run_bounded, uno_python
from .test_workspace import small_year

LO_EDIT = ROOT / "scripts" / "lo_edit_docx.py"
NOTICE = "2022年度政府质量工作考核结果通报（代拟稿）.docx"
SENTENCE = "请各单位认真对照，抓好整改落实。"
ADDRESSEES = "各县（区）人民政府，各管委会："


def _record_last(texts: list[str]) -> list[str]:
    """The text with the 版记 (抄送, 印发) last: LibreOffice saves the frame that holds it before the paragraph it
    is anchored to (it is printed at the foot of the page all the same)."""
    record = [t for t in texts if t.startswith("抄送：") or t.endswith("印发")]
    return [t for t in texts if t not in record] + record


def _collect(out: Path, *more: str) -> tuple[Path | None, str]:
    """`qe collect` on the 2022 samples into `out`: the run folder, and what it said (stderr first)."""
    result = CliRunner().invoke(main, ["collect", str(ROOT / "samples" / "returned"), "--key",
                                       str(ROOT / "samples" / "qe-sample.key"), "--rubric", str(ROOT / "rubric.json"),
                                       "--out", str(out), *more])  # fmt: skip
    folders = list(out.iterdir()) if out.is_dir() else []
    return (folders[0] if folders else None), result.stderr + result.stdout


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run with the bundled templates (there is no 文书模板 folder)."""
    folder, _ = _collect(tmp_path_factory.mktemp("bundled"), "--templates", "没有这个文件夹")
    assert folder is not None
    return folder


def _report(run: Path, out: Path, *more: str) -> tuple[int, Path | None, str]:
    """`qe report` of a run into `out`: its exit code, the folder it wrote, and what it said (stderr first)."""
    result = CliRunner().invoke(main, ["report", str(run), "--rubric", str(ROOT / "rubric.json"), "--out", str(out),
                                       *more])  # fmt: skip
    folders = list(out.iterdir()) if out.is_dir() else []
    return result.exit_code, (folders[0] if folders else None), result.stderr + result.stdout


def _documents(folder: Path) -> dict[str, list[str]]:
    return {p.relative_to(folder).as_posix(): body_texts(p) for p in sorted(folder.rglob("*.docx"))}


def test_an_edit_in_libreoffice_shows_in_the_next_report(tmp_path: Path, bundled: Path) -> None:
    """The 通报's template edited in LibreOffice (a sentence added, the 主送 written out): `qe report` says first that
    it uses the office's templates, and its documents differ from the bundled ones by exactly those edits."""
    templates = tmp_path / "文书模板"
    exported = CliRunner().invoke(main, ["templates", "export", str(templates)])
    assert exported.exit_code == 0, exported.output
    notice = templates / "通报.docx"
    run_bounded([uno_python(), str(LO_EDIT), str(notice), str(notice),
                 f"现将考核结果通报如下。=>现将考核结果通报如下。{SENTENCE}",
                 "{{ 主送|join('、') }}：=>" + ADDRESSEES,
                 "--profile", str(tmp_path / "profile"), "--soffice", require_program("soffice")])  # fmt: skip
    code, plain, _ = _report(bundled, tmp_path / "bundled", "--templates", str(tmp_path / "没有"))
    code_edited, edited, said = _report(bundled, tmp_path / "edited", "--templates", str(templates))
    assert code == code_edited and plain is not None and edited is not None
    first = f"使用文书模板文件夹“{templates}”中的模板：反馈意见.docx、通报.docx、共性问题.docx、自评报告模板.docx（其余文书用内置模板）。"
    assert said.splitlines()[0].startswith(first)
    before, after = _documents(plain), _documents(edited)
    assert sorted(after) == sorted(before) and len(before) > 10  # the letters, the 通报, the 共性问题
    notice_before, notice_after = before.pop(NOTICE), _record_last(after.pop(NOTICE))
    assert notice_before[2].endswith("管委会：") and notice_before[4].endswith("现将考核结果通报如下。")
    assert notice_after == [*notice_before[:2], ADDRESSEES, notice_before[3], notice_before[4] + SENTENCE,
                            *notice_before[5:]]  # fmt: skip
    assert after == before  # every other document as with the bundled templates


def test_a_broken_template_stops_every_document(tmp_path: Path) -> None:
    templates = tmp_path / "文书模板"
    templates.mkdir()
    (templates / "共性问题.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    folder, said = _collect(tmp_path / "out", "--templates", str(templates))
    assert folder is not None
    assert "文书模板“" in said and "共性问题.doc”无法使用：是 Word 97-2003 或 WPS 格式" in said
    written = sorted(p.name for p in folder.iterdir())
    assert "master.xlsx" in written and not [n for n in written if n.endswith(".docx")]
    assert not (folder / "反馈意见").exists() or not any((folder / "反馈意见").iterdir())
    assert not (folder / "共性问题").exists()


def test_export_writes_the_templates_with_their_fields_and_check_fills_them(tmp_path: Path) -> None:
    folder = tmp_path / "导出"
    exported = CliRunner().invoke(main, ["templates", "export", str(folder)])
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}{suffix}"
        for name in ("反馈意见", "通报", "共性问题", "自评报告模板", "得分核对单说明", "整改台账说明")
        for suffix in (".docx", "字段说明.xlsx")
    )
    fields = openpyxl.load_workbook(folder / "通报字段说明.xlsx").active
    rows = [tuple(r) for r in fields.iter_rows(min_row=2, values_only=True)]
    assert rows[0] == ("字段", "含义", "示例", "在模板中的写法")
    assert ("抄送", "抄送单位", "市纪委监委、市委组织部", "{{ 抄送|join('、') }}") in rows
    assert ("子项.总分", "项.单位中每一项的总分（仅在公布分数时提供）", "91.88", "{{ 子项.总分 }}") in rows
    checked = CliRunner().invoke(main, ["templates", "check", str(folder), "--rubric", str(ROOT / "rubric.json")])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.splitlines()[0].startswith("使用文书模板文件夹") and "模板检查通过。" in checked.stdout


def test_check_names_what_is_wrong(tmp_path: Path) -> None:
    CliRunner().invoke(main, ["templates", "export", str(tmp_path)])
    document = docx.Document(str(tmp_path / "通报.docx"))
    paragraph = next(p for p in document.paragraphs if "{{ 考核方案 }}" in p.text)
    paragraph.text = paragraph.text.replace("{{ 考核方案 }}", "{{ 考核办法 }}")
    document.save(str(tmp_path / "通报.docx"))
    checked = CliRunner().invoke(main, ["templates", "check", str(tmp_path)])
    assert checked.exit_code == 1
    assert "用了不存在的字段“考核办法”" in checked.stdout and "《{{ 考核办法 }}》" in checked.stdout
    empty = CliRunner().invoke(main, ["templates", "check", str(tmp_path / "空")])
    assert (
        empty.exit_code == 1
        and "没有程序使用的文书模板（文件名应为：反馈意见.docx、通报.docx、共性问题.docx、自评报告模板.docx、"
        "得分核对单说明.docx、整改台账说明.docx）"
        in empty.stderr
    )


def test_qe_report_writes_nothing_from_a_broken_template(tmp_path: Path, bundled: Path) -> None:
    templates = tmp_path / "文书模板"
    CliRunner().invoke(main, ["templates", "export", str(templates)])
    document = docx.Document(str(templates / "通报.docx"))
    paragraph = next(p for p in document.paragraphs if "{% endfor %}《" in p.text)
    paragraph.text = paragraph.text.replace("{% endfor %}《", "《")
    document.save(str(templates / "通报.docx"))
    code, folder, said = _report(bundled, tmp_path / "out", "--templates", str(templates))
    assert code == 1 and folder is None
    assert (
        "通报.docx”中的块有误：“{% for %}”在同一段落中没有对应的“{% endfor %}”，位置：“根据{% for 文件 in 考核依据 %}"
        in said
    )


def test_units_generate_writes_no_package_from_a_broken_template(tmp_path: Path) -> None:
    templates = tmp_path / "文书模板"
    templates.mkdir()
    (templates / "自评报告模板.docx").write_text("不是文档", encoding="utf-8")
    result = CliRunner().invoke(main, ["units", "generate", "--rubric", str(ROOT / "rubric.json"), "--key",
                                       str(tmp_path / "qe.key"), "--out", str(tmp_path / "units"), "--templates",
                                       str(templates)])  # fmt: skip
    assert result.exit_code == 1
    assert "自评报告模板.docx”无法使用：文件内容不是 Word 文档" in result.stderr
    assert not (tmp_path / "units").exists()


def test_the_page_collects_with_the_workspace_templates_and_says_so_first(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    generated = generate_in(ws, rubric).generated
    assert generated is not None
    ws.returned.mkdir()
    fill_all(generated, ws.returned, TIE)
    CliRunner().invoke(main, ["templates", "export", str(ws.templates)])
    document = docx.Document(str(ws.templates / "通报.docx"))
    paragraph = next(p for p in document.paragraphs if p.text.endswith("现将考核结果通报如下。"))
    paragraph.text += SENTENCE
    document.save(str(ws.templates / "通报.docx"))
    outcome = collect_in(ws, rubric)
    assert outcome.report is not None and outcome.problems[0].code == "TEMPLATES_USED"
    assert outcome.problems[0].message.startswith(
        f"使用文书模板文件夹“{ws.templates}”中的模板：反馈意见.docx、通报.docx"
    )
    assert any(t.endswith(SENTENCE) for t in body_texts(outcome.report.folder / NOTICE))
