"""Many findings of one kind said once on the page: what they mean, what to do and how many, with the files they
are in; each is still listed in full in the step's own workbook (as on the command line's screen)."""

from __future__ import annotations

from pathlib import PurePath

from ...problems import CATALOGUE, Problem, Severity
from ..shell import note, note_problems

GROUP_AT = 5  # this many warnings or notes of one kind are said as one line


def note_grouped(problems: list[Problem], where: str) -> None:
    """Errors one by one; warnings and notes of one kind, when there are `GROUP_AT` or more, as one line naming
    `where` they are all listed."""
    kinds: dict[str, list[Problem]] = {}
    for p in problems:
        if p.severity is not Severity.ERROR:
            kinds.setdefault(p.code, []).append(p)
    grouped = {code for code, found in kinds.items() if len(found) >= GROUP_AT}
    note_problems([p for p in problems if p.code not in grouped or p.severity is Severity.ERROR])
    for code in grouped:
        found = kinds[code]
        files = list(dict.fromkeys(PurePath(p.file).name if p.file else str(p.params.get("unit", "")) for p in found))
        files = [f for f in files if f]
        named = f"涉及{'、'.join(files[:3])}{'等' if len(files) > 3 else ''}；" if files else ""
        kind = CATALOGUE[code]
        note(str(found[0].severity), f"共 {len(found)} 处：{kind.meaning}{kind.fix}（{named}逐条列在{where}中）")
