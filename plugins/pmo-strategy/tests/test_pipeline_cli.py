"""``pmo proposal`` and ``pmo scoring-model``: strategy fields written through the workspace,
the ranked pipeline under every model, and the ``strategy-pipeline`` report in every
format; bad input names the option, exit 2, nothing written."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest

from pmo_core import Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def ws(pmo_workspace_factory: Callable[..., Workspace]) -> Workspace:
    ws = pmo_workspace_factory(
        enabled=["strategy"],
        store="sqlite",
        settings={"strategy": {"criteria": {"customer": 3, "compliance": 1}}},
    )
    ws.create("portfolio", id="PF", name="Acme")
    ws.create("program", id="PR", name="Digital", parent="PF")
    for key, name in (("CRM", "New CRM"), ("ERP", "ERP upgrade"), ("SHOP", "Web shop")):
        ws.create("project", id=key, name=name, parent="PR", lifecycle="proposed")
    ws.create("project", id="LIVE", name="Running", parent="PF")  # not a proposal
    return ws


@pytest.fixture
def run(ws: Workspace, pmo_cli: Run) -> Run:
    def run(*args: str) -> CliResult:
        return pmo_cli(*args, workspace=ws)

    return run


def ok(run: Run, *args: str) -> CliResult:
    return run(*args).assert_ok()


def error(result: CliResult, needle: str, code: int = 2) -> None:
    result.assert_error(needle, code=code)


def fill(run: Run) -> None:
    ok(run, "proposal", "update", "CRM", "--mandatory", "--cost", "2026=400000 EUR",
       "--cash-flow", "2026=-400000 EUR", "--cash-flow", "2027=250000 EUR",
       "--cash-flow", "2028=250000 EUR", "--wsjf", "8,5,3,4", "--success-probability", "0.5",
       "--criterion", "customer=8", "--criterion", "compliance=3")  # fmt: skip
    ok(run, "proposal", "update", "SHOP", "--depends-on", "CRM", "--cash-flow",
       "2026=-100000 EUR", "--cash-flow", "2027=60000 EUR", "--cash-flow", "2028=60000 EUR",
       "--wsjf", "5,2,1,2", "--criterion", "customer=9")  # fmt: skip
    ok(run, "proposal", "update", "ERP", "--excludes", "SHOP", "--cost", "2026=50000 EUR",
       "--cash-flow", "2026=-50000 EUR", "--cash-flow", "2027=70000 EUR",
       "--wsjf", "3,8,8,8")  # fmt: skip


def test_update_writes_the_strategy_fields(run: Run, ws: Workspace) -> None:
    fill(run)
    data = ok(run, "proposal", "update", "CRM", "--optional", "--json").json()
    fields = data["strategy"]
    assert fields["mandatory"] is False
    assert fields["costs"] == {"2026": "400000 EUR"}
    assert fields["cash_flows"]["2027"] == "250000 EUR"
    assert fields["wsjf"] == {"business_value": 8.0, "time_criticality": 5.0,
                              "risk_reduction": 3.0, "job_size": 4.0}  # fmt: skip
    assert fields["success_probability"] == 0.5
    stored = ws.view().entity("CRM").custom_fields["strategy"]
    assert stored["criteria"] == {"customer": 8.0, "compliance": 3.0}


def test_list_ranks_proposals_by_value_under_each_model(run: Run) -> None:
    fill(run)
    npv = ok(run, "proposal", "list", "--under", "PF", "--model", "npv", "--json").json()
    # At 8 %: CRM -400000 + 250000/1.08 + 250000/1.1664 = 45816.19; ERP -50000 + 70000/1.08
    # = 14814.81; SHOP -100000 + 60000/1.08 + 60000/1.1664 = 6995.88.
    assert [(r["rank"], r["key"], r["value"]) for r in npv] == [
        (1, "CRM", "45816.19"),
        (2, "ERP", "14814.81"),
        (3, "SHOP", "6995.88"),
    ]
    assert npv[0]["mandatory"] is True
    assert npv[0]["cost"] == "400000 EUR"
    assert npv[2]["depends_on"] == ["CRM"]
    assert npv[1]["excludes"] == ["SHOP"]
    wsjf = ok(run, "proposal", "list", "--under", "PR", "--model", "wsjf", "--json").json()
    # CRM 16/4 = 4 and SHOP 8/2 = 4 tie: by key; ERP 19/8 = 2.375.
    assert [(r["key"], r["value"]) for r in wsjf] == [("CRM", "4"), ("SHOP", "4"),
                                                      ("ERP", "2.375")]  # fmt: skip
    weighted = ok(run, "proposal", "list", "--model", "weighted", "--json").json()
    # SHOP (3 x 9 + 0) / 4 = 6.75; CRM (3 x 8 + 1 x 3) / 4 = 6.75; ERP 0.
    assert [(r["key"], r["value"]) for r in weighted] == [("CRM", "6.75"), ("SHOP", "6.75"),
                                                          ("ERP", "0")]  # fmt: skip
    irr = ok(run, "proposal", "list", "--model", "irr", "--limit", "1", "--json").json()
    assert [(r["key"], r["value"]) for r in irr] == [("ERP", "40.00")]
    table = ok(run, "proposal", "list", "--under", "PF", "--model", "risk-adjusted").output
    lines = table.splitlines()
    assert lines[0].split() == ["RANK", "KEY", "NAME", "VALUE", "COST", "CONSTRAINTS", "WHY"]
    assert "NPV 45816.19 EUR x 0.5 = 22908.10 EUR" in lines[1]
    assert lines[1].split()[:4] == ["1", "CRM", "New", "CRM"]


def test_show_gives_every_model_and_says_why_one_cannot_score(run: Run) -> None:
    fill(run)
    shown = ok(run, "proposal", "show", "CRM", "--json").json()
    scores = {s["model"]: s for s in shown["scores"]}
    assert sorted(scores) == ["alignment", "irr", "npv", "risk-adjusted", "weighted", "wsjf"]
    assert scores["irr"]["value"] == "16.26"
    assert scores["wsjf"]["explanation"] == "WSJF (8 + 5 + 3) / 4 = 4"
    assert shown["strategy"]["mandatory"] is True
    text = ok(run, "proposal", "show", "CRM").output
    assert "cash flows: 2026=-400000 EUR, 2027=250000 EUR, 2028=250000 EUR" in text


def test_scoring_models_are_listed(run: Run) -> None:
    listed = ok(run, "scoring-model", "list", "--json").json()
    assert [m["name"] for m in listed] == [
        "alignment", "irr", "npv", "risk-adjusted", "weighted", "wsjf",
    ]  # fmt: skip
    assert {m["plugin"] for m in listed} == {"strategy"}
    assert "wsjf" in ok(run, "scoring-model", "list").output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--cost", "2026=400000"), "--cost: '2026=400000' is not YEAR=AMOUNT CURRENCY"),
        (("--cash-flow", "twenty=1 EUR"), "--cash-flow: "),
        (("--criterion", "customer"), "--criterion: 'customer' is not NAME=SCORE"),
        (("--criterion", "customer=high"), "--criterion: 'high' is not a number"),
        (("--wsjf", "1,2,3"), "--wsjf: '1,2,3' is not BV,TC,RR,SIZE"),
        (("--wsjf", "1,2,3,0"), "--wsjf: "),
        (("--wsjf", "-1,2,3,4"), "--wsjf: "),
        (("--success-probability", "1.01"), "--success-probability: 1.01 is not between"),
        (("--success-probability", "-0.01"), "--success-probability: "),
        (("--success-probability", "x"), "--success-probability: 'x' is not a number"),
        (("--depends-on", "CRM"), "--depends-on: CRM cannot name itself"),
        (("--excludes", "CRM"), "--excludes: CRM cannot name itself"),
        (("--mandatory", "--cost", "2026=1 EUR", "--wsjf", "1,1,1,0"), "--wsjf"),
    ],
)
def test_bad_values_name_the_option_and_write_nothing(
    run: Run, ws: Workspace, args: tuple[str, ...], needle: str
) -> None:
    before = ws.view().entity("CRM")
    error(run("proposal", "update", "CRM", *args), needle)
    after = ws.view().entity("CRM")
    assert (after.version, after.custom_fields) == (before.version, before.custom_fields)


def test_success_probability_boundaries_are_accepted(run: Run) -> None:
    for p in ("0", "1"):
        data = ok(run, "proposal", "update", "CRM", "--success-probability", p, "--json").json()
        assert data["strategy"]["success_probability"] == float(p)


def test_unknown_model_and_other_currencies_are_one_clear_error(run: Run) -> None:
    fill(run)
    error(run("proposal", "list", "--model", "npx"), "--model: no scoring model 'npx'; known:")
    ok(run, "proposal", "update", "ERP", "--cash-flow", "2026=-50000 USD")
    error(
        run("proposal", "list", "--model", "npv"),
        "ERP cash_flows: scoring model 'npv': cash flow 2026 is in USD, not EUR",
    )
    error(run("proposal", "list", "--under", "NOPE"), "NOPE", code=3)


def test_the_pipeline_report_in_every_format(run: Run, ws: Workspace) -> None:
    fill(run)
    ok(run, "objective", "add", "Grow", "--portfolio", "PF", "--weight", "2")
    ok(run, "objective", "add", "Abroad", "--portfolio", "PF", "--parent", "Grow")
    ok(run, "objective", "align", "SHOP", "Abroad", "--weight", "0.5")
    md = ws.report("strategy-pipeline", "PR", format="md", options={"model": "npv"}).content
    assert isinstance(md, str)
    assert "| Abroad | — | 1 | — | — | SHOP (0.5) |" in md
    # Markdown escapes a figure that would start an ordered list ("45816." ...).
    assert "| 1 | CRM | New CRM | 45816\\.19 | 400,000.00 EUR | mandatory |" in md
    data = json.loads(ws.report("strategy-pipeline", "PF", format="json").content)
    assert data["model"] == "alignment"
    assert [(o["name"], o["depth"]) for o in data["objectives"]] == [("Grow", 0), ("Abroad", 1)]
    assert [(r["key"], r["value"]) for r in data["pipeline"]] == [
        ("SHOP", "0.5"), ("CRM", "0"), ("ERP", "0"),
    ]  # fmt: skip
    rows = list(csv.reader(io.StringIO(str(ws.report("strategy-pipeline", "PF",
                                                     format="csv").content))))  # fmt: skip
    assert rows[0][:4] == ["Rank", "Key", "Proposal", "Value"]
    assert [r[1] for r in rows[1:]] == ["SHOP", "CRM", "ERP"]
    html = ws.report("strategy-pipeline", "PF", format="html").content
    assert isinstance(html, str)
    assert "Ranked pipeline (alignment)" in html
    xlsx = ws.report("strategy-pipeline", "PF", format="xlsx").content
    assert isinstance(xlsx, bytes)
    assert xlsx[:2] == b"PK"
    out = ok(run, "report", "strategy-pipeline", "PF", "--format", "md", "--option",
             "model=wsjf").output  # fmt: skip
    assert "WSJF (8 + 5 + 3) / 4 = 4" in out
    refused = run("report", "strategy-pipeline", "PF", "--option", "colour=red")
    error(refused, "has no option 'colour'")
    error(run("report", "strategy-pipeline", "CRM"), "not a project")
