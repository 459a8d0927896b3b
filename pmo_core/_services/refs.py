"""Child records named on the command line: by their id, or a unique start of it.

Ids of child records are 12 hex digits (or an import's own id) whose first four are drawn
once per command (see :func:`~pmo_core.new_id`): stable, but long to type. A command takes
the id or its first characters, as git takes a commit's, and refuses a start that matches
several records, naming them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from .._domain import DomainModel
from .._errors import InvalidInputError, NotFoundError

if TYPE_CHECKING:
    from .._workspace import Workspace

M = TypeVar("M", bound=DomainModel)

#: The shortest start of an id a command takes: a shorter one would too easily pick a record
#: nobody meant (git asks for 4 too).
MIN_PREFIX = 4


def find_by_ref(
    ws: Workspace,
    model: type[M],
    ref: str,
    *,
    what: str,
    listing: str,
    owner: str | None = None,
    where: str | None = None,
) -> M:
    """The record of ``model`` whose id is ``ref`` or starts with it (4 characters at least).

    ``what`` names the record in messages (``"work item"``), ``listing`` the command that
    lists them. With ``owner`` only that entity's records count. ``where`` is the field or
    option that named the record: a reference that finds nothing there is bad input
    (:class:`InvalidInputError`), while a record asked for directly is not found
    (:class:`NotFoundError`). A start matching several records is bad input naming them.

    Example::

        find_by_ref(ws, WorkItem, "3f2a", what="work item", listing="pmo work list PROJECT")
    """
    ref = ref.strip()
    kind = model.store_kind
    doc = ws.store.get(kind, ref) if ref else None
    if doc is not None and owner is not None and doc.owner != owner:
        doc = None
    if doc is None and len(ref) >= MIN_PREFIX:
        ids = sorted(
            i for (i,) in ws.view().values(kind, ["id"], owner=owner) if str(i).startswith(ref)
        )
        if len(ids) > 1:
            shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
            raise InvalidInputError(
                f"{ref!r} matches {len(ids)} {what}s ({shown}); give more of the id",
                where=where or "id",
            )
        if ids:
            doc = ws.store.get(kind, ids[0])
    if doc is None:
        inside = f" in {owner}" if owner is not None else ""
        hint = "" if len(ref) >= MIN_PREFIX else f"; give at least {MIN_PREFIX} characters"
        message = f"no {what} {ref!r}{inside} (see '{listing}'{hint})"
        if where is not None:
            raise InvalidInputError(message, where=where)
        raise NotFoundError(message)
    return model.from_document(doc.data, doc.version)
