"""Problems as data: the message comes from the catalogue's template, the facts travel as params."""

from __future__ import annotations

import json

import pytest

from qe_workbook.problems import CATALOGUE, Severity, problem


def test_message_is_rendered_from_the_template_and_the_fix() -> None:
    p = problem("SUBMISSION_REJECTED", evaluator="市住建局", files=["a.xlsx", "b.xlsx"], state="退回", phone="1",
                email="x@y.cn")  # fmt: skip
    assert p.severity is Severity.ERROR
    assert p.message == (
        "市住建局的评价表（a.xlsx、b.xlsx）退回（电话 1，邮箱 x@y.cn）。" + CATALOGUE["SUBMISSION_REJECTED"].fix
    )
    assert p.params["files"] == ["a.xlsx", "b.xlsx"]


def test_a_day_reads_as_written_by_hand_while_json_keeps_it_plain() -> None:
    from datetime import date

    p = problem("VALUE_DATE_LATE", date=date(2023, 5, 15), deadline=date(2023, 4, 30))
    assert p.message.startswith("填报日期 2023年5月15日 晚于回收截止日期 2023年4月30日。")
    assert p.to_dict()["params"] == {"date": "2023-05-15", "deadline": "2023-04-30"}


def test_params_reach_the_json_report_as_plain_values() -> None:
    from decimal import Decimal

    p = problem("SUBMISSION_MISSING", evaluator="市公安局", phone=Decimal("3"), email="z@z.cn")
    data = json.loads(json.dumps(p.to_dict(), ensure_ascii=False))
    assert data["params"] == {"evaluator": "市公安局", "phone": "3", "email": "z@z.cn"}
    assert data["code"] == "SUBMISSION_MISSING"


def test_a_missing_param_is_a_programming_error_not_a_problem() -> None:
    with pytest.raises(KeyError):
        problem("SUBMISSION_MISSING", evaluator="市公安局")
