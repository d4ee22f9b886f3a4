"""Version requirements as the installed package states them (Requires-Dist, Requires-Python: the
dependencies of pyproject.toml), checked against what is installed, without extra libraries.

Only release numbers are compared (2.1.4; a suffix such as rc1 or .post1 is ignored): the requirements
of this project are lower bounds on released versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

PROJECT = "qe_workbook"

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?([^;()]*)\)?\s*(?:;(.*))?$")
_CLAUSE = re.compile(r"^\s*(~=|===|==|!=|>=|<=|>|<)\s*([0-9][0-9A-Za-z.*+!-]*)\s*$")


@dataclass(frozen=True)
class Requirement:
    name: str
    spec: str  # ">=2.1", "" when any version will do
    marker: str = ""

    def admits(self, version: str) -> bool:
        return version_admits(self.spec, version)


def parse_requirement(text: str) -> Requirement:
    match = _REQUIREMENT.match(text)
    if match is None:
        raise ValueError(f"not a requirement: {text!r}")
    name, spec, marker = match.groups()
    return Requirement(name, spec.replace(" ", ""), (marker or "").strip())


def release(version: str) -> tuple[int, ...]:
    """The release numbers of a version: "2.2.3" → (2, 2, 3), "8.1.7rc1" → (8, 1, 7), "1!2.0" → (2, 0)."""
    version = version.split("!")[-1]
    match = re.match(r"\d+(?:\.\d+)*", version.strip().lstrip("vV"))
    return tuple(int(p) for p in match.group(0).split(".")) if match else ()


def _padded(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)), b + (0,) * (width - len(b))


def _clause_admits(operator: str, wanted: str, version: str) -> bool:
    if wanted.endswith(".*"):  # ==2.1.* / !=2.1.*
        prefix = release(wanted[:-2])
        same = release(version)[: len(prefix)] == prefix
        return same if operator == "==" else not same
    have, need = _padded(release(version), release(wanted))
    if operator == "~=":  # ~=2.1 means >=2.1, ==2.*
        head = release(wanted)[:-1]
        return have >= need and release(version)[: len(head)] == head
    return {
        ">=": have >= need, "<=": have <= need, ">": have > need, "<": have < need,
        "==": have == need, "===": have == need, "!=": have != need,
    }[operator]  # fmt: skip


def version_admits(spec: str, version: str) -> bool:
    """Whether `version` meets every clause of `spec` (">=2.1,<3"); an empty spec admits any version."""
    for clause in filter(None, spec.split(",")):
        match = _CLAUSE.match(clause)
        if match is None:
            raise ValueError(f"not a version clause: {clause!r}")
        operator, wanted = match.groups()
        if not _clause_admits(operator, wanted, version):
            return False
    return True


def runtime_requirements(project: str = PROJECT) -> list[Requirement]:
    """The project's own dependencies (not those of optional extras such as dev)."""
    found = [parse_requirement(r) for r in metadata.requires(project) or []]
    return [r for r in found if "extra" not in r.marker]


def python_requirement(project: str = PROJECT) -> str:
    return (metadata.metadata(project).get_all("Requires-Python") or [""])[0]


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def modules_by_distribution() -> dict[str, list[str]]:
    """The importable modules each installed distribution provides (python-docx → docx), public first."""
    found: dict[str, list[str]] = {}
    for module, dists in metadata.packages_distributions().items():
        for dist in dists:
            found.setdefault(normalized(dist), []).append(module)
    return {d: sorted(set(m), key=lambda m: (m.startswith("_"), m)) for d, m in found.items()}
