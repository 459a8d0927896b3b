"""References between the records of one source: a work item's parent, milestone and
predecessors, a cost entry's work item, a baseline's items... are given by the source's own
ids, and resolved here, a batch at a time, to the keys those records have (or will have) in
the workspace.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._domain import ExternalRef
from .._errors import InvalidInputError
from .._records import SourceItem
from .import_checks import where_of
from .scratch import ScratchMap

_REF_KIND = ExternalRef.store_kind

# Fields of a record that refer to another record of the same source, and its kind: a work
# item's parent is a work item, not an entity. (Entries of lists too: see below.)
ITEM_REFERENCES: dict[str, dict[str, str]] = {
    "work_item": {"parent": "work_item", "milestone": "milestone"},
    "cost_entry": {"work_item": "work_item"},
    "forecast": {"work_item": "work_item"},
}
# Lists whose entries refer to a record of the same source: (list, entry field, kind).
NESTED_REFERENCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "work_item": (("links", "predecessor", "work_item"),),
    "baseline": (("items", "work_item", "work_item"),),
}
# The kinds other records of a source refer to by the source's ids.
ITEM_TARGET_KINDS = frozenset(
    {
        *(k for refs in ITEM_REFERENCES.values() for k in refs.values()),
        *(k for nested in NESTED_REFERENCES.values() for _, _, k in nested),
    }
)


def references(kind: str, data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """``(kind, key)`` of each record of the same source that a record of ``kind`` refers
    to (its fields, then entries of its lists)."""
    for name, target in ITEM_REFERENCES.get(kind, {}).items():
        value = data.get(name)
        if isinstance(value, str) and value:
            yield target, value
    for name, inner, target in NESTED_REFERENCES.get(kind, ()):
        entries = data.get(name)
        for entry in entries if isinstance(entries, (list, tuple)) else ():
            value = entry.get(inner) if isinstance(entry, Mapping) else None
            if isinstance(value, str) and value:
                yield target, value


def item_references(kind: str, datas: Iterable[Mapping[str, Any]]) -> list[str]:
    """``"<kind>:<key>"`` of every record the records ``datas`` (of ``kind``) refer to."""
    return [f"{target}:{value}" for data in datas for target, value in references(kind, data)]


def with_source_keys(
    kind: str, data: Mapping[str, Any], keys: Mapping[str, str]
) -> Mapping[str, Any]:
    """``data`` (a record of ``kind``) naming the records it refers to by the source keys
    ``keys`` gives (``"<kind>:<local key>"`` -> source key), as an import of the same
    connector resolves them; a record with no source key keeps its local key."""
    out: dict[str, Any] | None = None
    for name, target in ITEM_REFERENCES.get(kind, {}).items():
        value = data.get(name)
        if isinstance(value, str) and f"{target}:{value}" in keys:
            out = out if out is not None else dict(data)
            out[name] = keys[f"{target}:{value}"]
    for name, inner, target in NESTED_REFERENCES.get(kind, ()):
        entries = data.get(name)
        if not isinstance(entries, (list, tuple)) or not entries:
            continue
        out = out if out is not None else dict(data)
        out[name] = [
            {**entry, inner: keys.get(f"{target}:{entry[inner]}", entry[inner])}
            if isinstance(entry, Mapping) and isinstance(entry.get(inner), str)
            else entry
            for entry in entries
        ]
    return data if out is None else out


class SourceReferences:
    """Resolving references by source id, for :class:`~.importing.ImportRun` (which sets
    the state declared here)."""

    if TYPE_CHECKING:
        connector: str
        _reader: Any
        _earlier_targets: ScratchMap | None
        _item_targets: dict[tuple[str, str], str]

        @property
        def batch_size(self) -> int: ...

    def _prefetch_item_references(
        self, batch: Sequence[SourceItem], targets: Sequence[str | None]
    ) -> None:
        """Where the work items, milestones... this batch refers to by source id landed: in
        this batch, in an earlier one, or in an earlier import (one query per kind)."""
        found: dict[tuple[str, str], str] = {}
        for n, item in enumerate(batch):
            if item.kind in ITEM_TARGET_KINDS:
                found[(item.kind, item.remote_id)] = str(targets[n])
        wanted: dict[str, set[str]] = {}
        for item in batch:
            for kind, value in references(item.kind, item.data):
                if (kind, value) not in found:
                    wanted.setdefault(kind, set()).add(value)
        connector = self.connector
        earlier = self._earlier_targets
        for kind, values in wanted.items():
            prefix = f"{connector}:{kind}:"
            ids = [prefix + value for value in values]
            for doc in self._reader.query(_REF_KIND, ids=ids):
                found[(kind, doc.id[len(prefix) :])] = str(doc.data["target"])
            if earlier is not None:
                # A dry run writes nothing: earlier batches are only in the scratch map.
                for key, target in earlier.get_many(prefix + value for value in values).items():
                    found.setdefault((kind, key[len(prefix) :]), target)
            # What the source never gave may be a local key.
            local = [value for value in values if (kind, value) not in found]
            if local:
                for doc in self._reader.query(kind, ids=local):
                    found[(kind, doc.id)] = doc.id
        if earlier is not None:
            earlier.put_many(
                (f"{connector}:{kind}:{remote_id}", target)
                for (kind, remote_id), target in found.items()
            )
        self._item_targets = found

    def _item_reference(self, item: SourceItem, name: str, kind: str, value: str) -> str:
        found = self._item_targets.get((kind, value))
        if found is None:
            # A dangling reference would be stored as a key that names nothing.
            raise InvalidInputError(
                f"{name}: {kind.replace('_', ' ')} {value!r} is neither earlier in this source "
                f"(or within {self.batch_size:,} items after) nor in the workspace",
                where=where_of(item, name),
            )
        return found

    def _resolved_entry(
        self, item: SourceItem, name: str, inner: str, kind: str, entry: Any
    ) -> Any:
        if isinstance(entry, Mapping):
            value = entry.get(inner)
            if isinstance(value, str) and value:
                return {**entry, inner: self._item_reference(item, name, kind, value)}
        return entry
