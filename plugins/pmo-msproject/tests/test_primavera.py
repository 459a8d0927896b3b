"""Primavera P6 .xer through MPXJ: percent complete by the activity's type, resources and
roles with their dated rates."""

from __future__ import annotations

from datetime import date

from msproject_samples import DATA, by_id, read


def test_percent_complete_follows_each_activity_s_percent_complete_type() -> None:
    items = read("primavera", DATA / "percent-complete-8.4.xer")
    percents = {
        i.data["subject"]: i.data["percent_complete"] for i in items if i.kind == "work_item"
    }

    # Duration, physical and units percent complete are three different fields of P6:
    # each activity's comes from the one its type names.
    for kind in ("Duration", "Physical", "Units"):
        for value in (0, 25, 75, 100):
            assert percents[f"{kind} {value}%"] == value, (kind, value)
    units = next(i for i in items if i.data.get("subject") == "Units 25%")
    assert (units.data["work"], units.data["remaining"]) == (100, 75)
    assert items[0].data["currency"] == "USD"  # P6's base currency (exchange rate 1)


def test_resources_and_roles_keep_their_rates_by_date() -> None:
    items = by_id(read("primavera", DATA / "resource-rates-test.xer"))
    resources = {data["name"]: data for (kind, _), data in items.items() if kind == "resource"}

    assert resources["Resource 1"]["kind"] == "person"
    assert resources["Resource 1"]["rates"] == [
        {"effective_from": date(2022, 1, 1), "per_hour": "1.00 USD"},
        {"effective_from": date(2023, 1, 1), "per_hour": "21.00 USD"},
    ]
    assert resources["Role 1"]["kind"] == "role"
    assert [r["per_hour"] for r in resources["Role 1"]["rates"]] == ["6.00 USD", "31.00 USD"]
    activity = next(d for (k, _), d in items.items() if d.get("subject") == "Activity 1")
    assert (activity["assignee"], activity["budget"]) == ("Resource 1", "27600.00 USD")
