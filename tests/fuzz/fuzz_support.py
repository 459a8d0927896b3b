"""What every fuzzed input must leave true: the outcome is a success or a PmoError (never an
unexpected exception), and on error nothing was written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pmo_core import PmoError, Workspace

#: The exit codes the CLI documents (0 ok, 1 unexpected is not among the acceptable ones for
#: bad input, 2 input, 3 not found, 4 conflict, 5 blocked).
EXIT_CODES = frozenset({0, 2, 3, 4, 5})


def snapshot(ws: Workspace) -> tuple[Any, ...]:
    """What the store holds: the journal's length and every document, comparable."""
    store = ws.store
    docs = tuple(
        (kind, doc.id, doc.version, repr(doc.data))
        for kind in store.kinds()
        for doc in store.query(kind)
    )
    return len(ws.journal()), docs


def outcome(action: Callable[[], object]) -> PmoError | None:
    """Run ``action``: ``None`` when it succeeds, the PmoError when it refuses. Any other
    exception propagates, and fails the property."""
    try:
        action()
    except PmoError as exc:
        return exc
    return None
