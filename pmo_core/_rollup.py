"""Who counts in a roll-up: the live portfolio, the pipeline, and what has ended.

Every total over a scope (a report's budget, EV, PV, AC and EAC, its project counts and RAG
roll-up, a program's tolerances) sums the scope's **live** projects only. One function decides
which those are, so a report, a governance rule and a list never disagree:

* **live**: active and on hold. An on-hold project still holds its budget and has spent what
  it spent, so it stays in the totals, marked ``held`` so a reader sees why it does not move;
* **pipeline**: proposed, not yet authorised (no go decision). Like the pipeline of a PPM tool
  (Clarity's ideas, Planview's proposals), it is shown beside the live portfolio and never
  summed into it: its budget is a request, not a commitment;
* **ended**: killed or closed. Its figures are final; it leaves the live totals and is listed
  in a section of its own with who ended it, when and why.

A project takes the standing of the nearest entity between it and the scope that decides one:
a project of a killed program is out of its portfolio's totals with the program, a project of a
proposed program is in the pipeline with it. Ended outranks proposed, which outranks on hold.
The scope itself is not judged: a report over a killed program shows that program's figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ._domain import Entity
from ._view import WorkspaceView

__all__ = ["ScopeMember", "ScopeMembers", "Standing", "scope_members"]

#: Where a program or project stands in a roll-up: see :func:`scope_members`.
Standing = Literal["live", "pipeline", "ended"]

# Which lifecycle states decide a standing, strongest first; active decides nothing.
_DECIDES: tuple[tuple[frozenset[str], Standing], ...] = (
    (frozenset({"killed", "closed"}), "ended"),
    (frozenset({"proposed"}), "pipeline"),
)


@dataclass(frozen=True)
class ScopeMember:
    """A program or project below a roll-up's scope, and where it stands in the totals.

    ``standing`` is ``live`` (in the totals), ``pipeline`` (proposed: beside them) or ``ended``
    (killed or closed: out of them). ``cause`` is the entity whose lifecycle decided it: the
    member itself, or the program or project above it (a project of a killed program is ended
    with it). ``held`` marks a live member on hold (itself or above it; ``held_by`` says which).
    ``state``, ``on``, ``by`` and ``reason`` are the cause's lifecycle, ready for a report.

    Example::

        member = scope_members(view, "PF").member("BETA")
        member.standing, member.state, member.on, member.by   # ('ended', 'killed', ...)
    """

    entity: Entity
    standing: Standing
    cause: Entity
    held_by: Entity | None = None

    @property
    def key(self) -> str:
        """The member's key.

        Example::

            member.key  # 'BETA'
        """
        return self.entity.id

    @property
    def held(self) -> bool:
        """Whether a live member is on hold (itself or an entity above it).

        Example::

            members = scope_members(view, "PF")
            [m.key for m in members.on_hold if m.held]  # []
        """
        return self.held_by is not None

    @property
    def inherited(self) -> bool:
        """Whether the standing comes from an entity above the member, not its own state.

        Example::

            member.inherited, member.cause.id  # (False, 'BETA'): killed itself
            # (True, 'ERP') would say it ended with its program
        """
        return self.cause.id != self.entity.id

    @property
    def state(self) -> str:
        """The lifecycle state that decided the standing (the cause's).

        Example::

            member.state  # 'killed'
        """
        return self.cause.lifecycle

    @property
    def on(self) -> date | None:
        """When the cause entered that state (``None`` if it was never recorded).

        Example::

            member.on  # datetime.date(2025, 3, 31)
        """
        return self.cause.lifecycle_on

    @property
    def by(self) -> str | None:
        """Who moved the cause into that state.

        Example::

            member.by  # 'kim'
        """
        return self.cause.lifecycle_by

    @property
    def reason(self) -> str:
        """Why the cause is in that state (the decision's comment).

        Example::

            member.reason  # 'No market'
        """
        return self.cause.lifecycle_reason


@dataclass(frozen=True)
class ScopeMembers:
    """Every entity below a scope, sorted by key, split by standing.

    ``live`` is what a total sums: the live projects (active and on hold). ``pipeline`` and
    ``ended`` hold every kind (programs, projects, and portfolios below the whole PMO), so a
    report can list a killed program beside its projects.

    Example::

        members = scope_members(view, "PF")
        [p.id for p in members.live]                  # summed into PF's totals
        [(m.key, m.state) for m in members.ended]     # [('BETA', 'killed')]
        [m.key for m in members.pipeline]             # proposed, beside the totals
    """

    scope: Entity | None
    members: tuple[ScopeMember, ...]

    def _of(self, standing: Standing, kind: str | None = None) -> tuple[ScopeMember, ...]:
        return tuple(
            m
            for m in self.members
            if m.standing == standing and (kind is None or m.entity.kind == kind)
        )

    @property
    def live(self) -> tuple[Entity, ...]:
        """The live projects: the ones every total of the scope sums.

        Example::

            sum(p.budget.amount for p in members.live if p.budget)
        """
        return tuple(m.entity for m in self._of("live", "project"))

    @property
    def live_members(self) -> tuple[ScopeMember, ...]:
        """The live projects as members, to see which are on hold.

        Example::

            [m.key for m in members.live_members if m.held]
        """
        return self._of("live", "project")

    @property
    def on_hold(self) -> tuple[ScopeMember, ...]:
        """The live projects on hold (themselves or through an entity above them).

        Example::

            [(m.key, m.held_by.id) for m in members.on_hold]
        """
        return tuple(m for m in self._of("live", "project") if m.held)

    @property
    def pipeline(self) -> tuple[ScopeMember, ...]:
        """Proposed programs and projects (and those under a proposed program).

        Example::

            [m.key for m in members.pipeline]
        """
        return self._of("pipeline")

    @property
    def ended(self) -> tuple[ScopeMember, ...]:
        """Killed and closed programs and projects, and the projects under them.

        Example::

            [(m.key, m.state, m.on, m.by) for m in members.ended]
        """
        return self._of("ended")

    def member(self, key: str) -> ScopeMember:
        """The member with key ``key``; ``KeyError`` when it is not below the scope.

        Example::

            members.member("BETA").standing  # 'ended'
        """
        for m in self.members:
            if m.key == key:
                return m
        raise KeyError(key)


def _standing(entity: Entity, chain: Iterable[Entity]) -> tuple[Standing, Entity, Entity | None]:
    line = [entity, *chain]
    for states, standing in _DECIDES:
        cause = next((e for e in line if e.lifecycle in states), None)
        if cause is not None:
            return standing, cause, None
    held = next((e for e in line if e.lifecycle == "on_hold"), None)
    return "live", entity, held


def scope_members(view: WorkspaceView, scope: Entity | str | None = None) -> ScopeMembers:
    """Split the entities below ``scope`` (a key, an entity, or ``None`` for the whole PMO,
    whose portfolios are members too) into live, pipeline and ended, as every roll-up counts
    them.

    A member's standing is decided by the nearest entity from it up to (not including) the
    scope whose lifecycle decides one: killed or closed make it ``ended``, proposed makes it
    ``pipeline``; otherwise it is ``live``, and ``held`` when one of them is on hold.
    Archived entities are left out, as in :meth:`WorkspaceView.entities`.

    Example::

        members = scope_members(view, "PF")
        figures = [measure_project(view, p.id) for p in members.live]  # the totals
        [(m.key, m.state, m.on, m.by, m.reason) for m in members.ended]
        # [('BETA', 'killed', datetime.date(2025, 3, 31), 'kim', 'No market')]
    """
    entity = view.entity(scope) if isinstance(scope, str) else scope
    under = entity.id if entity is not None else None
    members = []
    for member in view.entities(under=under):
        chain: list[Entity] = []
        for ancestor in view.ancestors(member.id):
            if under is not None and ancestor.id == under:
                break
            chain.append(ancestor)
        standing, cause, held = _standing(member, chain)
        members.append(ScopeMember(member, standing, cause, held))
    return ScopeMembers(scope=entity, members=tuple(members))
