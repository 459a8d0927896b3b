"""Credentials never persisted: what a location or store URL holds of them is removed before
it is journaled, shown or put in an error.

A URL's user information (``https://alice:pw@host``) goes, and so do the values of query
parameters whose names say they are secret (``token``, ``api_key``, ``password``...). Paths
and other text pass unchanged.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Shown in place of a removed secret.
MASK = "***"

# Query parameter names that carry credentials, matched as whole words of the name (so
# ``access_token`` and ``X-Api-Key`` match, ``tokenizer`` does not).
_SECRET_WORDS = re.compile(
    r"(?:^|[_\-.])(token|key|apikey|secret|password|passwd|pass|pwd|auth|authorization|"
    r"signature|sig|session|credential|credentials|jwt|bearer|sas)(?:$|[_\-.])",
    re.IGNORECASE,
)


def redact(location: str) -> str:
    """``location`` with its credentials masked; anything that is not a URL unchanged.

    Example::

        >>> redact("https://alice:pw@pmis.example/api?token=t0k&project=7")
        'https://***@pmis.example/api?token=***&project=7'
        >>> redact("exports/portfolio.csv")
        'exports/portfolio.csv'
    """
    if "://" not in location and "?" not in location:
        return location
    try:
        parts = urlsplit(location)
    except ValueError:
        return MASK  # not even a URL we can read: show nothing of it
    netloc, query = parts.netloc, parts.query
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rpartition('@')[2]}"
    pairs = parse_qsl(query, keep_blank_values=True) if query else []
    if any(_SECRET_WORDS.search(name) for name, _ in pairs):
        masked = [(n, MASK if _SECRET_WORDS.search(n) else v) for n, v in pairs]
        query = urlencode(masked, safe="*")
    if (netloc, query) == (parts.netloc, parts.query):
        return location  # nothing secret: left exactly as written (sqlite:///... included)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
