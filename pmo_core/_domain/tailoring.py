"""Methodology tailoring: what one entity changes in the methodology it follows, and why."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ._base import Line, Name, NonEmptyText, ValueModel

#: What a tailoring does: leave out an artifact that no ``must`` criterion needs, leave out a
#: ``should`` gate criterion (named ``GATE/CRITERION``), or merge a phase into the one before
#: it (the gate between them goes; its criteria move to the next gate).
TailoringAction = Literal["skip-artifact", "skip-criterion", "merge-phase"]
TAILORING_ACTIONS: tuple[TailoringAction, ...] = ("skip-artifact", "skip-criterion", "merge-phase")


class Tailoring(ValueModel):
    """One change an entity makes to its methodology, recorded with who, when and why.

    Tailorings live in the entity's ``tailoring`` field (so the journal keeps their history)
    and are applied whenever the entity's methodology is read: by ``pmo gate check``, gate
    decisions and artifact templates. Governance sees every one of them (the rule
    ``methodology-tailored`` of pmo-governance advises, warns or, under the directive model,
    blocks). ``target`` is an artifact name (``skip-artifact``), ``GATE/CRITERION``
    (``skip-criterion``) or a phase name (``merge-phase``: merged into the phase before it).

    Example::

        t = Tailoring(action="merge-phase", target="scoping",
                      comment="Stage-Gate Lite: small job", actor="Lee Chen", on=date(2026, 3, 2))
    """

    action: TailoringAction
    target: Name
    comment: NonEmptyText
    actor: Line = ""
    on: date

    def describe(self) -> str:
        """A one-line account of the tailoring.

        Example::

            t.describe()
            # "merges phase 'scoping' into the phase before it (Lee Chen, 2026-03-02:
            #  Stage-Gate Lite: small job)"
        """
        what = {
            "skip-artifact": f"skips artifact {self.target!r}",
            "skip-criterion": f"skips criterion {self.target!r}",
            "merge-phase": f"merges phase {self.target!r} into the phase before it",
        }[self.action]
        who = f"{self.actor}, " if self.actor else ""
        return f"{what} ({who}{self.on.isoformat()}: {self.comment})"
