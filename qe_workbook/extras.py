"""What a collect run takes in besides the returned forms: the meeting's adjustments, the appeal register,
last year's run and rectification ledger, the units' self-scores.

Each is an `Extra`: it may decide the adopted result (only the adjustments do), and once the run is scored it
gives its `Part` — problems, master.xlsx sheets, what the letters add, and the files the run keeps — so the
run itself has no code for any one of them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .choices import ADJUSTMENTS_FILE, APPEALS_FILE
from .documents.letter_notes import Note, Notes, adjustment_notes, with_previous_year
from .intake.collect import CollectResult
from .outputs.export import results_dict
from .outputs.master import ExtraSheet, adjusted_sheet, previous_sheet, register_sheet, self_score_sheets
from .outputs.year_over_year import compare_with_previous
from .problems import Problem, problem
from .record.adopted import adopt
from .record.appeals import APPEAL_HEADER, read_appeals
from .record.kept_letters import keep_letter_sources
from .rectify.previous import Followed, read_followed
from .rubric import Rubric
from .scoring.adopt import Adoption
from .scoring.score import Results
from .scoring.self_scores import SELF_SCORES_FILE, Comparison, read_self_scores, write_self_scores
from .scoring.self_scores import compare as compare_self_scores


@dataclass(frozen=True)
class Scored:
    """What the extras see of a run once it is scored."""

    rubric: Rubric
    collected: CollectResult
    adopted: Adoption


@dataclass(frozen=True)
class Letters:
    """What the extras add to the letters."""

    notes: Notes = field(default_factory=dict)  # the notes after each unit's result (documents/letter_notes.py)
    followed: Mapping[str, Followed] = field(default_factory=dict)  # last year's problems and their rectification
    self_scores: Comparison | None = None  # the self-scores against the evaluated scores

    def __add__(self, other: Letters) -> Letters:
        notes: dict[str, list[Note]] = {unit: list(lines) for unit, lines in self.notes.items()}
        for unit, lines in other.notes.items():
            notes.setdefault(unit, []).extend(lines)
        return Letters(notes, {**self.followed, **other.followed}, other.self_scores or self.self_scores)


@dataclass(frozen=True)
class Part:
    """One extra's share of a run."""

    problems: list[Problem] = field(default_factory=list)
    sheets: list[ExtraSheet] = field(default_factory=list)  # master.xlsx's
    letters: Letters = field(default_factory=Letters)
    keep: Callable[[Path], list[Path]] | None = None  # writes the files the run keeps into its folder


class Extra:
    """Something a collect run takes in besides the returned forms."""

    def adopt(self, frame: pd.DataFrame, rubric: Rubric) -> Adoption | None:
        """The adopted result when this extra decides it (scored, then changed); None when it does not."""
        return None

    def part(self, run: Scored) -> Part:
        raise NotImplementedError


def gathered(extras: Iterable[Extra], run: Scored) -> Part:
    """All the extras' parts as one: problems, sheets and letter additions in the extras' order."""
    each = [extra.part(run) for extra in extras]
    keeps = [p.keep for p in each if p.keep is not None]
    return Part(
        [x for p in each for x in p.problems],
        [x for p in each for x in p.sheets],
        sum((p.letters for p in each), Letters()),
        lambda folder: [path for keep in keeps for path in keep(folder)],
    )


def adopted_by(extras: Iterable[Extra], frame: pd.DataFrame, rubric: Rubric) -> Adoption:
    """The result as the first extra that decides it adopts it, else as scored."""
    for extra in extras:
        if (result := extra.adopt(frame, rubric)) is not None:
            return result
    return adopt(frame, rubric, None)


def extras_from(
    *,
    adjustments: Path | None = None,
    appeals: Path | None = None,
    previous: Path | None = None,
    previous_ledger: Path | None = None,
    units_check: Path | None = None,
) -> list[Extra]:
    """The extras named on the command line, in the order their problems and letter sentences come."""
    ledger = previous_ledger or previous
    return [
        *([Adjustments(adjustments)] if adjustments else []),
        *([Appeals(appeals)] if appeals else []),
        *([PreviousYear(previous)] if previous else []),
        *([SelfScores(units_check)] if units_check else []),
        *([PreviousLedger(ledger, explicit=previous_ledger is not None)] if ledger else []),
    ]


def _copy(source: Path, name: str) -> Callable[[Path], list[Path]]:
    return lambda folder: [Path(shutil.copyfile(source, folder / name))]


@dataclass(frozen=True)
class Adjustments(Extra):
    """The meeting's adjustments (adjustments.xlsx): applied after scoring, shown beside the scored result."""

    path: Path

    def adopt(self, frame: pd.DataFrame, rubric: Rubric) -> Adoption:
        return adopt(frame, rubric, self.path)

    def part(self, run: Scored) -> Part:
        adopted = run.adopted
        notes = adjustment_notes(adopted)
        if not adopted.adjusted or adopted.table is None or notes is None:
            return Part(adopted.problems)
        return Part(adopted.problems, [adjusted_sheet(*adopted.table)], Letters(notes),
                    _copy(self.path, ADJUSTMENTS_FILE))  # fmt: skip


@dataclass(frozen=True)
class Appeals(Extra):
    """The office's appeal register: checked and listed in master.xlsx."""

    path: Path

    def part(self, run: Scored) -> Part:
        appeals, problems = read_appeals(self.path, run.rubric)
        return Part(problems, [register_sheet(APPEAL_HEADER, [a.row() for a in appeals])],
                    keep=_copy(self.path, APPEALS_FILE))  # fmt: skip


@dataclass(frozen=True)
class PreviousYear(Extra):
    """An earlier run folder: 与上年比较 in master.xlsx and a sentence in each letter."""

    folder: Path

    def part(self, run: Scored) -> Part:
        yoy, problems = compare_with_previous(self.folder, results_dict(run.adopted.results, run.rubric))
        if yoy is None:
            return Part(problems)
        notes = with_previous_year(None, yoy, rank=run.rubric.disclosure.rank_in_letters) or {}
        folder = self.folder
        return Part(problems, [previous_sheet(yoy)], Letters(notes), lambda into: keep_letter_sources(into, folder, {}))


@dataclass(frozen=True)
class PreviousLedger(Extra):
    """Last year's rectification ledger (整改台账.json, or a folder holding it): each letter's section on it."""

    source: Path
    explicit: bool  # named by the office (else looked for in the previous run folder)

    def part(self, run: Scored) -> Part:
        followed, problems = read_followed(self.source, explicit=self.explicit)
        return Part(problems, letters=Letters(followed=followed),
                    keep=lambda into: keep_letter_sources(into, None, followed))  # fmt: skip


@dataclass(frozen=True)
class SelfScores(Extra):
    """The units' self-scores (a `qe units check` run, or its 自评得分.json) against the evaluated scores."""

    source: Path

    def part(self, run: Scored) -> Part:
        own, problems = self_score_comparison(self.source, run.rubric, run.adopted.scored)
        if own is None:
            return Part(problems)
        rubric = run.rubric
        return Part(problems, [self_score_sheets(own)], Letters(self_scores=own),
                    lambda folder: [write_self_scores(folder / SELF_SCORES_FILE, own.book, rubric)])  # fmt: skip


def self_score_comparison(source: Path, rubric: Rubric, results: Results) -> tuple[Comparison | None, list[Problem]]:
    """The units' self-scores (from a `qe units check` run) against the evaluated scores, when the rubric asks."""
    if not rubric.self_scoring:
        return None, [problem("SELF_SCORES_NOT_ASKED", source=str(source))]
    book, problems = read_self_scores(source, rubric)
    if book is None:
        return None, problems
    missing = [u.name for u in rubric.units if u.name not in book.units]
    if missing:
        problems.append(problem("SELF_SCORES_UNIT_MISSING", count=len(missing), units=missing))
    return compare_self_scores(book, results, rubric), problems
