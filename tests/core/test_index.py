"""The entry-point index: read from metadata, cached per environment, invalidated on change."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from pmo_core._plugins import index
from pmo_core._plugins.cache import environment_fingerprint
from pmo_core._plugins.index import (
    ENTRY_POINT_GROUP,
    FAMILIES_GROUP,
    PluginEntry,
    canonical_distribution,
    installed_plugins,
)
from pmo_core.testing import FakeDistribution, _distributions

Install = Callable[..., FakeDistribution]

PLUGIN = "from pmo_core import hookimpl\n"


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the real scans of the environment."""
    calls: list[int] = []
    real = index.scan

    def counting() -> list[PluginEntry]:
        calls.append(1)
        return real()

    monkeypatch.setattr(index, "scan", counting)
    return calls


def kit_ids(entries: list[PluginEntry]) -> list[str]:
    return [e.id for e in entries if e.id.startswith("kit-")]


def test_the_kit_writes_the_group_the_index_reads() -> None:
    assert _distributions.ENTRY_POINT_GROUP == ENTRY_POINT_GROUP == "pmo_core.plugins"


def test_second_call_uses_the_cache(fake_distribution: Install, scans: list[int]) -> None:
    fake_distribution("pmo-kit-alpha", PLUGIN)

    first = installed_plugins()
    second = installed_plugins()

    assert len(scans) == 1
    assert first == second
    assert kit_ids(second) == ["kit-alpha"]
    cache_files = list(Path(os.environ["PMO_CACHE_DIR"]).glob("index-*.json"))
    assert len(cache_files) == 1
    assert json.loads(cache_files[0].read_text())["format"] == 3


def test_installing_a_distribution_invalidates_the_cache(
    fake_distribution: Install, scans: list[int]
) -> None:
    alpha = fake_distribution("pmo-kit-alpha", PLUGIN)
    assert kit_ids(installed_plugins()) == ["kit-alpha"]
    before = environment_fingerprint()

    fake_distribution("pmo-kit-beta", PLUGIN)
    # The fixture moves the directory's mtime on; make sure of it even on coarse filesystems.
    stat = alpha.site.stat()
    os.utime(alpha.site, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))

    assert environment_fingerprint() != before
    assert kit_ids(installed_plugins()) == ["kit-alpha", "kit-beta"]
    assert len(scans) == 2
    installed_plugins()
    assert len(scans) == 2


def test_uninstalling_invalidates_the_cache(fake_distribution: Install, scans: list[int]) -> None:
    fake_distribution("pmo-kit-alpha", PLUGIN)
    beta = fake_distribution("pmo-kit-beta", PLUGIN)
    assert kit_ids(installed_plugins()) == ["kit-alpha", "kit-beta"]

    beta.uninstall()

    assert kit_ids(installed_plugins()) == ["kit-alpha"]
    assert len(scans) == 2


def test_a_new_path_entry_invalidates_the_cache(
    fake_distribution: Install, scans: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_distribution("pmo-kit-alpha", PLUGIN)
    installed_plugins()
    other = tmp_path / "other-site"
    other.mkdir()

    monkeypatch.syspath_prepend(str(other))
    installed_plugins()

    assert len(scans) == 2


def test_a_corrupt_cache_is_rebuilt(fake_distribution: Install, scans: list[int]) -> None:
    fake_distribution("pmo-kit-alpha", PLUGIN)
    installed_plugins()
    (cache,) = Path(os.environ["PMO_CACHE_DIR"]).glob("index-*.json")
    cache.write_text("{not json", encoding="utf-8")

    assert kit_ids(installed_plugins()) == ["kit-alpha"]
    assert len(scans) == 2
    assert json.loads(cache.read_text())["plugins"]


def test_no_cache_switches(
    fake_distribution: Install, scans: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_distribution("pmo-kit-alpha", PLUGIN)

    installed_plugins(use_cache=False)
    monkeypatch.setenv("PMO_NO_CACHE", "1")
    installed_plugins()
    installed_plugins()

    assert len(scans) == 3
    assert not list(Path(os.environ["PMO_CACHE_DIR"]).glob("index-*.json"))


def test_an_unwritable_cache_directory_does_not_break_discovery(
    fake_distribution: Install, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_distribution("pmo-kit-alpha", PLUGIN)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("PMO_CACHE_DIR", str(blocker / "cache"))

    assert kit_ids(installed_plugins()) == ["kit-alpha"]


def test_entry_records_metadata(fake_distribution: Install) -> None:
    fake_distribution(
        "Pmo_Kit.Alpha",
        PLUGIN,
        version="2.0.1",
        summary="Alpha.",
        requires=["pmo-core>=0.1,<0.2", "click"],
        entry_points={"kit-alpha": "pmo_kit_alpha:plugin"},
    )

    (entry,) = [e for e in installed_plugins() if e.id == "kit-alpha"]

    assert entry.distribution == "pmo-kit-alpha"
    assert (entry.version, entry.summary, entry.requires_core) == ("2.0.1", "Alpha.", "<0.2,>=0.1")
    assert (entry.value, entry.module) == ("pmo_kit_alpha:plugin", "pmo_kit_alpha")
    assert entry.clashes_with == ()


def test_several_plugins_in_one_distribution(fake_distribution: Install) -> None:
    fake_distribution(
        "pmo-kit-multi",
        PLUGIN,
        entry_points={"kit-one": "pmo_kit_multi", "kit-two": "pmo_kit_multi"},
    )

    entries = [e for e in installed_plugins() if e.distribution == "pmo-kit-multi"]

    assert [e.id for e in entries] == ["kit-one", "kit-two"]


def test_a_clash_marks_both_entries(fake_distribution: Install) -> None:
    fake_distribution("pmo-kit-one", PLUGIN, plugin_id="kit-twin")
    fake_distribution("pmo-kit-two", PLUGIN, plugin_id="kit-twin")

    twins = [e for e in installed_plugins() if e.id == "kit-twin"]

    assert sorted((e.distribution, e.clashes_with) for e in twins) == [
        ("pmo-kit-one", ("pmo-kit-two",)),
        ("pmo-kit-two", ("pmo-kit-one",)),
    ]


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("pmo-csv", "pmo-csv"), ("Pmo_CSV", "pmo-csv"), ("pmo.csv", "pmo-csv"), ("a__b--c", "a-b-c")],
)
def test_canonical_distribution(name: str, canonical: str) -> None:
    assert canonical_distribution(name) == canonical


@pytest.mark.parametrize(
    ("requires", "spec"),
    [
        (["pmo-core>=0.1,<0.2"], "<0.2,>=0.1"),
        (["pmo_core (>=0.1)"], ">=0.1"),
        (["PMO.Core[extra]>=1.0"], ">=1.0"),
        (["pmo-core"], ""),
        (["pmo-core-extras>=5"], ""),
        (["pmo-core>=5; extra == 'test'"], ""),
        (["pmo-core>=0.1; python_version >= '3.0'"], ">=0.1"),
        (["not a requirement !!", "pmo-core==0.1.0"], "==0.1.0"),
        (None, ""),
    ],
)
def test_requirement_on_core(requires: list[str] | None, spec: str) -> None:
    assert index._requirement_on_core(requires) == spec


def test_cache_dir_honours_the_environment(tmp_path: Path) -> None:
    assert index.cache_dir({"PMO_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert index.cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "pmo-core"


def test_fingerprint_depends_on_the_interpreter_and_paths(tmp_path: Path) -> None:
    assert environment_fingerprint([str(tmp_path)]) == environment_fingerprint([str(tmp_path)])
    assert environment_fingerprint([str(tmp_path)]) != environment_fingerprint([])
    assert environment_fingerprint([str(tmp_path / "missing")]) != environment_fingerprint(
        [str(tmp_path)]
    )


@pytest.mark.parametrize(("value", "scans_expected"), [("0", 1), ("", 1), ("1", 2), ("yes", 2)])
def test_pmo_no_cache_is_a_switch(
    fake_distribution: Install,
    scans: list[int],
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    scans_expected: int,
) -> None:
    fake_distribution("pmo-kit-alpha", PLUGIN)
    monkeypatch.setenv("PMO_NO_CACHE", value)
    installed_plugins()
    installed_plugins()
    assert len(scans) == scans_expected


def test_the_kit_writes_the_families_group_the_index_reads() -> None:
    assert _distributions.FAMILIES_GROUP == FAMILIES_GROUP == "pmo_core.families"


def test_declared_families_are_read_from_metadata_and_cached(
    fake_distribution: Install, scans: list[int]
) -> None:
    fake_distribution("pmo-kit-alpha", PLUGIN, families=("governance", "reports"))
    fake_distribution("pmo-kit-beta", PLUGIN)

    first = {e.id: e.families for e in installed_plugins() if e.id.startswith("kit-")}
    cached = {e.id: e.families for e in installed_plugins() if e.id.startswith("kit-")}

    assert first == cached == {"kit-alpha": ("governance", "reports"), "kit-beta": ()}
    assert len(scans) == 1


def test_a_plugin_never_loaded_shows_its_declared_families(fake_distribution: Install) -> None:
    """Disabled and never imported (no hooks known, not even from the cache of hooks): its
    families come from its metadata; once it has loaded, from its hooks."""
    from pmo_core._plugins.host import HostPolicy, PluginHost

    fake_distribution(
        "pmo-kit-alpha",
        "from pmo_core import hookimpl\n\n@hookimpl\ndef pmo_reports():\n    return []\n",
        families=("methodology", "governance"),
    )
    host = PluginHost(HostPolicy(enabled=()))
    status = host.status("kit-alpha")
    assert (status.state, status.hooks) == ("disabled", ())
    assert status.families == ("governance", "methodology")  # in the hook specs' order
    assert status.as_dict()["families"] == ["governance", "methodology"]

    loaded = PluginHost(HostPolicy(enabled=("kit-alpha",))).status("kit-alpha")
    assert loaded.state == "loaded"
    assert loaded.families == ("reports",)  # what it does, not what it says
