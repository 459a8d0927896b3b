"""pmo-json: a whole workspace as one JSON file, exported and imported without loss.

The plugin registers the connector ``json`` (read and write). A file holds every record of
a workspace (or of a subtree, ``pmo export json --under``) under their own keys, in the
versioned format :data:`FORMAT` / :data:`VERSION` whose JSON Schema :func:`schema` gives,
with the records plugins keep themselves (their :class:`~pmo_core.PmoStoreKind`, such as
pmo-knowledge's templates) after the domain's. Importing it into a new workspace gives the
same records under the same keys; importing it again changes nothing.

Example::

    from pmo_core import Workspace
    import pmo_json

    with Workspace.in_memory(plugins={"json": pmo_json}) as ws:
        ws.import_from("json", "workspace.json")
        ws.export_to("json", "copy.json")
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoConnector, hookimpl

from ._format import FORMAT, KINDS, PLUGIN_KIND, VERSION, read, schema, write

__version__ = "0.1.0"

__all__ = [
    "FORMAT",
    "KINDS",
    "PLUGIN_KIND",
    "VERSION",
    "__version__",
    "pmo_connectors",
    "read",
    "schema",
    "write",
]


@hookimpl
def pmo_connectors() -> Iterator[PmoConnector]:
    """Register the ``json`` connector.

    Example::

        ws.host.record(PmoConnector, "json").kinds  # every kind of record of the domain
    """
    yield PmoConnector(
        name="json",
        summary="A whole workspace as one JSON file, lossless and versioned.",
        capabilities=frozenset({"read", "write"}),
        extensions=(".json",),
        read=read,
        write=write,
        kinds=KINDS,
        keeps_ids=True,
        # A whole workspace: the records plugins keep themselves (PmoStoreKind) too.
        plugin_kinds=True,
    )
