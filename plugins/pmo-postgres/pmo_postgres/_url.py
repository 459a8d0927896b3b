"""PostgreSQL store URLs: what pmo reads from them, what goes to libpq, and what is shown.

``postgresql://USER:PASSWORD@HOST:PORT/DATABASE?schema=pmo&pool_max=4`` (``postgres://``
too). ``schema`` and ``pool_max`` are pmo's; every other query parameter (``sslmode``,
``connect_timeout``, ``host=/run/postgresql`` for a socket...) goes to libpq as written. The
password (in the user information or a ``password`` parameter) never leaves this module but
in the connection string given to libpq: everything shown uses :attr:`ServerUrl.shown`, and
:meth:`ServerUrl.mask` takes it out of any text (a driver's error message).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from pmo_core import InvalidInputError

#: Shown in place of a password.
MASK = "***"
SCHEMES = ("postgresql", "postgres")
DEFAULT_SCHEMA = "pmo"
DEFAULT_POOL_MAX = 4
# Lower case only: an unquoted identifier in psql means the same schema.
_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}\Z")
# Query parameters that carry a secret, by libpq's names.
_SECRET_PARAMS = frozenset({"password", "sslpassword"})
# Without it libpq waits for an unreachable host as long as TCP does (minutes).
_CONNECT_TIMEOUT = "10"


def _secret_forms(secret: str) -> set[str]:
    return {s for s in (secret, quote(secret, safe=""), quote(secret)) if s}


class ServerUrl:
    """One parsed store URL. Its repr and :attr:`shown` hold no password."""

    __slots__ = ("_conninfo", "_secrets", "pool_max", "schema", "shown")

    def __init__(self, url: str) -> None:
        shown = mask_url(url)
        try:
            parts = urlsplit(url)
            port = parts.port  # raises on a port that is not a number
        except ValueError:
            raise InvalidInputError(
                f"malformed PostgreSQL URL {shown!r}", where="store url"
            ) from None
        if parts.scheme.lower() not in SCHEMES:
            raise InvalidInputError(f"not a PostgreSQL URL: {shown!r}", where="store url")
        del port
        secrets: set[str] = set()
        if parts.password:
            secrets |= _secret_forms(parts.password) | _secret_forms(unquote(parts.password))
        schema, pool_max = DEFAULT_SCHEMA, DEFAULT_POOL_MAX
        passed: list[tuple[str, str]] = []
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name == "schema":
                if not _SCHEMA_RE.match(value):
                    raise InvalidInputError(
                        f"schema={value!r} in {shown!r}: a schema name is lower-case letters, "
                        "digits and _ (at most 63), not starting with a digit",
                        where="store url",
                    )
                schema = value
            elif name == "pool_max":
                if not value.isdigit() or not 1 <= int(value) <= 100:
                    raise InvalidInputError(
                        f"pool_max={value!r} in {shown!r}: the most connections the store "
                        "opens, 1 to 100",
                        where="store url",
                    )
                pool_max = int(value)
            else:
                if name in _SECRET_PARAMS:
                    secrets |= _secret_forms(value)
                passed.append((name, value))
        if not any(name == "connect_timeout" for name, _ in passed):
            passed.append(("connect_timeout", _CONNECT_TIMEOUT))
        query = urlencode(passed)
        self._conninfo = urlunsplit(("postgresql", parts.netloc, parts.path, query, ""))
        self._secrets = tuple(sorted(secrets, key=len, reverse=True))
        self.schema = schema
        self.pool_max = pool_max
        self.shown = shown

    @property
    def conninfo(self) -> str:
        """The connection string for libpq (password included): never show it."""
        return self._conninfo

    def mask(self, text: str) -> str:
        """``text`` with every form of the password replaced by ``***``."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def __repr__(self) -> str:
        return f"ServerUrl({self.shown!r})"


def mask_url(url: str) -> str:
    """``url`` with its password (user information or ``password=`` parameter) masked.

    The user name stays: it is no secret, and it says which role was refused.

    Example::

        >>> mask_url("postgresql://pmo:s3cret@db.example:5432/pmo?schema=acme")
        'postgresql://pmo:***@db.example:5432/pmo?schema=acme'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, colon, _ = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{hostport}" if colon else netloc
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(name in _SECRET_PARAMS for name, _ in pairs):
            query = urlencode([(n, MASK if n in _SECRET_PARAMS else v) for n, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
