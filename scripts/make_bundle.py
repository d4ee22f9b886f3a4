"""Build the offline bundle for an office PC that cannot reach a package registry.

    python scripts/make_bundle.py --platform win_amd64 --python 3.11 [--python 3.12 …] --out DIR

writes DIR/qe_workbook-<version>-<platform>.zip, one folder holding:
- wheels/: every wheel the tool needs on that platform and Python version(s) (downloaded here with
  `pip download --only-binary=:all: --platform … --python-version …`), pip's own wheel, and the project's
  wheel built from this checkout;
- the installer (安装.bat on Windows, install.sh on Linux): makes a virtual environment `venv` beside itself
  (`python -m venv --without-pip`, so it works where ensurepip is missing, as on Debian-based UOS), installs
  with pip run from its bundled wheel `pip install --no-index --find-links wheels` (no network, no
  administrator rights), then runs `qe doctor`;
- the launcher (启动.bat / start.sh): runs `qe ui` on the workspace folder 工作区 beside it;
- 说明.txt (what IT provides, how to install) and SHA256SUMS.txt (for endpoint-control allow lists).

The .bat files are GB2312 (a subset of GBK, code page 936, which cmd.exe on Chinese Windows reads) with
CRLF line ends; their first line switches the console to 936 (`chcp 936`) so that the same bytes are read
the same way on a PC with another locale. No UTF-8 (chcp 65001 is unreliable in batch files on older
Windows, and a BOM breaks the first command). Every Chinese character in GB2312 is two bytes of 0xA1–0xFE,
so none of them can contain a byte cmd.exe treats specially (\\ | ^ &).

Linux wheels: manylinux for glibc 2.28 and older (UOS 20 and 麒麟 V10 ship glibc 2.28).
Building needs a package registry (PyPI, or the one pip is configured for); installing does not.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "qe_workbook"
UTF8_NAMES = 0x800  # zip general-purpose flag bit 11: member names are UTF-8
WORKSPACE = "工作区"
GLIBC = 28  # the newest manylinux_2_X the Linux bundles may use


@dataclass(frozen=True)
class Target:
    name: str  # as on the command line and in the zip's name
    pip_platforms: tuple[str, ...]  # --platform values for pip (each compatible tag listed)
    windows: bool


def _manylinux(arch: str) -> tuple[str, ...]:
    modern = tuple(f"manylinux_2_{minor}_{arch}" for minor in range(GLIBC, 16, -1))
    legacy = ("manylinux2014",) + (("manylinux2010", "manylinux1") if arch == "x86_64" else ())
    return modern + tuple(f"{tag}_{arch}" for tag in legacy)


TARGETS = {
    "win_amd64": Target("win_amd64", ("win_amd64",), True),
    "manylinux_x86_64": Target("manylinux_x86_64", _manylinux("x86_64"), False),
    "manylinux_aarch64": Target("manylinux_aarch64", _manylinux("aarch64"), False),
}


def platform_args(target: Target, python: str) -> list[str]:
    """pip's options selecting wheels for `target` and CPython `python` (3.11)."""
    abi = "cp" + python.replace(".", "")
    args = ["--only-binary=:all:", "--python-version", python, "--implementation", "cp"]
    for tag in target.pip_platforms:
        args += ["--platform", tag]
    for name in (abi, "abi3", "none"):
        args += ["--abi", name]
    return args


def build_project_wheel(dest: Path) -> Path:
    """The project's wheel, built from a copy of the package sources (never from the developer's venv)."""
    with tempfile.TemporaryDirectory(prefix="qe-bundle-src-") as tmp:
        src = Path(tmp)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, src / name)
        shutil.copytree(ROOT / PROJECT, src / PROJECT, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dest),
                        str(src)], check=True)  # fmt: skip
    return next(dest.glob(f"{PROJECT}-*.whl"))


def download_wheels(project_wheel: Path, target: Target, pythons: Sequence[str], dest: Path) -> list[Path]:
    """The project's wheel with every dependency for the target and each Python version (one folder: the
    pure-Python wheels are shared), and pip (to install without ensurepip)."""
    for python in pythons:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--dest",
                        str(dest), *platform_args(target, python), str(project_wheel), "pip"], check=True)  # fmt: skip
    return sorted(dest.glob("*.whl"))


def _one(wheels: list[Path], name: str) -> Path:
    found = [w for w in wheels if re.match(rf"{name}-\d", w.name)]
    if len(found) != 1:
        raise SystemExit(f"expected one {name} wheel, found {[w.name for w in found]}")
    return found[0]


# -- the installer and the launcher --------------------------------------------------------------------------


def _version_check(pythons: Sequence[str], bits64: bool = False) -> str:
    """A Python one-liner exiting 0 only on one of `pythons` (and a 64-bit build when asked)."""
    versions = ", ".join(f"({p.replace('.', ', ')})" for p in pythons)
    return (
        f"import sys; sys.exit(sys.version_info[:2] not in ({versions},){' or sys.maxsize < 2**32' if bits64 else ''})"
    )


def windows_scripts(pip_wheel: str, pythons: Sequence[str]) -> dict[str, str]:
    check = _version_check(pythons, bits64=True)
    python = " 或 ".join(pythons)
    launcher = "".join(
        f"""set "PY=py -{p}-64"
%PY% -c "{check}" >nul 2>&1
if not errorlevel 1 goto found
"""
        for p in pythons
    )
    install = f"""@echo off
chcp 936 >nul
rem Offline installation of qe_workbook into venv beside this file: no network, no administrator rights.
setlocal
cd /d "%~dp0"
echo 正在查找 Python {python}（64 位）……
{launcher}set "PY=python"
%PY% -c "{check}" >nul 2>&1
if not errorlevel 1 goto found
goto nopython
:found
if exist venv\\Scripts\\python.exe goto install
echo 正在建立虚拟环境 venv ……
%PY% -m venv --without-pip venv
if errorlevel 1 goto failed
:install
echo 正在安装程序包，不需要联网……
venv\\Scripts\\python.exe wheels\\{pip_wheel}\\pip install --no-index --find-links wheels --disable-pip-version-check --no-warn-script-location --upgrade pip {PROJECT}
if errorlevel 1 goto failed
if not exist {WORKSPACE} mkdir {WORKSPACE}
echo 安装完成。下面检查本机的运行条件：
venv\\Scripts\\qe.exe doctor --workspace {WORKSPACE}
echo 以后双击“启动.bat”即可使用。
pause
exit /b 0
:nopython
echo 没有找到 Python {python}（64 位）。
echo 请信息部门从单位的软件源安装 Python {python}（64 位，选“为本人安装”即可，不需要管理员权限），
echo 安装时勾选“Add python.exe to PATH”，然后重新双击本文件。
pause
exit /b 1
:failed
echo 安装没有完成。请把本窗口的内容截图发给技术支持。
pause
exit /b 1
"""
    start = f"""@echo off
chcp 936 >nul
rem Starts the local page of qe_workbook on the workspace beside this file.
setlocal
cd /d "%~dp0"
if not exist venv\\Scripts\\qe.exe goto notinstalled
if not exist {WORKSPACE} mkdir {WORKSPACE}
venv\\Scripts\\qe.exe ui --workspace {WORKSPACE}
if errorlevel 1 pause
exit /b 0
:notinstalled
echo 还没有安装。请先双击“安装.bat”。
pause
exit /b 1
"""
    return {"安装.bat": install, "启动.bat": start}


def linux_scripts(pip_wheel: str, pythons: Sequence[str]) -> dict[str, str]:
    check = _version_check(pythons)
    python = " 或 ".join(pythons)
    candidates = " ".join(f"python{p}" for p in pythons)
    install = f"""#!/bin/sh
# Offline installation of qe_workbook into venv beside this file: no network, no administrator rights.
set -e
cd "$(dirname "$0")"
PY=""
for candidate in {candidates} python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "{check}" 2>/dev/null; then
        PY="$candidate"
        break
    fi
done
if [ -z "$PY" ]; then
    echo "没有找到 Python {python}。请信息部门从单位的软件源安装 Python {python}，然后重新运行：sh install.sh"
    exit 1
fi
if [ ! -x venv/bin/python ]; then
    echo "正在建立虚拟环境 venv ……"
    "$PY" -m venv --without-pip venv
fi
echo "正在安装程序包，不需要联网……"
venv/bin/python wheels/{pip_wheel}/pip install --no-index --find-links wheels --disable-pip-version-check \\
    --no-warn-script-location --upgrade pip {PROJECT}
mkdir -p {WORKSPACE}
echo "安装完成。下面检查本机的运行条件："
venv/bin/qe doctor --workspace {WORKSPACE} || true
echo "以后运行 sh start.sh 即可使用。"
"""
    start = f"""#!/bin/sh
# Starts the local page of qe_workbook on the workspace beside this file.
cd "$(dirname "$0")"
if [ ! -x venv/bin/qe ]; then
    echo "还没有安装。请先运行：sh install.sh"
    exit 1
fi
mkdir -p {WORKSPACE}
exec venv/bin/qe ui --workspace {WORKSPACE}
"""
    return {"install.sh": install, "start.sh": start}


def readme(target: Target, pythons: Sequence[str], version: str) -> str:
    python = " 或 ".join(pythons)
    install, start = ("安装.bat", "启动.bat") if target.windows else ("sh install.sh", "sh start.sh")
    system = "64 位 Windows 10/11" if target.windows else f"{target.name.split('_', 1)[1]} 的 Linux（UOS、麒麟等）"
    qe = r"venv\Scripts\qe.exe" if target.windows else "venv/bin/qe"
    return f"""qe_workbook {version} 离线安装包（{system}，Python {python}）

一、信息部门需要准备
  1. Python {python}（64 位），从单位自己的软件源取得。Windows 上安装时选“为本人安装”（不需要管理员权限），
     并勾选“Add python.exe to PATH”。安装包中的程序包只适用于 Python {python}。
  2. 可选：LibreOffice（归档时把文件转换为 PDF）；方正小标宋简体、仿宋_GB2312、楷体_GB2312 字体（正式公文）。
  本安装包不需要联网，也不需要管理员权限。

二、安装
  1. 把本压缩包解压到本人有写入权限的文件夹（如“文档”），不要直接在压缩包中运行。
  2. 运行 {install}：在本文件夹中建立 venv（虚拟环境），安装全部程序包，最后运行 qe doctor 检查本机。
  3. qe doctor 列出每一项检查的结果；“需处理”的项目按所写的办法处理后，可以再运行：
     {qe} doctor --workspace 工作区

三、使用
  运行 {start}，浏览器中会打开本工具的页面；一年的工作都保存在“工作区”文件夹中，请定期备份。

文件的 SHA-256 见 SHA256SUMS.txt，供终端安全软件登记。
"""


def script_bytes(name: str, text: str) -> bytes:
    """The bytes a script is saved as: .bat in GB2312 with CRLF, .sh in UTF-8 with LF, text in UTF-8 with BOM."""
    if name.endswith(".bat"):
        return text.replace("\n", "\r\n").encode("gb2312")
    if name.endswith(".sh"):
        return text.encode("utf-8")
    return text.replace("\n", "\r\n").encode("utf-8-sig")


# -- the zip -----------------------------------------------------------------------------------------------


def _member(zf: zipfile.ZipFile, name: str, data: bytes, *, executable: bool = False, stored: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])  # a non-ASCII name gets the UTF8_NAMES flag
    info.create_system = 3  # Unix, so that the mode below is honoured by unzip
    info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def write_zip(path: Path, folder: str, files: dict[str, bytes], wheels: list[Path]) -> None:
    sums = [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in files.items()]
    sums += [f"{hashlib.sha256(w.read_bytes()).hexdigest()}  wheels/{w.name}" for w in wheels]
    files = {**files, "SHA256SUMS.txt": ("\n".join(sums) + "\n").encode("utf-8")}
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w") as zf:
        for name, data in files.items():
            _member(zf, f"{folder}/{name}", data, executable=name.endswith(".sh"))
        for wheel in wheels:
            _member(zf, f"{folder}/wheels/{wheel.name}", wheel.read_bytes(), stored=True)
    os.replace(partial, path)


def make_bundle(platform: str, python: str | Sequence[str], out: Path, *, project_wheel: Path | None = None) -> Path:
    """Build the bundle for one or more Python versions; `project_wheel` reuses a wheel already built."""
    target = TARGETS[platform]
    pythons = [python] if isinstance(python, str) else list(python)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qe-bundle-") as tmp:
        work = Path(tmp)
        own = project_wheel or build_project_wheel(work / "own")
        wheels = download_wheels(own, target, pythons, work / "wheels")
        version = _one(wheels, PROJECT).name.split("-")[1]
        pip_wheel = _one(wheels, "pip").name
        scripts = windows_scripts(pip_wheel, pythons) if target.windows else linux_scripts(pip_wheel, pythons)
        texts = {**scripts, "说明.txt": readme(target, pythons, version)}
        files = {name: script_bytes(name, text) for name, text in texts.items()}
        folder = f"{PROJECT}-{version}-{platform}"
        path = out / f"{folder}.zip"
        write_zip(path, folder, files, wheels)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", choices=sorted(TARGETS), required=True)
    parser.add_argument("--python", action="append", help="CPython version of the office PC (default 3.11); "
                        "repeat it for a bundle that installs on any of several versions")  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, help="folder for the zip")
    parser.add_argument("--project-wheel", type=Path, help="use this wheel of qe_workbook instead of building one")
    args = parser.parse_args(argv)
    pythons = list(dict.fromkeys(args.python or ["3.11"]))
    if not all(re.fullmatch(r"3\.\d{1,2}", p) for p in pythons):
        parser.error("--python takes a version such as 3.11")
    started = time.monotonic()
    path = make_bundle(args.platform, pythons, args.out, project_wheel=args.project_wheel)
    size = path.stat().st_size / 1024**2
    print(f"{path} ({size:.1f} MB, {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
