"""Searching a workspace: the store's full-text search, narrowed to a subtree of entities."""

from __future__ import annotations

from collections.abc import Callable, Collection

from .._domain import Portfolio, Program, Project
from .._errors import StoreError
from .._store.protocol import SearchHit, Store
from .._store.search import check_limit
from .._view import WorkspaceView

#: The kinds whose documents are entities (their id is a key of the hierarchy).
_ENTITY_KINDS = frozenset(m.store_kind for m in (Portfolio, Program, Project))


def search(
    store: Store,
    view: Callable[[], WorkspaceView],
    text: str,
    *,
    kinds: Collection[str] | None,
    under: str | None,
    limit: int | None,
) -> list[SearchHit]:
    """The hits of ``store.search``; with ``under``, those of the entity ``under`` and the
    entities below it (archived ones too) and of the records they own."""
    if not callable(getattr(store, "search", None)):
        # A backend written before Store.search: say so rather than fail with AttributeError.
        raise StoreError(
            f"the store backend {type(store).__name__} cannot search (it implements no "
            "Store.search); upgrade the plugin that provides it"
        )
    if under is None:
        return store.search(text, kinds=kinds, limit=limit)
    limit = check_limit(limit)
    now = view()
    scope = now.entity(under)  # NotFoundError for an unknown key
    keys = {scope.id} | {e.id for e in now.entities(under=scope.id, include_archived=True)}
    # Every hit is read, then narrowed: a text search finds few enough documents for that.
    hits = [
        hit
        for hit in store.search(text, kinds=kinds, limit=None)
        if hit.owner in keys or (hit.kind in _ENTITY_KINDS and hit.id in keys)
    ]
    return hits if limit is None else hits[:limit]
