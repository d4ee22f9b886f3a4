"""Property: whatever valid values a department writes, the master frame holds exactly those."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qe_workbook.intake.collect import collect
from qe_workbook.rubric import Kind, Rubric
from qe_workbook.scoring.score import score

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, fill_all, generate

REMARK = st.text(
    alphabet=st.sampled_from("优势不足建议加强改进工作abcXYZ0123 ，。；“”=+-@😀𠀀"), min_size=0, max_size=40
)


def _value(kind: Kind, max_points: Decimal) -> st.SearchStrategy[object]:
    if kind is Kind.DEDUCTION:
        return st.integers(0, 9)
    if kind is Kind.VETO:
        return st.sampled_from(["是", "否"])
    cents = int(max_points * 100)
    return st.integers(0, cents).map(lambda c: int(c // 100) if c % 100 == 0 else float(Decimal(c) / 100))


def _answers(rubric: Rubric) -> st.SearchStrategy[dict[str, dict[tuple[str, str], tuple[object, str]]]]:
    cells = {
        (ev.name, unit.name, item.id): st.tuples(_value(item.kind, item.max), REMARK)
        for ev in rubric.form_evaluators()
        for unit in rubric.units
        for item in rubric.items_for(ev.name)
    }
    return st.fixed_dictionaries(cells).map(
        lambda flat: {ev: {(u, i): v for (e, u, i), v in flat.items() if e == ev} for ev in {k[0] for k in flat}}
    )


_RUBRIC_DIR = Path(tempfile.mkdtemp(prefix="qe-roundtrip-"))
RUBRIC = load_ok(write_json(_RUBRIC_DIR / "rubric.json", small_rubric_data()))
FORMS = generate(RUBRIC, _RUBRIC_DIR / "forms")


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(_answers(RUBRIC))
def test_the_frame_holds_exactly_what_was_written(
    answers: dict[str, dict[tuple[str, str], tuple[object, str]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fill_all(FORMS, Path(tmp), answers)
        collected = collect(Path(tmp), RUBRIC, KEY)
        assert {s.status for s in collected.submissions} == {"accepted"}
        assert not [p for p in collected.problems if p.severity == "error"]
        got = {(r.evaluator, r.unit, r.item_id): (r.value_cents, r.remark) for r in collected.frame.itertuples()}
        want = {}
        for ev, cells in answers.items():
            for (unit, item_id), (value, remark) in cells.items():
                number = {"是": Decimal(1), "否": Decimal(0)}.get(value) if isinstance(value, str) else None
                number = number if number is not None else Decimal(repr(value))
                want[(ev, unit, item_id)] = (int(number * 100), remark.strip())
        assert got == want
        results = score(collected.frame, RUBRIC)
        assert all(u.complete for u in results.units)
