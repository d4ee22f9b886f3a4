"""`qe mail chase`: a ready e-mail for every department whose return is missing, rejected or
needs correcting, written from a finished run (its audit.json and problems.json).

Each e-mail goes to the department's address in the rubric, says in Chinese what is wrong, file by
file and cell by cell with the fix, and carries the department's blank form again when it must fill
one in anew. Drafts are .eml files any mail client opens (`X-Unsent: 1` makes Outlook open them
ready to send); `send_chases` sends them over SMTP and logs every attempt.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import json
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from ..choices import SEND_LOG as SEND_LOG
from ..dates import chinese_date
from ..file_names import safe_file_name
from ..forms.layout import form_file_name
from ..intake.receipts import OFFICE_TZ
from ..intake.standing import Standing, standing
from ..intake.submission import Status
from ..outputs.run_record import read_run
from ..problems import Problem, problem
from ..rubric import Evaluator, Rubric
from ..run_folder import new_run_folder
from ..units.materials import CONTACTS_FILE, REPORT_TEMPLATE_FILE, SELF_SCORE_FILE
from ..units.report_out import MERGED_FILE, STATUS_FILE
from .server import MailServer, MailServerError, smtp_connect

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class Reason:
    """Why a department or a unit is chased: a department's in the words of its standing."""

    MISSING = str(Standing.MISSING)
    REJECTED = str(Standing.RETURNED)
    UNUSABLE = str(Standing.UNUSABLE)
    CONFLICT = Status.CONFLICT.label
    CORRECT = str(Standing.ADOPTED_TO_CORRECT)
    MATERIALS_MISSING = "未报送"
    MATERIALS_CORRECT = "需更正"


@dataclass(frozen=True)
class Recipient:
    """Who is chased: a department (for its form) or an assessed unit (for its materials)."""

    name: str
    full_name: str
    email: str
    unit: bool = False

    @classmethod
    def of(cls, ev: Evaluator) -> Recipient:
        return cls(ev.name, ev.full_name, ev.email)


@dataclass
class Chase:
    recipient: Recipient
    reason: str
    lines: list[str]  # one per problem: where (file, sheet, cell) and what to do
    attachments: list[Path]
    message: EmailMessage
    draft: Path | None = None

    @property
    def to(self) -> str:
        return self.recipient.email


@dataclass
class ChaseReport:
    chases: list[Chase] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    folder: Path | None = None
    sent: list[Chase] = field(default_factory=list)


def _where(p: dict[str, Any]) -> str:
    parts = [f"文件 {p['file']}" if p.get("file") else "", f"工作表“{p['sheet']}”" if p.get("sheet") else "",
             f"单元格 {p['cell']}" if p.get("cell") else ""]  # fmt: skip
    where = "，".join(x for x in parts if x)
    return f"{where}：" if where else ""


def plan_chases(files: list[dict[str, Any]], found: list[dict[str, Any]], rubric: Rubric) -> list[tuple[Evaluator, str, list[str], bool]]:  # fmt: skip
    """(department, reason, problem lines, must fill a blank form again) for each one to chase."""
    owner = {f.get("file"): f.get("evaluator") for f in files}
    plans: list[tuple[Evaluator, str, list[str], bool]] = []
    for ev in rubric.form_evaluators():
        own_files = [f for f in files if f.get("evaluator") == ev.name]
        mine = [p for p in found
                if (p.get("file") and owner.get(p.get("file")) == ev.name)
                or (p.get("params") or {}).get("evaluator") == ev.name]  # fmt: skip
        errors = [p for p in mine if p.get("severity") == "error" and not str(p.get("code")).startswith("SUBMISSION_")]
        adopted = {f.get("file") for f in own_files if f.get("decision") == Status.ACCEPTED}
        cells = [p for p in errors if p.get("file") in adopted]  # what the adopted form still needs corrected
        state = standing((str(f.get("decision")) for f in own_files), len(cells))
        if state is Standing.MISSING:
            plans.append((ev, Reason.MISSING, [], True))
        elif state is Standing.RETURNED and any(f.get("decision") == Status.CONFLICT for f in own_files):
            names = "、".join(str(f["file"]) for f in own_files)
            plans.append((ev, Reason.CONFLICT, [f"收到内容不同的多份评价表：{names}，无法确定以哪一份为准。"], False))
        elif state in (Standing.RETURNED, Standing.UNUSABLE):
            lines = [f"{_where(p)}{p['message']}" for p in errors]
            plans.append((ev, Reason.REJECTED if state is Standing.RETURNED else Reason.UNUSABLE, lines, True))
        elif state is Standing.ADOPTED_TO_CORRECT:
            plans.append((ev, Reason.CORRECT, [f"{_where(p)}{p['message']}" for p in cells], False))
    return plans


def _when(deadline: date, today: date) -> str:
    return (
        f"请于 {chinese_date(deadline)} 前"
        if today <= deadline
        else f"截止日期（{chinese_date(deadline)}）已过，请尽快"
    )


def _form_body(rubric: Rubric, reason: str, attach: bool, today: date) -> tuple[str, str]:
    when = _when(rubric.return_deadline, today)
    opening = {
        Reason.MISSING: f"截至 {chinese_date(today)}，{rubric.office}尚未收到贵单位的{rubric.year}年度质量工作考核评价表。",
        Reason.REJECTED: "贵单位报送的评价表因以下问题未能采用：",
        Reason.UNUSABLE: "贵单位报送的文件已收到，但不是可以读取的评价表，无法采用：",
        Reason.CONFLICT: "贵单位报送的评价表存在以下情况：",
        Reason.CORRECT: "贵单位报送的评价表已收到，但以下单元格需要更正：",
    }[reason]
    if attach:
        ask = (f"现将贵单位的评价表（空白）随本邮件再次发送。{when}在此表中填写“实际得分”“评价说明”和“填报日期”，"
               "不要修改表格其他内容，保存后以 Excel 文件（.xlsx）回复本邮件。")  # fmt: skip
    elif reason == Reason.CONFLICT:
        ask = f"{when}回复本邮件说明以哪一份为准，或只重新发送最终的一份。"
    else:
        ask = f"{when}在原评价表中更正上述单元格，保存后以 Excel 文件（.xlsx）回复本邮件。"
    return opening, ask


def _materials_body(rubric: Rubric, reason: str, attach: bool, today: date) -> tuple[str, str]:
    when = _when(rubric.materials_deadline, today)
    opening = (f"截至 {chinese_date(today)}，{rubric.office}收到的贵单位{rubric.year}年度质量工作自评材料有以下问题"
               "（逾期报送的，按方案不予采用）：")  # fmt: skip
    ask = f"{when}按上述说明补报或修改后回复本邮件。"
    if attach:
        ask = f"现将需要补报材料的模板随本邮件再次发送。{ask}"
    return opening, ask


def _body(rubric: Rubric, who: Recipient, reason: str, lines: list[str], attach: bool, today: date) -> str:
    office = rubric.evaluator(rubric.office)
    contact = f"（电话 {office.phone}）" if office and office.phone else ""
    opening, ask = (_materials_body if who.unit else _form_body)(rubric, reason, attach, today)
    body = [f"{who.full_name or who.name}：", "", f"    {opening}"]
    body += [f"    {n}. {line}" for n, line in enumerate(lines, start=1)]
    body += ["", f"    {ask}", f"    如有疑问，请与{rubric.office}联系{contact}。", "",
             f"{rubric.office_full_name or rubric.office}", f"{chinese_date(today)}", ""]  # fmt: skip
    return "\r\n".join(body)


ATTACHMENT_TYPES = {
    ".xlsx": XLSX_TYPE,
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def compose(rubric: Rubric, who: Recipient, reason: str, lines: list[str], attachments: list[Path], sender: str,
            now: datetime) -> EmailMessage:  # fmt: skip
    msg = EmailMessage(policy=SMTP)
    what = "自评材料" if who.unit else "评价表"
    msg["Subject"] = f"【催报】{rubric.year}年度质量工作考核{what}（{who.name}，{reason}）"
    msg["From"] = Address(rubric.office_full_name or rubric.office, addr_spec=sender) if sender else rubric.office
    if who.email:
        msg["To"] = Address(who.full_name or who.name, addr_spec=who.email)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg["X-Unsent"] = "1"
    msg.set_content(_body(rubric, who, reason, lines, bool(attachments), now.date()), charset="utf-8")
    for path in attachments:
        kind = ATTACHMENT_TYPES.get(path.suffix.lower(), ("application", "octet-stream"))
        msg.add_attachment(path.read_bytes(), *kind, filename=path.name)
    return msg


def chase_drafts(run_dir: Path, rubric: Rubric, *, forms_dir: Path | None, packages_dir: Path | None = None,
                 sender: str | None = None, now: datetime | None = None) -> ChaseReport:  # fmt: skip
    """The e-mails to write for a run of `qe collect` (departments) or of `qe units check` (units);
    nothing is written or sent here."""
    report = ChaseReport()
    now = now or datetime.now(OFFICE_TZ)
    office = rubric.evaluator(rubric.office)
    sender = sender or (office.email if office else "")
    if (run_dir / STATUS_FILE).is_file():
        plans = plan_unit_chases(run_dir, rubric, packages_dir)
    else:
        run, refusal = read_run(run_dir, official="mails")
        if run is None:
            invalid = refusal[0].code == "REPORT_RUN_INVALID"  # neither kind of run
            report.problems += [problem("CHASE_RUN_INVALID", run=str(run_dir))] if invalid else refusal
            return report
        plans = [(Recipient.of(ev), reason, lines, [forms_dir / form_file_name(rubric, ev)] if refill and forms_dir else [])
                 for ev, reason, lines, refill in plan_chases(run.files, run.run_problems, rubric)]  # fmt: skip
    for who, reason, lines, wanted in plans:
        attachments = [path for path in wanted if path.is_file()]
        for path in wanted:
            if not path.is_file():
                report.problems.append(problem("CHASE_FORM_MISSING", evaluator=who.name, path=str(path)))
        if not who.email:
            report.problems.append(problem("CHASE_NO_ADDRESS", evaluator=who.name))
        message = compose(rubric, who, reason, lines, attachments, sender, now)
        report.chases.append(Chase(who, reason, lines, attachments, message))
    return report


MISSING_CODES = {"UNIT_REPORT_MISSING": REPORT_TEMPLATE_FILE, "UNIT_CONTACTS_MISSING": CONTACTS_FILE,
                 "UNIT_CONTACTS_UNSIGNED": CONTACTS_FILE, "UNIT_CONTACTS_FORMAT_FILE": CONTACTS_FILE,
                 "UNIT_SELF_SCORE_MISSING": SELF_SCORE_FILE, "UNIT_SELF_SCORE_FORMAT_FILE": SELF_SCORE_FILE}  # fmt: skip


def plan_unit_chases(run_dir: Path, rubric: Rubric, packages_dir: Path | None) -> list[tuple[Recipient, str, list[str], list[Path]]]:  # fmt: skip
    """Each unit with a missing or faulty material (a late one is not chased: it is not used anyway)."""
    try:
        found = json.loads((run_dir / "problems.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        found = []
    emails = _unit_emails(run_dir / MERGED_FILE)
    plans = []
    for unit in rubric.units:
        mine = [p for p in found if isinstance(p, dict) and p.get("severity") == "error"
                and (p.get("params") or {}).get("unit") == unit.name]  # fmt: skip
        if not mine:
            continue
        lines = [f"{_where(p)}{p['message']}" for p in mine]
        templates = sorted({MISSING_CODES[p["code"]] for p in mine if p.get("code") in MISSING_CODES})
        attach = [packages_dir / unit.name / name for name in templates] if packages_dir else []
        missing_only = all(
            p.get("code") in ("UNIT_REPORT_MISSING", "UNIT_CONTACTS_MISSING", "UNIT_SELF_SCORE_MISSING") for p in mine
        )
        who = Recipient(unit.name, unit.full_name, emails.get(unit.name, ""), unit=True)
        plans.append((who, Reason.MATERIALS_MISSING if missing_only else Reason.MATERIALS_CORRECT, lines, attach))
    return plans


def _unit_emails(path: Path) -> dict[str, str]:
    """The first e-mail address of each unit's contact people, from the merged contact list."""
    import openpyxl

    emails: dict[str, str] = {}
    try:
        wb = openpyxl.load_workbook(path, read_only=True)
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
    except Exception:  # no list, or a damaged one: the drafts go without an address
        return emails
    if not rows:
        return emails
    header = [str(v or "") for v in rows[0]]
    if "被考核单位" not in header or "邮箱" not in header:
        return emails
    at_unit, at_email = header.index("被考核单位"), header.index("邮箱")
    for row in rows[1:]:
        unit, email = row[at_unit], row[at_email]
        if unit and email and "@" in str(email):
            emails.setdefault(str(unit), str(email).strip())
    return emails


def write_drafts(chases: Sequence[Chase], folder: Path) -> list[Path]:
    """One .eml per department in `folder` (a new run folder: nothing is overwritten)."""
    written = []
    for chase in chases:
        path = folder / safe_file_name(f"催报_{chase.recipient.name}.eml")
        path.write_bytes(chase.message.as_bytes(policy=SMTP))
        chase.draft = path
        written.append(path)
    return written


def send_chases(chases: Sequence[Chase], server: MailServer, password: str, log_folder: Path) -> tuple[list[Chase], list[Problem]]:  # fmt: skip
    """Send each e-mail that has an address; every attempt is appended to 发送记录.csv."""
    problems: list[Problem] = []
    sent: list[Chase] = []
    try:
        conn = smtp_connect(server, password)
    except MailServerError as exc:
        return [], [exc.problem]
    log = log_folder / SEND_LOG
    new = not log.exists()
    with log.open("a", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(["发送时间", "收件单位", "收件地址", "主题", "结果"])
        try:
            for chase in chases:
                if not chase.to:
                    continue
                message = _outgoing(chase.message, server.user)
                try:
                    conn.send_message(message)
                    result = "已发送"
                    sent.append(chase)
                except (smtplib.SMTPException, OSError) as exc:
                    result = f"发送失败：{type(exc).__name__}"
                    problems.append(problem("MAIL_SEND_FAILED", evaluator=chase.recipient.name, address=chase.to,
                                            reason=type(exc).__name__))  # fmt: skip
                writer.writerow([f"{datetime.now(OFFICE_TZ):%Y-%m-%d %H:%M:%S}", chase.recipient.name, chase.to,
                                 str(chase.message["Subject"]), result])  # fmt: skip
                fh.flush()
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                conn.quit()
    return sent, problems


def _outgoing(draft: EmailMessage, user: str) -> EmailMessage:
    """The draft as sent: from the logged-in account (servers refuse other senders), not a draft."""
    message = copy.deepcopy(draft)
    del message["X-Unsent"]
    if "@" in user:
        shown = draft["From"].addresses[0].display_name if draft["From"] and draft["From"].addresses else ""
        del message["From"]
        message["From"] = Address(shown, addr_spec=user)
    return message


def run_chase(run_dir: Path, rubric: Rubric, out_parent: Path, *, forms_dir: Path | None,
              packages_dir: Path | None = None, sender: str | None = None, now: datetime | None = None) -> ChaseReport:  # fmt: skip
    """Plan the e-mails and write them as .eml drafts into a new folder under `out_parent`."""
    report = chase_drafts(run_dir, rubric, forms_dir=forms_dir, packages_dir=packages_dir, sender=sender, now=now)
    if not report.chases:
        return report
    with new_run_folder(out_parent, now) as (tmp, finish):
        write_drafts(report.chases, tmp)
        report.folder = finish()
    for chase in report.chases:
        chase.draft = report.folder / chase.draft.name if chase.draft else None
    return report
