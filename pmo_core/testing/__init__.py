"""pmo-core's testing kit: pytest fixtures, entity factories and validators for plugin authors.

It is a pytest plugin, registered through the ``pytest11`` entry point, so its fixtures are
available in every test once pmo-core is installed; nothing needs importing to use them.
Loading it is cheap: pmo-core's models and plugins are imported only when a fixture or
helper is used.

Fixtures (prefixed ``pmo_`` so they do not clash with yours):

- ``pmo_workspace``: an initialised SQLite workspace (profile ``starter``) in ``tmp_path``;
- ``pmo_memory_workspace``: an in-memory workspace with pmo-core's built-ins only;
- ``pmo_workspace_factory``: workspaces with chosen plugins, store, status date and models;
- ``pmo_clock``: a :class:`PmoClock` the test moves, which the factory then uses for the
  status date and the store's timestamps (as-of tests);
- ``pmo_host``: a loaded :class:`~pmo_core.PluginHost` with chosen plugins;
- ``pmo_cli``: run ``pmo`` commands through click's ``CliRunner``;
- ``fake_distribution``: install a plugin distribution for real (metadata + module) on a
  temporary ``sys.path`` entry, to test entry-point discovery.

:data:`HOSTILE_STRINGS` holds the strings an attacker would store (terminal escapes, HTML,
spreadsheet formulas, Markdown structure...), to test that a renderer keeps them inert.

Example::

    from datetime import date

    from pmo_core import PmoGovernanceRule, hookimpl
    from pmo_core.testing import assert_valid_plugin, make_project

    class SponsorRule:  # the plugin under test, usually imported from your package
        @hookimpl
        def pmo_governance_rules(self):
            yield PmoGovernanceRule(
                name="sponsor-named",
                level="warn",
                check=lambda ctx: None if ctx.entity.sponsor else "no sponsor named",
            )

    def test_plugin_is_valid():
        assert_valid_plugin(SponsorRule())

    def test_rule_warns_without_sponsor(pmo_workspace_factory):
        ws = pmo_workspace_factory(plugins={"mine": SponsorRule()}, today=date(2025, 3, 31))
        make_project("P1", sponsor=None, workspace=ws)
        assert [f.rule for f in ws.check("P1") if not f.passed] == ["sponsor-named"]

Plugin authors subclass the conformance suite of their family
(``pmo_core.testing.conformance``): :class:`GovernanceRuleConformance`,
:class:`GovernanceModelConformance`, :class:`MethodologyConformance` or
:class:`ReportConformance`, with ``plugin`` and the names it registers as class attributes.
Backend authors subclass :class:`StoreConformance` or, for storage that outlives the store
object, :class:`PersistentStoreConformance` (see ``pmo_core.testing.store_conformance``)
and may compare with the reference :class:`MemoryStore`. Connector authors subclass
:class:`ConnectorConformance` (``pmo_core.testing.connector_conformance``) with a
:class:`ConnectorSample` of their format; :func:`hammer` and
:func:`read_while_writing` (``pmo_core.testing.concurrency``) prove, with separate processes,
that a backend loses no update under many writers and never makes a reader wait for a writer.
"""

import os
import shutil
import tempfile

from .._store.memory import MemoryStore
from ._clock import PmoClock
from ._distributions import FakeDistribution, fake_distribution
from ._factories import (
    make_portfolio,
    make_program,
    make_project,
    make_risk,
    make_status_report,
    make_work_item,
)
from ._fixtures import (
    CliResult,
    pmo_cli,
    pmo_clock,
    pmo_host,
    pmo_memory_workspace,
    pmo_workspace,
    pmo_workspace_factory,
)
from ._hostile import HOSTILE_STRINGS
from ._plugin_env import PluginEnv, pmo_plugin_env
from ._validators import (
    assert_public_sdk_only,
    assert_valid_plugin,
    check_plugin,
    private_sdk_uses,
)
from .concurrency import HammerResult, ReadWhileWriting, hammer, read_while_writing
from .conformance import (
    GovernanceModelConformance,
    GovernanceRuleConformance,
    MethodologyConformance,
    ReportConformance,
)
from .connector_conformance import ConnectorConformance, ConnectorSample
from .store_conformance import (
    FakeClock,
    PersistentStoreConformance,
    StoreConformance,
    StoreTamper,
)

# Plain sorted order, as tests/core/test_public_api.py checks; ruff would put the constant
# first.
__all__ = [  # noqa: RUF022
    "CliResult",
    "ConnectorConformance",
    "ConnectorSample",
    "FakeClock",
    "FakeDistribution",
    "GovernanceModelConformance",
    "GovernanceRuleConformance",
    "HOSTILE_STRINGS",
    "HammerResult",
    "MemoryStore",
    "MethodologyConformance",
    "PersistentStoreConformance",
    "PluginEnv",
    "PmoClock",
    "ReadWhileWriting",
    "ReportConformance",
    "StoreConformance",
    "StoreTamper",
    "assert_public_sdk_only",
    "assert_valid_plugin",
    "check_plugin",
    "fake_distribution",
    "hammer",
    "make_portfolio",
    "make_program",
    "make_project",
    "make_risk",
    "make_status_report",
    "make_work_item",
    "pmo_cli",
    "pmo_clock",
    "pmo_host",
    "pmo_memory_workspace",
    "pmo_plugin_env",
    "pmo_workspace",
    "pmo_workspace_factory",
    "private_sdk_uses",
    "pytest_configure",
    "pytest_unconfigure",
    "read_while_writing",
]


_SHARED_PREFLIGHT: str | None = None


def pytest_configure(config: object) -> None:
    """Share pre-flight import verdicts among the tests of a session.

    Each test isolates its own cache directory, but a verdict is a fact about a plugin's file
    (keyed by its path, size and modification time), so one directory for the session saves
    every test a child process per installed plugin. An explicit ``PMO_PREFLIGHT_CACHE_DIR``
    is left alone. pytest calls it, as a hook of this plugin.

    Example::

        $ PMO_PREFLIGHT_CACHE_DIR=.pmo-preflight pytest   # keep verdicts between runs
    """
    global _SHARED_PREFLIGHT
    if not os.environ.get("PMO_PREFLIGHT_CACHE_DIR"):
        _SHARED_PREFLIGHT = tempfile.mkdtemp(prefix="pmo-preflight-")
        os.environ["PMO_PREFLIGHT_CACHE_DIR"] = _SHARED_PREFLIGHT


def pytest_unconfigure(config: object) -> None:
    """Remove the session's shared pre-flight directory (a pytest hook of this plugin).

    Example::

        $ pytest   # the directory made for the session is gone when it ends
    """
    if _SHARED_PREFLIGHT is not None:
        os.environ.pop("PMO_PREFLIGHT_CACHE_DIR", None)
        shutil.rmtree(_SHARED_PREFLIGHT, ignore_errors=True)


def __dir__() -> list[str]:
    # pytest finds the fixtures through dir(); the private submodules stay out of it.
    return list(__all__)
