"""Rebuild samples/other-city/: a made-up 2023 plan of another city (清河市) that uses most scoring rules.

Run from the repository root: python scripts/make_other_city.py
It exports the rubric to its Excel workbook, generates the evaluation forms with the practice key, fills them
with the values below (the README works out every unit's total from them by hand) and writes them to
samples/other-city/returned/.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

from qe_workbook.forms.fill import Answer, fill_form
from qe_workbook.forms.generate import generate_forms
from qe_workbook.keys import read_key
from qe_workbook.rubric import load_rubric
from qe_workbook.rubric.workbook.export import export_workbook

FOLDER = Path("samples") / "other-city"
ISSUED = datetime(2024, 1, 8, 9, 0, 0)
FILLED_ON = date(2024, 2, 5)
EAST, WEST, OLD, NEW = "东陵县", "西岭县", "城关区", "新华区"
WHY = "有不足，建议改进。"


def checklist(answers: str) -> list[Answer]:
    """'是否是是' → one answer per aspect, a remark where an aspect is missing."""
    return [(a, "" if a == "是" else "该项工作未落实，请整改。") for a in answers]


ANSWERS: dict[str, dict[tuple[str, str], Answer | list[Answer]]] = {
    "市市场监管局": {
        (EAST, "1-1"): (98.6, ""), (EAST, "1-4"): (320, ""), (EAST, "2-1"): checklist("是是是是"),
        (EAST, "2-3"): (9, WHY), (EAST, "3-1"): (19, WHY), (EAST, "3-2"): (20, ""), (EAST, "4-1"): (0, ""),
        (EAST, "5-1"): (3, "获省质量奖三项。"),
        (WEST, "1-1"): (96.5, ""), (WEST, "1-4"): (410, ""), (WEST, "2-1"): checklist("是否是是"),
        (WEST, "2-3"): (8, WHY), (WEST, "3-1"): (18, WHY), (WEST, "3-2"): (15, WHY), (WEST, "4-1"): (0, ""),
        (WEST, "5-1"): (0, ""),
        (OLD, "1-1"): (97.2, ""), (OLD, "1-4"): (560, ""), (OLD, "2-1"): checklist("是是否否"),
        (OLD, "2-4"): (9.5, WHY), (OLD, "3-1"): (20, ""), (OLD, "3-2"): (19, WHY), (OLD, "4-1"): (0, ""),
        (OLD, "5-1"): (1, "获省质量奖一项。"),
        (NEW, "1-1"): (99.1, ""), (NEW, "1-4"): (560, ""), (NEW, "2-1"): checklist("是是是否"),
        (NEW, "2-4"): (7, WHY), (NEW, "3-1"): (16, WHY), (NEW, "3-2"): (16, WHY), (NEW, "4-1"): (7, "发生七起质量安全事故。"),
        (NEW, "5-1"): (0, ""),
    },
    "市工信局": {(EAST, "1-2"): (85.5, ""), (WEST, "1-2"): (92, ""), (OLD, "1-2"): (59.9, ""), (NEW, "1-2"): (80, "")},
    "市农业农村局": {
        (EAST, "1-3"): ("好", ""), (EAST, "3-1"): (19.5, WHY), (WEST, "1-3"): ("较好", WHY), (WEST, "3-1"): (17, WHY),
        (OLD, "1-3"): ("一般", WHY), (OLD, "3-1"): (20, ""), (NEW, "1-3"): ("好", ""), (NEW, "3-1"): (15, WHY),
    },
    "市畜牧局": {(EAST, "1-3"): ("较好", WHY), (WEST, "1-3"): ("较好", WHY), (OLD, "1-3"): ("好", ""), (NEW, "1-3"): ("一般", WHY)},
    "市住建局": {(EAST, "2-2"): (9, WHY), (WEST, "2-2"): (6, WHY), (OLD, "2-2"): (8.5, WHY), (NEW, "2-2"): (10, "")},
    "市质量办": {
        (EAST, "3-2"): (18, WHY), (EAST, "4-2"): (0, ""), (EAST, "5-2"): (1.5, "经验被省里推广。"),
        (EAST, "6-1"): ("是", "发生区域性质量安全事件。"),
        (WEST, "3-2"): (17, WHY), (WEST, "4-2"): (3, "被省里通报批评一次，扣3分。"), (WEST, "5-2"): (0, ""),
        (WEST, "6-1"): ("否", ""),
        (OLD, "3-2"): (19, WHY), (OLD, "4-2"): (0, ""), (OLD, "5-2"): (0, ""), (OLD, "6-1"): ("否", ""),
        (NEW, "3-2"): (18.5, WHY), (NEW, "4-2"): (0, ""), (NEW, "5-2"): (2, "经验被国家推广。"), (NEW, "6-1"): ("否", ""),
    },
}  # fmt: skip


def main() -> None:
    source = FOLDER / "rubric.json"
    rubric = load_rubric(source).rubric
    key, _ = read_key(Path("samples") / "qe-sample.key")
    assert rubric is not None and key is not None
    workbook = FOLDER / "考核细则.xlsx"
    workbook.unlink(missing_ok=True)
    export_workbook(json.loads(source.read_text(encoding="utf-8")), workbook)
    returned = FOLDER / "returned"
    shutil.rmtree(returned, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        for form in generate_forms(rubric, Path(tmp), key, generated_at=ISSUED).forms:
            fill_form(form.path, returned / form.path.name, ANSWERS[form.evaluator.name], FILLED_ON)
    print(f"{returned}: {len(list(returned.iterdir()))} files")


if __name__ == "__main__":
    main()
