"""Enumerations and file names that the command line offers as choices or defaults.

They live here, free of heavy imports, so that `qe --help` and usage errors answer at once;
the library modules that act on them import them from here.
"""

from __future__ import annotations

from enum import StrEnum


class Prefer(StrEnum):
    """Which of several different forms from one evaluator is used (`--prefer`)."""

    LATEST = "latest"  # the one received last, else filled last, else saved last (the default)
    NEWEST = "newest"  # the one with the latest fill date, when exactly one has it
    NONE = "none"  # none of them: they are listed as a conflict

    @property
    def label(self) -> str:
        return PREFER_LABELS[self]


PREFER_LABELS = {
    Prefer.LATEST: "采用最后收到的一份（依次按收到时间、填报日期、文件修改时间）",
    Prefer.NEWEST: "采用填报日期最新的一份",
    Prefer.NONE: "都不采用，列为冲突",
}


class Stage(StrEnum):
    """The stage of a run's result, printed in the header of every document."""

    DRAFT = "初稿"
    CONSULTATION = "征求意见稿"
    APPROVED = "审定稿"
    ISSUED = "印发稿"


STAGES = list(Stage)
DRAFT_STAGE = Stage.DRAFT  # the stage a run's documents carry until the office approves it


class Disclose(StrEnum):
    """Which remarks the office shows to the unit."""

    ALL = "all"  # every remark
    SHORTFALLS = "shortfalls"  # remarks only where points were lost
    NONE = "none"  # no remarks


PROFILES = ("clean", "with-problems")  # simulated filling: complete and valid, or with planted errors
ADJUSTMENTS_FILE = "adjustments.xlsx"  # the meeting's adjustments
APPEALS_FILE = "异议登记.xlsx"  # the appeal register
RECEIPTS_XLSX = "收件登记.xlsx"  # the office's hand-kept receipt register
SEND_LOG = "发送记录.csv"  # chase e-mails sent
SECURITY = ("ssl", "starttls", "none")  # how the mail connection is secured
SETTINGS_FILE = "邮箱设置.toml"  # the mailbox settings beside the office's files
