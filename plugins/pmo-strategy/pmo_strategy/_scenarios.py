"""Named what-if selection scenarios, stored in the workspace's store (kind
``strategy_scenario``, journaled): the parameters of a selection and its last result, compared
side by side and turned into decisions through the governance flow."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pmo_core import InvalidInputError, Money, NotFoundError, Workspace

from ._candidates import selection_input
from ._selection import Selection, select

#: The store kind of scenarios, named under the plugin id so no core or other plugin's kind
#: can clash with it.
KIND = "strategy_scenario"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class ScenarioResult(BaseModel):
    """A scenario's last result: when it was solved, the value, the chosen and left-out
    proposals (with the reason), the spend per year and the binding limits.

    Example::

        ScenarioResult(solved_on=date(2027, 1, 4), value=Decimal(272), currency="EUR",
                       chosen=("CRM",), left_out={"ERP": "budget 2027: ..."},
                       spend={2027: Decimal(1000)}, binding=("budget 2027",))
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    solved_on: date
    value: Decimal
    currency: str
    chosen: tuple[str, ...]
    left_out: dict[str, str] = Field(default_factory=dict)
    spend: dict[int, Decimal] = Field(default_factory=dict)
    binding: tuple[str, ...] = ()


class Scenario(BaseModel):
    """A named set of selection parameters: the portfolio or program (``under``), the scoring
    model, the budgets by year (empty: ``[settings.strategy]``), proposals forced in or out,
    whether capacity counts; with its last result and the day it was decided.

    Example::

        Scenario(name="lean", under="PF", budgets={2027: "900000 EUR"}, forced_out=("TMS",))
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=_NAME.pattern)
    under: str
    model: str | None = None
    budgets: dict[int, Money] = Field(default_factory=dict)
    forced_in: tuple[str, ...] = ()
    forced_out: tuple[str, ...] = ()
    capacity: bool = True
    description: str = ""
    result: ScenarioResult | None = None
    decided_on: date | None = None
    version: int = 0

    @field_validator("budgets", mode="before")
    @classmethod
    def _money(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: Money.parse(v) if not isinstance(v, Money) else v for k, v in value.items()}
        return value


def _data(scenario: Scenario) -> dict[str, Any]:
    data: dict[str, Any] = scenario.model_dump(mode="json", exclude={"version"})
    data["budgets"] = {str(y): str(m) for y, m in scenario.budgets.items()}
    return data


def _load(doc_data: dict[str, Any], version: int, name: str) -> Scenario:
    try:
        return Scenario.model_validate({**doc_data, "version": version})
    except ValidationError as exc:  # written by hand into the store
        raise InvalidInputError(f"scenario {name!r} is not valid: {exc}", where="NAME") from exc


def run_scenario(ws: Workspace, scenario: Scenario) -> tuple[Selection, ScenarioResult]:
    """Solve ``scenario`` on the workspace as it is now; returns the selection and the result
    to store.

    Example::

        selection, result = run_scenario(ws, Scenario(name="base", under="PF"))
    """
    found = selection_input(
        ws,
        scenario.under,
        model=scenario.model,
        budgets=scenario.budgets or None,
        capacity=scenario.capacity,
        forced_in=scenario.forced_in,
        forced_out=scenario.forced_out,
    )
    selection = select(found.candidates, found.limits)
    result = ScenarioResult(
        solved_on=ws.today(),
        value=selection.value,
        currency=found.currency,
        chosen=selection.chosen,
        left_out=dict(selection.left_out),
        spend=dict(selection.spend),
        binding=tuple(c.name for c in selection.binding),
    )
    return selection, result


def add_scenario(ws: Workspace, scenario: Scenario, *, replace: bool = False) -> Scenario:
    """Solve ``scenario`` and store it with its result (journaled); with ``replace`` one of
    that name is replaced, else it is an error. An infeasible scenario is not stored.

    Example::

        add_scenario(ws, Scenario(name="lean", under="PF", budgets={2027: "900000 EUR"}))
    """
    current = ws.store.get(KIND, scenario.name)
    if current is not None and not replace:
        raise InvalidInputError(
            f"there is a scenario {scenario.name!r} already (--replace replaces it)", where="NAME"
        )
    _, result = run_scenario(ws, scenario)
    solved = scenario.model_copy(update={"result": result, "decided_on": None})
    data = _data(solved)
    with ws.transaction(f"scenario add {scenario.name}") as tx:
        if current is None:
            doc = tx.insert(KIND, scenario.name, data)
        else:
            doc = tx.update(KIND, scenario.name, data, expected_version=current.version)
    return _load(doc.data, doc.version, scenario.name)


def scenarios(ws: Workspace) -> list[Scenario]:
    """The stored scenarios, by name.

    Example::

        [s.name for s in scenarios(ws)]  # ['base', 'lean']
    """
    found = [_load(d.data, d.version, d.id) for d in ws.store.query(KIND)]
    return sorted(found, key=lambda s: s.name)


def scenario(ws: Workspace, name: str) -> Scenario:
    """The scenario ``name``; :class:`~pmo_core.NotFoundError` if there is none.

    Example::

        scenario(ws, "lean").result.value  # Decimal('257')
    """
    doc = ws.store.get(KIND, name)
    if doc is None:
        raise NotFoundError(f"no scenario {name!r}")
    return _load(doc.data, doc.version, name)


def remove_scenario(ws: Workspace, name: str) -> Scenario:
    """Remove the scenario ``name`` (journaled); returns what it was.

    Example::

        remove_scenario(ws, "lean")
    """
    found = scenario(ws, name)
    with ws.transaction(f"scenario remove {name}") as tx:
        tx.delete(KIND, name, expected_version=found.version)
    return found


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side: each one's value, spend and chosen set, the proposals every
    one chooses, and for each proposal chosen by some but not all, which choose it.

    Example::

        c = compare_scenarios(ws, ["base", "lean"])
        c.common, c.differences  # (('CRM',), {'ERP': ('base',)})
    """

    scenarios: tuple[Scenario, ...]
    common: tuple[str, ...]
    differences: dict[str, tuple[str, ...]]


def compare_scenarios(ws: Workspace, names: Sequence[str]) -> Comparison:
    """Compare two scenarios or more by their last results.

    Example::

        compare_scenarios(ws, ["base", "lean"]).differences
    """
    if len(names) < 2:
        raise InvalidInputError("compare needs two scenarios or more", where="NAMES")
    found = tuple(scenario(ws, n) for n in names)
    for s in found:
        if s.result is None:
            raise InvalidInputError(f"scenario {s.name!r} has no result", where=s.name)
    sets = {s.name: set(s.result.chosen) for s in found if s.result is not None}
    every = sorted(set.union(*sets.values()))
    common = tuple(k for k in every if all(k in c for c in sets.values()))
    differences = {k: tuple(n for n in names if k in sets[n]) for k in every if k not in common}
    return Comparison(found, common, differences)


@dataclass(frozen=True)
class Decision:
    """What deciding a scenario did to one proposal: ``requested`` (its first gate requested
    for the board, the RAID action's id in ``record``), ``rejected`` (a decision recorded on
    it: not selected) or ``skipped`` (no longer proposed; ``note`` says why).

    Example::

        Decision("CRM", "requested", "3f2a...", "gate G1")
    """

    key: str
    action: str
    record: str
    note: str


def decide_scenario(ws: Workspace, name: str, *, comment: str = "") -> list[Decision]:
    """Turn the scenario's selection into decisions through the governance flow, as a board
    would: solve it again on today's workspace (so the decision is on current figures), then
    request the first gate of every selected proposal (never passing it: the gate's
    approvers decide with ``pmo gate decide``) and record a decision "not selected" on every
    proposal left out, with the reason. Proposals no longer proposed are skipped.

    Example::

        [(d.key, d.action) for d in decide_scenario(ws, "lean")]
        # [('CRM', 'requested'), ('ERP', 'rejected')]
    """
    found = scenario(ws, name)
    _, result = run_scenario(ws, found)
    view = ws.view()
    # Check every gate before writing anything: one missing gate stops the whole decision.
    for key in result.chosen:
        check = ws.gate_check(key)
        if check.gate is None:
            raise InvalidInputError(
                f"no gate to request ({'; '.join(check.notes)}); give it a methodology",
                where=key,
            )
    decisions = []
    note = f"Selected in scenario {name}" + (f": {comment}" if comment else "")
    for key in result.chosen:
        if view.entity(key).lifecycle != "proposed":
            decisions.append(Decision(key, "skipped", "", "no longer proposed"))
            continue
        item = ws.request_gate(key, note=note)
        gate = ws.gate_check(key).gate or ""
        decisions.append(Decision(key, "requested", item.id, f"gate {gate}".strip()))
    for key, reason in result.left_out.items():
        if view.entity(key).lifecycle != "proposed":
            decisions.append(Decision(key, "skipped", "", "no longer proposed"))
            continue
        item = ws.add_raid(
            key,
            "decision",
            f"Not selected in scenario {name}",
            description=f"Left out: {reason}." + (f" {comment}" if comment else ""),
            command="scenario decide",
        )
        decisions.append(Decision(key, "rejected", item.id, reason))
    decided = found.model_copy(update={"result": result, "decided_on": ws.today()})
    with ws.transaction(f"scenario decide {name}") as tx:
        tx.update(KIND, name, _data(decided), expected_version=found.version)
    return decisions


__all__ = [
    "KIND",
    "Comparison",
    "Decision",
    "Scenario",
    "ScenarioResult",
    "add_scenario",
    "compare_scenarios",
    "decide_scenario",
    "remove_scenario",
    "run_scenario",
    "scenario",
    "scenarios",
]
