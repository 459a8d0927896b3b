"""The environment switches pmo-core reads, parsed one way everywhere.

Standard library only: the CLI reads these before it imports anything else.

- ``PMO_WORKSPACE``: the workspace directory;
- ``PMO_PLUGINS_ALLOW`` / ``PMO_PLUGINS_DENY``: comma-separated plugin ids or distribution
  names; only the allowed may load, the denied never do;
- ``PMO_STRICT``, ``PMO_TRACE``, ``PMO_NO_CACHE``, ``PMO_DEBUG``: switches, on when set to
  ``1``, ``true``, ``yes`` or ``on`` (any case);
- ``PMO_STORE_URL``: the store URL, overriding ``[workspace] store`` (read by the config);
- ``PMO_USER``: who the journal records; ``PMO_CACHE_DIR``: where caches live;
  ``PMO_PREFLIGHT_CACHE_DIR``: where plugins' pre-flight verdicts live (default: the cache);
- ``PMO_<NAME>_<FIELD>``: a plugin's settings (see ``Workspace.settings``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

_TRUE = frozenset({"1", "true", "yes", "on"})


def env_flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """True when the environment variable ``name`` is set to 1/true/yes/on."""
    env = os.environ if environ is None else environ
    return env.get(name, "").strip().lower() in _TRUE


def env_list(name: str, environ: Mapping[str, str] | None = None) -> frozenset[str] | None:
    """A comma-separated environment list, or ``None`` when the variable is unset."""
    env = os.environ if environ is None else environ
    if name not in env:
        return None
    return frozenset(item.strip() for item in env[name].split(",") if item.strip())
