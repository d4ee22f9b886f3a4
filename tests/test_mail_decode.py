"""Chinese mail decoding and safe unpacking of zip attachments (the same limits as the workbook checks)."""

from __future__ import annotations

import base64
import io
import zipfile
from email import message_from_bytes
from email.message import Message

from qe_workbook.file_names import safe_file_name
from qe_workbook.intake.container import Limits
from qe_workbook.intake.unpack import unpack_zip
from qe_workbook.mail.decode import attachment_name, header_text
from qe_workbook.mail.names import extension_from_content, file_name_for, fit_parts
from qe_workbook.mail.server import utf7_folder

from .mails import gbk_zip, word


def test_headers_as_clients_write_them() -> None:
    assert header_text(word("评价表（甲局）")) == "评价表（甲局）"  # GB2312 read as GB18030
    assert header_text(f"回复：{word('評價表', 'big5')}") == "回复：評價表"
    assert header_text(f'"{word("乙局")}"') == '"乙局"'  # encoded words inside quotes, as Foxmail writes
    raw = message_from_bytes(b"Subject: " + "已报送".encode("gbk") + b"\r\n\r\nx")
    assert header_text(raw["Subject"]) == "已报送"  # undeclared raw GBK
    assert header_text("=?utf-8?B?broken") == "=?utf-8?B?broken"
    gbk = "质量工作考核评价表".encode("gbk")  # a long subject split inside a character, as some clients do
    split = " ".join(f"=?gbk?B?{base64.b64encode(gbk[i : i + 5]).decode()}?=" for i in range(0, len(gbk), 5))
    assert header_text(f"转发: {split} (终稿)") == "转发: 质量工作考核评价表 (终稿)"


def test_attachment_names_in_every_encoding() -> None:
    def name_of(disposition: str) -> str | None:
        msg = message_from_bytes(f"Content-Type: application/octet-stream\r\nContent-Disposition: {disposition}\r\n\r\nx"
                                 .encode("latin-1"))  # fmt: skip
        return attachment_name(msg)

    assert name_of(f'attachment; filename="{word("甲局评价表.xlsx")}"') == "甲局评价表.xlsx"
    assert name_of("attachment; filename*=gbk''%BC%D7%BE%D6.xlsx") == "甲局.xlsx"
    assert name_of("attachment; filename*=utf-8''%BC%D7%BE%D6.xlsx") == "甲局.xlsx"  # GBK labelled as UTF-8
    assert name_of("attachment; filename*0*=utf-8''%E7%94%B2; filename*1*=%E5%B1%80.xlsx") == "甲局.xlsx"


def test_safe_file_names_for_windows() -> None:
    assert safe_file_name("..\\..\\Windows\\评价表.xlsx") == "评价表.xlsx"
    assert safe_file_name("评价表:终稿?.xlsx") == "评价表_终稿_.xlsx"
    assert safe_file_name("CON.xlsx") == "附件_CON.xlsx"
    assert safe_file_name("...") == "附件"
    assert safe_file_name("长" * 300 + ".xlsx") == "长" * 74 + "….xlsx"  # 80 characters, 230 bytes
    assert safe_file_name("😀" * 100 + ".xlsx") == "😀" * 58 + "….xlsx"  # 4 bytes each: 240 bytes
    assert safe_file_name("a" * 5000) == "a" * 79 + "…"
    assert safe_file_name("关于报送评价表的函" * 4, "未知发件人", 20) == "关于报送评价表的函关于报送评价表的函关…"
    assert safe_file_name("aux .txt") == "附件_aux .txt" and safe_file_name("COM¹.xlsx") == "附件_COM¹.xlsx"
    assert safe_file_name("评价表.xlsx. ") == "评价表.xlsx"
    assert safe_file_name("评价表\u202excod.exe") == "评价表_xcod.exe"  # the override that shows it as 'exe.docx'
    assert safe_file_name("甲局\ufffd\ufffd.xlsx") == "甲局__.xlsx"


def test_saved_names_say_why_they_differ() -> None:
    form = _zip([("[Content_Types].xml", b"x"), ("xl/workbook.xml", b"x")])
    assert file_name_for("评价表", form) == ("评价表.xlsx", ["原文件名没有扩展名，按文件内容补上“.xlsx”"])
    assert file_name_for("评价表", b"%PDF-1.7")[0] == "评价表.pdf"
    assert file_name_for("说明", b"plain text") == ("说明", [])
    assert file_name_for("qe_workbook-结果文件夹.txt", b"x") == (
        "qe_workbook-结果文件夹（邮件附件）.txt", ["与本工具结果文件夹的标记文件同名，已改名"])  # fmt: skip
    assert file_name_for("评价表" * 30 + ".xlsx", form)[1] == ["原文件名过长，保存时已缩短"]
    assert file_name_for("\ufffd\ufffd.xlsx", form) == (
        "__.xlsx",
        ["原文件名含有无法识别的字符（编码无法识别），已用“_”代替"],
    )
    assert file_name_for("CON.xlsx", form) == ("附件_CON.xlsx",
                                               ["原文件名含有不能用于文件名的字符、Windows 保留名称或首尾的点，已调整"])  # fmt: skip
    assert extension_from_content(_zip([("word/document.xml", b"x")])) == ".docx"
    assert extension_from_content(_zip([("a.txt", b"x")])) == ".zip"
    assert extension_from_content(b"PK\x03\x04 broken") == ""


def test_raw_8bit_names_in_either_header() -> None:
    def part(headers: bytes) -> Message:
        return message_from_bytes(headers + b"\r\n\r\nx")

    gbk, utf8 = "评价表_甲局.xlsx".encode("gbk"), "评价表_甲局.xlsx".encode()
    assert attachment_name(part(b'Content-Disposition: attachment; filename="' + gbk + b'"')) == "评价表_甲局.xlsx"
    assert attachment_name(part(b'Content-Disposition: attachment; filename="' + utf8 + b'"')) == "评价表_甲局.xlsx"
    assert attachment_name(part(b'Content-Type: application/octet-stream; name="' + gbk + b'"')) == "评价表_甲局.xlsx"
    assert attachment_name(part(b'Content-Disposition: attachment; filename="\xff\xff.xlsx"')) == "\ufffd\ufffd.xlsx"


def test_folder_names_in_modified_utf7() -> None:
    assert utf7_folder("INBOX") == '"INBOX"'
    assert utf7_folder("收件箱") == '"&ZTZO9nux-"'
    assert utf7_folder("评价表&材料") == '"&i8RO94ho-&-&Z1BlmQ-"'


def _zip(entries: list[tuple[str, bytes]], **kwargs: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def test_gbk_names_are_recovered_and_folders_kept() -> None:
    unpacked = unpack_zip(gbk_zip([("评价表/甲局.xlsx", b"a"), ("乙局.xlsx", b"b")]), Limits())
    assert unpacked.error is None and unpacked.refused == []
    assert [(m.path, m.data) for m in unpacked.members] == [(("评价表", "甲局.xlsx"), b"a"), (("乙局.xlsx",), b"b")]


def test_hostile_zips_are_refused_entry_by_entry() -> None:
    data = _zip([
        ("../../evil.xlsx", b"x"), ("/etc/passwd", b"x"), ("C:/boot.ini", b"x"), ("inner.zip", b"PK"),
        ("bomb.xlsx", b"\0" * 5_000_000), ("__MACOSX/._a.xlsx", b"x"), ("good.xlsx", b"ok"), ("GOOD.xlsx", b"ok2"),
    ])  # fmt: skip
    unpacked = unpack_zip(data, Limits())
    assert [m.name for m in unpacked.members] == ["good.xlsx"]
    reasons = dict(unpacked.refused)
    assert set(reasons) == {"../../evil.xlsx", "/etc/passwd", "C:/boot.ini", "inner.zip", "bomb.xlsx", "GOOD.xlsx"}
    assert "以外" in reasons["../../evil.xlsx"] and "压缩炸弹" in reasons["bomb.xlsx"]
    assert "同名" in reasons["GOOD.xlsx"] and "套了压缩包" in reasons["inner.zip"]


def test_whole_zip_limits() -> None:
    many = _zip([(f"{n}.xlsx", b"x") for n in range(30)])
    assert "超过上限 20" in (unpack_zip(many, Limits(max_entries=20)).error or "")
    big = _zip([("a.xlsx", b"\0" * 3_000_000)])
    assert "解压后" in (unpack_zip(big, Limits(max_unzipped_bytes=1_000_000)).error or "")
    assert unpack_zip(b"PK\x03\x04 broken", Limits()).error == "压缩包已损坏或不是 zip 格式"
    encrypted = bytearray(_zip([("a.xlsx", b"x")]))
    for offset in (6, encrypted.find(b"PK\x01\x02") + 8):  # set the 'encrypted' flag in both headers
        encrypted[offset] |= 1
    assert unpack_zip(bytes(encrypted), Limits()).refused == [("a.xlsx", "设置了解压密码")]


def test_deep_zip_folders_are_left_out_so_paths_stay_short() -> None:
    deep = ("评价表压缩包", *(f"第{n}层文件夹" for n in range(30)), "甲局.xlsx")
    assert fit_parts(deep) == ("评价表压缩包", "甲局.xlsx")
    assert fit_parts(("包", "子" * 60, "甲局.xlsx")) == ("包", "子" * 39 + "…", "甲局.xlsx")
    assert fit_parts(("甲局.xlsx",)) == ("甲局.xlsx",)


def test_undecodable_header_bytes_are_marked_not_dropped() -> None:
    raw = message_from_bytes(b"Subject: \xff\xff" + "评价表".encode("gbk") + b"\r\n\r\nx")
    assert header_text(raw["Subject"]) == "\ufffd\ufffd评价表"


def test_control_characters_are_shown_not_obeyed() -> None:
    assert header_text(word("\x1b]0;标题\x07评价表", "utf-8")) == "␛]0;标题␇评价表"
    assert header_text(word("甲局\r\n[错误] 密钥可能有误", "utf-8")) == "甲局 [错误] 密钥可能有误"  # no forged line
    assert unpack_zip(_zip([("\x1b[2J表.xlsx", b"x")]), Limits()).members[0].name == "␛[2J表.xlsx"
