"""Simulated returns: forms filled as the departments would, for the demo, samples and practice.

Deterministic for a seed. The 'clean' profile gives a complete, valid set: a realistic spread of
scores across the units, Chinese remarks wherever points are lost, fill dates before the
deadline, a deduction event or two and one bonus. The 'with-problems' profile adds the mistakes
an office really receives, each of which `qe collect` must report.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
from docx import Document

from ..amounts import canonical
from ..rubric import Item, Kind, Rubric
from .fill import Answer, fill_form
from .generate import generate_forms
from .layout import COL_TEXT, FIRST_DATA_ROW, FORM_SHEET, MANIFEST_SHEET, form_file_name

PROFILES = ("clean", "with-problems")

STRENGTHS = [
    "工作部署及时，牵头部门职责明确",
    "台账资料较完整，工作推进有序",
    "领导重视，专题研究部署到位",
    "监管覆盖面较广，数据报送及时",
    "措施较实，取得一定成效",
]
SHORTCOMINGS = [
    "部分印证材料不够充分",
    "工作覆盖面仍有不足",
    "数据统计和报送不够及时",
    "长效机制尚不健全",
    "基层落实存在薄弱环节",
]
SUGGESTIONS = [
    "进一步完善工作机制，补齐短板",
    "加强统筹调度和督导检查",
    "加大投入，提升工作的系统性",
    "健全台账，及时报送相关材料",
    "强化结果运用，推动整改落实",
]

Answers = dict[str, dict[tuple[str, str], Answer]]


@dataclass
class Simulation:
    files: list[Path]
    planted: list[str] = field(default_factory=list)  # the mistakes made on purpose (with-problems)


def topic(item: Item) -> str:
    """A short name of an item for remarks: its text without the points and the final full stop."""
    text = re.sub(r"（[^（）]*分）$", "", item.text).rstrip("。")
    return text if len(text) <= 24 else text[:23] + "…"


def remark(rng: random.Random, item: Item) -> str:
    return f"{topic(item)}：{rng.choice(STRENGTHS)}；但{rng.choice(SHORTCOMINGS)}。建议{rng.choice(SUGGESTIONS)}。"


def _points(rng: random.Random, item: Item, level: float) -> Decimal:
    """A score near the unit's level, in steps an evaluator would use (0.1 points), within 0..max."""
    raw = float(item.max) * min(1.0, max(0.0, rng.gauss(level, 0.08)))
    step = Decimal("0.1") if item.max >= 1 else Decimal("0.05")
    value = (Decimal(str(raw)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return min(item.max, max(Decimal(0), value)).normalize()


def clean_answers(rubric: Rubric, seed: int) -> Answers:
    rng = random.Random(seed)
    levels = {u.name: rng.uniform(0.72, 0.98) for u in rubric.units}
    deductions = rubric.items_of_kind(Kind.DEDUCTION)
    events = {(rng.choice(rubric.units).name, rng.choice(deductions).id) for _ in range(2)} if deductions else set()
    bonuses = rubric.items_of_kind(Kind.BONUS)
    bonus = (rng.choice(rubric.units).name, rng.choice(bonuses).id) if bonuses else None
    answers: Answers = {}
    for ev in rubric.form_evaluators():
        cells = answers.setdefault(ev.name, {})
        for unit in rubric.units:
            for item in rubric.items_for(ev.name):
                key = (unit.name, item.id)
                if item.kind is Kind.SCORE:
                    value = _points(rng, item, levels[unit.name])
                    note = remark(rng, item) if value < item.max else ""
                    cells[key] = (int(value) if value == int(value) else float(value), note)
                elif item.kind is Kind.DEDUCTION:
                    hit = key in events
                    cells[key] = (1 if hit else 0, f"考核年度内发生1起：{topic(item)}，已责令整改。" if hit else "")
                elif item.kind is Kind.BONUS:
                    cells[key] = (
                        int(item.max) if key == bonus else 0,
                        "受到国务院办公厅督查激励。" if key == bonus else "",
                    )
                else:
                    cells[key] = ("否", "")
    return answers


def _fill_dates(rubric: Rubric, seed: int) -> dict[str, date]:
    rng = random.Random(seed + 1)
    start = rubric.materials_deadline + timedelta(days=1)
    span = max(1, (rubric.return_deadline - start).days)
    return {ev.name: start + timedelta(days=rng.randrange(span)) for ev in rubric.form_evaluators()}


def simulate(
    rubric: Rubric,
    forms_dir: Path,
    out_dir: Path,
    *,
    seed: int = 2022,
    profile: str = "clean",
    key: bytes | None = None,
) -> Simulation:
    """Fill every form in `forms_dir` into `out_dir`; 'with-problems' also needs the office key."""
    if profile not in PROFILES:
        raise ValueError(profile)
    out_dir.mkdir(parents=True, exist_ok=True)
    answers = clean_answers(rubric, seed)
    dates = _fill_dates(rubric, seed)
    files = []
    for ev in rubric.form_evaluators():
        src = forms_dir / form_file_name(rubric, ev)
        dst = out_dir / src.name
        fill_form(src, dst, answers[ev.name], dates[ev.name])
        files.append(dst)
    sim = Simulation(files)
    if profile == "with-problems":
        if key is None:
            raise ValueError("the with-problems profile needs the office key (for an older template)")
        _plant_problems(rubric, forms_dir, out_dir, answers, dates, key, sim)
    return sim


def _first_unit_cell(rubric: Rubric, evaluator: str) -> tuple[str, Item]:
    """The first unit and the evaluator's first score item (where a planted mistake goes)."""
    item = next(i for i in rubric.items_for(evaluator) if i.kind is Kind.SCORE)
    return rubric.units[0].name, item


def _plant_problems(
    rubric: Rubric, forms_dir: Path, out: Path, answers: Answers, dates: dict[str, date], key: bytes, sim: Simulation
) -> None:
    """The mistakes of issue 5, each on a different department's return."""
    by_name = {ev.name: ev for ev in rubric.form_evaluators()}
    names = list(by_name)

    def refill(ev: str, changes: dict[tuple[str, str], Answer], when: date | str, dst: Path | None = None) -> Path:
        cells = {**answers[ev], **changes}
        path = dst or out / form_file_name(rubric, by_name[ev])
        fill_form(forms_dir / form_file_name(rubric, by_name[ev]), path, cells, when)
        return path

    # 1. a score above the maximum, pasted past the validation
    ev = names[0]
    unit, item = _first_unit_cell(rubric, ev)
    refill(ev, {(unit, item.id): (float(item.max) + 1, "工作成效突出，超额完成任务。")}, dates[ev])
    sim.planted.append(f"{ev}：{unit} {item.id} 得分 {canonical(item.max + 1)} 超过满分 {canonical(item.max)}")
    # 2. a text score
    ev = names[1]
    unit, item = _first_unit_cell(rubric, ev)
    refill(ev, {(unit, item.id): ("满分", "")}, dates[ev])
    sim.planted.append(f"{ev}：{unit} {item.id} 得分填了“满分”")
    # 3. a lost point with no remark
    ev = names[2]
    unit, item = _first_unit_cell(rubric, ev)
    refill(ev, {(unit, item.id): (float(item.max) / 2, "")}, dates[ev])
    sim.planted.append(f"{ev}：{unit} {item.id} 失分但未填写评价说明")
    # 4. a second, different file from one department
    ev = names[3]
    unit, item = _first_unit_cell(rubric, ev)
    second = out / "更正版" / f"{by_name[ev].name}（更正）.xlsx"
    refill(ev, {(unit, item.id): (0, "更正：该项工作未开展。")}, dates[ev] + timedelta(days=2), second)
    sim.planted.append(f"{ev}：交来两份内容不同的评价表（含 更正版/{second.name}）")
    # 5. a form from an older template (last year's rubric, same key)
    ev = names[4]
    old = replace(rubric, year=rubric.year - 1)
    old_dir = out / ".old-template"
    generate_forms(old, old_dir, key, generated_at=datetime(old.year + 1, 3, 6))
    old_form = old_dir / form_file_name(old, by_name[ev])
    target = out / form_file_name(rubric, by_name[ev])
    fill_form(old_form, target, answers[ev], dates[ev])
    shutil.rmtree(old_dir)
    sim.planted.append(f"{ev}：用 {old.year} 年度的旧评价表填写")
    # 6. a locked item text edited
    ev = names[5]
    path = out / form_file_name(rubric, by_name[ev])
    wb = openpyxl.load_workbook(path)
    cell = wb[FORM_SHEET].cell(FIRST_DATA_ROW + 1, COL_TEXT + 1)
    cell.value = f"{cell.value}（已修改）"
    wb.save(path)
    sim.planted.append(f"{ev}：改动了锁定的项目文字（{cell.coordinate}）")
    # 7. a broken signature
    ev = names[6]
    path = out / form_file_name(rubric, by_name[ev])
    wb = openpyxl.load_workbook(path)
    ws = wb[MANIFEST_SHEET]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "hmac":
            row[1].value = ("0" if str(row[1].value)[0] != "0" else "1") + str(row[1].value)[1:]
    wb.save(path)
    sim.planted.append(f"{ev}：评价表签名被破坏")
    # 8. a late fill date
    ev = names[7]
    late = rubric.return_deadline + timedelta(days=15)
    refill(ev, {}, late)
    sim.planted.append(f"{ev}：填报日期 {late:%Y-%m-%d} 晚于截止日期")
    # 9. a corrupt file (saved half-way)
    ev = names[8]
    path = out / form_file_name(rubric, by_name[ev])
    path.write_bytes(path.read_bytes()[:4000])
    sim.planted.append(f"{ev}：文件损坏（未保存完整）")
    # 10. a stray Word file
    doc = Document()
    doc.add_paragraph(f"{rubric.units[0].name}{rubric.year}年度质量工作考核自评报告")
    stray = out / f"{rubric.units[0].name}自评报告.docx"
    doc.save(str(stray))
    sim.planted.append(f"误放的 Word 文件：{stray.name}")
    sim.files += [second, stray]
