"""The organisation's template library: artifact templates shared across projects, stored in
the workspace's store (kind ``knowledge_template``, journaled), that add to a methodology's
templates or override one of them."""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pmo_core import InvalidInputError, NotFoundError, Workspace

#: The store kind of the organisation's templates, named under the plugin id so no core kind or
#: other plugin's kind can clash with it.
KIND = "knowledge_template"

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class OrgTemplate(BaseModel):
    """A template of the organisation's library. With ``artifact`` it overrides that
    artifact's template for the projects that follow ``methodology`` (every methodology when
    ``None``); without, it adds a template of its own.

    Example::

        OrgTemplate(name="acme-business-case", summary="Acme's business case",
                    body="# Business case\\n", methodology="stage-gate",
                    artifact="business-case")
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=_NAME.pattern)
    summary: str = ""
    body: str = Field(min_length=1)
    methodology: str | None = None
    artifact: str | None = None
    updated_on: date | None = None
    version: int = 0


def _name(name: str) -> str:
    if not _NAME.match(name):
        raise InvalidInputError(
            f"{name!r} is not a template name: lower-case letters, digits and '-'", where="NAME"
        )
    return name


def add_template(ws: Workspace, template: OrgTemplate, *, replace: bool = False) -> OrgTemplate:
    """Store ``template`` (journaled, by the workspace's actor); with ``replace`` an existing
    one of that name is replaced, else it is an error.

    Example::

        add_template(ws, OrgTemplate(name="lessons-review", body="# Lessons review\\n"))
    """
    _name(template.name)
    data = template.model_dump(mode="json", exclude={"version"})
    data["updated_on"] = ws.today().isoformat()
    current = ws.store.get(KIND, template.name)
    if current is not None and not replace:
        raise InvalidInputError(
            f"there is a template {template.name!r} already (--replace replaces it)", where="NAME"
        )
    with ws.transaction(f"template add {template.name}") as tx:
        if current is None:
            doc = tx.insert(KIND, template.name, data)
        else:
            doc = tx.update(KIND, template.name, data, expected_version=current.version)
    return OrgTemplate.model_validate({**doc.data, "version": doc.version})


def templates(ws: Workspace) -> list[OrgTemplate]:
    """The organisation's templates, by name.

    Example::

        [t.name for t in templates(ws)]
    """
    found = [
        OrgTemplate.model_validate({**d.data, "version": d.version}) for d in ws.store.query(KIND)
    ]
    return sorted(found, key=lambda t: t.name)


def template(ws: Workspace, name: str) -> OrgTemplate:
    """The organisation's template ``name``; :class:`~pmo_core.NotFoundError` if none.

    Example::

        template(ws, "lessons-review").body
    """
    doc = ws.store.get(KIND, _name(name))
    if doc is None:
        raise NotFoundError(f"no template {name!r} in the library")
    try:
        return OrgTemplate.model_validate({**doc.data, "version": doc.version})
    except ValidationError as exc:  # written by hand into the store
        raise InvalidInputError(f"template {name!r} is not valid: {exc}", where="NAME") from exc


def template_for(ws: Workspace, entity: str, artifact: str) -> tuple[str, str]:
    """The template of ``artifact`` for ``entity``, and where it comes from: the library's
    override for the entity's methodology (or for every methodology), else the methodology's
    own template (``"methodology"``).

    Example::

        body, source = template_for(ws, "ALPHA", "business-case")  # (..., 'acme-business-case')
    """
    methodology = ws.view().entity(entity).methodology
    overrides = [t for t in templates(ws) if t.artifact == artifact]
    # The methodology's own override first, then one for every methodology.
    for t in overrides:
        if methodology is not None and t.methodology == methodology:
            return t.body, t.name
    for t in overrides:
        if t.methodology is None:
            return t.body, t.name
    return ws.artifact_template(entity, artifact).template, "methodology"
