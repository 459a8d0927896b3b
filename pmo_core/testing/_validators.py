"""Validators for plugin authors: would the host load this plugin, and if not, why?"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Mapping
from pathlib import Path

_HOOK_PREFIX = "pmo_"


def _guess_id(plugin: object) -> str:
    name = getattr(plugin, "__name__", None) or type(plugin).__name__
    name = str(name).rpartition(".")[2]
    return re.sub(r"[\s_.]+", "-", name).lower().strip("-") or "plugin"


def _static_problems(plugin: object) -> list[str]:
    """Mistakes the host cannot see: it only looks at functions marked with ``@hookimpl``."""
    import pluggy

    from .. import hookspecs

    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    known = set(hookspecs.HOOKS)
    problems: list[str] = []
    implemented = 0
    for name in dir(plugin):
        if not name.startswith(_HOOK_PREFIX):
            continue
        try:
            value = getattr(plugin, name)
        except Exception:  # a raising attribute is not ours to judge here
            continue
        if not callable(value) or inspect.isclass(value):
            continue
        opts = pm.parse_hookimpl_opts(plugin, name)
        if opts is None:
            if name in known:
                problems.append(
                    f"{name} is named like a pmo-core hook but is not marked with "
                    "@hookimpl, so the host ignores it"
                )
            continue
        if name not in known and not opts.get("optionalhook"):
            problems.append(
                f"{name} is marked with @hookimpl but is not a pmo-core hook "
                f"(hooks: {', '.join(sorted(known))})"
            )
            continue
        implemented += 1
    if implemented == 0 and not problems:
        problems.append("implements no pmo-core hook (mark functions with @hookimpl)")
    return problems


def check_plugin(
    plugin: object,
    *,
    plugin_id: str | None = None,
    others: Mapping[str, object] | None = None,
) -> list[str]:
    """Return what is wrong with a plugin object or module (an empty list when nothing is).

    The plugin is registered in a fresh :class:`~pmo_core.PluginHost` (with pmo-core's
    built-ins and ``others``, to catch name clashes with them), so the problems are the
    host's own reasons to quarantine it: an invalid hook implementation, a registration hook
    that raises or yields a wrong type or an invalid record, a record name yielded twice or
    already taken. It also reports what the host silently ignores: a function named after a
    hook but not marked with ``@hookimpl``, a marked function that is no hook (a typo), and a
    plugin that implements no hook at all.

    Example::

        import pmo_governance
        from pmo_core import hookimpl
        from pmo_core.testing import check_plugin

        assert check_plugin(pmo_governance) == []

        class Broken:
            @hookimpl
            def pmo_reports(self):
                raise KeyError("risk-heatmap")

        check_plugin(Broken())  # ["pmo_reports raised KeyError: 'risk-heatmap'"]
    """
    from .._plugins.host import PluginHost

    pid = plugin_id or _guess_id(plugin)
    problems = _static_problems(plugin)
    extra = dict(others or {})
    extra[pid] = plugin
    # index=[]: the plugin is judged on its own, not against whatever else is installed.
    host = PluginHost(plugins=extra, index=[], strict=False)
    status = host.status(pid)
    if status.state != "loaded":
        problems.insert(0, status.error or status.state)
    return problems


def assert_valid_plugin(
    plugin: object,
    *,
    plugin_id: str | None = None,
    others: Mapping[str, object] | None = None,
) -> None:
    """Fail (``AssertionError``) with the host's reasons when :func:`check_plugin` finds any.

    Example::

        def test_plugin_is_valid():
            assert_valid_plugin(my_plugin)
    """
    problems = check_plugin(plugin, plugin_id=plugin_id, others=others)
    if problems:
        name = plugin_id or _guess_id(plugin)
        listed = "\n".join(f"  - {p}" for p in problems)
        raise AssertionError(f"plugin {name!r} is not valid:\n{listed}")


# "pmo_core._x" (imported, or named in a string for importlib) and "from pmo_core import _x";
# dunders such as pmo_core.__version__ are public.
_PRIVATE_USE = re.compile(r"pmo_core\._(?!_)|from\s+pmo_core\s+import\s+[^\n]*?\b_(?!_)\w")


def private_sdk_uses(*paths: str | os.PathLike[str]) -> list[str]:
    """Every line of the Python files under ``paths`` that reaches into pmo-core's privates.

    A plugin built on the public SDK (``pmo_core``, ``pmo_core.hookspecs``,
    ``pmo_core.testing``) keeps working when pmo-core's internals change; this finds the
    places that would break, as ``file:line: text``.

    Example::

        assert private_sdk_uses("pmo_acme_rules", "tests") == []
    """
    found: list[str] = []
    for root in map(Path, paths):
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in files:
            lines = path.read_text(encoding="utf-8").splitlines()
            found += [
                f"{path}:{n}: {line.strip()}"
                for n, line in enumerate(lines, start=1)
                if _PRIVATE_USE.search(line)
            ]
    return found


def assert_public_sdk_only(*paths: str | os.PathLike[str]) -> None:
    """Fail with every private use found by :func:`private_sdk_uses` under ``paths``.

    Example::

        from pathlib import Path
        from pmo_core.testing import assert_public_sdk_only

        def test_uses_only_the_public_sdk():
            here = Path(__file__).resolve().parent
            assert_public_sdk_only(here.parent / "pmo_acme_rules", here)
    """
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise AssertionError(f"nothing to check at {', '.join(missing)}")
    uses = private_sdk_uses(*paths)
    if uses:
        raise AssertionError(
            "private pmo-core names used (import only pmo_core and pmo_core.testing):\n"
            + "\n".join(uses)
        )
