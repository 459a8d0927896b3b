"""Where a workspace is and how its ``pmo.toml`` is read as TOML (standard library only).

The CLI lists commands for ``pmo --help`` from this alone; validating the file is the
business of :class:`~pmo_core.WorkspaceConfig`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._errors import InvalidInputError, NotFoundError

CONFIG_FILE = "pmo.toml"
DATA_DIR = ".pmo"


def find_workspace(start: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Find the workspace directory: ``PMO_WORKSPACE``, else the nearest ``pmo.toml`` upward.

    Example::

        find_workspace(Path.cwd())  # PosixPath('/home/ana/acme')
    """
    env = os.environ if environ is None else environ
    if env.get("PMO_WORKSPACE"):
        return Path(env["PMO_WORKSPACE"]).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    raise NotFoundError(
        f"no {CONFIG_FILE} in {here} or any parent (run 'pmo init', or pass --workspace)"
    )


def read_toml(root: Path) -> dict[str, Any]:
    """The parsed ``root/pmo.toml``; a malformed file is an error naming the file and line.

    Example::

        read_toml(Path("acme"))["plugins"]["enabled"]  # ['governance', 'reports']
    """
    # Imported here: `pmo --help` finds the workspace but reads its TOML only on a cache miss.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    path = root / CONFIG_FILE
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise NotFoundError(
            f"no {CONFIG_FILE} in {root} (run 'pmo init' to create a workspace)"
        ) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read it: {exc.strerror or exc}", where=str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInputError(
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line}", where=str(path)
        ) from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(str(exc), where=str(path)) from None
    except RecursionError:
        # The parser recurses once per level of nesting; no real pmo.toml nests this deep.
        raise InvalidInputError("arrays or tables nested too deeply", where=str(path)) from None
    return data


def enabled_plugins(root: Path) -> tuple[str, ...]:
    """``[plugins] enabled`` of ``root/pmo.toml`` without validating the rest (for help).

    Example::

        enabled_plugins(Path("acme"))  # ('governance', 'reports')
    """
    try:
        plugins = read_toml(root).get("plugins")
    except InvalidInputError:
        return ()  # help still lists the built-ins; any command names the problem
    enabled = plugins.get("enabled") if isinstance(plugins, dict) else None
    if not isinstance(enabled, list):
        return ()
    return tuple(e for e in enabled if isinstance(e, str))
