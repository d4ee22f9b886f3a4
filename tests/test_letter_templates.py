"""The letters from the bundled template (反馈意见.docx) say what the hand-written builder's letters said, but for the
changes listed here: the text of every paragraph and table cell of the letters of the 2022 samples (as collected,
and adjusted by the meeting with last year's run) and of the small rubric, compared with the builder's
(tests/data/letters_before.json, see tests/letter_runs.py)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from qe_workbook.amounts import fmt2
from qe_workbook.documents.feedback_kind import FEEDBACK
from qe_workbook.documents.letter_context import letter_context
from qe_workbook.documents.template_fields import field_rows
from qe_workbook.extras import extras_from
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.adopted import adopted_result
from qe_workbook.record.kept_letters import kept_letter_inputs
from qe_workbook.rubric import Rubric
from qe_workbook.rubric.view import item_phrase, short_text

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, fill_all, generate
from .letter_runs import ISSUED, letter_lines, sample_letters, small_letters
from .test_adjustments import MINUTES, adjustments_file
from .test_disclosure import HIDDEN, LOWER_EAST

BEFORE = Path(__file__).parent / "data" / "letters_before.json"
CELLS = " ‖ "


def intended(lines: list[str], rubric: Rubric) -> list[str]:
    """The builder's letter with the intended changes made by hand."""
    lines = _number_line_and_stage(lines, rubric)
    lines = _whole_item_names(lines, rubric)
    lines = _joint_sentence_under_the_losses(lines)
    return _joint_items_as_one_row(lines)


def _number_line_and_stage(lines: list[str], rubric: Rubric) -> list[str]:
    """A 文号 line to fill above the title; the stage (初稿) in the title."""
    title = lines[0]
    assert title.startswith("P:") and title.endswith("考核结果反馈意见")
    return ["P:〔2023〕　　号", title + "（初稿）", *lines[1:]]


def _whole_item_names(lines: list[str], rubric: Rubric) -> list[str]:
    """An item's name whole where the builder cut it (to its first clause, or with "…"): in the tables' first
    column and in the sentences naming the items behind a deduction, a bonus, a veto or a missing score."""
    names = {item.id: (short_text(item), item_phrase(item)) for item in rubric.items}
    out = []
    for line in lines:
        for item_id, (short, whole) in names.items():
            if short != whole:
                line = line.replace(f"R:{item_id} {short}{CELLS}", f"R:{item_id} {whole}{CELLS}")
                for before, after in (("注：", "等项目"), ("：", "，扣"), ("；", "，扣"), ("：", "，加"), ("；", "，加"),
                                      ("触发否决项（", "）")):  # fmt: skip
                    line = line.replace(f"{before}{short}{after}", f"{before}{whole}{after}")
        out.append(line)
    return out


def _joint_sentence_under_the_losses(lines: list[str]) -> list[str]:
    """The sentence on jointly evaluated items moves from under 三、扣分、加分和否决情况 to the losses it explains:
    after the table of the items that lost most (before the self-scores, if any)."""
    joint = [line for line in lines if line.startswith("P:由两个部门共同评价的项目")]
    if not joint:
        return lines
    lines = [line for line in lines if line not in joint]
    losses = lines.index("P:二、失分情况")
    end = next(n for n in range(losses, len(lines)) if lines[n].startswith(("P:你单位对", "P:三、")))
    return lines[:end] + joint + lines[end:]


def _joint_items_as_one_row(lines: list[str]) -> list[str]:
    """In the attachment a jointly evaluated item was a row per evaluator, each with the item's loss; now it is one
    row: 所评 says the adopted score (满分 − 失分), 评价部门 each evaluator with its score on a line of its own, the
    loss once, and the remarks each after its evaluator's name."""
    attachment = lines.index("P:附件") if "P:附件" in lines else len(lines)
    out = lines[:attachment]
    rows = lines[attachment:]
    n = 0
    while n < len(rows):
        cells = rows[n][2:].split(CELLS)
        same = n
        while (
            same + 1 < len(rows) and rows[same + 1].startswith("R:") and rows[same + 1][2:].split(CELLS)[0] == cells[0]
        ):
            same += 1
        if not rows[n].startswith("R:") or same == n:
            out.append(rows[n])
            n += 1
            continue
        group = [row[2:].split(CELLS) for row in rows[n : same + 1]]
        item, most, _, lost, _, _ = group[0]
        adopted = fmt2(Decimal(most) - Decimal(lost))
        entries = "\n".join(f"{g[4]} {g[2]}" for g in group)
        remarks = "".join(f"{g[4]}：{g[5]}" for g in group if g[5])
        out.append("R:" + CELLS.join([item, most, f"采用 {adopted}", lost, entries, remarks]))
        n = same + 1
    return out


def test_the_bundled_template_gives_the_builders_letters_with_the_listed_changes(
    tmp_path: Path, rubric_2022: Rubric, small_rubric: Rubric
) -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    letters = {**sample_letters(tmp_path / "samples", rubric_2022), **small_letters(tmp_path / "small", small_rubric)}
    assert sorted(letters) == sorted(before)
    rubrics = {"样例": rubric_2022, "样例调整": rubric_2022, "小细则": small_rubric}
    for name, path in letters.items():
        assert letter_lines(path) == intended(before[name], rubrics[name.split("/")[0]]), name


def test_a_joint_item_is_one_row_with_each_evaluators_score_the_adopted_one_and_the_loss_once() -> None:
    # the changes above, on the builder's 临颍县 letter: 01-2 市农业农村局 1.60 and 市畜牧局 1.50, mean 1.55
    before = json.loads(BEFORE.read_text(encoding="utf-8"))["样例/临颍县"]
    rows = [line[2:].split(CELLS) for line in _joint_items_as_one_row(before) if line.startswith("R:01-2 ")]
    assert [row[:5] for row in rows] == [
        ["01-2 农产品质量安全合格率水平", "2.00", "采用 1.55", "0.45", "市农业农村局 1.60\n市畜牧局 1.50"]
    ]
    remark = rows[0][5]
    assert remark.startswith("市农业农村局：根据农产品质量安全合格率水平测算得分：监管覆盖面较广")
    assert "。市畜牧局：根据农产品质量安全合格率水平测算得分：措施较实" in remark


def _keys(value: object) -> set[str]:
    """Every key of every mapping in a context, however deep."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_a_rubric_that_gives_no_rank_in_letters_gives_the_template_no_rank_to_print(tmp_path: Path) -> None:
    """Not in the result, the meeting's result before adjusting, nor the change from last year: no template can
    print a rank the rubric withholds."""
    rubric = load_ok(write_json(tmp_path / "rubric.json", {**small_rubric_data(), "disclosure": HIDDEN}))
    fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", LOWER_EAST)
    last = run_collect(tmp_path / "returned", rubric, KEY, CollectOptions(tmp_path / "last", reports=False))
    path = adjustments_file(tmp_path / "adjustments.xlsx", rubric, [("西区", "扣分", "1", MINUTES, None)])
    run = run_collect(tmp_path / "returned", rubric, KEY, CollectOptions(tmp_path / "this", reports=False),
                      extras_from(adjustments=path, previous=last.folder))  # fmt: skip
    adopted, _ = adopted_result(run.folder, rubric, None, official="documents")
    assert adopted is not None
    kept, _ = kept_letter_inputs(run.folder, rubric, adopted)
    assert kept.notes is not None and [n["种类"] for n in kept.notes["西区"]] == ["调整", "调整前", "上年"]
    for unit in adopted.results.units:
        context = letter_context(rubric, adopted.results, unit, ISSUED, "初稿", kept.notes.get(unit.unit, ()))
        assert not _keys(context) & {"排名", "上年排名", "本年排名", "名次变化", "差距"}, unit.unit


def test_the_letters_field_list_names_a_records_fields_by_the_record_and_shows_no_python_values() -> None:
    rows = field_rows(FEEDBACK)
    assert [
        "排名",
        "排名（考核细则规定反馈意见不写排名时没有此字段）",
        "（见以下各行）",
        "{% if 排名 is defined %}…{% endif %}",
    ] in rows
    assert ["排名.名次", "排名的名次", "5", "{{ 排名.名次 }}"] in rows
    assert ["子项.差值", "自评.差距较大的项目中每一项的自评减评价", "+1.80", "{{ 子项.差值 }}"] in rows
    assert not [row for row in rows if re.search(r"True|False|\{'", row[2])]
