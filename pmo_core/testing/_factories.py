"""Entity factories: valid domain records with sensible defaults, overridable field by field.

Each factory returns an unsaved, validated record; pass ``workspace=`` to store it too (then
the stored record, with its version, is returned). The domain models are imported on first
call, so loading the testing kit stays cheap.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._domain import Portfolio, Program, Project, RaidItem, StatusReport, WorkItem
    from .._workspace import Workspace

_START = date(2025, 1, 6)
_FINISH = date(2025, 12, 19)


def _entity(kind: str, defaults: dict[str, Any], workspace: Workspace | None) -> Any:
    from .._domain import entity_class

    if workspace is not None:
        # Through create(), so the workspace's own defaults and checks apply (parent exists,
        # hierarchy, custom fields, default methodology).
        return workspace.create(kind, **defaults)
    return entity_class(kind).model_validate({**defaults, "kind": kind})


def _budget(amount: str, overrides: dict[str, Any]) -> str | None:
    if "budget" in overrides:
        return None
    return f"{amount} {overrides.get('currency', 'EUR')}"


def make_portfolio(
    id: str = "PF1", *, workspace: Workspace | None = None, **overrides: Any
) -> Portfolio:
    """A portfolio (name, manager set); stored in ``workspace`` when given.

    Example::

        pf = make_portfolio("PF1", name="Digital")
        make_portfolio(workspace=ws)  # created in ws and returned as stored
    """
    fields: dict[str, Any] = {"id": id, "name": f"Portfolio {id}", "manager": "Kim Portfolio"}
    result: Portfolio = _entity("portfolio", {**fields, **overrides}, workspace)
    return result


def make_program(
    id: str = "PG1",
    parent: str | None = None,
    *,
    workspace: Workspace | None = None,
    **overrides: Any,
) -> Program:
    """A program (name, sponsor, manager, planned dates set); stored in ``workspace`` when given.

    Example::

        make_program("CX", parent="PF", workspace=ws)
    """
    fields: dict[str, Any] = {
        "id": id,
        "name": f"Program {id}",
        "parent": parent,
        "sponsor": "Dana Sponsor",
        "manager": "Lee Program",
        "planned_start": _START,
        "planned_finish": _FINISH,
    }
    result: Program = _entity("program", {**fields, **overrides}, workspace)
    return result


def make_project(
    id: str = "P1",
    parent: str | None = None,
    *,
    workspace: Workspace | None = None,
    **overrides: Any,
) -> Project:
    """A project with a sponsor, a manager, planned dates and a budget of 100000.00 EUR
    (in ``currency`` when that is overridden); stored in ``workspace`` when given.

    Example::

        make_project("ALPHA", parent="PF1", tier=1, sponsor=None)
        make_project("P1", parent="PF", workspace=ws, manager="Kim Park")
    """
    fields: dict[str, Any] = {
        "id": id,
        "name": f"Project {id}",
        "parent": parent,
        "sponsor": "Dana Sponsor",
        "manager": "Pat Manager",
        "planned_start": _START,
        "planned_finish": _FINISH,
    }
    budget = _budget("100000.00", overrides)
    if budget is not None:
        fields["budget"] = budget
    result: Project = _entity("project", {**fields, **overrides}, workspace)
    return result


def _child(record: Any, workspace: Workspace | None) -> Any:
    return record if workspace is None else workspace.add(record)


def make_work_item(
    project: str = "P1", *, workspace: Workspace | None = None, **overrides: Any
) -> WorkItem:
    """A work item of ``project``: 'Design', Jan 6 to Mar 28 2025, budget 10000.00 EUR,
    0 % complete; stored in ``workspace`` when given.

    Example::

        make_work_item("P1", subject="Build", percent_complete=40)
    """
    from .._domain import WorkItem

    fields: dict[str, Any] = {
        "project": project,
        "subject": "Design",
        "start": _START,
        "due": date(2025, 3, 28),
        "percent_complete": 0,
    }
    budget = _budget("10000.00", overrides)
    if budget is not None:
        fields["budget"] = budget
    result: WorkItem = _child(WorkItem.model_validate({**fields, **overrides}), workspace)
    return result


def make_risk(
    entity: str = "P1", *, workspace: Workspace | None = None, **overrides: Any
) -> RaidItem:
    """An open risk of ``entity`` (probability 3, impact 4, owned by 'Sam Owner');
    stored in ``workspace`` when given.

    Example::

        make_risk("P1", probability=5, impact=5).is_high  # True
    """
    from .._domain import RaidItem

    fields: dict[str, Any] = {
        "type": "risk",
        "entity": entity,
        "title": "Supplier may deliver late",
        "owned_by": "Sam Owner",
        "probability": 3,
        "impact": 4,
        "raised_on": date(2025, 1, 15),
        "response": "Line up a second supplier",
    }
    result: RaidItem = _child(RaidItem.model_validate({**fields, **overrides}), workspace)
    return result


def make_status_report(
    entity: str = "P1", *, workspace: Workspace | None = None, **overrides: Any
) -> StatusReport:
    """A green status report of ``entity`` as of 2025-03-31 by 'Pat Manager';
    stored in ``workspace`` when given.

    Example::

        make_status_report("P1", overall="amber", dimensions={"cost": "amber"})
    """
    from .._domain import StatusReport

    fields: dict[str, Any] = {
        "entity": entity,
        "as_of": date(2025, 3, 31),
        "overall": "green",
        "dimensions": {"schedule": "green", "cost": "green"},
        "summary": "On track.",
        "author": "Pat Manager",
    }
    result: StatusReport = _child(StatusReport.model_validate({**fields, **overrides}), workspace)
    return result
