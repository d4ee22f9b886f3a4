"""Test helpers: generate forms for a rubric, fill them like departments would, collect them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from qe_workbook.forms.fill import Answer, fill_form
from qe_workbook.forms.generate import GenerateResult, generate_forms
from qe_workbook.rubric import Rubric

KEY = bytes(range(32))
WHEN = datetime(2023, 3, 6, 9, 0, 0)
FILLED_ON = date(2023, 4, 20)

# The small rubric (tests/conftest.py) filled so that 东区 and 西区 tie at 90.5 behind 南区's 98:
#   东区 36 + (18+19)/2 + 35 + bonus 1           = 90.5
#   西区 38 + (17+16)/2 + 37.5 − 1 event × 1.5  = 90.5
#   南区 40 + 20 + 40 − min(3 × 1.5, 2)         = 98
TIE: dict[str, dict[tuple[str, str], Answer]] = {
    "甲局": {
        ("东区", "01-1"): (36, "合格率略低于全市平均，建议加强抽检。"),
        ("东区", "01-2"): (18, "农产品抽检覆盖不足。"),
        ("东区", "02-1"): (0, ""),
        ("西区", "01-1"): (38, "个别产品抽检不合格。"),
        ("西区", "01-2"): (17, "抽检批次偏少。"),
        ("西区", "02-1"): (1, "发生一起重大质量事件。"),
        ("南区", "01-1"): (40, ""),
        ("南区", "01-2"): (20, ""),
        ("南区", "02-1"): (3, "发生三起重大质量事件。"),
    },
    "乙局": {
        ("东区", "01-2"): (19, "农产品监测工作扎实，溯源体系待完善。"),
        ("东区", "03-1"): (35, "制度建设滞后。"),
        ("东区", "03-2"): (1, ""),
        ("西区", "01-2"): (16, "监测覆盖面不足。"),
        ("西区", "03-1"): (37.5, "部分制度未落实。"),
        ("西区", "03-2"): (0, ""),
        ("南区", "01-2"): (20, ""),
        ("南区", "03-1"): (40, ""),
        ("南区", "03-2"): (0, ""),
    },
    "质强办": {("东区", "02-2"): ("否", ""), ("西区", "02-2"): ("否", ""), ("南区", "02-2"): ("否", "")},
}


def generate(rubric: Rubric, folder: Path, key: bytes = KEY) -> GenerateResult:
    return generate_forms(rubric, folder, key, generated_at=WHEN)


def fill_all(
    generated: GenerateResult,
    returned: Path,
    answers: Mapping[str, Mapping[tuple[str, str], Answer]],
    fill_date: date | str | None = FILLED_ON,
) -> dict[str, Path]:
    """Fill every form that has answers; returns evaluator -> returned file."""
    paths = {}
    for form in generated.forms:
        if form.evaluator.name in answers:
            dst = returned / form.path.name
            fill_form(form.path, dst, answers[form.evaluator.name], fill_date)
            paths[form.evaluator.name] = dst
    return paths


def with_changes(
    answers: Mapping[str, Mapping[tuple[str, str], Answer]], evaluator: str, changes: Mapping[tuple[str, str], Answer]
) -> dict[str, dict[tuple[str, str], Answer]]:
    """A copy of the answers with some of one evaluator's cells changed."""
    copied = {ev: dict(cells) for ev, cells in answers.items()}
    copied[evaluator].update(changes)
    return copied
