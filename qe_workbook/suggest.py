"""Near-miss suggestions for names a person typed (departments, units, commands, options)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

NEARLY_AS_ALIKE = 0.2  # a look-alike this much less alike than the best one is not offered (colect: collect only)


def near_names(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Candidates that contain the word, or the word contains, or that look alike (nearly as much as the best
    look-alike); best first."""
    names = list(dict.fromkeys(candidates))
    inside = [c for c in names if word and (word in c or c in word)]
    alike = difflib.get_close_matches(word, names, n=n, cutoff=0.6)
    ratios = [difflib.SequenceMatcher(None, word, c).ratio() for c in alike]
    alike = [c for c, r in zip(alike, ratios, strict=True) if r >= ratios[0] - NEARLY_AS_ALIKE]
    return list(dict.fromkeys(inside + alike))[:n]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A Chinese hint naming the nearest candidates, or nothing when none is near."""
    found = near_names(word, candidates)
    return f"是否想用：{'、'.join(found)}？" if found else ""
