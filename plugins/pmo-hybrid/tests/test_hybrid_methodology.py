"""The hybrid record: predictive stages and gates, iterations inside, points, templates."""

from __future__ import annotations

from decimal import Decimal

import pmo_hybrid

from pmo_core import PmoMethodology, WorkItem, Workspace


def test_registered_through_the_hook(ws: Workspace) -> None:
    record = ws.host.record(PmoMethodology, "hybrid")
    assert record.plugin == "hybrid"
    assert [p.name for p in record.phases] == ["initiation", "delivery", "closing"]
    assert [(g.name, g.leaving, g.entering) for g in record.gates] == [
        ("start-delivery", "initiation", "delivery"),
        ("release", "delivery", "closing"),
    ]
    assert record.iterations
    assert record.progress_measure == "points"
    assert "percent complete" in record.tailoring["points"]


def test_every_artifact_has_a_template_and_a_stage() -> None:
    h = pmo_hybrid.HYBRID
    produced = {name for phase in h.phases for name in phase.artifacts}
    assert produced == {a.name for a in h.artifacts}
    for artifact in h.artifacts:
        assert artifact.template.startswith("# "), artifact.name
        assert "## " in artifact.template
    needed = {c.artifact for g in h.gates for c in g.criteria if c.artifact}
    assert needed <= produced


def test_the_profile() -> None:
    (profile,) = pmo_hybrid.pmo_profiles()
    assert (profile.name, profile.methodology) == ("hybrid", "hybrid")


def _item(points: float | None, percent: float) -> WorkItem:
    return WorkItem(project="APP", subject="x", points=points, percent_complete=percent)


def test_points_done_in_proportion_to_percent_complete() -> None:
    # 5 done + 8 half done + 3 not started = 5 + 4 + 0 of 16; an unestimated item counts not.
    items = [_item(5, 100), _item(8, 50), _item(3, 0), _item(None, 100)]
    assert pmo_hybrid.points_done(items) == (Decimal(9), Decimal(16))
    assert pmo_hybrid.points_done([]) == (Decimal(0), Decimal(0))
    assert pmo_hybrid.points_done([_item(0.5, 100)]) == (Decimal("0.5"), Decimal("0.5"))
