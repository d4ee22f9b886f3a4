"""The forms page: generate, issue every form again with a new seed into a new folder (as `qe generate --seed v2
--out out/forms-2`), and a correction form for chosen units of one department (as `qe correction`)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from qe_workbook.forms.fill import fill_form
from qe_workbook.forms.register import load_register

from .forms import FILLED_ON, TIE
from .test_ui_returns import TOKEN, Page
from .test_workspace import small_year


def test_generate_issue_again_and_a_correction_form(tmp_path: Path) -> None:
    ws, _rubric = small_year(tmp_path)
    page = Page(ws)
    html = page.get("forms")
    assert 'id="generate"' in html and 'id="again"' not in html
    assert page.job("generate") == ["已生成 3 份评价表，并生成发放清单。"]
    html = page.get("forms")
    assert "第 1 次评价表，共 3 份。" in html and 'id="again"' in html and 'value="v2"' in html

    said = page.job("forms/again", seed="v2")
    assert said == [
        "已重新生成 3 份评价表（新版标识 v2），并生成新的发放清单。各部门按新版填写交回后，旧版自动不再采用。"
    ]
    again = sorted(p.name for p in (ws.root / "out" / "forms-2").iterdir())
    assert len(again) == 4 and "发放清单.xlsx" in again
    html = page.get("forms")
    assert "第 2 次评价表（新版标识 v2），共 3 份。" in html and 'value="v3"' in html
    assert 'name="path" value="out/forms-2"' in html  # the folder the button opens
    form = next(n for n in again if "甲局" in n)
    assert page.client.get(f"/{TOKEN}/file?path={quote(f'out/forms-2/{form}')}").status_code == 200
    assert page.client.get(f"/{TOKEN}/file?path=out/qe.key").status_code == 403
    register, _ = load_register(ws.register_path)
    assert [(g.number, g.kind, g.seed) for g in register.generations] == [(1, "full", ""), (2, "full", "v2")]

    page.post("forms/correction", evaluator="甲局")
    assert "（未指定被考核单位）" in page.get("forms") and not (ws.root / "out" / "corrections").exists()
    (tmp_path / "filled").mkdir()
    for evaluator, answers in TIE.items():  # the new version, as each department fills it
        form = next((ws.root / "out" / "forms-2").glob(f"*{evaluator}.xlsx"))
        fill_form(form, tmp_path / "filled" / form.name, answers, FILLED_ON)
        page.upload(form.name, (tmp_path / "filled" / form.name).read_bytes(), "2023-04-26 15:30")
    page.collect()
    page.post("forms/correction", evaluator="甲局", units=["东区", "南区"])
    html = page.get("forms")
    made = sorted((ws.root / "out" / "corrections").glob("*.xlsx"))
    assert len(made) == 1 and "已生成甲局的更正表（东区、南区，共 " in html and made[0].name in html
    assert f"“现采用值”取自 {ws.runs()[0].name} 的汇总。" in html
    register, _ = load_register(ws.register_path)
    assert [(g.number, g.kind) for g in register.generations][-1] == (3, "correction")
    assert 'id="generations"' in html
