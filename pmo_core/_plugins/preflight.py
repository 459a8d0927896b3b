"""Pre-flight imports: each installed plugin is first imported in a child process, once per
environment and plugin file, before pmo-core imports it itself.

Some things a plugin's import can do cannot be caught in-process: ``os._exit`` ends the
process at once, and a handler registered with ``atexit`` can replace the exit status of
every command. The child imports the plugin, prints a sentinel with the import time, and
ends with a status of its own; anything else (another status, no sentinel, a timeout) refuses
the plugin from then on, with the reason. Verdicts are cached, keyed by each plugin's
distribution, version and file (its path, size and modification time), so the cost is paid
again only when the plugin changes. They are kept in ``PMO_PREFLIGHT_CACHE_DIR`` if set (the
testing kit shares one among the tests of a session), else in the cache directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from .cache import cache_dir, read_json, write_json
from .index import PluginEntry

#: How long a plugin's import may take in the pre-flight before it is refused.
TIMEOUT_SECONDS = 30.0
#: How many verdicts the cache keeps (the most recent): every change of a plugin adds one.
_KEEP = 500
_SENTINEL = "pmo-preflight-ok"
# A status of the child's own: 0 would also be what a plugin's os._exit(0) gives.
_STATUS = 73
# An import that raises is fine here: pmo-core contains exceptions (and sys.exit) in-process
# and quarantines the plugin with the error; only what it cannot contain is refused.
_CHILD = f"""
import importlib, sys, time
started = time.perf_counter()
try:
    module, _, attr = sys.argv[1].partition(":")
    obj = importlib.import_module(module.strip())
    for part in attr.strip().split(".") if attr.strip() else ():
        obj = getattr(obj, part)
except BaseException:
    pass
print("{_SENTINEL}", time.perf_counter() - started, flush=True)
sys.exit({_STATUS})
"""


@dataclass(frozen=True)
class Verdict:
    """Whether a plugin may be imported in-process, and how long its import took.

    Example::

        Verdict(ok=False, reason="its import ends the process (exit status 0)", seconds=0.1)
    """

    ok: bool
    reason: str = ""
    seconds: float = 0.0


def _plugin_key(entry: PluginEntry) -> str:
    # The top-level module's file stands for the plugin's code: find_spec of a top-level name
    # searches sys.path without running anything. An editable install changes it in place.
    top = entry.module.partition(".")[0]
    stamp = "-"
    try:
        spec = find_spec(top)
        origin = spec.origin if spec else None
        if origin and os.path.exists(origin):
            st = os.stat(origin)
            stamp = f"{origin}\x1f{st.st_mtime_ns}\x1f{st.st_size}"
    except (ImportError, ValueError):
        pass
    return "\x1f".join((entry.id, entry.distribution, entry.version, entry.value, stamp))


def verdicts(
    entries: Iterable[PluginEntry],
    *,
    timeout: float = TIMEOUT_SECONDS,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Verdict]:
    """The pre-flight verdict of each entry, by plugin id: cached ones read, the others found
    by importing each in a child process (all at once, each on its own).

    Example::

        verdicts(host.installed())["csv"].ok  # True
    """
    entries = list(entries)
    env = dict(os.environ if environ is None else environ)
    path = _cache_file(env)
    cached = read_json(path) or {}
    known = cached.get("plugins") if cached.get("format") == 1 else None
    known = dict(known) if isinstance(known, dict) else {}
    out: dict[str, Verdict] = {}
    todo: list[tuple[PluginEntry, str]] = []
    for entry in entries:
        key = _plugin_key(entry)
        seen = known.get(key)
        if isinstance(seen, dict) and isinstance(seen.get("ok"), bool):
            out[entry.id] = Verdict(
                ok=seen["ok"],
                reason=str(seen.get("reason", "")),
                seconds=float(seen.get("seconds", 0)),
            )
        else:
            todo.append((entry, key))
    if todo:
        for (entry, key), verdict in zip(todo, _run(todo, timeout, env), strict=True):
            out[entry.id] = verdict
            known[key] = {"ok": verdict.ok, "reason": verdict.reason, "seconds": verdict.seconds}
        recent = dict(list(known.items())[-_KEEP:])
        write_json(path, {"format": 1, "plugins": recent})
    return out


def _cache_file(env: Mapping[str, str]) -> Path:
    where = env.get("PMO_PREFLIGHT_CACHE_DIR")
    return (Path(where) if where else cache_dir(dict(env))) / "preflight.json"


def _run(todo: list[tuple[PluginEntry, str]], timeout: float, env: dict[str, str]) -> list[Verdict]:
    # The child sees the same import path as this process (plugins installed on a path
    # added at run time included), and cannot talk to a terminal.
    env = {**env, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    started = time.monotonic()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, entry.value],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for entry, _ in todo
    ]
    return [_verdict(child, started + timeout, timeout) for child in children]


def _verdict(child: subprocess.Popen[str], deadline: float, timeout: float) -> Verdict:
    try:
        out, _ = child.communicate(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return Verdict(False, f"its import did not finish within {timeout:g} s", timeout)
    lines = [line for line in out.splitlines() if line.startswith(_SENTINEL)]
    seconds = _seconds(lines[-1]) if lines else 0.0
    if lines and child.returncode == _STATUS:
        return Verdict(True, "", seconds)
    if lines:
        # Imported, but something it left behind (an atexit handler, a thread) changed how
        # the process ends: in pmo it would replace the status of every command.
        return Verdict(
            False, f"after its import the process ends with status {child.returncode}", seconds
        )
    return Verdict(False, f"its import ends the process (exit status {child.returncode})")


def _seconds(line: str) -> float:
    try:
        return float(line.split()[-1])
    except ValueError:
        return 0.0
