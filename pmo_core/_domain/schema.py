"""The registry of stored models, lookup by store kind, and the domain's JSON Schema."""

from __future__ import annotations

from typing import Any

from .._errors import InvalidInputError
from ._base import DomainModel
from .artifacts import Artifact
from .benefits import Benefit, BenefitMeasurement
from .entities import Portfolio, Program, Project
from .finance import BudgetLine, CostEntry, Forecast
from .gates import GateDecision
from .lessons import LessonLearned
from .objectives import Alignment, Objective
from .office import Assessment, PmoCost, SurveyResponse
from .planning import Baseline, Milestone, WorkItem
from .raid import RaidItem
from .refs import ExternalRef
from .resources import Allocation, Resource
from .roles import RoleAssignment
from .stakeholders import Stakeholder
from .status import StatusReport
from .sync import SyncConflict, SyncRun
from .waivers import Waiver

#: Every stored model, in a fixed order (entities first, then what hangs off them).
DOMAIN_MODELS: tuple[type[DomainModel], ...] = (
    Portfolio,
    Program,
    Project,
    Objective,
    Alignment,
    Milestone,
    WorkItem,
    Baseline,
    BudgetLine,
    CostEntry,
    Forecast,
    Resource,
    Allocation,
    RaidItem,
    Stakeholder,
    StatusReport,
    GateDecision,
    LessonLearned,
    ExternalRef,
    SyncRun,
    SyncConflict,
    Artifact,
    RoleAssignment,
    Waiver,
    Assessment,
    SurveyResponse,
    PmoCost,
    Benefit,
    BenefitMeasurement,
)

_BY_KIND: dict[str, type[DomainModel]] = {model.store_kind: model for model in DOMAIN_MODELS}

#: The store kinds, in the order of :data:`DOMAIN_MODELS`.
STORE_KINDS: tuple[str, ...] = tuple(_BY_KIND)


def model_for_kind(store_kind: str) -> type[DomainModel]:
    """Return the model stored under ``store_kind``; InvalidInputError for an unknown kind.

    Example::

        model_for_kind("raid")  # RaidItem
        model_for_kind("raid").from_document(doc, version=2)
    """
    try:
        return _BY_KIND[store_kind]
    except KeyError:
        raise InvalidInputError(
            f"unknown store kind {store_kind!r}; expected one of {', '.join(STORE_KINDS)}"
        ) from None


def domain_json_schema() -> dict[str, Any]:
    """Return one JSON Schema document describing every stored model and the values they hold.

    Each model (and Money, Rag, ...) is under ``$defs`` by its class name.

    Example::

        schema = domain_json_schema()
        schema["title"]                      # "pmo-core domain model"
        sorted(schema["$defs"])[:3]          # ["Alignment", "Allocation", "Approval"]
    """
    # Imported here: building schemas is rare and pulls in pydantic's schema generator.
    from pydantic.json_schema import models_json_schema

    _, schema = models_json_schema(
        [(model, "validation") for model in DOMAIN_MODELS],
        title="pmo-core domain model",
        description="The records pmo-core stores; the JSON form of each is its to_document().",
    )
    return schema
