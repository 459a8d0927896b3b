"""Methodology records: lifecycle phases, gates with criteria, artifacts, roles and events."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import Field, model_validator

from ._base import CriterionLevel, GateOption, Named, PmoRecord
from .governance import RuleCheck


class PmoPhase(Named):
    """A lifecycle phase (or stage) of a methodology; ``artifacts`` are produced in it.

    Example::

        PmoPhase(name="scoping", summary="Quick look at the opportunity.",
                 artifacts=("project-brief",))
    """

    #: The names of the artifacts produced in it.
    artifacts: tuple[str, ...] = ()


class PmoGateCriterion(Named):
    """An exit criterion of a gate: ``must`` criteria block the gate, ``should`` ones warn.

    A criterion is met when its ``artifact`` (if named) is approved and its ``check`` (if
    given) returns ``None``.

    Example::

        PmoGateCriterion(name="business-case-approved", level="must",
                         artifact="business-case")
    """

    #: ``must`` blocks the gate, ``should`` warns.
    level: CriterionLevel = "must"
    #: The artifact that must be approved, if any.
    artifact: str | None = None
    #: Returns ``None`` when the criterion is met, else a message.
    check: RuleCheck | None = None

    @model_validator(mode="after")
    def _needs_a_test(self) -> PmoGateCriterion:
        if self.artifact is None and self.check is None:
            raise ValueError(f"criterion {self.name!r} needs an artifact or a check")
        return self


class PmoGate(Named):
    """A gate between two phases, with its criteria and decision options.

    Example::

        PmoGate(name="gate-2", leaving="scoping", entering="business-case",
                criteria=(PmoGateCriterion(name="brief", artifact="project-brief"),))
    """

    #: The phase the gate leaves.
    leaving: str
    #: The phase the gate enters.
    entering: str
    #: Its exit criteria.
    criteria: tuple[PmoGateCriterion, ...] = ()
    #: The decisions it may take.
    options: tuple[GateOption, ...] = ("go", "kill", "hold", "recycle")


class PmoArtifact(Named):
    """A management product with its template: the Markdown to start the document from (or
    a link to one), which ``pmo artifact template PROJECT NAME`` prints. Its ``name`` is the
    one artifacts are submitted and approved under, and gate criteria name.

    Example::

        PmoArtifact(name="business-case", summary="Why the project is worth doing.",
                    template="# Business case\\n\\n## Benefits\\n")
    """

    #: The Markdown to start the document from, or a link to one.
    template: str = ""


class PmoRole(Named):
    """A role or accountability a methodology defines.

    Example::

        PmoRole(name="gatekeeper", summary="Decides go / kill at a gate.")
    """


class PmoEvent(Named):
    """A recurring event (ceremony) with its cadence and timebox.

    Example::

        PmoEvent(name="gate-review", cadence_days=None, timebox_hours=2)
    """

    #: How often it recurs, in days; ``None``: when needed.
    cadence_days: int | None = None
    #: Its timebox, in hours.
    timebox_hours: float | None = None


class PmoMethodology(PmoRecord):
    """A methodology, yielded by :func:`~pmo_core.hookspecs.pmo_methodologies`.

    Phases are ordered; every gate names a ``leaving`` and an ``entering`` phase that exist.
    ``progress_measure`` says how progress maps to earned value (``percent_complete``,
    ``points``, ``milestones``, ``0/100`` or ``50/50``). ``tailoring`` documents what an
    organisation may change.

    Example::

        methodology = PmoMethodology(
            name="two-step",
            phases=(PmoPhase(name="plan"), PmoPhase(name="do")),
            gates=(PmoGate(name="go", leaving="plan", entering="do",
                           criteria=(PmoGateCriterion(name="plan", artifact="plan"),)),),
            artifacts=(PmoArtifact(name="plan"),),
        )
    """

    #: Its lifecycle phases, in order.
    phases: tuple[PmoPhase, ...]
    #: The gates between its phases.
    gates: tuple[PmoGate, ...] = ()
    #: Its management products.
    artifacts: tuple[PmoArtifact, ...] = ()
    #: The roles it defines.
    roles: tuple[PmoRole, ...] = ()
    #: Its recurring events (ceremonies).
    events: tuple[PmoEvent, ...] = ()
    #: Whether work is planned in iterations (sprints).
    iterations: bool = False
    #: How progress maps to earned value.
    progress_measure: str = "percent_complete"
    #: What an organisation may change, and how.
    tailoring: Mapping[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> PmoMethodology:
        phases = [p.name for p in self.phases]
        if not phases:
            raise ValueError("a methodology needs at least one phase")
        if len(set(phases)) != len(phases):
            raise ValueError(f"duplicate phase names in {phases}")
        artifacts = {a.name for a in self.artifacts}
        for gate in self.gates:
            for phase in (gate.leaving, gate.entering):
                if phase not in phases:
                    raise ValueError(f"gate {gate.name!r} names unknown phase {phase!r}")
            for criterion in gate.criteria:
                if criterion.artifact and criterion.artifact not in artifacts:
                    raise ValueError(
                        f"gate {gate.name!r} criterion {criterion.name!r} names unknown "
                        f"artifact {criterion.artifact!r}"
                    )
        return self

    def gate_leaving(self, phase: str) -> PmoGate | None:
        """The gate that closes ``phase``, if any.

        Example::

            methodology.gate_leaving("plan").entering  # 'do'
        """
        return next((g for g in self.gates if g.leaving == phase), None)

    def next_phase(self, phase: str | None) -> str | None:
        """The phase after ``phase`` (the first phase when ``phase`` is ``None``).

        Example::

            methodology.next_phase("plan")  # 'do'
        """
        names = [p.name for p in self.phases]
        if phase is None:
            return names[0]
        if phase not in names:
            return None
        i = names.index(phase)
        return names[i + 1] if i + 1 < len(names) else None


__all__ = [
    "PmoArtifact",
    "PmoEvent",
    "PmoGate",
    "PmoGateCriterion",
    "PmoMethodology",
    "PmoPhase",
    "PmoRole",
]
