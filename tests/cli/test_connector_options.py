"""A connector's own options: declared on the connector, given with ``--option KEY=VALUE``
(or ``options=`` in the API), refused when the connector does not declare them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import needs_csv

from pmo_core import InvalidInputError, PmoConnector, Workspace
from pmo_core.testing import CliResult, FakeDistribution

PLUGIN = """
import json
from pmo_core import PmoConnector, SourceItem, hookimpl

SEEN = []


def read(request):
    SEEN.append(dict(request.options))
    yield SourceItem(kind="portfolio", remote_id=request.options.get("key", "PF"),
                     data={"name": "Portfolio"}, where="opt:1")


def write(request):
    items = list(request.items)
    with open(request.location, "w") as f:
        json.dump({"options": dict(request.options), "count": len(items)}, f)


@hookimpl
def pmo_connectors():
    yield PmoConnector(name="opt", capabilities=frozenset({"read", "write"}), read=read,
                       write=write, options={"key": "The portfolio's key.",
                                             "mode": "How to read."})
"""


@pytest.fixture
def ws(fake_distribution: Callable[..., FakeDistribution], tmp_path: Path) -> Workspace:
    fake_distribution("pmo-opt", PLUGIN, families=("connectors",))
    workspace = Workspace.init(tmp_path / "ws")
    workspace.enable("opt")
    return workspace


def seen() -> list[dict[str, str]]:
    import pmo_opt  # type: ignore[import-not-found]

    return pmo_opt.SEEN  # type: ignore[no-any-return]


def test_options_reach_the_connector_as_strings(
    ws: Workspace, pmo_cli: Callable[..., CliResult]
) -> None:
    result = pmo_cli(
        "import", "opt", "src", "--option", "key=PX", "--option", "mode= fast ", workspace=ws
    )

    assert result.exit_code == 0, result.stderr
    assert seen() == [{"key": "PX", "mode": "fast"}]
    assert [p.id for p in Workspace.open(ws.root).view().portfolios()] == ["PX"]


def test_an_option_the_connector_does_not_declare_is_refused_and_nothing_read(
    ws: Workspace, pmo_cli: Callable[..., CliResult]
) -> None:
    result = pmo_cli("import", "opt", "src", "--option", "kye=PX", workspace=ws)

    assert result.exit_code == 2
    assert "--option kye: connector 'opt' has no option 'kye'; did you mean key?" in result.stderr
    assert "(it takes: key, mode)" in result.stderr
    assert seen() == []
    assert Workspace.open(ws.root).view().portfolios() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--option", "key"], "--option: 'key' is not KEY=VALUE"),
        (["--option", "=PX"], "--option: '=PX' is not KEY=VALUE"),
        (["--option", "key=A", "--option", "key=B"], "--option key: key is given twice"),
        (["--option", "allow_empty=false"], "give --allow-empty, not --option allow_empty"),
    ],
)
def test_malformed_options_are_refused(
    ws: Workspace, pmo_cli: Callable[..., CliResult], args: list[str], message: str
) -> None:
    result = pmo_cli("import", "opt", "src", *args, workspace=ws)

    assert result.exit_code == 2
    assert message in result.stderr
    assert seen() == []


def test_export_hands_its_options_to_write(
    ws: Workspace, pmo_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    ws.create("portfolio", id="PF", name="Portfolio")

    result = pmo_cli("export", "opt", str(out), "--option", "mode=all", "--json", workspace=ws)

    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text()) == {"options": {"mode": "all"}, "count": 1}
    refused = pmo_cli("export", "opt", str(tmp_path / "x.json"), "--option", "nope=1", workspace=ws)
    assert refused.exit_code == 2
    assert "connector 'opt' has no option 'nope'" in refused.stderr
    assert not (tmp_path / "x.json").exists()


def test_the_api_refuses_an_undeclared_option_and_takes_allow_empty(ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="has no option 'Key'") as caught:
        ws.import_from("opt", "src", options={"Key": "PX"})
    assert caught.value.where == "--option Key"
    ws.import_from("opt", "src", options={"allow_empty": True, "key": "PY"})
    assert seen() == [{"allow_empty": True, "key": "PY"}]


@needs_csv
def test_a_connector_taking_no_options_says_so(
    pmo_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    ws = Workspace.init(tmp_path / "w", profile="starter")
    ws.enable("csv")
    result = pmo_cli("import", "csv", "x.csv", "--option", "sheet=1", workspace=ws)
    assert result.exit_code == 2
    assert "connector 'csv' has no option 'sheet' (it takes none)" in result.stderr


@pytest.mark.parametrize("name", ["Key", "allow_empty", "", "a b", "x" * 64])
def test_a_connector_declares_options_by_plain_names(name: str) -> None:
    with pytest.raises(ValueError, match="declares the option"):
        PmoConnector(name="bad", capabilities=frozenset({"read"}), read=lambda r: iter(()),
                     options={name: "?"})  # fmt: skip


def test_plugins_info_lists_a_connectors_options(
    ws: Workspace, pmo_cli: Callable[..., CliResult]
) -> None:
    text = pmo_cli("plugins", "info", "opt", workspace=ws)
    assert "  --option key:" in text.output
    assert "The portfolio's key." in text.output
    data = pmo_cli("plugins", "info", "opt", "--json", workspace=ws).json()
    assert data["connectors"][0]["options"] == {
        "key": "The portfolio's key.",
        "mode": "How to read.",
    }
