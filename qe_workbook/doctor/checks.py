"""What the office's PC has for this tool: each check is data.

A `Check` is one row of the doctor's table: what was looked at, what was found, and the problems found
(`Problem` records from the catalogue in problems.py, so each missing piece carries its fix in Chinese and
is listed in docs/problems.md). A check without problems passed; the worst severity of its problems is its
outcome. The computer is ready when no check has an error: missing official fonts, LibreOffice or a key not
yet generated are warnings (the documents still open with substitute fonts, PDFs are only for the archive,
the key is made once a year with `qe keygen`).

Only light modules are imported at the top: this module must still report when a package is missing.
"""

from __future__ import annotations

import importlib
import os
import platform
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..documents.fonts import DOCUMENT_FONTS, DocumentFont, names_of
from ..keys import DEFAULT_KEY_PATH, read_key
from ..problems import Problem, Severity, os_error_text, problem
from ..programs import find_soffice
from .fonts import FontScan, installed_fonts
from .versions import (
    installed_version,
    modules_by_distribution,
    normalized,
    python_requirement,
    runtime_requirements,
    version_admits,
)

LOW_DISK = 1024**3  # below this a warning
FULL_DISK = 200 * 1024**2  # below this an error: a collection with its documents needs tens of MB


class Outcome(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"

    @property
    def label(self) -> str:
        return {"ok": "通过", "warning": "提醒", "error": "需处理"}[self.value]


@dataclass(frozen=True)
class Check:
    topic: str  # Python, 程序包, 字体, LibreOffice, 工作文件夹, 磁盘空间, 密钥, 考核细则
    subject: str  # pandas, 仿宋_GB2312, the folder …
    found: str  # what is there, for people
    problems: tuple[Problem, ...] = ()

    @property
    def outcome(self) -> Outcome:
        if any(p.severity is Severity.ERROR for p in self.problems):
            return Outcome.ERROR
        if any(p.severity is Severity.WARNING for p in self.problems):
            return Outcome.WARNING
        return Outcome.OK

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "subject": self.subject, "found": self.found, "outcome": str(self.outcome),
                "problems": [p.to_dict() for p in self.problems]}  # fmt: skip


@dataclass(frozen=True)
class DoctorReport:
    workspace: str
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def ready(self) -> bool:
        return all(c.outcome is not Outcome.ERROR for c in self.checks)

    @property
    def problems(self) -> list[Problem]:
        return [p for c in self.checks for p in c.problems]

    def to_dict(self) -> dict[str, Any]:
        return {"workspace": self.workspace, "ready": self.ready, "checks": [c.to_dict() for c in self.checks]}


# -- Python and the packages -------------------------------------------------------------------------------


def check_python(version: str | None = None) -> Check:
    found = version or platform.python_version()
    try:
        required = python_requirement()
    except Exception:  # the package's metadata is missing: reported by check_packages
        required = ""
    bits = "64 位" if platform.architecture()[0] == "64bit" else platform.architecture()[0]
    shown = f"{found}（{bits}，要求 {required or '无'}）"
    if required and not version_admits(required, found):
        return Check("Python", "Python", shown, (problem("DOCTOR_PYTHON_OLD", found=found, required=required),))
    return Check("Python", "Python", shown)


def check_packages() -> Iterator[Check]:
    """Each package the tool needs: installed, in a version meeting pyproject's requirement, importable."""
    try:
        requirements = runtime_requirements()
    except Exception:  # PackageNotFoundError: the tool itself is not installed as a package
        yield Check("程序包", "qe_workbook", "未安装", (problem("DOCTOR_NOT_INSTALLED"),))
        return
    modules = modules_by_distribution()
    for req in requirements:
        version = installed_version(req.name)
        wanted = req.spec or "任意版本"
        if version is None:
            yield Check("程序包", req.name, "未安装", (problem("DOCTOR_PACKAGE_MISSING", package=req.name, required=wanted),))  # fmt: skip
        elif not req.admits(version):
            yield Check("程序包", req.name, version, (problem("DOCTOR_PACKAGE_OLD", package=req.name, found=version,
                                                                required=wanted),))  # fmt: skip
        else:
            broken = _import_failure(modules.get(normalized(req.name), []))
            found = f"{version}（要求 {wanted}）"
            yield Check("程序包", req.name, found, (problem("DOCTOR_PACKAGE_BROKEN", package=req.name, reason=broken),)
                        if broken else ())  # fmt: skip


def _import_failure(modules: list[str]) -> str | None:
    """Why the package's first public module cannot be imported (a wheel for another system), or None."""
    if not modules:
        return None
    try:
        importlib.import_module(modules[0])
    except Exception as exc:  # any failure to load is what this check reports
        return f"{type(exc).__name__}: {exc}"
    return None


# -- fonts and LibreOffice ---------------------------------------------------------------------------------


def check_fonts(scan: FontScan | None = None, fonts: Iterable[DocumentFont] = DOCUMENT_FONTS) -> Iterator[Check]:
    """Each font the documents name: installed; else its fallback; else what will stand in for it."""
    scan = scan if scan is not None else installed_fonts()
    chinese = scan.chinese()
    if chinese is None:
        yield Check("字体", "中文字体", "无", (problem("DOCTOR_FONT_NO_CHINESE"),))
    for font in fonts:
        own = scan.find(names_of(font.name))
        if own is not None:
            yield Check("字体", font.name, f"已安装：{own.names[0]}（{own.path}）")
            continue
        fallback = scan.find(names_of(font.fallback)) if font.fallback else None
        if fallback is not None:
            found = f"未安装，以{font.fallback}代替（{fallback.path}）"
            yield Check("字体", font.name, found, (problem("DOCTOR_FONT_FALLBACK", font=font.name, use=font.use,
                                                                fallback=font.fallback),))  # fmt: skip
            continue
        stand_in = "系统默认字体" if font.name.isascii() or chinese is None else chinese.names[0]
        yield Check("字体", font.name, f"未安装，以{stand_in}代替", (problem("DOCTOR_FONT_MISSING", font=font.name,
                    use=font.use, substitute=stand_in),))  # fmt: skip


def check_libreoffice(soffice: str | None = None) -> Check:
    found = soffice if soffice is not None else find_soffice()
    if not found:
        return Check("LibreOffice", "soffice", "未找到", (problem("DOCTOR_SOFFICE_MISSING"),))
    return Check("LibreOffice", "soffice", found)


# -- the workspace: writable, disk, key, rubric ------------------------------------------------------------


def check_workspace(workspace: Path) -> Check:
    folder = str(workspace)
    if not workspace.is_dir():
        return Check("工作文件夹", folder, "不存在", (problem("DOCTOR_WORKSPACE_MISSING", file=folder),))
    try:
        fd, probe = tempfile.mkstemp(prefix=".qe-doctor-", dir=workspace)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = os_error_text(exc)
        return Check("工作文件夹", folder, "不能写入", (problem("DOCTOR_WORKSPACE_READONLY", file=folder, reason=reason),))  # fmt: skip
    return Check("工作文件夹", folder, "可以写入")


def check_disk(workspace: Path, free: int | None = None) -> Check:
    where = workspace if workspace.is_dir() else Path.cwd()
    free = free if free is not None else shutil.disk_usage(where).free
    shown = f"剩余 {free / 1024**3:.1f} GB"
    if free < LOW_DISK:
        severity = Severity.ERROR if free < FULL_DISK else Severity.WARNING
        low = problem("DOCTOR_DISK_LOW", file=str(where), severity=severity, free=f"{free / 1024**2:.0f} MB")
        return Check("磁盘空间", str(where), shown, (low,))
    return Check("磁盘空间", str(where), shown)


def check_key(path: Path) -> Check:
    key, problems = read_key(path)
    if key is not None:
        return Check("密钥", str(path), "有效")
    if problems and problems[0].code == "KEY_MISSING":
        return Check("密钥", str(path), "尚未生成", (problem("DOCTOR_KEY_MISSING", file=str(path)),))
    return Check("密钥", str(path), "无效", tuple(problems))


def check_rubric(path: Path | None) -> Check:
    """The rubric the tool would use in the workspace (its rubric.json, else the bundled one): valid?"""
    try:
        from ..rubric import BUNDLED_RUBRIC, load_rubric
        from ..rubric.view import rubric_counts
    except ImportError as exc:
        failed = problem("DOCTOR_CHECK_FAILED", what="考核细则", reason=f"{type(exc).__name__}: {exc}")
        return Check("考核细则", str(path or "rubric.json"), "无法检查", (failed,))
    chosen = path if path is not None and path.exists() else BUNDLED_RUBRIC
    subject = "内置的 2022 年度考核细则" if chosen == BUNDLED_RUBRIC else str(chosen)
    loaded = load_rubric(chosen)
    if loaded.rubric is None or not loaded.ok:
        return Check("考核细则", subject, "有错误", tuple(p for p in loaded.problems if p.severity is Severity.ERROR))
    counts = rubric_counts(loaded.rubric)
    found = f"有效：{counts['year']} 年度，{counts['units']} 个被考核单位，评分项目 {counts['score_items']} 项"
    notes = sum(1 for p in loaded.problems if p.severity is Severity.WARNING)
    return Check("考核细则", subject, found + (f"（另有 {notes} 条提醒，qe rubric check 查看）" if notes else ""))


def run_doctor(
    workspace: Path,
    *,
    key: Path | None = None,
    rubric: Path | None = None,
    scan: FontScan | None = None,
    soffice: str | None = None,
) -> DoctorReport:
    """Every check, in the order of the table: Python, packages, fonts, LibreOffice, the workspace.

    `key` and `rubric` default to the workspace's out/qe.key and rubric.json (else the bundled rubric)."""
    workspace = workspace.absolute()
    checks = [check_python(), *check_packages(), *check_fonts(scan), check_libreoffice(soffice)]
    checks += [check_workspace(workspace), check_disk(workspace)]
    checks += [check_key(key or workspace / DEFAULT_KEY_PATH), check_rubric(rubric or workspace / "rubric.json")]
    return DoctorReport(str(workspace), tuple(checks))
