"""The error catalogue: one entry per code the library uses, in Chinese, and docs/problems.md up to date."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from qe_workbook.problems import _TYPES, CATALOGUE, catalogue_markdown

from .conftest import ROOT

DOC = ROOT / "docs" / "problems.md"
CJK = re.compile(r"[\u4e00-\u9fff]")
CODE = re.compile(rf"^({'|'.join(sorted({c.split('_')[0] for c in CATALOGUE}))})_[A-Z0-9_]+$")
# Catalogue codes that no module emits yet, each with the reason it stays (none at present).
UNUSED_ALLOWED: dict[str, str] = {}


def codes_in_source() -> dict[str, set[str]]:
    """Code-shaped string literals in the library (problem("X", …), code tables)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "qe_workbook").rglob("*.py")):
        if path.name == "problems.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                found.setdefault(node.value, set()).add(path.name)
    return found


def test_docs_problems_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == catalogue_markdown(), (
        "docs/problems.md is out of date: run python scripts/make_problems_doc.py"
    )


def test_every_code_used_in_the_library_is_in_the_catalogue() -> None:
    unknown = {code: files for code, files in codes_in_source().items() if code not in CATALOGUE}
    assert unknown == {}


def test_every_catalogue_code_is_used_or_allowed_with_a_reason() -> None:
    unused = set(CATALOGUE) - set(codes_in_source())
    assert unused <= set(UNUSED_ALLOWED), sorted(unused - set(UNUSED_ALLOWED))
    assert all(UNUSED_ALLOWED.values())
    assert not set(UNUSED_ALLOWED) & set(codes_in_source()), "used now: remove it from UNUSED_ALLOWED"


def test_each_code_once_with_a_chinese_meaning_and_fix() -> None:
    assert len(_TYPES) == len(CATALOGUE)
    for kind in _TYPES:
        assert CODE.match(kind.code), kind.code
        assert CJK.search(kind.meaning) and CJK.search(kind.fix), kind.code
        assert kind.template, kind.code  # problem() renders every message from it
        assert "|" not in kind.meaning + kind.fix + kind.template, kind.code  # would break the Markdown table


def test_the_script_writes_the_document(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make_problems_doc.py"
    subprocess.run([sys.executable, str(script), str(tmp_path / "problems.md")], check=True, capture_output=True)
    assert (tmp_path / "problems.md").read_text(encoding="utf-8") == catalogue_markdown()
