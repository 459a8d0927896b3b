"""A connector package as an operator meets it: `pip install` from its directory, `pmo
plugins enable`, and it imports and exports; nothing else to do.

pmo-json is copied under another name (distribution pmo-json-copy, plugin and connector
json-copy) so that the package pip installs here is not the one the test environment
already has: what `pmo` finds is only what this pip run installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _renamed_copy(tmp_path: Path) -> Path:
    source = tmp_path / "pmo-json-copy"
    shutil.copytree(
        ROOT / "plugins" / "pmo-json",
        source,
        ignore=shutil.ignore_patterns("tests", "*.egg-info", "__pycache__", "build"),
    )
    (source / "pmo_json").rename(source / "pmo_json_copy")
    pyproject = source / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = text.replace('name = "pmo-json"', 'name = "pmo-json-copy"')
    text = text.replace('json = "pmo_json"', 'json-copy = "pmo_json_copy"')
    text = text.replace('"pmo_json"', '"pmo_json_copy"').replace("pmo_json =", "pmo_json_copy =")
    pyproject.write_text(text, encoding="utf-8")
    init = source / "pmo_json_copy" / "__init__.py"
    init.write_text(
        init.read_text(encoding="utf-8").replace('name="json"', 'name="json-copy"'),
        encoding="utf-8",
    )
    return source


def test_pip_install_from_a_directory_and_enable_is_all_an_operator_does(tmp_path: Path) -> None:
    target = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
         str(_renamed_copy(tmp_path))],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    env = {**os.environ, "PYTHONPATH": str(target), "PMO_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PMO_WORKSPACE", None)

    def pmo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from pmo_core._cli import main; main()", *args],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
        )  # fmt: skip

    for name in ("one", "two"):
        assert pmo("init", str(tmp_path / name)).returncode == 0
        enabled = pmo("-w", str(tmp_path / name), "plugins", "enable", "json-copy")
        assert enabled.returncode == 0, enabled.stderr
    listed = pmo("-w", str(tmp_path / "one"), "plugins", "list", "--json")
    plugin = next(p for p in json.loads(listed.stdout) if p["id"] == "json-copy")
    assert plugin["distribution"] == "pmo-json-copy"
    assert plugin["connectors"] == [
        {
            "name": "json-copy",
            "capabilities": ["read", "write"],
            "extensions": [".json"],
            "options": {},
        }
    ]
    assert (
        "connectors (json-copy: read, write)"
        in pmo("-w", str(tmp_path / "one"), "plugins", "list").stdout
    )
    assert (
        pmo("-w", str(tmp_path / "one"), "portfolio", "create", "PF", "--name", "D").returncode == 0
    )
    out = tmp_path / "all.json"
    assert pmo("-w", str(tmp_path / "one"), "export", "json-copy", str(out)).returncode == 0
    imported = pmo("-w", str(tmp_path / "two"), "import", "json-copy", str(out), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["counts"]["create"] == 1
