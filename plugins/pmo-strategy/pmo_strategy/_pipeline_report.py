"""The ``strategy-pipeline`` report: the objectives tree with the projects aligned to each, and
the ranked pipeline of proposals under a scoring model; in Markdown, JSON, HTML (with a bar
chart of the values), CSV and XLSX."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from pmo_reports.kit import (
    MEDIA_TYPES,
    Column,
    Paragraph,
    Section,
    Table,
    bar_chart,
    md_text,
    page,
    workbook,
)

from pmo_core import InvalidInputError, Metric, PmoReport, ReportOutput, ReportRequest

from ._objectives import objective_tree
from ._pipeline import PipelineRow, ranked_pipeline, value_text
from ._scoring import DEFAULT_MODEL

REPORT = "strategy-pipeline"
FORMATS = ("md", "json", "html", "csv", "xlsx")

PIPELINE_COLUMNS = [
    Column("rank", "Rank", "int"),
    Column("key", "Key"),
    Column("name", "Proposal"),
    Column("value", "Value"),
    Column("cost", "Cost", "money", currency_key="currency", missing="—"),
    Column("marks", "Constraints", missing=""),
    Column("explanation", "Why"),
]
OBJECTIVE_COLUMNS = [
    Column("objective", "Objective"),
    Column("owner", "Owner", missing="—"),
    Column("weight", "Weight"),
    Column("measure", "Measure", missing="—"),
    Column("target", "Target", missing="—"),
    Column("aligned", "Aligned projects", missing="—"),
]


def _model(request: ReportRequest) -> str:
    unknown = sorted(set(request.options) - {"model"})
    if unknown:
        raise InvalidInputError(
            f"unknown option {unknown[0]!r} of {REPORT}; expected model", where="--option"
        )
    return str(request.options.get("model", DEFAULT_MODEL))


def _pipeline_row(row: PipelineRow) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "key": row.entity.id,
        "name": row.entity.name,
        "value": value_text(row.score.value),
        "cost": None if row.cost is None else row.cost.amount,
        "currency": None if row.cost is None else row.cost.currency,
        "marks": ", ".join(row.marks),
        "explanation": row.score.explanation,
    }


def render(request: ReportRequest) -> ReportOutput:
    """Render the ``strategy-pipeline`` report (option ``model``, default ``alignment``).

    Example::

        ws.report("strategy-pipeline", "PF", format="json", options={"model": "npv"})
    """
    model = _model(request)
    if request.score is None:
        raise InvalidInputError("this report scores proposals: render it through a workspace")
    scope = request.scope
    assert scope is not None  # the report covers portfolios and programs only
    portfolio = (
        scope.id
        if scope.kind == "portfolio"
        else next(
            (
                k
                for k in request.view.ancestor_ids(scope.id)
                if request.view.entity(k).kind == "portfolio"
            ),
            None,
        )
    )
    tree = objective_tree(request.view, portfolio) if portfolio else []
    rows = ranked_pipeline(request.view, scope.id, model, request.score)
    pipeline = Table(
        "pipeline",
        f"Ranked pipeline ({model})",
        PIPELINE_COLUMNS,
        [_pipeline_row(r) for r in rows],
        empty="No proposals.",
    )
    objectives = Table(
        "objectives",
        "Objectives",
        OBJECTIVE_COLUMNS,
        [
            {
                "objective": "    " * t.depth + t.objective.name,
                "owner": t.objective.owned_by,
                "weight": f"{t.objective.weight:g}",
                "measure": t.objective.measure,
                "target": t.objective.target,
                "aligned": ", ".join(f"{a.project} ({a.weight:g})" for a in t.alignments),
            }
            for t in tree
        ],
        empty="No objectives.",
    )
    metric = Metric(
        name="proposals",
        value=_dec(len(rows)),
        formula="proposed projects in scope",
        inputs={"model": model},
    )
    title = f"Strategy pipeline: {scope.id} — {scope.name}"
    note = f"Proposals ranked by the scoring model {model!r}, highest value first."
    fmt = request.format
    content: str | bytes
    if fmt == "md":
        lines = ["# " + md_text(title), "", *objectives.markdown(), "", *pipeline.markdown()]
        content = "\n".join([*lines, "", md_text(note)]) + "\n"
    elif fmt == "json":
        data = {
            "report": REPORT,
            "scope": scope.id,
            "model": model,
            "objectives": [
                {
                    "id": t.objective.id,
                    "name": t.objective.name,
                    "parent": t.objective.parent,
                    "depth": t.depth,
                    "owned_by": t.objective.owned_by,
                    "weight": t.objective.weight,
                    "measure": t.objective.measure,
                    "target": t.objective.target,
                    "aligned": [{"project": a.project, "weight": a.weight} for a in t.alignments],
                }
                for t in tree
            ],
            "pipeline": [
                {**_pipeline_row(r), "cost": None if r.cost is None else str(r.cost)} for r in rows
            ],
            "metrics": [metric.model_dump(mode="json")],
        }
        content = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    elif fmt == "csv":
        content = pipeline.csv()
    elif fmt == "xlsx":
        content = workbook([objectives, pipeline], created=request.status_date)
    else:
        sections = [
            Section("Objectives", [objectives]),
            Section("Pipeline", [pipeline, Paragraph(note)]),
        ]
        if rows:
            chart = bar_chart(
                f"Value under {model}",
                [r.entity.id for r in rows],
                {"Value": [r.score.value for r in rows]},
                alt=f"The value of each proposal under the scoring model {model}",
                y_title=model,
            )
            sections.append(Section("Values", [chart]))
        content = page(title, sections, subtitle=f"As of {request.status_date.isoformat()}")
    return ReportOutput(content=content, media_type=MEDIA_TYPES[fmt], metrics=(metric,))


def _dec(value: float | int) -> Decimal:
    return Decimal(str(value))


def pipeline_report() -> PmoReport:
    """The ``strategy-pipeline`` report record.

    Example::

        pipeline_report().formats  # ('md', 'json', 'html', 'csv', 'xlsx')
    """
    return PmoReport(
        name=REPORT,
        summary="Objectives tree with aligned projects, and the ranked pipeline of proposals.",
        scopes=("portfolio", "program"),
        formats=FORMATS,
        render=render,
        options={"model": f"The scoring model that ranks the pipeline (default: {DEFAULT_MODEL})."},
    )
