"""pmo-msproject: MS Project and Primavera schedules as pmo-core projects.

The plugin registers three connectors:

* ``mspdi`` (read and write): MS Project's XML (MSPDI), read natively with defusedxml and
  written back so that MS Project and MPXJ open it;
* ``msproject`` (read): ``.mpp``, ``.mpx`` and MSPDI ``.xml`` through MPXJ;
* ``primavera`` (read): Primavera P6 ``.xer`` and PMXML through MPXJ.

The last two need the extra ``pmo-msproject[mpxj]`` and a Java runtime; the JVM starts once
per process, when the first such file is read. Every reader fills one neutral plan, which
one mapping turns into the same SourceItems: the project, its resources, milestones, work
items (summary tasks are parents) and baselines.

Example::

    from pmo_core import Workspace
    import pmo_msproject

    with Workspace.in_memory(plugins={"msproject": pmo_msproject}) as ws:
        ws.import_from("mspdi", "office-move.xml")
        ws.export_to("mspdi", "office-move-out.xml", scope="OFFICE")
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoConnector, hookimpl

from ._mpxj import INSTALL_HINT
from ._mpxj import read as read_mpxj
from ._mspdi import NAMESPACE, hours, parse
from ._mspdi import read as read_mspdi
from ._plan import Plan, PlanBaseline, PlanLink, PlanResource, PlanTask, to_items
from ._writer import write as write_mspdi

__version__ = "0.1.0"

__all__ = [
    "INSTALL_HINT",
    "NAMESPACE",
    "Plan",
    "PlanBaseline",
    "PlanLink",
    "PlanResource",
    "PlanTask",
    "__version__",
    "hours",
    "parse",
    "pmo_connectors",
    "read_mpxj",
    "read_mspdi",
    "to_items",
    "write_mspdi",
]


#: The options a plan import takes (``pmo import mspdi plan.xml --option parent=PF``).
PLAN_OPTIONS = {
    "parent": "The key of the portfolio or program the project goes under.",
    "key": "The project's key (default: the file's GUID, else its name).",
    "currency": "The currency when the file names none (default EUR).",
}


@hookimpl
def pmo_connectors() -> Iterator[PmoConnector]:
    """Register the ``mspdi``, ``msproject`` and ``primavera`` connectors.

    Example::

        ws.host.record(PmoConnector, "mspdi").capabilities  # frozenset({'read', 'write'})
    """
    yield PmoConnector(
        name="mspdi",
        summary="MS Project XML (MSPDI): read natively, written for MS Project and MPXJ.",
        capabilities=frozenset({"read", "write"}),
        extensions=(".xml",),
        read=read_mspdi,
        write=write_mspdi,
        options=PLAN_OPTIONS,
    )
    yield PmoConnector(
        name="msproject",
        summary="MS Project .mpp, .mpx and XML through MPXJ (extra [mpxj] and Java).",
        capabilities=frozenset({"read"}),
        extensions=(".mpp", ".mpx", ".xml"),
        read=read_mpxj,
        options=PLAN_OPTIONS,
    )
    yield PmoConnector(
        name="primavera",
        summary="Primavera P6 .xer and PMXML through MPXJ (extra [mpxj] and Java).",
        capabilities=frozenset({"read"}),
        extensions=(".xer", ".pmxml", ".xml"),
        read=read_mpxj,
        options=PLAN_OPTIONS,
    )
