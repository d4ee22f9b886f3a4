"""Fill a generated form in LibreOffice Calc through UNO, the way a person types, and save it as xlsx.

Run with the Python that has the `uno` module (Debian's python3-uno: /usr/bin/python3), e.g.

    /usr/bin/python3 scripts/lo_fill.py form.xlsx filled.xlsx E5=37.5 "F5=有不足" E2=2023-04-20

Each CELL=TEXT is entered on the form sheet as typed input (numbers and dates are recognised as
Calc would recognise them). The script starts its own headless soffice with a private profile,
so it never touches a user's LibreOffice, and stops it again. Note that the UNO API writes into
locked cells as well: sheet protection binds only the user interface.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

FORM_SHEET = "评价表"
FILTER = "Calc MS Excel 2007 XML"
CONNECT_SECONDS = 30


def props(**values: object) -> tuple[PropertyValue, ...]:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def start_office(soffice: str, profile: Path, pipe: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped as a whole below
    )


def connect(pipe: str, office: subprocess.Popen[bytes]) -> object:
    """The remote component context, once the office accepts connections."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"soffice did not accept a connection (exit code {office.poll()})") from None
            time.sleep(0.2)


@contextlib.contextmanager
def office_session(soffice: str, profile: Path | None, name: str) -> Iterator[object]:
    """A headless soffice of its own (a private profile, new unless `profile` is given), connected;
    asked to quit on leaving, and killed with its process group if it has not within 30 seconds."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # so that soffice is stopped too
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as tmp:
        pipe = f"{name}_{os.getpid()}_{time.monotonic_ns()}"
        office = start_office(soffice, profile or Path(tmp) / "profile", pipe)
        try:
            context = connect(pipe, office)
            yield context
            desktop = context.ServiceManager.createInstanceWithContext(  # type: ignore[attr-defined]
                "com.sun.star.frame.Desktop", context
            )
            with contextlib.suppress(Exception):  # the bridge may drop while the office shuts down
                desktop.terminate()
            office.wait(timeout=30)
        finally:
            if office.poll() is None:
                os.killpg(office.pid, signal.SIGKILL)
                office.wait()


def fill(context: object, src: Path, dst: Path, cells: dict[str, str], sheet_name: str = FORM_SHEET) -> None:
    smgr = context.ServiceManager  # type: ignore[attr-defined]
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    doc = desktop.loadComponentFromURL(src.resolve().as_uri(), "_blank", 0, props(Hidden=True))
    try:
        sheet = doc.Sheets.getByName(sheet_name)
        for ref, text in cells.items():
            sheet.getCellRangeByName(ref).setFormula(text)  # what typing into the cell does
        doc.storeToURL(dst.resolve().as_uri(), props(FilterName=FILTER, Overwrite=True))
    finally:
        doc.close(True)


def parse_cells(pairs: list[str]) -> dict[str, str]:
    cells = {}
    for pair in pairs:
        ref, sep, text = pair.partition("=")
        if not sep or not ref:
            raise SystemExit(f"expected CELL=TEXT, got {pair!r}")
        cells[ref.strip().upper()] = text
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("cells", nargs="*", help="CELL=TEXT on the sheet (default: 评价表)")
    parser.add_argument("--sheet", default=FORM_SHEET, help="the sheet to type into")
    parser.add_argument("--profile", type=Path, help="LibreOffice profile folder (default: a new temporary one)")
    parser.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    args = parser.parse_args()
    cells = parse_cells(args.cells)
    with office_session(args.soffice, args.profile, "lo_fill") as context:
        fill(context, args.src, args.dst, cells, args.sheet)
    if not args.dst.is_file():
        sys.exit(f"LibreOffice did not write {args.dst}")


if __name__ == "__main__":
    main()
