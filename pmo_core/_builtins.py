"""pmo-core's own capabilities, registered through the same hooks as any plugin.

The host registers this module as the plugin ``pmo-core`` before any installed plugin.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._records import PmoCommand, PmoStorageBackend
from .hookspecs import hookimpl

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
    ("import", "exchange", "import_cmd", "Import through a connector (with --dry-run)."),
    ("export", "exchange", "export_cmd", "Export through a connector."),
    ("report", "reports", "report", "Render a report (Markdown, JSON, ...)."),
    ("schema", "schema", "schema", "Print the JSON Schema of the domain model."),
    ("journal", "journal", "journal", "Show the append-only journal of changes."),
    ("demo", "demo", "demo", "Build a realistic sample portfolio and run a tour."),
)


@hookimpl
def pmo_storage_backends() -> Iterator[PmoStorageBackend]:
    from ._store import open_memory, open_sqlite

    yield PmoStorageBackend(
        name="sqlite",
        summary="Embedded SQLite file (WAL); the default.",
        open=lambda url: open_sqlite(url),
    )
    yield PmoStorageBackend(
        name="memory",
        summary="In-memory store for tests and throw-away work.",
        open=lambda url: open_memory(url),
    )


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    import importlib

    for name, module, attr, summary in BUILTIN_COMMANDS:
        mod = importlib.import_module(f"pmo_core._cli.{module}")
        yield PmoCommand(name=name, summary=summary, command=getattr(mod, attr))
