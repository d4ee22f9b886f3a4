"""The page's steps in the order of the year (the README's annual table): each module holds one step's routes
in its blueprint `bp`, its navigation label `STEP` and its page at the endpoint `<bp.name>.show`. A new step is
one module here and one line in `YEAR`."""

from __future__ import annotations

from types import ModuleType

from . import (
    approval,
    archive,
    chase,
    collect,
    forms,
    key_backup,
    mailbox,
    next_year,
    overview,
    rectify,
    reports,
    results,
    returns,
    review,
    rubric,
    units,
    wording,
)

YEAR: tuple[ModuleType, ...] = (
    overview,
    rubric,
    units,
    forms,
    mailbox,
    returns,
    collect,
    chase,
    review,
    wording,
    results,
    reports,
    approval,
    archive,
    rectify,
    next_year,
    key_backup,
)
ROUTES_ONLY: tuple[ModuleType, ...] = ()  # routes without a page of their own in the navigation


def navigation() -> list[tuple[str, str, str]]:
    """(name, label, endpoint) of each step's page, in the year's order."""
    return [(m.bp.name, m.STEP, f"{m.bp.name}.show") for m in YEAR]
