"""The file format: an object with a format name, a version and the records, one per kind
and key, read and written as a stream."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from pmo_core import (
    ConnectorRequest,
    InvalidInputError,
    SourceItem,
    domain_json_schema,
)

#: The ``format`` every file names, so another JSON file is refused at once.
FORMAT = "pmo-workspace"
#: The version of the format this plugin writes; it reads this one and none later.
VERSION = 1
#: The kinds a file holds, in the order they are written (a record after what it refers
#: to): every kind of record but the import's own bookkeeping.
KINDS: tuple[str, ...] = (
    "portfolio",
    "program",
    "project",
    "objective",
    "alignment",
    "milestone",
    "work_item",
    "baseline",
    "budget_line",
    "cost_entry",
    "forecast",
    "resource",
    "allocation",
    "raid",
    "stakeholder",
    "status_report",
    "gate_decision",
    "lesson",
    "artifact",
    "role",
    "waiver",
    "assessment",
    "survey_response",
    "pmo_cost",
    "benefit",
    "benefit_measurement",
)


#: The shape of the store kind of a plugin's own records (:class:`~pmo_core.PmoStoreKind`),
#: which a file carries after the domain's kinds; the workspace that imports it must have
#: that plugin enabled, or the import refuses the record.
PLUGIN_KIND = r"^[a-z][a-z0-9_]*$"


def schema() -> dict[str, Any]:
    """The JSON Schema of a file, with the domain's records as its definitions.

    Example::

        import json, pmo_json
        print(json.dumps(pmo_json.schema(), indent=2))
    """
    domain = domain_json_schema()
    defs = dict(domain.get("$defs", {}))
    record = {
        "type": "object",
        "required": ["kind", "id", "data"],
        "additionalProperties": False,
        "properties": {
            "kind": {"anyOf": [{"enum": list(KINDS)}, {"type": "string", "pattern": PLUGIN_KIND}]},
            "id": {"type": "string", "minLength": 1},
            "data": {"type": "object"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pmo-core workspace",
        "type": "object",
        "required": ["format", "version", "records"],
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "records": {"type": "array", "items": record},
        },
        "$defs": defs,
    }


def read(request: ConnectorRequest) -> Iterator[SourceItem]:
    """Yield the file's records, refusing a file that is not one, with its line and column.

    Example::

        items = list(read(ConnectorRequest(location="workspace.json")))
    """
    location = request.location
    try:
        with open(location, encoding="utf-8") as f:
            document = json.load(f, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"not JSON: {exc.msg}", where=f"{location}:{exc.lineno}:{exc.colno}"
        ) from None
    except UnicodeDecodeError:
        raise InvalidInputError("not UTF-8 text", where=location) from None
    except ValueError as exc:  # NaN, Infinity
        raise InvalidInputError(f"not JSON: {exc}", where=location) from None
    except RecursionError:
        raise InvalidInputError("nested too deeply to be a workspace", where=location) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInputError(
            f'not a pmo-core workspace file: it needs "format": "{FORMAT}"', where=location
        )
    version = document.get("version")
    if version != VERSION:
        raise InvalidInputError(
            f"format version {version!r}: this pmo-json reads version {VERSION}"
            + (" (upgrade pmo-json)" if isinstance(version, int) and version > VERSION else ""),
            where=location,
        )
    records = document.get("records")
    if not isinstance(records, list):
        raise InvalidInputError('"records" must be a list', where=location)
    total = len(records)
    for n, record in enumerate(records):
        where = f"{location}:records[{n}]"
        if not isinstance(record, dict) or set(record) != {"kind", "id", "data"}:
            raise InvalidInputError('a record is {"kind", "id", "data"}', where=where)
        kind, id, data = record["kind"], record["id"], record["data"]
        if kind not in KINDS and not (isinstance(kind, str) and re.fullmatch(PLUGIN_KIND, kind)):
            # A kind that is not the domain's may be a plugin's own: the import decides.
            raise InvalidInputError(f"unknown record kind {str(kind)[:40]!r}", where=where)
        if not isinstance(id, str) or not isinstance(data, dict):
            raise InvalidInputError("id must be a string and data an object", where=where)
        if n % 1000 == 0:
            request.progress(n, total)
        yield SourceItem(
            kind=kind, remote_id=id, data=_without_id(data), where=f"{where} ({kind} {id})"
        )
    request.progress(total, total)


def write(request: ConnectorRequest) -> None:
    """Write the records the export hands over, one line each, as they come.

    Example::

        write(ConnectorRequest(location="workspace.json", items=items))
    """
    done = 0
    with open(request.location, "w", encoding="utf-8", newline="\n") as f:
        f.write(f'{{"format": "{FORMAT}", "version": {VERSION}, "records": [')
        for item in request.items:
            record = {"kind": item.kind, "id": item.remote_id, "data": _without_id(item.data)}
            f.write(("\n" if done == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
            done += 1
            if done % 1000 == 0:
                request.progress(done, None)
        f.write("\n]}\n")
    request.progress(done, done)


def _without_id(data: Any) -> dict[str, Any]:
    # The key is the record's "id" beside its data, once.
    return {k: v for k, v in data.items() if k != "id"}


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")
