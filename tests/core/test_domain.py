"""The domain model: base behaviour, entities and hierarchy, registry and JSON Schema."""

from __future__ import annotations

import inspect
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

import pmo_core._domain as domain
from pmo_core._domain import (
    DOMAIN_MODELS,
    STORE_KINDS,
    Alignment,
    BudgetLine,
    DomainModel,
    ExternalRef,
    Money,
    Portfolio,
    Program,
    Project,
    RaidItem,
    Resource,
    Status,
    check_hierarchy,
    domain_json_schema,
    entity_class,
    model_for_kind,
)
from pmo_core._errors import InvalidInputError

EXPECTED_KINDS = {
    "portfolio",
    "program",
    "project",
    "objective",
    "alignment",
    "milestone",
    "work_item",
    "baseline",
    "budget_line",
    "cost_entry",
    "forecast",
    "resource",
    "allocation",
    "raid",
    "stakeholder",
    "status_report",
    "gate_decision",
    "lesson",
    "external_ref",
    "sync_run",
    "sync_conflict",
    "artifact",
    "role",
    "waiver",
    "assessment",
    "survey_response",
    "pmo_cost",
    "benefit",
    "benefit_measurement",
}


# --- base behaviour ---------------------------------------------------------------------------


def test_models_are_frozen_and_forbid_unknown_fields() -> None:
    project = Project(id="ALPHA", name="Alpha")
    with pytest.raises(ValidationError):
        project.name = "Beta"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="colour"):
        Project(id="ALPHA", name="Alpha", colour="red")  # type: ignore[call-arg]


def test_whitespace_is_stripped() -> None:
    assert Project(id="  ALPHA ", name=" Alpha  ").id == "ALPHA"
    with pytest.raises(ValidationError, match="name"):
        Project(id="ALPHA", name="   ")


@pytest.mark.parametrize("bad", ["", "has space", "-lead", ".x", "ä", "x" * 65, "a/b", "a:b"])
@pytest.mark.parametrize("cls", [Portfolio, Program, Project])
def test_invalid_keys_are_rejected_naming_the_field(
    cls: type[Portfolio | Program | Project], bad: str
) -> None:
    with pytest.raises(ValidationError) as info:
        cls(id=bad, name="X")
    errors = info.value.errors()
    assert [error["loc"] for error in errors] == [("id",)]
    assert "id" in str(info.value)


def test_invalid_parent_key_is_rejected_naming_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        Project(id="ALPHA", name="Alpha", parent="not a key")
    assert info.value.errors()[0]["loc"] == ("parent",)


@pytest.mark.parametrize("good", ["A", "alpha", "ERP-2025", "p.1_x", "9", "x" * 64])
def test_valid_keys(good: str) -> None:
    assert Project(id=good, name="X").id == good


def test_child_ids_are_generated_unique_and_short() -> None:
    ids = {RaidItem(type="action", entity="A", title="t").id for _ in range(200)}
    assert len(ids) == 200
    assert all(len(value) == 12 for value in ids)


def test_version_defaults_to_zero_and_is_not_in_document() -> None:
    project = Project(id="ALPHA", name="Alpha")
    assert project.version == 0
    assert "version" not in project.to_document()
    again = Project.from_document(project.to_document(), version=7)
    assert again.version == 7
    assert again.replace(version=0) == project
    with pytest.raises(ValidationError):
        Project(id="ALPHA", name="Alpha", version=-1)


def test_a_document_leaves_out_the_fields_that_are_none_by_default() -> None:
    # Stored documents are smaller without them; reading fills them back, so a document
    # written before (with the nulls) and one written now read as the same record.
    project = Project(id="ALPHA", name="Alpha", parent="PF", budget="100 EUR")
    doc = project.to_document()
    assert not {"phase", "manager", "actual_start"} & set(doc)
    assert (doc["parent"], doc["description"], doc["tags"]) == ("PF", "", [])
    full = project.to_document(every_field=True)
    assert (full["phase"], full["manager"]) == (None, None)
    assert {k: v for k, v in full.items() if v is not None} == doc
    assert list(doc) == [k for k in full if k in doc]  # the fields' own order
    for stored in (doc, full):
        assert Project.from_document(stored, version=1).replace(version=0) == project
    # Every record kind: a record with nothing set reads back from its smaller document.
    ref = ExternalRef(connector="csv", kind="work_item", remote_id="W-1", target="t")
    risk = RaidItem(type="risk", entity="ALPHA", title="Vendor late")
    for record in (ref, risk, project.replace(budget=None, parent=None)):
        doc = record.to_document()
        assert None not in doc.values() or any(
            type(record).model_fields[k].default is not None for k, v in doc.items() if v is None
        )
        again = type(record).from_document(json.loads(json.dumps(doc)), version=1)
        assert again.replace(version=0) == record
        assert again.to_document(every_field=True) == record.to_document(every_field=True)


def test_replace_validates() -> None:
    project = Project(id="ALPHA", name="Alpha", version=3)
    changed = project.replace(status="on_track")
    assert changed.status is Status.ON_TRACK
    assert changed.version == 3
    assert project.status is Status.NOT_STARTED
    with pytest.raises(ValidationError, match="tier"):
        project.replace(tier=9)


def test_records_are_hashable_even_with_dict_fields() -> None:
    project = Project(id="ALPHA", name="Alpha", custom_fields={"acme": {"cc": "104"}})
    assert len({project, Project.from_document(project.to_document(), version=0)}) == 1


def test_decimal_round_trip_through_documents_has_no_float_loss() -> None:
    project = Project(id="ALPHA", name="Alpha", budget="1234567890123456.78 EUR")
    line = BudgetLine(
        project="ALPHA",
        category="capex",
        nature="labour",
        period_start=date(2025, 1, 1),
        amount=Money(amount=Decimal("0.1") + Decimal("0.2"), currency="EUR"),
    )
    for record in (project, line):
        text = json.dumps(record.to_document())
        again = type(record).from_document(json.loads(text), version=1)
        assert again.replace(version=0) == record
    assert json.loads(json.dumps(line.to_document()))["amount"] == {
        "amount": "0.3",
        "currency": "EUR",
    }
    again_project = Project.from_document(json.loads(json.dumps(project.to_document())), 1)
    assert again_project.budget is not None
    assert again_project.budget.amount == Decimal("1234567890123456.78")


# --- entities and hierarchy --------------------------------------------------------------------


def test_entity_kinds_and_classes() -> None:
    assert Portfolio(id="P", name="P").kind == "portfolio"
    assert Program(id="G", name="G").kind == "program"
    assert Project(id="A", name="A").kind == "project"
    assert entity_class("program") is Program
    assert entity_class("project")(id="A", name="A") == Project(id="A", name="A")
    with pytest.raises(InvalidInputError, match="unknown entity kind 'team'"):
        entity_class("team")
    with pytest.raises(ValidationError, match="kind"):
        Project.from_document({"id": "A", "name": "A", "kind": "program"}, version=1)


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("portfolio", None),
        ("program", None),
        ("program", "portfolio"),
        ("project", None),
        ("project", "portfolio"),
        ("project", "program"),
        ("project", "project"),
    ],
)
def test_allowed_hierarchy(child: str, parent: str | None) -> None:
    check_hierarchy(child, parent)


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("portfolio", "portfolio"),
        ("portfolio", "program"),
        ("portfolio", "project"),
        ("program", "program"),
        ("program", "project"),
    ],
)
def test_forbidden_hierarchy_names_both_kinds(child: str, parent: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        check_hierarchy(child, parent)
    message = str(info.value)
    assert f"a {child} cannot have a {parent} as its parent" in message


def test_hierarchy_rejects_unknown_kinds() -> None:
    with pytest.raises(InvalidInputError, match="unknown entity kind 'team'"):
        check_hierarchy("team", None)
    with pytest.raises(InvalidInputError, match="unknown entity kind 'team'"):
        check_hierarchy("project", "team")


def test_entity_own_rules() -> None:
    with pytest.raises(ValidationError, match="a portfolio has no parent"):
        Portfolio(id="P", name="P", parent="Q")
    with pytest.raises(ValidationError, match="own parent"):
        Project(id="A", name="A", parent="A")
    with pytest.raises(ValidationError, match=r"planned_finish \(2025-01-01\) is before"):
        Project(id="A", name="A", planned_start=date(2025, 2, 1), planned_finish=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="actual_finish"):
        Project(id="A", name="A", actual_start=date(2025, 2, 1), actual_finish=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="tier"):
        Project(id="A", name="A", tier=0)


def test_entity_currency_and_budget() -> None:
    assert Project(id="A", name="A").currency == "EUR"
    assert Project(id="A", name="A", budget="10 USD").currency == "USD"
    with pytest.raises(ValidationError, match="budget is in USD"):
        Project(id="A", name="A", currency="EUR", budget="10 USD")


def test_custom_field_namespaces() -> None:
    project = Project(
        id="A", name="A", custom_fields={"acme-finance": {"cc": "104", "split": [0.5, 0.5]}}
    )
    assert project.to_document()["custom_fields"] == {
        "acme-finance": {"cc": "104", "split": [0.5, 0.5]}
    }
    with pytest.raises(ValidationError, match="custom_fields"):
        Project(id="A", name="A", custom_fields={"Acme": {}})
    with pytest.raises(ValidationError, match="custom_fields"):
        Project(id="A", name="A", custom_fields={"acme": {"x": object()}})


def test_owner_of_each_kind_of_record() -> None:
    assert Portfolio(id="P", name="P").owner is None
    assert Project(id="A", name="A", parent="P").owner == "P"
    assert RaidItem(type="action", entity="A", title="t").owner == "A"
    assert Resource(name="Kim").owner is None
    assert Alignment(project="A", objective="o1", weight=0.5).owner == "A"
    ref = ExternalRef(connector="redmine", kind="work_item", remote_id="1", target="abc")
    assert ref.owner == "abc"


# --- registry and schema -----------------------------------------------------------------------


def test_every_model_has_a_unique_store_kind() -> None:
    assert set(STORE_KINDS) == EXPECTED_KINDS
    assert len(STORE_KINDS) == len(DOMAIN_MODELS)
    for model in DOMAIN_MODELS:
        assert issubclass(model, DomainModel)
        assert model_for_kind(model.store_kind) is model


def test_model_for_unknown_kind() -> None:
    with pytest.raises(InvalidInputError, match="unknown store kind 'nope'"):
        model_for_kind("nope")


def test_json_schema_covers_every_model() -> None:
    schema = domain_json_schema()
    assert schema["title"] == "pmo-core domain model"
    defs = schema["$defs"]
    for model in DOMAIN_MODELS:
        assert model.__name__ in defs, model
        assert "id" in defs[model.__name__]["properties"]
    for value in ("Money", "Rag", "Status", "RagOverride", "CriterionResult", "Approval"):
        assert value in defs
    assert defs["Project"]["properties"]["id"]["pattern"] == domain.KEY_PATTERN
    json.dumps(schema)


def test_public_names_are_exported_and_documented() -> None:
    assert domain.__all__ == sorted(domain.__all__, key=lambda n: (not n.isupper(), n))
    for name in domain.__all__:
        obj: Any = getattr(domain, name)
        if isinstance(obj, type) or inspect.isfunction(obj):
            assert obj.__doc__, name
            assert "Example" in obj.__doc__, name
