"""The options a connector or a report declares, and the refusal of any other."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from .._errors import InvalidInputError


def refuse_undeclared(
    what: str,
    declared: Collection[str],
    options: Mapping[str, Any],
    *,
    also: Iterable[str] = (),
) -> Mapping[str, Any]:
    """``options``, refused when one is neither ``declared`` nor ``also`` (the core's own):
    a misspelt option would otherwise go unread. ``what`` names the owner (``connector
    'csv'``, ``report 'evm'``); the error suggests the nearest name and lists the declared.
    """
    extra = list(also)
    for name in options:
        if name in declared or name in extra:
            continue
        names = sorted(declared)
        near = difflib.get_close_matches(str(name), [*names, *extra], n=1)
        hint = f"; did you mean {near[0]}?" if near else ""
        takes = f"it takes: {', '.join(names)}" if names else "it takes none"
        raise InvalidInputError(
            f"{what} has no option {name!r}{hint} ({takes})", where=f"--option {name}"
        )
    return options
