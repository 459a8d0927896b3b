"""``pmo plugins new`` (alias ``pmo plugin new``): names, refusals, JSON output, the alias.

The generated packages are linted, type-checked, installed and used end to end in
tests/integration/test_scaffold_end_to_end.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def test_refuses_a_non_empty_directory_and_writes_nothing(tmp_path: Path, pmo_cli) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = pmo_cli("plugin", "new", "acme", "--family", "report", "--dir", str(target))
    assert result.exit_code == 4
    assert "taken exists and is not empty" in result.stderr
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(
    "name", ["Acme", "pmo-acme", "acme_rules", "acme--rules", "1acme", "a" * 31]
)
def test_refuses_a_bad_name_and_writes_nothing(tmp_path: Path, pmo_cli, name: str) -> None:
    target = tmp_path / "new"
    result = pmo_cli("plugins", "new", name, "--family", "command", "--dir", str(target))
    assert result.exit_code == 2
    assert "NAME" in result.stderr
    assert not target.exists()


def test_empty_directory_is_used_and_json_lists_the_files(tmp_path: Path, pmo_cli) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    result = pmo_cli(
        "plugin", "new", "acme-rules", "--family", "governance", "--dir", str(target), "--json"
    )
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["distribution"] == "pmo-acme-rules"
    assert data["package"] == "pmo_acme_rules"
    assert "pmo_acme_rules/__init__.py" in data["files"]
    assert (target / "pmo_acme_rules" / "__init__.py").is_file()


def test_plugin_is_a_hidden_alias_of_plugins(pmo_cli) -> None:
    result = pmo_cli("plugin", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == pmo_cli("plugins", "list", "--json").json()
    listed = [
        line.split()[0] for line in pmo_cli("--help").output.splitlines() if line[:3] == "  p"
    ]
    assert "plugins" in listed
    assert "plugin" not in listed


def test_pyproject_requires_the_running_minor_version(tmp_path: Path, pmo_cli) -> None:
    from pmo_core import __version__

    major, minor = (int(p) for p in __version__.split(".")[:2])
    target = tmp_path / "made"
    assert (
        pmo_cli("plugin", "new", "acme", "--family", "report", "--dir", str(target)).exit_code == 0
    )
    text = (target / "pyproject.toml").read_text()
    assert f'"pmo-core>={major}.{minor},<{major}.{minor + 1}"' in text
    assert 'acme = "pmo_acme"' in text


def test_author_is_quoted_in_pyproject(tmp_path: Path, pmo_cli) -> None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    target = tmp_path / "made"
    author = 'Dana "DR" Reyes \\ Acme'
    result = pmo_cli(
        "plugin", "new", "acme", "--family", "command", "--dir", str(target), "--author", author
    )
    assert result.exit_code == 0, result.stderr
    project = tomllib.loads((target / "pyproject.toml").read_text())["project"]
    assert project["authors"] == [{"name": author}]
    assert project["dependencies"][0].startswith("pmo-core>=")
