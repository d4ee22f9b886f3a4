"""自评打分表.xlsx: a unit's own score for every scored item, when the rubric asks for self-scoring.

It is the evaluation form generalised (forms/layout.py `FormSpec`): the same layout, look, print
setup, data validation and signature, with the unit as its owner, the areas as its blocks and
自评得分/说明 as its input columns. A returned table goes through the same integrity and value
checks as an evaluation form (intake/check_form.py, intake/check_values.py); the few integrity
problems whose wording names the evaluation form are renamed to say 自评打分表.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..forms.generate import write_signed
from ..forms.layout import FIRST_DATA_ROW, MANIFEST_SHEET, FormRow, FormSpec
from ..forms.manifest import Manifest, derive
from ..intake.check_form import FORM_LOCKED, FormFamily, check_integrity
from ..intake.check_values import Entry, read_values
from ..intake.read_form import RawForm
from ..intake.returns import FormKind, read_manifest
from ..problems import Problem, problem
from ..rubric import Kind, Rubric, Unit

SELF_SCORE_FORMAT = "qe_workbook-self-score/1"
SHEET = "自评打分表"
SHEETS = (SHEET, MANIFEST_SHEET)
SELF_HEADER = ("项目编号", "考核领域", "考核项目", "满分", "自评得分", "说明")  # the evaluation form's columns
OWNER_LABEL = "被考核单位"
NOTES = (
    "注：1. 自评得分为对照考核要点和印证材料的自我评价，0至满分，最多两位小数；",
    "2. “说明”请简要写明得分依据（对应的印证材料）或失分原因；",
    "3. 本表需加盖被考核单位公章，随自评报告报送市质强办。",
)
HINT = (
    "填写说明：浅黄色单元格是填写处，只在其中填写“自评得分”“说明”和“填报日期”，其他内容已锁定。"
    "每个评分项目填自评得分（0至满分，最多两位小数，只填数字）；低于满分的请在“说明”中写明原因，"
    "未写时该单元格变为橙色提醒。扣分项、加分项和否决项由评价部门评价，不需自评。请勿增删行列。"
)
CLAIMS_HINT = (
    "填写说明：浅黄色单元格是填写处，只在其中填写“自评得分”“说明”和“填报日期”，其他内容已锁定。"
    "评分项目填自评得分（0至满分，最多两位小数，只填数字），低于满分的请在“说明”中写明原因；"
    "加分项填申报的加分（不申报填0），申报的须在“说明”中写明印证材料（文件名称、文号或获奖证书），"
    "由评价部门核定；扣分项和否决项按细则如实自查填写。未写说明时该单元格变为橙色提醒。请勿增删行列。"
)
REMARK_PROMPT = "简要写明得分依据（对应的印证材料）或失分原因（500字以内）。低于满分的必须填写。"
RENAMED = {  # integrity problems whose sentence names the evaluation form
    "FORM_SIGNATURE_INVALID": "UNIT_SELF_SCORE_SIGNATURE",
    "FORM_OTHER_YEAR": "UNIT_SELF_SCORE_OTHER_YEAR",
    "FORM_UNKNOWN_EVALUATOR": "UNIT_SELF_SCORE_UNKNOWN_UNIT",
    "FORM_OLD_RUBRIC": "UNIT_SELF_SCORE_OLD_RUBRIC",
    "FORM_OLD_TEMPLATE": "UNIT_SELF_SCORE_OLD_TEMPLATE",
}


def self_score_title(rubric: Rubric) -> str:
    return f"{rubric.city}{rubric.year}年度政府质量工作考核自评打分表"


def self_score_rows(rubric: Rubric, unit: Unit) -> tuple[FormRow, ...]:
    """Every item the unit self-scores, numbered 1., 2., … in the plan's order, in blocks by area: a score item's
    own score and a bonus item's claim in points whatever the rule (the rule stated under the item), a deduction
    or veto as its evaluators are asked."""
    areas = {a.id: a.name for a in rubric.areas}
    items = [i for i in rubric.self_scored_items() if i.applies_to(unit)]
    points = (Kind.SCORE, Kind.BONUS)
    return tuple(
        FormRow(unit, item, n, FIRST_DATA_ROW + n - 1, areas.get(item.area, item.area), points=item.kind in points)
        for n, item in enumerate(items, start=1)
    )


def self_score_spec(rubric: Rubric, unit: Unit) -> FormSpec:
    rows = self_score_rows(rubric, unit)
    claims = any(r.item.kind is not Kind.SCORE for r in rows)
    return FormSpec(
        format=SELF_SCORE_FORMAT,
        owner=unit.name,
        owner_label=OWNER_LABEL,
        sheet=SHEET,
        sheets=SHEETS,
        title=self_score_title(rubric),
        owner_line=f"{OWNER_LABEL}（盖章）：{unit.full_name}",
        subject=f"自评打分表：{unit.name}",
        header=SELF_HEADER,
        rows=rows,
        blocks=tuple(a.name for a in rubric.areas),
        notes=NOTES,
        hint=CLAIMS_HINT if claims else HINT,
        remark_prompt=REMARK_PROMPT,
        deadline=rubric.materials_deadline,
        flow_blocks=True,
        printed_owner=unit.full_name,
    )


def _spec_for(rubric: Rubric, manifest: Manifest) -> FormSpec | None:
    unit = next((u for u in rubric.units if u.name == SELF_SCORE.kind.owner(manifest)), None)
    return self_score_spec(rubric, unit) if unit is not None else None


SELF_SCORE = FormFamily(FormKind(SELF_SCORE_FORMAT, FORM_LOCKED, lambda _manifest: len(SELF_HEADER)), _spec_for)


def write_self_score(rubric: Rubric, unit: Unit, path: Path, key: bytes, when: datetime) -> str:
    """The unit's signed, locked table; returns its form id."""
    form_id = derive(key, "self-score-id", rubric.content_hash, unit.name)
    return write_signed(rubric, self_score_spec(rubric, unit), path, key, form_id=form_id, when=when).form_id


def is_self_score(raw: RawForm) -> bool:
    """Whether a workbook says it is a self-score table (its manifest, else its sheet or title)."""
    manifest = read_manifest(raw)
    if manifest is not None:
        return manifest.format == SELF_SCORE_FORMAT
    title = " ".join(str(v) for row in raw.grid[:2] for v in row if isinstance(v, str))
    return any(s.name == SHEET for s in raw.sheets) or "自评打分" in title


@dataclass
class SelfScore:
    """What one returned self-score table holds, once it is known to be authentic."""

    unit: Unit
    entries: list[Entry]  # one per score item, value None where it was not valid
    fill_date: date | None
    form_id: str
    sheet: str = SHEET


def read_self_score(
    raw: RawForm, rubric: Rubric, key: bytes, file: str
) -> tuple[Unit | None, SelfScore | None, list[Problem]]:
    """The unit the table belongs to (when its manifest names one), its values, and every problem."""
    integrity = check_integrity(raw, rubric, key, file, SELF_SCORE)
    manifest = integrity.manifest
    claimed = next(
        (u for u in rubric.units if manifest is not None and u.name == SELF_SCORE.kind.owner(manifest)), None
    )
    problems = [_renamed(p) for p in integrity.problems]
    if manifest is None:
        return None, None, [problem("UNIT_SELF_SCORE_UNSIGNED", file=file)]
    spec = integrity.spec
    if not integrity.ok or spec is None:
        return claimed, None, problems
    if not raw.scan.protected:
        problems.append(problem("FORM_UNPROTECTED", file=file, sheet=spec.sheet))
    unit = next(u for u in rubric.units if u.name == spec.owner)
    values = read_values(raw, spec, file)
    return unit, SelfScore(unit, values.entries, values.fill_date, manifest.form_id), problems + values.problems


def _renamed(p: Problem) -> Problem:
    code = RENAMED.get(p.code)
    return problem(code, file=p.file, sheet=p.sheet, cell=p.cell, **p.params) if code else p
