"""The organisation's template library: stored and journaled, overriding a methodology's
artifact template (its own methodology's override first), bad input writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pmo_knowledge as pk
import pytest

from pmo_core import InvalidInputError, NotFoundError, Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def gated(pmo_workspace_factory: Callable[..., Workspace]) -> Workspace:
    ws = pmo_workspace_factory(
        enabled=["knowledge", "governance", "stage-gate"], store="sqlite", actor="tester"
    )
    ws.create("project", id="SG", name="Gated", methodology="stage-gate")
    ws.create("project", id="FREE", name="Free")
    return ws


def _bc(ws: Workspace) -> str:
    return next(a.name for a in ws.artifact_templates("SG") if a.template)


def test_overrides_in_order(gated: Workspace) -> None:
    artifact = _bc(gated)
    own = gated.artifact_template("SG", artifact).template
    assert pk.template_for(gated, "SG", artifact) == (own, "methodology")
    pk.add_template(gated, pk.OrgTemplate(name="every", body="# Every\n", artifact=artifact))
    assert pk.template_for(gated, "SG", artifact) == ("# Every\n", "every")
    pk.add_template(
        gated,
        pk.OrgTemplate(name="sg", body="# SG\n", artifact=artifact, methodology="stage-gate"),
    )
    assert pk.template_for(gated, "SG", artifact) == ("# SG\n", "sg")
    pk.add_template(
        gated, pk.OrgTemplate(name="other", body="# O\n", artifact=artifact, methodology="scrum")
    )
    assert pk.template_for(gated, "SG", artifact) == ("# SG\n", "sg")
    assert pk.template_for(gated, "FREE", artifact) == ("# Every\n", "every")


def test_stored_journaled_and_replaced(gated: Workspace) -> None:
    first = pk.add_template(gated, pk.OrgTemplate(name="review", body="# R\n", summary="Review"))
    assert first.version == 1
    assert gated.journal(kind=pk.KIND, id="review")[-1].actor == "tester"
    with pytest.raises(InvalidInputError, match="already"):
        pk.add_template(gated, pk.OrgTemplate(name="review", body="# R2\n"))
    assert pk.template(gated, "review").body == "# R\n"
    second = pk.add_template(gated, pk.OrgTemplate(name="review", body="# R2\n"), replace=True)
    assert second.version == 2
    assert [t.name for t in pk.templates(gated)] == ["review"]
    with pytest.raises(NotFoundError):
        pk.template(gated, "nope")


def test_cli(gated: Workspace, pmo_cli: Run, tmp_path: Path) -> None:
    def run(*args: str) -> CliResult:
        return pmo_cli(*args, workspace=gated)

    artifact = _bc(gated)
    body = tmp_path / "t.md"
    body.write_text("# Acme\n", encoding="utf-8")
    added = run("template", "add", "acme", "--file", str(body), "--artifact", artifact,
                "--methodology", "stage-gate", "--json")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert added.json()["version"] == 1
    assert "acme (overrides" in run("template", "list").output
    assert [t["name"] for t in run("template", "list", "--json").json()] == ["acme"]
    assert run("template", "show", "acme").output == "# Acme\n"
    shown = run("template", "show", artifact, "--for", "SG", "--json").json()
    assert shown["source"] == "acme"
    assert shown["template"] == "# Acme\n"
    before = len(gated.journal())
    for args, where in (
        (("template", "add", "Bad Name", "--file", str(body)), "NAME"),
        (("template", "add", "x", "--file", str(tmp_path / "missing.md")), "--file"),
        (("template", "add", "x", "--file", str(body), "--methodology", "scrum"), "--artifact"),
        (("template", "add", "acme", "--file", str(body)), "already"),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert where in result.stderr
    assert len(gated.journal()) == before
    assert run("template", "show", "nope").exit_code == 3
