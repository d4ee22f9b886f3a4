"""The overview says where the year stands: before the forms are issued what to do first (nobody is missing or
chased yet); after a collect what each department must do, in the words of 报送情况; after approval what was
approved and what changed since."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from qe_workbook.choices import Stage
from qe_workbook.intake.receipts import OFFICE_TZ
from qe_workbook.record.approval import approve_run
from qe_workbook.workspace.actions import generate_in
from qe_workbook.workspace.decisions import archive_in
from qe_workbook.workspace.runs import run_time

from .forms import TIE, fill_all, with_changes
from .test_ui_returns import Page
from .test_workspace import small_year


def next_steps(html: str) -> list[str]:
    card = html[html.index('id="next"') : html.index("</section>", html.index('id="next"'))]
    return [re.sub(r"<[^>]+>", "", line).strip() for line in re.findall(r'<p id="headline">(.*?)</p>|<li>(.*?)</li>', card)
            for line in line if line]  # fmt: skip


def test_the_overview_through_the_year(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    page = Page(ws)
    html = page.get("overview")
    assert next_steps(html) == [
        "评价表尚未下发，还不需要催报。先做这两件事：",
        "生成县区材料包（自评报告模板、联系人员名单、印证材料报送指引），连同方案发给各县区",
        "生成 3 个评价部门的评价表和发放清单，按发放清单下发",
    ]
    assert "未收到" not in html and "请催报" not in html and html.count("评价表尚未下发") == 4  # the headline, 3 rows

    generated = generate_in(ws, rubric).generated
    assert generated is not None
    html = page.get("overview")
    assert next_steps(html)[1:] == ["按发放清单把评价表发给各评价部门；收到交回的文件后加入回收文件夹"]
    assert re.fullmatch(r"评价表已于 \d{4}-\d\d-\d\d \d\d:\d\d 生成，尚未收到交回的评价表。", next_steps(html)[0])
    assert html.count("请催报评价表") == 3

    (tmp_path / "filled").mkdir()
    filled = fill_all(generated, tmp_path / "filled", TIE)
    for evaluator in ("甲局", "质强办"):
        page.upload(filled[evaluator].name, filled[evaluator].read_bytes(), "2023-04-26 15:30")
    assert next_steps(page.get("overview")) == ["已收到 2 个文件，尚未汇总。", "汇总评分，查看每份评价表能否采用"]
    page.collect()
    assert next_steps(page.get("overview")) == [
        "最近一次汇总：3 个评价部门中 2 个已采用。", "未收到 1 个：乙局（请催报评价表）"
    ]  # fmt: skip

    page.upload(filled["乙局"].name, filled["乙局"].read_bytes(), "2023-04-27 10:00")
    assert next_steps(page.get("overview"))[1:] == [
        "有 1 个文件是最近一次汇总之后加入的，请重新汇总", "未收到 1 个：乙局（请催报评价表）"
    ]  # fmt: skip
    page.collect()
    assert next_steps(page.get("overview")) == [
        "最近一次汇总：3 个评价部门中 3 个已采用。", "生成得分核对单，登记异议和会议调整后，按程序审定"
    ]  # fmt: skip

    results = page.get("results")  # two runs: the results page chooses between them as the later steps do
    assert '<label for="run">汇总结果</label>' in results and "（最近一次）" in results

    run = ws.runs()[0]
    at = datetime(2023, 5, 20, 9, 0, tzinfo=OFFICE_TZ)
    approval, problems = approve_run(
        run, rubric, Stage.APPROVED, "市质量强市工作领导小组会议纪要〔2023〕3号", by="张三", now=at
    )
    assert approval is not None, problems
    html = page.get("overview")
    assert next_steps(html) == [
        f"已审定：{run_time(run.name)} 汇总的结果（审定稿，张三，2023-05-20 09:00，依据：市质量强市工作领导小组会议纪要〔2023〕3号）。",
        "审定后归档，并核验档案",
    ]
    assert "审定之后没有再汇总，结果没有变化。" in html

    assert archive_in(ws, run, rubric).folder == ws.root / "out" / "档案" / run.name
    assert next_steps(page.get("overview")) == [
        f"已审定：{run_time(run.name)} 汇总的结果（审定稿，张三，2023-05-20 09:00，依据：市质量强市工作领导小组会议纪要〔2023〕3号）。"
        f"已归档（档案文件夹 {run.name}）。",
        "生成整改台账，随反馈意见发给各县区；县区交回后汇总整改情况",
        "准备下一年度：生成下一年度的考核细则工作簿，用新的空文件夹新建工作区",
    ]

    (tmp_path / "later").mkdir()
    later = fill_all(generated, tmp_path / "later", with_changes(TIE, "乙局", {("东区", "03-1"): (30, "复核后更正。")}))
    page.upload(later["乙局"].name, later["乙局"].read_bytes(), "2023-05-22 10:00")
    page.collect()
    html = page.get("overview")
    since = re.findall(r'<ul id="since"><li>(.*?)</li>', html)
    assert len(since) == 1 and since[0].startswith(
        f"{run_time(ws.runs()[0].name)} 的汇总：本次结果与 {run.name}（审定稿，2023-05-20 09:00"
    )
    assert "东区" in since[0] and "审定后归档" not in html
    assert since[0].endswith("如需采用，请在“审定”页按程序重新审定。") and "qe approve" not in html
