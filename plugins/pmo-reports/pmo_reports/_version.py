"""The distribution's version, as every output names it."""

from __future__ import annotations

VERSION = "0.1.0"
GENERATED_BY = f"pmo-reports {VERSION}"
