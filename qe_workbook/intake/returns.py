"""One engine for every signed workbook that comes back: evaluation and correction forms, self-score
tables, contact lists and rectification ledgers.

Every kind goes the same way: the file is opened (container checks, then its cells read in the one
isolated reader child of `Returns`), its manifest found, the locked content read where the kind's
`Locked` says it stands and checked against the manifest's signature; when that fails but the
content as issued verifies, the manifest is genuine and the differing cells are the edited ones.
A kind declares how a manifest names the return's owner and what makes two returns the same return
(`FormKind.key`); `same_returns` groups the accepted returns by that key and each group's identical
copies (counted once), `latest` finds the version sent last among different ones, and
`newer_generations` says when a newer generation of the register supersedes a form. A kind says only what differs
(`FormKind`); its values, and what it reports of each outcome, are its own.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from ..forms.layout import cell_ref
from ..forms.manifest import LockedContent, Manifest, verify
from ..forms.register import FormRecord, Generation, Register
from ..problems import Problem
from .container import Limits, open_package
from .isolate import Reader
from .read_form import RawForm, cell_text, read_form
from .read_other import other_format, read_other

T = TypeVar("T")
PROP_PREFIX = "qe_"  # the manifest's fields as custom properties (kept when the manifest sheet is deleted)


@dataclass(frozen=True)
class Locked:
    """Where a kind's locked content stands on its sheet (0-based rows and columns): the title and
    owner lines, the header row, and the table below it, which ends at its first blank row."""

    title: tuple[int, int]
    owner: tuple[int, int]
    header_row: int
    header_columns: int
    first_row: int = 0
    row_columns: tuple[int, ...] = ()  # each table row's locked cells, in the order the content holds them
    carried: int | None = None  # a column whose name a merged block carries down (blank below its top cell)

    def read(self, raw: RawForm, header_columns: int | None = None) -> LockedContent:
        """The locked content as it stands in a returned file (what the signature is checked against)."""
        rows = []
        carried = ""
        at = self.row_columns.index(self.carried) if self.carried is not None else -1
        for line in raw.grid[self.first_row :]:
            width = len(line)
            cells = [cell_text(line[c]) if c < width else "" for c in self.row_columns]
            if not any(cells):
                break
            if at >= 0:
                carried = cells[at] = cells[at] or carried
            rows.append(tuple(cells))
        columns = self.header_columns if header_columns is None else header_columns
        return LockedContent(
            sheets=tuple(s.name for s in raw.sheets),
            title=cell_text(raw.cell(*self.title)),
            department=cell_text(raw.cell(*self.owner)),
            header=tuple(cell_text(raw.cell(self.header_row, c)) for c in range(columns)),
            rows=tuple(rows),  # type: ignore[arg-type]  # a kind's rows have its own width
        )

    def edits(self, found: LockedContent, issued: LockedContent) -> list[Edit]:
        """Every locked cell whose text differs from the issued copy, in reading order (the sheet names
        first, as one edit without a cell)."""
        edits = []
        if found.sheets != issued.sheets:
            edits.append(Edit("", "、".join(found.sheets), "、".join(issued.sheets), Part.SHEETS))
        for part, at, have, want in ((Part.TITLE, self.title, found.title, issued.title),
                                     (Part.OWNER, self.owner, found.department, issued.department)):  # fmt: skip
            if have != want:
                edits.append(Edit(cell_ref(*at), have, want, part, *at))
        for col, (have, want) in enumerate(zip(found.header, issued.header, strict=True)):
            if have != want:
                edits.append(Edit(cell_ref(self.header_row, col), have, want, Part.HEADER, self.header_row, col))
        blank = ("",) * len(self.row_columns)
        for n in range(max(len(found.rows), len(issued.rows))):
            have_row = found.rows[n] if n < len(found.rows) else blank
            want_row = issued.rows[n] if n < len(issued.rows) else blank
            for col, have, want in zip(self.row_columns, have_row, want_row, strict=True):
                if have != want:
                    row = self.first_row + n
                    edits.append(Edit(cell_ref(row, col), have, want, Part.ROW, row, col, n))
        return edits


class Part(StrEnum):
    """Which part of the locked content an edit is in."""

    SHEETS = "sheets"
    TITLE = "title"
    OWNER = "owner"
    HEADER = "header"
    ROW = "row"


@dataclass(frozen=True)
class Edit:
    """One locked cell that differs from the issued copy ("" for the sheet names, as one edit)."""

    cell: str
    found: str
    expected: str
    part: Part
    row: int = -1  # where the cell is (0-based; -1 for the sheet names)
    col: int = -1
    index: int = -1  # a table cell: its row's place in the table


def _evaluator(manifest: Manifest) -> str:
    return manifest.evaluator


def _owner_only(_manifest: Manifest) -> Hashable:
    return None


@dataclass(frozen=True)
class FormKind:
    """What differs between the kinds of signed workbook: the manifest's format, where the locked
    content stands (its header may be wider for some manifests: a correction form's reference column),
    how the manifest names the return's owner, and what besides the owner makes two returns the same
    return (nothing: one return per owner; a correction form: its own form id)."""

    format: str
    locked: Locked
    header_columns: Callable[[Manifest], int] | None = None
    owner: Callable[[Manifest], str] = _evaluator
    distinct: Callable[[Manifest], Hashable] = _owner_only

    def content(self, raw: RawForm, manifest: Manifest) -> LockedContent:
        return self.locked.read(raw, self.header_columns(manifest) if self.header_columns else None)

    def key(self, owner: str, manifest: Manifest | None = None) -> Hashable:
        """What makes two returns of this kind the same return (versions or copies of each other): the
        owner (as `owner` read it from the manifest, under the name the rubric knows it by) and what its
        manifest adds (nothing for a return known only by its owner, as a list typed up by the unit)."""
        return owner, self.distinct(manifest) if manifest is not None else None


@dataclass
class Signed:
    """A returned file's manifest and locked content, and whether the signature holds.

    `edits` is set when it does not hold but the content as issued verifies: the manifest is
    genuine and these are the edited cells; otherwise (None) the signature is forged or the issued
    copy is not known."""

    manifest: Manifest
    content: LockedContent
    verified: bool
    edits: list[Edit] | None = None


def read_manifest(raw: RawForm) -> Manifest | None:
    """The manifest from its sheet, or from the custom properties when the sheet is gone."""
    manifest = Manifest.from_mapping(raw.manifest) if raw.manifest else None
    if manifest is None and raw.properties:
        props = {k[len(PROP_PREFIX) :]: v for k, v in raw.properties.items() if k.startswith(PROP_PREFIX)}
        manifest = Manifest.from_mapping(props)
    return manifest


Issued = Callable[[Manifest], LockedContent | None]


def _unknown(_manifest: Manifest) -> LockedContent | None:
    return None


def check_signed(raw: RawForm, kind: FormKind, key: bytes, issued: Issued = _unknown) -> Signed | None:
    """The signature check of a returned file of `kind` (None when it carries no manifest of that kind)."""
    manifest = read_manifest(raw)
    if manifest is None or manifest.format != kind.format:
        return None
    return check_locked(raw, manifest, kind, key, issued)


def check_locked(raw: RawForm, manifest: Manifest, kind: FormKind, key: bytes, issued: Issued = _unknown) -> Signed:
    """The locked content of a file whose `manifest` is of `kind`, checked against the manifest's signature;
    when that fails, against the content as `issued` for that manifest (None: not known)."""
    content = kind.content(raw, manifest)
    if verify(key, manifest, content):
        return Signed(manifest, content, True)
    expected = issued(manifest)
    if expected is not None and verify(key, manifest, expected):
        return Signed(manifest, content, False, kind.locked.edits(content, expected))
    return Signed(manifest, content, False)


@dataclass
class Returns:
    """A reading session: every file's cells are read in one isolated child (memory-capped, timed;
    a file that kills it costs only its own read), which ends with the session."""

    limits: Limits = field(default_factory=Limits)
    reader: Reader | None = None

    def __enter__(self) -> Returns:
        self.reader = Reader(
            memory_bytes=self.limits.max_reader_bytes, seconds=self.limits.max_read_seconds,
            start=self.limits.reader_start,
        )  # fmt: skip
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None

    def open(self, data: bytes, file: str) -> tuple[RawForm | None, list[Problem]]:
        """The file's cells and manifest, once its container passed the checks; else its problems."""
        if self.reader is None:
            raise RuntimeError("Returns.open outside its session")
        pkg, problems = open_package(data, file, self.limits)
        if pkg is None:
            if other_format(file, problems):  # saved as .xls or .ods: sheets and values kept
                return read_other(data, file, self.limits, self.reader)
            return None, problems
        return read_form(pkg, data, file, self.limits, self.reader)


@dataclass(frozen=True)
class Newer:
    """A later generation of the register holding a form for the same owner as a returned one."""

    old: Generation  # the returned form's generation
    new: Generation
    form: FormRecord  # the later generation's form
    returned: bool  # whether that form came back accepted too: then it supersedes the returned one


def newer_generations(
    returns: Sequence[T], form_id: Callable[[T], str], register: Register | None
) -> list[tuple[T, Newer]]:
    """Each of the accepted `returns` whose form a later generation replaced, with that generation (none
    without a register to tell)."""
    if register is None:
        return []
    ids = {form_id(r) for r in returns}
    found = []
    for r in returns:
        old, newer = register.generation_of(form_id(r)), register.superseding(form_id(r))
        if old is not None and newer is not None:
            found.append((r, Newer(old[0], newer[0], newer[1], newer[1].form_id in ids)))
    return found


def latest(returns: Sequence[T], orders: Sequence[tuple[str, Callable[[T], Any]]]) -> tuple[T, str] | None:
    """The one latest of `returns` and the name of the order that set it apart: each order in turn (a key
    that is None when not known for a return) among those still tied, skipped unless every one has it;
    None when they cannot be told apart."""
    tied = list(returns)
    for name, key in orders:
        values = [key(r) for r in tied]
        if any(v is None for v in values):
            continue
        top = max(values)
        tied = [r for r, v in zip(tied, values, strict=True) if v == top]
        if len(tied) == 1:
            return tied[0], name
    return None


def copies(returns: Sequence[T], same: Callable[[T], Hashable]) -> list[list[T]]:
    """The returns of one owner grouped by what they hold: each group's copies are identical and count
    once (its first is the one kept); more than one group is a conflict."""
    groups: dict[Hashable, list[T]] = {}
    for r in returns:
        groups.setdefault(same(r), []).append(r)
    return list(groups.values())


@dataclass(frozen=True)
class SameReturn(Generic[T]):
    """The accepted returns that are one return (one key), in the order they came, and its versions:
    each a group of identical copies whose first is the one kept."""

    key: Hashable
    returns: list[T]
    versions: list[list[T]]

    @property
    def kept(self) -> list[T]:
        """One of each version: a single one unless different versions came back."""
        return [copies_[0] for copies_ in self.versions]

    @property
    def copies(self) -> list[tuple[T, T]]:
        """Each identical copy set aside, with the one kept in its place."""
        return [(copy, copies_[0]) for copies_ in self.versions for copy in copies_[1:]]


def same_returns(
    returns: Sequence[T], key: Callable[[T], Hashable], same: Callable[[T], Hashable]
) -> dict[Hashable, SameReturn[T]]:
    """The returns grouped by what makes them one return (`key`, from the kind's `FormKind.key`), each
    group's versions by what they hold (`same`), in the order they came."""
    by_key: dict[Hashable, list[T]] = {}
    for r in returns:
        by_key.setdefault(key(r), []).append(r)
    return {k: SameReturn(k, group, copies(group, same)) for k, group in by_key.items()}
