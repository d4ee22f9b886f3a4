"""Year over year: two finished runs compared unit by unit (qe compare).

The runs may come from different rubrics: areas are matched by id, else by name; items by id,
with the items only one year has listed as added or removed. Runs are read through
`read_run`: their results.json, the adopted result, never by reaching into other files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from ..amounts import canonical
from ..problems import Problem, problem
from .run_record import read_run

FONT = "宋体"


@dataclass(frozen=True)
class RunUnit:
    unit: str
    total: Decimal
    grade: str
    rank: int
    complete: bool
    areas: dict[str, Decimal]  # area id -> points
    items: dict[str, Decimal | None]  # item id -> points (None: no valid value)
    kinds: dict[str, str]  # item id -> kind


@dataclass(frozen=True)
class Run:
    folder: Path
    year: int
    areas: dict[str, str]  # id -> name, in the plan's order
    units: dict[str, RunUnit]  # in the plan's order


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def run_from_dict(folder: Path, data: dict[str, Any]) -> Run:
    """A run from its results dict (`results_dict`, or results.json read back)."""
    units = {
        u["unit"]: RunUnit(
            unit=u["unit"],
            total=_dec(u["total"]),
            grade=u["grade"],
            rank=int(u["rank"]),
            complete=bool(u["complete"]),
            areas={k: _dec(v) for k, v in u["areas"].items()},
            items={i["id"]: None if i["points"] is None else _dec(i["points"]) for i in u.get("items", [])},
            kinds={i["id"]: i["kind"] for i in u.get("items", [])},
        )
        for u in data["units"]
    }
    return Run(folder, int(data["year"]), dict(data["areas"]), units)


def run_of(folder: Path) -> tuple[Run | None, list[Problem]]:
    """A finished run's per-unit results as adopted (`read_run`); a problem when the folder is not a run."""
    record, _ = read_run(folder)
    try:
        if record is not None:
            return run_from_dict(folder, record.data), []
    except (ValueError, KeyError, TypeError, ArithmeticError):
        pass
    return None, [problem("COMPARE_RUN_INVALID", file=str(folder), folder=str(folder))]


def compare_with_previous(previous: Path, this_run: dict[str, Any]) -> tuple[YearOverYear | None, list[Problem]]:
    """This run (its results dict) against an earlier run folder, for 与上年比较."""
    old, problems = run_of(previous)
    if old is None:
        return None, problems
    return compare_runs(old, run_from_dict(Path(), this_run)), []


@dataclass(frozen=True)
class AreaMatch:
    old_id: str
    new_id: str
    name: str  # this year's name
    by: str  # "编号" or "名称"


def match_areas(old: Run, new: Run) -> tuple[list[AreaMatch], list[str], list[str]]:
    """Areas matched by id, else by name; and this year's and last year's unmatched area names."""
    matches = [AreaMatch(i, i, name, "编号") for i, name in new.areas.items() if i in old.areas]
    left_old = {i: n for i, n in old.areas.items() if i not in new.areas}
    by_name = {n: i for i, n in left_old.items()}
    for i, name in new.areas.items():
        if i not in old.areas and name in by_name:
            matches.append(AreaMatch(by_name.pop(name), i, name, "名称"))
    order = list(new.areas)
    matches.sort(key=lambda m: order.index(m.new_id))
    matched_new = {m.new_id for m in matches}
    return matches, [n for i, n in new.areas.items() if i not in matched_new], list(by_name)


@dataclass(frozen=True)
class UnitChange:
    unit: str
    old: RunUnit
    new: RunUnit

    @property
    def total_change(self) -> Decimal:
        return self.new.total - self.old.total

    @property
    def rank_change(self) -> int:
        """Places moved up (positive) or down (negative)."""
        return self.old.rank - self.new.rank


@dataclass
class YearOverYear:
    old: Run
    new: Run
    units: list[UnitChange]
    units_added: list[str]
    units_removed: list[str]
    areas: list[AreaMatch]
    areas_added: list[str]
    areas_removed: list[str]
    items_added: list[str]
    items_removed: list[str]
    items_common: list[str] = field(default_factory=list)

    def area_rows(self) -> list[list[Any]]:
        """县区 | 领域 | 上年 | 本年 | 变化 | 对应方式."""
        return [
            [
                c.unit,
                m.name,
                c.old.areas[m.old_id],
                c.new.areas[m.new_id],
                c.new.areas[m.new_id] - c.old.areas[m.old_id],
                m.by,
            ]
            for c in self.units
            for m in self.areas
        ]

    def item_rows(self) -> list[list[Any]]:
        """编号 | 县区 | 上年 | 本年 | 变化, for the items both years have."""
        rows = []
        for item_id in self.items_common:
            for c in self.units:
                old, new = c.old.items.get(item_id), c.new.items.get(item_id)
                rows.append([item_id, c.unit, old, new, None if old is None or new is None else new - old])
        return rows

    def unit_header(self) -> list[str]:
        old, new = f"{self.old.year}年度", f"{self.new.year}年度"
        return ["县区", f"{old}总分", f"{new}总分", "变化", f"{old}等级", f"{new}等级", f"{old}排名", f"{new}排名",
                "名次变化"]  # fmt: skip

    def unit_text_rows(self) -> list[list[str]]:
        """The units table as text for the console: totals with two decimals, changes signed."""
        return [
            ["" if v is None else f"{v:+.2f}" if n == 3 else f"{v:.2f}" if isinstance(v, Decimal) else str(v)
             for n, v in enumerate(row)]
            for row in self.unit_rows()
        ]  # fmt: skip

    def unit_rows(self) -> list[list[Any]]:
        """县区 | 上年总分 | 本年总分 | 变化 | 上年等级 | 本年等级 | 上年排名 | 本年排名 | 名次变化."""
        rows: list[list[Any]] = [
            [c.unit, c.old.total, c.new.total, c.total_change, c.old.grade, c.new.grade, c.old.rank, c.new.rank,
             _places(c.rank_change)]
            for c in sorted(self.units, key=lambda c: c.new.rank)
        ]  # fmt: skip
        rows += [[u, None, self.new.units[u].total, None, "", self.new.units[u].grade, None, self.new.units[u].rank, "本年新增"] for u in self.units_added]  # fmt: skip
        rows += [[u, self.old.units[u].total, None, None, self.old.units[u].grade, "", self.old.units[u].rank, None, "本年不再考核"] for u in self.units_removed]  # fmt: skip
        return rows

    def to_dict(self) -> dict[str, Any]:
        def n(v: Decimal | None) -> str | None:
            return None if v is None else canonical(v)

        return {
            "old": {"folder": str(self.old.folder), "year": self.old.year},
            "new": {"folder": str(self.new.folder), "year": self.new.year},
            "units": [
                {
                    "unit": c.unit,
                    "old_total": n(c.old.total),
                    "new_total": n(c.new.total),
                    "total_change": n(c.total_change),
                    "old_grade": c.old.grade,
                    "new_grade": c.new.grade,
                    "old_rank": c.old.rank,
                    "new_rank": c.new.rank,
                    "rank_change": c.rank_change,
                    "areas": {m.new_id: n(c.new.areas[m.new_id] - c.old.areas[m.old_id]) for m in self.areas},
                }
                for c in self.units
            ],
            "units_added": self.units_added,
            "units_removed": self.units_removed,
            "areas": [{"old_id": m.old_id, "new_id": m.new_id, "name": m.name, "matched_by": m.by} for m in self.areas],
            "areas_added": self.areas_added,
            "areas_removed": self.areas_removed,
            "items_added": self.items_added,
            "items_removed": self.items_removed,
        }


def _places(change: int) -> str:
    if change > 0:
        return f"上升 {change} 位"
    if change < 0:
        return f"下降 {-change} 位"
    return "不变"


def _item_ids(run: Run) -> list[str]:
    seen: dict[str, None] = {}
    for u in run.units.values():
        seen.update(dict.fromkeys(u.items))
    return list(seen)


def compare_runs(old: Run, new: Run) -> YearOverYear:
    areas, areas_added, areas_removed = match_areas(old, new)
    old_items, new_items = _item_ids(old), _item_ids(new)
    return YearOverYear(
        old=old,
        new=new,
        units=[UnitChange(u, old.units[u], new.units[u]) for u in new.units if u in old.units],
        units_added=[u for u in new.units if u not in old.units],
        units_removed=[u for u in old.units if u not in new.units],
        areas=areas,
        areas_added=areas_added,
        areas_removed=areas_removed,
        items_added=[i for i in new_items if i not in old_items],
        items_removed=[i for i in old_items if i not in new_items],
        items_common=[i for i in new_items if i in old_items],
    )


def write_comparison(path: Path, yoy: YearOverYear) -> Path:
    """The comparison as a workbook: units, areas, items, and what only one year has."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    base = {"font_name": FONT, "font_size": 11, "border": 1, "valign": "vcenter"}
    head = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "align": "center"})
    text = wb.add_format(base)
    num = wb.add_format({**base, "num_format": "0.00"})
    up = wb.add_format({**base, "num_format": "+0.00;-0.00;0.00"})
    years = f"{yoy.old.year}年度", f"{yoy.new.year}年度"
    sheets: list[tuple[str, Sequence[str], list[list[Any]], Sequence[float]]] = [
        ("总分和等级", yoy.unit_header(), yoy.unit_rows(), [20, 12, 12, 10, 10, 10, 10, 10, 14]),
        ("各领域", ["县区", "考核领域", years[0], years[1], "变化", "对应方式"], yoy.area_rows(), [20, 18, 12, 12, 10, 10]),
        ("各项目", ["项目编号", "县区", years[0], years[1], "变化"], yoy.item_rows(), [12, 20, 12, 12, 10]),
        ("项目增减", ["项目编号", "变化"],
         [[i, f"{years[1]}新增"] for i in yoy.items_added] + [[i, f"{years[1]}取消"] for i in yoy.items_removed],
         [14, 16]),
    ]  # fmt: skip
    for name, header, rows, widths in sheets:
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, header, head)
        ws.set_row(0, 32)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, Decimal):
                    ws.write_number(r, c, float(value), up if header[c] == "变化" else num)
                elif value is None:
                    ws.write_blank(r, c, None, text)
                else:
                    ws.write(r, c, value, text)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
    wb.close()
    return path


@dataclass
class Comparison:
    result: YearOverYear | None
    problems: list[Problem]
    written: Path | None = None


def compare_run_folders(old_dir: Path, new_dir: Path, out: Path | None = None) -> Comparison:
    """Read two run folders, compare them and write the workbook (never over an existing file).

    The default workbook is out/年度比较_<old year>-<new year>.xlsx.
    """
    old, p_old = run_of(old_dir)
    new, p_new = run_of(new_dir)
    if old is None or new is None:
        return Comparison(None, p_old + p_new)
    result = compare_runs(old, new)
    out = out or Path("out") / f"年度比较_{old.year}-{new.year}.xlsx"
    if out.exists():
        fix = "请用 --out 指定新的文件名，或先把原文件改名。"
        return Comparison(result, [problem("RUBRIC_OUTPUT_EXISTS", file=str(out), fix=fix, path=str(out))])
    out.parent.mkdir(parents=True, exist_ok=True)
    return Comparison(result, [], write_comparison(out, result))
