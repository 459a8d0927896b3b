"""Benefits and their measurements. They belong to the workspace, not to a project: a benefit
is realised in the business after the projects that enable it have closed, so it must outlive
them (a closed project's plan is read-only; its benefits keep being measured)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, Name, RecordId, Text, ValueModel

#: The longest text a measured value may be given as (a decimal: digits, sign, point, exponent).
VALUE_MAX_LENGTH = 40


def _value_text(value: Any) -> Any:
    # A value given as text is bounded like every other string the domain reads.
    if isinstance(value, str) and len(value.strip()) > VALUE_MAX_LENGTH:
        raise ValueError(f"a value is at most {VALUE_MAX_LENGTH} characters")
    return value


def _value_range(value: Decimal) -> Decimal:
    # Realisation divides and multiplies these: keep them where Decimal arithmetic is exact
    # enough and cannot overflow (no measure of a benefit needs more).
    if value != 0 and not -12 <= value.adjusted() < 15:
        raise ValueError("a value is between 1e-12 and 1e15 in size, or 0")
    return value


#: A value of a benefit's measure, in its unit: a finite decimal (a number, or its text),
#: 0 or between 1e-12 and 1e15 in size.
Value = Annotated[
    Decimal,
    BeforeValidator(_value_text),
    Field(allow_inf_nan=False),
    AfterValidator(_value_range),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {
                    "type": "string",
                    "maxLength": VALUE_MAX_LENGTH,
                    "pattern": r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$",
                },
            ]
        }
    ),
]


class BenefitPoint(ValueModel):
    """A point of a benefit's planned profile: the value the measure should have on ``on``.

    Example::

        BenefitPoint(on=date(2026, 6, 30), value=Decimal("90"))
    """

    on: date
    value: Value


class Benefit(DomainModel):
    """A benefit (or, with ``dis_benefit``, a dis-benefit) in the benefits register.

    ``measure`` names what is measured and ``unit`` its unit (``EUR``, ``%``, ``hours``);
    ``baseline`` is its value on ``baseline_on``, ``target`` the value planned for
    ``target_on`` (above or below the baseline: a cost to cut has a target below it).
    ``profile`` holds the planned values in between, in date order; between two points the
    plan is a straight line. ``projects`` (and programs) enable it and ``objectives`` are the
    strategic objectives it serves; ``portfolio`` is the portfolio that tracks it. A
    dis-benefit is a consequence someone sees as negative (a new licence fee, slower
    approvals): its target is the most the organisation expects to bear.

    The record belongs to no entity, so closing or killing its projects leaves it tracked.

    Example::

        Benefit(name="Cheaper invoice handling", owned_by="Dana Ruiz", measure="Cost per invoice",
                unit="EUR", baseline=Decimal("12"), baseline_on=date(2026, 1, 1),
                target=Decimal("8"), target_on=date(2026, 12, 31), portfolio="PF",
                projects=("LEDGER",))
    """

    store_kind = "benefit"

    name: Name
    description: Text = ""
    owned_by: Line = ""
    measure: Name
    unit: Line = ""
    baseline: Value
    baseline_on: date
    target: Value
    target_on: date
    profile: tuple[BenefitPoint, ...] = ()
    dis_benefit: bool = False
    portfolio: Key | None = None
    projects: tuple[Key, ...] = ()
    objectives: tuple[RecordId, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.target == self.baseline:
            raise ValueError("target must differ from baseline (nothing to realise)")
        if self.target_on <= self.baseline_on:
            raise ValueError(
                f"target_on {self.target_on} is not after baseline_on {self.baseline_on}"
            )
        days = [self.baseline_on, *(p.on for p in self.profile), self.target_on]
        if any(b <= a for a, b in pairwise(days)):
            raise ValueError(
                "profile dates must be after baseline_on, before target_on, in order, one per date"
            )
        return self


class BenefitMeasurement(DomainModel):
    """One measurement of a benefit's measure: ``value`` (in the benefit's unit) on ``on``.

    The id is derived as ``"{benefit}:{on}"``: a benefit has one measurement a day, and
    measuring it again that day corrects it (the journal keeps the value it replaced).

    Example::

        BenefitMeasurement(benefit="3f2a9c01be77", on=date(2026, 6, 30), value=Decimal("10.5"),
                           measured_by="Finance", note="Q2 close").id  # "3f2a9c01be77:2026-06-30"
    """

    store_kind = "benefit_measurement"
    _derived_fields = frozenset({"id"})

    id: RecordId = ""
    benefit: RecordId
    on: date
    value: Value
    measured_by: Line = ""
    note: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id"):
            benefit, on = (str(data.get(name, "")).strip() for name in ("benefit", "on"))
            return {**data, "id": f"{benefit}:{on}"}
        return data

    @model_validator(mode="after")
    def _check_id(self) -> Self:
        expected = f"{self.benefit}:{self.on.isoformat()}"
        if self.id != expected:
            raise ValueError(f"id must be {expected!r} (benefit:date), got {self.id!r}")
        return self


__all__ = ["Benefit", "BenefitMeasurement", "BenefitPoint"]
