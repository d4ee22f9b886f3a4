"""`qe ui` refuses what it must: a request without the token, a rebound host name, a POST without the
session's CSRF token or from another origin, a file outside the workspace; and it listens on 127.0.0.1 only."""

from __future__ import annotations

import array
import fcntl
import http.client
import os
import re
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from qe_workbook.intake.receipts import read_record

from .ui_server import UiServer

SAMPLE = sorted((Path(__file__).parents[1] / "samples" / "returned").glob("*.xlsx"))[0]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


class Client:
    """A browser-like client of one session: keeps the session cookie, reads the CSRF token from pages."""

    def __init__(self, server: UiServer) -> None:
        self.server = server
        self.cookie = ""
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                host: str | None = None) -> tuple[int, str, dict[str, str]]:  # fmt: skip
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        sent = {"Host": host or f"{self.server.host}:{self.server.port}", **(headers or {})}
        if self.cookie:
            sent["Cookie"] = self.cookie
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        got = {k.lower(): v for k, v in response.getheaders()}
        if "set-cookie" in got:
            self.cookie = got["set-cookie"].split(";", 1)[0]
        found = re.search(r'name="csrf" value="([^"]+)"', text)
        if found:
            self.csrf = found.group(1)
        conn.close()
        return response.status, text, got

    def page(self, name: str) -> tuple[int, str, dict[str, str]]:
        return self.request("GET", f"/{self.server.token}/{name}")

    def post(self, name: str, fields: dict[str, str], origin: str | None = None) -> tuple[int, str, dict[str, str]]:
        body = "&".join(f"{k}={v}" for k, v in fields.items()).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if origin is not None:
            headers["Origin"] = origin
        return self.request("POST", f"/{self.server.token}/{name}", body, headers)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui")


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[UiServer]:
    """One server for these tests (each start takes seconds); they run in order: the workspace is
    created by the CSRF test, which checks first that no refused POST created it."""
    with UiServer(folder / "年度工作区", env={"BROWSER": "true"}) as running:  # "opening" a folder runs `true`
        yield running


def test_the_address_carries_a_long_random_token(server: UiServer) -> None:
    assert server.host == "127.0.0.1"
    assert len(server.token) >= 32
    status, text, _ = Client(server).page("overview")
    assert status == 200 and "新建年度工作区" in text  # the first test: nothing created yet


@pytest.mark.parametrize("path", ["/", "/overview", "/static/qe.css", "/file?path=rubric.json", "/x/overview"])
def test_a_request_without_the_token_is_refused(server: UiServer, path: str) -> None:
    status, text, _ = Client(server).request("GET", path)
    assert status == 403
    assert "访问令牌" in text and CHINESE.search(text)


def test_a_wrong_token_of_the_same_length_is_refused(server: UiServer) -> None:
    wrong = server.token[:-1] + ("A" if server.token[-1] != "A" else "B")
    status, _, _ = Client(server).request("GET", f"/{wrong}/overview")
    assert status == 403


def test_another_host_name_is_refused_even_with_the_token(server: UiServer) -> None:
    """A page elsewhere whose name was rebound to 127.0.0.1 sends its own name in Host."""
    status, text, _ = Client(server).request("GET", f"/{server.token}/overview", host=f"evil.example:{server.port}")
    assert status == 403 and "127.0.0.1" in text


def make_workspace(client: Client) -> None:
    client.page("overview")
    status, _, headers = client.post("create", {"csrf": client.csrf, "year": "2022"})
    assert status == 302, headers


def test_a_post_without_or_with_a_wrong_csrf_token_changes_nothing(server: UiServer, folder: Path) -> None:
    client = Client(server)
    client.page("overview")
    for fields in ({"year": "2022"}, {"year": "2022", "csrf": "x" * 43}, {"year": "2022", "csrf": ""}):
        status, text, _ = client.post("create", fields)
        assert status == 403 and "操作未执行" in text
    other = Client(server)  # another session's valid token is not this session's
    other.page("overview")
    client_token, client.csrf = client.csrf, other.csrf
    status, _, _ = client.post("create", {"year": "2022", "csrf": client.csrf})
    assert status == 403
    assert not (folder / "年度工作区" / "rubric.json").exists()
    client.csrf = client_token
    status, _, _ = client.post("create", {"year": "2022", "csrf": client.csrf}, origin="http://evil.example")
    assert status == 403
    assert not (folder / "年度工作区" / "rubric.json").exists()
    make_workspace(client)
    assert (folder / "年度工作区" / "rubric.json").is_file()


def test_no_file_outside_the_workspace_is_served(server: UiServer, folder: Path) -> None:
    client = Client(server)
    client.page("overview")
    secret = folder / "secret.txt"
    secret.write_text("不应被读取", encoding="utf-8")
    (folder / "年度工作区" / "link.txt").symlink_to(secret)
    ws = folder / "年度工作区"
    (ws / "out" / "results" / "20230502-093000").mkdir(parents=True)
    (ws / "out" / "results" / "20230502-093000" / "通报.docx").write_bytes(b"report")
    status, text, headers = client.page(f"file?path={quote('out/results/20230502-093000/通报.docx')}")
    assert status == 200 and "attachment" in headers["content-disposition"] and text == "report"
    (ws / "out" / "forms").mkdir(parents=True, exist_ok=True)
    (ws / "out" / "forms" / "钥匙.xlsx").symlink_to(ws / "out" / "qe.key")
    for path in ("../secret.txt", str(secret), "link.txt", "%2e%2e/secret.txt", "out/../../secret.txt", "out", "",
                 "out/qe.key", "out/forms/../qe.key", "out/forms/钥匙.xlsx", "rubric.json"):  # fmt: skip
        status, text, _ = client.page(f"file?path={quote(path, safe='/%:')}")
        assert status == 403, path
        assert "不应被读取" not in text and "只能下载本工作区生成的文件" in text
        assert (ws / "out" / "qe.key").read_text(encoding="ascii").strip()[:16] not in text


def test_the_rubric_page_names_places_in_the_rubric_in_chinese(server: UiServer) -> None:
    _, text, _ = Client(server).page("rubric")
    assert "第29个评价部门：“财务装备科”缺少联系电话、电子邮箱" in text and "第12个评价部门：“市无线电管理局”" in text
    assert "$." not in text


def test_the_folder_button_goes_back_to_the_page_only(server: UiServer) -> None:
    client = Client(server)
    client.page("collect")
    own = f"/{server.token}/collect"
    for back in ("http://evil.example/", "//evil.example/x", "/\\evil.example", "https:evil.example", "javascript:alert(1)",
                 f"http://evil.example{own}", "/other/collect", own):  # fmt: skip
        status, _, headers = client.post("open", {"csrf": client.csrf, "path": "回收的评价表", "back": quote(back)})
        assert status == 302, back
        location = urlsplit(headers["location"])
        assert location.netloc in ("", f"{server.host}:{server.port}") and location.scheme in ("", "http"), back
        assert location.path.startswith(f"/{server.token}/"), back
        assert location.path == (own if back == own else f"/{server.token}/overview"), back


def multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, dict[str, str]]:
    boundary = "qe-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    for name, data in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_an_upload_is_kept_inside_the_returned_folder_whatever_name_it_came_with(
    server: UiServer, folder: Path
) -> None:
    client = Client(server)
    client.page("collect")
    data = SAMPLE.read_bytes()
    body, headers = multipart({}, [("evil.xlsx", data)])
    status, _, _ = client.request("POST", f"/{server.token}/upload", body, headers)
    assert status == 403  # no CSRF token: nothing kept
    names = ["../../逃出.xlsx", "C:\\Windows\\逃出2.xlsx", "/tmp/逃出3.xlsx"]
    body, headers = multipart({"csrf": client.csrf}, [(name, data + bytes([n])) for n, name in enumerate(names)])
    status, _, _ = client.request("POST", f"/{server.token}/upload", body, headers)
    assert status == 302
    returned = folder / "年度工作区" / "回收的评价表"
    kept = sorted(p.name for p in returned.iterdir() if p.name not in ("收件记录.json", "收件记录.xlsx"))
    assert (
        (returned / "收件记录.json").is_file()
        and len(kept) == 3
        and kept[1:] == ["逃出.xlsx", "逃出3.xlsx"]
        and kept[0].endswith("逃出2.xlsx")
    )
    assert all(p.is_file() and p.parent == returned for p in returned.iterdir())
    assert sorted(p.name for p in folder.iterdir()) == ["secret.txt", "年度工作区"]


def test_each_file_of_an_upload_is_said_and_a_long_name_is_shortened(server: UiServer, folder: Path) -> None:
    client = Client(server)
    client.page("collect")
    data = SAMPLE.read_bytes()
    long = "市住建局" + "关于质量工作考核评价表的报送" * 7 + ".xlsx"  # 102 Chinese characters, 306 bytes
    names = ["甲.xlsx", long, "乙.xlsx", "丙.xlsx"]
    files = [(names[0], data + b"\5"), (names[1], data + b"\6"), (names[2], data + b"\7"), (names[3], data + b"\5")]
    body, headers = multipart({"csrf": client.csrf}, files)
    status, _, _ = client.request("POST", f"/{server.token}/upload", body, headers)
    assert status == 302
    returned = folder / "年度工作区" / "回收的评价表"
    kept = {p.name for p in returned.iterdir()}
    assert {"甲.xlsx", "乙.xlsx"} <= kept and not {"丙.xlsx"} & kept
    short = next(n for n in kept if n.startswith("市住建局关于"))
    assert short.endswith("….xlsx") and len(short.encode()) <= 240
    _, text, _ = client.page("collect")
    assert "已保存：甲.xlsx" in text and "已保存：乙.xlsx" in text
    assert f"已保存：{long}（文件名过长，保存为 {short}）" in text
    assert "未重复保存：丙.xlsx 与已收到的 回收的评价表/甲.xlsx 内容相同" in text
    assert "收到 4 个文件：保存 3 个，未重复保存 1 个，未保存 0 个。" in text
    assert text.index("收到 4 个文件") < text.index("已保存：甲.xlsx")  # the count first, above the files
    body, headers = multipart({"csrf": client.csrf}, [("戊\x1b[2J.xlsx", b"not a workbook")])
    client.request("POST", f"/{server.token}/upload", body, headers)
    _, text, _ = client.page("collect")
    assert "\x1b" not in text and (returned / "戊_[2J.xlsx").read_bytes() == b"not a workbook"
    assert "已保存：戊\u241b[2J.xlsx（文件名含不能用作文件名的字符，保存为 戊_[2J.xlsx）" in text
    assert "戊\u241b[2J.xlsx 汇总时会遇到的问题：" in text


def test_an_upload_writes_the_receipt_time_and_channel_the_clerk_gave(server: UiServer, folder: Path) -> None:
    client = Client(server)
    client.page("collect")
    data = SAMPLE.read_bytes() + rb"\8"
    for received, channel, said in (("2999-01-01T08:00", "微信", "收到时间应为不晚于现在的日期和时间"),
                                    ("昨天", "微信", "收到时间应为不晚于现在的日期和时间"),
                                    ("2023-05-02T09:30", "飞鸽", "报送渠道应为以下之一：网页上传、邮件、微信、U盘、办公系统")):  # fmt: skip
        body, headers = multipart({"csrf": client.csrf, "received": received, "channel": channel}, [("丁.xls", data)])
        client.request("POST", f"/{server.token}/upload", body, headers)
        _, text, _ = client.page("collect")
        assert said in text and "文件未保存" in text
    returned = folder / "年度工作区" / "回收的评价表"
    assert not (returned / "丁.xls").exists()
    body, headers = multipart(
        {"csrf": client.csrf, "received": "2023-05-02 09:30", "channel": "微信"}, [("丁.xls", data)]
    )
    client.request("POST", f"/{server.token}/upload", body, headers)
    assert (returned / "丁.xls").read_bytes() == data
    book, _ = read_record(returned / "收件记录.json")
    last = book.receipts[-1]
    assert (last.file, last.saved_as, last.channel, last.shown_time()) == (
        "丁.xls",
        "丁.xls",
        "微信",
        "2023-05-02 09:30",
    )


def test_the_server_listens_on_127_0_0_1_only(server: UiServer) -> None:
    assert listening_addresses(server.port) == ["127.0.0.1"]
    for address in ("127.0.0.2", *interface_addresses()):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(3)
            assert sock.connect_ex((address, server.port)) != 0, address
    if socket.has_ipv6:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.settimeout(3)
            assert sock.connect_ex(("::1", server.port, 0, 0)) != 0


def listening_addresses(port: int) -> list[str]:
    """The local addresses with a listening TCP socket on `port` (Linux's /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                if len(raw) == 4:
                    found.append(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:
                    found.append(
                        socket.inet_ntop(socket.AF_INET6, b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4)))
                    )
    return found


def interface_addresses() -> list[str]:
    """This machine's own IPv4 addresses other than loopback (each interface's, by ioctl)."""
    addresses = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _index, name in socket.if_nameindex():
            request = array.array("B", struct.pack("256s", name.encode()[:15]))
            try:
                fcntl.ioctl(sock.fileno(), 0x8915, request)  # SIOCGIFADDR
            except OSError:
                continue
            address = socket.inet_ntoa(request.tobytes()[20:24])
            if not address.startswith("127."):
                addresses.append(address)
    return addresses


def test_a_taken_port_is_said_in_chinese_with_exit_2(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "qe_workbook", "ui", "--workspace", str(tmp_path), "--no-browser", "--port", str(port)],
            capture_output=True, text=True, encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=120,
        )  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    assert f"无法在本机端口 {port} 上启动（端口已被占用）" in result.stderr


def test_an_upload_stays_in_memory_however_large(tmp_path: Path) -> None:
    """Werkzeug spools a part over 500 KB to a temporary file outside the workspace; the page keeps it in memory."""
    from io import BytesIO

    from flask import request

    from qe_workbook.ui.app import create_app

    app = create_app(tmp_path, "t" * 32)
    large = (BytesIO(b"x" * 600_000), "大.xlsx")
    with app.test_request_context("/", method="POST", data={"files": large}, content_type="multipart/form-data"):
        upload = request.files["files"]
        assert isinstance(upload.stream, BytesIO) and len(upload.stream.getvalue()) == 600_000


def test_uploads_in_flight_together_are_limited_in_bytes(tmp_path: Path) -> None:
    """Bodies being received count against one budget: while 300 bytes of one upload are still on their way,
    a second of 300 bytes (600 > 500) is refused in Chinese with 503; once the first is done it is taken."""
    import threading
    from types import SimpleNamespace

    from werkzeug.serving import make_server

    from qe_workbook.ui.app import create_app
    from qe_workbook.workspace.layout import create_workspace

    create_workspace(tmp_path, 2022)
    token = "t" * 32
    app = create_app(tmp_path, token, upload_budget=500)
    running = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        client = Client(SimpleNamespace(host="127.0.0.1", port=running.server_port, token=token))  # type: ignore[arg-type]
        client.page("collect")
        body, headers = multipart({"csrf": client.csrf}, [("甲.xlsx", b"x" * 100)])
        padded = body.replace(b"x" * 100, b"x" * (300 - len(body) + 100))
        assert len(padded) == 300
        slow = socket.create_connection(("127.0.0.1", running.server_port))
        head = (f"POST /{token}/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {client.cookie}\r\n"
                f"Content-Type: {headers['Content-Type']}\r\nContent-Length: 300\r\n\r\n")  # fmt: skip
        slow.sendall(head.encode() + padded[:100])
        for _ in range(100):  # until the server has taken the first upload's bytes
            status, text, _ = client.request("POST", f"/{token}/upload", padded, headers)
            if status == 503:
                break
        assert status == 503 and "正在接收其他上传" in text and "请稍后再试" in text
        slow.sendall(padded[100:])
        assert slow.recv(100).startswith(b"HTTP/1.1 302")
        slow.close()
        status, _, _ = client.request("POST", f"/{token}/upload", padded, headers)
        assert status == 302
        status, text, _ = client.request("POST", f"/{token}/upload", padded * 2, headers)
        assert status == 413 and "一次上传的文件合计不能超过" in text
    finally:
        running.shutdown()
