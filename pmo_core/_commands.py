"""pmo-core's built-in commands: a static table (so ``pmo --help`` lists them without
importing anything) and the lazy command that imports a command's module only to run it.

Click and the standard library only.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# (command name, module in pmo_core._cli, attribute, summary). The summary is what
# `pmo --help` shows from the command cache without importing the module.
BUILTIN_COMMANDS: tuple[tuple[str, str, str, str], ...] = (
    ("init", "init", "init", "Create a workspace (with a profile for incremental adoption)."),
    ("plugins", "plugins", "plugins", "List, inspect, enable and disable plugins."),
    ("doctor", "plugins", "doctor", "Check the workspace, its store and its plugins."),
    ("portfolio", "entities", "portfolio", "Create, list, show, update and archive portfolios."),
    ("program", "entities", "program", "Create, list, show, update and archive programs."),
    ("project", "entities", "project", "Create, list, show, update and archive projects."),
    ("status", "status", "status", "Record and list status reports."),
    ("raid", "raid", "raid", "Risks, assumptions, issues, dependencies, decisions, actions."),
    ("gate", "gates", "gate", "Check, request and decide gates."),
    ("artifact", "artifacts", "artifact", "Submit, approve and reject artifacts; templates."),
    ("baseline", "baselines", "baseline", "Take, list, show and compare baselines."),
    ("change", "changes", "change", "Raise, assess, approve and reject change requests."),
    ("role", "roles", "role", "Roles per scope and the approval matrix: whose approval counts."),
    ("waiver", "waivers", "waiver", "Grant, revoke and list waivers of rules and criteria."),
    ("tailoring", "tailoring", "tailoring", "Tailor an entity's methodology: skips and merges."),
    ("tolerance", "tolerances", "tolerance", "Measure forecasts against the tolerances."),
    ("exception", "tolerances", "exception", "List exceptions: breaches escalated upward."),
    ("lesson", "lessons", "lesson", "Record and list lessons learned."),
    ("work", "plan", "work", "Add, update, list and progress work items."),
    ("milestone", "plan", "milestone", "Add, update, list and complete milestones."),
    ("cost", "finance", "cost", "Book and list actual costs (capex, opex)."),
    ("forecast", "finance", "forecast", "Set and list forecasts (EAC, ETC, finish) with a reason."),
    ("import", "exchange", "import_cmd", "Import through a connector (with --dry-run)."),
    ("export", "exchange", "export_cmd", "Export through a connector."),
    ("sync", "sync", "sync", "List sync runs and conflicts; resolve a conflict."),
    ("metrics", "metrics", "metrics", "Every figure of a project or scope: EVM, EAC, schedule."),
    ("report", "reports", "report", "Render a report (Markdown, JSON, ...)."),
    ("assess", "assess", "assess", "Assess the PMO's maturity; recommended next plugins."),
    ("survey", "survey", "survey", "Record stakeholder satisfaction; score per group, month."),
    ("office-cost", "office", "office_cost", "Record and list what the PMO itself costs."),
    ("schema", "schema", "schema", "Print the JSON Schema of the domain model."),
    ("journal", "journal", "journal", "Show the append-only journal of changes."),
    ("search", "search", "search", "Find records by the words in their text, best first."),
    ("store", "store", "store", "Copy the whole store to another store URL, checked."),
    ("help", "help_topics", "help_cmd", "Help topics (exit codes, environment, ...), commands."),
    (
        "completion",
        "completion",
        "completion",
        "Print the shell completion script (bash, zsh, fish).",
    ),
)


class LazyCommand(click.Command):
    """A built-in command whose module is imported only when it runs.

    The host collects every registration hook as soon as any record is asked for, so opening
    a workspace must not import all of ``pmo_core._cli`` (``demo`` alone is large).
    """

    def __init__(self, name: str, module: str, attr: str, summary: str) -> None:
        super().__init__(name, help=summary, short_help=summary)
        self._target = (f"pmo_core._cli.{module}", attr)

    def load(self) -> click.Command:
        module, attr = self._target
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # The context belongs to the real command, so a group parent invokes that one.
        return self.load().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        # Reached through main() (e.g. CliRunner on the record's command).
        return ctx.command.invoke(ctx) if ctx.command is not self else None
