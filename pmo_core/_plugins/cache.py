"""pmo-core's small per-environment cache files, and what keys them.

Standard library only (``pmo --help`` reads these): no hashing module, no dataclasses.
"""

from __future__ import annotations

import binascii
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def cache_dir(environ: os._Environ[str] | dict[str, str] | None = None) -> Path:
    """Where pmo-core keeps its per-environment caches."""
    env = os.environ if environ is None else environ
    if env.get("PMO_CACHE_DIR"):
        return Path(env["PMO_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pmo-core"


def environment_fingerprint(paths: Sequence[str] | None = None) -> str:
    """Text that changes when a distribution is installed or removed on ``paths``: the
    interpreter and each entry with its modification time.

    Kept whole rather than hashed, so two environments can never share a cache entry by a
    collision (and no hash module is imported on ``pmo --help``).
    """
    parts = [sys.executable]
    for entry in sys.path if paths is None else paths:
        try:
            stamp = str(os.stat(entry or ".").st_mtime_ns)
        except OSError:
            stamp = "-"
        parts.append(f"{entry}\x1f{stamp}")
    return "\x1e".join(parts)


def short_key(text: str) -> str:
    """A short name for ``text`` in a cache file name (the file keeps ``text`` to check it).

    Example::

        short_key("3.11|/usr/lib/python3.11")  # '6a3f09c2'
    """
    return f"{binascii.crc32(text.encode(errors='surrogateescape')):08x}"


def write_json(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)  # atomic, so a concurrent reader never sees half a file
    except OSError:
        pass  # a read-only home must not break pmo; the index is simply not cached


def read_json(path: Path) -> dict[str, Any] | None:
    """Read a JSON cache file, or ``None`` when it is missing or not a JSON object."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_json_cache(name: str, environ: dict[str, str] | None = None) -> dict[str, Any] | None:
    """Read a JSON cache file kept beside the index, or ``None``."""
    env = dict(os.environ) if environ is None else environ
    return read_json(cache_dir(env) / name)


def write_json_cache(
    name: str, data: dict[str, Any], environ: dict[str, str] | None = None
) -> None:
    """Write a JSON cache file beside the index (best effort)."""
    env = dict(os.environ) if environ is None else environ
    write_json(cache_dir(env) / name, data)
