"""pmo-postgres: the pmo store on a PostgreSQL server (plugin id ``postgres``).

It registers the storage backends ``postgresql`` and ``postgres``: a workspace whose
``[workspace] store`` (or ``PMO_STORE_URL``) is ``postgresql://USER:PASSWORD@HOST/DATABASE``
keeps its documents, journal and transaction log in a schema of that database (``pmo``, or
``?schema=NAME``), with the behaviour of pmo-core's SQLite store: the same hash-chained,
append-only journal (enforced by the database's triggers and privileges), as-of reads,
optimistic concurrency and ``verify``. :class:`PostgresStore` is the store itself, for
embedding; :func:`grant_statements` the SQL for a role that may only append to the journal.

Example::

    # pmo.toml
    # [workspace]
    # store = "postgresql://pmo@db.example/pmo?schema=acme"

    from pmo_postgres import PostgresStore

    with PostgresStore("postgresql://pmo:secret@db.example/pmo") as store:
        print(store.count("project"))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pmo_core import PmoStorageBackend, hookimpl

from ._url import SCHEMES, mask_url

if TYPE_CHECKING:
    from ._schema import grant_statements
    from ._store import PostgresStore

__all__ = ["PostgresStore", "grant_statements", "mask_url", "open_postgres", "pmo_storage_backends"]

#: Seconds a write waits for another writer unless the workspace says otherwise.
_DEFAULT_LOCK_TIMEOUT = 900.0


def open_postgres(
    url: str,
    clock: Callable[[], datetime] | None = None,
    *,
    create: bool = False,
    lock_timeout: float = _DEFAULT_LOCK_TIMEOUT,
) -> PostgresStore:
    """Open the store a ``postgresql://`` (or ``postgres://``) URL names.

    ``create`` is true only when a workspace is made (``pmo init``): otherwise a schema
    without a pmo store raises ``StoreError``, as a missing SQLite file does.

    Example::

        store = open_postgres("postgresql://pmo:secret@127.0.0.1/pmo?schema=acme", create=True)
    """
    # psycopg loads when a store opens, not when the plugin host lists this plugin.
    from ._store import PostgresStore

    return PostgresStore(url, clock=clock, create=create, lock_timeout=lock_timeout)


def _open(url: str, *, create: bool = False, lock_timeout: float = _DEFAULT_LOCK_TIMEOUT) -> Any:
    return open_postgres(url, create=create, lock_timeout=lock_timeout)


@hookimpl
def pmo_storage_backends() -> Iterator[PmoStorageBackend]:
    """The ``postgresql`` and ``postgres`` URL schemes, both opening :class:`PostgresStore`.

    Example::

        [b.name for b in pmo_storage_backends()]  # ['postgresql', 'postgres']
    """
    for scheme in SCHEMES:
        yield PmoStorageBackend(
            name=scheme,
            summary="PostgreSQL server: a schema per store, pooled connections, "
            "append-only journal enforced by the database.",
            open=_open,
        )


def __getattr__(name: str) -> Any:
    # The store and the SQL helpers import psycopg: loaded on first use only.
    if name == "PostgresStore":
        from ._store import PostgresStore

        return PostgresStore
    if name == "grant_statements":
        from ._schema import grant_statements

        return grant_statements
    raise AttributeError(f"module 'pmo_postgres' has no attribute {name!r}")
