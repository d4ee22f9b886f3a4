"""The units' side of the plan (方案四, 附件2, 附件3): packages, `qe units check`, lengths by Word's rule.

Reports are written with python-docx and then saved by real LibreOffice Writer (as .odt and as
.doc, and back to .docx): the count must not change. Fixed text of a 舞阳县 report written by
units/simulate.write_report, counted by hand (each 汉字 and full-width mark 1, "2022" 1):
  title 舞阳县人民政府(7) 2022(1) 年度质量工作考核自评报告(12)                      = 20
  一、(2) 2022(1) 年质量工作情况(7)                                                  = 10
  （一）(3) 质量工作总体概况(8)                                                      = 11
  （二）(3) 党中央、国务院、省委、省政府和市委、市政府(21) 关于质量工作部署落实情况(12) = 36
  二、工作亮点 6, 三、工作存在的问题 9, 四、下一步工作措施 9                          = 24
                                                                                       = 101
and the prose paragraphs add their own length; the cases after 附件 do not count.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.demo import run_demo
from qe_workbook.intake.receipts import REGISTER_XLSX
from qe_workbook.rubric import Rubric, Unit
from qe_workbook.units import check as check_module
from qe_workbook.units.check import Status, check_units
from qe_workbook.units.materials import CONTACTS_FILE, GUIDE_FILE, REPORT_TEMPLATE_FILE, Material, unit_materials
from qe_workbook.units.package import generate_packages
from qe_workbook.units.report_out import run_units_check
from qe_workbook.units.self_report import read_report
from qe_workbook.units.simulate import fill_contacts, simulate_units, write_report
from qe_workbook.units.wordcount import count_chars

from .conftest import ROOT, UNITS_2022, load_ok, require_program
from .forms import KEY
from .test_real_clients import run_bounded

WHEN = datetime(2023, 3, 1, 9, 0)
GOOD_PERSON = ("张敏", "舞阳县市场监管局", "质量发展股股长", "0395-7212345", "13839512345", "zhangmin@example.com")


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory, rubric_2022: Rubric) -> Path:
    out = tmp_path_factory.mktemp("units")
    generate_packages(rubric_2022, out, KEY, generated_at=WHEN)
    return out


@pytest.fixture(scope="module")
def rubric_2022() -> Rubric:  # module-scoped, for the packages fixture
    return load_ok(ROOT / "rubric.json")


def unit(rubric: Rubric, name: str) -> Unit:
    return next(u for u in rubric.units if u.name == name)


# -- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("质量工作", 4),
        ("2022年", 2),  # "2022" is one word
        ("合格率达到95.5%。", 7),  # 合格率达到 5, "95.5%" 1, 。1
        ("GB/T 9704-2012 标准", 4),
        ("“质量强市”……——", 10),  # quotes, ellipsis and dash marks count one each
        ("ＡＢ１", 3),  # full-width letters count one by one
        ("  - / ", 0),
    ],
)
def test_count_chars_follows_the_documented_rule(text: str, expected: int) -> None:
    assert count_chars(text) == expected


# -- qe units generate -------------------------------------------------------------------------


def test_a_package_per_2022_unit(packages: Path, rubric_2022: Rubric) -> None:
    assert sorted(p.name for p in packages.iterdir() if p.is_dir()) == sorted(UNITS_2022)
    folder = packages / "开发区"
    assert {p.name for p in folder.iterdir()} == {REPORT_TEMPLATE_FILE, CONTACTS_FILE, GUIDE_FILE, "印证材料"}
    template = read_report((folder / REPORT_TEMPLATE_FILE).read_bytes())
    assert template.title == "漯河经济技术开发区管委会\n2022年度质量工作考核自评报告"  # broken where its sense breaks
    assert template.missing_sections == [] and template.cases == 3 and template.hints == 10
    # the evidence skeleton: 01-1 is scored from monitoring data (不需提供材料), deductions need none
    agriculture = folder / "印证材料" / "市农业农村局"
    assert sorted(p.name for p in agriculture.iterdir()) == ["01-2", "05-1", "05-2", "07-1", "08-5", "目录.xlsx"]
    assert not (folder / "印证材料" / "市质强办" / "01-1").exists()
    assert (packages / REGISTER_XLSX).is_file()


def test_the_guide_lists_every_department_with_its_items(packages: Path, rubric_2022: Rubric) -> None:
    ws = openpyxl.load_workbook(packages / "舞阳县" / GUIDE_FILE).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
    by_item = {(r[3], r[8]) for r in rows if r[3]}
    assert ("01-1", "否") in by_item and ("05-1", "是") in by_item
    items_listed = sum(1 for r in rows if r[3])
    assert items_listed == sum(len(rubric_2022.items_for(ev.name)) for ev in rubric_2022.form_evaluators())
    assert "2023年4月10日" in str(ws["A2"].value)
    assert ws["B6"].value == "0395-3126323" and ws["C6"].value == "lhgkxjk@126.com"  # 市工信局 from 附件4


def test_generate_never_overwrites_the_office_register(tmp_path: Path, rubric_2022: Rubric) -> None:
    register = tmp_path / REGISTER_XLSX
    register.write_bytes(b"the office's entries")
    generate_packages(rubric_2022, tmp_path, KEY, generated_at=WHEN)
    assert register.read_bytes() == b"the office's entries"


# -- reports written by python-docx and saved by LibreOffice Writer -----------------------------


def libreoffice(src: Path, target: str, out: Path, profile: Path) -> Path:
    soffice = require_program("soffice")
    out.mkdir(parents=True, exist_ok=True)
    run_bounded([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
                 "--outdir", str(out), str(src)])  # fmt: skip
    return out / f"{src.stem}.{target.split(':')[0]}"


REPORTS = {
    # name: (prose paragraphs, cases, heading left out) -> (字数, missing sections, cases)
    "exactly": ((600, 600, 600, 600, 499), 3, None),  # 101 + 2899 = 3000: allowed
    "over": ((600, 600, 600, 600, 500), 2, None),  # 101 + 2900 = 3001
    "four_cases": ((400, 400, 300, 300, 300), 4, None),  # 101 + 1700 = 1801
    "no_highlights": ((400, 400, 300, 300, 300), 1, "二、工作亮点"),  # 101 − 6 + 1700 = 1795
}
EXPECTED = {
    "exactly": (3000, [], 3),
    "over": (3001, [], 2),
    "four_cases": (1801, [], 4),
    "no_highlights": (1795, ["二、工作亮点"], 1),
}


@pytest.mark.parametrize("name", REPORTS)
def test_report_counts_survive_libreoffice(tmp_path: Path, rubric_2022: Rubric, name: str) -> None:
    chars, cases, skip = REPORTS[name]
    written = write_report(tmp_path / f"{name}.docx", rubric_2022, unit(rubric_2022, "舞阳县"),
                           paragraph_chars=chars, cases=cases, skip_heading=skip)  # fmt: skip
    profile = tmp_path / "lo-profile"
    odt = libreoffice(written, "odt", tmp_path / "odt", profile)
    doc = libreoffice(written, "doc", tmp_path / "doc", profile)
    versions = {
        "python-docx": written,
        "via .odt": libreoffice(odt, "docx:MS Word 2007 XML", tmp_path / "from-odt", profile),
        "via .doc": libreoffice(doc, "docx:MS Word 2007 XML", tmp_path / "from-doc", profile),
    }
    for how, path in versions.items():
        facts = read_report(path.read_bytes())
        assert (facts.chars, facts.missing_sections, facts.cases) == EXPECTED[name], how


# -- qe units check ----------------------------------------------------------------------------


def register(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """Fill the office's 收件登记.xlsx: (文件名或报送单位, 材料, 渠道, 收到时间)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["收件登记"]
    for n, (who, material, channel, when) in enumerate(rows, start=4):
        for col, value in enumerate((who, material, channel, when, "王芳"), start=1):
            ws.cell(n, col).value = value
    wb.save(path)
    return path


def send_all(packages: Path, rubric: Rubric, received: Path) -> None:
    """Every unit sends a valid report and contact list, registered on time (2023-04-07 to 04-09)."""
    simulate_units(rubric, packages, received)


def test_everything_received_on_time_is_clean(tmp_path: Path, packages: Path, rubric_2022: Rubric) -> None:
    send_all(packages, rubric_2022, tmp_path / "received")
    check = check_units(tmp_path / "received", rubric_2022, KEY)
    assert check.problems == []
    assert check.clean
    assert {check.status(u, m) for u in rubric_2022.units for m in unit_materials(rubric_2022)} == {Status.RECEIVED}
    assert len(check.people()) == 8 and check.people()[0].values["手机"] == "13839501000"  # 舞阳县's 王磊


def test_mistakes_are_found_and_named(tmp_path: Path, packages: Path, rubric_2022: Rubric) -> None:
    received = tmp_path / "received"
    send_all(packages, rubric_2022, received)
    u = {n: unit(rubric_2022, n) for n in UNITS_2022}
    # 临颍县: a list with bad phone numbers; 源汇区: 4 cases; 郾城区: a section missing;
    # 召陵区: 3001 字; 开发区: the report as .doc only, and no contact list; 西城区: late
    bad = ("李强", "临颍县政府办", "科员", "3951234567", "1383951234", "liqiang@example")
    fill_contacts(packages / "临颍县" / CONTACTS_FILE, received / "临颍县" / CONTACTS_FILE, [GOOD_PERSON, bad])
    write_report(received / "源汇区" / "源汇区自评报告.docx", rubric_2022, u["源汇区"], cases=4)
    write_report(
        received / "郾城区" / "郾城区自评报告.docx", rubric_2022, u["郾城区"], skip_heading="四、下一步工作措施"
    )
    write_report(received / "召陵区" / "召陵区自评报告.docx", rubric_2022, u["召陵区"],
                 paragraph_chars=(600, 600, 600, 600, 500))  # 召陵区 has 舞阳县's fixed 101: 3001  # fmt: skip
    (received / "开发区" / "开发区自评报告.docx").rename(received / "开发区" / "开发区自评报告.doc")
    (received / "开发区" / CONTACTS_FILE).unlink()
    ws_register = openpyxl.load_workbook(received / REGISTER_XLSX)
    ws = ws_register["收件登记"]
    for row in ws.iter_rows(min_row=4):
        if row[0].value == "西城区" and row[1].value == "自评报告":
            row[3].value = "2023-04-11 09:30"
    ws_register.save(received / REGISTER_XLSX)

    check = check_units(received, rubric_2022, KEY)
    found = sorted((p.code, p.file or "", p.cell or "") for p in check.problems)
    assert found == sorted([
        ("UNIT_CONTACTS_FORMAT", "临颍县/联系人员名单.xlsx", "D6"),
        ("UNIT_CONTACTS_FORMAT", "临颍县/联系人员名单.xlsx", "E6"),
        ("UNIT_CONTACTS_FORMAT", "临颍县/联系人员名单.xlsx", "F6"),
        ("UNIT_REPORT_TOO_MANY_CASES", "源汇区/源汇区自评报告.docx", ""),
        ("UNIT_REPORT_SECTION_MISSING", "郾城区/郾城区自评报告.docx", ""),
        ("UNIT_REPORT_TOO_LONG", "召陵区/召陵区自评报告.docx", ""),
        ("UNIT_REPORT_FORMAT", "开发区/开发区自评报告.doc", ""),
        ("UNIT_CONTACTS_MISSING", "", ""),
        ("RECEIPT_MATERIAL_LATE", "西城区/西城区自评报告.docx", ""),
    ])  # fmt: skip
    messages = {p.code: p.message for p in check.problems}
    assert "3001 字" in messages["UNIT_REPORT_TOO_LONG"]
    assert "4 个典型案例" in messages["UNIT_REPORT_TOO_MANY_CASES"]
    assert "四、下一步工作措施" in messages["UNIT_REPORT_SECTION_MISSING"]
    assert "旧版 Word 文档（.doc）" in messages["UNIT_REPORT_FORMAT"]
    assert "2023-04-11 09:30" in messages["RECEIPT_MATERIAL_LATE"]
    status = {(u.name, m): check.status(u, m) for u in rubric_2022.units for m in unit_materials(rubric_2022)}
    assert status[("西城区", Material.REPORT)] is Status.LATE
    assert status[("开发区", Material.CONTACTS)] is Status.MISSING
    assert status[("临颍县", Material.CONTACTS)] is Status.INVALID
    assert status[("舞阳县", Material.REPORT)] is Status.RECEIVED
    assert not check.clean


def test_two_identical_contact_lists_count_once_two_different_conflict(
    tmp_path: Path, packages: Path, rubric_2022: Rubric
) -> None:
    received = tmp_path / "received"
    send_all(packages, rubric_2022, received)
    # 舞阳县 sends its list twice, byte for byte; 临颍县 sends a second list with another person on it
    shutil.copy(received / "舞阳县" / CONTACTS_FILE, received / "舞阳县" / "联系人员名单（再次报送）.xlsx")
    fill_contacts(packages / "临颍县" / CONTACTS_FILE, received / "临颍县" / "联系人员名单2.xlsx", [GOOD_PERSON])
    check = check_units(received, rubric_2022, KEY)
    found = sorted((p.code, p.severity.value, p.params.get("unit", "")) for p in check.problems)
    assert found == [
        ("UNIT_MATERIAL_DUPLICATE", "warning", "临颍县"),
        ("UNIT_MATERIAL_DUPLICATE_IDENTICAL", "info", "舞阳县"),
    ]
    copy = next(p for p in check.problems if p.code == "UNIT_MATERIAL_DUPLICATE_IDENTICAL")
    assert copy.file == "舞阳县/联系人员名单（再次报送）.xlsx" and "舞阳县/联系人员名单.xlsx" in copy.message
    assert [e.file for e in check.entries_for(unit(rubric_2022, "舞阳县"), Material.CONTACTS)] == [
        "舞阳县/联系人员名单.xlsx"
    ]
    assert len(check.entries_for(unit(rubric_2022, "临颍县"), Material.CONTACTS)) == 2
    assert len(check.people()) == 8 + 1  # the copy's people are not counted twice; 临颍县's two lists both are


def test_a_list_typed_up_by_the_unit_is_read_with_a_warning(tmp_path: Path, rubric_2022: Rubric) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["舞阳县人民政府质量工作考核联系人员名单"])
    ws.append(["姓名", "单位", "职务", "固定电话", "手机", "邮箱"])
    ws.append(list(GOOD_PERSON))
    (tmp_path / "in").mkdir()
    wb.save(tmp_path / "in" / "名单.xlsx")
    check = check_units(tmp_path / "in", rubric_2022, KEY)
    problems = [(p.code, p.file) for p in check.problems if p.file]
    assert problems == [("UNIT_CONTACTS_UNSIGNED", "名单.xlsx")]
    assert check.status(unit(rubric_2022, "舞阳县"), Material.CONTACTS) is Status.RECEIVED


def test_cli_units_check_writes_outputs_and_exit_codes(tmp_path: Path, packages: Path, rubric_2022: Rubric) -> None:
    key = tmp_path / "qe.key"
    key.write_text(KEY.hex() + "\n", encoding="ascii")
    received = tmp_path / "received"
    send_all(packages, rubric_2022, received)
    before = sorted((p, p.read_bytes()) for p in received.rglob("*") if p.is_file())
    args = ["units", "check", str(received), "--key", str(key), "--out", str(tmp_path / "out")]
    clean = CliRunner().invoke(main, args)
    assert clean.exit_code == 0, clean.output
    run = next((tmp_path / "out").iterdir())
    assert {p.name for p in run.iterdir()} == {
        "材料报送情况.xlsx", "考核工作联系人员名单.xlsx", "problems.json", "problems.csv"}  # fmt: skip
    merged = openpyxl.load_workbook(run / "考核工作联系人员名单.xlsx").active
    assert [c.value for c in merged[2]][:8] == [
        "1", "舞阳县", "王磊", "舞阳县市场监督管理局", "质量发展股股长", "0395-6100000", "13839501000", "zl1@example.com"]  # fmt: skip
    (received / "舞阳县" / CONTACTS_FILE).unlink()
    assert CliRunner().invoke(main, args).exit_code == 1
    assert sorted((p, p.read_bytes()) for p in received.rglob("*") if p.is_file()) == [
        b for b in before if b[0].name != CONTACTS_FILE or b[0].parent.name != "舞阳县"
    ]
    assert CliRunner().invoke(main, ["units", "check", str(tmp_path / "nowhere")]).exit_code == 2


def test_a_defect_is_an_internal_error_and_the_run_goes_on(
    tmp_path: Path, packages: Path, rubric_2022: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    send_all(packages, rubric_2022, tmp_path / "received")

    def boom(_data: bytes) -> None:
        raise TypeError("an injected defect")

    monkeypatch.setattr(check_module, "read_report", boom)
    check, folder = run_units_check(tmp_path / "received", rubric_2022, KEY, tmp_path / "out")
    internal = [p for p in check.problems if p.code == "INTERNAL_ERROR"]
    assert {p.file for p in internal} == {f"{u}/{u}自评报告.docx" for u in UNITS_2022}
    assert {check.status(u, Material.CONTACTS) for u in rubric_2022.units} == {Status.RECEIVED}
    assert "an injected defect" in (folder / "error.log").read_text(encoding="utf-8")


def test_the_demo_units_are_all_received_and_their_self_scores_compared(tmp_path: Path, rubric_2022: Rubric) -> None:
    """The units' side runs in a spawned process (as on Windows)."""
    demo = run_demo(rubric_2022, tmp_path, self_scoring_from=ROOT / "rubric.json")
    assert demo.rubric.self_scoring and (demo.folder / "rubric.json").is_file()
    assert demo.units.clean and demo.units.problems == []  # tables dated in the plan's year, like their fill dates
    folder = demo.folder
    assert (folder / "units" / "西城区" / CONTACTS_FILE).is_file() and (
        demo.units_folder / "材料报送情况.xlsx"
    ).is_file()
    assert len(demo.units.self_scores()) == 8
    sheets = openpyxl.load_workbook(demo.report.folder / "master.xlsx", read_only=True).sheetnames
    assert {"自评对比", "自评对比明细"} <= set(sheets)
    assert not any(p.code.startswith("SELF_SCORES") for p in demo.report.problems)


def test_a_contact_list_resaved_by_libreoffice_keeps_its_signature(
    tmp_path: Path, packages: Path, rubric_2022: Rubric
) -> None:
    filled = fill_contacts(packages / "舞阳县" / CONTACTS_FILE, tmp_path / "filled" / "名单.xlsx", [GOOD_PERSON])
    resaved = libreoffice(filled, "xlsx:Calc MS Excel 2007 XML", tmp_path / "in", tmp_path / "lo-profile")
    check = check_units(resaved.parent, rubric_2022, KEY)
    entry = check.entries_for(unit(rubric_2022, "舞阳县"), Material.CONTACTS)[0]
    assert entry.contacts is not None and entry.contacts.signed
    assert entry.problems == [] and entry.contacts.people[0].values == dict(zip(
        ("姓名", "单位", "职务", "固定电话", "手机", "邮箱"), GOOD_PERSON, strict=True))  # fmt: skip


def test_the_template_sent_back_unchanged_is_flagged(tmp_path: Path, packages: Path, rubric_2022: Rubric) -> None:
    received = tmp_path / "in"
    received.mkdir()
    shutil.copy(packages / "舞阳县" / REPORT_TEMPLATE_FILE, received / REPORT_TEMPLATE_FILE)
    (received / "郾城区自评报告.odt").write_bytes(b"PK\x03\x04 not really")
    check = check_units(received, rubric_2022, KEY)
    codes = {(p.code, p.file) for p in check.problems if p.file}
    assert codes == {
        ("UNIT_REPORT_HINT_LEFT", REPORT_TEMPLATE_FILE),  # the 10 【】 hints; the structure itself is right
        ("UNIT_REPORT_FORMAT", "郾城区自评报告.odt"),
    }
    assert "10 处模板提示文字" in next(p.message for p in check.problems if p.code == "UNIT_REPORT_HINT_LEFT")


def test_files_that_cannot_be_opened_are_named_even_without_a_unit(tmp_path: Path, rubric_2022: Rubric) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "名单.xlsx").write_bytes(b"")
    (tmp_path / "in" / "报告.docx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le")
    )
    (tmp_path / "in" / "临颍县自评报告.docx").write_bytes(b"")
    check = check_units(tmp_path / "in", rubric_2022, KEY)
    assert {(p.code, p.file) for p in check.problems if p.file} == {
        ("MATERIAL_FILE_EMPTY", "名单.xlsx"),
        ("MATERIAL_FILE_ENCRYPTED", "报告.docx"),
        ("MATERIAL_FILE_EMPTY", "临颍县自评报告.docx"),
    }
    assert check.status(unit(rubric_2022, "临颍县"), Material.REPORT) is Status.INVALID
