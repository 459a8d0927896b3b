"""pmo.toml: parsing, errors that name the file, rewriting that keeps comments; env switches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pmo_core import InvalidInputError, NotFoundError, Workspace
from pmo_core._config import WorkspaceConfig, render_config, write_plugins
from pmo_core._env import env_flag, env_list
from pmo_core._locate import CONFIG_FILE, find_workspace

GOOD = """\
# Acme's PMO
[workspace]
name = "Acme PMO"
store = "sqlite:///data/pmo.db"   # relative to this file
currency = "USD"
governance_model = "controlling"
methodology = "stage-gate"
lock_timeout = 120

[plugins]
enabled = ["governance", "stage-gate"]  # grown from the starter profile
order = ["stage-gate"]
strict = true

[settings.csv]
delimiter = ";"
"""


def write(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / CONFIG_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_config_is_read(tmp_path: Path) -> None:
    write(tmp_path, GOOD)

    config = WorkspaceConfig.load(tmp_path)

    assert (config.name, config.currency, config.governance_model) == (
        "Acme PMO",
        "USD",
        "controlling",
    )
    assert config.methodology == "stage-gate"
    assert config.enabled == ("governance", "stage-gate")
    assert (config.order, config.strict) == (("stage-gate",), True)
    assert config.settings == {"csv": {"delimiter": ";"}}
    assert config.store_url() == f"sqlite:///{(tmp_path / 'data/pmo.db').as_posix()}"
    assert config.path == tmp_path / CONFIG_FILE
    assert config.lock_timeout == 120.0


def test_defaults_for_an_empty_file(tmp_path: Path) -> None:
    write(tmp_path, "")

    config = WorkspaceConfig.load(tmp_path)

    assert (config.enabled, config.strict, config.methodology) == ((), False, None)
    # A write waits fifteen minutes for another (a large import) before it gives up.
    assert config.lock_timeout == 900.0
    # No model named: the neutral one pmo-core registers itself (no first-party plugin).
    assert config.governance_model == "neutral"
    assert config.store_url().endswith("/.pmo/pmo.db")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[workspace\nname = 1\n", "Expected ']'"),
        ("[workspace]\nname = 1\n", "workspace.name must be a string, got 1"),
        ('[plugins]\nenabled = "csv"\n', "plugins.enabled must be a list, got 'csv'"),
        ("[plugins]\norder = [1]\n", "plugins.order.0 must be a string, got 1"),
        ('workspace = "x"\n', "workspace must be a table, got 'x'"),
        ("[plugin]\nenabled = []\n", "unknown key plugin in the top level"),
        ('[plugins]\nstrict = "false"\n', "plugins.strict must be true or false, got 'false'"),
        ('[workspace]\nlock_timeout = "60"\n', "workspace.lock_timeout must be a number, got '60'"),
        ("[workspace]\nlock_timeout = -1\n", "workspace.lock_timeout: Input should be greater"),
        ("[workspace]\nlock_timeout = 1e9\n", "workspace.lock_timeout: Input should be less"),
    ],
    ids=[
        "syntax",
        "name-type",
        "enabled-type",
        "order-type",
        "not-a-table",
        "unknown-table",
        "strict-type",
        "lock-timeout-type",
        "lock-timeout-negative",
        "lock-timeout-too-long",
    ],
)
def test_errors_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)

    with pytest.raises(InvalidInputError) as caught:
        WorkspaceConfig.load(tmp_path)

    assert caught.value.where == str(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_a_syntax_error_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, '[workspace]\nname = "ok"\ncurrency = \n')

    with pytest.raises(InvalidInputError, match=r"line 3"):
        WorkspaceConfig.load(tmp_path)


def test_opening_a_workspace_with_a_broken_file_names_it(tmp_path: Path) -> None:
    path = write(tmp_path / "ws", "[plugins]\nstrict = [\n")

    with pytest.raises(InvalidInputError, match=str(path).replace("\\", "\\\\")):
        Workspace.open(tmp_path / "ws")


def test_a_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="pmo init"):
        WorkspaceConfig.load(tmp_path)


def test_write_plugins_keeps_comments_and_other_values(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)

    write_plugins(path, enabled=["governance", "stage-gate", "csv"])

    text = path.read_text(encoding="utf-8")
    assert "# Acme's PMO" in text
    assert "# relative to this file" in text
    assert 'order = ["stage-gate"]' in text
    assert '[settings.csv]\ndelimiter = ";"' in text
    config = WorkspaceConfig.load(tmp_path)
    assert config.enabled == ("governance", "stage-gate", "csv")
    assert config.currency == "USD"
    assert not list(tmp_path.glob(".pmo.toml*"))  # no temporary file left behind


def test_write_plugins_adds_a_missing_table(tmp_path: Path) -> None:
    path = write(tmp_path, '# mine\n[workspace]\nname = "X"\n')

    write_plugins(path, enabled=["csv"])

    assert WorkspaceConfig.load(tmp_path).enabled == ("csv",)
    assert path.read_text("utf-8").startswith("# mine\n")


def test_render_config_round_trips(tmp_path: Path) -> None:
    write(
        tmp_path,
        render_config(
            name="Acme", enabled=["governance"], governance_model="directive", methodology=None
        ),
    )

    config = WorkspaceConfig.load(tmp_path)

    assert (config.name, config.enabled, config.governance_model) == (
        "Acme",
        ("governance",),
        "directive",
    )
    assert config.methodology is None


def test_store_url_forms(tmp_path: Path) -> None:
    def url(store: str) -> str:
        return WorkspaceConfig.from_dict(tmp_path, {"workspace": {"store": store}}).store_url()

    assert url("sqlite:///rel/pmo.db") == f"sqlite:///{(tmp_path / 'rel/pmo.db').as_posix()}"
    assert url("sqlite:///:memory:") == "sqlite:///:memory:"
    assert url("memory://") == "memory://"
    assert url("postgresql://db/pmo") == "postgresql://db/pmo"


def test_store_url_from_the_environment(tmp_path: Path) -> None:
    """PMO_STORE_URL overrides [workspace] store (a server's password stays out of the
    file); a relative SQLite path in it is the workspace's, as in the file; empty is unset."""
    config = WorkspaceConfig.from_dict(tmp_path, {"workspace": {"store": "memory://"}})
    server = {"PMO_STORE_URL": "postgresql://pmo:secret@db.example/pmo?schema=acme"}
    assert config.store_in_use(server) == server["PMO_STORE_URL"]
    assert config.store_url(server) == server["PMO_STORE_URL"]
    assert config.store == "memory://"  # as written in pmo.toml
    relative = {"PMO_STORE_URL": "sqlite:///elsewhere/pmo.db"}
    assert config.store_url(relative) == f"sqlite:///{(tmp_path / 'elsewhere/pmo.db').as_posix()}"
    assert config.store_url({"PMO_STORE_URL": "  "}) == "memory://"
    assert config.store_url({}) == "memory://"


def test_find_workspace(tmp_path: Path) -> None:
    write(tmp_path / "acme", GOOD)
    deep = tmp_path / "acme" / "docs" / "q1"
    deep.mkdir(parents=True)

    assert find_workspace(deep, environ={}) == (tmp_path / "acme").resolve()
    assert find_workspace(deep, environ={"PMO_WORKSPACE": str(tmp_path)}) == tmp_path.resolve()
    with pytest.raises(NotFoundError, match="pmo init"):
        find_workspace(tmp_path, environ={})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), (" YES ", True), ("on", True), ("0", False), ("", False)],
)
def test_env_flag(value: str, expected: bool) -> None:
    assert env_flag("PMO_STRICT", {"PMO_STRICT": value}) is expected
    assert env_flag("PMO_STRICT", {}) is False


def test_env_list() -> None:
    assert env_list("X", {}) is None
    assert env_list("X", {"X": ""}) == frozenset()
    assert env_list("X", {"X": " csv, pmo-reports ,,"}) == frozenset({"csv", "pmo-reports"})


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[workspace]\ngovernance-model = "directive"\n', "key governance-model in [workspace]"),
        (
            "[plugins]\nenable = []\n",
            "key enable in [plugins]; "
            "expected enabled, order, slow_import_seconds, sources, strict",
        ),
    ],
)
def test_a_misspelt_key_is_an_error_naming_it(tmp_path: Path, text: str, named: str) -> None:
    (tmp_path / "pmo.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=re.escape(named)) as exc:
        Workspace.open(tmp_path)
    assert exc.value.where is not None
    assert exc.value.where.endswith("pmo.toml")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'[workspace]\nname = "\xff\xfe"\n', "not UTF-8 text: byte 0xff at line 2"),
        (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "arrays or tables nested too deeply"),
        (b'[workspace]\ncurrency = "eur"\n', "workspace.currency must be a currency code"),
        (b'[settings]\ncsv = "t0ken"\n', "settings.csv must be a table"),
    ],
    ids=["not-utf8", "deep-nesting", "currency", "settings-not-a-table"],
)
def test_any_file_gives_one_line_naming_it(tmp_path: Path, raw: bytes, message: str) -> None:
    path = tmp_path / CONFIG_FILE
    path.write_bytes(raw)

    with pytest.raises(InvalidInputError) as caught:
        WorkspaceConfig.load(tmp_path)

    assert caught.value.where == str(path)
    assert message in caught.value.message
    assert "\n" not in str(caught.value)


def test_help_survives_a_file_it_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from pmo_core._cli import cli

    (tmp_path / CONFIG_FILE).write_bytes(b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PMO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PMO_WORKSPACE", raising=False)

    helped = CliRunner().invoke(cli, ["--help"])
    listed = CliRunner().invoke(cli, ["project", "list"])

    assert helped.exit_code == 0
    assert "project" in helped.output
    assert listed.exit_code == 2
    assert "nested too deeply" in listed.output


def test_store_url_is_absolute_for_a_config_loaded_from_a_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "")
    monkeypatch.chdir(tmp_path)

    url = WorkspaceConfig.load(Path(".")).store_url()

    assert url == f"sqlite:///{(tmp_path.resolve() / '.pmo/pmo.db').as_posix()}"
