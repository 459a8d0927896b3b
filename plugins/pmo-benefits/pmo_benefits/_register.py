"""The benefits register on a workspace: add a benefit, record a measurement, list and find
benefits, and measure their realisation. Benefits belong to no project, so a closed project's
benefits stay in the register and keep being measured."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from pmo_core import (
    Benefit,
    BenefitMeasurement,
    BenefitPoint,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    Objective,
    Workspace,
    WorkspaceView,
)

from ._realisation import BenefitRiskSettings, Realisation, realisation

RULE = "benefit-at-risk"


def _validated(model: type[Any], data: dict[str, Any], where: str) -> Any:
    # One error, named by the field at fault: a whole-record check names the field its
    # message is about (target, target_on, profile), else the record.
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = str(error["msg"]).removeprefix("Value error, ")
        field = str(error["loc"][0]) if error["loc"] else where
        if not error["loc"]:
            field = next((f for f in _CHECKED if message.startswith(f)), where)
        raise InvalidInputError(message, where=field) from None


#: The fields a whole-record check of a benefit names first in its message.
_CHECKED = ("target_on", "target", "profile")


def add_benefit(
    ws: Workspace,
    name: str,
    *,
    measure: str,
    baseline: Decimal | int | str,
    target: Decimal | int | str,
    baseline_on: date,
    target_on: date,
    unit: str = "",
    owned_by: str = "",
    description: str = "",
    profile: Iterable[tuple[date, Decimal | int | str]] = (),
    dis_benefit: bool = False,
    portfolio: str | None = None,
    projects: Sequence[str] = (),
    objectives: Sequence[str] = (),
) -> Benefit:
    """Add a benefit (or a dis-benefit) to the register. The portfolio, projects (or programs)
    and objectives it names must exist; nothing is written otherwise.

    Example::

        benefit = add_benefit(ws, "Cheaper invoices", measure="Cost per invoice", unit="EUR",
                              baseline=12, target=8, baseline_on=date(2026, 1, 1),
                              target_on=date(2026, 12, 31), portfolio="PF", projects=["LEDGER"])
    """
    _check_refs(ws.view(), portfolio, projects, objectives)
    data = {
        "name": name,
        "measure": measure,
        "unit": unit,
        "owned_by": owned_by,
        "description": description,
        "baseline": str(baseline),
        "baseline_on": baseline_on,
        "target": str(target),
        "target_on": target_on,
        "profile": [{"on": on, "value": str(value)} for on, value in profile],
        "dis_benefit": dis_benefit,
        "portfolio": portfolio,
        "projects": tuple(projects),
        "objectives": tuple(objectives),
    }
    benefit: Benefit = _validated(Benefit, data, "benefit")
    return ws.add(benefit, command="benefit add")


def _check_refs(
    view: WorkspaceView, portfolio: str | None, projects: Sequence[str], objectives: Sequence[str]
) -> None:
    """The portfolio, projects (or programs) and objectives a benefit names exist."""
    if portfolio is not None:
        found = view.find(portfolio)
        if found is None or found.kind != "portfolio":
            raise InvalidInputError(f"no portfolio {portfolio!r}", where="portfolio")
    for key in projects:
        found = view.find(key)
        if found is None or found.kind == "portfolio":
            raise InvalidInputError(f"no project or program {key!r}", where="projects")
    known = {o.id for o in view.records(Objective)}
    for objective in objectives:
        if objective not in known:
            raise InvalidInputError(f"no objective {objective!r}", where="objectives")


#: The fields of a benefit :func:`update_benefit` changes.
UPDATABLE = (
    "name",
    "measure",
    "unit",
    "owned_by",
    "description",
    "baseline",
    "baseline_on",
    "target",
    "target_on",
    "profile",
    "dis_benefit",
    "portfolio",
    "projects",
    "objectives",
)


def update_benefit(ws: Workspace, benefit: str, **changes: Any) -> Benefit:
    """Change fields of a benefit (by id or unique name): any of :data:`UPDATABLE`, each
    replacing the stored value (``profile`` as ``(date, value)`` pairs). The portfolio,
    projects and objectives it names must exist and the result is validated as a whole
    (target date after the baseline's, profile in between); nothing is written otherwise.
    Its measurements stay: a corrected baseline or target re-reads them.

    Example::

        update_benefit(ws, "Cheaper invoices", target="7.5", owned_by="Sam Roe")
    """
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise InvalidInputError(
            f"a benefit has no field {unknown[0]!r} to change (fields: {', '.join(UPDATABLE)})",
            where=unknown[0],
        )
    view = ws.view()
    found = find_benefit(view, benefit)
    if not changes:
        raise InvalidInputError(f"nothing to change on {found.name} ({found.id})", where="benefit")
    data = found.to_document(every_field=True)
    data.update({k: v for k, v in changes.items() if k != "profile"})
    if "profile" in changes:
        data["profile"] = [{"on": on, "value": str(value)} for on, value in changes["profile"]]
    for key in ("baseline", "target"):
        if key in changes:
            data[key] = str(changes[key])
    _check_refs(
        view, data.get("portfolio"), data.get("projects") or (), data.get("objectives") or ()
    )
    data["version"] = found.version
    changed: Benefit = _validated(Benefit, {**data, "id": found.id}, "benefit")
    return ws.replace(changed)


@dataclass(frozen=True)
class RemovedBenefit:
    """What :func:`remove_benefit` removed: the benefit and its measurements.

    Example::

        removed = remove_benefit(ws, "Cheaper invoices", force=True)
        removed.benefit.name, len(removed.measurements)  # ('Cheaper invoices', 2)
    """

    benefit: Benefit
    measurements: tuple[BenefitMeasurement, ...]


def remove_benefit(ws: Workspace, benefit: str, *, force: bool = False) -> RemovedBenefit:
    """Remove a benefit (by id or unique name) from the register. A measured benefit is
    history (realisation already reported) and is refused (:class:`~pmo_core.ConflictError`,
    nothing written) unless ``force``, which removes its measurements with it in one
    transaction. The journal keeps every removed record as it was.

    Example::

        remove_benefit(ws, "Duplicate entry")                       # never measured
        remove_benefit(ws, "Cheaper invoices", force=True).measurements
    """
    view = ws.view()
    found = find_benefit(view, benefit)
    taken = measurements(view, found.id)
    if taken and not force:
        raise ConflictError(
            f"{found.name} ({found.id}) has {len(taken)} measurement(s), from {taken[0].on} "
            f"to {taken[-1].on}: remove them with it (--force), or keep the benefit"
        )
    with ws.transaction(f"benefit remove {found.id}") as tx:
        for m in taken:
            tx.delete(m.store_kind, m.id, expected_version=m.version)
        tx.delete(found.store_kind, found.id, expected_version=found.version)
    return RemovedBenefit(found, tuple(taken))


def benefits(view: WorkspaceView, *, scope: str | None = None) -> list[Benefit]:
    """The benefits of the register, by name; with ``scope``, those of a portfolio, program or
    project: tracked by it, or enabled by a project (or program) at or below it, whatever
    state that project is in (closed and killed ones too).

    Example::

        [b.name for b in benefits(ws.view(), scope="PF")]
    """
    found = view.records(Benefit)
    if scope is not None:
        entity = view.entity(scope)
        below = {entity.id, *(e.id for e in view.entities(under=entity.id, include_archived=True))}
        objectives = {o.id for o in view.records(Objective) if o.portfolio in below}
        found = [
            b
            for b in found
            if b.portfolio in below
            or any(p in below for p in b.projects)
            or any(o in objectives for o in b.objectives)
        ]
    return sorted(found, key=lambda b: (b.name.casefold(), b.id))


def find_benefit(view: WorkspaceView, ref: str) -> Benefit:
    """A benefit by id, or by its name when exactly one benefit has it;
    :class:`~pmo_core.NotFoundError` otherwise.

    Example::

        find_benefit(ws.view(), "Cheaper invoices").measure  # 'Cost per invoice'
    """
    by_id = view.get(Benefit, ref)
    if by_id is not None:
        return by_id
    named = [b for b in view.records(Benefit) if b.name == ref]
    if len(named) == 1:
        return named[0]
    if named:
        raise InvalidInputError(
            f"{len(named)} benefits are named {ref!r}; give the id", where="BENEFIT"
        )
    raise NotFoundError(f"no benefit {ref!r}")


def measurements(view: WorkspaceView, benefit: str) -> list[BenefitMeasurement]:
    """The measurements of a benefit (by id), in date order.

    Example::

        [(m.on, m.value) for m in measurements(ws.view(), benefit.id)]
    """
    found = [m for m in view.records(BenefitMeasurement) if m.benefit == benefit]
    return sorted(found, key=lambda m: m.on)


def record_measurement(
    ws: Workspace,
    benefit: str,
    value: Decimal | int | str,
    *,
    on: date | None = None,
    measured_by: str = "",
    note: str = "",
) -> BenefitMeasurement:
    """Record a measurement of a benefit (by id or unique name) taken on ``on`` (default: the
    workspace's today); a second one the same day corrects the first. A benefit whose
    projects have closed is measured like any other.

    Example::

        record_measurement(ws, benefit.id, "10.5", on=date(2026, 6, 30), measured_by="Finance")
    """
    found = find_benefit(ws.view(), benefit)
    data = {
        "benefit": found.id,
        "on": on or ws.today(),
        "value": str(value),
        "measured_by": measured_by,
        "note": note,
    }
    measurement: BenefitMeasurement = _validated(BenefitMeasurement, data, "measurement")
    stored = ws.view().get(BenefitMeasurement, measurement.id)
    if stored is not None:  # one a day: measuring again corrects it
        return ws.replace(
            stored.replace(value=measurement.value, measured_by=measured_by, note=note)
        )
    return ws.add(measurement, command="benefit measure")


def tracking_portfolio(view: WorkspaceView, benefit: Benefit) -> str | None:
    """The portfolio whose rule ``benefit-at-risk`` judges the benefit: its ``portfolio``, else
    the portfolio of the first of its projects (or objectives) that has one, else ``None``.

    Example::

        tracking_portfolio(ws.view(), benefit)  # 'PF'
    """
    if benefit.portfolio is not None and view.find(benefit.portfolio) is not None:
        return benefit.portfolio
    for key in benefit.projects:
        if view.find(key) is None:
            continue
        for above in view.ancestor_ids(key):
            found = view.find(above)
            if found is not None and found.kind == "portfolio":
                return found.id
    objectives = {o.id: o.portfolio for o in view.records(Objective)}
    for objective in benefit.objectives:
        if objective in objectives and view.find(objectives[objective]) is not None:
            return objectives[objective]
    return None


def risk_settings(ws: Workspace, benefit: Benefit) -> BenefitRiskSettings:
    """The thresholds of ``benefit-at-risk`` in force for the portfolio that tracks the
    benefit (:func:`tracking_portfolio`; the defaults when there is none).

    Example::

        risk_settings(ws, benefit).at_risk_below  # Decimal("80")
    """
    key = tracking_portfolio(ws.view(), benefit)
    if key is None:
        return BenefitRiskSettings()
    settings = ws.rule_settings(RULE, key)
    return settings if isinstance(settings, BenefitRiskSettings) else BenefitRiskSettings()


def benefit_realisation(ws: Workspace, benefit: str, on: date | None = None) -> Realisation:
    """The realisation of a benefit (by id or unique name) on ``on`` (default: today), with
    the thresholds in force for it.

    Example::

        benefit_realisation(ws, "Cheaper invoices").of_target  # Decimal("37.5")
    """
    view = ws.view()
    found = find_benefit(view, benefit)
    day = on or ws.today()
    return realisation(found, measurements(view, found.id), day, risk_settings(ws, found))


__all__ = [
    "UPDATABLE",
    "BenefitPoint",
    "RemovedBenefit",
    "add_benefit",
    "benefit_realisation",
    "benefits",
    "find_benefit",
    "measurements",
    "record_measurement",
    "remove_benefit",
    "risk_settings",
    "tracking_portfolio",
    "update_benefit",
]
