"""qe doctor: what the office's PC has. The checks run against this machine's real fonts (fc-list, and the
same font files read directly, as on Windows), its LibreOffice and its Python packages."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from qe_workbook.doctor.checks import (
    Outcome,
    check_disk,
    check_fonts,
    check_key,
    check_libreoffice,
    check_packages,
    check_python,
    check_rubric,
    check_workspace,
    run_doctor,
)
from qe_workbook.doctor.fonts import font_folders, installed_fonts, parse_fc_list, read_font_file, scan_folders
from qe_workbook.doctor.versions import parse_requirement, release, runtime_requirements, version_admits
from qe_workbook.doctor.view import doctor_text
from qe_workbook.documents.fonts import BODY_FONT, DOCUMENT_FONTS, TITLE_FONT
from qe_workbook.programs import find_soffice, soffice_candidates

from .conftest import small_rubric_data, write_json

SYSTEM_FONTS = Path("/usr/share/fonts")
CJK = SYSTEM_FONTS / "opentype" / "noto"  # fonts-noto-cjk, installed by .ci/run
LATIN = SYSTEM_FONTS / "truetype" / "crosextra" / "Carlito-Regular.ttf"  # fonts-crosextra-carlito, too


# -- a font file as a font foundry writes it: an sfnt with a name table and an OS/2 table ---------------


def name_record(name: str, name_id: int = 1, *, legacy_gbk: bool = False) -> tuple[int, int, int, int, bytes]:
    """A Windows-platform name: UTF-16 (Chinese, PRC), or, as in old Chinese fonts, GBK bytes in 16-bit units."""
    if legacy_gbk:
        return 3, 3, 0x0804, name_id, b"".join(bytes([0, b]) for b in name.encode("gbk"))
    return 3, 1, 0x0804, name_id, name.encode("utf-16-be")


def sfnt(records: list[tuple[int, int, int, int, bytes]], *, chinese: bool = True) -> bytes:
    strings = b"".join(r[4] for r in records)
    header = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    offset, body = 0, b""
    for platform, encoding, language, name_id, raw in records:
        body += struct.pack(">6H", platform, encoding, language, name_id, len(raw), offset)
        offset += len(raw)
    name = header + body + strings
    os2 = struct.pack(">H", 1) + bytes(76) + struct.pack(">II", (1 << 18) if chinese else 1, 0) + bytes(4)
    tables = [(b"OS/2", os2), (b"name", name)]
    start = 12 + 16 * len(tables)
    directory, data = b"", b""
    for tag, table in tables:
        directory += struct.pack(">4sIII", tag, 0, start + len(data), len(table))
        data += table + bytes(-len(table) % 4)
    return struct.pack(">IHHHH", 0x00010000, len(tables), 32, 1, 0) + directory + data


def collection(*fonts: bytes) -> bytes:
    """A .ttc holding `fonts` (each font's table offsets moved to where it lands in the file)."""
    head = 12 + 4 * len(fonts)
    offsets, body = [], b""
    for font in fonts:
        at = head + len(body)
        count = struct.unpack_from(">H", font, 4)[0]
        moved = bytearray(font)
        for n in range(count):
            tag, check, start, length = struct.unpack_from(">4sIII", font, 12 + 16 * n)
            struct.pack_into(">4sIII", moved, 12 + 16 * n, tag, check, start + at, length)
        offsets.append(at)
        body += bytes(moved)
    return b"ttcf" + struct.pack(">HHI", 1, 0, len(fonts)) + struct.pack(f">{len(fonts)}I", *offsets) + body


# -- reading fonts -------------------------------------------------------------------------------------------


def test_font_files_read_directly_carry_the_names_fc_list_gives_them() -> None:
    """The fallback reader (used where there is no fc-list) agrees with fontconfig on this machine's fonts."""
    listed = installed_fonts()
    assert listed.source == "fc-list"
    read = scan_folders([SYSTEM_FONTS])
    assert read.source == "folders"
    by_file: dict[str, set[str]] = {}
    for font in read.fonts:
        by_file.setdefault(font.path, set()).update(font.names)
    compared = 0
    for font in listed.fonts:
        if font.path in by_file:
            assert set(font.names) <= by_file[font.path], font.path
            compared += 1
    assert compared >= 20
    # The OS/2 code-page bit (set on the faces made for simplified Chinese) agrees with fontconfig's zh-cn.
    chinese_files = {f.path for f in read.fonts if f.chinese}
    assert chinese_files >= {str(p) for p in CJK.glob("*.ttc")} and len(chinese_files) >= 4
    assert chinese_files <= {f.path for f in listed.fonts if f.chinese}
    assert read.chinese() is not None and "SC" in read.chinese().names[0]  # type: ignore[union-attr]
    assert read.find(["noto sans cjk-sc"]) is not None  # case, spaces and hyphens do not matter
    assert not any(f.chinese for f in read.fonts if "Carlito" in f.names[0])


def test_fc_list_lines_with_localized_and_escaped_names() -> None:
    text = (
        "/f/simfang.ttf\tFangSong,仿宋\tFangSong,仿宋 常规\taa|en|zh-cn|zh-sg\n"
        "/f/odd.ttf\tA\\, B\tA\\, B Regular\ten\n"
        "broken line\n"
    )
    fonts = parse_fc_list(text)
    assert [f.names for f in fonts] == [("FangSong", "仿宋", "仿宋 常规"), ("A, B", "A, B Regular")]
    assert [f.chinese for f in fonts] == [True, False]


def test_windows_font_folders_are_read_without_fc_list(tmp_path: Path) -> None:
    """On Windows: %WINDIR%\\Fonts and the user's own font folder (fonts installed without admin rights)."""
    env = {"WINDIR": str(tmp_path / "Windows"), "LOCALAPPDATA": str(tmp_path / "Local")}
    system, own = font_folders(env, "win32")
    assert system == tmp_path / "Windows" / "Fonts"
    assert own == tmp_path / "Local" / "Microsoft" / "Windows" / "Fonts"
    system.mkdir(parents=True)
    own.mkdir(parents=True)
    shutil.copy(LATIN, system / "CARLITO.TTF")
    (system / "simfang.ttf").write_bytes(sfnt([name_record("FangSong"), name_record("仿宋")]))
    (system / "desktop.ini").write_text("[.ShellClassInfo]", encoding="ascii")
    (system / "broken.ttf").write_bytes(b"\x00\x01\x00\x00\x00\x09")  # cut short: skipped
    old_style = sfnt([name_record("仿宋_GB2312", legacy_gbk=True)])
    (own / "仿宋_GB2312.TTC").write_bytes(collection(old_style, sfnt([name_record("楷体_GB2312")])))

    scan = installed_fonts(fc_list="", folders=font_folders(env, "win32"))
    assert scan.source == "folders"
    assert scan.find(["Carlito"]) is not None
    body = scan.find([BODY_FONT])
    assert body is not None and body.path == str(own / "仿宋_GB2312.TTC") and body.chinese
    assert scan.find(["楷体_GB2312"]) is not None
    assert read_font_file(system / "broken.ttf") == []

    checks = {c.subject: c for c in check_fonts(scan)}
    assert checks[BODY_FONT].outcome is Outcome.OK
    title = checks[TITLE_FONT]  # 方正小标宋简体 missing, and 黑体, its substitute, too
    assert title.outcome is Outcome.WARNING and title.problems[0].code == "DOCTOR_FONT_MISSING"
    assert "仿宋" in title.found or "未安装" in title.found
    assert checks["楷体_GB2312"].outcome is Outcome.OK
    assert "中文字体" not in checks


def test_an_official_font_missing_with_its_fallback_installed(tmp_path: Path) -> None:
    """A common Windows PC: 仿宋 and 黑体 come with Windows, the GB2312 fonts and 方正小标宋简体 do not."""
    for name, english in [("仿宋", "FangSong"), ("黑体", "SimHei"), ("楷体", "KaiTi"), ("宋体", "SimSun")]:
        (tmp_path / f"{english}.ttf").write_bytes(sfnt([name_record(english), name_record(name)]))
    checks = {c.subject: c for c in check_fonts(scan_folders([tmp_path]))}
    for font, fallback in [(TITLE_FONT, "黑体"), (BODY_FONT, "仿宋"), ("楷体_GB2312", "楷体")]:
        check = checks[font]
        assert check.outcome is Outcome.WARNING
        assert [p.code for p in check.problems] == ["DOCTOR_FONT_FALLBACK"]
        assert f"未安装{font}" in check.problems[0].message and f"将以{fallback}代替" in check.problems[0].message
        assert "双击后点“安装”" in check.problems[0].message  # the fix
    assert checks["黑体"].outcome is checks["宋体"].outcome is Outcome.OK


def test_no_chinese_font_at_all_is_an_error(tmp_path: Path) -> None:
    shutil.copy(LATIN, tmp_path)
    checks = list(check_fonts(scan_folders([tmp_path])))
    assert checks[0].subject == "中文字体" and checks[0].outcome is Outcome.ERROR
    assert checks[0].problems[0].code == "DOCTOR_FONT_NO_CHINESE"
    assert len(checks) == 1 + len(DOCUMENT_FONTS)


def test_this_machine_lacks_the_official_fonts_and_says_how_to_install_them() -> None:
    checks = {c.subject: c for c in check_fonts()}
    for font in (TITLE_FONT, BODY_FONT):
        check = checks[font]
        assert check.outcome is Outcome.WARNING
        assert check.problems[0].code in {"DOCTOR_FONT_FALLBACK", "DOCTOR_FONT_MISSING"}
        assert f"未安装{font}" in check.problems[0].message
        assert "fc-cache" in check.problems[0].message  # the fix on Linux
    assert "Noto" in checks[BODY_FONT].found  # what stands in for it here


# -- packages, LibreOffice, the workspace --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "version", "ok"),
    [
        (">=2.1", "2.2.3", True), (">=2.1", "2.1", True), (">=2.1", "2.0.9", False), (">=0.2.3", "0.10.0", True),
        (">=3.11", "3.11.7", True), (">=3.11", "3.9.18", False), (">=8.1,<9", "9.0", False), ("", "1", True),
        ("==2.1.*", "2.1.5", True), ("!=2.1.*", "2.1.5", False), ("~=2.1", "2.9", True), ("~=2.1", "3.0", False),
        (">=1.0", "1.0rc1", True), ("<2", "1.9.post1", True),
    ],
)  # fmt: skip
def test_version_requirements(spec: str, version: str, ok: bool) -> None:
    assert version_admits(spec, version) is ok


def test_requirements_as_the_package_states_them() -> None:
    assert parse_requirement('pytest>=8; extra == "dev"').marker == 'extra == "dev"'
    assert parse_requirement("python-calamine >= 0.2.3").spec == ">=0.2.3"
    assert parse_requirement("lxml[html] (>=4)").spec == ">=4"
    assert release("1!2.0b1") == (2, 0)
    names = {r.name for r in runtime_requirements()}
    assert {"pandas", "openpyxl", "python-docx", "click"} <= names and "pytest" not in names


def test_packages_and_python_of_this_environment_pass() -> None:
    checks = list(check_packages())
    assert [c.subject for c in checks] == [r.name for r in runtime_requirements()]
    assert all(c.outcome is Outcome.OK for c in checks), [c.problems for c in checks]
    assert check_python().outcome is Outcome.OK
    old = check_python("3.9.18")
    assert old.outcome is Outcome.ERROR and old.problems[0].code == "DOCTOR_PYTHON_OLD"


def test_libreoffice_found_on_path_or_in_the_windows_install_folders(tmp_path: Path) -> None:
    assert check_libreoffice().outcome is Outcome.OK  # installed here (and by .ci/run)
    assert find_soffice() == shutil.which("soffice")
    program = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    env = {"PATH": str(tmp_path / "empty"), "ProgramFiles": str(tmp_path / "Program Files")}
    assert find_soffice(env, "win32") is None
    program.parent.mkdir(parents=True)
    program.write_bytes(b"MZ")
    assert find_soffice(env, "win32") == str(program)
    assert soffice_candidates({"LOCALAPPDATA": "L"}, "win32") == [Path("L/Programs/LibreOffice/program/soffice.exe")]
    missing = check_libreoffice("")
    assert missing.outcome is Outcome.WARNING and missing.problems[0].code == "DOCTOR_SOFFICE_MISSING"


def test_workspace_disk_key_and_rubric(tmp_path: Path) -> None:
    assert check_workspace(tmp_path).outcome is Outcome.OK
    assert list(tmp_path.iterdir()) == []  # the probe file is gone
    assert check_workspace(tmp_path / "nope").problems[0].code == "DOCTOR_WORKSPACE_MISSING"
    unwritable = check_workspace(Path("/proc"))  # no file can be made there, not even by root
    assert unwritable.outcome is Outcome.ERROR and unwritable.problems[0].code == "DOCTOR_WORKSPACE_READONLY"

    assert check_disk(tmp_path, free=5 * 1024**3).outcome is Outcome.OK
    assert check_disk(tmp_path, free=500 * 1024**2).outcome is Outcome.WARNING
    full = check_disk(tmp_path, free=50 * 1024**2)
    assert full.outcome is Outcome.ERROR and "50 MB" in full.problems[0].message

    key = tmp_path / "out" / "qe.key"
    assert check_key(key).problems[0].code == "DOCTOR_KEY_MISSING"
    key.parent.mkdir()
    key.write_text("not a key\n", encoding="ascii")
    assert check_key(key).outcome is Outcome.ERROR and check_key(key).problems[0].code == "KEY_INVALID"
    key.write_text("ab" * 32 + "\n", encoding="ascii")
    assert check_key(key).outcome is Outcome.OK

    bundled = check_rubric(tmp_path / "rubric.json")
    assert bundled.outcome is Outcome.OK and bundled.subject == "内置的 2022 年度考核细则"
    assert "评分项目 56 项" in bundled.found
    data = small_rubric_data()
    write_json(tmp_path / "rubric.json", data)
    assert check_rubric(tmp_path / "rubric.json").found.startswith("有效：2022 年度，3 个被考核单位")
    data["areas"] = []
    write_json(tmp_path / "rubric.json", data)
    bad = check_rubric(tmp_path / "rubric.json")
    assert bad.outcome is Outcome.ERROR and all(p.code.startswith("RUBRIC_") for p in bad.problems)


def test_the_whole_report_on_this_machine(tmp_path: Path) -> None:
    report = run_doctor(tmp_path)
    assert report.ready  # fonts and the key are warnings: the tool runs
    topics = [c.topic for c in report.checks]
    assert topics[0] == "Python" and topics[-2:] == ["密钥", "考核细则"]
    codes = {p.code for p in report.problems}
    assert "DOCTOR_KEY_MISSING" in codes and codes & {"DOCTOR_FONT_FALLBACK", "DOCTOR_FONT_MISSING"}
    data = report.to_dict()
    assert data["ready"] is True and data["workspace"] == str(tmp_path)
    assert not run_doctor(tmp_path / "missing").ready


def test_fc_list_itself_is_what_lists_the_fonts_here() -> None:
    """The fc-list the checks read is the system's (fontconfig), run with the format they parse."""
    out = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, check=True, text=True).stdout
    assert len(set(out.split())) >= len({f.path for f in installed_fonts().fonts})


def test_the_text_is_a_chinese_table_then_each_piece_with_its_fix(tmp_path: Path) -> None:
    text = doctor_text(run_doctor(tmp_path))
    header, rule, *rows = text.split("\n\n")[1].splitlines()
    assert header.split() == ["检查项目", "对象", "结果", "情况"] and set(rule) <= {"-", " "}
    assert any(r.split()[:3] == ["字体", BODY_FONT, "提醒"] for r in rows)
    assert f"【提醒】字体 {BODY_FONT}：未安装{BODY_FONT}（用于公文正文）" in text
    assert "   处理办法：请信息部门" in text
    assert text.splitlines()[-1].startswith("本机可以使用本工具（另有")
    broken = doctor_text(run_doctor(tmp_path / "missing"))
    assert "【需处理】工作文件夹" in broken and "处理办法：请先建立该文件夹" in broken
    assert broken.splitlines()[-1].startswith("有 1 项需处理")


def qe(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qe_workbook", *args], capture_output=True, text=True, timeout=300)


def test_qe_doctor_on_this_machine_reports_the_missing_official_fonts_with_the_fix(tmp_path: Path) -> None:
    done = qe("doctor", "--workspace", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr  # ready: missing fonts and key are warnings
    out = done.stdout
    assert out.splitlines()[2].split() == ["检查项目", "对象", "结果", "情况"]
    for font in (TITLE_FONT, BODY_FONT, "楷体_GB2312"):
        assert f"未安装{font}" in out
    assert out.count("处理办法：") >= 3 and "fc-cache" in out

    data = json.loads(qe("doctor", "--workspace", str(tmp_path), "--json").stdout)
    assert data["ready"] is True and data["workspace"] == str(tmp_path)
    fonts = {c["subject"]: c for c in data["checks"] if c["topic"] == "字体"}
    assert fonts[BODY_FONT]["outcome"] == "warning"
    assert fonts[BODY_FONT]["problems"][0]["params"]["font"] == BODY_FONT

    key = tmp_path / "bad.key"
    key.write_text("123\n", encoding="ascii")
    broken = qe("doctor", "--workspace", str(tmp_path), "--key", str(key), "--json")
    assert broken.returncode == 1
    codes = [p["code"] for c in json.loads(broken.stdout)["checks"] for p in c["problems"]]
    assert "KEY_INVALID" in codes
    assert qe("doctor", "--workspace", str(tmp_path / "missing")).returncode == 1


def test_qe_doctor_on_a_gbk_console(tmp_path: Path) -> None:
    """The office's console code page: the whole table shows, nothing replaced by “?”."""
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run([sys.executable, "-m", "qe_workbook", "doctor", "--workspace", str(tmp_path)], env=env,
                          capture_output=True, timeout=300)  # fmt: skip
    assert done.returncode == 0
    text = done.stdout.decode("gbk")
    assert f"未安装{BODY_FONT}" in text and "处理办法：" in text and "?" not in text
