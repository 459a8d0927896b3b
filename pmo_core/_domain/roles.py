"""Who holds which role for a portfolio, program or project: the people whose approvals count."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, ClassVar

from pydantic import AfterValidator

from ._base import DomainModel, Key, Name


def role_name(value: str) -> str:
    """The canonical form of a role: lower case, words joined by ``-``.

    Example::

        role_name("Steering Committee")  # 'steering-committee'
    """
    return re.sub(r"[\s_]+", "-", value.strip()).lower()


def _check_role(value: str) -> str:
    value = role_name(value)
    if not re.fullmatch(r"[a-z][a-z0-9-]*", value):
        raise ValueError(
            f"{value!r} is not a role name: use letters, digits and '-', starting with a letter"
        )
    return value


#: A role name (``sponsor``, ``manager``, ``pmo``, ``project-board``, ``portfolio-board``...).
Role = Annotated[Name, AfterValidator(_check_role)]


class RoleAssignment(DomainModel):
    """A person holding a role for an entity, and for everything under it.

    A portfolio's ``pmo`` or ``portfolio-board`` holds for its programs and projects too. The
    entity's own ``sponsor`` and ``manager`` fields count as the roles ``sponsor`` and
    ``manager`` without an assignment. On the embedded store identity is asserted, not
    authenticated: a role says whose approval counts, not who is typing.

    Example::

        RoleAssignment(entity="DIGITAL", role="pmo", person="Lee Chen",
                       assigned_on=date(2026, 1, 5))
    """

    store_kind = "role"

    entity: Key
    role: Role
    person: Name
    assigned_on: date | None = None

    owner_field: ClassVar[str] = "entity"
