"""The form's manifest and signature.

Each form carries, in a hidden sheet and again in custom document properties, who it is for and
an HMAC-SHA256 (keyed with the office's secret) over its canonical locked content. Nothing relies
on the sheet staying hidden or on the properties surviving a save in another program: the
collector recomputes the canonical content from the cells it reads and checks the HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import unicodedata
from dataclasses import dataclass, fields, replace

FORMAT = "qe_workbook-form/1"
_YEAR = re.compile(r"[0-9]{4}")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
OPTIONAL = ("units",)
UNIT_SEPARATOR = "、"


@dataclass(frozen=True)
class Manifest:
    format: str
    year: int
    rubric_hash: str  # Rubric.content_hash of the rubric the form was generated from (signed with the rest)
    evaluator: str
    form_id: str
    generated_at: str
    hmac: str = ""
    # A correction form: the units whose rows it holds, joined with UNIT_SEPARATOR. Left out of the sheet,
    # the properties and the signed bytes when empty, so a full form is what it was before corrections existed.
    units: str = ""

    def rows(self) -> list[tuple[str, str]]:
        return [
            (f.name, str(getattr(self, f.name)))
            for f in fields(self)
            if f.name not in OPTIONAL or getattr(self, f.name)
        ]

    @property
    def unit_names(self) -> tuple[str, ...]:
        return tuple(self.units.split(UNIT_SEPARATOR)) if self.units else ()

    @classmethod
    def from_mapping(cls, values: dict[str, str]) -> Manifest | None:
        """Rebuild from the key/value pairs read back from a file; None when incomplete or malformed."""
        try:
            data = {
                f.name: str(values[f.name]).strip() for f in fields(cls) if f.name not in OPTIONAL or f.name in values
            }
        except KeyError:
            return None
        if not (_YEAR.fullmatch(data["year"]) and _HEX64.fullmatch(data["hmac"]) and data["format"].isascii()):
            return None
        return cls(**{**data, "year": int(data["year"])})  # type: ignore[arg-type]


@dataclass(frozen=True)
class LockedContent:
    """Everything on a form that the evaluator must not change."""

    sheets: tuple[str, ...]
    title: str
    department: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, str, str, str], ...]  # unit, item id, item text, max


def _nfc(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, (list, tuple)):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


def _shallow(obj: Manifest | LockedContent) -> dict[str, object]:
    """The fields by name; what `asdict` gives for these flat dataclasses, without its deep copy."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def canonical_bytes(manifest: Manifest, content: LockedContent) -> bytes:
    signed = {k: v for k, v in _shallow(replace(manifest, hmac="")).items() if k not in OPTIONAL or v}
    data = {"manifest": signed, "content": _shallow(content)}
    return json.dumps(_nfc(data), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(key: bytes, manifest: Manifest, content: LockedContent) -> Manifest:
    digest = hmac.new(key, canonical_bytes(manifest, content), hashlib.sha256).hexdigest()
    return replace(manifest, hmac=digest)


def verify(key: bytes, manifest: Manifest, content: LockedContent) -> bool:
    expected = hmac.new(key, canonical_bytes(manifest, content), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, manifest.hmac.lower())


def derive(key: bytes, purpose: str, *parts: str, length: int = 12) -> str:
    """A secret-looking, deterministic value (form ids, sheet passwords) bound to the key."""
    msg = "\x1f".join((purpose, *parts)).encode("utf-8")
    return hmac.new(key, msg, hashlib.sha256).hexdigest()[:length]
