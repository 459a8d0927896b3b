"""The workspace configuration file, ``pmo.toml``, as one pydantic model.

Every key, its type and its default is declared once, here; an unknown key is refused with
its path (``plugins.enable``). Reading uses the stdlib TOML parser (fast, on every command);
writing uses tomlkit so the user's comments and layout survive ``pmo plugins enable``.

``pmo.toml``::

    [workspace]
    name = "Acme PMO"
    store = "sqlite:///.pmo/pmo.db"   # relative paths are relative to this file
    currency = "EUR"
    governance_model = "supportive"   # default for entities that name none
    methodology = "stage-gate"        # default for new projects
    lock_timeout = 900                # seconds a write waits for another pmo command's

    [plugins]
    enabled = ["governance", "reports"]
    order = []                        # explicit load order; the rest follow by id
    strict = false                    # a failing plugin is an error, not a quarantine

    [settings.csv]                    # a plugin's settings (see pmo_settings)
    delimiter = ","

    [governance.rules.high-risks-owned] # a rule's level and settings, with overrides
    level = "block"                       # per portfolio, program or project
    score = 12
    [governance.rules.high-risks-owned.scopes.DIGITAL]
    level = "warn"
    score = 9

The environment switches are read by :mod:`pmo_core._env`; ``PMO_STORE_URL``, when set,
overrides ``[workspace] store`` (a server's URL and password stay out of the file).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from ._errors import InvalidInputError, error_line
from ._locate import CONFIG_FILE, DATA_DIR, read_toml
from ._records._base import ConflictPolicy, Level

DEFAULT_STORE = f"sqlite:///{DATA_DIR}/pmo.db"
#: The environment variable whose store URL overrides ``[workspace] store``.
STORE_URL_ENV = "PMO_STORE_URL"
#: Seconds a write waits for another process's write (the SQLite store's default too):
#: fifteen minutes, above the longest import measured (a million work items took twelve on a
#: busy two-core machine), so a second command waits for it instead of failing.
DEFAULT_LOCK_TIMEOUT = 900.0
#: The governance model in force where nothing names one (registered by pmo-core itself).
NEUTRAL_MODEL = "neutral"
#: The ``[settings]`` table that held governance rules' settings before ``[governance.rules]``.
OLD_RULES_TABLE = "rules"


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class WorkspaceTable(_Table):
    """``[workspace]``: the workspace's name, store, currency and defaults.

    ``lock_timeout`` is how many seconds a write waits for another pmo command writing to the
    same store (an import, say) before it fails: 0 to 86400, default 900.

    Example::

        config.workspace.currency  # 'EUR'
    """

    name: StrictStr = "PMO"
    store: StrictStr = DEFAULT_STORE
    currency: Annotated[StrictStr, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"
    governance_model: StrictStr = NEUTRAL_MODEL
    methodology: StrictStr | None = None
    lock_timeout: Annotated[StrictFloat, Field(ge=0, le=86400)] = DEFAULT_LOCK_TIMEOUT


class PluginsTable(_Table):
    """``[plugins]``: what is enabled, in which order, and whether failures are errors.

    Example::

        config.plugins.enabled  # ('governance', 'stage-gate', 'reports', 'csv', 'strategy')
    """

    enabled: tuple[StrictStr, ...] = ()
    order: tuple[StrictStr, ...] = ()
    strict: StrictBool = False
    # The distribution each plugin was enabled from: the owner of its id if another
    # distribution later claims the same one.
    sources: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    slow_import_seconds: float = Field(default=1.0, gt=0)


class RuleScopeTable(_Table):
    """``[governance.rules.<rule>.scopes.<KEY>]``: the level and settings of one governance
    rule for the portfolio, program or project ``KEY`` and everything under it.

    ``level`` (``off``, ``advise``, ``warn`` or ``block``) is checked when the file is read;
    every other key is a setting of the rule, checked against the rule's ``settings`` model
    when the rule runs (and by ``pmo doctor``), since the rule's plugin declares it.

    Example::

        config.governance.rules["high-risks-owned"].scopes["ERP"].level  # 'warn'
    """

    # The rule's settings are declared by its plugin, not here: kept as written.
    model_config = ConfigDict(frozen=True, extra="allow", defer_build=True)

    level: Level | None = None

    @model_validator(mode="before")
    @classmethod
    def _flat(cls, data: Any) -> Any:
        # A scope's table holds no scopes of its own: the hierarchy already nests them.
        if isinstance(data, Mapping) and "scopes" in data and "scopes" not in cls.model_fields:
            raise ValueError(
                "a scope's table holds no scopes: a scope covers everything under it, so give "
                "each portfolio, program or project its own [governance.rules.<rule>.scopes.<KEY>]"
            )
        return data

    @property
    def settings(self) -> dict[str, Any]:
        """The rule's settings in this table, as written: every key but ``level`` (and, in
        a rule's own table, ``scopes``).

        Example::

            config.governance.rules["high-risks-owned"].settings  # {'score': 12}
        """
        return dict(self.model_extra or {})


class RuleTable(RuleScopeTable):
    """``[governance.rules.<rule>]``: a governance rule's level and settings for the whole
    workspace, and in ``scopes`` the overrides for one portfolio, program or project key
    each (the nearest scope above an entity wins).

    Example::

        table = config.governance.rules["high-risks-owned"]
        table.level, table.settings, list(table.scopes)  # ('block', {'score': 12}, ['ERP'])
    """

    scopes: dict[StrictStr, RuleScopeTable] = Field(default_factory=dict)


class GovernanceTable(_Table):
    """``[governance]``: the operator's say over the governance rules, ``rules`` holding one
    :class:`RuleTable` per rule name (``[governance.rules.<rule>]``).

    Example::

        sorted(config.governance.rules)  # ['high-risks-owned', 'tolerance-forecast']
    """

    rules: dict[StrictStr, RuleTable] = Field(default_factory=dict)


EacVariant = Literal["bottom_up", "cpi", "atypical", "cpi_spi"]


class MetricsTable(_Table):
    """``[metrics]``: how the metrics service measures projects.

    ``baseline`` is the baseline in force on a status date: ``"latest"`` (the latest taken on
    or before it, by day then number) or a number 0..10 (that baseline, once taken). ``eac``
    is the preference list of the headline EAC: the first variant defined wins
    (``bottom_up``: the latest project forecast; ``cpi``: BAC / CPI; ``atypical``: AC +
    (BAC - EV); ``cpi_spi``: AC + (BAC - EV) / (CPI x SPI)).

    Example::

        MetricsTable(baseline=1, eac=("cpi_spi", "cpi")).eac  # ('cpi_spi', 'cpi')
    """

    baseline: Literal["latest"] | Annotated[StrictInt, Field(ge=0, le=10)] = "latest"
    eac: tuple[EacVariant, ...] = ("bottom_up", "cpi")

    @field_validator("baseline", mode="before")
    @classmethod
    def _baseline(cls, value: Any) -> Any:
        # One message for the two shapes the value may take, rather than one per shape.
        if value == "latest" or (
            isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10
        ):
            return value
        raise ValueError(f"must be 'latest' or a baseline number 0..10, got {value!r}")

    @field_validator("eac")
    @classmethod
    def _some_unique(cls, value: tuple[EacVariant, ...]) -> tuple[EacVariant, ...]:
        if not value:
            raise ValueError("name at least one EAC variant")
        twice = sorted({v for v in value if value.count(v) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} listed more than once")
        return value


class SyncConnectorTable(_Table):
    """``[sync.connectors.<connector>]``: one connector's sync settings.

    Example::

        SyncConnectorTable(on_conflict="manual").on_conflict  # 'manual'
    """

    on_conflict: ConflictPolicy | None = None


class SyncTable(_Table):
    """``[sync]``: what imports and syncs do with conflicts, for every connector
    (``on_conflict``) and per connector (``[sync.connectors.<connector>]``). A run's own
    ``--on-conflict`` comes first.

    Example::

        table = SyncTable(on_conflict="local-wins",
                          connectors={"redmine": SyncConnectorTable(on_conflict="manual")})
        table.policy("redmine"), table.policy("csv")  # ('manual', 'local-wins')
    """

    on_conflict: ConflictPolicy = "source-wins"
    connectors: dict[StrictStr, SyncConnectorTable] = Field(default_factory=dict)

    def policy(self, connector: str) -> ConflictPolicy:
        """The policy for ``connector``: its own table's, else the workspace's.

        Example::

            config.sync.policy("redmine")  # 'manual'
        """
        own = self.connectors.get(connector)
        return own.on_conflict if own is not None and own.on_conflict else self.on_conflict


class WorkspaceConfig(_Table):
    """The parsed ``pmo.toml`` of a workspace (``root`` is the directory that holds it).

    ``settings`` holds the ``[settings.<name>]`` tables as written; they are validated by
    the model of the plugin that declares them when they are read
    (:meth:`Workspace.settings <pmo_core.Workspace.settings>`). ``governance`` holds the
    ``[governance.rules.<rule>]`` tables: a rule's level and settings per workspace and per
    scope. The ``[settings.rules]`` table of earlier versions is refused, naming its new place.

    Example::

        config = WorkspaceConfig.load(Path("."))  # the workspace's directory
        config.enabled  # ('governance', 'stage-gate', 'reports', 'csv', 'strategy')
    """

    root: Path = Field(exclude=True)
    workspace: WorkspaceTable = WorkspaceTable()
    plugins: PluginsTable = PluginsTable()
    settings: dict[StrictStr, dict[StrictStr, Any]] = Field(default_factory=dict)
    governance: GovernanceTable = GovernanceTable()
    metrics: MetricsTable = MetricsTable()
    sync: SyncTable = SyncTable()

    @model_validator(mode="before")
    @classmethod
    def _moved_rule_settings(cls, data: Any) -> Any:
        # Read silently, an old table would leave every threshold at its default; refused,
        # the operator is told where it now goes.
        settings = data.get("settings") if isinstance(data, Mapping) else None
        if isinstance(settings, Mapping) and OLD_RULES_TABLE in settings:
            old = settings[OLD_RULES_TABLE]
            name = next(iter(old), "<rule>") if isinstance(old, Mapping) and old else "<rule>"
            raise ValueError(
                f"[settings.{OLD_RULES_TABLE}] is no longer read: a governance rule's level and "
                f"settings go in [governance.rules.<rule>] (move [settings.{OLD_RULES_TABLE}."
                f"{name}] to [governance.rules.{name}], its scopes with it)"
            )
        return data

    @classmethod
    def load(cls, root: Path) -> WorkspaceConfig:
        """Read ``root/pmo.toml``; a malformed file or value is an error naming the file and
        the key.

        Example::

            WorkspaceConfig.load(Path(".")).name  # 'Acme PMO'
        """
        return cls.from_dict(root, read_toml(root), where=str(root / CONFIG_FILE))

    @classmethod
    def from_dict(cls, root: Path, data: Mapping[str, Any], *, where: str = "") -> WorkspaceConfig:
        """Build a config from already-parsed TOML data, validating every value.

        Example::

            WorkspaceConfig.from_dict(Path("."), {"plugins": {"enabled": ["csv"]}}).enabled
        """
        try:
            return cls.model_validate({**data, "root": root})
        except ValidationError as exc:
            raise InvalidInputError(_config_problems(exc), where=where or None) from None

    @property
    def path(self) -> Path:
        """The ``pmo.toml`` file.

        Example::

            config.path.read_text()
        """
        return self.root / CONFIG_FILE

    @property
    def name(self) -> str:
        """``[workspace] name``.

        Example::

            config.name  # 'Acme PMO'
        """
        return self.workspace.name

    @property
    def store(self) -> str:
        """``[workspace] store``, as written (see :meth:`store_url`).

        Example::

            config.store  # 'sqlite:///.pmo/pmo.db'
        """
        return self.workspace.store

    @property
    def currency(self) -> str:
        """``[workspace] currency``: the currency of new entities without a budget.

        Example::

            config.currency  # 'EUR'
        """
        return self.workspace.currency

    @property
    def governance_model(self) -> str:
        """``[workspace] governance_model``: the model for entities that name none.

        Example::

            config.governance_model  # 'neutral' unless the file names one
        """
        return self.workspace.governance_model

    @property
    def methodology(self) -> str | None:
        """``[workspace] methodology``: the default methodology of new projects.

        Example::

            config.methodology  # 'stage-gate'
        """
        return self.workspace.methodology

    @property
    def enabled(self) -> tuple[str, ...]:
        """``[plugins] enabled``.

        Example::

            config.enabled  # ('governance', 'stage-gate', 'reports', 'csv', 'strategy')
        """
        return self.plugins.enabled

    @property
    def order(self) -> tuple[str, ...]:
        """``[plugins] order``.

        Example::

            config.order  # (): plugins' hooks run in the order they load
        """
        return self.plugins.order

    @property
    def strict(self) -> bool:
        """``[plugins] strict``.

        Example::

            config.strict  # False
        """
        return self.plugins.strict

    @property
    def lock_timeout(self) -> float:
        """``[workspace] lock_timeout``: seconds a write waits for another writer.

        Example::

            config.lock_timeout  # 900.0
        """
        return self.workspace.lock_timeout

    def store_in_use(self, environ: Mapping[str, str] | None = None) -> str:
        """The store URL the workspace uses, as written: ``PMO_STORE_URL`` when the
        environment (default ``os.environ``) sets it, else ``[workspace] store``.

        The variable keeps a server's URL, and its password, out of ``pmo.toml``. Show it
        only through a function that masks credentials.

        Example::

            config.store_in_use({"PMO_STORE_URL": "postgresql://pmo@db/pmo"})
            # 'postgresql://pmo@db/pmo'
        """
        env = os.environ if environ is None else environ
        return env.get(STORE_URL_ENV, "").strip() or self.store

    def store_url(self, environ: Mapping[str, str] | None = None) -> str:
        """The store URL in use (see :meth:`store_in_use`), with a relative SQLite path made
        absolute against the workspace.

        Example::

            config.store_url()  # sqlite:////home/ana/acme/.pmo/pmo.db, wherever acme is
        """
        store = self.store_in_use(environ)
        scheme, sep, rest = store.partition("://")
        if scheme == "sqlite" and sep and rest.startswith("/") and not rest.startswith("//"):
            path = rest[1:]
            if path != ":memory:" and not os.path.isabs(path):
                # Against the resolved root: a config loaded from a relative path
                # (WorkspaceConfig.load(Path("."))) still names the file wherever it is used.
                return f"sqlite:///{(self.root.resolve() / path).as_posix()}"
            if path != ":memory:":
                return f"sqlite:///{path}"
        return store


def _config_problems(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        if err["type"] == "extra_forbidden":
            *table, key = [str(p) for p in err["loc"]]
            section = f"[{'.'.join(table)}]" if table else "the top level"
            expected = _keys(table)
            problems.append(f"unknown key {key} in {section}; expected {expected}")
        elif err["type"] == "literal_error":
            key = ".".join(str(p) for p in err["loc"])
            expected = err.get("ctx", {}).get("expected", "")
            problems.append(f"{key} must be one of {expected}, got {err['input']!r}")
        elif err["type"] in _PLAIN or ".".join(map(str, err["loc"])) in _SHAPES:
            key = ".".join(str(p) for p in err["loc"])
            shape = _SHAPES.get(key) or _PLAIN[err["type"]]
            # A plugin's settings may be secrets: their values are never echoed.
            got = "" if key.startswith("settings.") else f", got {err['input']!r}"
            problems.append(f"{key} must be {shape}{got}")
        else:
            problems.append(error_line(err))
    return "; ".join(problems)


# Keys whose valid values have a shape worth naming.
_SHAPES = {"workspace.currency": "a currency code of three capital letters (ISO 4217: EUR, USD)"}

# pydantic's words for a wrong type, in the words of TOML.
_PLAIN = {
    "model_type": "a table",
    "dict_type": "a table",
    "tuple_type": "a list",
    "list_type": "a list",
    "string_type": "a string",
    "bool_type": "true or false",
    "float_type": "a number",
}


def _keys(table: list[str]) -> str:
    model: type[BaseModel] = WorkspaceConfig
    for part in table:
        annotation = model.model_fields[part].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return "a table"
        model = annotation
    return ", ".join(k for k in sorted(model.model_fields) if k != "root")


def write_plugins(
    path: Path, *, enabled: list[str], sources: Mapping[str, str] | None = None
) -> str:
    """Rewrite ``[plugins] enabled`` (and ``sources`` when given) in ``pmo.toml``, keeping
    every comment and other value. Returns the text the file had, to put back if what the
    change belongs to fails.

    Example::

        write_plugins(ws.config.path, enabled=["governance", "csv"],
                      sources={"governance": "pmo-governance", "csv": "pmo-csv"})
    """
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
    if sources is not None:
        table = tomlkit.inline_table()
        table.update(dict(sources))
        plugins["sources"] = table
    _replace(path, tomlkit.dumps(doc))
    return text


def write_workspace_defaults(
    path: Path, *, governance_model: str | None = None, methodology: str | None = None
) -> str:
    """Set ``[workspace] governance_model`` and/or ``methodology`` in ``pmo.toml`` (those
    given), keeping every comment and other value. Returns the text the file had, to put
    back if what the change belongs to fails.

    Example::

        write_workspace_defaults(ws.config.path, governance_model="controlling",
                                 methodology="stage-gate")
    """
    import tomlkit

    text = path.read_text(encoding="utf-8")
    doc = tomlkit.parse(text)
    table = doc.get("workspace")
    if table is None:
        table = tomlkit.table()
        doc["workspace"] = table
    if governance_model is not None:
        table["governance_model"] = governance_model
    if methodology is not None:
        table["methodology"] = methodology
    _replace(path, tomlkit.dumps(doc))
    return text


def _replace(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # never a half-written config


def restore_config(path: Path, text: str) -> None:
    """Put back the text ``pmo.toml`` had (after a change that could not be recorded).

    Example::

        before = write_plugins(path, enabled=["csv"])
        restore_config(path, before)
    """
    _replace(path, text)


def render_config(
    *,
    name: str,
    enabled: list[str],
    sources: Mapping[str, str] | None = None,
    governance_model: str | None = None,
    methodology: str | None = None,
    currency: str = "EUR",
    store: str = DEFAULT_STORE,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
    rules: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """The text of a new ``pmo.toml``; ``rules`` holds the ``[governance.rules]`` tables.

    Example::

        render_config(name="Acme", enabled=["governance"], governance_model="supportive",
                      rules={"high-risks-owned": {"level": "block", "score": 12}})
    """
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment("pmo-core workspace configuration; see 'pmo doctor'."))
    ws = tomlkit.table()
    ws["name"] = name
    ws["store"] = store
    ws["currency"] = currency
    if governance_model:
        ws["governance_model"] = governance_model
    if methodology:
        ws["methodology"] = methodology
    doc["workspace"] = ws
    plugins = tomlkit.table()
    arr = tomlkit.array()
    arr.extend(enabled)
    plugins["enabled"] = arr
    if sources:
        owners = tomlkit.inline_table()
        owners.update(dict(sources))
        plugins["sources"] = owners
    plugins["order"] = tomlkit.array()
    plugins["strict"] = False
    doc["plugins"] = plugins
    if settings:
        table = tomlkit.table(is_super_table=True)
        for key, values in settings.items():
            table[key] = dict(values)
        doc["settings"] = table
    if rules:
        governance = tomlkit.table(is_super_table=True)
        governance["rules"] = dict(rules)
        doc["governance"] = governance
    return tomlkit.dumps(doc)
