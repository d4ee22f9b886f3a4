"""Start-up: `qe --help`, help screens and usage errors load none of the heavy libraries; `qe rubric check`
loads only jsonschema, which checks the rubric against its schema."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT

HEAVY = ("pandas", "numpy", "openpyxl", "xlsxwriter", "docx", "lxml", "python_calamine", "jsonschema", "defusedxml")


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
    ("args", "loaded", "exit_code"),
    [
        (["--help"], [], 0),
        (["rubric", "check", "--help"], [], 0),
        (["rubric", "check"], ["jsonschema"], 0),
        (["collect"], [], 2),  # a missing argument
        (["colect"], [], 2),  # an unknown command
        (["collect", "returned", "--prefer", "oldest"], [], 2),  # a value not among the choices
        (["precheck", "run", "--disclose", "some"], [], 2),
    ],
)
def test_the_command_line_starts_without_heavy_libraries(args: list[str], loaded: list[str], exit_code: int) -> None:
    """Every command module imports only light modules; `qe rubric check` reads rubric.json without pandas:
    the help screens and usage errors answer at once."""
    assert _heavy_after(*args) == (loaded, exit_code)
