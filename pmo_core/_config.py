"""The workspace configuration file, ``pmo.toml``, and the environment switches.

Reading uses the stdlib TOML parser (fast, on every command); writing uses tomlkit so the
user's comments and layout survive ``pmo plugins enable``.

``pmo.toml``::

    [workspace]
    name = "Acme PMO"
    store = "sqlite:///.pmo/pmo.db"   # relative paths are relative to this file
    currency = "EUR"
    governance_model = "supportive"   # default for entities that name none
    methodology = "stage-gate"        # default for new projects

    [plugins]
    enabled = ["governance", "reports"]
    order = []                        # explicit load order; the rest follow by id
    strict = false                    # a failing plugin is an error, not a quarantine

    [settings.csv]                    # a plugin's settings (see pmo_settings)
    delimiter = ","

Environment: ``PMO_WORKSPACE`` (the workspace directory), ``PMO_PLUGINS_ALLOW`` and
``PMO_PLUGINS_DENY`` (comma-separated plugin ids or distribution names: only the allowed may
load, the denied never do), ``PMO_STRICT=1``, ``PMO_TRACE=1``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import InvalidInputError, NotFoundError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILE = "pmo.toml"
DATA_DIR = ".pmo"
DEFAULT_STORE = f"sqlite:///{DATA_DIR}/pmo.db"

_TRUE = {"1", "true", "yes", "on"}
_WORKSPACE_KEYS = frozenset({"name", "store", "currency", "governance_model", "methodology"})
_PLUGINS_KEYS = frozenset({"enabled", "order", "strict"})


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


@dataclass(frozen=True)
class WorkspaceConfig:
    """The parsed ``pmo.toml`` of a workspace.

    Example::

        config = WorkspaceConfig.load(Path("acme"))
        config.enabled  # ('governance', 'reports')
    """

    root: Path
    name: str = "PMO"
    store: str = DEFAULT_STORE
    currency: str = "EUR"
    governance_model: str = "supportive"
    methodology: str | None = None
    enabled: tuple[str, ...] = ()
    order: tuple[str, ...] = ()
    strict: bool = False
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        """The ``pmo.toml`` file."""
        return self.root / CONFIG_FILE

    @classmethod
    def load(cls, root: Path) -> WorkspaceConfig:
        """Read ``root/pmo.toml``; a malformed file is an error naming the file and line."""
        path = root / CONFIG_FILE
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except FileNotFoundError:
            raise NotFoundError(
                f"no {CONFIG_FILE} in {root} (run 'pmo init' to create a workspace)"
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInputError(str(exc), where=str(path)) from None
        return cls.from_dict(root, data, where=str(path))

    @classmethod
    def from_dict(cls, root: Path, data: Mapping[str, Any], *, where: str = "") -> WorkspaceConfig:
        """Build a config from already-parsed TOML data, validating every value."""
        ws = _table(data, "workspace", where)
        plugins = _table(data, "plugins", where)
        settings = _table(data, "settings", where)
        unknown = set(data) - {"workspace", "plugins", "settings"}
        if unknown:
            raise InvalidInputError(
                f"unknown table(s) {sorted(unknown)}; expected workspace, plugins, settings",
                where=where,
            )
        # A misspelt key (governance-model for governance_model) must not be silently ignored.
        for table, allowed in (("workspace", _WORKSPACE_KEYS), ("plugins", _PLUGINS_KEYS)):
            extra = sorted(set(_table(data, table, where)) - allowed)
            if extra:
                raise InvalidInputError(
                    f"unknown key(s) {', '.join(extra)} in [{table}]; "
                    f"expected {', '.join(sorted(allowed))}",
                    where=where,
                )
        return cls(
            root=root,
            name=_str(ws, "name", "PMO", where),
            store=_str(ws, "store", DEFAULT_STORE, where),
            currency=_str(ws, "currency", "EUR", where),
            governance_model=_str(ws, "governance_model", "supportive", where),
            methodology=ws.get("methodology") and _str(ws, "methodology", "", where),
            enabled=_str_list(plugins, "enabled", where),
            order=_str_list(plugins, "order", where),
            strict=_bool(plugins, "strict", where),
            settings={k: dict(v) for k, v in settings.items() if isinstance(v, Mapping)},
        )

    def store_url(self) -> str:
        """The store URL with a relative SQLite path made absolute against the workspace."""
        scheme, sep, rest = self.store.partition("://")
        if scheme == "sqlite" and sep and rest.startswith("/") and not rest.startswith("//"):
            path = rest[1:]
            if path != ":memory:" and not os.path.isabs(path):
                return f"sqlite:///{(self.root / path).as_posix()}"
            if path != ":memory:":
                return f"sqlite:///{path}"
        return self.store


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"[{key}] must be a table", where=where)
    return value


def _str(table: Mapping[str, Any], key: str, default: str, where: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise InvalidInputError(f"{key} must be a string, got {value!r}", where=where)
    return value


def _bool(table: Mapping[str, Any], key: str, where: str) -> bool:
    # bool("false") is True: a quoted value must be an error, not strict mode switched on.
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise InvalidInputError(f"plugins.{key} must be true or false, got {value!r}", where=where)
    return value


def _str_list(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInputError(f"plugins.{key} must be a list of strings", where=where)
    return tuple(value)


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


def write_plugins(path: Path, *, enabled: list[str]) -> None:
    """Rewrite ``[plugins] enabled`` in ``pmo.toml``, keeping every comment and other value."""
    import tomlkit

    text = path.read_text(encoding="utf-8")
    doc = tomlkit.parse(text)
    plugins = doc.get("plugins")
    if plugins is None:
        plugins = tomlkit.table()
        doc["plugins"] = plugins
    array = tomlkit.array()
    array.extend(enabled)
    plugins["enabled"] = array
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)  # never a half-written config


def render_config(
    *,
    name: str,
    enabled: list[str],
    governance_model: str,
    methodology: str | None,
    currency: str = "EUR",
    store: str = DEFAULT_STORE,
) -> str:
    """The text of a new ``pmo.toml``."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment("pmo-core workspace configuration; see 'pmo doctor'."))
    ws = tomlkit.table()
    ws["name"] = name
    ws["store"] = store
    ws["currency"] = currency
    ws["governance_model"] = governance_model
    if methodology:
        ws["methodology"] = methodology
    doc["workspace"] = ws
    plugins = tomlkit.table()
    arr = tomlkit.array()
    arr.extend(enabled)
    plugins["enabled"] = arr
    plugins["order"] = tomlkit.array()
    plugins["strict"] = False
    doc["plugins"] = plugins
    return tomlkit.dumps(doc)
