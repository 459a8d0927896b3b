"""Fuzzing pmo.toml: whatever the file holds, loading it gives a config or one PmoError naming
the file, and `pmo --help`, `pmo doctor` and a command never print a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fuzz_support import EXIT_CODES
from hypothesis import given
from hypothesis import strategies as st

from pmo_core import PmoError
from pmo_core._cli import cli
from pmo_core._config import WorkspaceConfig

KEYS = st.sampled_from(
    ["name", "store", "currency", "governance_model", "methodology", "enabled", "order",
     "strict", "sources", "slow_import_seconds", "delimiter", "rules", "scopes", "level",
     "high-risks-owned", "x"]
)  # fmt: skip
SCALARS = st.one_of(
    st.text(max_size=10),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.sampled_from(
        ['"memory://"', "EUR", "sqlite:///x.db", "postgresql://u:p@h/db", "block", "off"]
    ),
)


def _value(depth: int) -> st.SearchStrategy[object]:
    if depth <= 0:
        return SCALARS
    return st.one_of(
        SCALARS,
        st.lists(_value(depth - 1), max_size=3),
        st.dictionaries(KEYS, _value(depth - 1), max_size=3),
    )


DOCUMENTS = st.dictionaries(
    st.sampled_from(["workspace", "plugins", "settings", "governance", "plugin", "x"]),
    st.dictionaries(KEYS, _value(2), max_size=4),
    max_size=4,
)


def _toml(data: dict[str, object]) -> str:
    import tomlkit

    try:
        return tomlkit.dumps(data)
    except Exception:  # a value tomlkit cannot write: not a file anyone could have
        return ""


@given(data=DOCUMENTS)
def test_structured_files(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, object]
) -> None:
    root = tmp_path_factory.mktemp("cfg")
    (root / "pmo.toml").write_text(_toml(data), encoding="utf-8")
    _load(root)


@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    root = tmp_path_factory.mktemp("cfg")
    (root / "pmo.toml").write_bytes(raw)
    _load(root)


@given(data=DOCUMENTS, raw=st.binary(max_size=60))
def test_the_cli_never_prints_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, object], raw: bytes
) -> None:
    root = tmp_path_factory.mktemp("cli")
    (root / "pmo.toml").write_bytes(_toml(data).encode() + raw)
    env = {"PMO_CACHE_DIR": str(root / "cache"), "PMO_WORKSPACE": ""}
    runner = CliRunner()
    for args in (["--help"], ["doctor"], ["project", "list"]):
        result = runner.invoke(cli, ["-w", str(root), *args], env=env)
        text = result.output
        assert result.exit_code in EXIT_CODES | {1} if args == ["doctor"] else EXIT_CODES, text
        assert "Traceback" not in text
        assert "error: unexpected" not in text  # the message of a crash, not the help's exit codes
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), repr(result.exception)


def _load(root: Path) -> None:
    error: PmoError | None = None
    try:
        WorkspaceConfig.load(root)
    except PmoError as exc:
        error = exc
    if error is not None:
        assert str(root / "pmo.toml") in str(error)
        assert "\n" not in str(error)
