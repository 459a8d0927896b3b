"""The public surface: exactly the exported names, sorted, resolvable; and imports stay light."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import types
from typing import Any

import pytest

import pmo_core
import pmo_core.testing
from pmo_core._plugins.index import installed_plugins


def _public(names: Any) -> set[str]:
    return {n for n in names if not (n.startswith("__") and n.endswith("__"))}


@pytest.mark.parametrize("module", [pmo_core, pmo_core.testing], ids=["pmo_core", "testing"])
def test_all_is_sorted_and_unique(module: types.ModuleType) -> None:
    assert module.__all__ == sorted(module.__all__)
    assert len(set(module.__all__)) == len(module.__all__)


@pytest.mark.parametrize("module", [pmo_core, pmo_core.testing], ids=["pmo_core", "testing"])
def test_every_exported_name_resolves(module: types.ModuleType) -> None:
    missing = [name for name in module.__all__ if getattr(module, name, None) is None]
    assert missing == []


@pytest.mark.parametrize("module", [pmo_core, pmo_core.testing], ids=["pmo_core", "testing"])
def test_dir_is_exactly_the_exported_names(module: types.ModuleType) -> None:
    for name in module.__all__:
        getattr(module, name)  # resolving lazy names must not add anything to dir()

    assert _public(dir(module)) == _public(module.__all__)


def test_private_names_are_not_reachable_through_the_facade() -> None:
    for name in ("model_for_kind", "PROFILES", "open_store", "check_hierarchy", "_LAZY_X"):
        with pytest.raises(AttributeError, match=name):
            getattr(pmo_core, name)


def test_facade_objects_live_in_private_modules() -> None:
    public_modules = {"pmo_core", "pmo_core.hookspecs"}
    leaks = []
    for name in pmo_core.__all__:
        value = getattr(pmo_core, name)
        module = getattr(value, "__module__", None)
        if isinstance(value, types.ModuleType) or module is None or not module.startswith("pmo_"):
            continue
        parts = module.split(".")
        if module not in public_modules and not any(p.startswith("_") for p in parts[1:]):
            leaks.append(f"{name} from {module}")
    assert leaks == []


@pytest.mark.parametrize("module", [pmo_core, pmo_core.testing], ids=["pmo_core", "testing"])
def test_namespace_holds_nothing_public_beyond_all(module: types.ModuleType) -> None:
    extra = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert extra - set(module.__all__) == set()


def test_testing_fixtures_are_prefixed() -> None:
    def is_fixture(value: object) -> bool:
        # pytest >= 8.4 wraps fixtures in FixtureFunctionDefinition; older ones mark functions.
        return hasattr(value, "_fixture_function_marker") or hasattr(
            value, "_pytestfixturefunction"
        )

    fixtures = [
        name for name in pmo_core.testing.__all__ if is_fixture(getattr(pmo_core.testing, name))
    ]

    assert fixtures == [
        "fake_distribution",
        "pmo_cli",
        "pmo_clock",
        "pmo_host",
        "pmo_memory_workspace",
        "pmo_plugin_env",
        "pmo_workspace",
        "pmo_workspace_factory",
    ]
    assert all(n.startswith("pmo_") or n == "fake_distribution" for n in fixtures)


def test_every_testing_name_is_documented_with_an_example() -> None:
    undocumented = []
    for name in pmo_core.testing.__all__:
        value = getattr(pmo_core.testing, name)
        doc = getattr(value, "__doc__", None) or ""
        if "Example" not in doc:
            undocumented.append(name)
    assert undocumented == []


# pluggy's marker class is final, so its docstring is pluggy's; the hooks reference shows it.
_NO_EXAMPLE = {"__version__", "hookimpl"}
# Every class pmo-core defines is held to it; the domain models and the store protocol too.
_API_PACKAGE = "pmo_core."


def test_every_public_name_and_its_public_members_have_an_example() -> None:
    undocumented = []
    for name in sorted(set(pmo_core.__all__) - _NO_EXAMPLE):
        value = getattr(pmo_core, name)
        if "Example" not in (value.__doc__ or ""):
            undocumented.append(name)
        if not isinstance(value, type) or not value.__module__.startswith(_API_PACKAGE):
            continue
        fields = {*getattr(value, "__dataclass_fields__", ()), *getattr(value, "model_fields", ())}
        for member, attr in vars(value).items():
            function = attr.fget if isinstance(attr, property) else attr
            if member.startswith("_") or member in fields or not callable(function):
                continue
            # inspect.getdoc follows the base classes: a store method inherits its docstring
            # from the Store protocol it implements (one documentation for every backend).
            if "Example" not in (inspect.getdoc(getattr(value, member)) or ""):
                undocumented.append(f"{name}.{member}")
    assert undocumented == []


# ---------------------------------------------------------------------- import weight


def _modules_after(statement: str) -> list[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def _plugin_modules() -> set[str]:
    return {e.module.partition(".")[0] for e in installed_plugins(use_cache=False)}


def _imported_plugins(loaded: list[str]) -> list[str]:
    plugins = _plugin_modules()
    return [m for m in loaded if m.partition(".")[0] in plugins]


def test_import_pmo_core_is_light() -> None:
    loaded = _modules_after("import pmo_core")

    assert "pydantic" not in loaded
    assert "pluggy" not in loaded
    assert _imported_plugins(loaded) == []


def test_import_cli_imports_no_pydantic_and_no_plugin() -> None:
    loaded = _modules_after("import pmo_core._cli")

    assert "pydantic" not in loaded
    assert "pluggy" not in loaded
    assert _imported_plugins(loaded) == []


def test_import_testing_kit_imports_no_pydantic_and_no_plugin() -> None:
    # pytest loads the kit in every run in the environment.
    loaded = _modules_after("import pmo_core.testing")

    assert "pydantic" not in loaded
    assert _imported_plugins(loaded) == []
    assert not [m for m in loaded if m.startswith(("pmo_core._workspace", "pmo_core._domain"))]


def test_using_a_workspace_imports_no_command_module() -> None:
    # Every registration hook is collected on first use, commands included: the built-in
    # ones must stay unimported until they run.
    loaded = _modules_after(
        "from pmo_core import PmoCommand, Workspace; ws = Workspace.in_memory(); "
        "ws.create('portfolio', id='PF', name='PF'); ws.host.records(PmoCommand)"
    )

    assert "pmo_core._workspace" in loaded
    assert [m for m in loaded if m.startswith("pmo_core._cli")] == []


def test_what_type_checkers_see_is_what_runs() -> None:
    # The facade's TYPE_CHECKING imports (``X as X``, and star imports of the record modules)
    # are the static view of the export table; they must name exactly the exported names.
    import ast
    import importlib
    from pathlib import Path

    tree = ast.parse(Path(pmo_core.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If))
    static: set[str] = set()
    for node in block.body:
        assert isinstance(node, (ast.Import, ast.ImportFrom)), ast.dump(node)
        for alias in node.names:
            if alias.name == "*":
                assert isinstance(node, ast.ImportFrom)
                assert node.module
                module = importlib.import_module(f"pmo_core.{node.module.lstrip('.')}")
                static.update(module.__all__)
            else:
                assert alias.asname == alias.name, f"{alias.name} must be imported 'as' itself"
                static.add(alias.name)
    assert static == set(pmo_core.__all__) - {"__version__"}
