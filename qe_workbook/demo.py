"""`qe demo`: the whole cycle on one machine — keygen, generate, simulate the returns, collect."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .forms.generate import generate_forms
from .forms.simulate import simulate
from .keys import create_key
from .outputs.run_folder import free_name
from .pipeline import RunReport, run_collect
from .rubric import Rubric


def new_folder(parent: Path, now: datetime | None = None) -> Path:
    folder = free_name(parent, (now or datetime.now()).strftime("%Y%m%d-%H%M%S"))
    folder.mkdir(parents=True)
    return folder


def run_demo(rubric: Rubric, out_root: Path, *, seed: int = 2022) -> RunReport:
    """Everything in a new folder under `out_root`: key, forms, simulated returns, results."""
    folder = new_folder(out_root)
    key = create_key(folder / "qe.key")
    generate_forms(rubric, folder / "forms", key)
    simulate(rubric, folder / "forms", folder / "returned", seed=seed)
    return run_collect(folder / "returned", rubric, key, folder / "results")
