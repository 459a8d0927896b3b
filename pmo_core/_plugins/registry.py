"""The typed record registry: records by type and name, validated and with names settled.

The host feeds it each plugin's records in plugin order; a record type is a key, so
``registry.records(PmoReport)`` is typed ``tuple[PmoReport, ...]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar, cast

from pydantic import ValidationError

from .._errors import PluginError, validation_message
from .._records import PmoRecord
from .._records._base import normalise_name
from ..hookspecs import registration_hooks

R = TypeVar("R", bound=PmoRecord)


class RecordRegistry:
    """Records of every registration hook, by record type and then by name (sorted).

    Example::

        registry = RecordRegistry([PmoReport])
        registry.add(PmoReport, [report])
        registry.get(PmoReport, "project-status")
    """

    def __init__(self, types: Iterable[type[PmoRecord]]) -> None:
        self._by_type: dict[type[PmoRecord], dict[str, PmoRecord]] = {t: {} for t in types}

    def records(self, cls: type[R]) -> tuple[R, ...]:
        """Every record of type ``cls``, sorted by name."""
        # The table of cls holds only cls instances: add() checked them.
        return cast("tuple[R, ...]", tuple(self._table(cls).values()))

    def get(self, cls: type[R], name: str) -> R | None:
        """The record of type ``cls`` called ``name`` (normalised), or ``None``."""
        return cast("R | None", self._table(cls).get(normalise_name(name)))

    def names(self, cls: type[PmoRecord]) -> list[str]:
        """The registered names of type ``cls``, sorted."""
        return list(self._table(cls))

    def check_names(self, cls: type[PmoRecord], pid: str, records: Sequence[PmoRecord]) -> None:
        """Refuse a batch that repeats a name or takes one already registered."""
        hook = _hook_name(cls)
        seen: set[str] = set()
        taken = self._table(cls)
        for item in records:
            if item.name in seen:
                raise PluginError(f"{hook} yielded {item.name!r} twice", plugin=pid)
            seen.add(item.name)
            if item.name in taken:
                raise NameTaken(hook, item.name, taken[item.name].plugin)

    def add(self, cls: type[PmoRecord], records: Iterable[PmoRecord]) -> None:
        """Register ``records`` (already validated, names already checked)."""
        table = self._table(cls)
        for record in records:
            if not isinstance(record, cls):
                raise TypeError(f"{type(record).__name__} is not a {cls.__name__}")
            table[record.name] = record
        self._by_type[cls] = dict(sorted(table.items()))

    def drop(self, pid: str) -> None:
        """Forget every record of plugin ``pid``."""
        for cls, table in self._by_type.items():
            self._by_type[cls] = {n: r for n, r in table.items() if r.plugin != pid}

    def _table(self, cls: type[PmoRecord]) -> dict[str, PmoRecord]:
        try:
            return self._by_type[cls]
        except (KeyError, TypeError):
            name = getattr(cls, "__name__", repr(cls))
            raise ValueError(
                f"{name} is not the record type of a registration hook "
                f"(record types: {', '.join(t.__name__ for t in self._by_type)})"
            ) from None


class NameTaken(Exception):
    """A record name another plugin registered first (the host words the clash)."""

    def __init__(self, hook: str, name: str, holder: str) -> None:
        self.hook, self.name, self.holder = hook, name, holder
        super().__init__(f"{hook} name {name!r} is taken by {holder!r}")


def revalidated(hook: str, pid: str, item: PmoRecord) -> PmoRecord:
    """``item`` validated again and stamped with the plugin that yielded it.

    Validated, not just copied: a record built with ``model_construct()`` or altered after
    construction would otherwise reach governance and reports unchecked.
    """
    cls = type(item)
    data = {name: getattr(item, name) for name in cls.model_fields if hasattr(item, name)}
    try:
        return cls.model_validate({**data, "plugin": pid})
    except ValidationError as exc:
        name = data.get("name", "?")
        raise PluginError(
            f"{hook} yielded an invalid {cls.__name__} {name!r}: {validation_message(exc)}",
            plugin=pid,
        ) from None


def record_words(cls: type[PmoRecord]) -> str:
    """A record type in words for messages: ``PmoGovernanceModel`` -> ``governance model``."""
    camel = cls.__name__.removeprefix("Pmo")
    return "".join(f" {c.lower()}" if c.isupper() else c for c in camel).strip()


def _hook_name(cls: type[PmoRecord]) -> str:
    spec = registration_hooks().get(cls)
    return spec.name if spec else cls.__name__
