"""Strategic objectives as a tree under a portfolio, and the alignment of projects to them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from pmo_core import (
    Alignment,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    Objective,
    Workspace,
    WorkspaceView,
)


def objectives(view: WorkspaceView, portfolio: str | None = None) -> list[Objective]:
    """The objectives (of ``portfolio`` when given), by portfolio then name.

    Example::

        [o.name for o in objectives(ws.view(), "PF")]  # ['Grow', 'New markets', ...]
    """
    found = [o for o in view.records(Objective) if portfolio is None or o.portfolio == portfolio]
    return sorted(found, key=lambda o: (o.portfolio, o.name.casefold(), o.id))


def find_objective(view: WorkspaceView, ref: str) -> Objective:
    """The objective ``ref``: an id, or a name only one objective has.

    Example::

        find_objective(ws.view(), "Grow").id  # '3f2a9c01be77'
    """
    every = view.records(Objective)
    for o in every:
        if o.id == ref:
            return o
    named = [o for o in every if o.name.casefold() == ref.strip().casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(sorted(o.id for o in named))
        raise InvalidInputError(f"{len(named)} objectives are named {ref!r}; use an id: {ids}")
    raise NotFoundError(f"no objective {ref!r}")


@dataclass(frozen=True)
class TreeRow:
    """One objective in a tree: its depth (0 at the top) and the alignments to it.

    Example::

        [(r.depth, r.objective.name) for r in objective_tree(ws.view(), "PF")]
    """

    depth: int
    objective: Objective
    alignments: tuple[Alignment, ...]


def objective_tree(view: WorkspaceView, portfolio: str | None = None) -> list[TreeRow]:
    """The objectives depth first, each child under its parent; an objective whose parent is
    missing is shown at the top.

    Example::

        objective_tree(ws.view(), "PF")[0].depth  # 0
    """
    found = objectives(view, portfolio)
    ids = {o.id for o in found}
    aligned: dict[str, list[Alignment]] = {}
    for a in sorted(view.records(Alignment), key=lambda a: a.project):
        aligned.setdefault(a.objective, []).append(a)
    children: dict[str | None, list[Objective]] = {}
    for o in found:
        children.setdefault(o.parent if o.parent in ids else None, []).append(o)

    def walk(parent: str | None, depth: int, seen: set[str]) -> Iterator[TreeRow]:
        for o in children.get(parent, []):
            if o.id in seen:
                continue  # a loop stored before cycles were refused: shown once
            seen.add(o.id)
            yield TreeRow(depth, o, tuple(aligned.get(o.id, ())))
            yield from walk(o.id, depth + 1, seen)

    return list(walk(None, 0, set()))


def _portfolio(view: WorkspaceView, key: str) -> None:
    entity = view.entity(key)
    if entity.kind != "portfolio":
        raise InvalidInputError(f"{key} is a {entity.kind}, not a portfolio", where="portfolio")


def add_objective(ws: Workspace, portfolio: str, name: str, **fields: Any) -> Objective:
    """Add an objective to ``portfolio``; ``parent`` may be an id or a unique name.

    Example::

        add_objective(ws, "PF", "New markets", parent="Grow", owned_by="Dana",
                      measure="Revenue abroad", target="20 % by 2028")
    """
    view = ws.view()
    _portfolio(view, portfolio)
    if fields.get("parent"):
        fields["parent"] = find_objective(view, fields["parent"]).id
    try:
        record = Objective(portfolio=portfolio, name=name, **fields)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return ws.add(record, command="objective add")


def _invalid(exc: ValidationError) -> InvalidInputError:
    # The first refused field, named as the record names it (weight, owned_by...).
    error = exc.errors()[0]
    field = ".".join(str(p) for p in error["loc"]) or "objective"
    return InvalidInputError(f"{field}: {error['msg']}", where=field)


def update_objective(ws: Workspace, ref: str, **changes: Any) -> Objective:
    """Change an objective's fields; ``parent=""`` puts it at the top of the tree.

    Example::

        update_objective(ws, "New markets", target="25 % by 2028", parent="")
    """
    view = ws.view()
    found = find_objective(view, ref)
    if "parent" in changes:
        parent = changes["parent"]
        changes["parent"] = find_objective(view, parent).id if parent else None
    try:
        changed = found.replace(**changes)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return ws.replace(changed)


def remove_objective(ws: Workspace, ref: str) -> Objective:
    """Remove an objective that has no child objectives and no alignments.

    Example::

        remove_objective(ws, "Old goal")
    """
    view = ws.view()
    found = find_objective(view, ref)
    children = sorted(o.name for o in view.records(Objective) if o.parent == found.id)
    if children:
        raise ConflictError(
            f"objective {found.name!r} has child objectives ({', '.join(children)}): "
            "remove them or move them first"
        )
    aligned = sorted(a.project for a in view.records(Alignment) if a.objective == found.id)
    if aligned:
        raise ConflictError(
            f"objective {found.name!r} has projects aligned to it ({', '.join(aligned)}): "
            "unalign them first"
        )
    with ws.transaction("objective remove") as tx:
        tx.delete(Objective.store_kind, found.id, expected_version=found.version)
    return found


def align(ws: Workspace, project: str, ref: str, weight: float) -> Alignment:
    """Align ``project`` to the objective ``ref`` with ``weight`` (0 to 1), or change the
    weight of an existing alignment. The project must be under the objective's portfolio.

    Example::

        align(ws, "CRM", "Grow", 0.8).id  # 'CRM:3f2a9c01be77'
    """
    if not 0 <= weight <= 1:
        raise InvalidInputError(f"weight {weight} is not between 0 and 1", where="--weight")
    view = ws.view()
    entity = view.entity(project)
    found = find_objective(view, ref)
    if found.portfolio not in view.ancestor_ids(entity.id):
        raise InvalidInputError(
            f"{project} is not under portfolio {found.portfolio}, which holds objective "
            f"{found.name!r}",
            where="PROJECT",
        )
    existing = [a for a in view.records(Alignment) if a.id == f"{project}:{found.id}"]
    if existing:
        return ws.replace(existing[0].replace(weight=weight))
    return ws.add(Alignment(project=project, objective=found.id, weight=weight))


def unalign(ws: Workspace, project: str, ref: str) -> Alignment:
    """Remove the alignment of ``project`` to the objective ``ref``.

    Example::

        unalign(ws, "CRM", "Grow")
    """
    view = ws.view()
    found = find_objective(view, ref)
    existing = [a for a in view.records(Alignment) if a.id == f"{project}:{found.id}"]
    if not existing:
        raise NotFoundError(f"{project} is not aligned to objective {found.name!r}")
    with ws.transaction("objective unalign") as tx:
        tx.delete(Alignment.store_kind, existing[0].id, expected_version=existing[0].version)
    return existing[0]
