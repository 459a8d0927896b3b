"""Settings: a plugin's, a connector's and a governance rule's, validated by the model the
plugin declares, from ``pmo.toml`` and the environment (which wins), with per-scope overrides
for rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from .._errors import InvalidInputError, NotFoundError, error_line
from .._records import PmoConnector, PmoGovernanceRule, PmoSettings
from .._records._base import normalise_name
from .._redact import MASK

if TYPE_CHECKING:
    from .._domain import Entity
    from .._workspace import Workspace

#: The ``[settings]`` table that holds governance rules' settings, one table per rule.
RULES_TABLE = "rules"
#: Inside a rule's table: overrides per scope, keyed by the portfolio, program or project key.
SCOPES_KEY = "scopes"


def env_prefix(*names: str) -> str:
    """The environment prefix of a settings table: ``csv`` -> ``PMO_CSV_``.

    Example::

        env_prefix("rules", "high-risks-owned")  # 'PMO_RULES_HIGH_RISKS_OWNED_'
    """
    return "PMO_" + "_".join(n.upper().replace("-", "_") for n in names) + "_"


class SettingsService:
    """Reads and validates settings for the workspace."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._rule_cache: dict[tuple[str, tuple[str, ...]], BaseModel] = {}
        self._cached_for: object = None

    def models(self) -> dict[str, type[BaseModel]]:
        """Settings models by table name: ``pmo_settings`` records, then connectors'."""
        host = self._ws.host
        models: dict[str, type[BaseModel]] = {s.name: s.model for s in host.records(PmoSettings)}
        for connector in host.records(PmoConnector):
            if connector.settings is not None:
                models.setdefault(connector.name, connector.settings)
        return models

    def get(self, name: str) -> BaseModel:
        """See :meth:`Workspace.settings <pmo_core.Workspace.settings>`."""
        key = normalise_name(name)
        models = self.models()
        model = models.get(key)
        if model is None:
            known = ", ".join(sorted(models)) or "none"
            raise NotFoundError(f"no settings registered as {name!r} (registered: {known})")
        table = self._ws.config.settings.get(key, {})
        return self._validate(model, [(f"[settings.{key}]", table)], env_prefix(key))

    def for_rule(
        self, rule: PmoGovernanceRule, entity: Entity, ancestors: Sequence[str]
    ) -> BaseModel | None:
        """The settings of ``rule`` for ``entity`` (whose ancestors are ``ancestors``, nearest
        first): the rule's table, the environment, then the overrides of each scope from the
        farthest to the entity itself. ``None`` for a rule without settings."""
        if rule.settings is None:
            return None
        if self._cached_for is not self._ws.config:
            self._rule_cache.clear()
            self._cached_for = self._ws.config
        _, scopes = self._rule_table(rule)
        chain = tuple(k for k in (*reversed(ancestors), entity.id) if k in scopes)
        cached = self._rule_cache.get((rule.name, chain))
        if cached is None:
            cached = self._rule_layers(rule, chain)
            self._rule_cache[(rule.name, chain)] = cached
        return cached

    def _rule_table(self, rule: PmoGovernanceRule) -> tuple[dict[str, Any], Mapping[str, Any]]:
        where = f"{self._ws.config.path} [settings.{RULES_TABLE}.{rule.name}]"
        raw = self._ws.config.settings.get(RULES_TABLE, {}).get(rule.name, {})
        if not isinstance(raw, Mapping):
            raise InvalidInputError(f"must be a table, got {raw!r}", where=where)
        table = dict(raw)
        scopes = table.pop(SCOPES_KEY, {})
        if not isinstance(scopes, Mapping):
            raise InvalidInputError(f"{SCOPES_KEY} must be a table of entity keys", where=where)
        return table, scopes

    def _rule_layers(self, rule: PmoGovernanceRule, chain: Sequence[str]) -> BaseModel:
        assert rule.settings is not None
        table, scopes = self._rule_table(rule)
        base = f"[settings.{RULES_TABLE}.{rule.name}]"
        layers = [(base, table)] + [(f"{base[:-1]}.{SCOPES_KEY}.{k}]", scopes[k]) for k in chain]
        prefix = env_prefix(RULES_TABLE, rule.name)
        return self._validate(rule.settings, layers, prefix, env_before=1)

    def problems(self) -> list[str]:
        """See :meth:`Workspace.check_settings <pmo_core.Workspace.check_settings>`."""
        config = self._ws.config
        models = self.models()
        rules = {r.name: r for r in self._ws.host.records(PmoGovernanceRule) if r.settings}
        out: list[str] = []
        for name in config.settings:
            if name == RULES_TABLE:
                continue
            if name not in models:
                out.append(f"[settings.{name}] is declared by no enabled plugin")
        for name in sorted(models):
            out += self._refused(lambda name=name: self.get(name))
        rule_tables = config.settings.get(RULES_TABLE, {})
        for name in rule_tables:
            if name not in rules:
                out.append(f"[settings.{RULES_TABLE}.{name}] is declared by no enabled rule")
        for name, rule in sorted(rules.items()):
            raw = rule_tables.get(name, {})
            scopes = raw.get(SCOPES_KEY, {}) if isinstance(raw, Mapping) else {}
            keys = list(scopes) if isinstance(scopes, Mapping) else []
            # Each scope's overrides on their own (over the rule's table): a bad value is
            # named by the table it sits in, whichever entity would have read it.
            for chain in [(), *((k,) for k in keys)]:
                out += self._refused(lambda rule=rule, chain=chain: self._rule_layers(rule, chain))
        return out

    @staticmethod
    def _refused(read: Any) -> list[str]:
        try:
            read()
        except InvalidInputError as exc:
            return [str(exc)]
        return []

    def _validate(
        self,
        model: type[BaseModel],
        layers: Sequence[tuple[str, Any]],
        prefix: str,
        env_before: int | None = None,
    ) -> BaseModel:
        """Merge ``layers`` (where, table) and the environment, then validate.

        The environment comes after the first ``env_before`` layers (after all of them when
        ``None``): a variable overrides the file, but not a more specific scope's table.
        """
        values: dict[str, Any] = {}
        origin: dict[str, str] = {}
        config = self._ws.config.path
        env = {
            var[len(prefix) :].lower(): var for var in self._ws.environ if var.startswith(prefix)
        }
        known = {
            name
            for field_name, info in model.model_fields.items()
            for name in (field_name, info.alias)
            if name
        }
        split = len(layers) if env_before is None else env_before
        for where, table in [*layers[:split], ("env", None), *layers[split:]]:
            if where == "env":
                for field, var in env.items():
                    values[field] = self._ws.environ[var]
                    origin[field] = f"environment variable {var}"
                continue
            if not isinstance(table, Mapping):
                raise InvalidInputError(f"{where} must be a table", where=str(config))
            for field, value in table.items():
                if field not in known and model.model_config.get("extra") != "allow":
                    # A misspelt threshold would otherwise be dropped and the default used.
                    raise InvalidInputError(
                        f"unknown key {field} (expected: {', '.join(sorted(known))})",
                        where=f"{config} {where}",
                    )
                values[field] = value
                origin[field] = f"{config} {where}"
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else ""
            where = origin.get(field) or f"{config} {layers[-1][0] if layers else ''}".strip()
            raise InvalidInputError(_masked(exc, origin), where=where) from None


def _masked(exc: ValidationError, origin: Mapping[str, str]) -> str:
    """The problems of ``exc``, with any value that came from the environment masked (that is
    where secrets come from; a plugin's validator may quote the value it refuses)."""
    problems = []
    for err in exc.errors():
        line = error_line(err)
        field = str(err["loc"][0]) if err["loc"] else ""
        value = err.get("input")
        from_env = origin.get(field, "").startswith("environment variable")
        if from_env and isinstance(value, str) and value:
            line = line.replace(value, MASK)
        problems.append(line)
    return "; ".join(problems)
