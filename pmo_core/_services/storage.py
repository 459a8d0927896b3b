"""Opening a store by URL, through the ``pmo_storage_backends`` hook (the one registry of
backends; pmo-core's ``sqlite`` and ``memory`` come through it too)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .._errors import InvalidInputError, NotFoundError
from .._plugins.host import BUILTIN_ID, PluginHost
from .._records import PmoStorageBackend
from .._redact import redact
from .._store.protocol import Store
from .plugins import installed_host


def open_store(
    url: str, host: PluginHost, *, create: bool = False, lock_timeout: float | None = None
) -> Store:
    """Open the store ``url`` names with the backend registered for its scheme.

    ``create`` is true only when a workspace is being created; ``lock_timeout`` (seconds) is
    the workspace's. Each goes to the backend's ``open`` if it takes that keyword (see
    :class:`~pmo_core.PmoStorageBackend`).

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
    options: dict[str, Any] = {"create": create}
    if lock_timeout is not None:
        options["lock_timeout"] = lock_timeout
    return backend.open(url, **_taken(backend.open, options))


def open_url(
    url: str,
    *,
    create: bool = False,
    lock_timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> Store:
    """Open the store ``url`` names outside any workspace (``pmo store copy``, test helpers).

    pmo-core's own schemes (``sqlite``, ``memory``) are answered without loading a plugin;
    any other scheme (``postgresql``) is looked up among every installed plugin the
    environment allows, since no workspace says which are enabled.

    Example::

        store = open_url("sqlite:///copy.db", create=True)
    """
    return open_store(url, installed_host(environ), create=create, lock_timeout=lock_timeout)


def backend_plugin(url: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The id of the installed plugin whose storage backend opens ``url``; ``None`` for
    pmo-core's own (``sqlite``, ``memory``) or a scheme no installed plugin registers.

    A new workspace enables it (``pmo init`` with ``PMO_STORE_URL=postgresql://...``):
    its store cannot be opened without it. Only an unknown scheme loads the installed
    plugins to ask them.

    Example::

        backend_plugin("postgresql://pmo@db/pmo")  # 'postgres' with pmo-postgres installed
    """
    scheme = url.partition(":")[0].lower()
    for host in (PluginHost(), installed_host(environ)):
        try:
            plugin = host.record(PmoStorageBackend, scheme).plugin
        except NotFoundError:
            continue
        return None if plugin == BUILTIN_ID else plugin
    return None


def _taken(open: Callable[..., Store], options: dict[str, Any]) -> dict[str, Any]:
    """The options ``open`` takes as keywords: backends written before an option existed are
    called as they were."""
    import inspect

    try:
        parameters = inspect.signature(open).parameters.values()
    except (TypeError, ValueError):  # a callable inspect cannot read: the URL alone
        return {}
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return options
    names = {p.name for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    return {k: v for k, v in options.items() if k in names}
