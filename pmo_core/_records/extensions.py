"""Extension records: custom fields, store kinds, CLI commands, storage backends, settings
and profiles."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import click
from pydantic import BaseModel, Field

from .._store.protocol import Store
from ._base import PmoRecord, ScopeKind


class PmoCustomFields(PmoRecord):
    """Typed custom fields, yielded by :func:`~pmo_core.hookspecs.pmo_custom_fields`.

    ``name`` is the namespace: values live in ``entity.custom_fields[name]`` and are
    validated by ``model`` on every write. ``kinds`` says which entities carry them.

    Example::

        from pydantic import BaseModel

        class Finance(BaseModel):
            cost_centre: str

        PmoCustomFields(name="acme-finance", kinds=("project",), model=Finance)
    """

    #: The kinds of entity that carry the fields.
    kinds: tuple[ScopeKind, ...] = ("project",)
    #: Validates the fields' values on every write.
    model: type[BaseModel]


class PmoStoreKind(PmoRecord):
    """A kind of record a plugin keeps in the store itself, yielded by
    :func:`~pmo_core.hookspecs.pmo_store_kinds`, so a whole-workspace export carries it.

    ``kind`` is the store kind the plugin writes its documents under (lower-case letters,
    digits and ``_``; a kind of the core's domain is refused when an export or import asks
    for the plugins' kinds); ``model`` validates a document when
    an import writes one (its ``id_field`` is the record's key, which is also the
    document's id). A connector that holds a whole workspace (``plugin_kinds=True`` on its
    :class:`PmoConnector`, such as pmo-json) exports and imports these kinds beside the
    domain's.

    Example::

        from pydantic import BaseModel

        class Template(BaseModel):
            name: str
            body: str

        PmoStoreKind(name="acme-template", summary="Acme's templates.",
                     kind="acme_template", model=Template, id_field="name")
    """

    #: The store kind the plugin writes its documents under.
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    #: Validates a document when an import writes one.
    model: type[BaseModel]
    #: The field that is the record's key and its document's id.
    id_field: str = "id"


class PmoCommand(PmoRecord):
    """A CLI command, yielded by :func:`~pmo_core.hookspecs.pmo_cli_commands`.

    The command is mounted as ``pmo <name>`` when its plugin is enabled in the workspace;
    ``summary`` is what ``pmo --help`` shows. A command with ``workspace=False`` needs no
    workspace (it makes one, like ``pmo demo``): it is offered by every installed plugin the
    environment allows, also outside a workspace.

    Example::

        import click

        @click.command()
        def hello() -> None:
            click.echo("hello")

        PmoCommand(name="hello", summary="Say hello.", command=hello)
    """

    #: The click command, mounted as ``pmo <name>``.
    command: click.Command
    #: Whether it needs a workspace; ``False`` for one that makes one.
    workspace: bool = True


class PmoStorageBackend(PmoRecord):
    """A storage backend, yielded by :func:`~pmo_core.hookspecs.pmo_storage_backends`.

    ``name`` is the URL scheme (``sqlite``, ``memory``, ``postgresql``); ``open(url)`` returns
    an object that satisfies the store protocol.

    ``open`` may also take two keyword arguments, and is then given them (a backend whose
    ``open`` takes only the URL is called as before):

    - ``create``: ``True`` only when a workspace is being created (``Workspace.init``,
      ``pmo init``). Opened with ``create=False``, a backend that can tell should raise
      ``StoreError`` for a store that does not exist rather than make it anew and empty.
    - ``lock_timeout``: the seconds a write may wait for another writer
      (``[workspace] lock_timeout``).

    Example::

        PmoStorageBackend(name="memory", summary="In-memory store.",
                          open=lambda url: MemoryStore())

        def open_files(url, *, create=False, lock_timeout=900.0):
            return FileStore(url.removeprefix("files://"), create=create, wait=lock_timeout)

        PmoStorageBackend(name="files", summary="One file per document.", open=open_files)
    """

    #: Opens a store from a URL of the backend's scheme.
    open: Callable[..., Store]


class PmoSettings(PmoRecord):
    """A plugin's settings, yielded by :func:`~pmo_core.hookspecs.pmo_settings`.

    Values come from ``[settings.<name>]`` in ``pmo.toml`` and ``PMO_<NAME>_<FIELD>``
    environment variables (which win, so secrets never need to be in the file).

    Example::

        from pydantic import BaseModel, SecretStr

        class JiraSettings(BaseModel):
            url: str
            token: SecretStr

        PmoSettings(name="jira", model=JiraSettings)
    """

    #: Validates the settings (``[settings.<name>]`` and ``PMO_<NAME>_<FIELD>``).
    model: type[BaseModel]


class PmoProfile(PmoRecord):
    """A starting point for ``pmo init --profile``, yielded by
    :func:`~pmo_core.hookspecs.pmo_profiles`.

    ``plugins`` are enabled in the new workspace (every one must be installed);
    ``governance_model`` and ``methodology`` become the workspace defaults; ``settings``
    are written as ``[settings.<name>]`` tables. ``rank`` orders profiles from the lightest
    PMO to the strictest in ``pmo init --help``.

    Example::

        PmoProfile(
            name="acme-board",
            summary="Acme's board model with stage-gate.",
            plugins=("governance", "stage-gate", "acme-rules"),
            governance_model="acme-board",
            methodology="stage-gate",
        )
    """

    #: The plugins enabled in the new workspace.
    plugins: tuple[str, ...] = ()
    #: The workspace's default governance model.
    governance_model: str | None = None
    #: The workspace's default methodology.
    methodology: str | None = None
    #: Written as ``[settings.<name>]`` tables.
    settings: Mapping[str, Mapping[str, Any]] = Field(default_factory=dict)
    #: Orders profiles from the lightest PMO to the strictest.
    rank: int = 100


__all__ = [
    "PmoCommand",
    "PmoCustomFields",
    "PmoProfile",
    "PmoSettings",
    "PmoStorageBackend",
    "PmoStoreKind",
]
