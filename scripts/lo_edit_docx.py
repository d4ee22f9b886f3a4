"""Edit a Word document in LibreOffice Writer through UNO, the way a person edits a template, and save it as .docx.

Run with the Python that has the `uno` module (Debian's python3-uno: /usr/bin/python3), e.g.

    /usr/bin/python3 scripts/lo_edit_docx.py 通报.docx edited.docx "现将考核结果通报如下。=>现将考核结果通报如下。特此通报。"

Each OLD=>NEW replaces every occurrence of the text OLD by NEW (Edit ▸ Find & Replace, plain text, case-sensitive).
An OLD that is not found stops the script with an error. The office is started and stopped as in lo_fill.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lo_fill import office_session, props

FILTER = "MS Word 2007 XML"


def edit(context: object, src: Path, dst: Path, replacements: list[tuple[str, str]]) -> None:
    smgr = context.ServiceManager  # type: ignore[attr-defined]
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    doc = desktop.loadComponentFromURL(src.resolve().as_uri(), "_blank", 0, props(Hidden=True))
    try:
        for old, new in replacements:
            search = doc.createReplaceDescriptor()
            search.SearchString, search.ReplaceString = old, new
            search.SearchCaseSensitive = True
            if doc.replaceAll(search) == 0:
                raise SystemExit(f"not found in {src.name}: {old!r}")
        doc.storeToURL(dst.resolve().as_uri(), props(FilterName=FILTER, Overwrite=True))
    finally:
        doc.close(True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("edits", nargs="+", help="OLD=>NEW: replace every OLD by NEW")
    parser.add_argument("--profile", type=Path, help="LibreOffice profile folder (default: a new temporary one)")
    parser.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    args = parser.parse_args()
    replacements = []
    for pair in args.edits:
        old, sep, new = pair.partition("=>")
        if not sep or not old:
            raise SystemExit(f"expected OLD=>NEW, got {pair!r}")
        replacements.append((old, new))
    with office_session(args.soffice, args.profile, "lo_edit") as context:
        edit(context, args.src, args.dst, replacements)
    if not args.dst.is_file():
        sys.exit(f"LibreOffice did not write {args.dst}")


if __name__ == "__main__":
    main()
