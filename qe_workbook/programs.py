"""Finding LibreOffice's soffice: on PATH, else in the folders its installers use (Windows puts it in
Program Files without adding it to PATH; per-user installs go under the user's AppData)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path


def soffice_candidates(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> list[Path]:
    """Where LibreOffice is usually installed on this kind of system, most likely first."""
    if platform == "win32":
        roots = [env.get(v) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        local = env.get("LOCALAPPDATA")
        folders = [Path(r) for r in roots if r] + ([Path(local) / "Programs"] if local else [])
        return [f / "LibreOffice" / "program" / "soffice.exe" for f in folders]
    if platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    opt = sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)
    return [Path("/usr/lib/libreoffice/program/soffice"), Path("/usr/lib64/libreoffice/program/soffice"), *opt]


def find_soffice(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> str | None:
    """The soffice program to convert documents to PDF with, or None when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name, path=env.get("PATH"))
        if found:
            return found
    return next((str(p) for p in soffice_candidates(env, platform) if p.is_file()), None)
