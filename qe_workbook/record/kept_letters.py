"""What a finished run's letters carry besides its result, read back from what the run kept.

A collect run writes its letters from the meeting's adjustments, last year's run, last year's rectification
ledger and the units' self-scores. It keeps what it read of each in its folder (adjustments.xlsx,
上年结果.json, 上年整改情况.json, 自评得分.json), so that `qe report` and `qe approve` write the very same
sections again through `kept_letter_inputs`, wherever last year's folder has gone since.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from ..documents.letter_context import Followed
from ..documents.letter_notes import Notes, adjustment_notes, with_previous_year
from ..outputs.export import results_dict
from ..outputs.year_over_year import compare_runs, run_from_dict
from ..problems import Problem, problem
from ..rubric import Rubric
from ..scoring.adopt import Adoption
from ..scoring.self_scores import SELF_SCORES_FILE, Comparison, compare, read_self_scores

KEPT_PREVIOUS = "上年结果.json"  # the results.json of the run this one was compared with
KEPT_FOLLOWED = "上年整改情况.json"  # each unit's section on last year's problems, as its letter gave it
KEPT_FOR_LETTERS = (KEPT_PREVIOUS, KEPT_FOLLOWED)  # fingerprinted with an approval


@dataclass(frozen=True)
class LetterInputs:
    notes: Notes | None  # the adjustments, then the comparison with last year (documents/letter_notes.py)
    followed: Mapping[str, Followed] = field(default_factory=dict)  # last year's problems and their rectification
    self_scores: Comparison | None = None


def keep_letter_sources(folder: Path, previous: Path | None, followed: Mapping[str, Followed]) -> list[Path]:
    """Keep in a run `folder` last year's results.json (from the run folder `previous`) and the letters' sections on
    last year's rectification."""
    kept = []
    if previous is not None:
        kept.append(Path(shutil.copyfile(previous / "results.json", folder / KEPT_PREVIOUS)))
    if followed:
        text = json.dumps({unit: asdict(f) for unit, f in followed.items()}, ensure_ascii=False, indent=2)
        (folder / KEPT_FOLLOWED).write_text(text + "\n", encoding="utf-8")
        kept.append(folder / KEPT_FOLLOWED)
    return kept


def kept_letter_inputs(run_dir: Path, rubric: Rubric, adoption: Adoption) -> tuple[LetterInputs, list[Problem]]:
    """The letter sections of the finished run `run_dir` (adopted as `adoption`), from the files it kept."""
    problems: list[Problem] = []
    notes: Notes | None = adjustment_notes(adoption)
    previous, kept_followed = run_dir / KEPT_PREVIOUS, run_dir / KEPT_FOLLOWED
    followed: dict[str, Followed] = {}
    try:
        if previous.is_file():
            old = run_from_dict(previous, json.loads(previous.read_text(encoding="utf-8"), parse_float=Decimal))
            yoy = compare_runs(old, run_from_dict(Path(), results_dict(adoption.results, rubric)))
            notes = with_previous_year(notes, yoy, rank=rubric.disclosure.rank_in_letters)
        if kept_followed.is_file():
            data = json.loads(kept_followed.read_text(encoding="utf-8"))
            followed = {unit: Followed(str(f["sentence"]), [list(r) for r in f["rows"]]) for unit, f in data.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ArithmeticError):
        problems.append(problem("REPORT_RUN_INVALID", file=str(run_dir)))
    own = None
    if rubric.self_scoring and (run_dir / SELF_SCORES_FILE).is_file():
        book, found = read_self_scores(run_dir / SELF_SCORES_FILE, rubric)
        problems += found
        own = compare(book, adoption.scored, rubric) if book else None
    return LetterInputs(notes, followed, own), problems
