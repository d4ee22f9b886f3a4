"""Measure how LibreOffice lays out spreadsheets: row heights against the optimal height of each row.

Run with the Python that has the `uno` module (Debian's python3-uno), e.g.

    /usr/bin/python3 scripts/lo_measure.py --sheet 评价表 form.xlsx other.xlsx

Prints one JSON object: for each file, a list of [row, height, optimal height] (1/100 mm, rows
counted from 0) up to the last used row of the sheet. The optimal height is what Calc computes when
the row is set to optimal height; the file itself is not changed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lo_fill import office_session, props


def measure(context: object, path: Path, sheet_name: str) -> list[list[int]]:
    smgr = context.ServiceManager  # type: ignore[attr-defined]
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    doc = desktop.loadComponentFromURL(path.resolve().as_uri(), "_blank", 0, props(Hidden=True))
    try:
        sheet = doc.Sheets.getByName(sheet_name)
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        last = cursor.RangeAddress.EndRow
        rows = []
        for index in range(last + 1):
            row = sheet.Rows.getByIndex(index)
            height = row.Height
            row.OptimalHeight = True
            rows.append([index, height, row.Height])
        return rows
    finally:
        doc.close(True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--sheet", required=True)
    parser.add_argument("--profile", type=Path, help="LibreOffice profile folder (default: a new temporary one)")
    parser.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    args = parser.parse_args()
    with office_session(args.soffice, args.profile, "lo_measure") as context:
        result = {str(path): measure(context, path, args.sheet) for path in args.files}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
