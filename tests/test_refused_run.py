"""Nothing official from a wrong state: a run collected with another key, a run that withheld its documents, a
killed run's temporary folder. Every command that writes a document or a mail from a run refuses with the run's own
diagnosis and exit 1, or writes only what is safe."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qe_workbook.keys import write_key
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric
from qe_workbook.run_folder import RUN_MARKER
from qe_workbook.workspace.layout import Workspace
from qe_workbook.workspace.returns import department_returns
from qe_workbook.workspace.runs import run_view

from .conftest import run_qe
from .forms import KEY, TIE, fill_all, generate

OTHER_KEY = bytes(range(1, 33))
KEY_TEXT = "很可能本次使用的密钥"  # KEY_PROBABLY_WRONG, as the run recorded it
REFUSED = "不能据此生成正式文件或邮件"


@pytest.fixture
def wrong_key_run(tmp_path: Path, small_rubric: Rubric) -> Path:
    """`qe collect returned --key other.key`: every signature fails, the documents are withheld."""
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    return run_collect(
        tmp_path / "returned", small_rubric, OTHER_KEY, CollectOptions(tmp_path / "out", key_file="other.key")
    ).folder


def commands(run: Path, tmp_path: Path, rubric: Path) -> dict[str, list[str]]:
    key = tmp_path / "keys" / "qe.key"
    if not key.exists():
        write_key(key, KEY)
    at = ["--rubric", str(rubric)]
    return {
        "report": ["report", str(run), *at],
        "approve": ["approve", str(run), "--stage", "征求意见稿", "--basis", "第 3 次会议纪要", *at],
        "precheck": ["precheck", str(run), "--deadline", "2023-05-20", *at],
        "feedback export": ["feedback", "export", str(run), *at],
        "export kaoping": ["export", "kaoping", str(run), "--map", "A=100,B=90,C=80,D=60", *at],
        "export wenze": ["export", "wenze", str(run), *at],
        "rectify generate": ["rectify", "generate", str(run), "--key", str(key), *at],
        "mail chase": [
            "mail",
            "chase",
            str(run),
            "--forms",
            str(tmp_path / "forms"),
            "--out",
            str(tmp_path / "out2"),
            *at,
        ],
    }


def written_beside(folder: Path, before: set[Path]) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p not in before and p.is_file())


def test_no_command_writes_a_document_or_a_mail_from_a_run_collected_with_another_key(
    tmp_path: Path, wrong_key_run: Path, small_rubric_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    runs = commands(wrong_key_run, tmp_path, small_rubric_path)
    before = set(tmp_path.rglob("*"))
    for name, args in runs.items():
        code, out = run_qe(args, monkeypatch, capsys)
        assert code == 1, (name, out)
        assert KEY_TEXT in out and REFUSED in out, (name, out)
        assert "可能是伪造的" not in out and "D（暂定）" not in out, (name, out)
        assert out.index(KEY_TEXT) < out.index(REFUSED), (name, out)  # the run's own diagnosis first
        assert written_beside(tmp_path, before) == [], name


def test_a_withheld_run_without_a_key_problem_still_chases_the_departments_that_sent_nothing(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    generate(small_rubric, tmp_path / "forms")
    (tmp_path / "returned").mkdir()
    run = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "out")).folder
    for name, args in commands(run, tmp_path, small_rubric_path).items():
        if name == "mail chase":
            continue
        code, out = run_qe(args, monkeypatch, capsys)
        assert code == 1 and "没有任何有效评分" in out and REFUSED in out, (name, out)
    code, out = run_qe(commands(run, tmp_path, small_rubric_path)["mail chase"], monkeypatch, capsys)
    assert "已写好 3 封催报邮件草稿" in out, out  # a form not received is a real, department-specific problem
    assert REFUSED not in out


def test_a_temporary_run_folder_is_never_a_run(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    run = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "out")).folder
    killed = run.parent / f".tmp-{run.name}-4242"  # what a killed run leaves, marker and all
    shutil.copytree(run, killed)
    unmarked = run.parent / "20230501-093000"  # a folder that looks like a run but no run wrote
    shutil.copytree(run, unmarked)
    (unmarked / RUN_MARKER).unlink()
    for folder, text in ((killed, "未完成的汇总留下的临时文件夹"), (unmarked, "不是 qe collect 生成的汇总结果文件夹")):
        runs = commands(folder, tmp_path, small_rubric_path)
        before = set(tmp_path.rglob("*"))
        for name, args in runs.items():
            code, out = run_qe(args, monkeypatch, capsys)
            assert code == 1 and text in out, (name, out)
            assert written_beside(tmp_path, before) == [], name
    code, out = run_qe(commands(run, tmp_path, small_rubric_path)["report"], monkeypatch, capsys)
    assert code == 0, out  # the finished run itself is a run


def test_the_page_says_first_why_a_run_collected_with_another_key_cannot_be_used(wrong_key_run: Path) -> None:
    key, withheld, refusal = (p.message for p in run_view(wrong_key_run).refusal)
    assert key.startswith("3 份带标识表的评价表中有 3 份签名不符")
    assert withheld.startswith("东区、西区、南区没有任何有效评分")
    assert refusal.startswith(
        f"{wrong_key_run} 的汇总结果很可能是用错了密钥汇总的，且有被考核单位没有任何有效评分，不能据此"
    )


def test_collect_writes_no_document_when_most_forms_were_signed_with_another_key(
    tmp_path: Path, small_rubric: Rubric
) -> None:
    """甲局 and 乙局 fail their signature, 质强办's veto answers alone give every unit a score: still no document."""
    fill_all(generate(small_rubric, tmp_path / "forms", OTHER_KEY), tmp_path / "returned", TIE)
    fill_all(generate(small_rubric, tmp_path / "forms2"), tmp_path / "returned", {"质强办": TIE["质强办"]})
    report = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "out"))
    assert [p.code for p in report.problems][:1] == ["KEY_PROBABLY_WRONG"]
    assert "REPORTS_WITHHELD" not in [p.code for p in report.problems]  # every unit has a score
    written = {p.name for p in report.folder.iterdir()}
    assert "master.xlsx" in written and not written & {"反馈意见", "公告名单.xlsx", "共性问题"}, written


def test_the_results_page_shows_why_the_run_cannot_be_used_above_everything(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path
) -> None:
    from qe_workbook.ui.app import create_app

    root = tmp_path / "工作区"
    (root / "out").mkdir(parents=True)
    shutil.copyfile(small_rubric_path, root / "rubric.json")
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    run_collect(tmp_path / "returned", small_rubric, OTHER_KEY, CollectOptions(root / "out" / "results"))
    token = "t" * 32
    app = create_app(root, token)
    page = app.test_client().get(f"/{token}/results", headers={"Host": "127.0.0.1"}).get_data(as_text=True)
    assert (
        page.index("这次汇总的结果不能使用")
        < page.index("3 份带标识表的评价表中有 3 份签名不符")
        < page.index("排名和等级")
    )


def test_the_page_asks_no_department_to_send_again_after_a_wrong_key(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path
) -> None:
    """Every signature failing is the office's key, not three forgeries: nothing to ask the departments for."""
    ws = Workspace(tmp_path / "工作区")
    ws.root.mkdir()
    shutil.copyfile(small_rubric_path, ws.rubric_path)
    fill_all(generate(small_rubric, tmp_path / "forms"), ws.returned, {k: v for k, v in TIE.items() if k != "乙局"})
    run_collect(ws.returned, small_rubric, OTHER_KEY, CollectOptions(ws.results, key_file="other.key"))
    returns = department_returns(ws, small_rubric)
    assert [(d.evaluator, d.state, d.ask) for d in returns.departments] == [
        ("甲局", "已收到，待核对密钥", "先用本年度的密钥重新汇总；无需催报"), ("乙局", "未收到", "请催报评价表"),
        ("质强办", "已收到，待核对密钥", "先用本年度的密钥重新汇总；无需催报")
    ]  # fmt: skip
    assert returns.refusal[0].message.startswith("2 份带标识表的评价表中有 2 份签名不符")


def test_after_a_wrong_key_the_screen_and_master_say_what_the_page_says_not_returned(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The forms are fine, the key is not: no department is told its form was 退回."""
    import openpyxl

    fill_all(
        generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", {k: v for k, v in TIE.items() if k != "乙局"}
    )
    write_key(tmp_path / "other.key", OTHER_KEY)
    code, out = run_qe(["collect", str(tmp_path / "returned"), "--rubric", str(small_rubric_path),
                        "--key", str(tmp_path / "other.key"), "--out", str(tmp_path / "out")], monkeypatch, capsys)  # fmt: skip
    assert code == 1
    assert "报送情况：未收到 1 个：乙局（请催报评价表）；已收到，待核对密钥 2 个。" in out, out
    (run,) = (tmp_path / "out").iterdir()
    returns = openpyxl.load_workbook(run / "master.xlsx", read_only=True)["报送情况"]
    rows = [(r[0], r[1], r[8]) for r in returns.iter_rows(min_row=2, values_only=True)]
    assert [(who, state) for who, state, _ in rows] == [("甲局", "已收到，待核对密钥"), ("乙局", "未收到"),
                                                         ("质强办", "已收到，待核对密钥")]  # fmt: skip
    assert rows[0][2].endswith("；先用本年度的密钥重新汇总；无需催报")
