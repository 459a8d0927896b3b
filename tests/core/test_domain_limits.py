"""The domain's limits on input: lengths, characters, finite numbers, money that is never
negative; each refused with the field named (and a character's position), and stated in the
JSON Schema. Stored documents stay readable whatever they hold."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from pmo_core import Workspace
from pmo_core._domain import (
    Allocation,
    Artifact,
    Baseline,
    BaselineItem,
    BudgetLine,
    CostEntry,
    Forecast,
    LessonLearned,
    Objective,
    Project,
    RaidItem,
    Rate,
    Resource,
    Stakeholder,
    StatusReport,
    WorkItem,
    WorkItemLink,
    domain_json_schema,
)
from pmo_core._domain._base import (
    ID_MAX_LENGTH,
    KEY_MAX_LENGTH,
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    URI_MAX_LENGTH,
)
from pmo_core._errors import validation_message
from pmo_core._text import LINE_PATTERN, TEXT_PATTERN
from pmo_core.testing import HOSTILE_STRINGS

DAY = date(2025, 3, 31)


def _refused(model: type[BaseModel], **data: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return validation_message(caught.value)


def _project(**fields: Any) -> dict[str, Any]:
    return {"id": "ALPHA", "name": "Alpha", **fields}


# ------------------------------------------------------------------------- characters


@pytest.mark.parametrize(
    ("model", "data", "message"),
    [
        (Project, _project(name="Al\x1b[31mpha"), "name: control character U+001B at position 3"),
        (Project, _project(name="Alpha\x00"), "name: NUL character U+0000 at position 6"),
        (Project, _project(name="Alpha\nBeta"), "name: line break U+000A at position 6"),
        (Project, _project(name="Al\rpha"), "name: line break U+000D at position 3"),
        (Project, _project(name="a\u2028b"), "name: line break U+2028 at position 2"),
        (Project, _project(name="Alpha\tBeta"), "name: control character U+0009 at position 6"),
        (
            Project,
            _project(name="\u202egnp.exe"),
            "name: bidirectional control character U+202E at position 1",
        ),
        (
            Project,
            _project(name="x\u2066y\u2069"),
            "name: bidirectional control character U+2066 at position 2",
        ),
        (Project, _project(name="C1\x9b31m"), "name: control character U+009B at position 3"),
        (Project, _project(name="DEL\x7f"), "name: control character U+007F at position 4"),
        (Project, _project(sponsor="Dana\x07"), "sponsor: control character U+0007 at position 5"),
        (Project, _project(tags=["ok", "b\nad"]), "tags.1: line break U+000A at position 2"),
        (
            Project,
            _project(description="fine\nbut \x1b]0;owned\x07"),
            "description: control character U+001B at position 10",
        ),
        (
            Project,
            _project(description="nul\x00"),
            "description: NUL character U+0000 at position 4",
        ),
        (
            Project,
            _project(description="\u202eevil"),
            "description: bidirectional control character U+202E at position 1",
        ),
        (Project, _project(id="AL\x1bPHA"), "id: control character U+001B at position 3"),
        (Project, _project(parent="P\nF"), "parent: line break U+000A at position 2"),
        (
            Project,
            _project(custom_fields={"acme": {"note": "ok \x1b[2J"}}),
            "custom_fields: acme.note: control character U+001B at position 4",
        ),
        (
            Project,
            _project(custom_fields={"acme": {"bad\nname": 1}}),
            "custom_fields: acme: the name 'bad\\nname': line break U+000A at position 4",
        ),
        (
            RaidItem,
            {"type": "risk", "entity": "ALPHA", "title": "Vendor\x1b[8m hidden"},
            "title: control character U+001B at position 7",
        ),
        (
            RaidItem,
            {"type": "risk", "entity": "ALPHA", "title": "t", "owned_by": "Sam\u202e"},
            "owned_by: bidirectional control character U+202E at position 4",
        ),
        (
            StatusReport,
            {
                "entity": "ALPHA",
                "as_of": DAY,
                "overall": "green",
                "author": "pat",
                "metrics": {"s\npi": 1},
            },
            "metrics: the name 's\\npi': line break U+000A at position 2",
        ),
        (
            StatusReport,
            {
                "entity": "ALPHA",
                "as_of": DAY,
                "overall": "green",
                "author": "pat",
                "next_steps": ["ok", "bell\x07"],
            },
            "next_steps.1: control character U+0007 at position 5",
        ),
        (
            WorkItem,
            {"project": "ALPHA", "subject": "Build", "milestone": "m\u00a01"},
            "milestone: invisible character U+00A0 at position 2",
        ),
        (
            Stakeholder,
            {"entity": "ALPHA", "name": "Dana", "email": "d\x1b@example.com"},
            "email: control character U+001B at position 2",
        ),
    ],
)
def test_a_refused_character_is_named_with_its_field_and_position(
    model: type[BaseModel], data: dict[str, Any], message: str
) -> None:
    assert message in _refused(model, **data)


def test_free_text_keeps_tabs_and_line_feeds_and_turns_carriage_returns_into_line_feeds() -> None:
    project = Project(**_project(description="one\r\ntwo\rthree\n\tfour"))
    assert project.description == "one\ntwo\nthree\n\tfour"


def test_a_key_refuses_what_its_pattern_refuses_with_the_value_shown_cut() -> None:
    message = _refused(Project, **_project(id="bad key!" + "x" * 20))
    assert "id: 'bad key!xxxxxxxxxxxxxxxxxxxx' is not a valid key" in message


# ---------------------------------------------------------------------------- lengths


@pytest.mark.parametrize(
    ("model", "field", "limit", "data", "what"),
    [
        (Project, "id", KEY_MAX_LENGTH, _project(), "a key"),
        (Project, "name", NAME_MAX_LENGTH, _project(), "a one-line value"),
        (Project, "manager", NAME_MAX_LENGTH, _project(), "a one-line value"),
        (Project, "description", TEXT_MAX_LENGTH, _project(), "free text"),
        (
            RaidItem,
            "title",
            NAME_MAX_LENGTH,
            {"type": "issue", "entity": "ALPHA"},
            "a one-line value",
        ),
        (
            RaidItem,
            "response",
            TEXT_MAX_LENGTH,
            {"type": "issue", "entity": "ALPHA", "title": "t"},
            "free text",
        ),
        (WorkItem, "id", ID_MAX_LENGTH, {"project": "ALPHA", "subject": "s"}, "an id"),
        (
            Artifact,
            "location",
            URI_MAX_LENGTH,
            {"entity": "ALPHA", "name": "business-case"},
            "a URL or path",
        ),
        (
            LessonLearned,
            "what_happened",
            TEXT_MAX_LENGTH,
            {"entity": "ALPHA"},
            "free text",
        ),
    ],
)
def test_a_value_at_its_limit_is_accepted_and_one_character_more_is_refused(
    model: type[BaseModel], field: str, limit: int, data: dict[str, Any], what: str
) -> None:
    assert len(getattr(model.model_validate({**data, field: "A" * limit}), field)) == limit
    message = _refused(model, **{**data, field: "A" * (limit + 1)})
    assert f"{field}: {limit + 1:,} characters is too long: {what} has at most {limit:,}" in message


def test_a_100000_character_name_is_refused_in_a_short_message() -> None:
    message = _refused(Project, **_project(name=HOSTILE_STRINGS["long"]))
    assert message == "name: 100,000 characters is too long: a one-line value has at most 255"


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("bad", ["Infinity", "-Infinity", "NaN", "inf", float("inf"), float("nan")])
@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (WorkItem, {"project": "ALPHA", "subject": "s"}, "work"),
        (WorkItem, {"project": "ALPHA", "subject": "s"}, "points"),
        (Allocation, {"resource": "r1", "project": "ALPHA", "start": DAY, "finish": DAY}, "hours"),
        (Objective, {"portfolio": "PF", "name": "Grow"}, "weight"),
        (WorkItemLink, {"predecessor": "w1"}, "lag_days"),
        (Resource, {"name": "Kim"}, "capacity_hours_per_week"),
    ],
)
def test_non_finite_numbers_are_refused_everywhere(
    model: type[BaseModel], data: dict[str, Any], field: str, bad: Any
) -> None:
    assert f"{field}: Input should be a finite number" in _refused(model, **{**data, field: bad})


@pytest.mark.parametrize("bad", ["Infinity EUR", "NaN EUR", "-inf EUR", "EUR -Infinity"])
def test_non_finite_money_is_refused_with_the_field_named(bad: str) -> None:
    message = _refused(Project, **_project(budget=bad))
    assert "budget.amount: Input should be a finite number" in message


def test_non_finite_numbers_in_json_values_are_refused() -> None:
    report = {"entity": "ALPHA", "as_of": DAY, "overall": "green", "author": "pat"}
    assert "metrics.spi" in _refused(StatusReport, **report, metrics={"spi": float("nan")})
    message = _refused(Project, **_project(custom_fields={"acme": {"rate": float("inf")}}))
    assert "custom_fields.acme.rate" in message
    assert "finite" in message


# ------------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (Project, _project(), "budget"),
        (WorkItem, {"project": "ALPHA", "subject": "s"}, "budget"),
        (WorkItem, {"project": "ALPHA", "subject": "s"}, "actual_cost"),
        (
            BudgetLine,
            {"project": "ALPHA", "category": "capex", "nature": "labour", "period_start": DAY},
            "amount",
        ),
        (CostEntry, {"project": "ALPHA", "incurred_on": DAY}, "amount"),
        (Forecast, {"project": "ALPHA", "as_of": DAY, "eac": "10 EUR"}, "etc"),
        (Forecast, {"project": "ALPHA", "as_of": DAY}, "eac"),
        (Baseline, {"project": "ALPHA", "taken_on": DAY}, "cost"),
        (BaselineItem, {"work_item": "w1"}, "cost"),
        (Rate, {"effective_from": DAY}, "per_hour"),
    ],
)
def test_a_budget_or_a_cost_is_never_negative(
    model: type[BaseModel], data: dict[str, Any], field: str
) -> None:
    message = _refused(model, **{**data, field: "-0.01 EUR"})
    assert f"{field}: must not be negative, got -0.01 EUR" in message
    assert getattr(model.model_validate({**data, field: "0 EUR"}), field).is_zero


def test_a_change_that_saves_money_and_a_lead_are_negative() -> None:
    change = RaidItem(type="change", entity="ALPHA", title="Descope", cost_impact="-5000 EUR")
    assert change.cost_impact is not None
    assert change.cost_impact.amount == -5000
    assert WorkItemLink(predecessor="w1", lag_days=-2).lag_days == -2


# ------------------------------------------------------------------- stored documents


def test_a_stored_document_is_read_back_whatever_it_holds() -> None:
    """Data an older version or another tool stored stays readable (output escapes it);
    changing the record validates it whole again."""
    hostile = {"name": HOSTILE_STRINGS["osc-title"], "description": "x" * (TEXT_MAX_LENGTH + 1)}
    doc = {**_project(**hostile), "kind": "project", "budget": "-5 EUR", "currency": "EUR"}
    project = Project.from_document(doc, version=3)
    assert project.name == HOSTILE_STRINGS["osc-title"]
    assert project.budget is not None
    with pytest.raises(ValidationError) as caught:
        project.replace(status="on_track")
    assert "name: control character U+001B" in validation_message(caught.value)
    assert project.replace(name="Alpha", description="", budget=None).name == "Alpha"


def test_a_workspace_lists_records_stored_with_characters_it_now_refuses() -> None:
    with Workspace.in_memory() as ws:
        with ws.transaction("older tool") as tx:
            doc = {**_project(name=HOSTILE_STRINGS["rlo"]), "kind": "project"}
            tx.insert("project", "ALPHA", doc)
        assert [p.name for p in ws.view().projects()] == [HOSTILE_STRINGS["rlo"]]


# -------------------------------------------------------------------------- the schema


def _string_schemas(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "string" and "enum" not in node and "const" not in node:
            found.append((path, node))
        for key, value in node.items():
            found += _string_schemas(value, f"{path}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            found += _string_schemas(value, f"{path}/{n}")
    return found


def test_every_string_field_of_every_model_states_its_limits_in_the_schema() -> None:
    schema = domain_json_schema()
    unlimited = [
        path
        for path, node in _string_schemas(schema["$defs"])
        # Dates are formats; a currency and a namespace are bounded by their pattern; the
        # decimal form of an amount is a number.
        if "format" not in node
        and "maxLength" not in node
        and node.get("pattern") not in ("^[A-Z]{3}$", "^[a-z][a-z0-9_-]*$")
        and not path.startswith("/Money/properties/amount")
        and "/JsonValue/" not in path
    ]
    assert unlimited == []
    name = schema["$defs"]["Project"]["properties"]["name"]
    assert (name["maxLength"], name["pattern"]) == (NAME_MAX_LENGTH, LINE_PATTERN)
    description = schema["$defs"]["Project"]["properties"]["description"]
    assert (description["maxLength"], description["pattern"]) == (TEXT_MAX_LENGTH, TEXT_PATTERN)
    assert schema["$defs"]["CostEntry"]["properties"]["amount"]["x-minimum"] == "0"
    assert "x-minimum" not in str(schema["$defs"]["RaidItem"]["properties"]["cost_impact"])


@pytest.mark.parametrize("code", [*range(0xA1), 0x202A, 0x202E, 0x2066, 0x2069, 0x2028])
def test_the_schema_patterns_refuse_what_validation_refuses(code: int) -> None:
    char = chr(code)
    for field, pattern in (("name", LINE_PATTERN), ("description", TEXT_PATTERN)):
        value = f"a{char}b"
        try:
            Project(**_project(**{field: value}))
            accepted = True
        except ValidationError:
            accepted = False
        assert accepted == bool(re.fullmatch(pattern, value)), (field, hex(code))
