"""`qe demo`: the whole cycle on one machine, in a new folder — keygen; the units' packages, their
simulated materials and `qe units check`; the evaluation forms, the simulated returns and `qe collect`.
Forms and packages are dated in the plan's own year (`issue_time`), as the simulated fill dates are, so the
demo runs clean on any day.

The units' side and the forms' side share nothing but the rubric and the key, so the units' side runs in
a spawned process (parallel.py) while this one writes and collects the forms.

With `self_scoring` (or a rubric that already asks for it) the demo works on its own copy of the
rubric with self-scoring on (rubric.json in the demo folder): each unit also fills its 自评打分表, and
the collect run compares the self-scores with the evaluated scores in master.xlsx and the letters.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from .extras import SelfScores
from .forms.generate import generate_forms
from .forms.simulate import issue_time, simulate
from .keys import create_key
from .parallel import spawn_pool
from .pipeline import CollectOptions, RunReport, run_collect
from .rubric import Rubric, load_rubric
from .rubric.load import read_rubric_json
from .rubric.workbook.files import rubric_json_text
from .run_folder import new_stamped_folder
from .scoring.score import Results
from .units.check import UnitsCheck
from .units.package import generate_packages
from .units.report_out import run_units_check
from .units.simulate import simulate_units

DEMO_RUBRIC = "rubric.json"


@dataclass(frozen=True)
class DemoRun:
    folder: Path
    rubric: Rubric  # the rubric the demo ran on (its own copy when self-scoring was turned on)
    units: UnitsCheck
    units_folder: Path
    report: RunReport


def run_demo(
    rubric: Rubric,
    out_root: Path,
    *,
    seed: int = 2022,
    self_scoring_from: Path | None = None,
) -> DemoRun:
    """Everything in a new folder under `out_root`. With `self_scoring_from` (the rubric's file), the demo
    turns self-scoring on in its own copy of that rubric."""
    folder = new_stamped_folder(out_root)
    if self_scoring_from is not None and not rubric.self_scoring:
        rubric = self_scoring_copy(self_scoring_from, folder / DEMO_RUBRIC)
    key = create_key(folder / "qe.key")
    with spawn_pool(1) as pool:
        units_side = pool.submit(units_cycle, rubric, folder, key)
        generate_forms(rubric, folder / "forms", key, generated_at=issue_time(rubric))
        simulate(rubric, folder / "forms", folder / "returned", seed=seed)
        extras = [SelfScores(units_side.result()[1])] if rubric.self_scoring else []  # the self-scores are read there
        report = run_collect(folder / "returned", rubric, key, CollectOptions(folder / "results"), extras)
        units, units_folder = units_side.result()
    return DemoRun(folder, rubric, units, units_folder, report)


def sample_results(rubric: Rubric, seed: int = 2022) -> Results:
    """The results of a simulated year (forms generated, filled as the demo fills them, collected) in a temporary
    folder that is gone afterwards: data for trying the documents' templates."""
    with tempfile.TemporaryDirectory(prefix="qe-sample-") as tmp:
        folder = Path(tmp)
        key = create_key(folder / "qe.key")
        generate_forms(rubric, folder / "forms", key, generated_at=issue_time(rubric))
        simulate(rubric, folder / "forms", folder / "returned", seed=seed)
        return run_collect(folder / "returned", rubric, key, CollectOptions(folder / "results", reports=False)).results


def units_cycle(rubric: Rubric, folder: Path, key: bytes) -> tuple[UnitsCheck, Path]:
    """The units' packages, their simulated materials and `qe units check` on what they sent."""
    generate_packages(rubric, folder / "units", key, generated_at=issue_time(rubric))
    simulate_units(rubric, folder / "units", folder / "units-received")
    return run_units_check(folder / "units-received", rubric, key, folder / "units-check")


def self_scoring_copy(source: Path, path: Path) -> Rubric:
    """The rubric at `source` with self-scoring on, written to `path` and loaded from there."""
    data, _ = read_rubric_json(source)
    path.write_text(rubric_json_text({**data, "self_scoring": True}), encoding="utf-8")
    load = load_rubric(path)
    if load.rubric is None:  # the source loaded cleanly and only a boolean was added: a defect here
        raise ValueError(load.problems)
    return load.rubric
