"""This plugin is built on the public SDK only (``pmo_core``, ``pmo_core.testing``), so it keeps
working when pmo-core's internals change; it registers both URL schemes through the hook."""

from __future__ import annotations

from pathlib import Path

import pmo_postgres

from pmo_core.testing import assert_public_sdk_only, assert_valid_plugin

HERE = Path(__file__).resolve().parent


def test_uses_only_the_public_sdk() -> None:
    assert_public_sdk_only(HERE.parent / "pmo_postgres", HERE)


def test_registers_both_schemes() -> None:
    assert_valid_plugin(pmo_postgres, plugin_id="postgres")
    assert [b.name for b in pmo_postgres.pmo_storage_backends()] == ["postgresql", "postgres"]
