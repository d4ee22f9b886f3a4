"""`qe units check`: what the assessed units sent the office — 自评报告, 联系人员名单 and, when the
rubric asks for self-scoring, 自评打分表.

Any folder layout: each file is attributed to a unit by what it says (the signed list's
manifest, the report's title, the list's title) or else by its path. Files are screened before
they are opened, and nothing in the folder is changed. For each unit and material the outcome is
已收到 (present and valid), 不符合 (present with errors), 逾期 (arrived after the deadline: not
used, 方案四) or 缺 (nothing received).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ..errorlog import ErrorLog
from ..intake.read_form import RawForm
from ..intake.receipts import RECORD_FILES, ReceiptBook, late_problem, load_receipts
from ..intake.returns import FormKind, Returns, SameReturn, same_returns
from ..problems import Problem, Severity, has_errors, problem
from ..rubric import Rubric, Unit
from ..rubric.model import ReportLimits
from .contacts import CONTACTS, ContactList, Person, read_contacts, signed_unit
from .materials import Material, find_unit, unit_materials
from .screen import LIMITS, TYPE_ONLY, Screened, screen, walk_files
from .self_report import ReportFacts, read_report
from .self_score import SELF_SCORE, SelfScore, is_self_score, read_self_score

REPORT_OTHER_FORMATS = {
    ".doc": "旧版 Word 文档（.doc）", ".wps": "WPS 文字文档（.wps）", ".pdf": "PDF 文件", ".odt": "ODF 文本文档（.odt）",
    ".rtf": "RTF 文档", ".jpg": "图片", ".jpeg": "图片", ".png": "图片", ".tif": "图片", ".tiff": "图片",
    ".bmp": "图片", ".heic": "图片", ".ofd": "OFD 版式文件",
}  # fmt: skip
CONTACTS_OTHER_FORMATS = {".xls": "旧版 Excel 工作簿（.xls）", ".et": "WPS 表格（.et）", ".csv": "CSV 文件",
                          ".ods": "ODF 电子表格（.ods）", **REPORT_OTHER_FORMATS}  # fmt: skip


class Status(StrEnum):
    RECEIVED = "已收到"
    INVALID = "不符合"
    LATE = "逾期"
    MISSING = "缺"


@dataclass
class Entry:
    """One received file taken as a unit's material."""

    unit: Unit
    material: Material
    file: str
    sha256: str | None
    problems: list[Problem] = field(default_factory=list)
    report: ReportFacts | None = None
    contacts: ContactList | None = None
    self_score: SelfScore | None = None  # an authentic self-score table's values
    arrived: str = ""  # the arrival time as shown, from the receipt record

    def key(self) -> Hashable:
        return material_key(self.unit, self.material)

    def held(self) -> Hashable:
        """What a table holds (identical tables are copies of one); any other file is only itself."""
        if self.contacts is not None:
            return self.contacts.signed, tuple(tuple(p.values.items()) for p in self.contacts.people)
        if self.self_score is not None:
            return self.self_score.fill_date, tuple(self.self_score.entries)
        return self.file


TABLES: dict[Material, FormKind] = {Material.CONTACTS: CONTACTS, Material.SELF_SCORE: SELF_SCORE.kind}


def material_key(unit: Unit, material: Material) -> Hashable:
    """What makes two files one return: the material and, for a signed table, its kind's key."""
    kind = TABLES.get(material)
    return material, kind.key(unit.name) if kind else unit.name


@dataclass
class UnitsCheck:
    rubric: Rubric
    entries: list[Entry]
    problems: list[Problem]  # every problem, files and units alike
    errors: ErrorLog = field(default_factory=ErrorLog)  # tracebacks of internal errors, for error.log

    def entries_for(self, unit: Unit, material: Material) -> list[Entry]:
        return [e for e in self.entries if e.unit == unit and e.material is material]

    def status(self, unit: Unit, material: Material) -> Status:
        entries = self.entries_for(unit, material)
        if not entries:
            return Status.MISSING
        if any(not has_errors(e.problems) for e in entries):
            return Status.RECEIVED
        codes = {p.code for e in entries for p in e.problems}
        return Status.LATE if "RECEIPT_MATERIAL_LATE" in codes else Status.INVALID

    def people(self) -> list[Person]:
        """Everyone on the lists received, in the plan's order of units."""
        order = {u.name: n for n, u in enumerate(self.rubric.units)}
        found = [p for e in self.entries if e.contacts for p in e.contacts.people]
        return sorted(found, key=lambda p: order[p.unit])

    @property
    def clean(self) -> bool:
        materials = unit_materials(self.rubric)
        complete = all(self.status(u, m) is Status.RECEIVED for u in self.rubric.units for m in materials)
        return complete and not has_errors(self.problems)

    def self_scores(self) -> list[Entry]:
        """The self-score table used for each unit: authentic, on time and the only one received
        (the values within it that broke a rule are left out, as on an evaluation form)."""
        used = []
        for unit in self.rubric.units:
            found = self.entries_for(unit, Material.SELF_SCORE)
            if len(found) == 1 and found[0].self_score is not None and self.status(unit, Material.SELF_SCORE) in (
                Status.RECEIVED, Status.INVALID
            ):  # fmt: skip
                used.append(found[0])
        return used


def check_units(
    source: Path, rubric: Rubric, key: bytes, *, receipts: ReceiptBook | None = None, registers: Sequence[Path] = ()
) -> UnitsCheck:
    """Check every file under `source`; arrival times from `receipts`, or else from the folder's
    own receipt record and register and the `registers` given."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    errors = ErrorLog()
    if receipts is None:
        receipts, problems = load_receipts(source, rubric, extra=registers)
    with Returns(LIMITS) as returns:  # every workbook's cells are read in one isolated child
        for path, shown in walk_files(source):
            if path.name in RECORD_FILES:
                continue
            suffix = path.suffix.lower()
            entry: Entry | Problem | None
            try:
                if suffix == ".docx":
                    entry = _report(path, shown, rubric)
                elif suffix == ".xlsx":
                    entry = _workbook(returns, path, shown, rubric, key)
                else:
                    entry = _other_format(shown, suffix, rubric)
            except Exception as exc:  # a defect of this program, not of the file: the run goes on
                entry = errors.internal(shown, exc, file=shown)
            if isinstance(entry, Entry):
                entries.append(entry)
            elif entry is not None:
                problems.append(entry)
    entries, copies = _drop_copies(entries)
    problems += copies
    groups = same_returns(entries, Entry.key, Entry.held)
    entries, copies = _drop_identical(entries, groups.values())
    problems += copies
    problems += _arrivals(entries, receipts, rubric)
    for unit in rubric.units:
        for material in unit_materials(rubric):
            group = groups.get(material_key(unit, material))
            found = group.kept if group else []
            if len(found) > 1:  # two different self-score tables: neither is used until one is chosen
                severity = Severity.ERROR if material is Material.SELF_SCORE else None
                problems.append(problem("UNIT_MATERIAL_DUPLICATE", unit=unit.name, material=str(material),
                                        count=len(found), files=[e.file for e in found], severity=severity))  # fmt: skip
            if not found:
                problems.append(problem(MISSING_CODES[material], unit=unit.name))
    file_problems = [p for e in entries for p in e.problems]
    return UnitsCheck(rubric, entries, file_problems + problems, errors)


MISSING_CODES = {
    Material.REPORT: "UNIT_REPORT_MISSING",
    Material.CONTACTS: "UNIT_CONTACTS_MISSING",
    Material.SELF_SCORE: "UNIT_SELF_SCORE_MISSING",
}


def _arrivals(entries: list[Entry], book: ReceiptBook, rubric: Rubric) -> list[Problem]:
    """Each material's arrival from the one receipt record; after the deadline it is not used."""
    if not book:
        return [problem("UNIT_ARRIVAL_UNKNOWN", count=len(entries))] if entries else []
    for e in entries:
        receipt = book.find(sha256=e.sha256, path=e.file, name=e.file, sender=e.unit.name, material=str(e.material))
        if receipt is None:
            e.problems.append(problem("RECEIPT_NOT_FOUND", file=e.file, name=e.file, severity=Severity.WARNING))
            continue
        e.arrived = receipt.shown_time()
        late = late_problem(receipt, rubric.materials_deadline, file=e.file, who=e.unit.name,
                            material=str(e.material), rejects=True)  # fmt: skip
        if late:
            e.problems.append(late)
    return []


def _drop_copies(entries: list[Entry]) -> tuple[list[Entry], list[Problem]]:
    """A PDF or image next to a readable .docx/.xlsx of the same material is its stamped scan."""
    readable = {(e.unit, e.material) for e in entries if e.sha256 is not None}
    kept, notes = [], []
    for e in entries:
        if e.sha256 is None and (e.unit, e.material) in readable:
            reason = f"已有{e.unit.name}{e.material}的电子版，此文件视为扫描件或副本"
            notes.append(problem("UNIT_FILE_UNKNOWN", file=e.file, reason=reason, fix="无需处理。"))
        else:
            kept.append(e)
    return kept, notes


def _drop_identical(entries: list[Entry], groups: Iterable[SameReturn[Entry]]) -> tuple[list[Entry], list[Problem]]:
    """A table sent again unchanged is a copy of the one kept: it counts once, with a note."""
    copies = {id(copy): kept for group in groups for copy, kept in group.copies}
    notes = [problem("UNIT_MATERIAL_DUPLICATE_IDENTICAL", file=e.file, unit=e.unit.name, material=str(e.material),
                     kept=copies[id(e)].file) for e in entries if id(e) in copies]  # fmt: skip
    return [e for e in entries if id(e) not in copies], notes


def _unknown(shown: str, reason: str) -> Problem:
    return problem("UNIT_FILE_UNKNOWN", file=shown, reason=reason)


def _screened_entry(unit: Unit, material: Material, shown: str, screened: Screened) -> Entry:
    return Entry(unit, material, shown, screened.sha256, list(screened.problems))


def _report(path: Path, shown: str, rubric: Rubric) -> Entry | Problem:
    screened = screen(path, shown)
    by_name = find_unit(rubric, shown)
    if screened.data is None:  # not opened: what the screening found is all there is to say
        return _screened_entry(by_name, Material.REPORT, shown, screened) if by_name else screened.problems[0]
    try:
        facts = read_report(screened.data)
    except ValueError as exc:
        if by_name is None:
            return _unknown(shown, str(exc))
        entry = _screened_entry(by_name, Material.REPORT, shown, screened)
        entry.problems.append(problem("UNIT_REPORT_UNREADABLE", file=shown, unit=by_name.name, reason=str(exc)))
        return entry
    unit = find_unit(rubric, facts.title) or by_name
    if unit is None:
        return _unknown(shown, "标题和文件名中都没有县区名称")
    if "自评" not in facts.title + shown and "报告" not in facts.title + shown:
        return _unknown(shown, "不是自评报告")
    entry = Entry(unit, Material.REPORT, shown, screened.sha256, report=facts)
    entry.problems += report_problems(facts, unit, shown, rubric.texts.report_limits)
    return entry


def report_problems(facts: ReportFacts, unit: Unit, shown: str, limits: ReportLimits) -> list[Problem]:
    """The report against the plan's limits (字数 of the body, number of cases: rubric `texts.report_limits`)."""
    found = []
    if facts.chars > limits.chars:
        found.append(problem("UNIT_REPORT_TOO_LONG", file=shown, unit=unit.name, chars=facts.chars,
                             limit=limits.chars))  # fmt: skip
    if facts.missing_sections:
        found.append(problem("UNIT_REPORT_SECTION_MISSING", file=shown, unit=unit.name,
                             sections=facts.missing_sections))  # fmt: skip
    if facts.cases > limits.cases:
        found.append(problem("UNIT_REPORT_TOO_MANY_CASES", file=shown, unit=unit.name, cases=facts.cases,
                             limit=limits.cases))  # fmt: skip
    if facts.hints:
        found.append(problem("UNIT_REPORT_HINT_LEFT", file=shown, unit=unit.name, count=facts.hints))
    return found


def _workbook(returns: Returns, path: Path, shown: str, rubric: Rubric, key: bytes) -> Entry | Problem | None:
    """An .xlsx: a self-score table (by its manifest, sheet or title), else a contact list."""
    screened = screen(path, shown)
    by_name = find_unit(rubric, shown)
    named = Material.SELF_SCORE if "自评打分" in Path(shown).name else Material.CONTACTS
    if screened.data is None:
        return _screened_entry(by_name, named, shown, screened) if by_name else screened.problems[0]
    raw, found = returns.open(screened.data, shown)
    read_problems = [p for p in found if p.code not in TYPE_ONLY]  # not a workbook at all: said by what follows
    if raw is None:
        if by_name is None or not ("联系" in shown or named is Material.SELF_SCORE):
            return _unknown(shown, "不是联系人员名单")
        return Entry(by_name, named, shown, screened.sha256, read_problems)
    if is_self_score(raw):
        return _self_score(raw, shown, screened, by_name, rubric, key)
    return _contacts(raw, shown, screened, by_name, rubric, key)


def _self_score(
    raw: RawForm, shown: str, screened: Screened, by_name: Unit | None, rubric: Rubric, key: bytes
) -> Entry | Problem:
    if not rubric.self_scoring:
        return _unknown(shown, "考核细则未要求县区自评打分，自评打分表不检查")
    unit, scores, problems = read_self_score(raw, rubric, key, shown)
    title = " ".join(str(v) for row in raw.grid[:2] for v in row if isinstance(v, str))
    unit = unit or find_unit(rubric, title) or by_name
    if unit is None:
        return problems[0] if problems else _unknown(shown, "自评打分表的标题和文件名中都没有县区名称")
    return Entry(unit, Material.SELF_SCORE, shown, screened.sha256, problems, self_score=scores)


def _contacts(
    raw: RawForm, shown: str, screened: Screened, by_name: Unit | None, rubric: Rubric, key: bytes
) -> Entry | Problem:
    unit = signed_unit(raw, rubric, key)
    signed = unit is not None
    title = " ".join(str(v) for row in raw.grid[:3] for v in row if isinstance(v, str))
    if unit is None:
        if "联系" not in title + shown:
            return _unknown(shown, "不是联系人员名单")
        unit = find_unit(rubric, title) or by_name
        if unit is None:
            return _unknown(shown, "联系人员名单的标题和文件名中都没有县区名称")
    contacts = read_contacts(raw, unit, signed, shown)
    entry = Entry(unit, Material.CONTACTS, shown, screened.sha256, list(contacts.problems), contacts=contacts)
    if not signed:
        entry.problems.insert(0, problem("UNIT_CONTACTS_UNSIGNED", file=shown, unit=unit.name))
    return entry


def _other_format(shown: str, suffix: str, rubric: Rubric) -> Entry | Problem:
    unit = find_unit(rubric, shown)
    name = Path(shown).name
    if unit is not None and "自评打分" in name and suffix in CONTACTS_OTHER_FORMATS and rubric.self_scoring:
        p = problem("UNIT_SELF_SCORE_FORMAT_FILE", file=shown, unit=unit.name, kind=CONTACTS_OTHER_FORMATS[suffix])
        return Entry(unit, Material.SELF_SCORE, shown, None, [p])
    if unit is not None and "联系" in name and suffix in CONTACTS_OTHER_FORMATS:
        kind = CONTACTS_OTHER_FORMATS[suffix]
        p = problem("UNIT_CONTACTS_FORMAT_FILE", file=shown, unit=unit.name, kind=kind)
        return Entry(unit, Material.CONTACTS, shown, None, [p])
    if unit is not None and ("自评" in name or "报告" in name) and suffix in REPORT_OTHER_FORMATS:
        p = problem("UNIT_REPORT_FORMAT", file=shown, unit=unit.name, kind=REPORT_OTHER_FORMATS[suffix])
        return Entry(unit, Material.REPORT, shown, None, [p])
    return _unknown(shown, "不是自评报告或联系人员名单" if unit else "看不出是哪个县区的材料")
