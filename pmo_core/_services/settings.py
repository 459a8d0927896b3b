"""Settings: a plugin's, a connector's and a governance rule's, validated by the model the
plugin declares, from ``pmo.toml`` and the environment (which wins); and a governance rule's
level and settings as the operator overrides them, per workspace and per scope, in
``[governance.rules.<rule>]``."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from .._config import RuleScopeTable, RuleTable
from .._errors import InvalidInputError, NotFoundError, error_line
from .._records import PmoConnector, PmoGovernanceModel, PmoGovernanceRule, PmoSettings
from .._records._base import Level, normalise_name
from .._redact import MASK

if TYPE_CHECKING:
    from .._domain import Entity
    from .._workspace import Workspace

#: The dotted key of the tables that hold governance rules' levels and settings.
RULES_KEY = "governance.rules"
#: Inside a rule's table: overrides per scope, keyed by the portfolio, program or project key.
SCOPES_KEY = "scopes"
#: How a level or setting from ``pmo.toml`` names its source (``Finding.level_from``).
CONFIG_SOURCE = "pmo.toml"
#: The environment prefix of rules' settings: ``PMO_RULES_<RULE>_<FIELD>``.
ENV_RULES = "rules"


def env_prefix(*names: str) -> str:
    """The environment prefix of a settings table: ``csv`` -> ``PMO_CSV_``.

    Example::

        env_prefix("rules", "high-risks-owned")  # 'PMO_RULES_HIGH_RISKS_OWNED_'
    """
    return "PMO_" + "_".join(n.upper().replace("-", "_") for n in names) + "_"


def rule_key(rule: str, scope: str | None = None) -> str:
    """The dotted ``pmo.toml`` key of a rule's table, or of one scope's table in it.

    Example::

        rule_key("high-risks-owned", "DIGITAL")
        # 'governance.rules.high-risks-owned.scopes.DIGITAL'
    """
    base = f"{RULES_KEY}.{rule}"
    return f"{base}.{SCOPES_KEY}.{scope}" if scope is not None else base


@dataclass(frozen=True)
class RuleOverride:
    """One override of a governance rule in force in a workspace, as ``pmo doctor`` lists
    it: from ``pmo.toml`` (``[governance.rules.<rule>]`` for the whole workspace, or its
    ``scopes.<KEY>`` table for one portfolio, program or project and everything under it) or
    from a ``PMO_RULES_<RULE>_<FIELD>`` environment variable.

    ``level`` is the level it sets (``None``: it sets only settings); ``settings`` the
    settings it sets, as written (a value from the environment is masked: that is where
    secrets come from); ``source`` where it is, in the words a finding's ``level_from`` uses.

    Example::

        [o.describe() for o in ws.rule_overrides()]
        # ['governance.rules.tolerance-forecast: level warn',
        #  'governance.rules.high-risks-owned: level block; score = 12',
        #  'governance.rules.high-risks-owned.scopes.ERP: level warn; score = 9']
    """

    rule: str
    scope: str | None
    level: Level | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""

    def describe(self) -> str:
        """The override in one line: where, then what it sets.

        Example::

            override = ws.rule_overrides()[0]
            override.describe()  # 'governance.rules.tolerance-forecast: level warn'
        """
        what = [f"level {self.level}"] if self.level else []
        what += [f"{k} = {v!r}" for k, v in self.settings.items()]
        where = self.source.removeprefix(f"{CONFIG_SOURCE} ")
        return f"{where}: {'; '.join(what)}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo doctor --json`` prints it.

        Example::

            json.dumps([o.as_dict() for o in ws.rule_overrides()])
        """
        return {
            "rule": self.rule,
            "scope": self.scope,
            "level": self.level,
            "settings": {k: _jsonable(v) for k, v in self.settings.items()},
            "source": self.source,
            "summary": self.describe(),
        }


def _jsonable(value: Any) -> Any:
    # TOML has dates and times, JSON has not.
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@dataclass(frozen=True)
class _Layer:
    """One table of values merged into a settings model.

    An invalid value is named by ``where`` (the error's location) and, when ``prefix`` is
    set, by its dotted key ``prefix + field`` in the message; otherwise by the field alone.
    """

    where: str
    table: Any
    prefix: str = ""


class SettingsService:
    """Reads and validates settings for the workspace, and the operator's overrides of
    governance rules."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._rule_cache: dict[tuple[str, str, tuple[str, ...]], BaseModel | None] = {}
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
        settings = self._ws.config.settings
        if key not in settings:
            self._refuse_misspelt(key, models)
        table = settings.get(key, {})
        where = f"{self._ws.config.path} [settings.{key}]"
        return self._validate(model, [_Layer(where, table)], env_prefix(key))

    def _refuse_misspelt(self, key: str, models: Mapping[str, type[BaseModel]]) -> None:
        """Refuse a table no plugin declares whose name is close to ``key`` (absent from
        ``pmo.toml``): ``[settings.acme-jsn]`` would otherwise be ignored and ``acme-json``
        run on its defaults, silently."""
        undeclared = [n for n in self._ws.config.settings if n not in models]
        near = difflib.get_close_matches(key, undeclared, n=1, cutoff=0.8)
        if near:
            raise InvalidInputError(
                f"[settings.{near[0]}] is declared by no enabled plugin; did you mean "
                f"[settings.{key}]? (without it {key} runs on its defaults)",
                where=str(self._ws.config.path),
            )

    # ------------------------------------------------------------ governance rules

    def rule_table(self, rule: str) -> RuleTable | None:
        """``[governance.rules.<rule>]`` as written, or ``None``."""
        return self._ws.config.governance.rules.get(rule)

    def rule_level(
        self, rule: str, entity: str, ancestors: Sequence[str]
    ) -> tuple[Level, str] | None:
        """The level ``pmo.toml`` sets for ``rule`` on ``entity`` (whose ancestors are
        ``ancestors``, nearest first), with where it is set: the nearest scope that sets one,
        else the rule's table; ``None`` when neither does."""
        table = self.rule_table(rule)
        if table is None:
            return None
        for key in (entity, *ancestors):
            scope = table.scopes.get(key)
            if scope is not None and scope.level is not None:
                return scope.level, f"{CONFIG_SOURCE} {rule_key(rule, key)}"
        if table.level is not None:
            return table.level, f"{CONFIG_SOURCE} {rule_key(rule)}"
        return None

    def for_rule(
        self,
        rule: PmoGovernanceRule,
        entity: Entity,
        ancestors: Sequence[str],
        model: PmoGovernanceModel | None = None,
    ) -> BaseModel | None:
        """The settings of ``rule`` for ``entity`` (whose ancestors are ``ancestors``, nearest
        first) under ``model``: the rule's defaults, the model's ``rule_settings``, the rule's
        table in ``pmo.toml``, the environment, then the table of each scope from the farthest
        to the entity itself. ``None`` for a rule without settings (which is refused any)."""
        if self._cached_for is not self._ws.config:
            self._rule_cache.clear()
            self._cached_for = self._ws.config
        table = self.rule_table(rule.name)
        scopes = table.scopes if table is not None else {}
        chain = tuple(k for k in (*reversed(ancestors), entity.id) if k in scopes)
        key = (rule.name, model.name if model is not None else "", chain)
        if key not in self._rule_cache:
            self._rule_cache[key] = self._rule_value(rule, model, chain)
        return self._rule_cache[key]

    def _rule_value(
        self, rule: PmoGovernanceRule, model: PmoGovernanceModel | None, chain: Sequence[str]
    ) -> BaseModel | None:
        config = str(self._ws.config.path)
        layers: list[_Layer] = []
        if model is not None and rule.name in model.rule_settings:
            where = f"governance model {model.name!r}" + (
                f" (plugin {model.plugin!r})" if model.plugin else ""
            )
            layers.append(
                _Layer(where, model.rule_settings[rule.name], f"rule_settings.{rule.name}.")
            )
        table = self.rule_table(rule.name)
        if table is not None:
            layers.append(_Layer(config, table.settings, f"{rule_key(rule.name)}."))
            layers += [
                _Layer(config, table.scopes[k].settings, f"{rule_key(rule.name, k)}.")
                for k in chain
            ]
        if rule.settings is None:
            # A threshold set for a rule that reads none would be ignored: refused instead.
            for layer in layers:
                if layer.table:
                    stray = ", ".join(sorted(layer.table))
                    raise InvalidInputError(
                        f"{layer.prefix.rstrip('.')}: rule {rule.name!r} has no settings, so "
                        f"{stray} cannot be set (only level)",
                        where=layer.where,
                    )
            return None
        # The environment comes after the workspace's table: a variable overrides the file,
        # but not a more specific scope's table.
        split = len(layers) - len(chain)
        prefix = env_prefix(ENV_RULES, rule.name)
        return self._validate(rule.settings, layers, prefix, env_before=split)

    def overrides(self) -> list[RuleOverride]:
        """See :meth:`Workspace.rule_overrides <pmo_core.Workspace.rule_overrides>`."""
        rules = {r.name: r for r in self._ws.host.records(PmoGovernanceRule)}
        out: list[RuleOverride] = []
        for name, table in self._ws.config.governance.rules.items():
            if name not in rules:
                continue  # not in force: check_settings reports it
            tables: list[tuple[str | None, RuleScopeTable]] = [(None, table)]
            tables += list(table.scopes.items())
            for scope, part in tables:
                if part.level is not None or part.settings:
                    out.append(
                        RuleOverride(
                            rule=name,
                            scope=scope,
                            level=part.level,
                            settings=part.settings,
                            source=f"{CONFIG_SOURCE} {rule_key(name, scope)}",
                        )
                    )
        for name, rule in sorted(rules.items()):
            if rule.settings is None:
                continue
            prefix = env_prefix(ENV_RULES, name)
            for var in sorted(v for v in self._ws.environ if v.startswith(prefix)):
                out.append(
                    RuleOverride(
                        rule=name,
                        scope=None,
                        settings={var[len(prefix) :].lower(): MASK},
                        source=f"environment variable {var}",
                    )
                )
        return out

    def problems(self) -> list[str]:
        """See :meth:`Workspace.check_settings <pmo_core.Workspace.check_settings>`."""
        config = self._ws.config
        host = self._ws.host
        models = self.models()
        rules = {r.name: r for r in host.records(PmoGovernanceRule)}
        out: list[str] = []
        hinted: set[str] = set()
        for name in config.settings:
            if name not in models:
                near = difflib.get_close_matches(name, list(models), n=1, cutoff=0.8)
                hint = f"; did you mean [settings.{near[0]}]?" if near else ""
                hinted.update(n for n in near if n not in config.settings)
                out.append(f"[settings.{name}] is declared by no enabled plugin{hint}")
        for name in sorted(models):
            if name not in hinted:  # said once above, not again as its refusal
                out += self._refused(lambda name=name: self.get(name))
        for name in config.governance.rules:
            if name not in rules:
                near = difflib.get_close_matches(name, list(rules), n=1)
                hint = f"; did you mean {near[0]}?" if near else ""
                known = ", ".join(sorted(rules)) or "none"
                out.append(
                    f"{config.path}: {rule_key(name)}: no enabled plugin registers a rule "
                    f"{name!r}{hint} (rules: {known})"
                )
        for name, rule in sorted(rules.items()):
            table = self.rule_table(name)
            if table is None and rule.settings is None:
                continue
            # Each scope's overrides on their own (over the rule's table): a bad value is
            # named by the table it sits in, whichever entity would have read it.
            keys = list(table.scopes) if table is not None else []
            for chain in [(), *((k,) for k in keys)]:
                out += self._refused(
                    lambda rule=rule, chain=chain: self._rule_value(rule, None, chain)
                )
        for model in host.records(PmoGovernanceModel):
            for name in model.rule_settings:
                if name in rules:
                    out += self._refused(
                        lambda rule=rules[name], model=model: self._rule_value(rule, model, ())
                    )
        # One bad value (an environment variable) is read by every table it sits over.
        return list(dict.fromkeys(out))

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
        layers: Sequence[_Layer],
        prefix: str,
        env_before: int | None = None,
    ) -> BaseModel:
        """Merge ``layers`` and the environment, then validate.

        The environment comes after the first ``env_before`` layers (after all of them when
        ``None``): a variable overrides the file, but not a more specific scope's table.
        """
        values: dict[str, Any] = {}
        origin: dict[str, _Layer] = {}
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
        for layer in [*layers[:split], None, *layers[split:]]:
            if layer is None:
                for name, var in env.items():
                    base = name.removesuffix("_file")
                    if base != name and name not in known and base in known:
                        # PMO_<TABLE>_<FIELD>_FILE: the value is the file's text (a secret
                        # mounted as a file, as Docker and Kubernetes give them).
                        values[base] = _secret_file(self._ws.environ[var], var)
                        origin[base] = _Layer(f"environment variable {var}", None)
                        continue
                    values[name] = self._ws.environ[var]
                    origin[name] = _Layer(f"environment variable {var}", None)
                continue
            if not isinstance(layer.table, Mapping):
                raise InvalidInputError(
                    f"{layer.prefix.rstrip('.') or 'the table'} must be a table", where=layer.where
                )
            for name, value in layer.table.items():
                if name not in known and model.model_config.get("extra") != "allow":
                    # A misspelt threshold would otherwise be dropped and the default used.
                    expected = ", ".join(sorted(known))
                    if layer.prefix:
                        message = f"{layer.prefix}{name}: unknown key (expected: {expected})"
                    else:
                        message = f"unknown key {name} (expected: {expected})"
                    raise InvalidInputError(message, where=layer.where)
                values[name] = value
                origin[name] = layer
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            errors = exc.errors()
            first = str(errors[0]["loc"][0]) if errors[0]["loc"] else ""
            last = layers[-1] if layers else _Layer(str(self._ws.config.path), None)
            where = (origin.get(first) or last).where
            raise InvalidInputError(_problems(errors, origin, last), where=where) from None


def _secret_file(path: str, var: str) -> str:
    """The text of the file ``path`` names, without its final line break."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read(65536)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise InvalidInputError(f"cannot read the file it names: {reason}", where=var) from None
    return text.removesuffix("\n").removesuffix("\r")


def _problems(errors: Sequence[Any], origin: Mapping[str, _Layer], last: _Layer) -> str:
    """The problems of a validation, each named by its key where its table has one, with any
    value that came from the environment masked (that is where secrets come from; a plugin's
    validator may quote the value it refuses)."""
    problems = []
    for err in errors:
        line = error_line(err)
        name = str(err["loc"][0]) if err["loc"] else ""
        layer = origin.get(name) if name else last
        value = err.get("input")
        if layer is not None and layer.where.startswith("environment variable"):
            if isinstance(value, str) and value:
                line = line.replace(value, MASK)
        elif layer is not None and layer.prefix:
            line = f"{layer.prefix}{line}" if name else f"{layer.prefix.rstrip('.')}: {line}"
        problems.append(line)
    return "; ".join(problems)
