"""Reports declare their options (``PmoReport.options``) as connectors do: the core refuses
an undeclared one before the report renders, with the connectors' message shape."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from pydantic import ValidationError

from pmo_core import (
    InvalidInputError,
    PmoConnector,
    PmoReport,
    ReportOutput,
    ReportRequest,
    Workspace,
    hookimpl,
)


class Reports:
    """Three reports: one declaring ``open`` and ``days``, one declaring none, one not
    declaring (``None``); each notes the options it was rendered with."""

    def __init__(self) -> None:
        self.rendered: list[tuple[str, Mapping[str, Any]]] = []

    def _render(self, name: str) -> Any:
        def render(request: ReportRequest) -> ReportOutput:
            self.rendered.append((name, dict(request.options)))
            return ReportOutput("ok\n", "text/markdown")

        return render

    @hookimpl
    def pmo_reports(self) -> Iterator[PmoReport]:
        for name, options in (
            ("declared", {"open": "Only open items.", "days": "The period in days."}),
            ("none", {}),
            ("undeclared", None),
        ):
            yield PmoReport(
                name=name, scopes=("pmo",), formats=("md",), render=self._render(name),
                options=options,
            )  # fmt: skip


@pytest.fixture
def reports() -> Reports:
    return Reports()


@pytest.fixture
def ws(reports: Reports) -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"reports-under-test": reports}) as workspace:
        yield workspace


def test_a_declared_option_reaches_the_report(ws: Workspace, reports: Reports) -> None:
    ws.report("declared", options={"open": "false", "days": 7})
    assert reports.rendered == [("declared", {"open": "false", "days": 7})]


def test_an_undeclared_option_is_refused_before_the_report_renders(
    ws: Workspace, reports: Reports
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        ws.report("declared", options={"open": "true", "dayz": "7"})

    assert refused.value.where == "--option dayz"
    # The shape of a connector's refusal: the nearest name, then every declared one.
    assert refused.value.message == (
        "report 'declared' has no option 'dayz'; did you mean days? (it takes: days, open)"
    )
    assert reports.rendered == []


def test_a_far_name_gets_no_suggestion(ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match=r"has no option 'colour' \(it takes: days, open\)"):
        ws.report("declared", options={"colour": "red"})


def test_a_report_declaring_none_takes_none(ws: Workspace, reports: Reports) -> None:
    ws.report("none")
    with pytest.raises(
        InvalidInputError, match=r"report 'none' has no option 'open' \(it takes none\)"
    ):
        ws.report("none", options={"open": "true"})
    assert reports.rendered == [("none", {})]


def test_a_report_not_declaring_its_options_checks_them_itself(
    ws: Workspace, reports: Reports
) -> None:
    ws.report("undeclared", options={"anything": "1"})
    assert reports.rendered == [("undeclared", {"anything": "1"})]


def test_the_connectors_refusal_is_unchanged() -> None:
    connector = PmoConnector(
        name="tsv", capabilities=frozenset({"read"}), read=lambda r: iter(()),
        options={"parent": "The portfolio."},
    )  # fmt: skip
    with Workspace.in_memory(plugins={}) as ws:
        checked = ws._exchange.checked_options
        assert checked(connector, {"parent": "PF", "allow_empty": True}) == {
            "parent": "PF",
            "allow_empty": True,
        }
        with pytest.raises(InvalidInputError) as refused:
            checked(connector, {"parnet": "PF"})
    assert refused.value.where == "--option parnet"
    assert refused.value.message == (
        "connector 'tsv' has no option 'parnet'; did you mean parent? (it takes: parent)"
    )


@pytest.mark.parametrize("name", ["Open", "open days", "_open", "", "x" * 64])
def test_an_option_is_named_as_a_connectors_is(name: str) -> None:
    with pytest.raises(ValidationError, match="declares the option"):
        PmoReport(
            name="bad", scopes=("pmo",), formats=("md",),
            render=lambda r: ReportOutput("", "text/plain"), options={name: "Help."},
        )  # fmt: skip
