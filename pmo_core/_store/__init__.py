"""The document store: protocol, the built-in SQLite and memory backends, and URL opening.

Backends are chosen by URL scheme: ``sqlite:///path/to/pmo.db`` (relative; four slashes for an
absolute path), ``sqlite:///:memory:`` and ``memory://``. Each scheme has one opener function
``(url, clock) -> Store`` so the plugin host can register them as built-in storage backends.
"""

from __future__ import annotations

from collections.abc import Callable

from pmo_core._errors import InvalidInputError

from .memory import MemoryStore, open_memory
from .migrations import LATEST_VERSION
from .protocol import (
    ANY,
    KEEP,
    Change,
    Clock,
    Document,
    JournalEntry,
    OwnerFilter,
    OwnerUpdate,
    ReadView,
    Store,
    Transaction,
    TransactionInfo,
)
from .sqlite import SQLiteStore, open_sqlite

__all__ = [
    "ANY",
    "BUILTIN_BACKENDS",
    "KEEP",
    "LATEST_VERSION",
    "Change",
    "Clock",
    "Document",
    "JournalEntry",
    "MemoryStore",
    "OwnerFilter",
    "OwnerUpdate",
    "ReadView",
    "SQLiteStore",
    "Store",
    "StoreOpener",
    "Transaction",
    "TransactionInfo",
    "open_memory",
    "open_sqlite",
    "open_store",
]

#: Opens a store from its URL; ``clock`` is passed through to the store.
StoreOpener = Callable[[str, Clock | None], Store]

#: The storage backends pmo-core ships, by URL scheme.
BUILTIN_BACKENDS: dict[str, StoreOpener] = {"sqlite": open_sqlite, "memory": open_memory}


def open_store(url: str, *, clock: Clock | None = None) -> Store:
    """Open the store a URL names, with a built-in backend.

    Example::

        with open_store("sqlite:///.pmo/pmo.db") as store:
            print(store.kinds())
        scratch = open_store("memory://")
    """
    scheme, sep, _ = url.partition(":") if isinstance(url, str) else ("", "", "")
    opener = BUILTIN_BACKENDS.get(scheme.lower()) if sep else None
    if opener is None:
        known = ", ".join(f"{s}://" for s in sorted(BUILTIN_BACKENDS))
        raise InvalidInputError(
            f"unknown store URL {url!r}: known schemes are {known}", where="store url"
        )
    return opener(url, clock)
