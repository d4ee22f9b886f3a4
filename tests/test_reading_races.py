"""Reading returned files safely under attack: a linear XML scan, a time limit per file kept by this
process, the very bytes that were checked, any XML encoding, and places stated twice."""

from __future__ import annotations

import hashlib
import os
import random
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from qe_workbook.intake import collect as collect_module
from qe_workbook.intake import read_form
from qe_workbook.intake.collect import CollectResult, collect
from qe_workbook.intake.container import Limits
from qe_workbook.intake.discover import Found
from qe_workbook.intake.submission import Status
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.problems import CATALOGUE
from qe_workbook.rubric import Rubric

from .badfiles import CORPUS, ENCODED_PARTS, Sources, declared, edit_sheet_xml, parts, rezip
from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate
from .hanging_reader import HANG, read_or_hang

NOISE = random.Random(0).randbytes(4 * 1024 * 1024).hex().encode()  # 8 MB that a zip cannot shrink much


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> tuple[Rubric, Sources]:
    folder = tmp_path_factory.mktemp("races")
    rubric = load_ok(write_json(folder / "rubric.json", small_rubric_data()))
    filled = fill_all(generate(rubric, folder / "forms"), folder / "sources", TIE)
    return rubric, Sources(filled["甲局"].read_bytes(), filled["质强办"].read_bytes(), KEY)


def codes(result: CollectResult, file: str) -> list[str]:
    return [p.code for p in result.problems if p.file == file]


@pytest.mark.parametrize(
    "hide",
    [
        lambda xml: xml.replace(b"<sheetData>", b"<!--" + NOISE + b"--><sheetData>"),
        lambda xml: xml.replace(b"<sheetData>", b'<sheetData qe="' + NOISE + b'">'),
    ],
    ids=["comment", "attribute"],
)
def test_eight_megabytes_in_one_token_are_scanned_in_linear_time(
    tmp_path: Path, setting: tuple[Rubric, Sources], hide: Callable[[bytes], bytes]
) -> None:
    """Fed in 8 KB chunks, expat parsed such a token again with each chunk: 29 s for 8 MB."""
    rubric, sources = setting
    (tmp_path / "甲局.xlsx").write_bytes(edit_sheet_xml(sources.form, hide))
    started = time.monotonic()
    result = collect(tmp_path, rubric, KEY)
    assert time.monotonic() - started < 6
    assert [s.evaluator for s in result.accepted()] == ["甲局"]


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_a_file_that_hangs_the_reader_costs_its_time_limit_and_the_run_goes_on(
    tmp_path: Path, setting: tuple[Rubric, Sources], monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    rubric, sources = setting
    (tmp_path / "a_甲局.xlsx").write_bytes(rezip({**parts(sources.form), HANG: b""}))
    (tmp_path / "b_质强办.xlsx").write_bytes(sources.veto_form)
    monkeypatch.setattr(read_form, "read_cells", read_or_hang)
    started = time.monotonic()
    result = collect(tmp_path, rubric, KEY, limits=Limits(max_read_seconds=5, reader_start=start))
    assert time.monotonic() - started < 40
    assert [(p.code, p.params["reason"]) for p in result.problems if p.file == "a_甲局.xlsx"] == [
        ("FILE_READER_FAILED", "读取超过 5 秒仍未完成，已中止")
    ]
    assert [s.evaluator for s in result.accepted()] == ["质强办"]


@pytest.mark.parametrize("encoding", ["GBK", "Big5", "GB18030"])
@pytest.mark.parametrize("part", ENCODED_PARTS)
def test_any_xml_encoding_a_decoder_knows_is_read(
    tmp_path: Path, setting: tuple[Rubric, Sources], part: str, encoding: str
) -> None:
    rubric, sources = setting
    (tmp_path / "甲局.xlsx").write_bytes(sources.form)
    (tmp_path / "编码_甲局.xlsx").write_bytes(declared(sources.form, part, encoding))
    result = collect(tmp_path, rubric, KEY)
    first, second = (s for s in result.submissions if s.evaluator == "甲局")
    assert first.entries == second.entries and len(first.entries) == 9
    assert not [c for c in codes(result, "编码_甲局.xlsx") if c.startswith(("FILE_", "FORM_", "INTERNAL_"))]


def test_a_place_stated_twice_is_named(tmp_path: Path, setting: tuple[Rubric, Sources]) -> None:
    rubric, sources = setting
    for name in ("cell_twice.xlsx", "row_twice.xlsx", "sheet_encoding_unknown.xlsx"):
        next(b for b in CORPUS if b.name == name).write(sources, tmp_path / name)
    found = {p.file: (p.cell, p.message) for p in collect(tmp_path, rubric, KEY).problems if p.file}
    assert found == {
        "cell_twice.xlsx": ("E5", "工作表“评价表”中单元格 E5 出现了两次。" + CATALOGUE["FILE_CELL_TWICE"].fix),
        "row_twice.xlsx": ("A5", "工作表“评价表”中第 5 行出现了两次。" + CATALOGUE["FILE_ROW_TWICE"].fix),
        "sheet_encoding_unknown.xlsx": (
            None,
            "文件内部部件“xl/worksheets/sheet1.xml”声明的文字编码“x-qe-unknown”无法识别。"
            + CATALOGUE["FILE_XML_ENCODING"].fix,
        ),
    }


def swap_after_discovery(monkeypatch: pytest.MonkeyPatch, name: str, swap: Callable[[Path], None]) -> None:
    """Discovery looks at the folder as it is; then `name` is replaced (as an attacker would, mid-run)."""
    real = collect_module.discover

    def discover_then_swap(source: Path | Iterable[Path]) -> Found:
        found = real(source)
        path = next(p for p, shown in found.files + found.archives if shown == name)
        path.unlink()
        swap(path)
        return found

    monkeypatch.setattr(collect_module, "discover", discover_then_swap)


def test_a_link_swapped_in_after_discovery_is_not_read(
    tmp_path: Path, setting: tuple[Rubric, Sources], monkeypatch: pytest.MonkeyPatch
) -> None:
    rubric, sources = setting
    secret = tmp_path / "secret.xlsx"  # a genuine form outside the folder: read, it would even be accepted
    secret.write_bytes(sources.veto_form)
    returned = tmp_path / "returned"
    returned.mkdir()
    (returned / "甲局.xlsx").write_bytes(sources.form)
    (returned / "zzz.xlsx").write_bytes(sources.form)
    swap_after_discovery(monkeypatch, "zzz.xlsx", lambda path: path.symlink_to(secret))
    report = run_collect(returned, rubric, KEY, CollectOptions(tmp_path / "out"))
    audit = (report.folder / "audit.json").read_text(encoding="utf-8")
    assert hashlib.sha256(sources.veto_form).hexdigest() not in audit
    (zzz,) = [s for s in report.collected.submissions if s.file == "zzz.xlsx"]
    assert (zzz.status, zzz.sha256, [p.code for p in zzz.problems]) == (Status.REJECTED, "", ["FILE_SYMLINK"])
    assert zzz.reason.startswith("zzz.xlsx 是符号链接，未读取")


def test_a_reference_outside_the_file_says_what_it_is(tmp_path: Path, setting: tuple[Rubric, Sources]) -> None:
    rubric, sources = setting
    for name in ("attached_template.xlsx", "ole_object_external.xlsx", "external_link_elsewhere.xlsx"):
        next(b for b in CORPUS if b.name == name).write(sources, tmp_path / name)
    found = {p.file: p.message.partition("。")[0] for p in collect(tmp_path, rubric, KEY).problems if p.file}
    assert found == {
        "attached_template.xlsx": "文件中含有指向文件以外的外部模板",
        "ole_object_external.xlsx": "文件中含有指向文件以外的链接的对象",
        "external_link_elsewhere.xlsx": "文件中含有指向其他工作簿的外部链接",
    }


@pytest.mark.parametrize(
    ("encoding", "hidden"),
    [("UTF-7", b"+ADw-c r+AD0AIg-E5+ACIAPgA8-v+AD4-40+ADw-/v+AD4APA-/c+AD4-"), ("unicode_escape", b"\\u003cc/\\u003e")],
)
def test_an_encoding_that_writes_markup_in_other_characters_is_refused(
    tmp_path: Path, setting: tuple[Rubric, Sources], encoding: str, hidden: bytes
) -> None:
    """The scan decoding such text would see elements that the value reader, which knows no such encoding, does not."""
    rubric, sources = setting
    entries = parts(sources.form)
    part = "xl/worksheets/sheet1.xml"
    body = entries[part].replace(b"+", b"").replace(b"</sheetData>", hidden + b"</sheetData>")  # only the hidden '+'s
    entries[part] = f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + body
    (tmp_path / "甲局.xlsx").write_bytes(rezip(entries))
    assert codes(collect(tmp_path, rubric, KEY), "甲局.xlsx") == ["FILE_XML_ENCODING"]


@pytest.mark.parametrize("name", ["zzz.xlsx", "质强办.zip"])
def test_a_pipe_swapped_in_after_discovery_does_not_hang(
    tmp_path: Path, setting: tuple[Rubric, Sources], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    rubric, sources = setting
    (tmp_path / "甲局.xlsx").write_bytes(sources.form)
    (tmp_path / "zzz.xlsx").write_bytes(sources.form)
    (tmp_path / "质强办.zip").write_bytes(rezip({"评价表.xlsx": sources.veto_form}))
    swap_after_discovery(monkeypatch, name, os.mkfifo)
    results: list[CollectResult] = []
    reading = threading.Thread(target=lambda: results.append(collect(tmp_path, rubric, KEY)), daemon=True)
    reading.start()
    reading.join(timeout=60)
    if reading.is_alive():  # let the stuck read end, then fail
        with open(tmp_path / name, "wb"):
            pass
        pytest.fail("collect hung on a pipe")
    assert codes(results[0], name) == ["FILE_NOT_REGULAR"]
    assert "甲局" in [s.evaluator for s in results[0].accepted()]
