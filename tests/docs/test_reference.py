"""Meta-tests in the spirit of datasette's and httpx's: every hook and every public name is
documented, every hook is tested, every docstring example runs against the example workspace
of sdk_docs/reference/examples.md (and the results it shows are checked), and the testing
kit's examples run.

The reference is made from the code when the docs are built: the API and testing kit pages
are hand-written around mkdocstrings directives (``::: pmo_core.Workspace``), the hook,
record and CLI pages are made by scripts/docs_reference.py, whose functions these tests call.
"""

from __future__ import annotations

import inspect
import re
import shutil
import sys
import types
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docs_reference import (
    FIRST_PARTY,
    catalogue_page,
    cli_page,
    hook_signature,
    hooks_page,
    record_families,
    records_page,
)
from docstring_examples import ExampleFailed, not_run_problems, not_run_reason, run_example
from griffe_pmo import rest_to_markdown
from markdown_blocks import DOCS, Block, blocks

import pmo_core
from pmo_core import _records, cli, hookspecs, testing
from pmo_core._commands import BUILTIN_COMMANDS

pytest_plugins = ["pytester"]

ROOT = DOCS.parent
HOOKS = list(hookspecs.HOOKS)


def _directives(text: str) -> list[str]:
    return re.findall(r"^::: (\S+)", text, re.M)


def _page(name: str) -> str:
    return (DOCS / "reference" / name).read_text(encoding="utf-8")


def _sections(text: str, level: str) -> dict[str, str]:
    """The text under each heading of ``level`` (``"##"``), by heading."""
    parts = re.split(rf"^{level} (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _python_blocks(doc: str | None) -> list[str]:
    """The Python examples of a docstring, as the docs show them."""
    markdown = rest_to_markdown(inspect.cleandoc(doc or ""))
    return re.findall(r"^```python\n(.*?)^```", markdown, re.M | re.S)


# -------------------------------------------------------------------------------- hooks


def test_every_hook_function_is_declared() -> None:
    # A pmo_* function marked with the bare hookspec marker would be a hook with no family
    # and no page section.
    functions = sorted(n for n in vars(hookspecs) if n.startswith("pmo_"))
    assert sorted(HOOKS) == functions


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_section_headed_by_its_signature(hook: str) -> None:
    spec = hookspecs.HOOKS[hook]
    signature = hook_signature(hook)
    # As written in the source: the same as inspect shows it, less the quotes of postponed
    # annotations.
    assert signature == hook + str(inspect.signature(spec.function)).replace("'", "")
    families = _sections(hooks_page(), "##")
    hooks = _sections(families[spec.family.capitalize()], "###")
    heading = next((h for h in hooks if h.startswith(f"`{signature}`")), None)
    assert heading is not None, f"no section headed {signature!r}"
    assert f"::: pmo_core.hookspecs.{hook}" in hooks[heading]
    if spec.kind == "registration":
        assert spec.record is not None
        record = spec.record.__name__
        assert signature.endswith(f"-> Iterable[{record}]")
        assert f"[`{record}`][pmo_core.{record}]" in hooks[heading]  # links to the record
    # Every parameter is listed with its type; a pmo-core type links to its documentation.
    for name, parameter in inspect.signature(spec.function).parameters.items():
        assert f"- `{name}`: " in hooks[heading], f"{hook}: parameter {name} not listed"
        for public in re.findall(r"[A-Z]\w+", str(parameter.annotation)):
            if public in pmo_core.__all__:
                assert f"[`{public}`][pmo_core.{public}]" in hooks[heading]


def test_event_hook_parameters_are_typed_and_linked() -> None:
    page = _sections(_sections(hooks_page(), "##")["Events"], "###")
    heading = next(h for h in page if h.startswith("`pmo_status_reported("))
    assert "- `workspace`: [`Workspace`][pmo_core.Workspace]" in page[heading]
    assert "- `reports`: `Sequence[`[`StatusReport`][pmo_core.StatusReport]`]`" in page[heading]


def _test_files() -> list[Path]:
    roots = [ROOT / "tests", *ROOT.glob("plugins/*/tests"), *ROOT.glob("examples/*/tests")]
    return [
        path
        for root in roots
        for path in root.rglob("test*.py")
        if DOCS.parent / "tests" / "docs" not in path.parents  # the meta-tests name every hook
    ]


def test_every_hook_is_exercised_by_a_test() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in _test_files())
    untested = [hook for hook in HOOKS if not re.search(rf"\b{hook}\b", text)]
    assert untested == [], f"hooks no test mentions: {', '.join(untested)}"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_examples_run(hook: str) -> None:
    """A hook's example is a complete plugin module: it runs."""
    blocks = _python_blocks(hookspecs.HOOKS[hook].function.__doc__)
    assert blocks, f"{hook} has no example"
    for n, block in enumerate(blocks, start=1):
        exec(compile(block, f"{hook} example {n}", "exec"), {"__name__": f"example_{hook}"})


# ------------------------------------------------------------------------------ records


def test_records_page_lists_each_familys_records() -> None:
    page = records_page()
    assert _directives(page)[0] == "pmo_core._records"  # the module docstring leads
    sections = _sections(page, "##")
    for spec in hookspecs.HOOKS.values():
        if spec.record is not None:
            section = sections[spec.family.capitalize()]
            assert f"::: pmo_core.{spec.record.__name__}\n" in section
    # The other public types of each family's modules are with the family's records.
    assert "::: pmo_core.SourceItem\n" in sections["Connectors"]
    assert "::: pmo_core.RuleContext\n" in sections["Governance"]
    assert "::: pmo_core.Metric\n" in sections["Reports"]


def test_every_record_type_is_on_the_records_page_once() -> None:
    placed = [name for names in record_families().values() for name in names]
    assert sorted(placed) == sorted(_records.__all__)
    directives = _directives(records_page())
    assert [d for d in directives if directives.count(d) > 1] == []


# -------------------------------------------------------------------------- public names


def test_every_public_name_is_documented() -> None:
    api = _directives(_page("api.md"))
    records = set(_directives(records_page()))
    assert [n for n in pmo_core.__all__ if f"pmo_core.{n}" not in {*api, *records}] == []
    members = re.search(r"^::: pmo_core\.cli\n(?:    .*\n)+", _page("api.md"), re.M)
    assert members is not None, "api.md shows pmo_core.cli"
    shown = set(re.findall(r"^        - (\w+)$", members.group(0), re.M))
    assert [n for n in cli.__all__ if n not in shown and n not in ("DATE", "MONEY")] == []
    kit = _directives(_page("testing.md"))
    assert [n for n in testing.__all__ if f"pmo_core.testing.{n}" not in kit] == []
    # A record is documented once, on the record page; every name once per page.
    assert set(api) & records == set()
    assert [d for d in api if api.count(d) > 1] == []
    assert [d for d in kit if kit.count(d) > 1] == []


def _fixture_function(obj: Any) -> Callable[..., Any] | None:
    """The function behind a pytest fixture, else ``None`` (pytest 8.4 wraps fixtures)."""
    unwrap = getattr(obj, "_get_wrapped_function", None)
    if unwrap is not None:
        fn: Callable[..., Any] = unwrap()
        return fn
    if hasattr(obj, "_pytestfixturefunction") or hasattr(obj, "_fixture_function_marker"):
        return inspect.unwrap(obj)  # pytest < 8.4 marks the function itself
    return None


def _documented() -> Iterator[tuple[str, Any]]:
    """Every documented object with a docstring of its own: the public modules, the public
    names of pmo_core and pmo_core.testing, the hooks, and the members classes define."""
    yield "pmo_core", pmo_core
    yield "pmo_core.hookspecs", hookspecs
    yield "pmo_core.testing", testing
    yield "pmo_core.cli", cli
    yield "pmo_core._records", _records
    names = [(f"pmo_core.{n}", getattr(pmo_core, n)) for n in pmo_core.__all__]
    names += [(f"pmo_core.testing.{n}", getattr(testing, n)) for n in testing.__all__]
    names += [(f"pmo_core.cli.{n}", getattr(cli, n)) for n in cli.__all__]
    names += [
        (f"pmo_core.hookspecs.{n}", v)  # the hooks, and what declares them
        for n, v in vars(hookspecs).items()
        if (inspect.isfunction(v) or inspect.isclass(v))
        and v.__module__ == hookspecs.__name__
        and not n.startswith("_")
    ]
    for name, obj in names:
        obj = _fixture_function(obj) or obj
        if isinstance(obj, types.ModuleType) or not callable(obj):
            continue  # a constant: its docstring is its type's
        yield name, obj
        if inspect.isclass(obj):
            for part in _parts(obj):
                # A copy: looking at a record model's deferred validator builds it, which
                # adds to the class's namespace.
                for member, value in list(vars(part).items()):
                    function = getattr(value, "fget", None) or getattr(value, "__func__", value)
                    function = _fixture_function(function) or function
                    qualname = getattr(function, "__qualname__", "")
                    # Methods and properties the class defines (not a field's default
                    # function); the store conformance tests are left off the page.
                    own = qualname == f"{part.__qualname__}.{member}"
                    if (
                        own
                        and inspect.isfunction(function)
                        and not member.startswith(("_", "test_"))
                    ):
                        yield f"{name}.{member}", function


def _parts(cls: type) -> list[type]:
    """``cls`` and the private classes of pmo-core it is composed of (the Workspace's methods
    are grouped by concern in parts it inherits): their methods are its own on the page."""
    public = {id(getattr(pmo_core, n)) for n in pmo_core.__all__}
    return [cls] + [
        base
        for base in cls.__mro__[1:]
        if base.__module__.startswith("pmo_core.") and id(base) not in public
    ]


DOCUMENTED = dict(_documented())


def _doc(obj: object) -> str:
    # inspect.getdoc follows the base classes: a store's methods inherit the Store protocol's
    # docstrings (one documentation for every backend), as the reference pages show them.
    return inspect.getdoc(obj) or ""


def test_every_public_name_has_a_docstring() -> None:
    assert [name for name, obj in DOCUMENTED.items() if not _doc(obj).strip()] == []


# ------------------------------------------------------------------- docstring examples

EXAMPLES_PAGE = DOCS / "reference" / "examples.md"


def _setup(stage: str) -> list[Block]:
    """The blocks of the examples page marked ``<!-- examples: stage -->``."""
    found = [b for b in blocks(EXAMPLES_PAGE) if b.markers.get("examples") == stage]
    assert found, f"{EXAMPLES_PAGE.name} has no block marked 'examples: {stage}'"
    return found


def _example_environment(mp: pytest.MonkeyPatch, root: Path) -> None:
    mp.chdir(root)
    mp.setenv("PMO_CACHE_DIR", str(root / ".cache"))
    mp.setenv("PMO_USER", "docs")
    for name in ("PMO_WORKSPACE", "PMO_PLUGINS_ALLOW", "PMO_PLUGINS_DENY", "PMO_STRICT"):
        mp.delenv(name, raising=False)
    mp.delenv("PMO_STORE_URL", raising=False)


@pytest.fixture(scope="session")
def example_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace, built once per test worker by the examples page's build
    blocks; each example gets a copy."""
    root = tmp_path_factory.mktemp("examples")
    with pytest.MonkeyPatch.context() as mp:
        _example_environment(mp, root)
        namespace: dict[str, Any] = {"__name__": "__examples__"}
        for block in _setup("build"):
            exec(compile(block.code, block.where, "exec"), namespace)
        return Path.cwd()  # the build ends in the workspace's directory


def _examples(name: str, documented: dict[str, Any]) -> list[tuple[str, str]]:
    """``(label, code)`` of what runs for ``name``: its class's examples first (a member's
    example continues them), then its own."""
    chain = []
    parent = name.rpartition(".")[0]
    if inspect.isclass(documented.get(parent)):
        chain += [(parent, code) for code in _python_blocks(_doc(documented[parent]))]
    chain += [(name, code) for code in _python_blocks(_doc(documented[name]))]
    return [(f"{label} example {n}", code) for n, (label, code) in enumerate(chain, start=1)]


def _module_of(obj: Any) -> str:
    """The public module a plugin's name is documented from (``pmo_reports.kit``)."""
    if inspect.ismodule(obj):
        return obj.__name__
    module: str = obj.__module__
    return module.split("._")[0]  # pmo_resources._capacity -> pmo_resources


def _close_all(namespace: dict[str, Any]) -> None:
    for value in namespace.values():
        if isinstance(value, (pmo_core.Workspace, pmo_core.SQLiteStore)):
            value.close()


def run_examples(
    name: str,
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    documented: dict[str, Any] = DOCUMENTED,
) -> dict[str, Any]:
    """Run ``name``'s examples in ``root`` (a copy of the example workspace), in a namespace
    made by the examples page's ``each`` block (and, for a plugin's name, the public names of
    its module); returns the namespace."""
    _example_environment(monkeypatch, root)
    namespace: dict[str, Any] = {"__name__": "__example__"}
    before = set(sys.modules)
    try:
        for block in _setup("each"):
            exec(compile(block.code, block.where, "exec"), namespace)
        if not name.startswith("pmo_core"):
            exec(f"from {_module_of(documented[name])} import *", namespace)
        for label, code in _examples(name, documented):
            if not_run_reason(code) is not None:
                compile(code, label, "exec")
                continue
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                run_example(code, namespace, label)
            # An example may issue a warning it names (PmoDeprecationWarning's); any other is
            # an error, as in the rest of the suite. Not a ResourceWarning: a store an example
            # rebinds without closing (short, as examples are) warns when the collector gets
            # to it, which on Python 3.13 may be in any later example; _close_all closes the
            # rest.
            unnamed = [
                w
                for w in caught
                if w.category.__name__ not in code and not issubclass(w.category, ResourceWarning)
            ]
            if unnamed:
                raise ExampleFailed(f"{label} warned: {unnamed[0].message}")
    finally:
        _close_all(namespace)
        for module in set(sys.modules) - before:  # what an example wrote and imported
            if str(getattr(sys.modules[module], "__file__", "") or "").startswith(str(root)):
                del sys.modules[module]
    return namespace


@pytest.mark.parametrize("name", [n for n in DOCUMENTED if _python_blocks(_doc(DOCUMENTED[n]))])
def test_docstring_examples_run(
    name: str, example_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every example of the reference runs, and the results it shows are what it gives (the
    rules: sdk_docs/reference/examples.md, "How the examples are checked")."""
    root = tmp_path / "acme"
    shutil.copytree(example_workspace, root)
    try:
        run_examples(name, root, monkeypatch)
    except ExampleFailed as exc:
        pytest.fail(str(exc), pytrace=False)


def _plugin_documented() -> Iterator[tuple[str, Any]]:
    """The first-party plugins' names the docs pages render (``::: pmo_kanban.Column``),
    with the methods their classes define; a plugin that is not installed here (one that
    needs a service) is left out."""
    import importlib

    seen = set()
    for page in sorted(DOCS.rglob("*.md")):
        for path in _directives(page.read_text(encoding="utf-8")):
            if path.startswith("pmo_core") or path in seen:
                continue
            seen.add(path)
            module, _, attr = path.rpartition(".")
            try:
                obj = importlib.import_module(path)
            except ImportError:
                try:
                    obj = getattr(importlib.import_module(module), attr)
                except ImportError:
                    continue
            if not (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj)):
                continue  # a constant: its docstring is its type's
            yield path, obj
            if inspect.isclass(obj):
                for member, value in list(vars(obj).items()):
                    function = getattr(value, "fget", None) or getattr(value, "__func__", value)
                    own = f"{obj.__qualname__}.{member}"
                    if (
                        inspect.isfunction(function)
                        and not member.startswith("_")
                        and function.__qualname__ == own
                    ):
                        yield f"{path}.{member}", function


PLUGIN_DOCUMENTED = dict(_plugin_documented())


@pytest.mark.parametrize(
    "name", [n for n in PLUGIN_DOCUMENTED if _python_blocks(_doc(PLUGIN_DOCUMENTED[n]))]
)
def test_plugin_docstring_examples_run(
    name: str, example_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The examples of the first-party plugins' names shown on the docs pages run as the
    API reference's do, with the names of the plugin's module at hand too."""
    root = tmp_path / "acme"
    shutil.copytree(example_workspace, root)
    try:
        run_examples(name, root, monkeypatch, documented=PLUGIN_DOCUMENTED)
    except ExampleFailed as exc:
        pytest.fail(str(exc), pytrace=False)


def test_examples_not_run_say_why() -> None:
    examples = {
        name: _python_blocks(_doc(obj)) for name, obj in {**DOCUMENTED, **PLUGIN_DOCUMENTED}.items()
    }
    assert not_run_problems(examples) == []
    marked = [n for n, codes in examples.items() for c in codes if not_run_reason(c)]
    assert len(marked) <= NOT_RUN_AT_MOST, f"examples not run: {marked}"


#: Examples that only compile (each says why in its first line). Keep them few.
NOT_RUN_AT_MOST = 8


@pytest.mark.parametrize(
    "cls",
    [pmo_core.Workspace, pmo_core.WorkspaceView, pmo_core.PluginHost, pmo_core.Store],
    ids=lambda cls: cls.__name__,
)
def test_every_public_method_has_an_example(cls: type) -> None:
    public = [n for part in _parts(cls) for n in vars(part) if not n.startswith("_")]
    documented = {n: DOCUMENTED.get(f"pmo_core.{cls.__name__}.{n}") for n in public}
    assert [
        n for n, obj in documented.items() if not _python_blocks(obj.__doc__ if obj else "")
    ] == []


# ---------------------------------------------------------------------------- testing kit

KIT_EXAMPLES = [
    "pmo_core.testing",
    # The conformance suites and the clock: their examples are complete test modules too.
    *(
        f"pmo_core.testing.{n}"
        for n in testing.__all__
        if n.endswith("Conformance")
        and n.startswith(("Governance", "Methodology", "Report", "Connector"))
    ),
    "pmo_core.testing.PmoClock",
    # What the fixtures give: their examples are test functions too.
    "pmo_core.testing.CliResult",
    "pmo_core.testing.CliResult.json",
    "pmo_core.testing.CliResult.assert_ok",
    "pmo_core.testing.CliResult.assert_error",
    "pmo_core.testing.FakeDistribution",
    "pmo_core.testing.FakeDistribution.uninstall",
] + [f"pmo_core.testing.{n}" for n in testing.__all__ if _fixture_function(getattr(testing, n))]


@pytest.mark.parametrize("name", KIT_EXAMPLES)
def test_testing_kit_examples_run(name: str, pytester: pytest.Pytester) -> None:
    """The testing kit's examples and its fixtures' are complete test modules: they pass."""
    [example] = _python_blocks(DOCUMENTED[name].__doc__)
    pytester.makepyfile(**{f"test_{name.rpartition('.')[2]}": example})
    # In a subprocess: an in-process run restores sys.modules afterwards, dropping what the
    # example imported first (the report kit's chart renderer, a PyO3 module that cannot be
    # initialised twice in one interpreter), which breaks later tests in this worker.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()
    assert outcomes.get("passed", 0) >= 1


# ------------------------------------------------------------------------------------ CLI


def test_cli_page_has_every_command_and_subcommand() -> None:
    import click

    headings = set(re.findall(r"^#+ (pmo.*)$", cli_page(), re.M))
    for name, module, attr, _ in BUILTIN_COMMANDS:
        command = getattr(__import__(f"pmo_core._cli.{module}", fromlist=[attr]), attr)
        assert f"pmo {name}" in headings
        for sub in getattr(command, "commands", {}) if isinstance(command, click.Group) else {}:
            assert f"pmo {name} {sub}" in headings
    # The first-party plugins' commands too.
    assert {"pmo governance", "pmo stage-gate"} <= headings


def test_cli_page_has_the_global_options_and_every_help_topic() -> None:
    from pmo_core._cli.help_topics import TOPICS

    page = cli_page()

    assert "## Global options" in page
    for option in ("-w, --workspace", "--debug", "--strict", "--trace", "--as", "--json"):
        assert f"| `{option}" in page
    for name, (_summary, text) in TOPICS.items():
        assert f"### pmo help {name}\n" in page
        assert text.rstrip() in page


def test_the_environment_topic_names_every_variable_the_code_reads() -> None:
    from pmo_core._cli.help_topics import TOPICS

    root = Path(__file__).resolve().parents[2]
    sources = [*(root / "pmo_core").rglob("*.py"), *(root / "plugins").glob("*/pmo_*/**/*.py")]
    read: set[str] = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        read |= set(re.findall(r"[\"'](PMO_[A-Z][A-Z0-9_]*[A-Z0-9])[\"']", text))
        read |= set(re.findall(r"\b(NO_COLOR|CLICOLOR_FORCE)\b", text))
    topic = TOPICS["environment"][1]

    assert {"PMO_WORKSPACE", "NO_COLOR", "CLICOLOR_FORCE"} <= read
    assert sorted(v for v in read if v not in topic) == []


def test_catalogue_lists_every_installed_first_party_plugin_and_what_it_registers() -> None:
    from importlib.metadata import entry_points

    page = catalogue_page()
    installed = {
        e.name: e.dist.name
        for e in entry_points(group="pmo_core.plugins")
        if e.dist is not None and e.dist.name in FIRST_PARTY
    }
    assert {"governance", "stage-gate", "reports", "strategy"} <= set(installed)
    for plugin, distribution in installed.items():
        assert f"| `{plugin}` | `{distribution}` |" in page
        assert f"## {plugin}\n" in page
    # What each registers comes from calling its hooks, not from a list kept by hand.
    strategy = page.split("## strategy\n", 1)[1].split("\n## ", 1)[0]
    assert (
        "- **scoring models**: `alignment`, `irr`, `npv`, `risk-adjusted`, `weighted`, `wsjf`"
        in strategy
    )
    assert "- **governance rules**: `knowledge-relevant-lessons`" in page
