"""The two dates of a view, read from text (a query parameter, a command-line option).

``status_date`` is the data date (a calendar date); ``as_of`` is the knowledge moment, a date
(as known at the end of that day, as :meth:`pmo_core.Workspace.view` reads a date) or an ISO
date-time. An error names the parameter or option it came from.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from pmo_core import InvalidInputError


def parse_status_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"{text!r} is not a date (use YYYY-MM-DD, e.g. 2025-06-30)", where=where
        ) from None


def parse_as_of(text: str, where: str) -> date | datetime:
    value = text.strip()
    if len(value) == 10:
        return parse_status_date(value, where)
    try:
        # 3.10's fromisoformat does not read a trailing Z.
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(
            f"{text!r} is not a date or date-time (use 2025-06-30 or 2025-06-30T14:00)",
            where=where,
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def show_moment(value: date | datetime) -> str:
    """A date as ``YYYY-MM-DD``, a date-time as ``YYYY-MM-DDTHH:MM[:SS]`` (UTC offsets kept)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    return value.isoformat()
