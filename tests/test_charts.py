"""The charts in master.xlsx: native chart parts whose series read the 图表数据 sheet."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element

import openpyxl
import pytest
from defusedxml import ElementTree

from qe_workbook.outputs.charts import CHART_SHEET, DATA_SHEET
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}


@pytest.fixture
def master(tmp_path: Path, small_rubric: Rubric) -> Path:
    """The TIE run (tests/forms.py): 南区 98, 东区 90.5, 西区 90.5."""
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    return (
        run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "runs")).folder / "master.xlsx"
    )


def _charts(path: Path) -> dict[str, Element]:
    """Each chart part by its title."""
    with zipfile.ZipFile(path) as z:
        roots = [ElementTree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("xl/charts/chart")]
    return {
        "".join(t.text or "" for t in root.find("c:chart/c:title", NS).iterfind(".//a:t", NS)): root for root in roots
    }


def _series(chart: Element) -> list[tuple[str, str, list[float]]]:
    """(series name reference, values reference, cached values) of every series, bars first."""
    found = []
    for ser in chart.iterfind(".//c:ser", NS):
        values = ser.find("c:val/c:numRef", NS)
        assert values is not None
        count = int(values.find("c:numCache/c:ptCount", NS).get("val"))
        points = [float(v.text or "") for v in values.iterfind("c:numCache/c:pt/c:v", NS)]
        assert len(points) == count
        found.append((ser.findtext("c:tx/c:strRef/c:f", namespaces=NS), values.findtext("c:f", namespaces=NS), points))
    return found


def test_master_has_the_chart_sheets_last(master: Path) -> None:
    wb = openpyxl.load_workbook(master)
    assert wb.sheetnames[-2:] == [CHART_SHEET, DATA_SHEET]
    data = [[c for c in row if c is not None] for row in wb[DATA_SHEET].iter_rows(values_only=True)]
    assert data[:6] == [
        ["总分与等级线（按排名）"],
        ["被考核单位", "总分", "A级线（90分）", "B级线（80分）", "C级线（60分）"],
        ["南区", 98, 90, 80, 60],
        ["东区", 90.5, 90, 80, 60],
        ["西区", 90.5, 90, 80, 60],
        [],
    ]


def test_totals_chart_has_one_bar_per_unit_and_a_line_per_grade(master: Path) -> None:
    chart = _charts(master)["各单位总分与等级线"]
    assert len(chart.findall(".//c:barChart/c:ser", NS)) == 1
    assert len(chart.findall(".//c:lineChart/c:ser", NS)) == 3
    assert _series(chart) == [
        ("图表数据!$B$2", "图表数据!$B$3:$B$5", [98, 90.5, 90.5]),
        ("图表数据!$C$2", "图表数据!$C$3:$C$5", [90, 90, 90]),
        ("图表数据!$D$2", "图表数据!$D$3:$D$5", [80, 80, 80]),
        ("图表数据!$E$2", "图表数据!$E$3:$E$5", [60, 60, 60]),
    ]
    categories = chart.find(".//c:ser/c:cat/c:strRef", NS)
    assert categories.findtext("c:f", namespaces=NS) == "图表数据!$A$3:$A$5"
    assert [v.text for v in categories.iterfind("c:strCache/c:pt/c:v", NS)] == ["南区", "东区", "西区"]


def test_area_chart_stacks_one_series_per_area_against_full_marks(master: Path) -> None:
    chart = _charts(master)["各单位分领域得分（末列为满分）"]
    assert chart.find(".//c:barChart/c:grouping", NS).get("val") == "stacked"
    #       南区 60 / 40; 东区 36 + 18.5 / 35; 西区 38 + 16.5 / 37.5; then the areas' full marks
    assert _series(chart) == [
        ("图表数据!$B$8", "图表数据!$B$9:$B$12", [60, 54.5, 54.5, 60]),
        ("图表数据!$C$8", "图表数据!$C$9:$C$12", [40, 35, 37.5, 40]),
    ]
    categories = chart.find(".//c:ser/c:cat/c:strRef", NS)
    assert [v.text for v in categories.iterfind("c:strCache/c:pt/c:v", NS)] == ["南区", "东区", "西区", "满分"]


def test_loss_chart_shows_the_share_of_each_areas_points_lost(master: Path) -> None:
    chart = _charts(master)["各领域失分率（全市）"]
    # area 1: 东区 4 + 1.5, 西区 2 + 3.5 + 1.5 (one event), 南区 2 (capped) = 14.5 of 3 × 60 -> 8.06 %
    # area 2: 东区 5, 西区 2.5 = 7.5 of 3 × 40 -> 6.25 %
    assert _series(chart) == [("图表数据!$D$15", "图表数据!$D$16:$D$17", [8.06, 6.25])]
