"""``pmo project create / update / show`` on what the entity tests leave: --lifecycle mixed
with other changes, its companions given without it, an empty name, a custom field with an
expected version, an empty clearable option at create, and what show lists."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import tomlkit
from cli_helpers import Pmo, assert_user_error

from pmo_core.testing import FakeDistribution

ACME_FIELDS = """
from pydantic import BaseModel

from pmo_core import PmoCustomFields, hookimpl

class Acme(BaseModel):
    code: str = ""
    cost_centre: str = ""

@hookimpl
def pmo_custom_fields():
    yield PmoCustomFields(name="acme", kinds=("project",), model=Acme)
"""


@pytest.fixture
def alpha(pmo: Pmo, fake_distribution: Callable[..., FakeDistribution]) -> Pmo:
    """ALPHA, sponsored by Dana, in a workspace with the custom fields "acme" (code,
    cost_centre) of a plugin installed for the test."""
    fake_distribution("pmo-kit-fields", ACME_FIELDS)
    path = pmo.root / "pmo.toml"
    document: Any = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["plugins"]["enabled"].append("kit-fields")
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    pmo.ok("project", "create", "ALPHA", "--name", "Alpha", "--sponsor", "Dana")
    return pmo


def _version(pmo: Pmo, key: str = "ALPHA") -> int:
    return int(json.loads(pmo.ok("project", "show", key, "--json").stdout)["version"])


@pytest.mark.parametrize(
    "other", [("--name", "Alpha 2"), ("--field", "acme.code=A1"), ("--expected-version", "1")]
)
def test_a_lifecycle_change_with_other_changes_is_refused(
    alpha: Pmo, other: tuple[str, str]
) -> None:
    before = alpha.snapshot()

    result = alpha("project", "update", "ALPHA", "--lifecycle", "on_hold", *other)

    assert_user_error(
        result,
        2,
        "--lifecycle: --lifecycle is a decision of its own: give it without other changes",
    )
    assert alpha.snapshot() == before


@pytest.mark.parametrize(
    "companion",
    [("--approver", "Dana"), ("--comment", "why"), ("--lesson", "learnt"), ("--on", "2025-03-03")],
)
def test_an_option_of_a_lifecycle_change_without_one_is_refused(
    alpha: Pmo, companion: tuple[str, str]
) -> None:
    before = alpha.snapshot()

    result = alpha("project", "update", "ALPHA", "--name", "Alpha 2", *companion)

    option = companion[0]
    assert_user_error(result, 2, f"{option}: {option} goes with --lifecycle")
    assert alpha.snapshot() == before


def test_an_empty_name_is_refused(alpha: Pmo) -> None:
    before = alpha.snapshot()

    result = alpha("project", "update", "ALPHA", "--name", "   ")

    assert_user_error(result, 2, "--name: a name cannot be empty")
    assert alpha.snapshot() == before


def test_a_custom_field_with_a_stale_expected_version_is_refused(alpha: Pmo) -> None:
    alpha.ok("project", "update", "ALPHA", "--field", "acme.code=A1")
    assert _version(alpha) == 2
    before = alpha.snapshot()

    stale = alpha("project", "update", "ALPHA", "--field", "acme.cost_centre=CC-7",
                  "--expected-version", "1")  # fmt: skip

    assert_user_error(
        stale,
        4,
        "project 'ALPHA' is at version 2, not the expected version 1: it changed since it was "
        "read; read it again",
    )
    assert alpha.snapshot() == before
    alpha.ok("project", "update", "ALPHA", "--field", "acme.cost_centre=CC-7",
             "--expected-version", "2")  # fmt: skip
    fields = json.loads(alpha.ok("project", "show", "ALPHA", "--json").stdout)["custom_fields"]
    assert fields == {"acme": {"code": "A1", "cost_centre": "CC-7"}}


def test_an_empty_clearable_option_at_create_sets_nothing(pmo: Pmo) -> None:
    pmo.ok("project", "create", "BETA", "--name", "Beta", "--sponsor", "", "--phase", " ")

    shown = json.loads(pmo.ok("project", "show", "BETA", "--json").stdout)
    assert (shown["sponsor"], shown["phase"]) == (None, None)


def test_show_lists_the_description_tags_custom_fields_and_archived(alpha: Pmo) -> None:
    alpha.ok(
        "project", "update", "ALPHA", "--description", "The CRM renewal",
        "--tag", "crm", "--tag", "2025", "--field", "acme.code=A1",
    )  # fmt: skip
    alpha.ok("project", "archive", "ALPHA")

    lines = alpha.ok("project", "show", "ALPHA").stdout.splitlines()

    pairs = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    assert pairs["description"] == "The CRM renewal"
    assert pairs["tags"] == "crm, 2025"
    assert pairs["acme.code"] == "A1"
    assert pairs["archived"] == "yes"
