"""Every ``pmo.toml`` the docs show loads: a ``toml`` block whose tables are ``pmo.toml``'s
(``[workspace]``, ``[plugins]``, ``[settings]``, ``[governance]``) is parsed and validated as
a workspace's configuration, so an example cannot drift from the keys pmo-core reads."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from markdown_blocks import DOCS, Block, blocks, pages

from pmo_core import WorkspaceConfig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PMO_TOML_TABLES = {"workspace", "plugins", "settings", "governance", "metrics", "sync"}


def _config_blocks() -> list[Block]:
    found = []
    for page in pages():
        for block in blocks(page):
            if block.lang != "toml" or block.file not in (None, "pmo.toml"):
                continue
            if set(tomllib.loads(block.body)) <= PMO_TOML_TABLES:
                found.append(block)
    return found


def test_the_configuration_reference_shows_a_pmo_toml() -> None:
    assert any(b.page == DOCS / "reference" / "configuration.md" for b in _config_blocks())


@pytest.mark.parametrize("block", _config_blocks(), ids=lambda b: b.where)
def test_pmo_toml_examples_load(block: Block) -> None:
    data = tomllib.loads(block.body)
    if block.markers.get("refused") is not None:
        with pytest.raises(ValueError, match=block.markers["refused"]):
            WorkspaceConfig.from_dict(Path("."), data)
    else:
        WorkspaceConfig.from_dict(Path("."), data)
