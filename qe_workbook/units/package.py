"""`qe units generate`: one folder per assessed unit with everything it needs to send its materials."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..documents.self_report_kind import SELF_REPORT
from ..documents.templating import require_templates
from ..intake.receipts import REGISTER_XLSX, write_register_template
from ..rubric import Rubric, Unit
from .contacts import write_contacts
from .guide import write_evidence_skeleton, write_guide
from .materials import CONTACTS_FILE, GUIDE_FILE, REPORT_TEMPLATE_FILE, SELF_SCORE_FILE
from .report_template import write_report_template
from .self_score import write_self_score


@dataclass(frozen=True)
class UnitPackage:
    unit: Unit
    folder: Path
    files: tuple[Path, ...]


@dataclass(frozen=True)
class PackagesResult:
    packages: list[UnitPackage]
    register: Path | None


def generate_packages(
    rubric: Rubric,
    out_dir: Path,
    key: bytes,
    *,
    generated_at: datetime | None = None,
    progress: Callable[[Unit], None] | None = None,
    templates: Path | None = None,
) -> PackagesResult:
    """Write out_dir/<unit>/ for every unit (never over an existing file of the same name); the 自评报告（模板） from
    the office's template in `templates` when it has one. A broken template raises `TemplateBroken` before anything
    is written."""
    require_templates((SELF_REPORT,), templates)
    when = (generated_at or datetime.now()).replace(microsecond=0)
    out_dir.mkdir(parents=True, exist_ok=True)
    packages = []
    for unit in rubric.units:
        folder = out_dir / unit.name
        folder.mkdir(exist_ok=True)
        report = write_report_template(rubric, unit, folder / REPORT_TEMPLATE_FILE, templates=templates)
        contacts = folder / CONTACTS_FILE
        write_contacts(rubric, unit, contacts, key, when)
        guide = write_guide(rubric, unit, folder / GUIDE_FILE)
        evidence = write_evidence_skeleton(rubric, unit, folder)
        files: tuple[Path, ...] = (report, contacts, guide, evidence)
        if rubric.self_scoring:
            write_self_score(rubric, unit, folder / SELF_SCORE_FILE, key, when)
            files += (folder / SELF_SCORE_FILE,)
        packages.append(UnitPackage(unit, folder, files))
        if progress:
            progress(unit)
    register = out_dir / REGISTER_XLSX
    if not register.exists():  # the office's own register: never overwritten, it may hold entries
        write_register_template(register, rubric)
    return PackagesResult(packages, register)
