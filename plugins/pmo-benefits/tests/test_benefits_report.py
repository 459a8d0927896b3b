"""The ``benefits-realisation`` report in every format of the report kit: the figures computed
by hand, the thresholds it applies, and text from data kept inert."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pmo_benefits
import pytest
from benefits_support import Clock
from pmo_benefits import add_benefit, record_measurement

from pmo_core import Benefit, InvalidInputError, Workspace
from pmo_core.testing import HOSTILE_STRINGS

REPORT = "benefits-realisation"


@pytest.fixture
def measured(ws: Workspace) -> tuple[Benefit, Benefit]:
    orders = add_benefit(
        ws,
        "More orders",
        measure="Orders",
        unit="orders/week",
        baseline=100,
        target=200,
        baseline_on=date(2026, 1, 1),
        target_on=date(2026, 4, 11),
        projects=["LEDGER"],
        owned_by="Kim",
    )
    fees = add_benefit(
        ws,
        "Licence fees",
        measure="Fees",
        unit="EUR",
        baseline=0,
        target=20000,
        baseline_on=date(2026, 1, 1),
        target_on=date(2026, 4, 11),
        dis_benefit=True,
        portfolio="PF",
    )
    record_measurement(ws, orders.id, 130, on=date(2026, 2, 20))  # 30 of 50 planned: 60 %
    record_measurement(ws, fees.id, 11000, on=date(2026, 2, 20))  # 110 % of 10000
    return orders, fees


def test_json_has_the_hand_computed_figures(
    ws: Workspace, measured: tuple[Benefit, Benefit]
) -> None:
    orders, fees = measured
    out = ws.report(REPORT, "PF", format="json", status_date=date(2026, 3, 1))
    data = json.loads(out.content)
    assert data["settings"] == {
        "at_risk_below": "80",
        "dis_benefit_above": "120",
        "measure_every_days": None,
    }
    rows = {b["id"]: b for b in data["benefits"]}
    assert [b["name"] for b in data["benefits"]] == ["Licence fees", "More orders"]
    o, f = rows[orders.id], rows[fees.id]
    assert (o["planned"], o["of_target"], o["of_plan"], o["at_risk"]) == (
        "150",
        "30.00",
        "60.00",
        True,
    )
    assert (f["planned"], f["of_target"], f["of_plan"], f["at_risk"]) == (
        "10000",
        "55.00",
        "110.00",
        False,
    )
    metric = out.metrics[0]
    assert (metric.name, metric.value, metric.rag) == ("benefits-at-risk", Decimal("0.5"), "red")
    assert dict(metric.inputs) == {"at_risk": Decimal(1), "measured": Decimal(2)}


def test_options_set_the_thresholds(ws: Workspace, measured: tuple[Benefit, Benefit]) -> None:
    out = ws.report(REPORT, "PF", format="json", options={"at_risk_below": "60"})
    rows = json.loads(out.content)["benefits"]
    assert [b["at_risk"] for b in rows] == [False, False]  # 60 % is at the threshold
    assert out.metrics[0].rag == "green"
    out = ws.report(REPORT, "PF", format="json", options={"dis_benefit_above": "109.99"})
    assert [b["at_risk"] for b in json.loads(out.content)["benefits"]] == [True, True]
    with pytest.raises(InvalidInputError, match="has no option 'colour'"):
        ws.report(REPORT, "PF", options={"colour": "red"})
    with pytest.raises(InvalidInputError, match="at_risk_below"):
        ws.report(REPORT, "PF", options={"at_risk_below": "lots"})


def test_every_format(ws: Workspace, measured: tuple[Benefit, Benefit]) -> None:
    orders, _ = measured
    md = ws.report(REPORT, "PF", format="md").content
    assert md.startswith("# Benefits realisation: PF — Acme\n\n2 benefits, 1 at risk.\n")
    assert f"| {orders.id} | More orders | benefit | Kim | Orders | orders/week | LEDGER |" in md
    assert "| 30.00 % | 60.00 % | at risk |" in md
    rows = list(csv.DictReader(io.StringIO(ws.report(REPORT, "PF", format="csv").content)))
    assert [(r["Benefit"], r["% of plan"], r["At risk"]) for r in rows] == [
        ("Licence fees", "110.00", ""),
        ("More orders", "60.00", "at risk"),
    ]
    html = ws.report(REPORT, "PF", format="html").content
    assert isinstance(html, str)
    assert "More orders: plan and measurements" in html
    assert "<svg" in html
    data = ws.report(REPORT, "PF", format="xlsx").content
    assert isinstance(data, bytes)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["benefits"]
    header = [c.value for c in sheet[1]]
    second = {h: c.value for h, c in zip(header, sheet[3], strict=True)}
    assert second["Benefit"] == "More orders"
    assert second["% of plan"] == pytest.approx(0.6)  # a fraction shown as a percent
    assert data == ws.report(REPORT, "PF", format="xlsx").content  # reproducible


def test_scopes(ws: Workspace, measured: tuple[Benefit, Benefit]) -> None:
    def names(scope: str | None) -> list[str]:
        content = ws.report(REPORT, scope, format="json").content
        return [b["name"] for b in json.loads(content)["benefits"]]

    assert names(None) == ["Licence fees", "More orders"]
    assert names("LEDGER") == ["More orders"]
    ws.create("portfolio", id="EMPTY", name="Empty")
    assert names("EMPTY") == []
    md = ws.report(REPORT, "EMPTY", format="md").content
    assert "No benefits." in md
    assert ws.report(REPORT, "EMPTY", format="json").metrics[0].value is None


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "a", "object", "embed"):
            self.bad.append(tag)
        self.bad += [name for name, _ in attrs if name.startswith("on")]


@pytest.mark.parametrize("name", sorted(HOSTILE_STRINGS))
def test_text_from_data_stays_inert(ws: Workspace, name: str) -> None:
    text = HOSTILE_STRINGS[name]
    # Written through the store directly, as an older version or another tool could have:
    # the domain refuses many of these strings on input, but the report must stay safe.
    b = Benefit(
        name="x",
        measure="x",
        portfolio="PF",
        baseline=Decimal(0),
        baseline_on=date(2026, 1, 1),
        target=Decimal(1),
        target_on=date(2026, 2, 1),
    )
    doc = b.to_document() | {"name": text, "measure": text, "unit": text, "owned_by": text}
    with ws.transaction("written by an older tool") as tx:
        tx.insert("benefit", b.id, doc, owner=None)
    record_measurement(ws, b.id, "0.5", on=date(2026, 1, 16))
    md = ws.report(REPORT, "PF", format="md").content
    assert "<script" not in md
    assert "](javascript" not in md.replace("\\]", "")
    html = ws.report(REPORT, "PF", format="html").content
    parser = _Tags()
    parser.feed(html)
    assert parser.bad == []
    for row in csv.reader(io.StringIO(ws.report(REPORT, "PF", format="csv").content)):
        assert not any(cell[:1] in ("=", "+", "@", "\t", "\r") for cell in row), row
    data = ws.report(REPORT, "PF", format="xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(data))["benefits"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert (
        json.loads(ws.report(REPORT, "PF", format="json").content)["benefits"][0]["name"]
        == text.strip()
    )


def test_the_report_is_registered() -> None:
    reports = list(pmo_benefits.pmo_reports())
    assert [(r.name, r.formats) for r in reports] == [
        (REPORT, ("md", "json", "html", "csv", "xlsx"))
    ]


def test_the_report_applies_the_rules_settings(clock: Clock) -> None:
    # What pmo.toml sets for the rule, per portfolio too, the report applies: it flags what
    # the rule flags.
    rules = {"benefit-at-risk": {"at_risk_below": 70, "scopes": {"PF2": {"at_risk_below": 50}}}}
    with Workspace.in_memory(plugins={"benefits": pmo_benefits}, today=clock, rules=rules) as ws:
        ws.create("portfolio", id="PF", name="Acme")
        ws.create("portfolio", id="PF2", name="Other")
        for portfolio in ("PF", "PF2"):
            b = add_benefit(ws, f"Orders {portfolio}", measure="Orders", baseline=100,
                            target=200, baseline_on=date(2026, 1, 1),
                            target_on=date(2026, 4, 11), portfolio=portfolio)  # fmt: skip
            record_measurement(ws, b.id, 130, on=date(2026, 2, 20))  # 60 % of plan
        data = json.loads(ws.report(REPORT, None, format="json").content)
        assert [(b["name"], b["at_risk"]) for b in data["benefits"]] == [
            ("Orders PF", True),
            ("Orders PF2", False),
        ]
        flagged = [f.entity for f in ws.check() if f.rule == "benefit-at-risk" and not f.passed]
        assert flagged == ["PF"]
        pf2 = json.loads(ws.report(REPORT, "PF2", format="json").content)
        assert pf2["settings"]["at_risk_below"] == "50"
