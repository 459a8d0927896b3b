"""This plugin is built on the public SDK only (``pmo_core``, ``pmo_core.testing``), so it keeps
working when pmo-core's internals change."""

from __future__ import annotations

from pathlib import Path

from pmo_core.testing import assert_public_sdk_only

HERE = Path(__file__).resolve().parent


def test_uses_only_the_public_sdk() -> None:
    assert_public_sdk_only(HERE.parent / "pmo_strategy", HERE)
