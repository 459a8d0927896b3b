"""`pmo plugins install` / `uninstall` as a user meets them, end to end and offline.

`pmo` runs as a subprocess from a throwaway venv made with --system-site-packages: it sees
pmo-core and its dependencies from the test environment, and pip installs into the throwaway
venv only, so the test environment is never changed. The example plugin is copied under
another name (distribution pmo-acme-rules-copy, plugin acme-rules-copy) because the test
environment may have pmo-acme-rules itself: what the workspace enables must be only what this
pip run installed. No network: no index, no build isolation (setuptools comes from the test
environment, see the [test] extra).
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _renamed_copy(tmp_path: Path) -> Path:
    source = tmp_path / "pmo-acme-rules-copy"
    shutil.copytree(
        ROOT / "examples" / "pmo-acme-rules",
        source,
        ignore=shutil.ignore_patterns("tests", "*.egg-info", "__pycache__", "build"),
    )
    (source / "pmo_acme_rules").rename(source / "pmo_acme_rules_copy")
    pyproject = source / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = text.replace('name = "pmo-acme-rules"', 'name = "pmo-acme-rules-copy"')
    text = text.replace('acme-rules = "pmo_acme_rules"', 'acme-rules-copy = "pmo_acme_rules_copy"')
    text = text.replace('["pmo_acme_rules"]', '["pmo_acme_rules_copy"]')
    pyproject.write_text(text, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def pmo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("install")
    env_dir = tmp / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # When the tests run in a venv themselves, --system-site-packages reaches the base
    # Python, not that venv: add the test environment's site-packages (their .pth files
    # processed, for editable installs) behind the throwaway venv's own.
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    dirs = [d for d in site.getsitepackages() if Path(d).is_dir()]
    (Path(own) / "_pmo_test_parent.pth").write_text(
        f"import site; list(map(site.addsitedir, {dirs!r}))\n", encoding="utf-8"
    )
    env = {
        **os.environ,
        "PMO_CACHE_DIR": str(tmp / "cache"),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip reads this as --no-build-isolation
        "PIP_NO_DEPS": "1",
        "NO_COLOR": "1",
    }
    env.pop("PMO_WORKSPACE", None)
    env.pop("PYTHONPATH", None)

    def run(*args: str, cwd: Path = tmp, answer: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(python), "-c", "from pmo_core._cli import main; main()", *args],
            capture_output=True, text=True, env=env, cwd=cwd, timeout=300, input=answer,
        )  # fmt: skip

    run.tmp = tmp  # type: ignore[attr-defined]
    run.python = python  # type: ignore[attr-defined]
    return run


@pytest.mark.plugins("pmo-governance", "pmo-reports", "pmo-csv")  # the starter profile
def test_install_enable_gate_check_then_uninstall(pmo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = str(tmp_path / "ws")
    assert pmo("init", ws).returncode == 0
    assert pmo("-w", ws, "plugins", "enable", "governance").returncode == 0
    created = pmo("-w", ws, "project", "create", "ALPHA", "--name", "Alpha", "--tier", "1")
    assert created.returncode == 0, created.stderr

    installed = pmo("-w", ws, "plugins", "install", str(_renamed_copy(tmp_path)), "--yes")
    assert installed.returncode == 0, installed.stderr
    assert "acme-rules-copy (pmo-acme-rules-copy 0.1.0)" in installed.stdout
    assert "Enabled acme-rules-copy" in installed.stdout
    # Installed into the throwaway venv, never into the test environment.
    assert not any(
        p.stem.startswith("pmo_acme_rules_copy") for p in Path(sys.prefix).rglob("*.dist-info")
    )

    checked = pmo("-w", ws, "gate", "check", "ALPHA", "--json")
    assert "acme-cost-centre" in checked.stdout, checked.stdout + checked.stderr

    listed = json.loads(pmo("-w", ws, "plugins", "list", "--json").stdout)
    assert {p["id"]: p["enabled"] for p in listed}["acme-rules-copy"] is True

    removed = pmo("-w", ws, "plugins", "uninstall", "acme-rules-copy", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert "Disabled acme-rules-copy" in removed.stdout
    assert "Uninstalled pmo-acme-rules-copy" in removed.stdout
    listed = json.loads(pmo("-w", ws, "plugins", "list", "--json").stdout)
    assert "acme-rules-copy" not in {p["id"] for p in listed}
    assert "acme-rules-copy" not in (Path(ws) / "pmo.toml").read_text(encoding="utf-8")


def test_install_outside_a_workspace_says_how_to_enable_and_json_lists(pmo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = pmo("plugins", "install", str(_renamed_copy(tmp_path)), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["installed"] == ["pmo-acme-rules-copy"]
    assert data["plugins"] == [
        {
            "id": "acme-rules-copy",
            "distribution": "pmo-acme-rules-copy",
            "version": "0.1.0",
            "enabled": False,
        }
    ]
    assert data["enabled"] == []
    again = pmo("plugins", "install", str(_renamed_copy(tmp_path / "b")), cwd=tmp_path)
    assert "Not in a workspace" in again.stdout
    assert "plugins enable acme-rules-copy" in again.stdout
    assert pmo("plugins", "uninstall", "pmo-acme-rules-copy", "--yes").returncode == 0


def test_a_failing_pip_is_one_block_and_enables_nothing(pmo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = str(tmp_path / "ws")
    assert pmo("init", ws).returncode == 0
    before = (Path(ws) / "pmo.toml").read_text(encoding="utf-8")
    empty = tmp_path / "not-a-project"
    empty.mkdir()
    failed = pmo("-w", ws, "plugins", "install", str(empty), "--yes")
    assert failed.returncode != 0
    assert failed.stdout == ""
    lines = failed.stderr.splitlines()
    assert lines[0].startswith("error: pip install failed (exit ")
    assert lines[0].endswith("nothing was enabled")
    assert len(lines) > 1
    assert all(line.startswith("  pip: ") for line in lines[1:]), failed.stderr
    assert (Path(ws) / "pmo.toml").read_text(encoding="utf-8") == before


@pytest.mark.plugins("pmo-governance", "pmo-reports", "pmo-csv")  # the starter profile
def test_uninstall_without_an_answer_changes_nothing(pmo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    refused = pmo("plugins", "uninstall", "governance")
    assert refused.returncode == 2
    assert "nothing changed" in refused.stderr
    unknown = pmo("plugins", "uninstall", "no-such-plugin", "--yes")
    assert unknown.returncode == 3
    assert "no installed plugin 'no-such-plugin'" in unknown.stderr


def test_install_asks_before_enabling_and_uninstall_before_removing(pmo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = str(tmp_path / "ws")
    assert pmo("init", ws).returncode == 0
    declined = pmo("-w", ws, "plugins", "install", str(_renamed_copy(tmp_path)), answer="n\n")
    assert declined.returncode == 0, declined.stderr
    assert "Enable acme-rules-copy in " in declined.stderr  # the question, on stderr
    assert "Not enabled: 'pmo plugins enable acme-rules-copy' when ready." in declined.stdout
    assert "acme-rules-copy" not in (Path(ws) / "pmo.toml").read_text(encoding="utf-8")

    # No answer at all (input ended): an error naming --yes; installed, not enabled.
    silent = pmo("-w", ws, "plugins", "install", str(_renamed_copy(tmp_path / "b")))
    assert silent.returncode == 2
    assert "installed, not enabled" in silent.stderr
    assert "--yes" in silent.stderr

    kept = pmo("-w", ws, "plugins", "uninstall", "acme-rules-copy", answer="n\n")
    assert (kept.returncode, kept.stdout.strip()) == (0, "Nothing changed.")
    assert "acme-rules-copy" in pmo("plugins", "list").stdout
    gone = pmo("-w", ws, "plugins", "uninstall", "acme-rules-copy", answer="y\n")
    assert gone.returncode == 0, gone.stderr
    assert "Disabled" not in gone.stdout  # it was never enabled here
    assert "Uninstalled pmo-acme-rules-copy" in gone.stdout
