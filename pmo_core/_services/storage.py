"""Opening a store by URL, through the ``pmo_storage_backends`` hook (the one registry of
backends; pmo-core's ``sqlite`` and ``memory`` come through it too)."""

from __future__ import annotations

from .._errors import InvalidInputError, NotFoundError
from .._plugins.host import PluginHost
from .._records import PmoStorageBackend
from .._redact import redact
from .._store.protocol import Store


def open_store(url: str, host: PluginHost) -> Store:
    """Open the store ``url`` names with the backend registered for its scheme.

    Example::

        store = open_store("memory://", PluginHost())
    """
    scheme, sep, _ = url.partition(":")
    shown = redact(url)  # a server URL may hold a password: never in an error
    if not sep or not scheme:
        raise InvalidInputError(
            f"malformed store URL {shown!r}: expected SCHEME://..., e.g. sqlite:///.pmo/pmo.db",
            where="store url",
        )
    try:
        backend = host.record(PmoStorageBackend, scheme.lower())
    except NotFoundError as exc:
        raise InvalidInputError(f"unknown store URL {shown!r}: {exc}", where="store url") from None
    return backend.open(url)
