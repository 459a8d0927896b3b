"""pmo-core's own capabilities, registered through the same hooks as any plugin.

The host registers this module as the plugin ``pmo-core`` before any installed plugin: the
CLI commands, the ``sqlite`` and ``memory`` storage backends, and the ``neutral`` governance
model that applies where no other model is named.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._commands import BUILTIN_COMMANDS, LazyCommand
from ._config import NEUTRAL_MODEL
from ._records import PmoCommand, PmoGovernanceModel, PmoStorageBackend
from ._store import open_memory, open_sqlite
from ._store.protocol import Store
from ._store.sqlite import DEFAULT_LOCK_TIMEOUT
from .hookspecs import hookimpl


@hookimpl
def pmo_governance_models() -> Iterator[PmoGovernanceModel]:
    # Neutral: it changes no rule's level and adds no finding of its own, so a workspace
    # without a governance plugin runs the rules its plugins register at their own levels.
    yield PmoGovernanceModel(
        name=NEUTRAL_MODEL,
        summary="No governance model chosen: every rule keeps its own level.",
    )


def _open_sqlite(
    url: str, *, create: bool = False, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
) -> Store:
    return open_sqlite(url, create=create, lock_timeout=lock_timeout)


@hookimpl
def pmo_storage_backends() -> Iterator[PmoStorageBackend]:
    yield PmoStorageBackend(
        name="sqlite",
        summary="Embedded SQLite file (WAL); the default.",
        open=_open_sqlite,
    )
    yield PmoStorageBackend(
        name="memory",
        summary="In-memory store for tests and throw-away work.",
        open=lambda url: open_memory(url),
    )


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    for name, module, attr, summary in BUILTIN_COMMANDS:
        yield PmoCommand(
            name=name, summary=summary, command=LazyCommand(name, module, attr, summary)
        )
