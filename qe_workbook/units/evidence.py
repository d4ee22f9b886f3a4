"""`qe evidence check`: an evaluating department's (or a unit's own) tree of 印证材料.

Every file is classified by the folders above it: the unit (a folder named after it, or the
tree's own name or its parent's, as in 舞阳县/印证材料), the department (a folder named after it, optional) and the item (the deepest
folder named by an item id, "05-3" or "05-3 质量工作格局"). Expected: for each unit, every item
of the department(s) that needs evidence (附件1 备注, see materials.needs_materials) has at least
one good file. A 目录.xlsx covers the files in its folder and below: it must list each of them by
file name, and each file it lists must be there. Files are screened (empty, oversized,
encrypted, hostile) and never changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errorlog import ErrorLog
from ..forms.layout import cell_ref, display_name
from ..intake.read_form import cell_text
from ..intake.returns import Returns
from ..problems import Problem, has_errors, problem
from ..rubric import Evaluator, Item, Rubric, Unit
from .materials import find_unit, needs_materials
from .screen import LIMITS, screen, walk_files

ITEM_FOLDER = re.compile(r"^\s*(\d{1,2})\s*[-－—_]\s*(\d{1,2})(?!\d)")
INDEX_NAME = "目录"
ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz")


@dataclass
class EvidenceFile:
    file: str  # relative to the tree, with '/'
    unit: Unit | None
    evaluator: Evaluator | None  # the department folder it sits in, when there is one
    item: Item | None
    good: bool  # passed the screening


@dataclass
class Cell:
    unit: Unit
    evaluator: Evaluator
    item: Item
    files: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not needs_materials(self.item):
            return "不需提供"
        return f"{len(self.files)} 个文件" if self.files else "缺"


@dataclass
class EvidenceCheck:
    units: list[Unit]
    evaluators: list[Evaluator]
    cells: list[Cell]
    files: list[EvidenceFile]
    problems: list[Problem]
    errors: ErrorLog = field(default_factory=ErrorLog)  # tracebacks of internal errors, for error.log

    @property
    def clean(self) -> bool:
        return not has_errors(self.problems)


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _item_of(folder: str, rubric: Rubric) -> tuple[Item | None, bool]:
    """(item, looks like an item folder) for a folder name."""
    m = ITEM_FOLDER.match(unicodedata.normalize("NFKC", folder))
    if not m:
        return None, False
    item_id = f"{int(m.group(1)):02d}-{int(m.group(2))}"
    return next((i for i in rubric.items if i.id == item_id), None), True


def _evaluator_of(folder: str, rubric: Rubric) -> Evaluator | None:
    found = rubric.evaluator(folder.strip())
    if found:
        return found
    return next((ev for ev in rubric.evaluators if display_name(ev) == folder.strip()), None)


def check_evidence(
    root: Path, rubric: Rubric, *, evaluator: Evaluator | None = None, unit: Unit | None = None
) -> EvidenceCheck:
    own_unit = unit or find_unit(rubric, "/".join(root.resolve().parts[-2:]))  # 舞阳县/印证材料
    problems: list[Problem] = []
    files: list[EvidenceFile] = []
    indexes: list[tuple[PurePosixPath, str]] = []
    errors = ErrorLog()
    for path, shown in walk_files(root):
        rel = PurePosixPath(shown)
        if INDEX_NAME in path.stem and path.suffix.lower() in (".xlsx", ".xls", ".et", ".docx", ".doc"):
            indexes.append((rel, shown))
            continue
        if path.suffix.lower() in ARCHIVES:
            owner = find_unit(rubric, shown) or own_unit
            problems.append(problem("EVIDENCE_ARCHIVE", file=shown, unit=owner.name if owner else "县区"))
            continue
        try:
            screened = screen(path, shown)
            problems += screened.problems
            files.append(_classify(rel, shown, rubric, own_unit, evaluator, screened.data is not None, problems))
        except Exception as exc:  # a defect of this program, not of the file: the run goes on
            problems.append(errors.internal(shown, exc, file=shown))
    evaluators = _expected_evaluators(rubric, evaluator, own_unit, files)
    units = [own_unit] if own_unit else list(rubric.units)
    cells = _cells(rubric, units, evaluators, files)
    for c in cells:
        if needs_materials(c.item) and not c.files:
            problems.append(problem("EVIDENCE_ITEM_MISSING", unit=c.unit.name, evaluator=display_name(c.evaluator),
                                    item=c.item.id))  # fmt: skip
    with Returns(LIMITS) as returns:
        problems += _index_problems(root, indexes, files, rubric, own_unit, returns)
    return EvidenceCheck(units, evaluators, cells, files, problems, errors)


def _classify(
    rel: PurePosixPath,
    shown: str,
    rubric: Rubric,
    own_unit: Unit | None,
    wanted: Evaluator | None,
    good: bool,
    problems: list[Problem],
) -> EvidenceFile:
    folders = rel.parts[:-1]
    unit = find_unit(rubric, "/".join(folders)) or own_unit
    department = next((ev for ev in map(lambda f: _evaluator_of(f, rubric), folders) if ev), None)
    item: Item | None = None
    for folder in reversed(folders):
        found, looks = _item_of(folder, rubric)
        if looks and found is None:
            problems.append(problem("EVIDENCE_UNKNOWN_ITEM", file=shown, folder=folder))
            break
        if found:
            item = found
            break
    else:
        problems.append(problem("EVIDENCE_OUTSIDE_ITEM", file=shown))
    if unit is None:
        problems.append(problem("EVIDENCE_UNIT_UNKNOWN", file=shown))
    owner = wanted or department
    if item is not None and owner is not None and owner.name not in item.evaluators:
        problems.append(problem("EVIDENCE_OTHER_EVALUATOR", file=shown, item=item.id,
                                evaluators=list(item.evaluators), evaluator=display_name(owner)))  # fmt: skip
    return EvidenceFile(shown, unit, department, item, good)


def _expected_evaluators(
    rubric: Rubric, wanted: Evaluator | None, own_unit: Unit | None, files: list[EvidenceFile]
) -> list[Evaluator]:
    """The department asked for; for a unit's own tree, every department it owes evidence; else
    the departments whose folders appear, else those owning the items found."""
    if wanted:
        return [wanted]
    if own_unit:
        return [ev for ev in rubric.form_evaluators() if any(map(needs_materials, rubric.items_for(ev.name)))]
    named = {f.evaluator.name for f in files if f.evaluator}
    if not named:
        named = {ev for f in files if f.item for ev in f.item.evaluators}
    return [ev for ev in rubric.form_evaluators() if ev.name in named]


def _cells(rubric: Rubric, units: list[Unit], evaluators: list[Evaluator], files: list[EvidenceFile]) -> list[Cell]:
    cells = []
    for u in units:
        for ev in evaluators:
            for item in rubric.items_for(ev.name):
                hits = [f.file for f in files if f.good and f.unit == u and f.item == item
                        and (f.evaluator is None or f.evaluator == ev)]  # fmt: skip
                cells.append(Cell(u, ev, item, hits))
    return cells


def _index_problems(
    root: Path, indexes: list[tuple[PurePosixPath, str]], files: list[EvidenceFile], rubric: Rubric,
    own_unit: Unit | None, returns: Returns,
) -> list[Problem]:  # fmt: skip
    problems: list[Problem] = []
    covered: set[str] = set()
    for rel, shown in indexes:
        folder = rel.parent
        under = [f for f in files if PurePosixPath(f.file).is_relative_to(folder)]
        listed, found = _read_index(returns, root / shown, shown)
        problems += found
        if listed is None:
            continue
        names = {_key(PurePosixPath(f.file).name) for f in under}
        for row, cell, item_id, name in listed:
            if _key(PurePosixPath(name.replace("\\", "/")).name) not in names:
                problems.append(problem("EVIDENCE_LISTED_MISSING", file=shown, cell=cell, row=row, name=name,
                                        item=item_id or "未填"))  # fmt: skip
        listed_names = {_key(PurePosixPath(name.replace("\\", "/")).name) for _row, _cell, _item, name in listed}
        for f in under:
            covered.add(f.file)
            if _key(PurePosixPath(f.file).name) not in listed_names:
                unit = f.unit or own_unit
                problems.append(problem("EVIDENCE_UNLISTED", file=f.file, unit=unit.name if unit else "县区"))
    groups = {(f.unit.name if f.unit else "", display_name(f.evaluator) if f.evaluator else "") for f in files
              if f.file not in covered}  # fmt: skip
    for unit_name, evaluator_name in sorted(groups):
        problems.append(problem("EVIDENCE_NO_INDEX", unit=unit_name or "县区", evaluator=evaluator_name or "评价部门"))
    return problems


def _read_index(
    returns: Returns, path: Path, shown: str
) -> tuple[list[tuple[int, str, str, str]] | None, list[Problem]]:
    """The rows of a 目录.xlsx: (row number, cell of the name, 项目编号, 文件名) for every row naming a file."""

    def fail(reason: str) -> tuple[None, list[Problem]]:
        return None, [problem("EVIDENCE_INDEX_UNREADABLE", file=shown, reason=reason)]

    if path.suffix.lower() != ".xlsx":
        return fail("目录应为 .xlsx 工作簿")
    screened = screen(path, shown)
    if screened.data is None:
        return None, screened.problems
    raw, _found = returns.open(screened.data, shown)
    if raw is None:
        return fail("工作簿无法读取")
    grid: list[list[Any]] = raw.grid
    for r, row in enumerate(grid[:10]):
        header = {cell_text(v).replace(" ", ""): c for c, v in enumerate(row)}
        if "文件名" in header:
            name_col, item_col = header["文件名"], header.get("项目编号")
            listed = []
            for n in range(r + 1, len(grid)):
                name = cell_text(raw.cell(n, name_col)).strip()
                if name:
                    item = cell_text(raw.cell(n, item_col)).strip() if item_col is not None else ""
                    listed.append((n + 1, cell_ref(n, name_col), item, name))
            return listed, []
    return fail("找不到“文件名”表头")


def evidence_rows(check: EvidenceCheck) -> Iterable[list[str]]:
    for c in check.cells:
        yield [c.unit.name, display_name(c.evaluator), c.item.id, _short(c.item.text), c.status, "\n".join(c.files)]


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
