"""`qe demo`: the whole cycle on one machine — keygen, generate, simulate the returns, collect;
and the units' side: their packages, simulated materials, `qe units check`."""

from __future__ import annotations

from pathlib import Path

from .forms.generate import generate_forms
from .forms.simulate import simulate
from .keys import create_key, read_key
from .outputs.run_folder import new_stamped_folder
from .pipeline import RunReport, run_collect
from .rubric import Rubric
from .units.check import UnitsCheck
from .units.package import generate_packages
from .units.report_out import run_units_check
from .units.simulate import simulate_units


def run_demo(rubric: Rubric, out_root: Path, *, seed: int = 2022) -> RunReport:
    """Everything in a new folder under `out_root`: key, forms, simulated returns, results."""
    folder = new_stamped_folder(out_root)
    key = create_key(folder / "qe.key")
    generate_forms(rubric, folder / "forms", key)
    simulate(rubric, folder / "forms", folder / "returned", seed=seed)
    return run_collect(folder / "returned", rubric, key, folder / "results")


def run_units_demo(rubric: Rubric, folder: Path) -> tuple[UnitsCheck, Path]:
    """In a demo folder (with its qe.key): the units' packages, their simulated materials, the check."""
    key, problems = read_key(folder / "qe.key")
    if key is None:
        raise ValueError(problems)  # the demo wrote this key itself: not the user's input
    generate_packages(rubric, folder / "units", key)
    simulate_units(rubric, folder / "units", folder / "units-received")
    return run_units_check(folder / "units-received", rubric, key, folder / "units-check")
