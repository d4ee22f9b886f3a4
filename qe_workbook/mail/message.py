"""One fetched message → its attachments saved in their own folder, its receipts and its findings.

The folder is written under a temporary name and renamed when complete, so an interrupted fetch
never leaves half a message; the same bytes already received (a department sending twice) are
recorded again with their new arrival but not saved a second time, as long as the earlier copy is
one collect still reads. A message that cannot be handled (its structure, a name the disk refuses)
is set aside: recorded with its reason, its temporary folder removed, and the fetch goes on.
"""

from __future__ import annotations

import errno
import hashlib
import mimetypes
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from email import errors, message_from_bytes
from email.message import Message
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from ..file_names import safe_file_name
from ..intake.container import Limits
from ..intake.receipts import OFFICE_TZ, Channel, Names, Receipt, ReceiptBook
from ..intake.unpack import ARCHIVES_NOT_UNPACKED, unpack_zip
from ..problems import Problem, os_error_text, problem
from ..rubric import Rubric
from ..run_folder import RUN_MARKER, TMP_PREFIX
from .decode import address_of, attachment_name, body_text, header_text, sent_time
from .names import UNDECODABLE, file_name_for, fit_parts

MB = 1024 * 1024
SET_ASIDE = "已隔离"  # a message's status when it could not be handled
CLOUD_MARKERS = ("超大附件", "文件中转站", "云附件")  # how 126/163/QQ mail write a download link
BAD_ENCODING = (errors.InvalidBase64PaddingDefect, errors.InvalidBase64CharactersDefect,
                errors.InvalidBase64LengthDefect)  # fmt: skip
# Writing a file failed because of its name or its place among the message's files, not the disk.
NAME_ERRORS = {errno.ENAMETOOLONG, errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.EINVAL, errno.EILSEQ}
BAD_STRUCTURE = (errors.StartBoundaryNotFoundDefect, errors.CloseBoundaryNotFoundDefect,
                 errors.MultipartInvariantViolationDefect, errors.MissingHeaderBodySeparatorDefect)  # fmt: skip


@dataclass(frozen=True)
class MailLimits:
    """What a fetch accepts: generous for forms, reports and scanned evidence."""

    max_message_bytes: int = 100 * MB
    max_attachment_bytes: int = 50 * MB

    def zip_limits(self) -> Limits:
        return Limits(max_file_bytes=self.max_attachment_bytes)


@dataclass(frozen=True)
class Envelope:
    """What the server says about a message before it is read."""

    uidvalidity: int
    uid: int
    received_at: datetime  # the server's INTERNALDATE: when the message arrived
    size: int

    @property
    def mail_uid(self) -> str:
        return f"{self.uidvalidity}:{self.uid}"


@dataclass
class Saved:
    """What became of one message."""

    entry: dict[str, Any]  # the message's line in the record's "messages"
    receipts: list[Receipt] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def material_of(name: str) -> str | None:
    for word, material in (("自评报告", "自评报告"), ("联系人", "联系人员名单"), ("打分", "自评打分表"),
                           ("评价表", "评价表"), ("印证", "印证材料")):  # fmt: skip
        if word in name:
            return material
    return None


def too_large_entry(env: Envelope, limits: MailLimits) -> Saved:
    """A message over the size limit is listed, never downloaded."""
    when = f"{env.received_at.astimezone(OFFICE_TZ):%Y-%m-%d %H:%M}"
    entry = _entry(env, status="过大未下载")
    return Saved(entry, [], [problem("MAIL_MESSAGE_TOO_LARGE", uid=env.uid, received=when,
                                     size=f"{env.size / MB:.1f}", limit=limits.max_message_bytes // MB)])  # fmt: skip


def _entry(env: Envelope, **values: Any) -> dict[str, Any]:
    return {"mail_uid": env.mail_uid, "uid": env.uid, "received_at": env.received_at.isoformat(), "size": env.size,
            **values}  # fmt: skip


class _Writer:
    """The message's files, written into a temporary folder that becomes the message folder."""

    def __init__(self, out: Path, final: str) -> None:
        self.out, self.final = out, final
        self.tmp = out / f"{TMP_PREFIX}{final}"
        shutil.rmtree(self.tmp, ignore_errors=True)  # left by a run killed inside this message
        self.files: set[str] = set()
        self.folders: set[str] = set()
        self.numbers: dict[str, int] = {}  # a name taken → the next number to try for it

    def add(self, parts: tuple[str, ...], data: bytes) -> str:
        """Write a file; returns its path relative to `out` (in the final folder), '/'-separated.
        A name already taken by a file or a folder gets a number: 表(2).xlsx, 评价表(2)/."""
        *folders, name = fit_parts(parts)
        for level in range(len(folders)):
            base, n = folders[level], 2
            while "/".join(folders[: level + 1]).casefold() in self.files:
                folders[level], n = f"{base}({n})", n + 1
        stem, dot, ext = name.rpartition(".")
        candidate = "/".join([*folders, name])
        key = candidate.casefold()
        n = self.numbers.get(key, 2)
        while candidate.casefold() in self.files or candidate.casefold() in self.folders:
            candidate = "/".join([*folders, f"{stem}({n}).{ext}" if dot else f"{name}({n})"])
            n += 1
        self.numbers[key] = n  # the next attachment of this name starts there: no quadratic search
        self.files.add(candidate.casefold())
        self.folders.update("/".join(folders[: level + 1]).casefold() for level in range(len(folders)))
        target = self.tmp.joinpath(*candidate.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return f"{self.final}/{candidate}"

    def finish(self) -> None:
        if not self.files:
            return
        final = self.out / self.final
        if final.exists():  # left by a run that stopped before recording this message
            shutil.rmtree(final)
        os.replace(self.tmp, final)

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def folder_name(env: Envelope, who: str) -> str:
    """'20230428-100000_乙局_17': arrival, sender (at most 20 characters) and UID, unique per message."""
    local = env.received_at.astimezone(OFFICE_TZ)
    return f"{local:%Y%m%d-%H%M%S}_{safe_file_name(who, '未知发件人', 20)}_{env.uid}"


def collectable(out: Path, saved_as: str) -> bool:
    """Whether an earlier saved copy is still where collect reads it: present, a plain file, and
    in no folder collect skips (a temporary one, or one holding the run-folder marker)."""
    path = out.joinpath(*saved_as.split("/"))
    if any(p.startswith(TMP_PREFIX) for p in saved_as.split("/")) or path.is_symlink() or not path.is_file():
        return False
    return not any((folder / RUN_MARKER).exists() for folder in path.parents if out in folder.parents)


def set_aside(raw: bytes, env: Envelope, reason: str, error: str) -> Saved:
    """A message that could not be handled: recorded with its reason (never fetched again), its
    files left on the server for the office to download by hand."""
    try:
        subject = header_text(BytesHeaderParser().parsebytes(raw).get("Subject")) or "（无主题）"
    except Exception:  # the headers alone are as hostile as the rest
        subject = "（无法读取主题）"
    when = f"{env.received_at.astimezone(OFFICE_TZ):%Y-%m-%d %H:%M}"
    entry = _entry(env, status=SET_ASIDE, subject=subject, reason=reason, error=error)
    return Saved(entry, [], [problem("MAIL_MESSAGE_SET_ASIDE", uid=env.uid, received=when, subject=subject,
                                     reason=reason)])  # fmt: skip


def save_message(raw: bytes, env: Envelope, out: Path, book: ReceiptBook, rubric: Rubric, limits: MailLimits) -> Saved:
    """Parse one message and save what it carries under `out`. Never raises for its content: a
    message that cannot be handled is set aside (its temporary folder removed). Raises OSError only
    when the output folder itself fails (disk full, no permission), which stops the fetch."""
    try:
        return _save(raw, env, out, book, rubric, limits)
    except OSError as exc:
        if exc.errno not in NAME_ERRORS and not (exc.errno == errno.ENOENT and out.is_dir()):
            raise
        return set_aside(raw, env, f"其中的文件无法写入（{os_error_text(exc)}）", f"OSError {exc.errno}")
    except RecursionError:
        return set_aside(raw, env, "邮件的结构嵌套过深，无法解析", "RecursionError")
    except Exception as exc:  # one message no reader can handle must not stop the mailbox
        return set_aside(raw, env, "程序无法解析这封邮件", type(exc).__name__)


def _save(raw: bytes, env: Envelope, out: Path, book: ReceiptBook, rubric: Rubric, limits: MailLimits) -> Saved:
    msg = message_from_bytes(raw)
    subject = header_text(msg.get("Subject"))
    display, address = address_of(msg)
    names = Names.of(rubric)
    by_address = {ev.email.strip().lower(): ev.name for ev in rubric.evaluators if ev.email}
    sender = by_address.get(address) or (names.resolve(display) if display else None)
    sender = sender or (names.resolve(subject) if subject else None)
    who = sender or display or address.split("@")[0] or "未知发件人"
    when = f"{env.received_at.astimezone(OFFICE_TZ):%Y-%m-%d %H:%M}"
    base: dict[str, Any] = {"mail_uid": env.mail_uid, "received_at": env.received_at, "channel": str(Channel.MAIL),
            "received_by": "邮件自动收取", "address": address or None, "subject": subject or None,
            "message_id": header_text(msg.get("Message-ID")) or None, "sent_at": sent_time(msg)}  # fmt: skip
    saved = Saved(_entry(env, sender=sender, address=address, display=display, subject=subject,
                         message_id=base["message_id"],
                         sent_at=base["sent_at"].isoformat() if base["sent_at"] else None))  # fmt: skip
    where: dict[str, Any] = {"who": who, "received": when, "subject": subject or "（无主题）"}

    def report(code: str, **params: Any) -> None:
        saved.problems.append(problem(code, **where, **params))

    if any(isinstance(d, BAD_STRUCTURE) for part in msg.walk() for d in part.defects):
        report("MAIL_MALFORMED", detail="邮件结构不完整（可能在发送或转发时被截断）")
    writer = _Writer(out, folder_name(env, who))
    by_digest: dict[str, list[Receipt]] = {}
    for r in book.receipts:
        by_digest.setdefault(r.sha256 or "", []).append(r)
    written: dict[tuple[str, str], Receipt] = {}  # (digest, extension) → its copy in this message

    def keep(original: str, folders: tuple[str, ...], data: bytes, note: str = "") -> None:
        name, changes = file_name_for(original, data)
        digest = hashlib.sha256(data).hexdigest()
        kind = (digest, Path(name).suffix.lower())
        earlier = _earlier_copy(out, kind[1], by_digest.get(digest, [])) or written.get(kind)
        if earlier is not None:
            path = earlier.saved_as
            note = "；".join(x for x in (note, f"与 {earlier.shown_time()} 收到的文件内容相同，未重复保存") if x)
        else:
            path = writer.add((*folders, name), data)
            note = "；".join(x for x in (note, *changes) if x)
            if UNDECODABLE in original:
                report("MAIL_NAME_UNREADABLE", file_name=original, saved=path)
            elif changes:
                report("MAIL_NAME_CHANGED", file_name=original, saved=path, reason="；".join(changes))
        receipt = Receipt(**base, sender=sender or names.resolve(original), file=original,
                          material=material_of(original), sha256=digest, saved_as=path, note=note)  # fmt: skip
        saved.receipts.append(receipt)
        written.setdefault(kind, receipt)

    count = 0
    try:
        for part in msg.walk():
            if part.is_multipart():
                continue
            name = attachment_name(part)
            if name is None and part.get_content_disposition() != "attachment":
                continue
            count += 1
            name = name or f"附件{count}{mimetypes.guess_extension(part.get_content_type()) or '.bin'}"
            _attachment(part, name, keep, report, limits)
        text = body_text(msg)
        writer.finish()  # the last step that can fail: a message is either whole or not at all
    except BaseException:
        writer.discard()
        raise
    saved.entry.update(files=[r.saved_as for r in saved.receipts], folder=writer.final if writer.files else None)
    if count == 0:
        saved.entry.update(status="无附件", text=text)
        report("MAIL_NO_ATTACHMENT", text=text or "（正文为空）")
    else:
        saved.entry["status"] = "已保存"
    if any(marker in text for marker in CLOUD_MARKERS) or any(m in subject for m in CLOUD_MARKERS):
        report("MAIL_CLOUD_ATTACHMENT")
    return saved


def _attachment(part: Message, name: str, keep: Any, report: Any, limits: MailLimits) -> None:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        report("MAIL_MALFORMED", detail=f"附件“{name}”无法解码")
        return
    note = ""
    if any(isinstance(d, BAD_ENCODING) for d in part.defects):
        report("MAIL_MALFORMED", detail=f"附件“{name}”的编码有误，保存的文件可能不完整")
        note = "附件编码有误，可能不完整"
    if len(data) > limits.max_attachment_bytes:
        report("MAIL_ATTACHMENT_TOO_LARGE", file_name=name, size=f"{len(data) / MB:.1f}",
               limit=limits.max_attachment_bytes // MB)  # fmt: skip
        return
    safe = safe_file_name(name)
    lower = safe.lower()
    if lower.endswith(".zip"):
        unpacked = unpack_zip(data, limits.zip_limits())
        if unpacked.error:
            report("MAIL_ARCHIVE_UNSAFE", file_name=name, reason=unpacked.error)
        for entry, reason in unpacked.refused:
            report("MAIL_ARCHIVE_UNSAFE", file_name=f"{name} 中的 {entry}", reason=reason)
        stem = safe[:-4] or "压缩包"
        for member in unpacked.members:
            original = member.name.replace("\\", "/").rsplit("/", 1)[-1]
            keep(original, (stem, *member.path[:-1]), member.data, f"来自压缩包 {name}")
        return
    if lower.endswith(ARCHIVES_NOT_UNPACKED):
        report("MAIL_ARCHIVE_UNSUPPORTED", file_name=name)
    keep(name, (), data, note)


def _earlier_copy(out: Path, extension: str, same_bytes: list[Receipt]) -> Receipt | None:
    """The earliest copy of the same bytes already saved that collect reads as it would read this
    one: the same extension, still in place and in no folder collect skips. Else it is saved again."""
    return next((r for r in same_bytes if r.saved_as and Path(r.saved_as).suffix.lower() == extension
                 and collectable(out, r.saved_as)), None)  # fmt: skip
