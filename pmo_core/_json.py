"""Compact JSON text exactly as the standard library writes it, written by orjson.

The store's documents and the journal's hash chain are defined by ``json``'s compact text;
orjson writes the same text several times faster, except for floats in exponent form or
below 1e-4 (``1e-7`` for ``1e-07``, ``0.00001`` for ``1e-05``) and NaN or infinity (which
it writes as ``null``). Text that may hold one of those, and data orjson refuses (an
integer beyond 64 bits, a lone surrogate, a key that is not a string), is left to ``json``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson

_NOT_AS_JSON_WRITES = re.compile(r"null|[:,\[]-?(?:0\.0000|\d+(?:\.\d+)?e)")
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
#: 19 digits in a row: maybe an integer beyond 64 bits, which orjson reads as a float.
_LONG_NUMBER = re.compile(r"\d{19}")


def compact_or_none(
    data: Any, default: Callable[[Any], Any], *, sort_keys: bool = False
) -> str | None:
    """``json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=default,
    sort_keys=sort_keys)`` when orjson writes that very text, else ``None`` (use ``json``).

    Dates, times and dataclasses go through ``default`` as with ``json``; an enum is
    written as its value by orjson, so ``default`` should do the same.
    """
    options = _OPTIONS | orjson.OPT_SORT_KEYS if sort_keys else _OPTIONS
    try:
        text: str = orjson.dumps(data, default=default, option=options).decode()
    except orjson.JSONEncodeError:
        return None
    return None if _NOT_AS_JSON_WRITES.search(text) else text


def loads(text: str) -> Any:
    """``json.loads(text)``: orjson reads it, ``json`` what orjson would read otherwise (an
    integer beyond 64 bits) or refuses (a lone surrogate)."""
    if _LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    import json

    return json.loads(text)
