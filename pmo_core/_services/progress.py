"""Progress of long work in phases: ``progress(phase, done, total)``, as imports, exports
and store copies report it, and the deprecated ``progress(done, total)`` form adapted."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

from .._errors import PmoDeprecationWarning

#: ``progress(phase, done, total)``: the phase (a word such as ``"read"`` or ``"commit"``),
#: what is done of it so far and its total (``None`` where it is not known beforehand). A
#: phase's last call has ``done == total``.
PhaseProgress = Callable[[str, int, "int | None"], None]

#: The phases of an import, in their order (see :meth:`pmo_core.Workspace.import_from`).
IMPORT_PHASES = ("read", "archive", "commit", "plans")
#: The phase of an export: the records the connector wrote.
EXPORT_PHASE = "write"

# Warned once a process: a script calling import_from in a loop is told once, not per call.
_warned: set[str] = set()


def _quiet(phase: str, done: int, total: int | None) -> None:
    return None


def takes_phase(callback: Callable[..., Any]) -> bool:
    """Whether ``callback`` takes ``(phase, done, total)``, not the older ``(done, total)``."""
    try:
        signature = inspect.signature(callback)
    except (TypeError, ValueError):  # a builtin without a signature: take the current form
        return True
    try:
        signature.bind("phase", 0, None)
    except TypeError:
        return False
    return True


def phased(
    callback: Callable[..., Any] | None, what: str, phase: str, *, stacklevel: int = 4
) -> PhaseProgress:
    """``callback`` as a ``progress(phase, done, total)``; an older ``progress(done, total)``
    is warned about once (``PmoDeprecationWarning``) and hears only ``phase``, as before."""
    if callback is None:
        return _quiet
    if takes_phase(callback):
        return callback
    if what not in _warned:
        _warned.add(what)
        warnings.warn(
            f"{what}(progress=...) now calls progress(phase, done, total); a progress that "
            "takes (done, total) hears only the rows and will stop working in a later "
            "major version",
            PmoDeprecationWarning,
            stacklevel=stacklevel,
        )
    old = callback

    def adapted(name: str, done: int, total: int | None) -> None:
        if name == phase:
            old(done, total)

    return adapted
