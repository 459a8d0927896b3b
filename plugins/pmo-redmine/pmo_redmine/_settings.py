"""The ``redmine`` connector's settings, and the HTTP client they make."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator

from pmo_core import ConnectorRequest, InvalidInputError, Money
from pmo_core.http import HttpClient, UnauthorisedError

#: What write-back may set in Redmine.
WriteBack = Literal["status", "percent_complete"]
#: The header Redmine reads the API key from (a header, never the ``key`` query parameter:
#: servers and proxies log URLs).
KEY_HEADER = "X-Redmine-API-Key"
# A project's page: the base URL, then /projects/<identifier>.
_PROJECT_PAGE = re.compile(r"(?P<base>https?://.+?)/projects/(?P<project>[A-Za-z0-9_-]+)/?")


#: pmo's statuses (those reported progress sets) and Redmine's (of its default data): an
#: import reads New as open, a write-back writes done as Closed. Any other status
#: ("Feedback") keeps its Redmine name both ways.
PROGRESS_STATUSES = {"open": "New", "in_progress": "In Progress", "done": "Closed"}


class RedmineSettings(BaseModel):
    """Settings of the ``redmine`` connector, from ``[settings.redmine]`` in ``pmo.toml`` or
    ``PMO_REDMINE_<FIELD>`` environment variables.

    ``url`` is the Redmine base URL (default: the import's location); ``api_key`` the key of
    the account to read as (My account, API access key), from ``PMO_REDMINE_API_KEY`` or
    from the file ``PMO_REDMINE_API_KEY_FILE`` names (a mounted secret), never from
    ``pmo.toml``; without it, Redmine is read anonymously (public projects only, if the
    server allows it). ``projects`` lists the identifiers to read, each with its
    subprojects (default: every project the account sees; a location naming a project's
    page, ``https://redmine.example/projects/erp``, reads that project instead); from the
    environment, ``projects`` and ``write_back`` are comma-separated
    (``PMO_REDMINE_PROJECTS=erp,crm``). ``parent`` is the key of a local portfolio or
    program the top projects are put under. ``hour_rate`` prices spent time
    (``"85 EUR"``); ``hour_rates`` overrides it per user name or activity name (the user's
    rate first). A time entry with no rate is not imported. ``custom_fields`` maps a
    Redmine custom field's name to a work-item or project field (``points``,
    ``iteration``, ``remaining``) or to a project's custom field ``namespace.field``.
    ``write_back`` lists what ``pmo export redmine`` sets on the issues imported from this
    Redmine (``status``, ``percent_complete``); empty (the default) writes nothing.
    ``status_names`` pairs pmo's statuses with Redmine's: by default ``open``,
    ``in_progress`` and ``done`` (the statuses reported progress sets) are ``New``,
    ``In Progress`` and ``Closed``; an import reads a Redmine status as its pmo status and
    write-back writes it back as Redmine's; any other status keeps its Redmine name both
    ways. ``rate`` caps the requests a second, ``page_size`` the items a page (Redmine
    allows at most 100), ``timeout`` the seconds to wait for an answer.

    Example::

        # pmo.toml
        [settings.redmine]
        projects = ["erp"]
        hour_rate = "85 EUR"
        hour_rates = { "Jane Doe" = "110 EUR" }
        custom_fields = { "Story points" = "points" }
        write_back = ["status", "percent_complete"]
        # and in the environment: PMO_REDMINE_API_KEY=...
    """

    url: str | None = Field(
        default=None, description="The Redmine base URL (default: the import's location)."
    )
    api_key: SecretStr | None = Field(
        default=None,
        description=(
            "The REST API key: PMO_REDMINE_API_KEY, or PMO_REDMINE_API_KEY_FILE naming a file "
            "that holds it (a mounted secret); never in pmo.toml. Without it Redmine is read "
            "anonymously."
        ),
    )
    projects: list[str] = Field(
        default_factory=list,
        description=(
            "The project identifiers to read, each with its subprojects (default: every "
            "project the account sees)."
        ),
    )
    parent: str | None = Field(
        default=None,
        description="The key of a local portfolio or program the top projects are put under.",
    )
    hour_rate: str | None = Field(
        default=None,
        description="What an hour costs ('85 EUR'); without any rate spent time is not read.",
    )
    hour_rates: dict[str, str] = Field(
        default_factory=dict,
        description="Rates by user name or activity name (the user's first).",
    )
    custom_fields: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "A Redmine custom field's name -> a pmo field (points, iteration, remaining, "
            "budget on issues; sponsor, manager, phase... on projects) or a project custom "
            "field namespace.field."
        ),
    )
    write_back: list[WriteBack] = Field(
        default_factory=list,
        description="What an export sets on the issues: status, percent_complete.",
    )
    status_names: dict[str, str] = Field(
        default_factory=lambda: dict(PROGRESS_STATUSES),
        description="pmo's statuses and Redmine's, read and written both ways.",
    )
    rate: float = Field(default=10.0, gt=0, description="At most this many requests a second.")
    page_size: int = Field(
        default=100, ge=1, le=100, description="Items a page (Redmine's maximum: 100)."
    )
    timeout: float = Field(default=60.0, gt=0, description="Seconds to wait for an answer.")

    @field_validator("projects", "write_back", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        # From the environment a list is one string: PMO_REDMINE_PROJECTS="erp,crm".
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("hour_rate")
    @classmethod
    def _check_rate(cls, value: str | None) -> str | None:
        if value is not None:
            Money.parse(value)
        return value

    @field_validator("hour_rates")
    @classmethod
    def _check_rates(cls, value: dict[str, str]) -> dict[str, str]:
        for rate in value.values():
            Money.parse(rate)
        return value

    def rate_for(self, user: str, activity: str) -> Money | None:
        """The rate of an hour of ``user`` on ``activity``, or ``None``.

        Example::

            RedmineSettings(hour_rate="80 EUR").rate_for("Jane", "Design")  # 80 EUR
        """
        chosen = self.hour_rates.get(user) or self.hour_rates.get(activity) or self.hour_rate
        return Money.parse(chosen) if chosen else None


def settings_of(request: ConnectorRequest) -> RedmineSettings:
    """The request's settings as :class:`RedmineSettings` (defaults when there are none).

    Example::

        settings_of(ConnectorRequest(location="https://redmine.example")).page_size  # 100
    """
    if isinstance(request.settings, RedmineSettings):
        return request.settings
    if request.settings is None:
        return RedmineSettings()
    return RedmineSettings.model_validate(request.settings.model_dump())


def base_url(request: ConnectorRequest, settings: RedmineSettings) -> str:
    """The Redmine base URL: ``settings.url``, else the location (without a
    ``/projects/<identifier>`` it ends with).

    Example::

        base_url(ConnectorRequest(location="https://redmine.example/projects/erp"),
                 RedmineSettings())
        # 'https://redmine.example'
    """
    if settings.url:
        return settings.url.rstrip("/")
    found = _PROJECT_PAGE.fullmatch(request.location.strip())
    return (found.group("base") if found else request.location.strip()).rstrip("/")


def scoped(request: ConnectorRequest, settings: RedmineSettings) -> RedmineSettings:
    """The settings for this location: a location naming a project's page
    (``https://redmine.example/projects/erp``) reads that project and its subprojects
    instead of ``projects``; each such location is a source of its own (a full read of one
    archives nothing of another).

    Example::

        scoped(ConnectorRequest(location="https://redmine.example/projects/erp"),
               RedmineSettings()).projects   # ['erp']
    """
    found = None if settings.url else _PROJECT_PAGE.fullmatch(request.location.strip())
    if found is None:
        return settings
    return settings.model_copy(update={"projects": [found.group("project")]})


def api_key(settings: RedmineSettings) -> str | None:
    """The API key, or ``None`` (an anonymous read).

    Example::

        api_key(RedmineSettings(api_key="0123"))  # '0123'
    """
    if settings.api_key is None:
        return None
    return settings.api_key.get_secret_value().strip() or None


def client_for(url: str, settings: RedmineSettings) -> HttpClient:
    """An :class:`~pmo_core.http.HttpClient` for ``url`` with the settings' key, rate and
    timeout.

    Example::

        with client_for("https://redmine.example", RedmineSettings(api_key="0123")) as c:
            c.get_json("/users/current.json")
    """
    key = api_key(settings)
    return HttpClient(
        url,
        secret_headers={KEY_HEADER: key} if key else None,
        read_timeout=settings.timeout,
        rate=settings.rate,
    )


@contextmanager
def connected(request: ConnectorRequest) -> Iterator[tuple[HttpClient, str, RedmineSettings]]:
    """The client for the request's Redmine, its base URL and the settings, with the API
    key checked first (``/users/current.json``): Redmine answers a request with an unknown
    key as it answers an anonymous one, so public projects would be read as if the key
    were right. A refused key is one line naming the URL, never the key.

    Example::

        with connected(request) as (client, url, settings):
            client.get_json("/projects.json")
    """
    settings = settings_of(request)
    url = base_url(request, settings)
    settings = scoped(request, settings)
    with client_for(url, settings) as client:
        try:
            if api_key(settings) is not None:
                client.get_json("/users/current.json")
            yield client, url, settings
        except UnauthorisedError:
            raise InvalidInputError(
                "Redmine refused the API key (401 Unauthorized): check PMO_REDMINE_API_KEY "
                "(or the file PMO_REDMINE_API_KEY_FILE names)",
                where=url,
            ) from None


def decimal_hours(value: object) -> Decimal:
    """Hours as Redmine gives them (a float) as an exact decimal, to two places.

    Example::

        decimal_hours(1.1)  # Decimal('1.10')
    """
    return Decimal(str(value)).quantize(Decimal("0.01"))
