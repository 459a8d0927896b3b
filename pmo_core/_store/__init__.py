"""The document store: the protocol and the built-in SQLite and memory backends.

Backends are chosen by URL scheme through the ``pmo_storage_backends`` hook (pmo-core
registers ``sqlite`` and ``memory`` there itself): ``sqlite:///path/to/pmo.db`` (relative; four
slashes for an absolute path), ``sqlite:///:memory:`` and ``memory://``.
"""

from __future__ import annotations

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
    SupportsCopyIn,
    Transaction,
    TransactionInfo,
)
from .sqlite import SQLiteStore, open_sqlite

__all__ = [
    "ANY",
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
    "SupportsCopyIn",
    "Transaction",
    "TransactionInfo",
    "open_memory",
    "open_sqlite",
]
