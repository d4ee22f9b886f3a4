"""The generation register: every `qe generate` recorded, so a re-issued form retires the old one.

The register is one JSON file in the office's own folder (beside the key, by default
`out/评价表生成登记.json`, next to `out/forms/`); it is never sent out. Each generation lists its
forms (evaluator, form id, file name), when it was made, the seed, the rubric's hash and the
folder written. A later generation that holds a complete form for an evaluator supersedes that
evaluator's forms of every earlier generation.

A correction form (a signed form holding only some units' rows of one department) is recorded
the same way, as a generation of kind "correction" whose form lists the units it covers; such a
form replaces only those units' rows and therefore does not supersede the department's full form.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..problems import Problem, problem

REGISTER_NAME = "评价表生成登记.json"
FORMAT = "qe_workbook-register/1"
FULL = "full"
CORRECTION = "correction"
RECTIFY = "rectify"  # the units' 整改台账 (rectify/), one per unit: `evaluator` names the unit


@dataclass(frozen=True)
class FormRecord:
    evaluator: str
    form_id: str
    file: str
    units: tuple[str, ...] = ()  # a correction form: the units whose rows it holds; empty: every unit

    @property
    def complete(self) -> bool:
        return not self.units


@dataclass(frozen=True)
class Generation:
    number: int
    kind: str  # FULL or CORRECTION
    generated_at: str  # ISO time, as signed into the forms' manifests
    seed: str
    year: int
    rubric_hash: str
    folder: str
    forms: tuple[FormRecord, ...]
    source: str = ""  # a ledger generation: the run folder whose fed-back problems it holds

    def form_for(self, evaluator: str) -> FormRecord | None:
        return next((f for f in self.forms if f.evaluator == evaluator), None)


@dataclass
class Register:
    path: Path | None = None
    generations: list[Generation] = field(default_factory=list)

    def generation_of(self, form_id: str) -> tuple[Generation, FormRecord] | None:
        for gen in self.generations:
            for form in gen.forms:
                if form.form_id == form_id:
                    return gen, form
        return None

    def superseding(self, form_id: str) -> tuple[Generation, FormRecord] | None:
        """The newest later generation holding a complete form for the same evaluator, if any."""
        found = self.generation_of(form_id)
        if found is None:
            return None
        gen, form = found
        later = [
            (g, f)
            for g in self.generations
            if g.number > gen.number
            and (g.kind == RECTIFY) == (gen.kind == RECTIFY)  # a ledger never retires a form, nor the reverse
            and (f := g.form_for(form.evaluator)) is not None
            and f.complete
        ]
        return max(later, key=lambda pair: pair[0].number) if later else None

    def add(
        self, *, kind: str, generated_at: str, seed: str, year: int, rubric_hash: str, folder: str,
        forms: list[FormRecord], source: str = "",
    ) -> Generation:  # fmt: skip
        number = max((g.number for g in self.generations), default=0) + 1
        gen = Generation(number, kind, generated_at, seed, year, rubric_hash, folder, tuple(forms), source)
        self.generations.append(gen)
        return gen

    def save(self) -> None:
        """Write the whole register aside, then replace the old file in one step."""
        if self.path is None:
            raise ValueError("register has no path")
        data = {"format": FORMAT, "generations": [asdict(g) for g in self.generations]}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)


def load_register(path: Path) -> tuple[Register, list[Problem]]:
    """The register at `path` (empty when there is none yet); a damaged one is a problem, not a crash."""
    register = Register(path)
    if not path.exists():
        return register, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for g in data["generations"]:
            forms = tuple(FormRecord(**{**f, "units": tuple(f.get("units", ()))}) for f in g["forms"])
            register.generations.append(Generation(**{**g, "number": int(g["number"]), "forms": forms}))
    except (OSError, ValueError, KeyError, TypeError):
        return Register(path), [problem("REGISTER_UNREADABLE", file=str(path))]
    return register, []


def occupied(folder: Path) -> Problem | None:
    """A forms folder that already holds forms: generating into it would overwrite them."""
    if not folder.is_dir():
        return None
    forms = sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".xlsx")
    if not forms:
        return None
    return problem("FORMS_FOLDER_OCCUPIED", file=str(folder), count=len(forms))
