"""Messages written the way Chinese mail clients really write them (raw bytes, not the email
package's tidy output): Foxmail's GB2312 encoded words inside quotes, Thunderbird's RFC 2231
continuations, webmail's UTF-8 names and a zip made on Chinese Windows (GBK names, no UTF-8
flag), a phone client's reply with undeclared raw GBK, and a message cut short."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from urllib.parse import quote

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _mid(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i : i + 76] for i in range(0, len(text), 76))


def word(text: str, charset: str = "gb2312") -> str:
    """An RFC 2047 encoded word, B encoding."""
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def _join(head: list[str], parts: list[str], boundary: str, *, close: bool = True) -> bytes:
    body = "\r\n".join(head) + "\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n"
    for part in parts:
        body += f"--{boundary}\r\n{part}\r\n"
    if close:
        body += f"--{boundary}--\r\n"
    return body.encode("ascii")


def foxmail(name: str, address: str, subject: str, files: list[tuple[str, bytes]], *, date: str,
            body: str = "您好，附件是我单位的评价表，请查收。") -> bytes:  # fmt: skip
    """Foxmail 7 on Chinese Windows: GB2312 everywhere, encoded words inside quoted parameters."""
    boundary = "----=_001_NextPart572182624333_=----"
    head = [
        f"Date: {date}",
        f'From: "{word(name)}" <{address}>',
        f'To: "{word("市质强办")}" <office@example.cn>',
        f"Subject: {word(subject)}",
        "X-Priority: 3",
        "X-Has-Attach: yes",
        "X-Mailer: Foxmail 7.2.23.116[cn]",
        "Mime-Version: 1.0",
        f"Message-ID: <2023{_mid(subject, date)}@example.cn>",
        f'Content-Type: multipart/mixed;\r\n\tboundary="{boundary}"',
    ]
    parts = [f'Content-Type: text/plain;\r\n\tcharset="gb2312"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
             f"{b64(body.encode('gb2312'))}"]  # fmt: skip
    for file_name, data in files:
        encoded = word(file_name)
        parts.append(f'Content-Type: application/octet-stream;\r\n\tname="{encoded}"\r\n'
                     f"Content-Transfer-Encoding: base64\r\n"
                     f'Content-Disposition: attachment;\r\n\tfilename="{encoded}"\r\n\r\n{b64(data)}')  # fmt: skip
    return _join(head, parts, boundary)


def thunderbird(name: str, address: str, subject: str, files: list[tuple[str, bytes]], *, date: str) -> bytes:
    """Thunderbird / Outlook for Mac: UTF-8, file names as RFC 2231 continuations."""
    boundary = "------------9Aq3ZpL0WyQk2sJd7XcT"
    head = [
        f"Message-ID: <{_mid(subject, date)}.tb@example.cn>",
        f"Date: {date}",
        "MIME-Version: 1.0",
        "User-Agent: Mozilla Thunderbird",
        "Content-Language: zh-CN",
        f"From: {word(name, 'utf-8')} <{address}>",
        "To: office@example.cn",
        f"Subject: {word(subject, 'utf-8')}",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
    ]
    parts = [f"Content-Type: text/plain; charset=UTF-8; format=flowed\r\nContent-Transfer-Encoding: base64\r\n\r\n"
             f"{b64('请查收。'.encode())}"]  # fmt: skip
    for file_name, data in files:
        escapes = [quote(ch.encode("utf-8"), safe="") for ch in file_name]  # split between characters
        chunks = ["".join(escapes[i : i + 7]) for i in range(0, len(escapes), 7)]
        continued = ";\r\n ".join(f"filename*{n}*={'UTF-8' + chr(39) * 2 if n == 0 else ''}{c}"
                                  for n, c in enumerate(chunks))  # fmt: skip
        parts.append(f"Content-Type: {XLSX}\r\nContent-Disposition: attachment;\r\n {continued}\r\n"
                     f"Content-Transfer-Encoding: base64\r\n\r\n{b64(data)}")  # fmt: skip
    return _join(head, parts, boundary)


def webmail(name: str, address: str, subject: str, files: list[tuple[str, bytes, str]], *, date: str) -> bytes:
    """A 126/163-style web mailbox: UTF-8 encoded words in quotes, HTML body."""
    boundary = "----=_Part_123456_789012345.1682650000000"
    head = [
        f"Date: {date}",
        f'From: "{word(name, "UTF-8")}" <{address}>',
        "To: office@example.cn",
        f"Message-ID: <{_mid(subject, date)}.web@example.cn>",
        f"Subject: {word(subject, 'UTF-8')}",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "X-Mailer: Coremail Webmail Server",
    ]
    html = '<div style="line-height:1.7">附件为我单位材料，请查收！<br>&nbsp;</div>'
    parts = [f"Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
             f"{b64(html.encode())}"]  # fmt: skip
    for file_name, data, content_type in files:
        encoded = word(file_name, "UTF-8")
        parts.append(f'Content-Type: {content_type}; name="{encoded}"\r\nContent-Transfer-Encoding: base64\r\n'
                     f'Content-Disposition: attachment; filename="{encoded}"\r\n\r\n{b64(data)}')  # fmt: skip
    return _join(head, parts, boundary)


def phone_reply(name: str, address: str, subject: str, body: str, *, date: str) -> bytes:
    """A reply typed on a phone client: raw 8-bit GBK in the headers and the body, no charset."""
    head = (f"Date: {date}\r\nFrom: ".encode() + name.encode("gbk") + f" <{address}>\r\n".encode()
            + b"To: office@example.cn\r\nSubject: " + subject.encode("gbk")
            + b"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")  # fmt: skip
    return head + body.encode("gbk") + b"\r\n"


def cut_short(address: str, file_name: str, data: bytes, *, date: str) -> bytes:
    """A message whose attachment's base64 is damaged and whose closing boundary never came."""
    boundary = "b1_cut"
    head = [f"Date: {date}", f"From: <{address}>", f"Subject: {word('评价表（重发）', 'utf-8')}", "MIME-Version: 1.0",
            f'Content-Type: multipart/mixed; boundary="{boundary}"']  # fmt: skip
    broken = b64(data)[: len(b64(data)) // 2] + "\r\n!!##@@"
    part = (f'Content-Type: {XLSX}; name="{file_name}"\r\nContent-Transfer-Encoding: base64\r\n'
            f'Content-Disposition: attachment; filename="{file_name}"\r\n\r\n{broken}')  # fmt: skip
    return _join(head, [part], boundary, close=False)


def gbk_zip(files: list[tuple[str, bytes]]) -> bytes:
    """A zip as Chinese Windows' built-in 'send to compressed folder' makes it: GBK names, no
    UTF-8 flag (Python always flags non-ASCII names, so same-length placeholders are swapped)."""
    buf = io.BytesIO()
    swaps = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, (name, data) in enumerate(files):
            raw = name.encode("gbk")
            placeholder = f"{n:02d}".encode() + b"~" * (len(raw) - 2)
            swaps.append((placeholder, raw))
            zf.writestr(placeholder.decode(), data)
    out = buf.getvalue()
    for placeholder, raw in swaps:
        assert out.count(placeholder) == 2  # local header and central directory
        out = out.replace(placeholder, raw)
    return out
