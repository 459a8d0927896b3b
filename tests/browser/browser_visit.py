"""What a browser test saw when it opened a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Visit:
    """A page opened from a file, with everything it tried and said: requests to anything but
    the page itself (blocked and recorded), console errors, uncaught page errors."""

    page: Any
    url: str
    outside: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
