"""The pmo-core domain model: entities, the records around them, money and vocabularies.

Every stored record is a frozen :class:`DomainModel` with an ``id``, a store ``version`` and a
``store_kind``; values embedded in records (money, overrides, criteria) are frozen too.
"""

from ._base import KEY_PATTERN, DomainModel, ValueModel, new_id
from .artifacts import Artifact, ArtifactReview
from .benefits import Benefit, BenefitMeasurement, BenefitPoint
from .entities import (
    ENDED,
    ENTITY_KINDS,
    LIFECYCLES,
    Entity,
    EntityKind,
    Lifecycle,
    Portfolio,
    Program,
    Project,
    ancestors_of,
    check_hierarchy,
    entity_class,
)
from .finance import BudgetLine, CostEntry, Forecast
from .gates import Approval, CriterionResult, GateDecision
from .lessons import LessonLearned
from .money import Money
from .objectives import Alignment, Objective
from .office import Assessment, PmoCost, SurveyResponse
from .planning import (
    Baseline,
    BaselineItem,
    Milestone,
    ProgressCorrection,
    ProgressPoint,
    StatusChange,
    WorkItem,
    WorkItemLink,
)
from .raid import (
    ChangeAssessment,
    EscalationStep,
    RaidItem,
    Reopening,
    ScoreChange,
    not_applicable,
)
from .refs import ExternalRef
from .resources import Allocation, Availability, Rate, Resource
from .roles import Role, RoleAssignment, role_name
from .schema import DOMAIN_MODELS, STORE_KINDS, domain_json_schema, model_for_kind
from .stakeholders import Stakeholder
from .status import DIMENSIONS, Rag, RagOverride, Status, StatusReport
from .sync import CONFLICT_POLICIES, ConflictPolicy, SyncConflict, SyncRun
from .tailoring import Tailoring
from .waivers import Waiver

__all__ = [
    "CONFLICT_POLICIES",
    "DIMENSIONS",
    "DOMAIN_MODELS",
    "ENDED",
    "ENTITY_KINDS",
    "KEY_PATTERN",
    "LIFECYCLES",
    "STORE_KINDS",
    "Alignment",
    "Allocation",
    "Approval",
    "Artifact",
    "ArtifactReview",
    "Assessment",
    "Availability",
    "Baseline",
    "BaselineItem",
    "Benefit",
    "BenefitMeasurement",
    "BenefitPoint",
    "BudgetLine",
    "ChangeAssessment",
    "ConflictPolicy",
    "CostEntry",
    "CriterionResult",
    "DomainModel",
    "Entity",
    "EntityKind",
    "EscalationStep",
    "ExternalRef",
    "Forecast",
    "GateDecision",
    "LessonLearned",
    "Lifecycle",
    "Milestone",
    "Money",
    "Objective",
    "PmoCost",
    "Portfolio",
    "Program",
    "ProgressCorrection",
    "ProgressPoint",
    "Project",
    "Rag",
    "RagOverride",
    "RaidItem",
    "Rate",
    "Reopening",
    "Resource",
    "Role",
    "RoleAssignment",
    "ScoreChange",
    "Stakeholder",
    "Status",
    "StatusChange",
    "StatusReport",
    "SurveyResponse",
    "SyncConflict",
    "SyncRun",
    "Tailoring",
    "ValueModel",
    "Waiver",
    "WorkItem",
    "WorkItemLink",
    "ancestors_of",
    "check_hierarchy",
    "domain_json_schema",
    "entity_class",
    "model_for_kind",
    "new_id",
    "not_applicable",
    "role_name",
]
