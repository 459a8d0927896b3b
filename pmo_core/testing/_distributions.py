"""``fake_distribution``: a real installed distribution on a temporary ``sys.path`` entry.

Entry-point discovery is only tested for real when ``importlib.metadata`` reads real
metadata, so this writes a ``<name>-<version>.dist-info`` directory (``METADATA`` and
``entry_points.txt``) and the plugin's module source beside it, exactly as pip would.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Kept here rather than imported from pmo_core._plugins.index so that loading the testing kit
# (which pytest does in every run) stays cheap; the value is tested against the index's.
ENTRY_POINT_GROUP = "pmo_core.plugins"
FAMILIES_GROUP = "pmo_core.families"


@dataclass
class FakeDistribution:
    """An installed distribution made by the :func:`fake_distribution` fixture.

    ``site`` is the ``sys.path`` entry it is installed in, ``dist_info`` its metadata
    directory, ``plugins`` maps each plugin id (entry-point name) to the entry-point value,
    and ``modules`` lists the top-level modules whose source was written.

    Example::

        def test_a_fake_plugin(fake_distribution):
            dist = fake_distribution("pmo-acme", "from pmo_core import hookimpl\\n")
            assert (dist.plugin_id, dist.module) == ("acme", "pmo_acme")
            dist.uninstall()  # as 'pip uninstall' would
    """

    name: str
    version: str
    site: Path
    dist_info: Path
    plugins: dict[str, str]
    modules: tuple[str, ...] = ()
    files: tuple[Path, ...] = field(default=(), repr=False)

    @property
    def plugin_id(self) -> str:
        """The id of the (first) plugin the distribution provides."""
        return next(iter(self.plugins), "")

    @property
    def module(self) -> str:
        """The module the (first) entry point names (else the first module written)."""
        if not self.plugins:
            return self.modules[0] if self.modules else ""
        return self.plugins[self.plugin_id].partition(":")[0].strip()

    def uninstall(self) -> None:
        """Remove the distribution's metadata and files, as ``pip uninstall`` would.

        Example::

            from pmo_core import PluginHost

            def test_uninstalled(fake_distribution):
                dist = fake_distribution("pmo-acme", "from pmo_core import hookimpl\\n")
                dist.uninstall()
                assert "acme" not in [e.id for e in PluginHost().installed()]
        """
        shutil.rmtree(self.dist_info, ignore_errors=True)
        for path in self.files:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists():
                path.unlink()
        _forget_modules(self.modules)
        _touch(self.site)
        importlib.invalidate_caches()


def _touch(directory: Path) -> None:
    # The plugin index (and importlib.metadata's own path cache) notice a change by the
    # directory's mtime. Some filesystems keep it to a second or coarser, so move it forward by
    # at least a second rather than trusting the clock to have ticked.
    before = directory.stat().st_mtime_ns
    after = max(time.time_ns(), before + 1_000_000_000)
    os.utime(directory, ns=(after, after))


def _forget_modules(names: Sequence[str]) -> None:
    for loaded in list(sys.modules):
        if any(loaded == n or loaded.startswith(f"{n}.") for n in names):
            del sys.modules[loaded]


def _default_id(name: str) -> str:
    canonical = re.sub(r"[-_.]+", "-", name).lower()
    return canonical.removeprefix("pmo-")


def _module_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata(name: str, version: str, summary: str, requires: Sequence[str]) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    if summary:
        lines.append(f"Summary: {summary}")
    lines += [f"Requires-Dist: {req}" for req in requires]
    return "\n".join(lines) + "\n"


def _entry_points(plugins: Mapping[str, str], families: Sequence[str] = ()) -> str:
    body = "".join(f"{pid} = {value}\n" for pid, value in plugins.items())
    text = f"[{ENTRY_POINT_GROUP}]\n{body}"
    if families:
        declared = "".join(
            f"{pid}.{family} = {value}\n" for pid, value in plugins.items() for family in families
        )
        text += f"\n[{FAMILIES_GROUP}]\n{declared}"
    return text


class DistributionFactory:
    """The callable the :func:`fake_distribution` fixture returns (see there)."""

    def __init__(self, site: Path, monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
        self.site = site
        self._monkeypatch = monkeypatch
        self._cache = cache
        self._on_path = False
        self.made: list[FakeDistribution] = []

    def __call__(
        self,
        name: str,
        source: str | Mapping[str, str] | None = "",
        *,
        plugin_id: str | None = None,
        module: str | None = None,
        version: str = "0.1.0",
        summary: str = "",
        requires: Sequence[str] = ("pmo-core>=0.1",),
        entry_points: Mapping[str, str] | None = None,
        families: Sequence[str] = (),
    ) -> FakeDistribution:
        """Install a distribution ``name`` providing one plugin; see :func:`fake_distribution`.

        ``families``: the hook families its metadata declares (``pmo_core.families``).
        """
        module = module or _module_name(name)
        plugins = dict(
            {plugin_id or _default_id(name): module} if entry_points is None else entry_points
        )
        files: list[Path] = []
        modules: set[str] = set()
        if isinstance(source, str):
            target = self.site / f"{module.replace('.', '/')}.py"
            sources: dict[Path, str] = {target: source}
        else:
            sources = {self.site / rel: text for rel, text in (source or {}).items()}
        for path, text in sources.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
            top = path.relative_to(self.site).parts[0]
            files.append(self.site / top)
            modules.add(top.removesuffix(".py"))
        dist_info = self.site / f"{_module_name(name)}-{version}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(
            _metadata(name, version, summary, requires), encoding="utf-8"
        )
        (dist_info / "entry_points.txt").write_text(
            _entry_points(plugins, families), encoding="utf-8"
        )
        (dist_info / "top_level.txt").write_text(
            "".join(f"{m}\n" for m in sorted(modules)), encoding="utf-8"
        )
        _touch(self.site)
        if not self._on_path:
            self._monkeypatch.syspath_prepend(str(self.site))
            self._on_path = True
        importlib.invalidate_caches()
        dist = FakeDistribution(
            name=name,
            version=version,
            site=self.site,
            dist_info=dist_info,
            plugins=plugins,
            modules=tuple(
                sorted(modules | {v.partition(":")[0].strip() for v in plugins.values()})
            ),
            files=tuple(files),
        )
        self.made.append(dist)
        return dist

    def cleanup(self) -> None:
        _forget_modules([m for dist in self.made for m in dist.modules])
        importlib.invalidate_caches()


@pytest.fixture
def fake_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., FakeDistribution]]:
    """Install fake pmo plugin distributions for real, so discovery goes through metadata.

    Call it with the distribution name and the plugin module's source (dedented). It writes
    the module and a ``<name>-<version>.dist-info`` directory (``METADATA`` with ``Name``,
    ``Version``, ``Summary`` and ``Requires-Dist`` lines; ``entry_points.txt`` in the group
    ``pmo_core.plugins``) into a temporary directory put on ``sys.path``, points
    ``PMO_CACHE_DIR`` at a temporary directory, and afterwards removes the modules it imported
    and restores ``sys.path``.

    Options: ``plugin_id`` (default: the name without ``pmo-``), ``module`` (default: the name
    with ``_``), ``version``, ``summary``, ``requires`` (``Requires-Dist`` lines, default
    ``("pmo-core>=0.1",)``), ``entry_points`` (``{id: "module:attr"}`` to override or add
    several), ``families`` (the hook families its metadata declares in the group
    ``pmo_core.families``, e.g. ``("governance",)``), and ``source`` as ``{relative path:
    text}`` for packages (``None`` writes no module at all, for an entry point that cannot
    import).

    Example::

        def test_my_plugin_is_discovered(fake_distribution, pmo_host):
            fake_distribution("pmo-acme", '''
                from pmo_core import PmoGovernanceRule, hookimpl

                @hookimpl
                def pmo_governance_rules():
                    yield PmoGovernanceRule(name="acme-rule", check=lambda ctx: None)
            ''')
            host = pmo_host(enabled=["pmo-acme"])
            assert host.status("acme").state == "loaded"
    """
    cache = tmp_path / "pmo-cache"
    monkeypatch.setenv("PMO_CACHE_DIR", str(cache))
    site = tmp_path / "site-packages"
    site.mkdir()
    factory = DistributionFactory(site, monkeypatch, cache)
    yield factory
    factory.cleanup()
