"""The one receipt record: when, how and from whom each returned file arrived.

A receipt is one received file: who sent it (a department or a unit, as far as known), the
channel (邮件/微信/U盘/OA/现场…), when it arrived (timezone-aware), who received it, and for mail
the sender's address, subject, message id and UID; the file's original name, SHA-256 and where it
was saved. Two sources feed the same record:

- `收件记录.json` (with `收件记录.xlsx` for people), written by `qe mail fetch`;
- `收件登记.xlsx`, the register the office keeps by hand for the other channels
  (`qe receipts template` writes an empty one).

`ReceiptBook.find` answers "when did this file arrive?" for a returned file (by SHA-256, else by
its path or name, else by its sender). The arrival time, not the date typed into the form,
decides lateness (`late_problem`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..choices import RECEIPTS_XLSX
from ..forms.layout import col_letter, display_width
from ..forms.paper import page_setup
from ..problems import Problem, os_error_text, problem
from ..rubric import Rubric
from ..workbooks import mark_output
from .container import Limits, open_package

RECORD_JSON = "收件记录.json"
RECORD_XLSX = "收件记录.xlsx"
REGISTER_XLSX = RECEIPTS_XLSX
CHOICES_JSON = "选定的版本.json"  # the office's choice among a department's versions (intake/chosen.py)
RECORD_FILES = (RECORD_JSON, RECORD_XLSX, REGISTER_XLSX, CHOICES_JSON)
RECORD_VERSION = 1

# The office's clock: hand-written times without a zone are Beijing time.
OFFICE_TZ = timezone(timedelta(hours=8), "北京时间")


class Channel(StrEnum):
    MAIL = "邮件"
    WECHAT = "微信"
    USB = "U盘"
    OA = "办公系统"
    HAND = "现场"
    OTHER = "其他"


CHANNEL_ALIASES = {
    "电子邮件": Channel.MAIL, "邮箱": Channel.MAIL, "email": Channel.MAIL, "e-mail": Channel.MAIL,
    "微信群": Channel.WECHAT, "优盘": Channel.USB, "u盘": Channel.USB, "移动硬盘": Channel.USB, "光盘": Channel.USB,
    "oa": Channel.OA, "oa系统": Channel.OA, "办公平台": Channel.OA, "政务网": Channel.OA,
    "现场报送": Channel.HAND, "当面": Channel.HAND, "纸质": Channel.HAND, "送达": Channel.HAND, "邮寄": Channel.HAND,
}  # fmt: skip

# What a receipt can be for: the departments' forms and the units' materials (方案 三(一)、四).
MATERIALS = ("评价表", "自评报告", "联系人员名单", "印证材料", "自评打分表", "其他")
FORM_MATERIAL = "评价表"

REGISTER_SHEET = "收件登记"
REGISTER_COLUMNS = ("文件名或报送单位", "材料", "渠道", "收到时间", "经办人", "备注")
REQUIRED_COLUMNS = REGISTER_COLUMNS[:5]
REGISTER_TITLE_ROWS = 2  # the template's title and hint rows above the header
RULED_ROWS, RULED_HEIGHT = 16, 26.0  # the blank register prints one page of rows to fill by hand


@dataclass(frozen=True)
class Receipt:
    """One received file (or, from the register, one delivery named only by its sender)."""

    received_at: datetime  # timezone-aware
    channel: str
    sender: str | None = None  # canonical department or unit name, when known
    file: str | None = None  # the file's original name as sent
    material: str | None = None
    received_by: str | None = None
    address: str | None = None  # the sender's e-mail address
    subject: str | None = None
    message_id: str | None = None
    mail_uid: str | None = None  # "UIDVALIDITY:UID" of the message in the mailbox
    sent_at: datetime | None = None  # the message's own Date header
    sha256: str | None = None
    saved_as: str | None = None  # path relative to the record's folder, with '/'
    date_only: bool = False  # the register gave a day without a time
    source: str = ""  # where this receipt was read: "收件记录.json" or "收件登记.xlsx D5"
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("received_at", "sent_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Receipt:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["received_at"] = aware(datetime.fromisoformat(values["received_at"]))
        if values.get("sent_at"):
            values["sent_at"] = aware(datetime.fromisoformat(values["sent_at"]))
        return cls(**values)

    @property
    def local_time(self) -> datetime:
        return self.received_at.astimezone(OFFICE_TZ)

    def shown_time(self) -> str:
        """The arrival time as the office reads it (Beijing time)."""
        return f"{self.local_time:%Y-%m-%d}" if self.date_only else f"{self.local_time:%Y-%m-%d %H:%M}"

    def late_for(self, deadline: date) -> bool:
        """Arrived after the deadline day (anything on the day itself is in time), in office time."""
        return self.local_time.date() > deadline


def aware(moment: datetime) -> datetime:
    """A datetime with a zone: a naive one is taken as office (Beijing) time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=OFFICE_TZ)


@dataclass
class ReceiptBook:
    """Every receipt known for a returned folder, with the lookup used by the intake."""

    receipts: list[Receipt] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)  # mail fetch bookkeeping, kept as written
    sources: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.receipts)

    def add(self, receipts: Iterable[Receipt]) -> None:
        self.receipts.extend(receipts)

    def find(
        self,
        *,
        sha256: str | None = None,
        path: str | None = None,
        name: str | None = None,
        sender: str | None = None,
        material: str | None = None,
    ) -> Receipt | None:
        """The receipt of a returned file: by content (the earliest arrival of those exact bytes),
        else by the saved path, else by the file name, else by the sender (the latest delivery)."""
        if sha256:
            hits = [r for r in self.receipts if r.sha256 == sha256]
            if hits:
                return min(hits, key=lambda r: r.received_at)
        if path:
            wanted = path.replace("\\", "/")
            hits = [r for r in self.receipts if r.saved_as and r.saved_as == wanted]
            if hits:
                return min(hits, key=lambda r: r.received_at)
        if name:
            base = _base(name)
            hits = [r for r in self.receipts if r.file and _base(r.file) == base]
            if hits:
                return max(hits, key=lambda r: r.received_at)
        if sender:
            hits = [
                r
                for r in self.receipts
                if r.sender == sender and r.file is None and (material is None or r.material in (None, material))
            ]
            if hits:
                return max(hits, key=lambda r: r.received_at)
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": RECORD_VERSION,
            "receipts": [r.to_dict() for r in self.receipts],
            "messages": self.messages,
        }


def _base(name: str) -> str:
    return unicodedata.normalize("NFKC", name.replace("\\", "/").rsplit("/", 1)[-1]).strip().casefold()


# ---------------------------------------------------------------- the record (收件记录.json/.xlsx)


def read_record(path: Path) -> tuple[ReceiptBook, list[Problem]]:
    """Read 收件记录.json; an unreadable record is a problem, never an exception."""
    shown = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("receipts"), list):
            raise ValueError("not a receipt record")
        book = ReceiptBook(
            [_sourced(Receipt.from_dict(r), shown) for r in data["receipts"]],
            list(data.get("messages") or []),
            [shown],
        )
    except OSError as exc:
        return ReceiptBook(), [problem("RECEIPT_RECORD_UNREADABLE", file=shown, reason=os_error_text(exc))]
    except (ValueError, TypeError, KeyError, AttributeError):
        return ReceiptBook(), [problem("RECEIPT_RECORD_UNREADABLE", file=shown, reason="内容不是有效的收件记录")]
    return book, []


def _sourced(receipt: Receipt, source: str) -> Receipt:
    return receipt if receipt.source else replace(receipt, source=source)


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_record(folder: Path, book: ReceiptBook, *, people: bool = True) -> None:
    """收件记录.json (for the tools) and, with `people`, 收件记录.xlsx, each replaced whole."""
    text = json.dumps(book.to_json(), ensure_ascii=False, indent=2) + "\n"
    atomic_write(folder / RECORD_JSON, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    if people:
        atomic_write(folder / RECORD_XLSX, lambda tmp: _write_record_xlsx(tmp, book))


RECORD_HEADER = ["序号", "报送单位", "材料", "渠道", "收到时间（北京时间）", "经办人", "发件地址", "邮件主题",
                 "邮件发送时间", "原文件名", "保存位置", "备注", "文件指纹"]  # fmt: skip
RECORD_WIDTHS = [5, 12, 9, 6, 18, 9, 20, 26, 17, 30, 34, 24, 66]


def _write_record_xlsx(path: Path, book: ReceiptBook) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    mark_output(wb, "收件记录", "")
    font = {"font_name": "宋体", "valign": "vcenter", "font_size": 10}
    head = wb.add_format({**font, "bold": True, "border": 1, "bg_color": "#D9E1F2", "text_wrap": True})
    text = wb.add_format({**font, "border": 1, "text_wrap": True})
    ws = wb.add_worksheet("收件记录")
    ws.write_row(0, 0, RECORD_HEADER, head)
    ws.set_row(0, 28)
    ordered = sorted(book.receipts, key=lambda r: (r.received_at, r.saved_as or ""))
    for row, r in enumerate(ordered, start=1):
        sent = f"{r.sent_at.astimezone(OFFICE_TZ):%Y-%m-%d %H:%M}" if r.sent_at else ""
        values = [str(row), r.sender or "", r.material or "", r.channel, r.shown_time(), r.received_by or "",
                  r.address or "", r.subject or "", sent, r.file or "", r.saved_as or "", r.note, r.sha256 or ""]  # fmt: skip
        for col, value in enumerate(values):
            ws.write_string(row, col, value, text)
        # Rows as tall as their wrapped text (spreadsheet programs do not re-measure on opening).
        lines = max(
            -(-display_width(v) // max(int(w * 0.95), 1)) for v, w in zip(values[:-1], RECORD_WIDTHS, strict=False)
        )
        ws.set_row(row, 13.5 * max(lines, 1) + 2)
    _list_layout(ws, RECORD_WIDTHS, len(ordered))
    ws.print_area(0, 0, max(len(ordered), 1), len(RECORD_HEADER) - 2)  # the hash is for programs, not paper
    _write_unsaved_sheet(wb, book, head, text)
    wb.close()


def _list_layout(ws: Any, widths: list[int], rows: int) -> None:
    """A list under one header row: filtered, frozen, printed landscape on A4, one page wide."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(rows, 1), len(widths) - 1)
    page_setup(ws, owner="", title=ws.name, last_row=max(rows, 1), last_col=len(widths) - 1, repeat_row=0)


UNSAVED_HEADER = ["序号", "收到时间（北京时间）", "报送单位或发件人", "发件地址", "邮件主题", "情况", "说明"]
UNSAVED_WIDTHS = [5, 18, 16, 22, 30, 10, 60]


def unsaved_messages(book: ReceiptBook) -> list[list[str]]:
    """The fetched messages that left no file: no attachment, too large, or set aside, with why."""
    rows = []
    for m in book.messages:
        status = m.get("status")
        if status in (None, "已保存"):
            continue
        when = datetime.fromisoformat(m["received_at"]).astimezone(OFFICE_TZ) if m.get("received_at") else None
        why = m.get("reason") or m.get("text") or (f"{m['size'] / 1048576:.1f} MB" if m.get("size") else "")
        rows.append([f"{when:%Y-%m-%d %H:%M}" if when else "", m.get("sender") or m.get("display") or "",
                     m.get("address") or "", m.get("subject") or "", str(status), f"{why}（邮件编号 {m.get('uid')}）"])  # fmt: skip
    return rows


def _write_unsaved_sheet(wb: Any, book: ReceiptBook, head: Any, text: Any) -> None:
    ws = wb.add_worksheet("未保存的邮件")
    ws.write_row(0, 0, UNSAVED_HEADER, head)
    rows = unsaved_messages(book)
    for row, values in enumerate(rows, start=1):
        for col, value in enumerate([str(row), *values]):
            ws.write_string(row, col, value, text)
    _list_layout(ws, UNSAVED_WIDTHS, len(rows))


# ---------------------------------------------------------------- the hand-kept register (收件登记.xlsx)


@dataclass(frozen=True)
class Names:
    """Who can send something: the rubric's departments and units, by any of their names."""

    canonical: dict[str, str]

    @classmethod
    def of(cls, rubric: Rubric) -> Names:
        index: dict[str, str] = {}
        for ev in rubric.evaluators:
            for n in (ev.name, ev.full_name, *ev.aliases):
                index.setdefault(_key(n), ev.name)
        for unit in rubric.units:
            for n in (unit.name, unit.full_name):
                index.setdefault(_key(n), unit.name)
        return cls(index)

    def resolve(self, text: str) -> str | None:
        """The canonical name for a name, or for a file name containing one (the longest)."""
        key = _key(text)
        if key in self.canonical:
            return self.canonical[key]
        hits = [n for n in self.canonical if n and n in key]
        return self.canonical[max(hits, key=len)] if hits else None


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


FILE_NAME = re.compile(r"\.[A-Za-z0-9]{2,5}$")


def looks_like_file(text: str) -> bool:
    return bool(FILE_NAME.search(text.strip()))


def read_register(path: Path, rubric: Rubric, *, today: date | None = None,
                  limits: Limits | None = None) -> tuple[list[Receipt], list[Problem]]:  # fmt: skip
    """Read the office's 收件登记.xlsx: one receipt per filled row; each bad cell a problem."""
    shown = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [problem("RECEIPT_RECORD_UNREADABLE", file=shown, reason=os_error_text(exc))]
    pkg, problems = open_package(data, shown, limits or Limits())
    if pkg is None:
        return [], problems
    try:
        rows = _sheet_rows(path)
    except Exception:  # openpyxl raises many kinds on a damaged file; it is the file's problem
        return [], [problem("RECEIPT_RECORD_UNREADABLE", file=shown, reason="工作簿无法打开或已损坏")]
    return _register_receipts(rows, shown, rubric, today or datetime.now(OFFICE_TZ).date())


def _sheet_rows(path: Path) -> list[tuple[str, list[Any]]]:
    """(sheet name, rows of cell values) of the register sheet, or of the first sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[REGISTER_SHEET] if REGISTER_SHEET in wb.sheetnames else wb.worksheets[0]
        return [(ws.title, list(row)) for row in ws.iter_rows(values_only=True, max_col=20)]
    finally:
        wb.close()


def _register_receipts(
    rows: Sequence[tuple[str, list[Any]]], file: str, rubric: Rubric, today: date
) -> tuple[list[Receipt], list[Problem]]:
    sheet = rows[0][0] if rows else REGISTER_SHEET
    header_at, columns = _find_header(rows)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if header_at is None or missing:
        return [], [
            problem("RECEIPT_COLUMNS_MISSING", file=file, sheet=sheet, columns=missing or list(REQUIRED_COLUMNS))
        ]
    names = Names.of(rubric)
    receipts: list[Receipt] = []
    problems: list[Problem] = []
    for index in range(header_at + 1, len(rows)):
        values = rows[index][1]

        def get(column: str, values: list[Any] = values) -> Any:
            col = columns.get(column)
            return values[col] if col is not None and col < len(values) else None

        if all(_blank(get(c)) for c in REGISTER_COLUMNS):
            continue
        excel_row = index + 1

        def at(column: str, excel_row: int = excel_row) -> str:
            return f"{col_letter(columns[column])}{excel_row}"

        def report(code: str, column: str, **params: Any) -> None:
            problems.append(problem(code, file=file, sheet=sheet, cell=at(column), **params))

        who = _text(get("文件名或报送单位"))
        if not who:
            report("RECEIPT_NAME_UNKNOWN", "文件名或报送单位", value="（空白）")
            continue
        sender = names.resolve(who)
        is_file = looks_like_file(who)
        if sender is None and not is_file:
            report("RECEIPT_NAME_UNKNOWN", "文件名或报送单位", value=who)
        received, date_only, why = parse_received(get("收到时间"), rubric.year, today)
        if received is None:
            report("RECEIPT_DATE_INVALID", "收到时间", value=_text(get("收到时间")) or "（空白）", reason=why)
            continue
        channel_text = _text(get("渠道"))
        channel = parse_channel(channel_text)
        if channel is None:
            report("RECEIPT_CHANNEL_UNKNOWN", "渠道", value=channel_text or "（空白）",
                   channels=[str(c) for c in Channel])  # fmt: skip
        material = _text(get("材料")) or None
        if material and material not in MATERIALS:
            report("RECEIPT_MATERIAL_UNKNOWN", "材料", value=material, materials=list(MATERIALS))
        receipts.append(
            Receipt(
                received_at=received,
                channel=str(channel or Channel.OTHER),
                sender=sender,
                file=who if is_file else None,
                material=material,
                received_by=_text(get("经办人")) or None,
                date_only=date_only,
                source=f"{file} {at('收到时间')}",
                note=_text(get("备注")),
            )
        )
    return receipts, problems


def _find_header(rows: Sequence[tuple[str, list[Any]]]) -> tuple[int | None, dict[str, int]]:
    for index, (_sheet, values) in enumerate(rows[:10]):
        found = {_text(v): col for col, v in enumerate(values) if _text(v) in REGISTER_COLUMNS}
        if "收到时间" in found:
            return index, found
    return None, {}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_channel(text: str) -> Channel | None:
    key = text.strip().casefold()
    for channel in Channel:
        if key == channel.value.casefold():
            return channel
    return CHANNEL_ALIASES.get(key)


_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H时%M分", "%Y-%m-%d %H点%M分", "%Y-%m-%d %H点",
                 "%Y-%m-%d %H时")  # fmt: skip
_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d")


def parse_received(value: Any, year: int, today: date) -> tuple[datetime | None, bool, str]:
    """A hand-entered arrival time → (aware datetime, day only?, why not).

    Accepts Excel dates and times, Excel day numbers, and text such as 2023-04-28 15:30,
    2023/4/28, 2023.4.28, 2023年4月28日 15时30分; a time zone, when none is written, is Beijing time.
    A day before the assessed year or after today is refused: most likely a typing error.
    """
    if _blank(value):
        return None, False, "未填写"
    moment: datetime | None = None
    date_only = False
    if isinstance(value, datetime):
        moment = value
        date_only = value.time() == time(0, 0)
    elif isinstance(value, date):
        moment, date_only = datetime.combine(value, time(0, 0)), True
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if 30000 <= value <= 80000:  # an Excel day number (1982–2119)
            moment = datetime(1899, 12, 30) + timedelta(days=float(value))
            moment = moment.replace(microsecond=0)
            date_only = float(value).is_integer()
    else:
        moment, date_only = _parse_text(_text(value))
    if moment is None:
        return None, False, "无法识别为日期时间"
    moment = aware(moment)
    day = moment.astimezone(OFFICE_TZ).date()
    if day.year < year:
        return None, False, f"早于考核年度（{year}年）"
    if day > today:
        return None, False, "晚于今天"
    return moment, date_only, ""


def _parse_text(text: str) -> tuple[datetime | None, bool]:
    text = re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?", r"\1-\2-\3", text)
    text = re.sub(r"(?<=\d)[/.](?=\d)", "-", text)
    text = re.sub(r"\s+", " ", text.replace("T", " ")).strip()
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt), False
        except ValueError:
            continue
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt), True
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None, False
    return moment, False


def write_register_template(path: Path, rubric: Rubric) -> Path:
    """An empty 收件登记.xlsx for the office: the columns, drop-down lists, and the names it knows."""
    import xlsxwriter

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False})
        mark_output(wb, REGISTER_SHEET, rubric.office)
        font = {"font_name": "宋体", "valign": "vcenter"}
        title = wb.add_format({"font_name": "黑体", "bold": True, "font_size": 14})
        hint = wb.add_format({**font, "text_wrap": True, "font_color": "#595959"})
        head = wb.add_format({**font, "bold": True, "border": 1, "bg_color": "#D9E1F2", "align": "center"})
        cell = wb.add_format({**font, "border": 1})
        when = wb.add_format({**font, "border": 1, "num_format": "yyyy-mm-dd hh:mm"})
        ws = wb.add_worksheet(REGISTER_SHEET)
        ws.merge_range(0, 0, 0, len(REGISTER_COLUMNS) - 1, f"{rubric.year}年度质量工作考核收件登记", title)
        ws.merge_range(
            1, 0, 1, len(REGISTER_COLUMNS) - 1,
            "每收到一份材料登记一行（微信、U盘、办公系统、现场报送等；从办公邮箱收取的邮件已自动记录，不需登记）。"
            "“文件名或报送单位”填收到的文件名，或填部门/县区名称；收到时间按北京时间，如 2023-04-28 15:30。",
            hint,
        )  # fmt: skip
        ws.set_row(1, 36)
        ws.set_row(REGISTER_TITLE_ROWS, 24)
        ws.write_row(REGISTER_TITLE_ROWS, 0, REGISTER_COLUMNS, head)
        first, last = REGISTER_TITLE_ROWS + 1, REGISTER_TITLE_ROWS + 500
        for row in range(first, last + 1):
            if row < first + RULED_ROWS:
                ws.set_row(row, RULED_HEIGHT)  # a page of ruled rows tall enough to write in by hand
            for col in range(len(REGISTER_COLUMNS)):
                ws.write_blank(row, col, None, when if REGISTER_COLUMNS[col] == "收到时间" else cell)
        names = [ev.name for ev in rubric.form_evaluators()] + [u.name for u in rubric.units]
        lists = wb.add_worksheet("名录")
        lists.write_row(0, 0, ["部门和县区名称", "材料", "渠道"], head)
        for n, name in enumerate(names, start=1):
            lists.write_string(n, 0, name, cell)
        for n, material in enumerate(MATERIALS, start=1):
            lists.write_string(n, 1, material, cell)
        for n, channel in enumerate(Channel, start=1):
            lists.write_string(n, 2, str(channel), cell)
        lists.set_column(0, 0, 24)
        lists.set_column(1, 2, 12)
        lists.print_area(0, 4, 0, 4)  # the drop-downs' lookup: one blank cell, nothing printed
        pos = REGISTER_COLUMNS.index
        ws.data_validation(first, pos("材料"), last, pos("材料"),
                           {"validate": "list", "source": f"=名录!$B$2:$B${len(MATERIALS) + 1}",
                            "error_type": "warning", "error_message": "请从列表中选择材料类别。"})  # fmt: skip
        ws.data_validation(first, pos("渠道"), last, pos("渠道"),
                           {"validate": "list", "source": f"=名录!$C$2:$C${len(Channel) + 1}",
                            "error_type": "warning", "error_message": "请从列表中选择收件渠道。"})  # fmt: skip
        ws.data_validation(first, pos("收到时间"), last, pos("收到时间"),
                           {"validate": "date", "criteria": ">=", "value": datetime(rubric.year, 1, 1),
                            "error_type": "warning",
                            "error_message": "请填写日期时间，如 2023-04-28 15:30。"})  # fmt: skip
        for c, width in enumerate([34, 12, 8, 18, 10, 30]):
            ws.set_column(c, c, width)
        ws.freeze_panes(REGISTER_TITLE_ROWS + 1, 0)
        page_setup(ws, owner=rubric.office, title=f"{rubric.year}年度质量工作考核收件登记",
                   last_row=first + RULED_ROWS - 1, last_col=len(REGISTER_COLUMNS) - 1, repeat_row=REGISTER_TITLE_ROWS)  # fmt: skip
        wb.close()

    atomic_write(path, write)
    return path


# ---------------------------------------------------------------- finding the receipts of a returned folder


def load_receipts(folder: Path, rubric: Rubric, *, extra: Sequence[Path] = (),
                  today: date | None = None) -> tuple[ReceiptBook, list[Problem]]:  # fmt: skip
    """The receipts for a returned folder: its 收件记录.json and 收件登记.xlsx (when present), and
    any other record or register given explicitly."""
    book = ReceiptBook()
    problems: list[Problem] = []
    paths = [p for p in (folder / RECORD_JSON, folder / REGISTER_XLSX) if p.is_file()] if folder.is_dir() else []
    paths += [p for p in extra if p not in paths]
    for path in paths:
        if path.suffix.lower() == ".json":
            found, found_problems = read_record(path)
            book.add(found.receipts)
            book.messages += found.messages
        else:
            receipts, found_problems = read_register(path, rubric, today=today)
            book.add(receipts)
        book.sources.append(path.name)
        problems += found_problems
    return book, problems


def late_problem(receipt: Receipt, deadline: date, *, file: str | None, who: str, material: str,
                 rejects: bool) -> Problem | None:  # fmt: skip
    """A problem when the receipt is after the deadline: a warning for a department's form (a late
    form still counts, else every unit would lose those items), an error for a unit's material
    (逾期报送的，将不予采用)."""
    if not receipt.late_for(deadline):
        return None
    return problem(
        "RECEIPT_MATERIAL_LATE" if rejects else "RECEIPT_FORM_LATE",
        file=file,
        who=who,
        material=material,
        received=receipt.shown_time(),
        channel=receipt.channel,
        deadline=f"{deadline:%Y-%m-%d}",
    )
