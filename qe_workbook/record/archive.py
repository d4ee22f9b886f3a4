"""The archive of an approved run: what was received, what was decided, what was sent, and a
SHA-256 list a later `verify_archive` checks.

Layout of the archive folder (a new folder; nothing is ever overwritten):

    01_收到的评价表/   every received file exactly as received (checked against the run's audit.json)
    02_汇总表/         master.xlsx and the plain result files, with a PDF of master.xlsx
    03_印发文件/       the documents of the approved stage as sent, each with its PDF
    04_登记簿/         审定记录.json, the receipt records and any other registers of the run
    卷内目录.xlsx      the table of contents after DA/T 22-2015 (序号, 文号, 责任者, 题名, 日期, 页数, 备注; the
                      file's place in the archive beside them, on screen only)
    SHA256SUMS.txt     one line per file: its SHA-256 and its path (the format of sha256sum)

PDFs are made with LibreOffice when it is installed; otherwise the archive says so in 卷内目录.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

from ..dates import chinese_date
from ..documents.public_list import CSV_NAME, XLSX_NAME
from ..forms.layout import display_name
from ..forms.paper import page_setup, text_height
from ..intake.receipts import CHOICES_JSON, OFFICE_TZ, RECORD_FILES, RECORD_JSON, RECORD_XLSX, REGISTER_XLSX, Receipt
from ..outputs.run_record import read_run
from ..problems import Problem, has_errors, problem
from ..programs import find_soffice
from ..rubric import Rubric
from ..run_folder import RUN_MARKER
from ..scoring.self_scores import SELF_SCORES_FILE
from ..workbooks import mark_output
from .appeals import FILE_NAME as APPEALS_FILE
from .approval import ADJUSTMENTS_FILE, fingerprint
from .stages import APPROVAL_FILE, FINAL_STAGES, read_stages

RECEIVED, TABLES, DOCUMENTS, REGISTERS = "01_收到的评价表", "02_汇总表", "03_印发文件", "04_登记簿"
CONTENTS = "卷内目录.xlsx"
SUMS = "SHA256SUMS.txt"
PUBLIC_LIST_NAMES = (XLSX_NAME, CSV_NAME)
REGISTER_FILES = (APPROVAL_FILE, ADJUSTMENTS_FILE, APPEALS_FILE)
DRAFT_DOCUMENTS = (".docx", *PUBLIC_LIST_NAMES)  # the run's own 初稿 documents: the stage's documents are archived
TO_PDF = (".xlsx", ".docx")
CONVERT_SECONDS = 300


@dataclass
class ArchiveEntry:
    path: str  # relative to the archive, with /
    kind: str
    note: str = ""
    pages: int | None = None
    by: str = ""  # 责任者, when not the office
    day: date | None = None  # the file's date (as it came into the archive)


@dataclass
class ArchiveResult:
    folder: Path | None
    entries: list[ArchiveEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def archive_run(
    run_dir: Path, returned: Path, rubric: Rubric, out: Path, *, soffice: str | None = None
) -> ArchiveResult:
    """Archive an approved run into the new folder `out`; `returned` is the folder the run collected."""
    result = ArchiveResult(None)
    where = str(run_dir)
    approved = [r for r in read_stages(run_dir) if r.stage in FINAL_STAGES]
    if not approved:
        result.problems.append(problem("ARCHIVE_NOT_APPROVED", file=where))
        return result
    record = approved[-1]
    documents = _stage_documents(run_dir, record.stage)
    if fingerprint(run_dir, rubric, documents) != record.fingerprint:
        result.problems.append(problem("ARCHIVE_RUN_CHANGED", file=where, stage=record.stage, at=record.at))
        return result
    if out.exists() and any(out.iterdir()):
        result.problems.append(problem("ARCHIVE_OUT_NOT_EMPTY", file=str(out)))
        return result
    run, trouble = read_run(run_dir, official="documents")
    if run is None:
        result.problems += trouble
        return result
    received = _received(run.files, returned, result)
    if has_errors(result.problems):
        return result
    out.mkdir(parents=True, exist_ok=True)
    add = _adder(out, result)
    for relative, source, sender, day in received:
        evaluator = rubric.evaluator(sender) if sender else None  # a section as printed: 市市场监管局计量科
        add(
            source,
            f"{RECEIVED}/{relative}",
            "收到的评价表（原件）",
            display_name(evaluator) if evaluator else sender,
            day,
        )
    for path in sorted(run_dir.iterdir()):
        if path.is_file() and path.name not in REGISTER_FILES and not path.name.endswith(DRAFT_DOCUMENTS):
            add(path, f"{TABLES}/{path.name}", "汇总结果")
    if documents is not None:
        for path in sorted(p for p in documents.rglob("*") if p.is_file()):
            add(path, f"{DOCUMENTS}/{path.relative_to(documents).as_posix()}", f"{record.stage}文件")
    for name in REGISTER_FILES:
        if (run_dir / name).is_file():
            add(run_dir / name, f"{REGISTERS}/{name}", "登记簿")
    for name in RECORD_FILES:
        if (returned / name).is_file():
            add(returned / name, f"{REGISTERS}/{name}", "收件记录")
    _pdfs(out, result, soffice if soffice is not None else find_soffice())
    write_contents(out / CONTENTS, result.entries, rubric, record.stage)
    result.entries.append(ArchiveEntry(CONTENTS, "卷内目录"))
    write_sums(out, [e.path for e in result.entries])
    result.folder = out
    return result


def _received(
    files: list[dict[str, Any]], returned: Path, result: ArchiveResult
) -> list[tuple[str, Path, str, date | None]]:
    """Each input file of the run (audit.json's `files`), found in `returned` with the very SHA-256 it had, with
    its own date."""
    found = []
    for entry in files:
        relative, expected = str(entry["file"]), str(entry["sha256"])
        source = returned / relative
        if not source.is_file():
            result.problems.append(problem("ARCHIVE_INPUT_MISSING", file=relative, folder=str(returned)))
        elif expected and sha256_file(source) != expected:
            result.problems.append(problem("ARCHIVE_INPUT_CHANGED", file=relative))
        else:
            found.append((Path(relative).as_posix(), source, str(entry.get("evaluator") or ""), form_day(entry)))
    return found


def form_day(entry: dict[str, Any]) -> date | None:
    """A returned form's own date for the catalogue (DA/T 22 日期: when the document was made): the 填报日期 the
    department signed it on, else the day it was received (Beijing time); None: neither is known."""
    if entry.get("fill_date"):
        return date.fromisoformat(str(entry["fill_date"])[:10])
    receipt = entry.get("receipt")
    if receipt and receipt.get("received_at"):
        return Receipt.from_dict(receipt).received_at.astimezone(OFFICE_TZ).date()
    return None


def _stage_documents(run_dir: Path, stage: str) -> Path | None:
    """The folder of documents written when the run was given `stage` (the latest one)."""
    folders = sorted(p for p in (run_dir / stage).glob("*") if p.is_dir()) if (run_dir / stage).is_dir() else []
    return folders[-1] if folders else None


def _adder(out: Path, result: ArchiveResult) -> Callable[..., None]:
    def add(source: Path, relative: str, kind: str, by: str = "", day: date | None = None) -> None:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        made = day or date.fromtimestamp(source.stat().st_mtime)  # the office's files: the day it wrote them
        result.entries.append(ArchiveEntry(relative, kind, by=by, day=made))

    return add


def _pdfs(out: Path, result: ArchiveResult, soffice: str | None) -> None:
    """A PDF beside every table and document (not beside the received forms: those stay as received, their pages
    counted from a print made aside); each file's 页数 is its print's."""
    wanted = [e for e in result.entries if e.path.endswith(TO_PDF) and not e.path.startswith(RECEIVED)]
    if soffice:
        _count_received(out, result, soffice)
    if not wanted:
        return
    if not soffice:
        result.problems.append(problem("ARCHIVE_NO_PDF", count=len(wanted)))
        for entry in wanted:
            entry.note = "未转换为 PDF（本机未安装 LibreOffice）"
        return
    by_folder: dict[Path, list[ArchiveEntry]] = {}
    for entry in wanted:
        by_folder.setdefault((out / entry.path).parent, []).append(entry)
    with tempfile.TemporaryDirectory(prefix="qe-archive-") as profile:
        for folder, entries in by_folder.items():
            _convert(soffice, Path(profile), folder, [out / e.path for e in entries])
            for entry in entries:
                pdf = (out / entry.path).with_suffix(".pdf")
                if pdf.is_file():
                    pages = entry.pages = pdf_pages(pdf)
                    relative = pdf.relative_to(out).as_posix()
                    result.entries.append(ArchiveEntry(relative, f"{entry.kind}（PDF）", pages=pages, by=entry.by,
                                                       day=entry.day))  # fmt: skip
                else:
                    entry.note = "转换为 PDF 未成功"
                    result.problems.append(problem("ARCHIVE_PDF_FAILED", file=entry.path))


def _count_received(out: Path, result: ArchiveResult, soffice: str) -> None:
    """The pages each received form prints on, from PDFs made in a temporary folder (the archive keeps only the
    originals of what was received)."""
    received = [e for e in result.entries if e.path.startswith(RECEIVED) and e.path.endswith(TO_PDF)]
    if not received:
        return
    with tempfile.TemporaryDirectory(prefix="qe-archive-") as temp:
        prints = Path(temp) / "prints"
        prints.mkdir()
        for n, entry in enumerate(received):  # numbered copies: two folders may hold files of one name
            shutil.copyfile(out / entry.path, prints / f"{n}{Path(entry.path).suffix}")
        _convert(soffice, Path(temp) / "profile", prints, sorted(prints.iterdir()))
        for n, entry in enumerate(received):
            pdf = prints / f"{n}.pdf"
            entry.pages = pdf_pages(pdf) if pdf.is_file() else None


def _convert(soffice: str, profile: Path, folder: Path, files: list[Path]) -> None:
    args = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
            "--outdir", str(folder), *map(str, files)]  # fmt: skip
    try:
        subprocess.run(args, capture_output=True, timeout=CONVERT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return  # reported per file as ARCHIVE_PDF_FAILED


def pdf_pages(path: Path) -> int | None:
    """The number of pages of a PDF, from its page objects (enough for the table of contents)."""
    data = path.read_bytes()
    count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    return count or None


TITLES = {  # what a file of the tool's own is, as a reader calls it
    "master.xlsx": "考核汇总表", "results.json": "考核结果（数据文件）", "results.csv": "考核结果（逗号分隔文本）",
    "detail.json": "评分明细（数据文件）", "detail.csv": "评分明细（逗号分隔文本）",
    "problems.json": "问题清单（数据文件）", "problems.csv": "问题清单（逗号分隔文本）",
    "audit.json": "收件核验和采用记录（数据文件）", RUN_MARKER: "结果文件夹说明", "error.log": "程序错误记录",
    SELF_SCORES_FILE: "县区自评得分（数据文件）", APPROVAL_FILE: "审定记录（数据文件）", ADJUSTMENTS_FILE: "会议调整表",
    RECORD_JSON: "收件记录（数据文件）", RECORD_XLSX: "收件记录", REGISTER_XLSX: "收件登记",
    CHOICES_JSON: "选定的评价表版本（数据文件）",
}  # fmt: skip
KINDS = {".json": "（数据文件）", ".csv": "（逗号分隔文本）", ".txt": "（文本）"}
CONTENTS_HEADER = ["序号", "文号", "责任者", "题名", "日期", "页数", "备注", "档案中的位置"]  # printed up to 备注
CONTENTS_WIDTHS = [6, 10, 16, 54, 18, 6, 12, 50]  # 日期 wide enough for 2023年12月31日 in any renderer


def entry_title(entry: ArchiveEntry, year: int) -> str:
    """题名: what the archived file is, in words (a received form by its sender, a PDF as the PDF of its file)."""
    path = Path(entry.path)
    if path.suffix == ".pdf":
        return f"{TITLES.get(path.stem + '.xlsx', _named(path))}（PDF 版）"
    if entry.path.startswith(RECEIVED):
        return f"{entry.by or '未识别的部门'}报送的{year}年度质量工作考核评价表（原件）"
    if path.name in TITLES:
        return TITLES[path.name]
    return _named(path) + KINDS.get(path.suffix, "")


def _named(path: Path) -> str:
    """A document's name from its file name, with the folder that says what it is when the name does not
    (共性问题/乙局.docx: 乙局共性问题)."""
    stem = path.stem.replace("_", "")
    folder = path.parent.name if len(path.parts) > 2 else ""
    return stem if not folder or folder in stem else f"{stem}{folder}"


def write_contents(path: Path, entries: list[ArchiveEntry], rubric: Rubric, stage: str) -> None:
    """卷内目录.xlsx after DA/T 22-2015: one row per archived file, as tall as its text; 文号 left to be written
    in; the file's place in the archive in a last column that is not printed."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    mark_output(wb, "卷内目录", rubric.office)
    base = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "vcenter", "text_wrap": True}
    head = wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9E1F2"})
    cell = wb.add_format(base)
    center = wb.add_format({**base, "align": "center"})
    ws = wb.add_worksheet("卷内目录")
    title = f"{rubric.city}{rubric.year}年度政府质量工作考核档案卷内目录（{stage}）"
    last = len(CONTENTS_HEADER) - 2
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, title, wb.add_format({**base, "border": 0, "font_name": "黑体", "font_size": 14,
                                                        "align": "center"}))  # fmt: skip
    ws.set_row(1, text_height(list(zip(CONTENTS_HEADER, CONTENTS_WIDTHS, strict=True))))
    ws.write_row(1, 0, CONTENTS_HEADER, head)
    row = 1
    for row, entry in enumerate(sorted(entries, key=lambda e: e.path), start=2):
        values = [str(row - 1), "", entry.by or rubric.office, entry_title(entry, rubric.year),
                  chinese_date(entry.day) if entry.day else "", "" if entry.pages is None else str(entry.pages),
                  entry.note, entry.path]  # fmt: skip
        ws.set_row(row, text_height(list(zip(values, CONTENTS_WIDTHS, strict=True))))
        for col, value in enumerate(values):
            ws.write_string(row, col, value, center if col in (0, 4, 5) else cell)
    for col, width in enumerate(CONTENTS_WIDTHS):
        ws.set_column(col, col, width)
    ws.freeze_panes(2, 0)
    page_setup(ws, owner=rubric.office_full_name, title=title, last_row=row, last_col=last, repeat_row=1,
               landscape=False)  # fmt: skip
    wb.close()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(out: Path, relatives: list[str]) -> None:
    lines = [f"{sha256_file(out / r)}  {r}\n" for r in relatives]
    (out / SUMS).write_text("".join(lines), encoding="utf-8", newline="\n")


def verify_archive(folder: Path) -> list[Problem]:
    """Every file listed in SHA256SUMS.txt is there with its SHA-256, and nothing else was added."""
    sums = folder / SUMS
    if not sums.is_file():
        return [problem("ARCHIVE_NO_SUMS", file=str(folder))]
    problems: list[Problem] = []
    listed: set[str] = set()
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        expected, sep, relative = line.partition("  ")
        if not sep or len(expected) != 64:
            problems.append(problem("ARCHIVE_SUMS_LINE", file=SUMS, line=number))
            continue
        listed.add(relative)
        path = folder / relative
        if not path.is_file():
            problems.append(problem("ARCHIVE_FILE_MISSING", file=relative))
        elif sha256_file(path) != expected:
            problems.append(problem("ARCHIVE_FILE_CHANGED", file=relative))
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {SUMS}
    problems += [problem("ARCHIVE_FILE_EXTRA", file=extra) for extra in sorted(present - listed)]
    return problems
