"""The plugin validators of the testing kit: what ``check_plugin`` leaves alone (attributes
that only look like hooks) and how ``private_sdk_uses`` / ``assert_public_sdk_only`` report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pmo_core import PmoReport, ReportOutput, hookimpl
from pmo_core.testing import assert_public_sdk_only, check_plugin, private_sdk_uses


def _render(request: object) -> ReportOutput:
    return ReportOutput(content="ok", media_type="text/plain")


class _LookAlikes:
    """Attributes named ``pmo_*`` that are no hook implementation: none is the author's
    mistake, so none is reported."""

    pmo_version = "1.0"  # not callable

    class pmo_settings_model:  # a class named like a hook is not one
        pass

    @property
    def pmo_lazy(self) -> str:
        raise RuntimeError("computed on demand")  # a raising attribute is not judged

    def pmo_helper(self) -> None:  # not a hook name and not marked: a helper
        return None


class WithAHook(_LookAlikes):
    @hookimpl
    def pmo_reports(self) -> Iterator[PmoReport]:
        yield PmoReport(name="acme-report", scopes=("pmo",), formats=("md",), render=_render)


def test_attributes_that_only_look_like_hooks_are_left_alone() -> None:
    assert check_plugin(WithAHook()) == []


def test_a_plugin_of_look_alikes_only_implements_no_hook() -> None:
    assert check_plugin(_LookAlikes()) == [
        "implements no pmo-core hook (mark functions with @hookimpl)"
    ]


PRIVATE = """\
import pmo_core
from pmo_core import Workspace, _errors
from pmo_core._store import SQLiteStore
value = pmo_core.__version__
"""


def test_private_sdk_uses_names_each_line_in_a_file_or_a_tree(tmp_path: Path) -> None:
    package = tmp_path / "pmo_acme"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "mod.py").write_text(PRIVATE, encoding="utf-8")
    (package / "clean.py").write_text("from pmo_core import Workspace\n", encoding="utf-8")
    (package / "notes.txt").write_text("pmo_core._store\n", encoding="utf-8")  # not Python
    mod = package / "sub" / "mod.py"

    expected = [
        f"{mod}:2: from pmo_core import Workspace, _errors",
        f"{mod}:3: from pmo_core._store import SQLiteStore",
    ]
    assert private_sdk_uses(package) == expected
    assert private_sdk_uses(mod) == expected
    assert private_sdk_uses(package / "clean.py") == []


def test_assert_public_sdk_only_lists_the_uses_it_found(tmp_path: Path) -> None:
    mod = tmp_path / "mod.py"
    mod.write_text(PRIVATE, encoding="utf-8")
    with pytest.raises(AssertionError) as info:
        assert_public_sdk_only(tmp_path)
    assert str(info.value) == (
        "private pmo-core names used (import only pmo_core and pmo_core.testing):\n"
        f"{mod}:2: from pmo_core import Workspace, _errors\n"
        f"{mod}:3: from pmo_core._store import SQLiteStore"
    )
    mod.write_text("from pmo_core import Workspace\n", encoding="utf-8")
    assert_public_sdk_only(tmp_path)


def test_assert_public_sdk_only_refuses_a_path_that_is_not_there(tmp_path: Path) -> None:
    """A misspelt path would otherwise check nothing and pass."""
    ghost = tmp_path / "pmo_acme_rulez"
    with pytest.raises(AssertionError) as info:
        assert_public_sdk_only(tmp_path, ghost)
    assert str(info.value) == f"nothing to check at {ghost}"
