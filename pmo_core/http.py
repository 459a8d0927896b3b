"""A small HTTP client for connector authors: JSON over HTTP with retries, a rate limit,
pagination, and one clear error per kind of failure, none of which ever shows a secret.

Needs the optional extra ``pmo-core[http]`` (httpx). Nothing in pmo-core imports this module
at start-up: a connector imports it when it is used.

- :class:`HttpClient`: a base URL, secret headers (an API key, a bearer token), connect and
  read timeouts, retries with exponential backoff and jitter on 429, 502, 503, 504 and on
  connection failures (honouring ``Retry-After``, capped), and at most ``rate`` requests a
  second; ``get_json``, ``post_json``, ``put_json``; and three ways of paging through a list:
  :meth:`~HttpClient.offset_pages` (``offset``/``limit``/``total_count``, as Redmine),
  :meth:`~HttpClient.start_at_pages` (``startAt``/``maxResults``/``isLast``, as Jira) and
  :meth:`~HttpClient.link_pages` (a ``Link: <...>; rel="next"`` header, as GitHub).
- :class:`HttpError` and its subclasses, each an :class:`~pmo_core.InvalidInputError` whose
  ``where`` is the URL with its credentials removed: :class:`UnreachableError`,
  :class:`UnauthorisedError` (401), :class:`ForbiddenError` (403),
  :class:`RemoteNotFoundError` (404), :class:`RejectedError` (another 4xx),
  :class:`RateLimitedError` (429 after the retries), :class:`ServerError` (5xx) and
  :class:`BadResponseError` (not the JSON expected).

Secrets go in ``secret_headers``: they are sent, and never appear in a message, a ``repr``
or a log line (the client logs retries at DEBUG under ``pmo_core.http``, the URL redacted).
Never put a secret in the query string: servers and proxies log URLs.

Example::

    from pmo_core.http import HttpClient

    with HttpClient("https://redmine.example", secret_headers={"X-Redmine-API-Key": key},
                    rate=5) as client:
        for issue in client.offset_pages("/issues.json", "issues", params={"status_id": "*"}):
            print(issue["id"], issue["subject"])
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

try:
    import httpx
except ModuleNotFoundError as exc:  # pragma: no cover - the extra is installed in the tests
    raise ModuleNotFoundError(
        "pmo_core.http needs httpx: pip install 'pmo-core[http]'", name="httpx"
    ) from exc

from ._errors import InvalidInputError
from ._redact import MASK
from ._redact import redact as _redact


def redact(url: str) -> str:
    """``url`` as a message may show it: user information and secret query parameters
    (``key``, ``token``, ``password``...) masked. For a connector's own messages.

    Example::

        redact("https://bob:pw@pmis.example/x?key=abc&page=2")
        # 'https://***@pmis.example/x?key=***&page=2'
    """
    return _redact(url)


__all__ = [
    "RETRY_STATUSES",
    "BadResponseError",
    "ForbiddenError",
    "HttpClient",
    "HttpError",
    "RateLimitedError",
    "RejectedError",
    "RemoteNotFoundError",
    "ServerError",
    "UnauthorisedError",
    "UnreachableError",
    "redact",
]

_log = logging.getLogger("pmo_core.http")

#: The statuses that are retried: the server is busy or a gateway lost it, not a refusal.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Statuses after which a POST may be sent again: the server said it did nothing.
_NOT_PROCESSED = frozenset({429, 503})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# A text quoted from a response body in a message: enough to recognise an HTML login page.
_QUOTE = 80
Progress = Callable[[int, "int | None"], None]


# ---------------------------------------------------------------------------- errors


class HttpError(InvalidInputError):
    """A request failed; ``where`` is the URL without credentials, ``status`` the HTTP status
    (``None`` when no response came). The message never holds a header or a secret.

    Example::

        try:
            client.get_json("/issues.json")
        except HttpError as exc:
            print(exc)   # 'https://redmine.example/issues.json: unauthorised (401): ...'
    """

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        self.url = redact(url)
        self.status = status
        super().__init__(message, where=self.url)


class UnreachableError(HttpError):
    """No response: the name does not resolve, the connection is refused or timed out.

    Example::

        UnreachableError("cannot connect: [Errno 111] Connection refused (3 attempts)",
                         url="http://127.0.0.1:9/issues.json")
    """


class UnauthorisedError(HttpError):
    """401: the server refused the credentials (a wrong or missing API key or token).

    Example::

        UnauthorisedError("unauthorised (401): the server refused the credentials",
                          url="https://redmine.example/users/current.json", status=401)
    """


class ForbiddenError(HttpError):
    """403: the credentials are valid but may not do this.

    Example::

        ForbiddenError("forbidden (403)", url="https://redmine.example/projects/x.json",
                       status=403)
    """


class RemoteNotFoundError(HttpError):
    """404: no such resource (or one the credentials may not see).

    Example::

        RemoteNotFoundError("not found (404)", url="https://redmine.example/issues/9.json",
                            status=404)
    """


class RejectedError(HttpError):
    """Another 4xx: the server refused the request itself (422: a field it does not accept).

    Example::

        RejectedError("rejected (422): Subject cannot be blank",
                      url="https://redmine.example/issues.json", status=422)
    """


class RateLimitedError(HttpError):
    """429 still, after every retry: the server keeps asking to slow down.

    Example::

        RateLimitedError("rate limited (429) after 5 attempts",
                         url="https://jira.example/rest/api/2/search", status=429)
    """


class ServerError(HttpError):
    """5xx: the server failed (after the retries, for 502, 503 and 504).

    Example::

        ServerError("server error (500)", url="https://redmine.example/issues.json",
                    status=500)
    """


class BadResponseError(HttpError):
    """A response that is not what was asked for: not JSON (an HTML login page, a proxy's
    error page), or JSON without the list a pagination helper reads.

    Example::

        BadResponseError("bad response: not JSON (text/html): '<!DOCTYPE html>...'",
                         url="https://redmine.example/issues.json", status=200)
    """


_BY_STATUS: dict[int, tuple[type[HttpError], str]] = {
    401: (UnauthorisedError, "unauthorised (401): the server refused the credentials"),
    403: (ForbiddenError, "forbidden (403): the credentials may not do this"),
    404: (RemoteNotFoundError, "not found (404)"),
    429: (RateLimitedError, "rate limited (429)"),
}


# ---------------------------------------------------------------------------- client


class HttpClient:
    """JSON over HTTP for a connector: see the module's docstring.

    ``base_url`` is the server (paths are joined to it; credentials in it are refused, put
    them in ``secret_headers``); ``headers`` are sent as they are; ``secret_headers`` are
    sent and masked wherever text could show them. ``connect_timeout`` and ``read_timeout``
    are in seconds. A retried request waits ``backoff * 2**attempt`` seconds at most
    ``max_backoff``, half of it random (jitter, so clients do not retry in step), or what
    ``Retry-After`` says (seconds or an HTTP date) at most ``max_retry_after``; it is sent at
    most ``1 + retries`` times. ``rate`` caps the requests a second (``None``: no cap).
    ``sleep``, ``clock`` (monotonic seconds, for the rate), ``now`` (epoch seconds, for a
    ``Retry-After`` date) and ``jitter`` (a float in [0, 1)) are injectable for tests, and
    ``transport`` too (``httpx.MockTransport``).

    Example::

        import httpx

        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={"ok": True})

        with HttpClient("https://pmis.example", transport=httpx.MockTransport(handler),
                        secret_headers={"Authorization": "Bearer s3cret"}) as client:
            client.get_json("/status")   # {'ok': True}
            repr(client)                 # "HttpClient('https://pmis.example')"
    """

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        secret_headers: Mapping[str, str] | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_retry_after: float = 120.0,
        rate: float | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInputError(
                "not an http(s) URL with a host", where=redact(base_url) or "base URL"
            )
        if parts.username or parts.password:
            raise InvalidInputError(
                "credentials in the URL are not accepted: give them as secret headers",
                where=redact(base_url),
            )
        if rate is not None and rate <= 0:
            raise ValueError(f"rate must be positive, not {rate}")
        self.base_url = base_url.rstrip("/")
        self._secrets = tuple(v for v in (secret_headers or {}).values() if v)
        all_headers = {"Accept": "application/json", **(headers or {}), **(secret_headers or {})}
        self._client = httpx.Client(
            headers=all_headers,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            transport=transport,
            follow_redirects=False,
        )
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self._interval = 1.0 / rate if rate else 0.0
        self._next_at = 0.0
        self._sleep = sleep
        self._clock = clock
        self._now = now
        self._jitter = jitter

    def __repr__(self) -> str:
        return f"HttpClient({redact(self.base_url)!r})"

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections.

        Example::

            client = HttpClient("https://pmis.example")
            client.close()
        """
        self._client.close()

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (already absolute URLs are kept).

        Example::

            HttpClient("https://redmine.example/sub").url("/issues.json")
            # 'https://redmine.example/sub/issues.json'
        """
        if "://" in path:
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    # ------------------------------------------------------------------ requests

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> httpx.Response:
        """Send one request (retried as the client says) and return a 2xx response; any
        other outcome raises the :class:`HttpError` of its kind.

        Example::

            response = client.request("GET", "/projects.json", params={"limit": 1})
            response.status_code   # 200
        """
        method = method.upper()
        url = self.url(path)
        attempt = 0
        while True:
            self._wait_for_rate()
            try:
                response = self._client.request(method, url, params=params, json=json_body)
            except httpx.TransportError as exc:
                shown = self._shown(url, params)
                retriable = method in _IDEMPOTENT or isinstance(
                    exc, (httpx.ConnectError, httpx.ConnectTimeout)
                )
                if not retriable or attempt >= self.retries:
                    raise UnreachableError(
                        f"cannot reach the server: {self._mask(_describe(exc))} "
                        f"({_attempts(attempt + 1)})",
                        url=shown,
                    ) from None
                delay = self._backoff(attempt)
            else:
                status = response.status_code
                if status < 300:
                    return response
                retriable = status in RETRY_STATUSES and (
                    method in _IDEMPOTENT or status in _NOT_PROCESSED
                )
                if not retriable or attempt >= self.retries:
                    raise self._error(response, attempt + 1)
                delay = self._retry_after(response, attempt)
            attempt += 1
            _log.debug(
                "%s %s failed, retry %d in %.1f s",
                method,
                redact(url),
                attempt,
                delay,
            )
            self._sleep(delay)

    def get_json(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``path`` and return its JSON.

        Example::

            client.get_json("/issues/12.json")["issue"]["subject"]
        """
        return self._json(self.request("GET", path, params=params))

    def post_json(self, path: str, body: Any, *, params: Mapping[str, Any] | None = None) -> Any:
        """POST ``body`` as JSON and return the response's JSON (``None`` when empty).

        Example::

            client.post_json("/issues.json", {"issue": {"project_id": 1, "subject": "A"}})
        """
        return self._json(self.request("POST", path, params=params, json_body=body))

    def put_json(self, path: str, body: Any, *, params: Mapping[str, Any] | None = None) -> Any:
        """PUT ``body`` as JSON and return the response's JSON (``None`` when empty, as
        Redmine's 204).

        Example::

            client.put_json("/issues/12.json", {"issue": {"done_ratio": 50}})   # None
        """
        return self._json(self.request("PUT", path, params=params, json_body=body))

    # ------------------------------------------------------------------ pagination

    def offset_pages(
        self,
        path: str,
        key: str,
        *,
        params: Mapping[str, Any] | None = None,
        limit: int = 100,
        progress: Progress | None = None,
    ) -> Iterator[Any]:
        """The items of the list ``key`` of every page, paged with ``offset`` and ``limit``
        until ``total_count`` items came (or a page comes back empty), as Redmine pages.
        ``progress(done, total)`` is called after each page.

        Example::

            for project in client.offset_pages("/projects.json", "projects"):
                print(project["identifier"])
        """
        offset = 0
        while True:
            url_params = {**(params or {}), "offset": offset, "limit": limit}
            data = self.get_json(path, params=url_params)
            items = self._list(data, key, path, url_params)
            total = data.get("total_count") if isinstance(data, dict) else None
            yield from items
            offset += len(items)
            if progress is not None:
                progress(offset, total if isinstance(total, int) else None)
            if not items or not isinstance(total, int) or offset >= total:
                return

    def start_at_pages(
        self,
        path: str,
        key: str,
        *,
        params: Mapping[str, Any] | None = None,
        max_results: int = 50,
        progress: Progress | None = None,
    ) -> Iterator[Any]:
        """The items of the list ``key`` of every page, paged with ``startAt`` and
        ``maxResults`` until ``isLast`` (or ``total`` items, or an empty page), as Jira
        pages. The server may send fewer items than asked: the next page starts after them.

        Example::

            for issue in client.start_at_pages("/rest/api/2/search", "issues",
                                               params={"jql": "project = PMO"}):
                print(issue["key"])
        """
        start = 0
        while True:
            url_params = {**(params or {}), "startAt": start, "maxResults": max_results}
            data = self.get_json(path, params=url_params)
            items = self._list(data, key, path, url_params)
            yield from items
            start += len(items)
            total = data.get("total")
            if progress is not None:
                progress(start, total if isinstance(total, int) else None)
            last = data.get("isLast")
            if not items or last is True:
                return
            if last is None and isinstance(total, int) and start >= total:
                return

    def link_pages(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> Iterator[Any]:
        """The items of every page, following the ``Link`` header's ``rel="next"`` URL (as
        GitHub and GitLab page): each page is a JSON list, or the list ``key`` of an object.
        A next URL on another host is refused, so the secret headers never leave the
        server they were given for.

        Example::

            for repo in client.link_pages("/orgs/acme/repos", params={"per_page": 100}):
                print(repo["name"])
        """
        url: str | None = self.url(path)
        url_params: Mapping[str, Any] | None = params
        origin = _origin(self.url(path))
        while url is not None:
            response = self.request("GET", url, params=url_params)
            data = self._json(response)
            items = data if key is None and isinstance(data, list) else None
            if items is None:
                items = self._list(data, key or "items", url, url_params)
            yield from items
            following = response.links.get("next", {}).get("url")
            if not following:
                return
            url = urljoin(str(response.url), following)
            url_params = None  # the next URL carries its query
            if _origin(url) != origin:
                raise BadResponseError(
                    f"bad response: the next page is on another server ({_origin(url)})",
                    url=self._shown(str(response.url), None),
                    status=response.status_code,
                )

    # ------------------------------------------------------------------ helpers

    def _wait_for_rate(self) -> None:
        if not self._interval:
            return
        now = self._clock()
        if self._next_at > now:
            self._sleep(self._next_at - now)
            now = self._next_at
        self._next_at = now + self._interval

    def _backoff(self, attempt: int) -> float:
        full = min(self.max_backoff, self.backoff * 2**attempt)
        return float(full / 2 + full / 2 * self._jitter())

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        header = response.headers.get("Retry-After", "").strip()
        seconds: float | None = None
        if header:
            try:
                seconds = float(header)
            except ValueError:
                try:
                    when = email.utils.parsedate_to_datetime(header)
                except (TypeError, ValueError):
                    when = None
                if when is not None:
                    if when.tzinfo is None:
                        when = when.replace(tzinfo=timezone.utc)
                    now = datetime.fromtimestamp(self._now(), timezone.utc)
                    seconds = (when - now).total_seconds()
        if seconds is None:
            return self._backoff(attempt)
        return min(max(seconds, 0.0), self.max_retry_after)

    def _json(self, response: httpx.Response) -> Any:
        if not response.content.strip():
            return None
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            kind = response.headers.get("Content-Type", "no content type").split(";")[0]
            raise BadResponseError(
                f"bad response: not JSON ({kind}): {self._quote(response)}",
                url=self._shown(str(response.request.url), None),
                status=response.status_code,
            ) from None

    def _list(self, data: Any, key: str, path: str, params: Mapping[str, Any] | None) -> list[Any]:
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise BadResponseError(
                f"bad response: no list {key!r} in the page",
                url=self._shown(self.url(path), params),
            )
        return items

    def _error(self, response: httpx.Response, attempts: int) -> HttpError:
        status = response.status_code
        url = self._shown(str(response.request.url), None)
        tried = f" after {_attempts(attempts)}" if attempts > 1 else ""
        if status in _BY_STATUS:
            cls, message = _BY_STATUS[status]
            return cls(message + tried, url=url, status=status)
        if status >= 500:
            return ServerError(
                f"server error ({status} {response.reason_phrase}){tried}", url=url, status=status
            )
        if 300 <= status < 400:
            where = response.headers.get("Location", "")
            return BadResponseError(
                f"bad response: redirected ({status}) to {redact(where) or 'nowhere'}; "
                "check the URL (http or https, a path prefix)",
                url=url,
                status=status,
            )
        return RejectedError(
            f"rejected ({status} {response.reason_phrase}){self._reasons(response)}",
            url=url,
            status=status,
        )

    def _reasons(self, response: httpx.Response) -> str:
        # Redmine says why in {"errors": [...]}, others in {"message": ...}.
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return ""
        found: list[str] = []
        if isinstance(data, dict):
            errors = data.get("errors") or data.get("errorMessages") or data.get("message")
            if isinstance(errors, str):
                found = [errors]
            elif isinstance(errors, list):
                found = [str(e) for e in errors[:5]]
        return f": {self._mask('; '.join(found))}" if found else ""

    def _quote(self, response: httpx.Response) -> str:
        text = " ".join(response.text[: _QUOTE * 2].split())
        text = self._mask(text)
        return repr(text[:_QUOTE] + ("..." if len(text) > _QUOTE else ""))

    def _mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def _shown(self, url: str, params: Mapping[str, Any] | None) -> str:
        # httpx.URL(url, params=None) drops the query the URL has: only given params merge.
        full = str(httpx.URL(url).copy_merge_params(dict(params)) if params else url)
        return self._mask(redact(full))


def _describe(exc: httpx.TransportError) -> str:
    kinds: dict[type[Exception], str] = {
        httpx.ConnectTimeout: "connection timed out",
        httpx.ReadTimeout: "no answer in time",
        httpx.WriteTimeout: "could not send in time",
        httpx.PoolTimeout: "no free connection in time",
    }
    kind = kinds.get(type(exc))
    text = str(exc)
    if kind:
        return kind
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _attempts(n: int) -> str:
    return f"{n} attempt" + ("s" if n != 1 else "")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname or "", parts.port
