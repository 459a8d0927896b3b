"""The ``jira`` connector's settings, the deployment they point at, and the HTTP client they
make."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable
from typing import Literal
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, Field, SecretStr, field_validator

from pmo_core import ConnectorRequest, InvalidInputError, Money
from pmo_core.http import HttpClient

#: Jira Cloud (REST API v3, email + API token) or Data Center / Server (REST API v2, a
#: personal access token).
Deployment = Literal["cloud", "datacenter"]

_CUSTOM_FIELD = re.compile(r"customfield_[0-9]+")


class JiraSettings(BaseModel):
    """Settings of the ``jira`` connector, from ``[settings.jira]`` in ``pmo.toml`` or
    ``PMO_JIRA_<FIELD>`` environment variables.

    ``url`` is the Jira base URL (default: the import's location). ``token`` is the secret,
    from ``PMO_JIRA_TOKEN`` or the file ``PMO_JIRA_TOKEN_FILE`` names, never from
    ``pmo.toml``: on Cloud an API token sent with ``email`` as basic auth, on Data Center a
    personal access token sent as a bearer token; without it Jira is read anonymously.
    ``deployment`` is ``cloud`` (REST API v3) or ``datacenter`` (REST API v2); by default a
    ``*.atlassian.net`` URL is Cloud and any other Data Center.

    ``projects`` lists the project keys to read (``PMO_JIRA_PROJECTS=PMO,OPS``); ``jql``
    replaces the query that selects the issues (default: ``project in (<projects>)``), and
    one of them is needed. ``parent`` is the key of a local portfolio or program the
    projects are put under.
    ``story_points_field``, ``start_date_field``, ``sprint_field`` and ``epic_link_field``
    name the custom fields (``customfield_NNNNN``) of the site's story points, start date,
    sprint and (Data Center) epic link; ``None`` reads none. ``hour_rate`` prices worklogs
    (``"85 EUR"``): without it worklogs are not read. ``rate`` caps the requests a second,
    ``page_size`` the issues a page, ``timeout`` the seconds to wait for an answer.

    Example::

        # pmo.toml
        [settings.jira]
        projects = ["PMO", "OPS"]
        story_points_field = "customfield_10016"
        hour_rate = "85 EUR"
        # and in the environment: PMO_JIRA_EMAIL=... PMO_JIRA_TOKEN=...
    """

    url: str | None = Field(
        default=None, description="The Jira base URL (default: the import's location)."
    )
    token: SecretStr | None = Field(
        default=None,
        description=(
            "Cloud: an API token; Data Center: a personal access token. PMO_JIRA_TOKEN, or "
            "PMO_JIRA_TOKEN_FILE naming a file that holds it (a mounted secret); never in "
            "pmo.toml. Without one Jira is read anonymously."
        ),
    )
    email: str | None = Field(
        default=None,
        description="Cloud: the account's email address, sent with the token (PMO_JIRA_EMAIL).",
    )
    deployment: Deployment | None = Field(
        default=None,
        description=(
            "cloud (REST v3) or datacenter (REST v2); default: a *.atlassian.net URL is "
            "Cloud, any other Data Center."
        ),
    )
    projects: list[str] = Field(
        default_factory=list,
        description="The project keys to read (PMO_JIRA_PROJECTS=PMO,OPS).",
    )
    jql: str | None = Field(
        default=None,
        description=(
            "The issues to read (default: project in (<projects>)); an ORDER BY in it is "
            "dropped: the connector orders."
        ),
    )
    parent: str | None = Field(
        default=None,
        description="The key of a local portfolio or program the projects are put under.",
    )
    story_points_field: str | None = Field(
        default=None, description="The story points custom field (customfield_NNNNN)."
    )
    start_date_field: str | None = Field(default=None, description="The start date custom field.")
    sprint_field: str | None = Field(
        default="customfield_10020", description="The sprint field of Jira Software."
    )
    epic_link_field: str | None = Field(
        default=None,
        description=(
            "Data Center: the Epic Link custom field (Cloud gives an issue's epic as its parent)."
        ),
    )
    hour_rate: str | None = Field(
        default=None,
        description=(
            "What an hour of logged work costs ('85 EUR'); without it worklogs are not read."
        ),
    )
    rate: float = Field(default=10.0, gt=0, description="At most this many requests a second.")
    page_size: int = Field(default=50, ge=1, le=100, description="Issues a search page.")
    timeout: float = Field(default=60.0, gt=0, description="Seconds to wait for an answer.")

    @field_validator("projects", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        # From the environment a list comes as text: PMO_JIRA_PROJECTS=PMO,OPS.
        if isinstance(value, str):
            return [k.strip() for k in value.split(",") if k.strip()]
        return value

    @field_validator("story_points_field", "start_date_field", "sprint_field", "epic_link_field")
    @classmethod
    def _check_field(cls, value: str | None) -> str | None:
        if value is not None and not _CUSTOM_FIELD.fullmatch(value):
            raise ValueError(f"{value!r} is not a custom field id (customfield_NNNNN)")
        return value

    @field_validator("hour_rate")
    @classmethod
    def _check_rate(cls, value: str | None) -> str | None:
        if value is not None:
            Money.parse(value)
        return value

    def deployment_for(self, url: str) -> Deployment:
        """``deployment`` when set, else ``cloud`` for a ``*.atlassian.net`` URL and
        ``datacenter`` for any other.

        Example::

            JiraSettings().deployment_for("https://acme.atlassian.net")  # 'cloud'
            JiraSettings().deployment_for("https://jira.acme.example")   # 'datacenter'
        """
        if self.deployment is not None:
            return self.deployment
        host = (urlsplit(url).hostname or "").lower()
        return "cloud" if host.endswith(".atlassian.net") else "datacenter"

    def hour_money(self) -> Money | None:
        """``hour_rate`` as money, or ``None``.

        Example::

            JiraSettings(hour_rate="85 EUR").hour_money()  # 85 EUR
        """
        return Money.parse(self.hour_rate) if self.hour_rate else None


def settings_of(request: ConnectorRequest) -> JiraSettings:
    """The request's settings as :class:`JiraSettings` (defaults when there are none).

    Example::

        settings_of(ConnectorRequest(location="https://acme.atlassian.net")).page_size  # 50
    """
    if isinstance(request.settings, JiraSettings):
        return request.settings
    if request.settings is None:
        return JiraSettings()
    return JiraSettings.model_validate(request.settings.model_dump())


def base_url(request: ConnectorRequest, settings: JiraSettings) -> str:
    """The Jira base URL: ``settings.url``, else the location.

    Example::

        base_url(ConnectorRequest(location="https://acme.atlassian.net/"), JiraSettings())
        # 'https://acme.atlassian.net'
    """
    return (settings.url or request.location).rstrip("/")


def auth_header(url: str, settings: JiraSettings) -> str | None:
    """The ``Authorization`` header's value: ``Basic`` email:token on Cloud, ``Bearer``
    token on Data Center; ``None`` without a token (an anonymous read).

    Example::

        auth_header("https://jira.acme.example", JiraSettings(token="pat"))  # 'Bearer pat'
    """
    token = settings.token.get_secret_value().strip() if settings.token else ""
    if not token:
        return None
    if settings.deployment_for(url) == "datacenter":
        return f"Bearer {token}"
    if not settings.email:
        raise InvalidInputError(
            "Jira Cloud takes the account's email with the API token: set PMO_JIRA_EMAIL "
            "(or deployment = 'datacenter' for a personal access token)",
            where=url,
        )
    pair = f"{settings.email}:{token}".encode()
    return f"Basic {base64.b64encode(pair).decode('ascii')}"


def client_for(
    url: str,
    settings: JiraSettings,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
) -> HttpClient:
    """An :class:`~pmo_core.http.HttpClient` for ``url`` with the settings' credentials,
    rate and timeout; ``transport`` and ``sleep`` stand in for the network and the clock in
    tests.

    Example::

        with client_for("https://jira.acme.example", JiraSettings(token="pat")) as client:
            client.get_json("/rest/api/2/myself")
    """
    header = auth_header(url, settings)
    return HttpClient(
        url,
        secret_headers={"Authorization": header} if header else None,
        read_timeout=settings.timeout,
        rate=settings.rate,
        transport=transport,
        sleep=sleep or time.sleep,
    )
