"""``pmo_plugin_env``: a throwaway environment to install plugin packages into, end to end.

A virtual environment that also sees the site-packages of the environment the tests run in
(like ``--system-site-packages``, but of that environment), so the pmo-core (and pytest,
pydantic, pip, setuptools...) already installed is used as it is: nothing is downloaded,
and making one takes milliseconds, installing a package about a second. Packages are
installed into it with ``pip install --no-deps --no-build-isolation -e DIR``; their entry
points are then visible to ``pmo`` run there, never to the environment the tests run in.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# `pmo` as a module run: a venv with system site-packages has no `pmo` script of its own.
_PMO = "import sys; from pmo_core._cli import main; sys.argv[0] = 'pmo'; main()"


@dataclass
class PluginEnv:
    """A throwaway environment (see :func:`pmo_plugin_env`) to install plugins into and run
    ``pmo`` or ``python`` there.

    ``run("pmo", ...)`` and ``run("python", ...)`` return the finished process (text output,
    never raising on a non-zero exit); ``cwd`` defaults to the environment's ``work`` folder,
    and ``PMO_CACHE_DIR`` points inside the environment.

    Example::

        # not run: makes a virtual environment and installs into it (a minute)
        env = PluginEnv.create(tmp_path / "env")
        env.install(tmp_path / "pmo-acme-rules")
        assert env.run("pmo", "plugins", "list").returncode == 0
    """

    root: Path
    python: Path
    environ: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, root: Path) -> PluginEnv:
        """Make the environment in ``root`` (a folder that need not exist).

        Example::

            # not run: makes a virtual environment and installs into it (a minute)
            env = PluginEnv.create(tmp_path / "env")
        """
        import site
        import sysconfig
        import venv  # only when an environment is made

        root = Path(root).resolve()  # the commands it runs may have another cwd

        venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(root)
        # Like --system-site-packages, but of the environment the tests run in (itself often a
        # venv): its site directories are added after the new one's, .pth files (editable
        # installs) included, so the installed pmo-core, pip and setuptools are used offline.
        inner = Path(sysconfig.get_path("purelib", vars={"base": str(root), "platbase": str(root)}))
        outer = [p for p in site.getsitepackages() if Path(p).is_dir()]
        (inner / "_pmo_outer_site.pth").write_text(
            "".join(f"import site; site.addsitedir({p!r})\n" for p in outer), encoding="utf-8"
        )
        bindir = "Scripts" if os.name == "nt" else "bin"
        python = root / bindir / ("python.exe" if os.name == "nt" else "python")
        (root / "work").mkdir(exist_ok=True)
        environ = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PMO_") and key not in ("VIRTUAL_ENV", "PYTHONPATH")
        }
        environ.update(
            PMO_CACHE_DIR=str(root / "pmo-cache"),
            VIRTUAL_ENV=str(root),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            PIP_NO_INDEX="1",
        )
        return cls(root=root, python=python, environ=environ)

    def install(self, directory: Path | str) -> None:
        """``pip install --no-deps --no-build-isolation -e DIRECTORY`` into the environment
        (pip and setuptools of the outer environment, offline); raises with pip's output on
        failure.

        Example::

            # not run: makes a virtual environment and installs into it (a minute)
            env.install(tmp_path / "pmo-acme-rules")
        """
        # The inner interpreter runs the outer pip (seen through the system site-packages),
        # which installs into the inner environment's own site-packages.
        done = self.run(
            "python",
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-e",
            str(Path(directory).resolve()),
        )
        if done.returncode != 0:
            raise RuntimeError(f"pip install -e {directory} failed:\n{done.stdout}{done.stderr}")

    def run(
        self, program: str, *args: str, cwd: Path | str | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        """Run ``pmo`` or ``python`` with ``args`` in the environment.

        Example::

            # not run: makes a virtual environment and installs into it (a minute)
            done = env.run("pmo", "plugins", "list", "--json")
            assert done.returncode == 0, done.stderr
        """
        if program == "pmo":
            argv = [str(self.python), "-c", _PMO, *args]
        elif program == "python":
            argv = [str(self.python), *args]
        else:
            raise ValueError(f"run() takes 'pmo' or 'python', not {program!r}")
        return subprocess.run(
            argv,
            cwd=str(cwd if cwd is not None else self.root / "work"),
            env=dict(self.environ),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


@pytest.fixture(scope="module")
def pmo_plugin_env(tmp_path_factory: pytest.TempPathFactory) -> PluginEnv:
    """A :class:`PluginEnv`, shared by the tests of a module: a virtual environment with
    the installed pmo-core, to ``install()`` plugin packages into and ``run()`` ``pmo`` in.

    Example::

        import json


        def test_a_new_plugin_installs(pmo_plugin_env, tmp_path):
            target = tmp_path / "pmo-northwind-tools"
            made = pmo_plugin_env.run(
                "pmo", "plugin", "new", "northwind-tools", "--family", "command",
                "--dir", str(target),
            )
            assert made.returncode == 0, made.stderr
            pmo_plugin_env.install(target)
            listed = pmo_plugin_env.run("pmo", "plugins", "list", "--json")
            assert "northwind-tools" in [p["id"] for p in json.loads(listed.stdout)]
    """
    return PluginEnv.create(tmp_path_factory.mktemp("pmo-plugin-env") / "venv")


__all__ = ["PluginEnv", "pmo_plugin_env"]
