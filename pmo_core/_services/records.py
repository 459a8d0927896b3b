"""Two helpers every service uses: validate input as a model, read an entity in a transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .._domain import ENTITY_KINDS, Entity, entity_class
from .._errors import InvalidInputError, validation_message
from .._store.protocol import Transaction

M = TypeVar("M", bound=BaseModel)


def validated(cls: type[M], data: Mapping[str, Any], where: str = "") -> M:
    """``data`` validated as ``cls``; an :class:`InvalidInputError` names every bad field."""
    try:
        return cls.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc), where=where or None) from None


def entity_in(tx: Transaction, id: str) -> Entity | None:
    """The portfolio, program or project ``id`` as the transaction sees it, or ``None``."""
    for kind in ENTITY_KINDS:
        doc = tx.get(kind, id)
        if doc is not None:
            return entity_class(kind).from_document(doc.data, doc.version)
    return None
