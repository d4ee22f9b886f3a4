"""A returned file and what became of it: the record every intake step reads and updates."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ..forms.check_code import ExpectedCode
from ..problems import Problem
from .check_values import Entry
from .receipts import Receipt


class Status(StrEnum):
    """What became of a returned file; the value is for programs (audit.json), `label` for people."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CONFLICT = "conflict"
    SUPERSEDED = "superseded"
    DUPLICATE = "duplicate"
    UNUSABLE = "unusable"  # received, but not a form that can be read (another format, a scan)
    COMPANION = "companion"  # a scan or printout sent beside the department's adopted form
    FAULTED = "faulted"  # this program failed while reading it: a defect here, nothing the department did

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.ACCEPTED: "已采用",
    Status.REJECTED: "退回",
    Status.CONFLICT: "退回（多份内容不同）",
    Status.SUPERSEDED: "已被更新的版本替代",
    Status.DUPLICATE: "重复文件（内容相同）",
    Status.UNUSABLE: "收到但无法采用",
    Status.COMPANION: "随附文件（不需采用）",
    Status.FAULTED: "读取时程序出错",
}


@dataclass
class Submission:
    """One returned .xlsx file and what became of it."""

    file: str
    sha256: str
    size: int
    evaluator: str | None = None
    claimed: str | None = None  # the evaluator the manifest names, even when it does not verify
    guessed: str | None = None  # for an unreadable file: the evaluator its file name suggests
    form_id: str | None = None
    fill_date: date | None = None
    status: Status = Status.REJECTED
    reason: str = ""
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    receipt: Receipt | None = None  # when and how the file arrived, from the receipt record
    check_code: ExpectedCode | None = None  # the 校验码 its stamped paper should show
    units: tuple[str, ...] = ()  # a correction form: the units whose rows it holds (empty: a full form)
    generated_at: str = ""  # when the office generated the form (its signed manifest)
    replaced: dict[str, str] = field(default_factory=dict)  # unit -> the correction form whose rows replace ours
    modified: float | None = None  # the file's modification time (seconds since the epoch)
    date_impossible: bool = False  # the fill date is after the receipt (or today): it orders nothing
    key: Hashable = None  # an accepted form: what makes another file the same return (its kind's key)

    @property
    def owner(self) -> str | None:
        """Whose return this is, as far as can be told (verified, claimed, or guessed from the name)."""
        return self.evaluator or self.claimed or self.guessed

    def values_key(self) -> tuple[object, ...]:
        return (self.fill_date, tuple((e.unit, e.item_id, e.raw, e.remark) for e in self.entries))

    def adopted_entries(self) -> list[Entry]:
        """The entries that count: those of units a correction form replaced are left out."""
        return [e for e in self.entries if e.unit not in self.replaced] if self.replaced else self.entries
