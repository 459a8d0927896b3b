"""A stored record as the ``--json`` of a command prints it.

The command line names a field as its option does: the person responsible is ``--owner``
on every command, so it is ``owner`` in JSON too. A record's Python field for it is
``owned_by``, because a record's ``owner`` is already the entity that
holds it (the store's word); only the command line's JSON renames it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._domain import DomainModel

# Record field -> the name the command line's JSON gives it (its option's name).
_CLI_NAMES = {"owned_by": "owner"}
# Old names printed beside the new ones until pmo-core 0.2, for scripts that read them.
_KEPT_UNTIL_0_2 = frozenset({"owned_by"})


def record_json(record: DomainModel) -> dict[str, Any]:
    """A record as a command's ``--json`` prints it: every field (money as
    ``{"amount", "currency"}``, dates as ISO text), its ``version``, and each field named as
    its option is (``owned_by`` is ``owner``, as ``--owner`` sets it; ``owned_by`` is kept
    beside it until pmo-core 0.2).

    Example::

        from pmo_core import RaidItem
        item = RaidItem(type="risk", entity="ALPHA", title="Vendor slips", owned_by="Kim")
        record_json(item)["owner"]  # 'Kim'
        record_json(item)["version"]  # 0
    """
    out: dict[str, Any] = {}
    for name, value in record.to_document(every_field=True).items():
        out[_CLI_NAMES.get(name, name)] = value
        if name in _KEPT_UNTIL_0_2:
            out[name] = value
    out["version"] = record.version
    return out
