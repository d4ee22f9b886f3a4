"""Is this returned file an authentic, unaltered form of this year's rubric? (integrity checks)

The manifest names the evaluator; the HMAC over the locked content as read proves the content
and manifest are the office's. When it does not verify, the content the rubric expects is tried
too: if that verifies, the manifest is genuine and the differences pinpoint the edited cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..forms.layout import (
    COL_ID,
    COL_MAX,
    COL_TEXT,
    COL_UNIT,
    DEPT_ROW,
    FIRST_DATA_ROW,
    HEADER,
    HEADER_ROW,
    LABEL_COL,
    TITLE_ROW,
    FormSpec,
    cell_ref,
    evaluation_spec,
    form_header,
)
from ..forms.manifest import FORMAT, LockedContent, Manifest
from ..problems import Problem, problem
from ..rubric import Rubric
from ..rubric.compare import compare
from .read_form import RawForm, cell_text
from .returns import PROP_PREFIX, Edit, FormKind, Locked, Part, check_locked, read_manifest

_ROW_NUMBER = re.compile(r"^\d+\.\s*")  # a form's item text starts with its row number: "3. …"
TABLE_END = "表格结束"
BLANK_ROW = "空行"


@dataclass
class Integrity:
    manifest: Manifest | None
    spec: FormSpec | None  # the form as issued to its owner, when the file is authentic and unaltered
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.spec is not None and not self.problems


@dataclass(frozen=True)
class FormFamily:
    """A kind of signed form laid out as the evaluation form (forms/layout.py): the returns engine's kind,
    and the form as issued to the owner a manifest names (None when the rubric knows no such owner)."""

    kind: FormKind
    spec_for: Callable[[Rubric, Manifest], FormSpec | None]


# Where the evaluation form's locked content stands: its item rows end at the first blank one, and a unit's
# name stands only in the top cell of its merged block.
FORM_LOCKED = Locked(title=(TITLE_ROW, LABEL_COL), owner=(DEPT_ROW, LABEL_COL), header_row=HEADER_ROW,
                     header_columns=len(HEADER), first_row=FIRST_DATA_ROW,
                     row_columns=(COL_UNIT, COL_ID, COL_TEXT, COL_MAX), carried=COL_UNIT)  # fmt: skip


def _evaluation_spec(rubric: Rubric, manifest: Manifest) -> FormSpec | None:
    evaluator = rubric.evaluator(EVALUATION.kind.owner(manifest))
    # a correction form holds only its manifest's units' rows
    return evaluation_spec(rubric, evaluator, manifest.unit_names) if evaluator is not None else None


def _correction_id(manifest: Manifest) -> str | None:
    """A department's form is one return; each of its correction forms is one more (by its form id)."""
    return manifest.form_id if manifest.unit_names else None


# a correction form has one more header cell than a full one
EVALUATION = FormFamily(
    FormKind(FORMAT, FORM_LOCKED, lambda m: len(form_header(m.unit_names)), distinct=_correction_id), _evaluation_spec
)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_integrity(raw: RawForm, rubric: Rubric, key: bytes, file: str, family: FormFamily = EVALUATION) -> Integrity:
    manifest = read_manifest(raw)
    if manifest is None:
        if raw.manifest or any(k.startswith(PROP_PREFIX) for k in raw.properties):
            return Integrity(None, None, [problem("FORM_MANIFEST_INVALID", file=file)])
        return Integrity(None, None, [problem("FORM_NO_MANIFEST", file=file)])
    if manifest.format != family.kind.format:
        return Integrity(manifest, None, [problem("FORM_MANIFEST_FORMAT", file=file, format=manifest.format)])
    spec = family.spec_for(rubric, manifest)

    def issued(manifest: Manifest) -> LockedContent | None:
        return spec.content() if spec is not None and manifest.year == rubric.year else None

    signed = check_locked(raw, manifest, family.kind, key, issued)
    content = signed.content
    if signed.verified:
        if manifest.year != rubric.year:
            other_year = problem("FORM_OTHER_YEAR", file=file, year=manifest.year, rubric_year=rubric.year)
            return Integrity(manifest, None, [other_year])
        if spec is None:
            unknown = problem("FORM_UNKNOWN_EVALUATOR", file=file, evaluator=manifest.evaluator)
            return Integrity(manifest, None, [unknown])
        changes = content_differences(content, spec, file)
        if changes and manifest.rubric_hash != rubric.content_hash:
            return Integrity(manifest, None, [older_rubric(manifest, content, spec, file, changes[0])])
        if changes:
            first = changes[0]
            old = problem("FORM_OLD_TEMPLATE", file=file, sheet=first.sheet, cell=first.cell, **first.params)
            return Integrity(manifest, None, [old])
        return Integrity(manifest, spec, [])
    if signed.edits is not None and spec is not None:  # the manifest is genuine: name the edits as a form does
        rows = rows_in_sheet(raw, spec.content())
        return Integrity(manifest, None, content_differences(content, spec, file, rows_in_sheet=rows))
    forged = problem("FORM_SIGNATURE_INVALID", file=file, evaluator=_short(manifest.evaluator, 20), year=manifest.year)
    return Integrity(manifest, None, [forged])


def rows_in_sheet(raw: RawForm, expected: LockedContent) -> int:
    """How many rows the table spans on the sheet, down to the last row holding an issued item id
    (the locked content itself stops at the first blank row, e.g. an inserted one)."""
    ids = {r[1] for r in expected.rows}
    rows = range(FIRST_DATA_ROW, len(raw.grid))
    last = max((r for r in rows if cell_text(raw.cell(r, COL_ID)) in ids), default=FIRST_DATA_ROW - 1)
    return last - FIRST_DATA_ROW + 1


def form_items(content: LockedContent) -> list[dict[str, str]]:
    """The items as a form carries them (id, text without its row number and without the line under it saying
    what the rule asks for, 满分), once per item."""
    items: dict[str, dict[str, str]] = {}
    for _unit, item_id, text, top in content.rows:
        shown = _ROW_NUMBER.sub("", text, count=1).split("\n", 1)[0]
        items.setdefault(item_id, {"id": item_id, "text": shown, "max": top})
    return list(items.values())


def older_rubric(manifest: Manifest, content: LockedContent, spec: FormSpec, file: str, first: Problem) -> Problem:
    """A genuine form generated from another version of the rubric: what changed since, from the one
    rubric comparison (the form's item rows against the items the current rubric puts on this form)."""
    diff = compare(form_items(content), spec.items())
    changes = diff.sentences() or ["被考核单位或表格的其他内容不同"]
    return problem("FORM_OLD_RUBRIC", file=file, sheet=first.sheet, cell=first.cell, generated=manifest.generated_at[:10],
                   changes=changes, count=len(changes))  # fmt: skip


def content_differences(
    found: LockedContent, spec: FormSpec, file: str, *, rows_in_sheet: int | None = None
) -> list[Problem]:
    """Where the locked content read from a file departs from what was issued: the engine's edits
    (`Locked.edits`) said as a form says them.

    Rows inserted, deleted or moved are one problem at the first item id out of place (not an edit of
    every cell below it); a unit's name edited in its merged block is reported at the block's top cell.
    Every difference carries `found` and `expected` among its params (what the file holds, what was issued).
    """
    expected = spec.content()
    diffs: list[Problem] = []
    on_form: dict[str, Any] = {"file": file, "sheet": spec.sheet}
    labels = {Part.TITLE: "标题", Part.OWNER: spec.owner_label, COL_UNIT: expected.header[COL_UNIT], COL_ID: "项目编号",
              COL_TEXT: "项目文字", COL_MAX: "满分"}  # fmt: skip
    edits = FORM_LOCKED.edits(found, expected)
    for e in edits:
        if e.part is Part.SHEETS:
            diffs.append(problem("FORM_SHEETS_CHANGED", file=file, expected=expected.sheets, found=found.sheets))
        elif e.part in (Part.TITLE, Part.OWNER):
            diffs.append(problem("FORM_LOCKED_CHANGED", **on_form, cell=e.cell, label=labels[e.part],
                                 found=_short(e.found), expected=_short(e.expected)))  # fmt: skip
        elif e.part is Part.HEADER:
            diffs.append(
                problem("FORM_HEADER_CHANGED", **on_form, cell=e.cell, found=_short(e.found), expected=e.expected)
            )
    ids_found = [r[1] for r in found.rows]
    ids_expected = [r[1] for r in expected.rows]
    if ids_found != ids_expected:
        diffs.append(_rows_changed(ids_found, ids_expected, rows_in_sheet or 0, on_form))
        return diffs
    for e in edits:
        if e.part is not Part.ROW or (e.col == COL_UNIT and _carried(found, expected, e)):
            continue
        diffs.append(problem("FORM_LOCKED_CHANGED", **on_form, cell=e.cell, label=labels[e.col],
                             found=_short(e.found), expected=_short(e.expected)))  # fmt: skip
    return diffs


def _carried(found: LockedContent, expected: LockedContent, e: Edit) -> bool:
    """Whether a unit name's edit is the same as the row above's: the name carries down its merged block,
    so the edit is reported once, at the block's top cell."""
    above = e.index - 1
    return above >= 0 and (found.rows[above][0], expected.rows[above][0]) == (e.found, e.expected)


def _rows_changed(
    ids_found: list[str], ids_expected: list[str], rows_in_sheet: int, on_form: dict[str, Any]
) -> Problem:
    """Rows inserted, deleted or moved: the first row whose item id is not the one issued."""
    index = next(
        (i for i, (a, b) in enumerate(zip(ids_found, ids_expected, strict=False)) if a != b),
        min(len(ids_found), len(ids_expected)),
    )
    row = FIRST_DATA_ROW + index
    return problem(
        "FORM_ROWS_CHANGED",
        **on_form,
        cell=cell_ref(row, COL_ID),
        row=row + 1,
        expected=ids_expected[index] if index < len(ids_expected) else TABLE_END,
        found=ids_found[index] if index < len(ids_found) else BLANK_ROW if index < rows_in_sheet else TABLE_END,
        rows_found=max(len(ids_found), rows_in_sheet),
        rows_expected=len(ids_expected),
    )
