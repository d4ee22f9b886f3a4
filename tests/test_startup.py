"""Start-up: `qe --help`, `qe rubric check` and usage errors load none of the heavy libraries; a conforming
rubric is checked without jsonschema, and the quick walk that allows it agrees with jsonschema."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from qe_workbook.rubric.check import SCHEMA_PATH
from qe_workbook.rubric.conforms import conforms

from .conftest import ROOT

HEAVY = ("pandas", "numpy", "openpyxl", "xlsxwriter", "docx", "lxml", "python_calamine", "jsonschema", "defusedxml")
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    1.0,
    1.5,
    -3,
    2101,
    "",
    "x",
    " a",
    "A",
    "2023-04-10",
    "a/b",
    [],
    {},
    ["x"],
]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value (keys of objects, indexes of lists)."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*path, key))
    elif isinstance(value, list):
        for n, child in enumerate(value):
            found += _paths(child, (*path, n))
    return found


def _mutated(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The rubric with one to three random changes: a value replaced, a key removed or added, a list emptied."""
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(data)[1:])
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = rng.random()
        if action < 0.6:
            parent[last] = rng.choice(ODD_VALUES)
        elif action < 0.75 and isinstance(parent, dict):
            del parent[last]
        elif action < 0.9 and isinstance(parent, dict):
            parent[rng.choice(["extra", "notes", "full_name", "group", "aliases"])] = rng.choice(ODD_VALUES)
        elif isinstance(parent[last], list):
            parent[last] = []
    return data


def test_the_quick_walk_agrees_with_jsonschema() -> None:
    """On the 2022 rubric and 300 random variants of it: when the walk answers, jsonschema gives the same answer."""
    data = json.loads(
        (ROOT / "rubric.json").read_text(encoding="utf-8"), parse_float=Decimal
    )  # as load_rubric reads it
    validator = Draft202012Validator(SCHEMA)
    assert conforms(data, SCHEMA) is True
    rng = random.Random(20230410)
    answers = {True: 0, False: 0, None: 0}
    for _ in range(300):
        variant = _mutated(data, rng)
        answer = conforms(variant, SCHEMA)
        answers[answer] += 1
        if answer is not None:
            assert answer == validator.is_valid(variant), variant
    assert answers[True] > 10 and answers[False] > 100  # both answers were really exercised


def test_a_conforming_rubric_is_checked_without_jsonschema() -> None:
    code = (
        "import sys; from qe_workbook.rubric import load_rubric, default_rubric_path; "
        "assert load_rubric(default_rubric_path(None)).rubric is not None; print('jsonschema' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


def _heavy_after(*args: str) -> tuple[list[str], int]:
    """The heavy libraries loaded by `qe <args>` run to its end, and its exit code."""
    code = (
        "import sys\n"
        f"sys.argv = ['qe', *{list(args)!r}]\n"
        "from qe_workbook.cli import run\n"
        "code = 0\n"
        "try:\n    run()\n"
        "except SystemExit as end:\n    code = end.code or 0\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules], code, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded, _, exit_code = done.stderr.strip().splitlines()[-1].rpartition(" ")
    return json.loads(loaded.replace("'", '"')), int(exit_code)


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["--help"], 0),
        (["rubric", "check", "--help"], 0),
        (["rubric", "check"], 0),
        (["collect"], 2),  # a missing argument
        (["colect"], 2),  # an unknown command
        (["collect", "returned", "--prefer", "oldest"], 2),  # a value not among the choices
        (["precheck", "run", "--disclose", "some"], 2),
    ],
)
def test_the_command_line_starts_without_heavy_libraries(args: list[str], exit_code: int) -> None:
    """Every command module imports only light modules; `qe rubric check` reads rubric.json without pandas or
    jsonschema: the help screens and usage errors answer at once."""
    assert _heavy_after(*args) == ([], exit_code)
