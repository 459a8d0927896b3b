"""Write-back: the status and percent complete of the work items imported from a Redmine,
set on their issues (``PUT /issues/N.json``) where they differ."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem
from pmo_core.http import HttpClient, HttpError, UnauthorisedError, redact

from ._settings import RedmineSettings, connected, settings_of

# A Redmine issue id: digits, far shorter than a local work item's id (12 hex digits), so a
# work item that did not come from Redmine is never taken for an issue.
_MAX_ID_DIGITS = 10
# Problems listed in the one error a write-back raises.
_SHOWN_PROBLEMS = 10


def write(request: ConnectorRequest) -> None:
    """Set the ``write_back`` fields of the work items in ``request.items`` that came from
    this Redmine on their issues, where they differ (one ``PUT`` per changed issue). Other
    items are ignored. Problems (an issue deleted, a status Redmine does not know) are
    collected and raised together after the rest is written.

    Example::

        ws.export_to("redmine", "https://redmine.example")   # pmo export redmine URL
    """
    if not settings_of(request).write_back:
        raise InvalidInputError(
            'write-back is off: set write_back = ["status", "percent_complete"] in '
            "[settings.redmine] to choose what an export sets on the issues",
            where=redact(request.location),
        )
    with connected(request) as (client, url, settings):
        problems = _write_back(client, settings, request)
    if problems:
        more = len(problems) - _SHOWN_PROBLEMS
        shown = "; ".join(problems[:_SHOWN_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
        raise InvalidInputError(f"{len(problems)} issue(s) not written back: {shown}", where=url)


def _issue_items(items: Any) -> Iterator[tuple[int, SourceItem]]:
    for item in items:
        rid = item.remote_id
        if item.kind == "work_item" and rid.isdigit() and len(rid) <= _MAX_ID_DIGITS:
            yield int(rid), item


def _write_back(
    client: HttpClient, settings: RedmineSettings, request: ConnectorRequest
) -> list[str]:
    statuses = {
        str(s["name"]).casefold(): int(s["id"])
        for s in client.get_json("/issue_statuses.json").get("issue_statuses", [])
    }
    problems: list[str] = []
    chunk: list[tuple[int, SourceItem]] = []
    done = 0
    for pair in _issue_items(request.items):
        chunk.append(pair)
        if len(chunk) >= settings.page_size:
            problems += _write_chunk(client, settings, statuses, chunk)
            done += len(chunk)
            request.progress(done, None)
            chunk = []
    if chunk:
        problems += _write_chunk(client, settings, statuses, chunk)
        done += len(chunk)
        request.progress(done, done)
    return problems


def _write_chunk(
    client: HttpClient,
    settings: RedmineSettings,
    statuses: dict[str, int],
    chunk: list[tuple[int, SourceItem]],
) -> list[str]:
    # The issues as Redmine holds them, one listing for the chunk: only what differs is put.
    ids = ",".join(str(iid) for iid, _ in chunk)
    current = {
        int(issue["id"]): issue
        for issue in client.offset_pages(
            "/issues.json",
            "issues",
            params={"issue_id": ids, "status_id": "*"},
            limit=settings.page_size,
        )
    }
    problems: list[str] = []
    for iid, item in chunk:
        issue = current.get(iid)
        if issue is None:
            problems.append(f"#{iid} no longer exists (or is not visible)")
            continue
        change: dict[str, Any] = {}
        if "status" in settings.write_back:
            local = str(item.data.get("status") or "")
            wanted = settings.status_names.get(local, local)
            if wanted and wanted.casefold() != str(issue.get("status", {}).get("name")).casefold():
                status_id = statuses.get(wanted.casefold())
                if status_id is None:
                    known = ", ".join(sorted(statuses))
                    problems.append(f"#{iid}: no status {wanted!r} in Redmine (known: {known})")
                else:
                    change["status_id"] = status_id
        if "percent_complete" in settings.write_back:
            percent = item.data.get("percent_complete")
            if percent is not None and round(float(percent)) != issue.get("done_ratio"):
                change["done_ratio"] = round(float(percent))
        if change:
            try:
                client.put_json(f"/issues/{iid}.json", {"issue": change})
            except UnauthorisedError:
                raise  # said once, by connected()
            except HttpError as exc:
                problems.append(f"#{iid}: {exc.message}")
    return problems
