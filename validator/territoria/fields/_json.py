"""Canonical text keys for JSON-like values, equal exactly when Python ``==`` is."""
from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction


def canonical(value) -> str:
    return json.dumps(_normalise(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _normalise(value):
    if isinstance(value, bool):
        return int(value)  # True == 1 in Python
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            raise ValueError("NaN is never equal")
        if math.isinf(value):
            return "\x00inf" if value > 0 else "\x00-inf"
        if value.is_integer():
            return int(value)
        return {"\x00float": repr(value)}
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    if isinstance(value, str) or value is None:
        return value
    raise TypeError(f"no canonical form for {type(value).__name__}")


def exact_number(value) -> str:
    """Exact text of a Decimal/int/float/bool (equal iff numerically equal)."""
    if isinstance(value, (bool, int)):
        value = Decimal(int(value))
    elif isinstance(value, float):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError("not a finite number")
    if value == 0:
        return "0"
    return str(Fraction(value))
