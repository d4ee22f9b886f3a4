"""Where a department's return stands and what the office does about it: the one set of words the
screen, master.xlsx 报送情况, the chase mails and the page all use.

A department's standing follows from what became of each file it sent (`Status`), how many cells of
its adopted form still need correcting, and whether forms were issued at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from ..problems import Severity
from .submission import Status, Submission


class Standing(StrEnum):
    """A department's return, as the office sees it (the value is what every output shows)."""

    ADOPTED = "已采用"
    ADOPTED_TO_CORRECT = "已采用，需更正"
    RETURNED = "退回"
    UNUSABLE = "收到但无法采用"
    MISSING = "未收到"
    NOT_ISSUED = "评价表尚未下发"
    RECEIVED = "已收到，待汇总"  # on the page, before the first run
    KEY_DOUBTED = "已收到，待核对密钥"  # the run was probably collected with another key
    FAULTED = "已收到，程序读取出错"  # this program failed on the file: a defect to report, not the department's

    @property
    def action(self) -> str:
        """What the office does next, in a clerk's words."""
        return ACTIONS[self]

    @property
    def chased(self) -> bool:
        """Whether the department is asked for something."""
        return self in (Standing.ADOPTED_TO_CORRECT, Standing.RETURNED, Standing.UNUSABLE, Standing.MISSING)

    def shown(self, cells: Sequence[str] = ()) -> str:
        """The status as shown: 已采用，需更正（E5、F7） names the cells to correct (the first three, and
        how many in all beyond that)."""
        if self is not Standing.ADOPTED_TO_CORRECT or not cells:
            return str(self)
        named = "、".join(c for c in cells[:3] if c) or f"{len(cells)} 处"
        return f"{self}（{named} 等 {len(cells)} 处）" if len(cells) > 3 else f"{self}（{named}）"


ACTIONS = {
    Standing.ADOPTED: "无需处理",
    Standing.ADOPTED_TO_CORRECT: "得分已采用；请该部门更正所列单元格后重新报送",
    Standing.RETURNED: "请该部门按说明修改后重新报送",
    Standing.UNUSABLE: "请该部门在下发的评价表中填写，保存为 Excel 文件后重新报送",
    Standing.MISSING: "请催报评价表",
    Standing.NOT_ISSUED: "先生成并下发评价表；下发前无需催报",
    Standing.RECEIVED: "汇总后显示能否采用",
    Standing.KEY_DOUBTED: "先用本年度的密钥重新汇总；无需催报",
    Standing.FAULTED: "请把结果文件夹中的错误记录发给技术支持，修复后重新汇总；无需请该部门重新报送",
}


def standing(decisions: Iterable[str], corrections: int = 0, *, issued: bool = True) -> Standing:
    """A department's standing from what became of each file it sent (`decisions`: `Status` values, as
    audit.json keeps them) and the number of cells of its adopted form that need correcting; `issued`
    False: no form was generated yet."""
    decided = set(decisions)
    if Status.ACCEPTED in decided:
        return Standing.ADOPTED_TO_CORRECT if corrections else Standing.ADOPTED
    if not decided:
        return Standing.MISSING if issued else Standing.NOT_ISSUED
    if Status.FAULTED in decided:
        return Standing.FAULTED
    if decided <= {Status.UNUSABLE}:
        return Standing.UNUSABLE
    return Standing.RETURNED


def file_standing(status: Status, corrections: int = 0) -> Standing | None:
    """What one file's outcome means for its department (None: a superseded version or an identical copy,
    which asks nothing)."""
    if status in (Status.SUPERSEDED, Status.DUPLICATE, Status.COMPANION):
        return None
    return standing([status], corrections)


def correction_line(sheet: str | None, cell: str | None, message: str) -> str:
    """One cell to correct: where, then what is wrong."""
    return f"{sheet or ''} {cell or ''} {message}".strip()


def return_note(state: Standing, reason: str = "", corrections: Sequence[str] = ()) -> str:
    """The 说明 of a return: why (for a file turned back), then what to do, then the cells to correct."""
    if state is Standing.ADOPTED:
        return reason
    action = f"{state.action}：{'；'.join(corrections)}" if corrections else state.action
    return f"{reason}；{action}" if reason else action


def department_standings(
    evaluators: Sequence[str], submissions: Sequence[Submission], *, key_doubted: bool = False
) -> dict[str, Standing]:
    """Each evaluating department's standing after a run, from its files and the errors in the cells of
    its adopted form; `key_doubted`: the run was probably collected with another key, so a department
    whose files were all turned back is only waiting for the right key."""
    found: dict[str, Standing] = {}
    for name in evaluators:
        own = [s for s in submissions if s.owner == name]
        cells = sum(1 for s in own if s.status is Status.ACCEPTED for p in s.problems if p.severity is Severity.ERROR)
        doubted = key_doubted and bool(own) and all(s.status is not Status.ACCEPTED for s in own)
        found[name] = Standing.KEY_DOUBTED if doubted else standing((s.status for s in own), cells)
    return found


def standings_line(standings: dict[str, Standing]) -> str:
    """One line for the screen: how many departments stand where, naming those asked for something
    with what to do ("" when every form is adopted)."""
    if all(s is Standing.ADOPTED for s in standings.values()):
        return ""
    parts = []
    for state in Standing:
        names = [name for name, s in standings.items() if s is state]
        if not names:
            continue
        what = f"{state} {len(names)} 个部门" if state is Standing.ADOPTED else f"{state} {len(names)} 个"
        parts.append(what if not state.chased else f"{what}：{'、'.join(names)}（{state.action}）")
    return "报送情况：" + "；".join(parts) + "。"
