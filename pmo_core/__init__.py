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
import importlib as _importlib
import typing as _typing

from ._version import __version__

if _typing.TYPE_CHECKING:
    from . import hookspecs
    from ._cli import current_workspace
    from ._config import WorkspaceConfig
    from ._domain import (
        Alignment,
        Allocation,
        Approval,
        Artifact,
        Baseline,
        BaselineItem,
        BudgetLine,
        CostEntry,
        CriterionResult,
        DomainModel,
        Entity,
        ExternalRef,
        Forecast,
        GateDecision,
        LessonLearned,
        Milestone,
        Money,
        Objective,
        Portfolio,
        Program,
        Project,
        Rag,
        RagOverride,
        RaidItem,
        Rate,
        Resource,
        Stakeholder,
        Status,
        StatusReport,
        WorkItem,
        WorkItemLink,
        domain_json_schema,
    )
    from ._errors import (
        ConflictError,
        GovernanceBlockedError,
        IncompatiblePluginError,
        InvalidInputError,
        NotFoundError,
        PluginError,
        PmoDeprecationWarning,
        PmoError,
        StoreError,
    )
    from ._events import EntityChange
    from ._evm import EarnedValue, EvInputs, accumulate, earned_value, rag_index, roll_up, worst
    from ._exchange import DiffItem, ImportResult
    from ._governance import Finding, GateCheck
    from ._plugins.host import PluginHost, PluginStatus
    from ._plugins.index import PluginEntry
    from ._records import (
        ConnectorRequest,
        Metric,
        PmoArtifact,
        PmoCommand,
        PmoConnector,
        PmoCustomFields,
        PmoEvent,
        PmoGate,
        PmoGateCriterion,
        PmoGovernanceModel,
        PmoGovernanceRule,
        PmoMethodology,
        PmoPhase,
        PmoRecord,
        PmoReport,
        PmoRole,
        PmoSettings,
        PmoStorageBackend,
        ReportOutput,
        ReportRequest,
        RuleContext,
        SourceItem,
    )
    from ._store.memory import MemoryStore
    from ._store.protocol import (
        ANY,
        KEEP,
        Change,
        Document,
        JournalEntry,
        ReadView,
        Store,
        Transaction,
        TransactionInfo,
    )
    from ._store.sqlite import SQLiteStore
    from ._view import WorkspaceView
    from ._workspace import Workspace
    from .hookspecs import hookimpl

# Where each public name lives: module (relative to pmo_core) -> names. '' is a submodule.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "hookspecs": ("hookimpl",),
    "": ("hookspecs",),
    "_domain": (
        "Alignment",
        "Allocation",
        "Approval",
        "Artifact",
        "Baseline",
        "BaselineItem",
        "BudgetLine",
        "CostEntry",
        "CriterionResult",
        "DomainModel",
        "Entity",
        "ExternalRef",
        "Forecast",
        "GateDecision",
        "LessonLearned",
        "Milestone",
        "Money",
        "Objective",
        "Portfolio",
        "Program",
        "Project",
        "Rag",
        "RagOverride",
        "RaidItem",
        "Rate",
        "Resource",
        "Stakeholder",
        "Status",
        "StatusReport",
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
    "_events": ("EntityChange",),
    "_evm": (
        "EarnedValue",
        "EvInputs",
        "accumulate",
        "earned_value",
        "rag_index",
        "roll_up",
        "worst",
    ),
    "_exchange": (
        "DiffItem",
        "ImportResult",
    ),
    "_governance": (
        "Finding",
        "GateCheck",
    ),
    "_plugins.host": (
        "PluginHost",
        "PluginStatus",
    ),
    "_records": (
        "ConnectorRequest",
        "Metric",
        "PmoArtifact",
        "PmoCommand",
        "PmoConnector",
        "PmoCustomFields",
        "PmoEvent",
        "PmoGate",
        "PmoGateCriterion",
        "PmoGovernanceModel",
        "PmoGovernanceRule",
        "PmoMethodology",
        "PmoPhase",
        "PmoRecord",
        "PmoReport",
        "PmoRole",
        "PmoSettings",
        "PmoStorageBackend",
        "ReportOutput",
        "ReportRequest",
        "RuleContext",
        "SourceItem",
    ),
    "_store.protocol": (
        "ANY",
        "KEEP",
        "Change",
        "Document",
        "JournalEntry",
        "ReadView",
        "Store",
        "Transaction",
        "TransactionInfo",
    ),
    "_plugins.index": ("PluginEntry",),
    "_store.memory": ("MemoryStore",),
    "_store.sqlite": ("SQLiteStore",),
    "_config": ("WorkspaceConfig",),
    "_view": ("WorkspaceView",),
    "_workspace": ("Workspace",),
    "_cli": ("current_workspace",),
}
_LAZY: dict[str, str] = {name: module for module, names in _EXPORTS.items() for name in names}

# Plain sorted() order, which tests/core/test_public_api.py checks (not ruff's isort-style).
__all__ = [  # noqa: RUF022
    "ANY",
    "Alignment",
    "Allocation",
    "Approval",
    "Artifact",
    "Baseline",
    "BaselineItem",
    "BudgetLine",
    "Change",
    "ConflictError",
    "ConnectorRequest",
    "CostEntry",
    "CriterionResult",
    "DiffItem",
    "Document",
    "DomainModel",
    "EarnedValue",
    "Entity",
    "EntityChange",
    "EvInputs",
    "ExternalRef",
    "Finding",
    "Forecast",
    "GateCheck",
    "GateDecision",
    "GovernanceBlockedError",
    "ImportResult",
    "IncompatiblePluginError",
    "InvalidInputError",
    "JournalEntry",
    "KEEP",
    "LessonLearned",
    "MemoryStore",
    "Metric",
    "Milestone",
    "Money",
    "NotFoundError",
    "Objective",
    "PluginEntry",
    "PluginError",
    "PluginHost",
    "PluginStatus",
    "PmoArtifact",
    "PmoCommand",
    "PmoConnector",
    "PmoCustomFields",
    "PmoDeprecationWarning",
    "PmoError",
    "PmoEvent",
    "PmoGate",
    "PmoGateCriterion",
    "PmoGovernanceModel",
    "PmoGovernanceRule",
    "PmoMethodology",
    "PmoPhase",
    "PmoRecord",
    "PmoReport",
    "PmoRole",
    "PmoSettings",
    "PmoStorageBackend",
    "Portfolio",
    "Program",
    "Project",
    "Rag",
    "RagOverride",
    "RaidItem",
    "Rate",
    "ReadView",
    "ReportOutput",
    "ReportRequest",
    "Resource",
    "RuleContext",
    "SQLiteStore",
    "SourceItem",
    "Stakeholder",
    "Status",
    "StatusReport",
    "Store",
    "StoreError",
    "Transaction",
    "TransactionInfo",
    "WorkItem",
    "WorkItemLink",
    "Workspace",
    "WorkspaceConfig",
    "WorkspaceView",
    "__version__",
    "accumulate",
    "current_workspace",
    "domain_json_schema",
    "earned_value",
    "hookimpl",
    "hookspecs",
    "rag_index",
    "roll_up",
    "worst",
]


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pmo_core' has no attribute {name!r}")
    if module == "":
        value: _typing.Any = _importlib.import_module(f"{__name__}.{name}")
    else:
        value = getattr(_importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
