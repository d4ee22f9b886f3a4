"""Correction forms put over a department's earlier values, for their units' rows only.

For each department, its accepted correction forms are taken in the order they were generated
(the signed generation time, then the generation register's number): for each unit, the latest
correction holding the unit wins. Its rows replace that unit's rows of the department's full form
and of any earlier correction; the other units keep the full form's values. An earlier correction
left with no unit of its own is set aside as superseded. Everything done is said in the problems
(and so in 问题清单), in each file's 说明 (报送情况, audit.json) and, through the entries, in 明细.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..forms.register import Register
from ..problems import Problem, problem
from ..rubric import Rubric
from .submission import Status, Submission


def _order(sub: Submission, register: Register | None) -> tuple[str, int, str]:
    found = register.generation_of(sub.form_id) if register is not None and sub.form_id else None
    return sub.generated_at, found[0].number if found else 0, sub.file


def _names(units: Sequence[str], rubric: Rubric) -> list[str]:
    return [u.name for u in rubric.units if u.name in units]


def apply_corrections(submissions: Sequence[Submission], rubric: Rubric, register: Register | None) -> list[Problem]:
    """Mark which units' rows each accepted form keeps; set aside corrections fully replaced by later ones."""
    problems: list[Problem] = []
    accepted = [s for s in submissions if s.status == Status.ACCEPTED and s.evaluator]
    for evaluator in dict.fromkeys(s.evaluator for s in accepted if s.units):
        corrections = sorted((s for s in accepted if s.evaluator == evaluator and s.units),
                             key=lambda s: _order(s, register))  # fmt: skip
        originals = [s for s in accepted if s.evaluator == evaluator and not s.units]
        winner = {unit: c for c in corrections for unit in c.units}  # the last (newest) correction of each unit
        for c in corrections:
            lost = _names([u for u in c.units if winner[u] is not c], rubric)
            if not lost:
                continue
            c.replaced.update({u: winner[u].file for u in lost})
            newer = list(dict.fromkeys(winner[u].file for u in lost))
            if len(lost) == len(c.units):
                c.status, c.reason = Status.SUPERSEDED, f"已由更晚生成的更正表 {'、'.join(newer)} 替换"
            problems.append(problem("CORRECTION_SUPERSEDED", file=c.file, evaluator=evaluator, units=lost,
                                    newer=newer, whole=len(lost) == len(c.units)))  # fmt: skip
        for c in (c for c in corrections if c.status == Status.ACCEPTED):
            won = _names([u for u in c.units if winner[u] is c], rubric)
            rows = sum(1 for e in c.entries if e.unit in won)
            c.reason = f"更正表：{'、'.join(won)}的 {rows} 项采用本表的值"
            for original in originals:
                original.replaced.update({u: c.file for u in won})
            replaced = "、".join(o.file for o in originals) or "（无）"
            problems.append(problem("CORRECTION_APPLIED", file=c.file, evaluator=evaluator, units=won, count=rows,
                                    original=replaced))  # fmt: skip
            if not originals:
                problems.append(problem("CORRECTION_WITHOUT_ORIGINAL", file=c.file, evaluator=evaluator, units=won))
        for original in originals:
            if original.replaced:
                by_file: dict[str, list[str]] = {}
                for unit, file in original.replaced.items():
                    by_file.setdefault(file, []).append(unit)
                note = "；".join(f"{'、'.join(units)}的项目已由更正表 {file} 更正" for file, units in by_file.items())
                original.reason = f"{note}；其他单位采用本表"
    return problems
