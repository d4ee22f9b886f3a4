"""Is this returned file an authentic, unaltered form of this year's rubric? (integrity checks)

The manifest names the evaluator; the HMAC over the locked content as read proves the content
and manifest are the office's. When it does not verify, the content the rubric expects is tried
too: if that verifies, the manifest is genuine and the differences pinpoint the edited cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..forms.layout import (
    COL_ID,
    COL_MAX,
    COL_TEXT,
    COL_UNIT,
    FIRST_DATA_ROW,
    FORM_SHEET,
    HEADER_ROW,
    cell_ref,
    expected_content,
)
from ..forms.manifest import FORMAT, LockedContent, Manifest, verify
from ..problems import Problem, make_problem
from ..rubric import Evaluator, Rubric
from .read_form import RawForm

PROP_PREFIX = "qe_"


@dataclass
class Integrity:
    manifest: Manifest | None
    evaluator: Evaluator | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.evaluator is not None and not self.problems


def read_manifest(raw: RawForm) -> Manifest | None:
    """The manifest from its sheet, or from the custom properties when the sheet is gone."""
    manifest = Manifest.from_mapping(raw.manifest) if raw.manifest else None
    if manifest is None and raw.properties:
        props = {k[len(PROP_PREFIX) :]: v for k, v in raw.properties.items() if k.startswith(PROP_PREFIX)}
        manifest = Manifest.from_mapping(props)
    return manifest


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_integrity(raw: RawForm, rubric: Rubric, key: bytes, file: str) -> Integrity:
    def P(code: str, detail: str, sheet: str | None = FORM_SHEET, cell: str | None = None) -> Problem:
        return make_problem(code, detail, file=file, sheet=sheet, cell=cell)

    manifest = read_manifest(raw)
    if manifest is None:
        if raw.manifest or any(k.startswith(PROP_PREFIX) for k in raw.properties):
            return Integrity(None, None, [P("FORM_MANIFEST_INVALID", "评价表标识缺少必要字段", sheet=None)])
        return Integrity(None, None, [P("FORM_NO_MANIFEST", "文件中没有评价表标识", sheet=None)])
    if manifest.format != FORMAT:
        return Integrity(
            manifest, None, [P("FORM_MANIFEST_INVALID", f"评价表标识的格式“{manifest.format}”无法识别", None)]
        )
    content = raw.content()
    evaluator = rubric.evaluator(manifest.evaluator)
    if verify(key, manifest, content):
        if manifest.year != rubric.year:
            return Integrity(
                manifest,
                None,
                [P("FORM_OLD_TEMPLATE", f"这是 {manifest.year} 年度的评价表，当前汇总的是 {rubric.year} 年度", None)],
            )
        if evaluator is None:
            return Integrity(
                manifest,
                None,
                [P("FORM_UNKNOWN_EVALUATOR", f"评价表所属部门“{manifest.evaluator}”不在当前考核细则中", None)],
            )
        changes = content_differences(content, expected_content(rubric, evaluator))
        if changes:
            first = changes[0]
            return Integrity(
                manifest,
                None,
                [
                    P(
                        "FORM_OLD_TEMPLATE",
                        f"评价表是用旧版考核细则生成的（与当前细则不同：{first.message}）",
                        cell=first.cell,
                    )
                ],
            )
        return Integrity(manifest, evaluator, [])
    if evaluator is not None and manifest.year == rubric.year:
        expected = expected_content(rubric, evaluator)
        if verify(key, manifest, expected):
            edits = [
                make_problem(d.code, d.message, file=file, sheet=d.sheet, cell=d.cell)
                for d in content_differences(content, expected)
            ]
            return Integrity(manifest, None, edits)
    return Integrity(
        manifest,
        None,
        [
            P(
                "FORM_SIGNATURE_INVALID",
                f"评价表（自称“{_short(manifest.evaluator, 20)}”{manifest.year} 年度）的签名与内容不符："
                "可能是伪造的、被改动过，或生成时用的是另一个密钥",
                sheet=None,
            )
        ],
    )


@dataclass(frozen=True)
class Difference:
    code: str
    sheet: str | None
    cell: str | None
    message: str


def content_differences(found: LockedContent, expected: LockedContent) -> list[Difference]:
    """Where the locked content read from a file departs from what was issued."""
    diffs: list[Difference] = []

    def add(code: str, cell: str | None, what: str, sheet: str | None = FORM_SHEET) -> None:
        diffs.append(Difference(code, sheet, cell, what))

    if found.sheets != expected.sheets:
        add(
            "FORM_SHEETS_CHANGED",
            None,
            f"工作表应为“{'、'.join(expected.sheets)}”，实际为“{'、'.join(found.sheets)}”",
            sheet=None,
        )
    for label, cell, have, want in (
        ("标题", "A1", found.title, expected.title),
        ("评价部门", "A2", found.department, expected.department),
    ):
        if have != want:
            add("FORM_LOCKED_CHANGED", cell, f"{label}被改为“{_short(have)}”，原为“{_short(want)}”")
    for col, (have, want) in enumerate(zip(found.header, expected.header, strict=True)):
        if have != want:
            add("FORM_HEADER_CHANGED", cell_ref(HEADER_ROW, col), f"表头“{want}”被改为“{_short(have)}”")
    ids_found = [r[1] for r in found.rows]
    ids_expected = [r[1] for r in expected.rows]
    if ids_found != ids_expected:
        index = next(
            (i for i, (a, b) in enumerate(zip(ids_found, ids_expected, strict=False)) if a != b),
            min(len(ids_found), len(ids_expected)),
        )
        row = FIRST_DATA_ROW + index
        wanted = f"应为项目 {ids_expected[index]}" if index < len(ids_expected) else "应为表格结束"
        got = f"实际为项目 {ids_found[index]}" if index < len(ids_found) else "实际表格已结束"
        count = (
            f"表格共 {len(ids_found)} 行（应为 {len(ids_expected)} 行）；"
            if len(ids_found) != len(ids_expected)
            else ""
        )
        add(
            "FORM_ROWS_CHANGED", cell_ref(row, COL_ID), f"{count}第 {row + 1} 行{wanted}，{got}（行被插入、删除或调换）"
        )
        return diffs
    labels = ((COL_UNIT, "所评县区"), (COL_ID, "项目编号"), (COL_TEXT, "项目文字"), (COL_MAX, "满分"))
    previous_unit_diff: tuple[str, str] | None = None
    for index, (have_row, want_row) in enumerate(zip(found.rows, expected.rows, strict=True)):
        row = FIRST_DATA_ROW + index
        have_map = dict(zip((COL_UNIT, COL_ID, COL_TEXT, COL_MAX), have_row, strict=True))
        want_map = dict(zip((COL_UNIT, COL_ID, COL_TEXT, COL_MAX), want_row, strict=True))
        unit_diff = (have_map[COL_UNIT], want_map[COL_UNIT]) if have_map[COL_UNIT] != want_map[COL_UNIT] else None
        for col, label in labels:
            if have_map[col] == want_map[col] or (col == COL_UNIT and unit_diff == previous_unit_diff):
                continue  # a unit name carries down its merged block: report the block's top cell once
            add(
                "FORM_LOCKED_CHANGED",
                cell_ref(row, col),
                f"{label}被改为“{_short(have_map[col])}”，原为“{_short(want_map[col])}”",
            )
        previous_unit_diff = unit_diff
    return diffs
