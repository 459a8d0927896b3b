"""A report's own options (``options`` of the request, ``--option KEY=VALUE``), checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pmo_core import InvalidInputError

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def flags(report: str, options: Mapping[str, Any], known: Mapping[str, bool]) -> dict[str, bool]:
    """The report's yes/no options, each from a bool or its word (``true``, ``no``, ``1``...),
    else its default; an option the report does not take, or a value that is not a yes or a
    no, is an error naming it."""
    unknown = sorted(set(options) - set(known))
    if unknown:
        takes = ", ".join(sorted(known)) or "no options"
        raise InvalidInputError(
            f"report {report!r} takes {takes}, not {', '.join(unknown)}", where="--option"
        )
    found = dict(known)
    for key, value in options.items():
        word = str(value).strip().lower()
        if isinstance(value, bool):
            found[key] = value
        elif word in _TRUE:
            found[key] = True
        elif word in _FALSE:
            found[key] = False
        else:
            raise InvalidInputError(
                f"{key}={value!r} is not true or false", where=f"--option {key}"
            )
    return found


def choices(
    report: str, options: Mapping[str, Any], known: Mapping[str, tuple[str | None, tuple[str, ...]]]
) -> dict[str, str | None]:
    """The report's options that take one word of a set (``series=week``), each checked,
    else its default; an option the report does not take, or a word not in its set, is an
    error naming it."""
    unknown = sorted(set(options) - set(known))
    if unknown:
        takes = ", ".join(sorted(known)) or "no options"
        raise InvalidInputError(
            f"report {report!r} takes {takes}, not {', '.join(unknown)}", where="--option"
        )
    found: dict[str, str | None] = {key: default for key, (default, _) in known.items()}
    for key, value in options.items():
        word = str(value).strip().lower()
        allowed = known[key][1]
        if word not in allowed:
            raise InvalidInputError(
                f"{key}={value!r} is not one of {', '.join(allowed)}", where=f"--option {key}"
            )
        found[key] = word
    return found
