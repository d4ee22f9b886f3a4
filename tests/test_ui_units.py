"""The units page: the packages (as `qe units generate`), the materials the units send uploaded as sent with their
receipt, and the check of them (as `qe units check 县区材料`), whose 材料报送情况 the page shows and serves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from qe_workbook.intake.receipts import read_record
from qe_workbook.units.simulate import simulate_units

from .test_ui_returns import TOKEN, Page
from .test_workspace import small_year


def test_packages_materials_and_their_check(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    page = Page(ws)
    html = page.get("units")
    assert 'id="units-generate"' in html and "生成县区材料包</button>" in html
    assert 'id="units-check" disabled' in html  # nothing received yet
    assert page.job("units/generate") == ["已为 3 个被考核单位生成材料包（已有的文件不覆盖），请连同方案发给各县区。"]
    html = page.get("units")
    assert html.count("联系人员名单.xlsx</a>") == 3 and 'id="units-register"' in html
    contacts = ws.units / "东区" / "联系人员名单.xlsx"
    assert (
        page.client.get(f"/{TOKEN}/file?path={quote('out/units/东区/联系人员名单.xlsx')}").data == contacts.read_bytes()
    )

    sent = simulate_units(rubric, ws.units, tmp_path / "sent")
    day = f"{rubric.materials_deadline - timedelta(days=1)} 10:00"
    files = sorted(p for p in sent.rglob("*") if p.is_file() and p.suffix in (".docx", ".xlsx") and p.parent != sent)
    assert len(files) == 6
    for path in files:
        page.client.post(f"/{TOKEN}/units/upload", data={"csrf": page.csrf, "received": day, "channel": "微信",
                                                        "files": [(path.open("rb"), path.name)]},
                         content_type="multipart/form-data")  # fmt: skip
    kept = sorted(p.name for p in ws.received_files(ws.units_received))
    assert kept == sorted(["东区自评报告.docx", "西区自评报告.docx", "南区自评报告.docx", "联系人员名单.xlsx",
                           "联系人员名单 (2).xlsx", "联系人员名单 (3).xlsx"])  # fmt: skip
    book, _ = read_record(ws.units_received / "收件记录.json")
    assert {(r.channel, r.shown_time(), r.material) for r in book.receipts} == {("微信", day, None)}

    assert page.job("units/check") == ["检查完成：全部收到且符合要求。"]
    html = page.get("units")
    table = html[html.index('id="units-status-table"') :]
    assert table.count("<td>已收到</td>") == 6 and 'id="units-status"' in html
    (check,) = ws.checked_units()
    assert (check / "材料报送情况.xlsx").is_file()
    assert f'<option value="out/units-check/{check.name}">' in page.get("collect")  # chosen when collecting
