"""The resource pool on a workspace: find a resource, change it, remove it (only where its
history allows: a resource with allocations is removed only with them, when forced)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from pmo_core import (
    Allocation,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    Resource,
    Workspace,
    WorkspaceView,
)

#: The fields of a resource :func:`update_resource` changes (its kind stays what it is: a
#: person's allocations are not a role's demand).
UPDATABLE = (
    "name",
    "role",
    "email",
    "capacity_hours_per_week",
    "skills",
    "rates",
    "availability",
    "holidays",
)


def find_resource(view: WorkspaceView, ref: str) -> Resource:
    """A resource by id, or by name when exactly one has it; :class:`~pmo_core.NotFoundError`
    when none does, :class:`~pmo_core.InvalidInputError` when several are named so.

    Example::

        find_resource(ws.view(), "Kim Lee").role  # 'Developer'
    """
    pool = view.records(Resource)
    for resource in pool:
        if resource.id == ref:
            return resource
    named = [r for r in pool if r.name == ref]
    if len(named) == 1:
        return named[0]
    if named:
        raise InvalidInputError(
            f"{len(named)} resources are named {ref!r}: give the id", where="RESOURCE"
        )
    raise NotFoundError(f"RESOURCE: no resource {ref!r}")


def allocations_of(view: WorkspaceView, resource: str) -> list[Allocation]:
    """The allocations of the resource with id ``resource``, by start then project.

    Example::

        [(a.project, a.start) for a in allocations_of(ws.view(), kim.id)]
    """
    found = [a for a in view.records(Allocation) if a.resource == resource]
    return sorted(found, key=lambda a: (a.start, a.project, a.id))


def update_resource(ws: Workspace, ref: str, **changes: Any) -> Resource:
    """Change fields of a resource (by id or unique name): any of :data:`UPDATABLE`, each
    replacing the stored value. The result is validated as a whole (rates and availability in
    date order, one per date); nothing is written otherwise. Journaled as an update.

    Example::

        update_resource(ws, "Kim Lee", role="Architect", capacity_hours_per_week=32)
    """
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise InvalidInputError(
            f"a resource has no field {unknown[0]!r} to change (fields: {', '.join(UPDATABLE)})",
            where=unknown[0],
        )
    found = find_resource(ws.view(), ref)
    if not changes:
        raise InvalidInputError(f"nothing to change on {found.name} ({found.id})", where="OPTIONS")
    try:
        changed = found.replace(**changes)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "resource"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidInputError(message, where=field) from None
    return ws.replace(changed)


@dataclass(frozen=True)
class Removed:
    """What :func:`remove_resource` removed: the resource and the allocations it had.

    Example::

        removed = remove_resource(ws, "Kim Lee", force=True)
        removed.resource.name, len(removed.allocations)  # ('Kim Lee', 2)
    """

    resource: Resource
    allocations: tuple[Allocation, ...]


def remove_resource(ws: Workspace, ref: str, *, force: bool = False) -> Removed:
    """Remove a resource (by id or unique name) from the pool. A resource with allocations
    is history (demand, cost) and is refused (:class:`~pmo_core.ConflictError`, nothing
    written) unless ``force``, which removes its allocations with it in one transaction.
    The journal keeps every removed record as it was.

    Example::

        remove_resource(ws, "Temp contractor")              # no allocations: removed
        remove_resource(ws, "Kim Lee", force=True).allocations  # removed with them
    """
    view = ws.view()
    found = find_resource(view, ref)
    allocations = allocations_of(view, found.id)
    if allocations and not force:
        projects = sorted({a.project for a in allocations})
        raise ConflictError(
            f"{found.name} ({found.id}) has {len(allocations)} allocation(s) "
            f"({', '.join(projects)}): remove them with it (--force), or keep the resource"
        )
    with ws.transaction(f"resource remove {found.id}") as tx:
        for allocation in allocations:
            tx.delete(allocation.store_kind, allocation.id, expected_version=allocation.version)
        tx.delete(found.store_kind, found.id, expected_version=found.version)
    return Removed(found, tuple(allocations))
