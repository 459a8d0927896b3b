"""pmo-core: the plugin framework and SDK for a project, program or portfolio management office.

This module is the public facade. Names load on first use (PEP 562), so ``import pmo_core``
and ``pmo --help`` stay fast; everything else lives in private modules.

Example::

    from pmo_core import PmoGovernanceRule, hookimpl

    @hookimpl
    def pmo_governance_rules():
        yield PmoGovernanceRule(name="sponsor-named", level="warn",
                                check=lambda ctx: None if ctx.entity.sponsor else "no sponsor")
"""

# Only underscored helper names here, so the module's namespace is exactly its public API.
# Two views of one list: the imports below (``X as X``) are what type checkers see, _EXPORTS
# is what runs; tests/core/test_public_api.py keeps them equal.
import importlib as _importlib
import typing as _typing

from ._version import __version__ as __version__

if _typing.TYPE_CHECKING:
    from . import hookspecs as hookspecs
    from ._cli import current_workspace as current_workspace
    from ._config import GovernanceTable as GovernanceTable
    from ._config import MetricsTable as MetricsTable
    from ._config import PluginsTable as PluginsTable
    from ._config import RuleScopeTable as RuleScopeTable
    from ._config import RuleTable as RuleTable
    from ._config import WorkspaceConfig as WorkspaceConfig
    from ._config import WorkspaceTable as WorkspaceTable
    from ._domain import (
        Alignment as Alignment,
    )
    from ._domain import (
        Allocation as Allocation,
    )
    from ._domain import (
        Approval as Approval,
    )
    from ._domain import (
        Artifact as Artifact,
    )
    from ._domain import (
        ArtifactReview as ArtifactReview,
    )
    from ._domain import (
        Assessment as Assessment,
    )
    from ._domain import (
        Availability as Availability,
    )
    from ._domain import (
        Baseline as Baseline,
    )
    from ._domain import (
        BaselineItem as BaselineItem,
    )
    from ._domain import (
        Benefit as Benefit,
    )
    from ._domain import (
        BenefitMeasurement as BenefitMeasurement,
    )
    from ._domain import (
        BenefitPoint as BenefitPoint,
    )
    from ._domain import (
        BudgetLine as BudgetLine,
    )
    from ._domain import (
        ChangeAssessment as ChangeAssessment,
    )
    from ._domain import (
        CostEntry as CostEntry,
    )
    from ._domain import (
        CriterionResult as CriterionResult,
    )
    from ._domain import (
        DomainModel as DomainModel,
    )
    from ._domain import (
        Entity as Entity,
    )
    from ._domain import (
        EscalationStep as EscalationStep,
    )
    from ._domain import (
        ExternalRef as ExternalRef,
    )
    from ._domain import (
        Forecast as Forecast,
    )
    from ._domain import (
        GateDecision as GateDecision,
    )
    from ._domain import (
        LessonLearned as LessonLearned,
    )
    from ._domain import (
        Milestone as Milestone,
    )
    from ._domain import (
        Money as Money,
    )
    from ._domain import (
        Objective as Objective,
    )
    from ._domain import (
        PmoCost as PmoCost,
    )
    from ._domain import (
        Portfolio as Portfolio,
    )
    from ._domain import (
        Program as Program,
    )
    from ._domain import (
        ProgressCorrection as ProgressCorrection,
    )
    from ._domain import (
        ProgressPoint as ProgressPoint,
    )
    from ._domain import (
        Project as Project,
    )
    from ._domain import (
        Rag as Rag,
    )
    from ._domain import (
        RagOverride as RagOverride,
    )
    from ._domain import (
        RaidItem as RaidItem,
    )
    from ._domain import (
        Rate as Rate,
    )
    from ._domain import (
        Reopening as Reopening,
    )
    from ._domain import (
        Resource as Resource,
    )
    from ._domain import (
        RoleAssignment as RoleAssignment,
    )
    from ._domain import (
        ScoreChange as ScoreChange,
    )
    from ._domain import (
        Stakeholder as Stakeholder,
    )
    from ._domain import (
        Status as Status,
    )
    from ._domain import (
        StatusChange as StatusChange,
    )
    from ._domain import (
        StatusReport as StatusReport,
    )
    from ._domain import (
        SurveyResponse as SurveyResponse,
    )
    from ._domain import (
        SyncConflict as SyncConflict,
    )
    from ._domain import (
        SyncRun as SyncRun,
    )
    from ._domain import (
        Tailoring as Tailoring,
    )
    from ._domain import (
        Waiver as Waiver,
    )
    from ._domain import (
        WorkItem as WorkItem,
    )
    from ._domain import (
        WorkItemLink as WorkItemLink,
    )
    from ._domain import (
        domain_json_schema as domain_json_schema,
    )
    from ._errors import (
        ConflictError as ConflictError,
    )
    from ._errors import (
        GovernanceBlockedError as GovernanceBlockedError,
    )
    from ._errors import (
        IncompatiblePluginError as IncompatiblePluginError,
    )
    from ._errors import (
        InvalidInputError as InvalidInputError,
    )
    from ._errors import (
        NotFoundError as NotFoundError,
    )
    from ._errors import (
        PluginError as PluginError,
    )
    from ._errors import (
        PmoDeprecationWarning as PmoDeprecationWarning,
    )
    from ._errors import (
        PmoError as PmoError,
    )
    from ._errors import (
        StoreError as StoreError,
    )
    from ._events import EntityChange as EntityChange
    from ._events import Escalation as Escalation
    from ._evm import EarnedValue as EarnedValue
    from ._evm import EvInputs as EvInputs
    from ._evm import accumulate as accumulate
    from ._evm import earned_value as earned_value
    from ._evm import rag_index as rag_index
    from ._evm import roll_up as roll_up
    from ._evm import worst as worst
    from ._maturity import AssessmentResult as AssessmentResult
    from ._maturity import Recommendation as Recommendation
    from ._metrics import ProjectMetrics as ProjectMetrics
    from ._metrics import measure_project as measure_project
    from ._metrics_scope import EndedMetrics as EndedMetrics
    from ._metrics_scope import ScopeMetrics as ScopeMetrics
    from ._metrics_scope import ScopeRow as ScopeRow
    from ._metrics_scope import measure_scope as measure_scope
    from ._metrics_series import SeriesPoint as SeriesPoint
    from ._plugins.host import PluginHost as PluginHost
    from ._plugins.index import PluginEntry as PluginEntry
    from ._plugins.policy import HostPolicy as HostPolicy
    from ._plugins.status import PluginStatus as PluginStatus

    # The record types: every name in a family module's __all__ (type checkers follow a
    # star import of a module, not of a package that star-imports its modules).
    from ._records._base import *  # noqa: F403
    from ._records.connectors import *  # noqa: F403
    from ._records.extensions import *  # noqa: F403
    from ._records.governance import *  # noqa: F403
    from ._records.methodology import *  # noqa: F403
    from ._records.reports import *  # noqa: F403
    from ._records.scoring import *  # noqa: F403
    from ._rollup import ScopeMember as ScopeMember
    from ._rollup import ScopeMembers as ScopeMembers
    from ._rollup import scope_members as scope_members
    from ._satisfaction import SatisfactionScore as SatisfactionScore
    from ._satisfaction import satisfaction_scores as satisfaction_scores
    from ._services.approvals import DecisionRight as DecisionRight
    from ._services.baselines import BaselineComparison as BaselineComparison
    from ._services.baselines import BaselineItemChange as BaselineItemChange
    from ._services.copying import CopyResult as CopyResult
    from ._services.copying import StoreSummary as StoreSummary
    from ._services.copying import copy_store as copy_store
    from ._services.diff import DiffItem as DiffItem
    from ._services.diff import ImportResult as ImportResult
    from ._services.gates import requested_gate as requested_gate
    from ._services.governance import Finding as Finding
    from ._services.governance import GateCheck as GateCheck
    from ._services.roles import RoleHolder as RoleHolder
    from ._services.settings import RuleOverride as RuleOverride
    from ._store.memory import MemoryStore as MemoryStore
    from ._store.protocol import (
        ANY as ANY,
    )
    from ._store.protocol import (
        KEEP as KEEP,
    )
    from ._store.protocol import (
        Change as Change,
    )
    from ._store.protocol import (
        Document as Document,
    )
    from ._store.protocol import (
        JournalEntry as JournalEntry,
    )
    from ._store.protocol import (
        ReadView as ReadView,
    )
    from ._store.protocol import (
        SearchHit as SearchHit,
    )
    from ._store.protocol import (
        Store as Store,
    )
    from ._store.protocol import (
        SupportsCopyIn as SupportsCopyIn,
    )
    from ._store.protocol import (
        Transaction as Transaction,
    )
    from ._store.protocol import (
        TransactionInfo as TransactionInfo,
    )
    from ._store.protocol import (
        VerifyResult as VerifyResult,
    )
    from ._store.protocol import (
        VersionReader as VersionReader,
    )
    from ._store.search import SearchQuery as SearchQuery
    from ._store.sqlite import SQLiteStore as SQLiteStore
    from ._text import escape_controls as escape_controls
    from ._tolerances import ToleranceCheck as ToleranceCheck
    from ._tolerances import ToleranceSettings as ToleranceSettings
    from ._tolerances import check_tolerances as check_tolerances
    from ._view import WorkspaceView as WorkspaceView
    from ._watermelons import Watermelon as Watermelon
    from ._watermelons import report_watermelons as report_watermelons
    from ._watermelons import watermelons as watermelons
    from ._workspace import Workspace as Workspace
    from .hookspecs import hookimpl as hookimpl

# Where each public name lives: module (relative to pmo_core) -> names. '' is a submodule;
# "*" stands for the module's own ``__all__`` (the record types: adding a record class to
# its family module's ``__all__`` is what makes it public).
_EXPORTS: dict[str, tuple[str, ...]] = {
    "hookspecs": ("hookimpl",),
    "": ("hookspecs",),
    "_domain": (
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
        "CostEntry",
        "CriterionResult",
        "DomainModel",
        "Entity",
        "EscalationStep",
        "ExternalRef",
        "Forecast",
        "GateDecision",
        "LessonLearned",
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
        "Waiver",
        "WorkItem",
        "WorkItemLink",
        "domain_json_schema",
    ),
    "_errors": (
        "ConflictError",
        "GovernanceBlockedError",
        "IncompatiblePluginError",
        "InvalidInputError",
        "NotFoundError",
        "PluginError",
        "PmoDeprecationWarning",
        "PmoError",
        "StoreError",
    ),
    "_events": ("EntityChange", "Escalation"),
    "_tolerances": ("ToleranceCheck", "ToleranceSettings", "check_tolerances"),
    "_evm": (
        "EarnedValue",
        "EvInputs",
        "accumulate",
        "earned_value",
        "rag_index",
        "roll_up",
        "worst",
    ),
    "_maturity": ("AssessmentResult", "Recommendation"),
    "_satisfaction": ("SatisfactionScore", "satisfaction_scores"),
    "_metrics": ("ProjectMetrics", "measure_project"),
    "_metrics_scope": ("EndedMetrics", "ScopeMetrics", "ScopeRow", "measure_scope"),
    "_metrics_series": ("SeriesPoint",),
    "_services.approvals": ("DecisionRight",),
    "_services.gates": ("requested_gate",),
    "_services.baselines": ("BaselineComparison", "BaselineItemChange"),
    "_services.copying": ("CopyResult", "StoreSummary", "copy_store"),
    "_services.diff": ("DiffItem", "ImportResult"),
    "_services.governance": ("Finding", "GateCheck"),
    "_services.roles": ("RoleHolder",),
    "_services.settings": ("RuleOverride",),
    "_plugins.host": ("PluginHost",),
    "_plugins.status": ("PluginStatus",),
    "_plugins.index": ("PluginEntry",),
    "_plugins.policy": ("HostPolicy",),
    "_records": ("*",),
    "_store.protocol": (
        "ANY",
        "KEEP",
        "Change",
        "Document",
        "JournalEntry",
        "ReadView",
        "SearchHit",
        "Store",
        "SupportsCopyIn",
        "Transaction",
        "TransactionInfo",
        "VerifyResult",
        "VersionReader",
    ),
    "_store.memory": ("MemoryStore",),
    "_store.search": ("SearchQuery",),
    "_store.sqlite": ("SQLiteStore",),
    "_config": (
        "GovernanceTable",
        "MetricsTable",
        "PluginsTable",
        "RuleScopeTable",
        "RuleTable",
        "WorkspaceConfig",
        "WorkspaceTable",
    ),
    "_rollup": ("ScopeMember", "ScopeMembers", "scope_members"),
    "_text": ("escape_controls",),
    "_view": ("WorkspaceView",),
    "_watermelons": ("Watermelon", "report_watermelons", "watermelons"),
    "_workspace": ("Workspace",),
    "_cli": ("current_workspace",),
}
_LAZY: dict[str, str] = {
    name: module for module, names in _EXPORTS.items() for name in names if name != "*"
}
_STARRED = tuple(module for module, names in _EXPORTS.items() if "*" in names)


def _starred() -> dict[str, str]:
    # Importing these modules is what costs (pydantic); only names outside _LAZY get here.
    found: dict[str, str] = {}
    for module in _STARRED:
        names = _importlib.import_module(f"{__name__}.{module}").__all__
        found.update((name, module) for name in names)
    return found


def _all() -> list[str]:
    return sorted({*_LAZY, *_starred(), "__version__"})


def __getattr__(name: str) -> _typing.Any:
    if name == "__all__":
        value: _typing.Any = _all()
    else:
        module = _LAZY.get(name)
        if module is None and not name.startswith("_"):
            module = _starred().get(name)
        if module is None:
            raise AttributeError(f"module 'pmo_core' has no attribute {name!r}")
        if module == "":
            value = _importlib.import_module(f"{__name__}.{name}")
        else:
            value = getattr(_importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return _all()
