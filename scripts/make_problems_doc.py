"""Write docs/problems.md, the error catalogue, from qe_workbook/problems.py.

Run after changing the catalogue: python scripts/make_problems_doc.py [OUTPUT]
tests/test_catalogue.py fails while docs/problems.md is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from qe_workbook.problems import catalogue_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "problems.md"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DOC
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(catalogue_markdown(), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
