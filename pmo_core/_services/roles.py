"""Roles: who holds which role for a scope, and so whose approval counts for a decision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._domain import Entity, RoleAssignment
from .._domain.roles import role_name
from .._errors import InvalidInputError, NotFoundError
from .._view import WorkspaceView
from .records import validated

if TYPE_CHECKING:
    from .._workspace import Workspace

#: The roles an entity's own fields give without an assignment.
IMPLICIT_ROLES: tuple[tuple[str, str], ...] = (("sponsor", "sponsor"), ("manager", "manager"))


def person_key(name: str) -> str:
    """How two spellings of one person compare: case and spacing do not count.

    Example::

        person_key("  Lee  CHEN ")  # 'lee chen'
    """
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class RoleHolder:
    """A person holding a role for an entity, and where the role comes from.

    ``scope`` is the entity the role was given on (the entity itself or an ancestor);
    ``source`` is ``assignment`` (``pmo role assign``) or the entity field that gives it
    (``sponsor``, ``manager``).

    Example::

        holder = RoleHolder(role="pmo", person="Lee Chen", scope="PF", source="assignment")
    """

    role: str
    person: str
    scope: str
    source: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo role list --json`` prints it.

        Example::

            holder.as_dict()["person"]  # 'Lee Chen'
        """
        return {
            "role": self.role,
            "person": self.person,
            "scope": self.scope,
            "source": self.source,
        }


def holders(entity: Entity, view: WorkspaceView) -> list[RoleHolder]:
    """Everyone holding a role for ``entity``: its own sponsor and manager, then the roles
    assigned on it and on every scope above it (a portfolio's ``pmo`` holds for its projects).

    Example::

        [(h.role, h.person) for h in holders(view.entity("ALPHA"), view)]
    """
    out: list[RoleHolder] = []
    for field, role in IMPLICIT_ROLES:
        person = getattr(entity, field)
        if person:
            out.append(RoleHolder(role, person, entity.id, field))
    for scope in (entity.id, *view.ancestor_ids(entity.id)):
        for assignment in view.records(RoleAssignment, scope):
            if view.after(assignment.assigned_on):
                continue  # assigned after the view's date
            out.append(RoleHolder(assignment.role, assignment.person, scope, "assignment"))
    return out


class RoleService:
    """Assigns and lists roles per scope."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def assign(self, entity: str, role: str, person: str) -> RoleAssignment:
        """See :meth:`Workspace.assign_role <pmo_core.Workspace.assign_role>`."""
        ws = self._ws
        view = ws.view()
        target = view.entity(entity)
        record = validated(
            RoleAssignment,
            {"entity": target.id, "role": role, "person": person, "assigned_on": ws.today()},
        )
        if record.role in {r for _, r in IMPLICIT_ROLES}:
            field = next(f for f, r in IMPLICIT_ROLES if r == record.role)
            raise InvalidInputError(
                f"the {record.role} of {target.id} is its {field!r} field: set it with "
                f"'pmo {target.kind} update {target.id} --{field} NAME'",
                where="role",
            )
        same = [
            a
            for a in view.records(RoleAssignment, target.id)
            if a.role == record.role and person_key(a.person) == person_key(record.person)
        ]
        if same:
            raise InvalidInputError(
                f"{record.person} already holds {record.role} for {target.id}", where="person"
            )
        with ws.transaction("role assign") as tx:
            doc = tx.insert(record.store_kind, record.id, record.to_document(), owner=target.id)
        return RoleAssignment.from_document(doc.data, doc.version)

    def remove(self, entity: str, role: str, person: str) -> RoleAssignment:
        """See :meth:`Workspace.remove_role <pmo_core.Workspace.remove_role>`."""
        ws = self._ws
        view = ws.view()
        target = view.entity(entity)
        wanted = role_name(role)
        found = next(
            (
                a
                for a in view.records(RoleAssignment, target.id)
                if a.role == wanted and person_key(a.person) == person_key(person)
            ),
            None,
        )
        if found is None:
            raise NotFoundError(f"{person} holds no assigned role {wanted!r} for {target.id}")
        with ws.transaction("role remove") as tx:
            current = tx.get(found.store_kind, found.id)
            if current is None:
                raise NotFoundError(f"the assignment of {wanted} to {person} is gone")
            tx.delete(found.store_kind, found.id, expected_version=current.version)
        return found

    def list(self, entity: str | None, view: WorkspaceView | None = None) -> list[RoleHolder]:
        """See :meth:`Workspace.roles <pmo_core.Workspace.roles>`."""
        view = view or self._ws.view()
        if entity is not None:
            return holders(view.entity(entity), view)
        out: list[RoleHolder] = []
        for target in view.entities():
            out += [h for h in holders(target, view) if h.scope == target.id]
        return out


def holding(found: Iterable[RoleHolder], person: str) -> list[RoleHolder]:
    """The roles ``person`` holds among ``found``.

    Example::

        [h.role for h in holding(holders(entity, view), "Lee Chen")]  # ['pmo']
    """
    key = person_key(person)
    return [h for h in found if person_key(h.person) == key]
