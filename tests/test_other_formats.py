"""A form saved by WPS, Excel or LibreOffice as .xls, .ods or .xlsm keeps its sheets and values: it is read,
and accepted when its manifest and signature verify; what cannot be verified says what to do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from qe_workbook.intake.collect import collect
from qe_workbook.intake.submission import Status
from qe_workbook.rubric import Rubric

from .conftest import require_program
from .test_real_clients import run_bounded
from .test_recognise import KEY, SAMPLES, codes, form_of, owned, returned_without

SAMPLES_RETURNED = SAMPLES / "returned"


def convert(src: Path, fmt: str, out: Path, profile: Path) -> Path:
    """`src` saved by LibreOffice as `fmt` (xls: Excel 97-2003, ods), into `out`."""
    soffice = require_program("soffice")
    run_bounded([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                 "--outdir", str(out), str(src)])  # fmt: skip
    return out / f"{src.stem}.{fmt}"


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The 市水利局 and 市畜牧局 forms saved as .xls and .ods, and 市商务局's without its manifest sheet as .xls."""
    tmp = tmp_path_factory.mktemp("saved")
    profile = tmp / "profile"
    stripped = openpyxl.load_workbook(form_of("市商务局"))
    del stripped["qe_manifest"]
    stripped.save(tmp / "无标识.xlsx")
    return {
        "xls": convert(form_of("市水利局"), "xls", tmp, profile),
        "ods": convert(form_of("市畜牧局"), "ods", tmp, profile),
        "bare": convert(tmp / "无标识.xlsx", "xls", tmp, profile),
    }


def test_xls_ods_and_xlsm_are_read_and_accepted_whatever_their_names(
    tmp_path: Path, rubric_2022: Rubric, saved: dict[str, Path]
) -> None:
    folder = returned_without(tmp_path, "市水利局", "市畜牧局", "市卫健委")
    shutil.copy(saved["xls"], folder / "评价表(1).xls")
    shutil.copy(saved["ods"], folder / "打分表 - 副本.ods")
    shutil.copy(form_of("市卫健委"), folder / "市卫健委.xlsm")
    result = collect(folder, rubric_2022, KEY)
    for dept, file in (("市水利局", "评价表(1).xls"), ("市畜牧局", "打分表 - 副本.ods"), ("市卫健委", "市卫健委.xlsm")):
        (sub,) = owned(result, dept)
        assert (sub.file, sub.status) == (file, Status.ACCEPTED), sub.problems
    assert len(result.accepted()) == 28
    assert [p.code for p in result.problems] == ["FILE_NAME_ODD"]  # the blanks of 打分表 - 副本.ods
    same = collect(SAMPLES_RETURNED, rubric_2022, KEY)
    assert result.frame["value_cents"].sum() == same.frame["value_cents"].sum()


def test_a_fetched_xls_is_adopted_from_its_sender(tmp_path: Path, rubric_2022: Rubric, saved: dict[str, Path]) -> None:
    folder = returned_without(tmp_path, "市水利局")
    mail = folder / "20230427-090100_市水利局_3"
    mail.mkdir()
    shutil.copy(saved["xls"], mail / "水利局评价表.xls")
    record = {"version": 1, "messages": [], "receipts": [{
        "received_at": "2023-04-27T09:01:00+08:00", "channel": "邮件", "sender": "市水利局", "file": "水利局评价表.xls",
        "material": "评价表", "address": "slj@example.cn", "saved_as": "20230427-090100_市水利局_3/水利局评价表.xls"}]}  # fmt: skip
    (folder / "收件记录.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = collect(folder, rubric_2022, KEY)
    (sub,) = owned(result, "市水利局")
    assert sub.status == Status.ACCEPTED and sub.receipt is not None and sub.receipt.address == "slj@example.cn"
    assert [p.file for p in result.problems if p.code != "RECEIPT_NOT_FOUND"] == [] and len(result.accepted()) == 28
    assert "20230427-090100_市水利局_3/水利局评价表.xls" not in {p.file for p in result.problems}


def test_an_xls_that_lost_its_manifest_says_what_to_do(
    tmp_path: Path, rubric_2022: Rubric, saved: dict[str, Path]
) -> None:
    folder = returned_without(tmp_path, "市商务局")
    shutil.copy(saved["bare"], folder / "商务局.xls")
    result = collect(folder, rubric_2022, KEY)
    (sub,) = owned(result, "市商务局")
    assert sub.status == Status.REJECTED and sub.problems[0].code == "FILE_FORMAT_UNVERIFIABLE"
    assert "请在下发的 .xlsx 评价表中填写" in sub.reason
    assert codes(result, "市商务局") == {"SUBMISSION_REJECTED"}
