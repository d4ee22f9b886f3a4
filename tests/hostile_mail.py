"""A corpus of hostile mail: messages that once stopped `qe mail fetch` for good (each re-run
stopped at them again) or lost a department's form. Each is built as raw bytes, the way the
security trial sent them to a real Dovecot, around 甲局's genuine filled form.

`CORPUS` lists every message: its name, a builder (the form's bytes → the raw message), the
files it must leave in its message folder and the problem codes the fetch must report.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from .mails import XLSX, b64, word

DATE = "Tue, 25 Apr 2023 09:00:00 +0800"
FORM = "2022年度质量工作考核评价表_甲局.xlsx"
LONG_FORM_NAME = "评价表" * 30 + ".xlsx"  # 545 bytes of UTF-8
LONG_SENDER = "关于报送质量工作考核评价表的函" * 7 + "请查收附件"  # 110 characters, no department named
GUAN = "关" * 100  # 300 bytes, no extension
MARKER = "qe_workbook-结果文件夹.txt"  # the name of the run-folder marker collect skips a folder for


def message(parts: list[bytes], *, sender: bytes = b'"' + word("甲局").encode() + b'" <jia@example.cn>',
            subject: str = "评价表") -> bytes:  # fmt: skip
    """A multipart/mixed message around the given parts (each: its headers, a blank line, its body)."""
    boundary = b"----=_hostile_boundary"
    head = (b"Date: " + DATE.encode() + b"\r\nFrom: " + sender + b"\r\nTo: office@example.cn\r\n"
            b"Subject: " + word(subject, "utf-8").encode() + b"\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n')  # fmt: skip
    body = b"".join(b"--" + boundary + b"\r\n" + p + b"\r\n" for p in parts)
    return head + body + b"--" + boundary + b"--\r\n"


def attachment(data: bytes, *, disposition: bytes = b"attachment", content_type: bytes = b"application/octet-stream"
               ) -> bytes:  # fmt: skip
    return (b"Content-Type: " + content_type + b"\r\nContent-Transfer-Encoding: base64\r\n"
            b"Content-Disposition: " + disposition + b"\r\n\r\n" + b64(data).encode())  # fmt: skip


def named(name: str, data: bytes) -> bytes:
    """An attachment named the way webmail writes it: a UTF-8 encoded word in quotes."""
    return attachment(data, disposition=b'attachment; filename="' + word(name, "utf-8").encode() + b'"')


def raw_filename(name: bytes, data: bytes) -> bytes:
    """A file name as raw 8-bit bytes in Content-Disposition (no encoded word, no charset)."""
    return attachment(data, disposition=b'attachment; filename="' + name + b'"')


def raw_type_name(name: bytes, data: bytes) -> bytes:
    """A file name as raw 8-bit bytes in Content-Type only; the disposition names no file."""
    return attachment(data, content_type=XLSX.encode() + b'; name="' + name + b'"')


def nested(depth: int) -> bytes:
    """A message of `depth` multiparts each holding the next (the parser recurses once per level)."""
    body = b"Content-Type: text/plain\r\n\r\nhello\r\n"
    for n in range(depth):
        body = (b'Content-Type: multipart/mixed; boundary="n%d"\r\n\r\n--n%d\r\n' % (n, n) + body
                + b"\r\n--n%d--\r\n" % n)  # fmt: skip
    return b"Date: " + DATE.encode() + b"\r\nFrom: <jia@example.cn>\r\nSubject: nested\r\nMIME-Version: 1.0\r\n" + body


def zipped(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@dataclass(frozen=True)
class HostileMail:
    name: str
    build: Callable[[bytes], bytes]  # 甲局's form → the raw message
    folder: str  # the message folder (received 2023-04-25 09:00, UID 1), "" when nothing is saved
    files: tuple[str, ...]  # what the message folder holds afterwards
    codes: tuple[str, ...]  # the problems reported, in order


F = "20230425-090000_甲局_1"
SHORT_FORM_NAME = "评价表" * 24 + "评价…" + ".xlsx"  # 80 characters, 230 bytes

CORPUS = [
    HostileMail("long_attachment_name", lambda form: message([named(LONG_FORM_NAME, form)]), F,
                (SHORT_FORM_NAME,), ("MAIL_NAME_CHANGED",)),
    HostileMail("hundred_guan_no_extension", lambda form: message([named(GUAN, b"%PDF-1.4 scan")]), F,
                ("关" * 75 + "…" + ".pdf",), ("MAIL_NAME_CHANGED",)),
    HostileMail("sender_of_110_characters",
                lambda form: message([named(FORM, form)], sender=b'"' + word(LONG_SENDER, "utf-8").encode()
                                     + b'" <someone@example.cn>'),
                "20230425-090000_关于报送质量工作考核评价表的函关于报送…_1", (FORM,), ()),
    HostileMail("raw_gbk_filename", lambda form: message([raw_filename(FORM.encode("gbk"), form)]), F, (FORM,), ()),
    HostileMail("raw_utf8_filename", lambda form: message([raw_filename(FORM.encode(), form)]), F, (FORM,), ()),
    HostileMail("raw_gbk_name_in_content_type_only", lambda form: message([raw_type_name(FORM.encode("gbk"), form)]),
                F, (FORM,), ()),
    HostileMail("undecodable_name", lambda form: message([raw_filename(b"\xff\xff\xff\xff.xlsx", form)]), F,
                ("____.xlsx",), ("MAIL_NAME_UNREADABLE",)),
    HostileMail("three_thousand_nested_multiparts", lambda form: nested(3000), "", (), ("MAIL_MESSAGE_SET_ASIDE",)),
    HostileMail("zip_entries_that_sanitise_alike",
                lambda form: message([named("dots.zip", zipped([("...", b"dots"), (" ../x.xlsx", form),
                                                                ("a.xlsx", form)]))]),
                F, ("dots/a.xlsx",), ("MAIL_ARCHIVE_UNSAFE", "MAIL_ARCHIVE_UNSAFE")),
    HostileMail("zip_file_and_folder_of_one_name",
                lambda form: message([named("表.zip", zipped([("评价表", b"notes"), (f"评价表/{FORM}", form)]))]),
                F, ("表/评价表", f"表/评价表(2)/{FORM}"), ()),
    HostileMail("run_folder_marker_beside_a_form",
                lambda form: message([named(FORM, form), named(MARKER, b"not ours")]), F,
                (FORM, "qe_workbook-结果文件夹（邮件附件）.txt"), ("MAIL_NAME_CHANGED",)),
    HostileMail("extensionless_form", lambda form: message([named("评价表", form)]), F, ("评价表.xlsx",),
                ("MAIL_NAME_CHANGED",)),
    HostileMail("windows_reserved_names",
                lambda form: message([named("CON.xlsx", form), named("aux .txt", b"x"), named("评价表.xlsx.", b"y"),
                                      named("\u202exslx.exe", b"z")]),
                F, ("_xslx.exe", "评价表.xlsx", "附件_CON.xlsx", "附件_aux .txt"),
                ("MAIL_NAME_CHANGED", "MAIL_NAME_CHANGED", "MAIL_NAME_CHANGED", "MAIL_NAME_CHANGED")),
    HostileMail("hidden_and_temporary_names",
                lambda form: message([named(".tmp-甲局.xlsx", form), named(".hidden", b"x")]), F,
                ("hidden", "tmp-甲局.xlsx"), ("MAIL_NAME_CHANGED", "MAIL_NAME_CHANGED")),
    HostileMail("unknown_charsets",
                lambda form: message([attachment(form, disposition=b"attachment; filename*=x-bogus''"
                                                 + quote("评价表.xlsx").encode()),
                                      attachment(b"x", disposition=b'attachment; filename="'
                                                 + word("甲局.docx", "utf-8").replace("utf-8", "x-bogus").encode()
                                                 + b'"')]),
                F, ("甲局.docx", "评价表.xlsx"), ()),
    HostileMail("terminal_escape_sequences",
                lambda form: message([named("\x1b[2J评价表.xlsx", form), named("\x1b]52;c;ZXZpbA==\x07印证.rar", b"R")],
                                     subject="\x1b]0;已收到\x07评价表"),
                F, ("␛[2J评价表.xlsx", "␛]52;c;ZXZpbA==␇印证.rar"), ("MAIL_ARCHIVE_UNSUPPORTED",)),
]  # fmt: skip
