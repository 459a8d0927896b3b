"""``pmo artifact`` on what test_artifact_cli.py leaves: the decision column and the show of
approved and rejected artifacts, an artifact that is not there, JSON of a rejection, and a
methodology artifact that comes without a template (a methodology installed for the test)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
import tomlkit
from cli_helpers import Pmo, assert_user_error

from pmo_core.testing import FakeDistribution

Install = Callable[..., FakeDistribution]

METHOD = """
from pmo_core import PmoArtifact, PmoMethodology, PmoPhase, hookimpl

@hookimpl
def pmo_methodologies():
    yield PmoMethodology(
        name="kit-method",
        phases=(PmoPhase(name="plan"), PmoPhase(name="do")),
        artifacts=(PmoArtifact(name="charter", template="# Charter\\n"),
                   PmoArtifact(name="plan", summary="What will be done, when.")),
    )
"""


@pytest.fixture
def alpha(pmo: Pmo, fake_distribution: Install) -> Pmo:
    """ALPHA follows kit-method; Lee is its sponsor (who approves under any model)."""
    fake_distribution("pmo-kit-method", METHOD)
    path = pmo.root / "pmo.toml"
    document: Any = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["plugins"]["enabled"].append("kit-method")
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--methodology", "kit-method",
        "--sponsor", "Lee",
    )  # fmt: skip
    return pmo


def _decide(pmo: Pmo) -> None:
    """charter approved, plan rejected: both decided, so nothing is left to submit."""
    on = ("--on", "2025-03-03")
    pmo.ok("--as", "Kim", "artifact", "submit", "ALPHA", "charter", "--location", "c.md", *on)
    pmo.ok("--as", "Kim", "artifact", "submit", "ALPHA", "plan", *on)
    pmo.ok("--as", "Lee", "artifact", "approve", "ALPHA", "charter", "--on", "2025-03-04")


def test_the_list_shows_who_decided_and_when(alpha: Pmo) -> None:
    _decide(alpha)
    alpha.ok("--as", "Lee", "artifact", "reject", "ALPHA", "plan", "--comment", "No dates")

    output = alpha.ok("artifact", "list", "ALPHA").stdout
    rows = [re.split(r"\s{2,}", line.strip()) for line in output.splitlines()]
    assert rows[0][5] == "DECIDED"
    decided = {row[0]: row[5] for row in rows[1:]}
    assert re.fullmatch(r"2025-03-04 Lee( \(sponsor\))?", decided["charter"])
    assert decided["plan"].endswith(" Lee")
    assert "Not submitted yet" not in output  # every declared artifact is in


def test_a_rejection_as_json_and_as_shown(alpha: Pmo) -> None:
    _decide(alpha)

    data = json.loads(
        alpha.ok(
            "--as", "Lee", "artifact", "reject", "ALPHA", "plan", "--comment", "No dates",
            "--on", "2025-03-05", "--json",
        ).stdout
    )  # fmt: skip

    assert (data["status"], data["rejected_by"], data["rejected_on"]) == (
        "rejected",
        "Lee",
        "2025-03-05",
    )
    assert data["rejection_comment"] == "No dates"
    shown = alpha.ok("artifact", "show", "ALPHA", "plan").stdout
    for line in ("rejected on:  2025-03-05", "rejected by:  Lee", "why:          No dates"):
        assert f"\n{line}\n" in shown, shown
    assert "\nReviews:\n" in shown
    assert json.loads(alpha.ok("artifact", "show", "ALPHA", "plan", "--json").stdout) == data


def test_an_approved_artifact_shows_who_approved_it(alpha: Pmo) -> None:
    _decide(alpha)

    shown = alpha.ok("artifact", "show", "ALPHA", "charter").stdout

    assert "\nstatus:       approved\n" in shown
    assert "\napproved on:  2025-03-04\n" in shown
    # With the role it approved in, where the governance model asks for one.
    assert re.search(r"\napproved by: +Lee( \(sponsor\))?\n", shown), shown
    assert "rejected" not in shown


def test_a_submitted_artifact_without_reviews_shows_none(alpha: Pmo) -> None:
    alpha.ok("--as", "Kim", "artifact", "submit", "ALPHA", "plan", "--on", "2025-03-03")

    shown = alpha.ok("artifact", "show", "ALPHA", "plan").stdout

    assert shown.endswith("version:      1\n")
    assert "Reviews" not in shown
    listed = alpha.ok("artifact", "list", "ALPHA").stdout
    assert listed.splitlines()[-1] == "Not submitted yet: charter"


def test_showing_an_artifact_that_is_not_there_is_not_found(alpha: Pmo) -> None:
    result = alpha("artifact", "show", "ALPHA", "charter")

    assert_user_error(result, 3, "ALPHA has no artifact 'charter' (see 'pmo artifact list')")


def test_an_artifact_without_a_template_says_so_with_its_summary(alpha: Pmo) -> None:
    assert alpha.ok("artifact", "template", "ALPHA", "plan").stdout == (
        "The methodology gives no template for plan: What will be done, when.\n"
    )
    assert alpha.ok("artifact", "template", "ALPHA", "charter").stdout == "# Charter\n"
