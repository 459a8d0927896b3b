"""The two dates of every command that lists or shows records, added by one decorator.

``--status-date YYYY-MM-DD`` is the data date: what was planned, done, spent and reported by
that day (cost entries incurred, forecasts made, status reports, decisions, baselines taken
after it are left out). ``--as-of`` is the knowledge moment: the workspace as it was known
then, read from the journal (a date means the end of that day). A command decorated with
:func:`dated` reads through :func:`dated_view`, so both mean the same everywhere and no
command spells them itself.

Only click and the standard library are imported at module level: ``pmo --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ._output import workspace
from ._params import DATE, KNOWN_AT

if TYPE_CHECKING:
    from .._domain import DomainModel
    from .._view import WorkspaceView

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound="DomainModel")

_META = "pmo.dates"

#: The help of ``--status-date`` on every read command (one text, so one meaning).
STATUS_DATE_HELP = (
    "The data date: records dated after it (costs incurred, forecasts made, status reports, "
    "decisions, baselines taken) are left out. Not after today. Default: today, or the "
    "--as-of day."
)
#: The help of ``--status-date`` where a day ahead makes sense (a forecast view).
FUTURE_STATUS_DATE_HELP = (
    "The data date: records dated after it are left out. It may be after today: then it "
    "shows what is in force on that day as far as is known now. Default: today, or the "
    "--as-of day."
)
#: The help of ``--as-of`` on every read command.
AS_OF_HELP = (
    "As known then (the journal): a date (the end of that day) or a date-time, not after "
    "today. Default: now."
)


@dataclass
class _Dates:
    status_date: date | None = None
    as_of: date | datetime | None = None
    future: bool = False


def _remember(future: bool) -> Callable[[click.Context, click.Parameter, Any], None]:
    def remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        dates = ctx.meta.setdefault(_META, _Dates())
        dates.future = future
        if param.name == "status_date":
            dates.status_date = value
        else:
            dates.as_of = value

    return remember


def dated(*, status_date: bool = True, future: bool = False) -> Callable[[F], F]:
    """Add ``--status-date`` and ``--as-of`` to a read command, with the same help
    everywhere; the command reads through :func:`dated_view`. ``status_date=False`` adds
    ``--as-of`` alone (for records with no date of their own: say why in the help);
    ``future=True`` lets the status date be after today (a forecast view).

    Example::

        @click.command()
        @dated()
        @click.pass_context
        def list_cmd(ctx: click.Context) -> None:
            view = dated_view(ctx)
    """

    def apply(f: F) -> F:
        keep = _remember(future)
        f = click.option(
            "--as-of",
            type=KNOWN_AT,
            expose_value=False,
            callback=keep,
            help=AS_OF_HELP,
        )(f)
        if status_date:
            f = click.option(
                "--status-date",
                type=DATE,
                expose_value=False,
                callback=keep,
                help=FUTURE_STATUS_DATE_HELP if future else STATUS_DATE_HELP,
            )(f)
        return f

    return apply


def dated_view(ctx: click.Context | None = None) -> WorkspaceView:
    """The view a :func:`dated` command reads: ``ws.view(as_of, status_date=...)`` with the
    command's options, checked first (a status date after today where it may not be, an
    ``--as-of`` after today or before the workspace held anything: an error naming the
    option).

    Example::

        view = dated_view(ctx)
        view.cost_entries(view.entity(project).id)
    """
    ctx = ctx or click.get_current_context()
    dates: _Dates = ctx.meta.get(_META) or _Dates()
    known_at(ctx)  # the checks of --as-of
    return workspace(ctx).view(dates.as_of, status_date=dates.status_date)


def known_at(ctx: click.Context | None = None) -> datetime | None:
    """The moment ``--as-of`` names (``None``: now), after the checks of :func:`dated_view`,
    for a command that reads the journal rather than a view.

    Example::

        entries = ws.store.journal(until=known_at(ctx))
    """
    from .._errors import InvalidInputError
    from .._view import moment_text

    ctx = ctx or click.get_current_context()
    dates: _Dates = ctx.meta.get(_META) or _Dates()
    ws = workspace(ctx)
    today = ws.today()
    if dates.status_date is not None and dates.status_date > today and not dates.future:
        raise InvalidInputError(
            f"{dates.status_date} is after today ({today}): nothing is dated ahead of today",
            where="--status-date",
        )
    if dates.as_of is not None:
        moment = _moment(dates.as_of)
        if moment.date() > today:
            raise InvalidInputError(
                f"{dates.as_of} is after today ({today}): nothing is known ahead of now",
                where="--as-of",
            )
        first = next(iter(ws.store.journal()), None)
        if first is not None and first.at > moment:
            # Every list would be empty and every key unknown: say why once, plainly.
            raise InvalidInputError(
                f"the workspace held nothing yet {moment_text(moment)}: its first record "
                f"was written {moment_text(first.at)}",
                where="--as-of",
            )
        return moment
    return None


def _moment(as_of: date | datetime) -> datetime:
    # The same reading as Workspace.view: a date is the end of that day, UTC when naive.
    if isinstance(as_of, datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=timezone.utc)
    return datetime.combine(as_of, time.max, tzinfo=timezone.utc)


def dated_record(
    view: WorkspaceView,
    record: M,
    *,
    what: str,
    dated: Callable[[M], date | None] = lambda _: None,
) -> M:
    """``record`` (found by its id now) as ``view`` has it: as known at its moment, and
    not dated (``dated(record)``) after its status date; else a :class:`NotFoundError`
    that says which date left it out.

    Example::

        item = dated_record(view, ws.raid_item(ref), what="RAID item", dated=raid_day)
    """
    from .._errors import NotFoundError

    found = view.get(type(record), record.id)
    if found is None:
        raise NotFoundError(f"{what} {record.id} was not yet recorded{view.known_text()}")
    day = dated(found)
    if view.after(day):
        raise NotFoundError(
            f"{what} {found.id} dates from {day}, after the status date {view.status_date}"
        )
    return found
