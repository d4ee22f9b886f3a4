"""Native charts in master.xlsx, drawn from a data sheet so Excel, WPS and LibreOffice all show them.

The sheet 图表数据 holds three tables, values rounded half up to 2 decimals; the sheet 图表 holds:

1. 总分与等级线: each unit's total (columns, by rank) with one line per grade threshold (90/80/60).
2. 各领域得分: each unit's points per area, stacked (one series per area), next to a last column
   "满分" that stacks the areas' full marks, so every segment can be read against its maximum.
3. 各领域失分率: for each area, the points all units lost there (score items short of full marks,
   plus deductions) as a percentage of the points the area offers all units together.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..amounts import canonical, round2
from ..forms.paper import page_setup, text_height
from ..rubric import Rubric
from ..rubric.model import grade_label
from ..scoring.score import Results

DATA_SHEET, CHART_SHEET = "图表数据", "图表"
FULL_MARKS = "满分"
TITLE_FONT = {"name": "黑体", "size": 12}
CHART_WIDTH, CHART_HEIGHT = 960, 600  # pixels: one chart fills an A4 landscape page at 100 %
DATA_WIDTHS = (20, 15)  # 图表数据: the first column, every other column (a header such as A级线（90分） on one line)
CHART_ROWS = 32  # sheet rows (20 px each) from one chart to the next: a chart and a page break between


class DataSheet:
    """Titled tables on 图表数据, and the cell ranges charts read them through."""

    def __init__(self, wb: Workbook) -> None:
        self.ws: Worksheet = wb.add_worksheet(DATA_SHEET)
        self.bold = wb.add_format({"bold": True})
        self.head = wb.add_format({"bold": True, "border": 1, "bg_color": "#D9E1F2", "text_wrap": True})
        self.text = wb.add_format({"border": 1})
        self.num = wb.add_format({"border": 1, "num_format": "0.00"})
        self.next_row = 0
        self.ws.set_column(0, 0, DATA_WIDTHS[0])
        self.ws.set_column(1, 12, DATA_WIDTHS[1])
        self.last_col = 0

    def table(self, title: str, header: list[str], rows: list[list[str | Decimal]]) -> tuple[int, int]:
        """Write a table; return its first and last data rows."""
        self.ws.write_string(self.next_row, 0, title, self.bold)
        header_row = self.next_row + 1
        self.ws.set_row(header_row, text_height([(name, DATA_WIDTHS[min(col, 1)]) for col, name in enumerate(header)]))
        for col, name in enumerate(header):
            self.ws.write_string(header_row, col, name, self.head)
        self.last_col = max(self.last_col, len(header) - 1)
        for row, values in enumerate(rows, start=header_row + 1):
            for col, value in enumerate(values):
                if isinstance(value, str):
                    self.ws.write_string(row, col, value, self.text)
                else:
                    self.ws.write_number(row, col, float(value), self.num)
        self.next_row = header_row + len(rows) + 2
        return header_row + 1, header_row + len(rows)

    @staticmethod
    def column(first: int, last: int, col: int) -> list[str | int]:
        return [DATA_SHEET, first, col, last, col]

    @staticmethod
    def name(first: int, col: int) -> list[str | int]:
        """The header cell above a data column (the series name)."""
        return [DATA_SHEET, first - 1, col]


def add_charts(wb: Workbook, rubric: Rubric, results: Results, owner: str = "") -> None:
    """Add the sheets 图表 (three charts) and 图表数据 (their numbers) to master.xlsx; `owner` is named at the
    top of their pages."""
    sheet = wb.add_worksheet(CHART_SHEET)
    data = DataSheet(wb)
    charts = [_totals(wb, data, rubric, results), _areas(wb, data, rubric, results), _losses(wb, data, rubric, results)]
    for n, chart in enumerate(charts):
        chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
        sheet.insert_chart(n * CHART_ROWS, 0, chart, {"y_offset": 4})
    sheet.set_h_pagebreaks([n * CHART_ROWS for n in range(1, len(charts))])  # one chart a page
    page_setup(sheet, owner=owner, title=CHART_SHEET, last_row=len(charts) * CHART_ROWS - 1, last_col=15, scale=100)
    page_setup(data.ws, owner=owner, title=DATA_SHEET, last_row=data.next_row, last_col=data.last_col)


def _chart(wb: Workbook, options: dict[str, str], title: str, y_title: str) -> Chart:
    chart = wb.add_chart(options)
    chart.set_title({"name": title, "name_font": TITLE_FONT})
    chart.set_y_axis({"name": y_title, "min": 0, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    return chart


def _totals(wb: Workbook, data: DataSheet, rubric: Rubric, results: Results) -> Chart:
    thresholds = rubric.grading.thresholds
    percent = rubric.grading.by_percent  # a line is a share of each unit's own full marks
    unit = "%" if percent else "分"
    header = ["被考核单位", "总分", *(f"{grade_label(t.grade)}线（{canonical(t.min)}{unit}）" for t in thresholds)]
    rows: list[list[str | Decimal]] = [
        [u.unit, round2(u.total), *(round2(Fraction(t.min) * u.full / 100) if percent else t.min for t in thresholds)]
        for u in results.by_rank()
    ]
    first, last = data.table("总分与等级线（按排名）", header, rows)
    chart = _chart(wb, {"type": "column"}, "各单位总分与等级线", "分")
    chart.add_series({
        "name": data.name(first, 1), "categories": data.column(first, last, 0), "values": data.column(first, last, 1),
        "data_labels": {"value": True, "num_format": "0.00", "position": "inside_base",
                        "font": {"color": "white", "bold": True}},
    })  # fmt: skip
    lines = wb.add_chart({"type": "line"})
    for col in range(2, 2 + len(thresholds)):
        lines.add_series({
            "name": data.name(first, col), "categories": data.column(first, last, 0),
            "values": data.column(first, last, col), "marker": {"type": "none"}, "line": {"dash_type": "dash"},
        })  # fmt: skip
    chart.combine(lines)
    return chart


def _areas(wb: Workbook, data: DataSheet, rubric: Rubric, results: Results) -> Chart:
    header = ["被考核单位", *(a.name for a in rubric.areas)]
    rows: list[list[str | Decimal]] = [
        [u.unit, *(round2(u.areas[a.id]) for a in rubric.areas)] for u in results.by_rank()
    ]
    rows.append([FULL_MARKS, *(a.max for a in rubric.areas)])
    first, last = data.table("各领域得分（末行为各领域满分）", header, rows)
    chart = _chart(wb, {"type": "column", "subtype": "stacked"}, "各单位分领域得分（末列为满分）", "分")
    for col in range(1, 1 + len(rubric.areas)):
        chart.add_series({
            "name": data.name(first, col), "categories": data.column(first, last, 0),
            "values": data.column(first, last, col), "gap": 60,
        })  # fmt: skip
    return chart


def _losses(wb: Workbook, data: DataSheet, rubric: Rubric, results: Results) -> Chart:
    lost = {a.id: Fraction(0) for a in rubric.areas}
    for unit in results.units:
        for item_score in unit.items:
            lost[item_score.item.area] += item_score.lost or 0
    rows: list[list[str | Decimal]] = []
    for area in rubric.areas:
        offered = Fraction(area.max) * len(results.units)
        rows.append([area.name, round2(lost[area.id]), round2(offered), round2(lost[area.id] / offered * 100)])
    header = ["考核领域", "失分合计", "可得分合计", "失分率（%）"]
    first, last = data.table("各领域失分率（全部被考核单位）", header, rows)
    chart = _chart(wb, {"type": "column"}, "各领域失分率（全市）", "失分率（%）")
    chart.add_series({
        "name": data.name(first, 3), "categories": data.column(first, last, 0), "values": data.column(first, last, 3),
        "data_labels": {"value": True, "num_format": "0.00"},
    })  # fmt: skip
    return chart
