"""An output place that cannot be written (a file on the way, a read-only folder, a full disk, a file-size limit):
one Chinese sentence, exit 2, and nothing half-written left behind.

Every command that writes is tried every way.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from qe_workbook import cli
from qe_workbook.pipeline import CollectOptions, run_collect

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small rubric, its key, forms, filled returns and one finished run."""
    folder = tmp_path_factory.mktemp("unwritable")
    rubric = load_ok(write_json(folder / "rubric.json", small_rubric_data()))
    generated = generate(rubric, folder / "forms")
    fill_all(generated, folder / "returned", TIE)
    (folder / "qe.key").write_text(KEY.hex())
    run_collect(folder / "returned", rubric, KEY, CollectOptions(folder / "results"))
    return folder


FILE_SIZE_LIMIT = 4096  # bytes: every command here writes a bigger file


def size_limited() -> None:
    """As `ulimit -f` in a child before it starts: a write past the limit fails with EFBIG (Python ignores SIGXFSZ).

    Never set in the test process itself: pytest's own report would then fail to write."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


@contextmanager
def full_disk(folder: Path) -> Iterator[bool]:
    """An 8 KB file system (root can mount one): yields True; elsewhere False, and a file-size limit stands in."""
    folder.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(folder)],
                                                   capture_output=True).returncode == 0  # fmt: skip
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)  # a writer may still hold its file


@pytest.fixture(params=["under-a-file", "read-only", "disk-full", "file-size-limit"])
def bad_out(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    if request.param == "disk-full":
        with full_disk(tmp_path / "小磁盘") as mounted:
            request.node.size_limited = not mounted
            yield tmp_path / "小磁盘" / "输出"
        return
    if request.param == "file-size-limit":
        request.node.size_limited = True
        yield tmp_path / "输出"
        return
    if request.param == "under-a-file":
        (tmp_path / "一个文件.txt").write_text("x", encoding="utf-8")
        yield tmp_path / "一个文件.txt" / "输出"
        return
    if os.geteuid() == 0:  # root writes through permission bits; /sys refuses new folders to everyone
        yield Path("/sys/qe-输出")
        return
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    yield locked / "输出"
    locked.chmod(stat.S_IRWXU)


def commands(place: Path, out: Path) -> dict[str, list[str]]:
    common = ["--rubric", str(place / "rubric.json")]
    key = ["--key", str(place / "qe.key")]
    run = next(p for p in (place / "results").iterdir() if not p.name.startswith("."))
    return {
        "collect": ["collect", str(place / "returned"), *common, *key, "--out", str(out)],
        "generate": ["generate", *common, *key, "--out", str(out)],
        "demo": ["demo", *common, "--out", str(out)],
        "simulate": ["simulate", str(place / "forms"), *common, *key, "--out", str(out)],
        "report": ["report", str(run), *common, "--out", str(out)],
    }


@pytest.mark.parametrize("command", ["collect", "generate", "demo", "simulate", "report"])
def test_an_unwritable_output_is_one_chinese_sentence(
    command: str,
    place: Path,
    bad_out: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = commands(place, bad_out)[command]
    if request.node.callspec.params["bad_out"] in ("disk-full", "file-size-limit"):  # run apart: see size_limited
        limited = getattr(request.node, "size_limited", False)
        done = subprocess.run([sys.executable, "-m", "qe_workbook", *args], capture_output=True, text=True, timeout=300,
                              preexec_fn=size_limited if limited else None)  # fmt: skip
        code, err = done.returncode, done.stderr
    else:
        monkeypatch.setattr(sys, "argv", ["qe", *args])
        with pytest.raises(SystemExit) as stopped:
            cli.run()
        code, err = stopped.value.code, capsys.readouterr().err
    assert code == 2, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("错误：无法使用“") and "请确认输出位置（--out）是可以写入的文件夹" in last, err
    assert "Traceback" not in err and "Error" not in err
    assert not bad_out.exists()  # nothing half-written
