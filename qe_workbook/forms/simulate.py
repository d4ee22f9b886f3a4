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
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
from docx import Document

from ..amounts import canonical
from ..choices import PROFILES as PROFILES
from ..rubric import BaseRule, ChecklistRule, Item, Kind, LinearRule, RangedRule, RankRule, Rubric, TableRule
from ..rubric.rules import NO, YES
from .asks import Ask, is_plain
from .fill import Answer, fill_form
from .generate import generate_forms
from .layout import COL_TEXT, FIRST_DATA_ROW, FORM_SHEET, MANIFEST_SHEET, form_file_name

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

Answers = dict[str, dict[tuple[str, str], Answer | list[Answer]]]


@dataclass
class Simulation:
    files: list[Path]
    planted: list[str] = field(default_factory=list)  # the mistakes made on purpose (with-problems)
    skipped: list[str] = field(default_factory=list)  # mistakes the rubric has no department left for


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
    by_rule = random.Random(f"{seed}-rules")  # rule items draw apart: a plan without rules is filled as it was
    for ev in rubric.form_evaluators():
        cells = answers.setdefault(ev.name, {})
        for unit in rubric.units:
            for item in rubric.items_for(ev.name):
                key = (unit.name, item.id)
                if not item.applies_to(unit):
                    continue
                if not is_plain(item):
                    cells[key] = rule_answer(by_rule, item, levels[unit.name], key in events or key == bonus)
                elif item.kind is Kind.SCORE:
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


def rule_answer(rng: random.Random, item: Item, level: float, happened: bool) -> Answer | list[Answer]:
    """A valid answer for an item whose rule asks for a tier, a figure, aspects, a score over a base, a ranged
    deduction or a count: good units mostly at the top, a remark wherever points are lost."""
    rule, ask = item.rule, Ask.of(item)
    if isinstance(rule, ChecklistRule):
        return [(YES, "") if rng.random() < level else (NO, remark(rng, item)) for _ in rule.aspects]
    if ask.asked.kind == "choice":
        top = ask.top_choice
        choice = top if rng.random() < level else rng.choice(ask.asked.choices)
        return (choice, "" if choice == top else remark(rng, item))
    if isinstance(rule, BaseRule):
        value = _points(rng, item, level)
        value = max(value, rule.base)
        return (float(value), remark(rng, item) if value < item.max else "")
    if isinstance(rule, RangedRule):
        return (
            (float(rule.min), f"考核年度内发生1起：{topic(item)}，扣{canonical(rule.min)}分。") if happened else (0, "")
        )
    if ask.counts:
        return (1, f"考核年度内1项：{topic(item)}。") if happened else (0, "")
    return (float(_figure(rng, item, level)), "")


def _figure(rng: random.Random, item: Item, level: float) -> Decimal:
    """A figure near the plan's mark (a linear rule's full marks, a table's top rows), within the figure's range."""
    ask = Ask.of(item)
    low, high = ask.asked.min or Decimal(0), ask.asked.max if ask.asked.max is not None else Decimal(1000)
    rule = item.rule
    mark = rule.full_at if isinstance(rule, LinearRule) else high * Decimal("0.9")
    if isinstance(rule, TableRule):
        mark = max(r.start for r in rule.rows)
    spread = Decimal(str(rng.uniform(-1, 4))) * Decimal(str(1.2 - level)) * (high - low) / 50
    lower_is_better = isinstance(rule, LinearRule | TableRule | RankRule) and rule.figure.lower_is_better
    value = mark + spread if lower_is_better else mark - spread
    step = Decimal(1).scaleb(-min(ask.asked.decimals, 2))
    return min(high, max(low, value.quantize(step, rounding=ROUND_HALF_UP)))


def issue_time(rubric: Rubric) -> datetime:
    """When a simulated year's office issues its forms and packages: five weeks before the units' materials are
    due (2023-03-06 for the 2022 plan), so that every simulated fill date comes after it, whatever day it is now."""
    return datetime.combine(rubric.materials_deadline - timedelta(days=35), time(9))


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
    scored = [i for i in rubric.items_for(evaluator) if i.kind is Kind.SCORE]
    item = next((i for i in scored if is_plain(i)), scored[0])
    return rubric.units[0].name, item


@dataclass
class _Planting:
    """What planting a mistake needs: the rubric, the forms, the clean answers and where to write."""

    rubric: Rubric
    forms_dir: Path
    out: Path
    answers: Answers
    dates: dict[str, date]
    key: bytes
    sim: Simulation

    def form(self, ev: str, rubric: Rubric | None = None) -> str:
        rb = rubric or self.rubric
        return form_file_name(rb, next(e for e in rb.form_evaluators() if e.name == ev))

    def refill(
        self, ev: str, changes: dict[tuple[str, str], Answer], when: date | str, dst: Path | None = None
    ) -> Path:
        path = dst or self.out / self.form(ev)
        fill_form(self.forms_dir / self.form(ev), path, {**self.answers[ev], **changes}, when)
        return path


def _above_max(p: _Planting, ev: str) -> str:
    """A score above the maximum, pasted past the validation."""
    unit, item = _first_unit_cell(p.rubric, ev)
    p.refill(ev, {(unit, item.id): (float(item.max) + 1, "工作成效突出，超额完成任务。")}, p.dates[ev])
    return f"{ev}：{unit} {item.id} 得分 {canonical(item.max + 1)} 超过满分 {canonical(item.max)}"


def _text_score(p: _Planting, ev: str) -> str:
    unit, item = _first_unit_cell(p.rubric, ev)
    p.refill(ev, {(unit, item.id): ("满分", "")}, p.dates[ev])
    return f"{ev}：{unit} {item.id} 得分填了“满分”"


def _no_remark(p: _Planting, ev: str) -> str:
    unit, item = _first_unit_cell(p.rubric, ev)
    p.refill(ev, {(unit, item.id): (float(item.max) / 2, "")}, p.dates[ev])
    return f"{ev}：{unit} {item.id} 失分但未填写评价说明"


def _second_file(p: _Planting, ev: str) -> str:
    """A second, different file from one department."""
    unit, item = _first_unit_cell(p.rubric, ev)
    second = p.out / "更正版" / f"{ev}（更正）.xlsx"
    p.refill(ev, {(unit, item.id): (0, "更正：该项工作未开展。")}, p.dates[ev] + timedelta(days=2), second)
    p.sim.files.append(second)
    return f"{ev}：交来两份内容不同的评价表（含 更正版/{second.name}）"


def _old_template(p: _Planting, ev: str) -> str:
    """A form from last year's rubric, signed with the same key."""
    old = replace(p.rubric, year=p.rubric.year - 1)
    old_dir = p.out / ".old-template"
    generate_forms(old, old_dir, p.key, generated_at=datetime(old.year + 1, 3, 6))
    fill_form(old_dir / p.form(ev, old), p.out / p.form(ev), p.answers[ev], p.dates[ev])
    shutil.rmtree(old_dir)
    return f"{ev}：用 {old.year} 年度的旧评价表填写"


def _locked_text(p: _Planting, ev: str) -> str:
    path = p.out / p.form(ev)
    wb = openpyxl.load_workbook(path)
    cell = wb[FORM_SHEET].cell(FIRST_DATA_ROW + 1, COL_TEXT + 1)
    cell.value = f"{cell.value}（已修改）"
    wb.save(path)
    return f"{ev}：改动了锁定的项目文字（{cell.coordinate}）"


def _broken_signature(p: _Planting, ev: str) -> str:
    path = p.out / p.form(ev)
    wb = openpyxl.load_workbook(path)
    for row in wb[MANIFEST_SHEET].iter_rows(min_row=2):
        if row[0].value == "hmac":
            row[1].value = ("0" if str(row[1].value)[0] != "0" else "1") + str(row[1].value)[1:]
    wb.save(path)
    return f"{ev}：评价表签名被破坏"


def _late(p: _Planting, ev: str) -> str:
    late = p.rubric.return_deadline + timedelta(days=15)
    p.refill(ev, {}, late)
    return f"{ev}：填报日期 {late:%Y-%m-%d} 晚于截止日期"


def _corrupt(p: _Planting, ev: str) -> str:
    """A file saved half-way."""
    path = p.out / p.form(ev)
    path.write_bytes(path.read_bytes()[:4000])
    return f"{ev}：文件损坏（未保存完整）"


# Each mistake on a different department's return, in this order; the first four need a score item.
# (mistake, needs a score item, what it is, for the list of those the rubric has no department left for)
MISTAKES = (
    (_above_max, True, "得分超过满分"),
    (_text_score, True, "得分填写文字"),
    (_no_remark, True, "失分未填写评价说明"),
    (_second_file, True, "同一部门交来两份不同的评价表"),
    (_old_template, False, "使用上一年度的评价表"),
    (_locked_text, False, "改动锁定的项目文字"),
    (_broken_signature, False, "评价表签名被破坏"),
    (_late, False, "填报日期晚于截止日期"),
    (_corrupt, False, "文件损坏"),
)


def _plant_problems(
    rubric: Rubric, forms_dir: Path, out: Path, answers: Answers, dates: dict[str, date], key: bytes, sim: Simulation
) -> None:
    """The mistakes an office really receives, each on a different department's return, as far as the
    rubric has departments for them (a mistake in a score needs a department with a score item)."""
    p = _Planting(rubric, forms_dir, out, answers, dates, key, sim)
    free = [ev.name for ev in rubric.form_evaluators()]
    for plant, needs_score, what in MISTAKES:
        ev = next((e for e in free if not needs_score or any(i.kind is Kind.SCORE for i in rubric.items_for(e))), None)
        if ev is None:
            sim.skipped.append(what)
            continue
        free.remove(ev)
        sim.planted.append(plant(p, ev))
    # and a stray Word file, for any rubric
    doc = Document()
    doc.add_paragraph(f"{rubric.units[0].name}{rubric.year}年度质量工作考核自评报告")
    stray = out / f"{rubric.units[0].name}自评报告.docx"
    doc.save(str(stray))
    sim.planted.append(f"误放的 Word 文件：{stray.name}")
    sim.files.append(stray)
