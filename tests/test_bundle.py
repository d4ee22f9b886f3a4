"""The offline bundles (scripts/make_bundle.py), built for real from PyPI (marked `pypi`: they need the
registry to build, and run in the README's test command like every other test).

The bundle for this machine is unpacked and installed by its own install.sh with no registry reachable
(pip's configuration emptied, the proxies pointing at a closed port), then `qe demo` runs from it. The
Windows and ARM bundles are shown to resolve completely with `pip install --dry-run --no-index` for their
platform. Each bundle is built once per test session, reusing one wheel of the project.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.pypi
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
SECOND = "3.12" if PYTHON != "3.12" else "3.11"
PYTHONS = {"win_amd64": (PYTHON, SECOND)}  # the Windows bundle installs on either of two versions
HOST = {"x86_64": "manylinux_x86_64", "aarch64": "manylinux_aarch64"}[platform.machine()]
NEEDED = {"qe-workbook", "pandas", "numpy", "openpyxl", "xlsxwriter", "python-calamine", "python-docx", "lxml",
          "orjson", "jsonschema", "rpds-py", "click", "defusedxml", "pip"}  # fmt: skip


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_bundle", ROOT / "scripts" / "make_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_bundle"] = module
    spec.loader.exec_module(module)
    return module


make_bundle = _load_script()


def offline_env(home: Path) -> dict[str, str]:
    """No registry reachable: no pip configuration, no index, every proxy a closed port."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PIP_", "HTTP", "HTTPS", "NO_PROXY"))}
    dead = "http://127.0.0.1:9"
    env.update(HOME=str(home), PIP_CONFIG_FILE=os.devnull, PIP_NO_CACHE_DIR="1", PIP_INDEX_URL=f"{dead}/simple",
               http_proxy=dead, https_proxy=dead, HTTP_PROXY=dead, HTTPS_PROXY=dead, PYTHONDONTWRITEBYTECODE="1")  # fmt: skip
    return env


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """platform → its bundle, built on first use (one project wheel for all)."""
    folder = tmp_path_factory.mktemp("bundles")
    built: dict[str, Path] = {}
    own: list[Path] = []

    def get(target: str) -> Path:
        if target not in built:
            if not own:
                own.append(make_bundle.build_project_wheel(folder / "own"))
            versions = PYTHONS.get(target, (PYTHON,))
            built[target] = make_bundle.make_bundle(target, versions, folder, project_wheel=own[0])
        return built[target]

    return get


def unpack(zip_path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(dest)
    (folder,) = dest.iterdir()
    return folder


def test_the_bundle_for_this_machine_installs_offline_and_runs_the_demo(
    bundle: Callable[[str], Path], tmp_path: Path
) -> None:
    path = bundle(HOST)
    assert path.name == f"qe_workbook-0.1.0-{HOST}.zip"
    with zipfile.ZipFile(path) as zf:
        modes = {i.filename.split("/", 1)[1]: i.external_attr >> 16 & 0o777 for i in zf.infolist()}
    assert modes["install.sh"] == modes["start.sh"] == 0o755

    folder = unpack(path, tmp_path / "unpacked")
    env = offline_env(tmp_path)
    done = subprocess.run(["sh", str(folder / "install.sh")], env=env, cwd=tmp_path, capture_output=True, timeout=900)
    out = done.stdout.decode("utf-8", errors="replace") + done.stderr.decode("utf-8", errors="replace")
    assert done.returncode == 0, out
    assert "Successfully installed" in out and "qe_workbook-0.1.0" in out
    assert "http://127.0.0.1:9" not in out  # nothing tried the network
    assert (folder / "工作区").is_dir()
    assert "检查项目" in out and "未安装仿宋_GB2312" in out  # the installer ran qe doctor
    qe = folder / "venv" / "bin" / "qe"
    demo = subprocess.run([str(qe), "demo"], env=env, cwd=tmp_path, capture_output=True, timeout=900)
    shown = demo.stdout.decode("utf-8", errors="replace")
    assert demo.returncode == 0, shown + demo.stderr.decode("utf-8", errors="replace")
    assert "演示文件夹" in shown and "舞阳县" in shown

    # A package lost after the installation: qe doctor names it and says to run the installer again.
    python = folder / "venv" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "uninstall", "-y", "-q", "orjson"], env=env, check=True, timeout=300)
    doctor = subprocess.run([str(qe), "doctor", "--json", "--workspace", str(folder / "工作区")], env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert doctor.returncode == 1, doctor.stdout + doctor.stderr
    report = json.loads(doctor.stdout)
    missing = [c for c in report["checks"] if c["outcome"] == "error"]
    assert [(c["subject"], c["problems"][0]["code"]) for c in missing] == [("orjson", "DOCTOR_PACKAGE_MISSING")]


@pytest.mark.parametrize("target", ["win_amd64", "manylinux_aarch64", "manylinux_x86_64"])
def test_each_bundle_resolves_completely_for_its_platform(
    bundle: Callable[[str], Path], tmp_path: Path, target: str
) -> None:
    folder = unpack(bundle(target), tmp_path / "unpacked")
    used: set[str] = set()
    pip = next((folder / "wheels").glob("pip-*.whl")) / "pip"  # the pip the installer runs
    for python in PYTHONS.get(target, (PYTHON,)):
        report = tmp_path / f"report-{python}.json"
        args = [sys.executable, str(pip), "install", "--dry-run", "--no-index", "--ignore-installed",
                *make_bundle.platform_args(make_bundle.TARGETS[target], python), "--target", str(tmp_path / python),
                "--find-links", str(folder / "wheels"), "--report", str(report), "pip", "qe_workbook"]  # fmt: skip
        done = subprocess.run(args, env=offline_env(tmp_path), capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        install = json.loads(report.read_text(encoding="utf-8"))["install"]
        names = {item["metadata"]["name"].lower().replace("_", "-") for item in install}
        assert names >= NEEDED
        files = {Path(item["download_info"]["url"]).name for item in install}
        tag = {"win_amd64": "win_amd64", "manylinux_aarch64": "aarch64", "manylinux_x86_64": "x86_64"}[target]
        numpy = next(f for f in files if f.startswith("numpy-"))
        assert tag in numpy and f"cp{python.replace('.', '')}" in numpy
        used |= files
    assert used == {w.name for w in (folder / "wheels").iterdir()}  # every wheel used, none missing


def test_windows_scripts_are_bytes_cmd_reads(bundle: Callable[[str], Path]) -> None:
    """GB2312 (code page 936) with CRLF, no BOM; the zip names the files in UTF-8 with the flag set."""
    path = bundle("win_amd64")
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        members = {i.filename.split("/", 1)[1]: zf.read(i) for i in infos}
    chinese = [i for i in infos if not i.filename.isascii()]
    assert len(chinese) == 3 and all(i.flag_bits & make_bundle.UTF8_NAMES for i in chinese)
    raw = path.read_bytes()
    for name in ("安装.bat", "启动.bat", "说明.txt"):
        assert f"qe_workbook-0.1.0-win_amd64/{name}".encode() in raw  # the names as UTF-8 bytes
    pip_wheel = next(n for n in members if n.startswith("wheels/pip-"))
    for name in ("安装.bat", "启动.bat"):
        data = members[name]
        assert not data.startswith(b"\xef\xbb\xbf")
        assert data.count(b"\n") == data.count(b"\r\n") and data.endswith(b"\r\n")
        text = data.decode("gb2312")  # every Chinese character two bytes of 0xA1-0xFE: no \ | ^ & inside one
        lines = text.split("\r\n")
        assert lines[:2] == ["@echo off", "chcp 936 >nul"]
        for line in lines:
            if line.startswith("echo ") and not line.isascii():
                assert not set(line) & set("&|<>^%()"), line
        assert "“" in text  # the Chinese text came through
    install = members["安装.bat"].decode("gb2312")
    assert f"wheels\\{pip_wheel.split('/')[1]}\\pip install --no-index --find-links wheels" in install
    assert "-m venv --without-pip venv" in install and "qe.exe doctor --workspace 工作区" in install
    assert f'set "PY=py -{PYTHON}-64"' in install and f'set "PY=py -{SECOND}-64"' in install
    assert f"正在查找 Python {PYTHON} 或 {SECOND}（64 位）" in install
    assert "qe.exe ui --workspace 工作区" in members["启动.bat"].decode("gb2312")
    assert members["说明.txt"].startswith(b"\xef\xbb\xbf") and "Python 3" in members["说明.txt"].decode("utf-8-sig")
    sums = members["SHA256SUMS.txt"].decode("utf-8")
    assert f"  {pip_wheel}" in sums and sums.count("wheels/") == sum(n.startswith("wheels/") for n in members)
