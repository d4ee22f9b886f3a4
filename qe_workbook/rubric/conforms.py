"""A quick answer to "does this JSON conform to the rubric schema?" without loading jsonschema.

Loading jsonschema costs more than the rest of `qe rubric check` together. A rubric that conforms is
the common case: this walks the schema's own keywords (the small set rubric.schema.json uses) and
answers True or False; on a keyword it does not know it answers None. Only when the answer is not True
does `schema_problems` ask jsonschema, which finds and words the errors.
"""

from __future__ import annotations

import numbers
import re
from typing import Any

_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool),  # Decimal too, as jsonschema
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}
_ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "default", "examples"}
_NUMBER_BOUNDS: dict[str, Any] = {
    "minimum": lambda v, b: v >= b,
    "maximum": lambda v, b: v <= b,
    "exclusiveMinimum": lambda v, b: v > b,
    "exclusiveMaximum": lambda v, b: v < b,
}


class _Unsure(Exception):
    """A keyword or a value this walk does not judge: jsonschema decides."""


def conforms(instance: Any, schema: dict[str, Any]) -> bool | None:
    """Whether `instance` conforms to `schema` (a draft 2020-12 schema with local $defs); None: cannot tell."""
    try:
        return _conforms(instance, schema, schema.get("$defs", {}))
    except _Unsure:
        return None


def _conforms(value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    for key, rule in schema.items():
        if key in _ANNOTATIONS or key == "$defs":
            continue
        if not _keyword(key, rule, value, schema, defs):
            return False
    return True


def _keyword(key: str, rule: Any, value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    number = _TYPES["number"](value)
    if key == "$ref":
        if not isinstance(rule, str) or not rule.startswith("#/$defs/") or rule[8:] not in defs:
            raise _Unsure
        return _conforms(value, defs[rule[8:]], defs)
    if key == "type":
        names = rule if isinstance(rule, list) else [rule]
        if any(n not in _TYPES for n in names):
            raise _Unsure
        return any(_TYPES[n](value) for n in names)
    if key in ("const", "enum"):
        options = [rule] if key == "const" else rule
        if any(type(o) is type(value) and o == value for o in options):
            return True
        if any(o == value for o in options):  # 1 and 1.0, True and 1: jsonschema's rules decide
            raise _Unsure
        return False
    if key in _NUMBER_BOUNDS:
        return not number or _NUMBER_BOUNDS[key](value, rule)
    if key in ("minLength", "maxLength", "pattern"):
        if not isinstance(value, str):
            return True
        if key == "pattern":
            return re.search(rule, value) is not None
        return len(value) >= rule if key == "minLength" else len(value) <= rule
    if key in ("minItems", "maxItems"):
        return not isinstance(value, list) or (len(value) >= rule if key == "minItems" else len(value) <= rule)
    if key == "items":
        return not isinstance(value, list) or all(_conforms(v, rule, defs) for v in value)
    if key == "required":
        return not isinstance(value, dict) or all(name in value for name in rule)
    if key == "properties":
        return not isinstance(value, dict) or all(_conforms(value[k], s, defs) for k, s in rule.items() if k in value)
    if key == "additionalProperties":
        if not isinstance(value, dict) or rule is True:
            return True
        if rule is not False or "patternProperties" in schema:
            raise _Unsure
        return all(k in schema.get("properties", {}) for k in value)
    raise _Unsure
