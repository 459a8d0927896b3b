"""Markdown templates of the hybrid lifecycle's artifacts: predictive documents for the gates,
agile ones for the delivery inside.

Guidance is in HTML comments, so a rendered document shows only what the author wrote.
"""

from __future__ import annotations

_HEADER = """\
# {title}: <project name>

| | |
|---|---|
| Project | <key and name> |
| Sponsor | <name> |
| Product owner | <name> |
| Version / date | <0.1, YYYY-MM-DD> |
| For gate | {gate} |
"""


def _doc(title: str, gate: str, body: str) -> str:
    return _HEADER.format(title=title, gate=gate) + "\n" + body


BUSINESS_CASE = _doc(
    "Business case",
    "start-delivery",
    """\
## Problem or opportunity

## Outcomes and benefits
<!-- Measurable outcomes; which release delivers which benefit. -->

## Options considered

## Costs and funding
<!-- Funding per release or per quarter: a fixed team, a variable scope. -->

## Risks

## Investment appraisal
""",
)

PRODUCT_VISION = _doc(
    "Product vision and roadmap",
    "start-delivery",
    """\
## Vision
<!-- For whom, what need, what product, unlike what, because. -->

## Product goal

## Roadmap
<!-- Releases or quarters, each with its goal; not a task plan. -->

## Measures of success
""",
)

RELEASE_PLAN = _doc(
    "Release plan",
    "start-delivery",
    """\
## Release goal

## Scope in story points
<!-- The estimated product backlog for the release: the points that make 100 %. -->

## Iterations
<!-- Length (e.g. two weeks), number, dates; the team's expected velocity. -->

## Budget
<!-- Cost per iteration x iterations = the BAC the gates and earned value use. -->

## Milestones and dependencies

## Definition of done
""",
)

PRODUCT_BACKLOG = _doc(
    "Product backlog",
    "start-delivery",
    """\
## Items

| rank | item | points | value | iteration | status |
|---|---|---|---|---|---|
| | | | | | |

<!-- `pmo work list KEY` holds the live backlog: each work item with its points and the
iteration it was done in. -->
""",
)

ITERATION_REVIEW = _doc(
    "Iteration review",
    "release",
    """\
## Iteration
<!-- Name, dates, goal. -->

## Done
<!-- Items and points done against the definition of done; velocity. -->

## Not done, and why

## Feedback from stakeholders

## Backlog changes
""",
)

RELEASE_REPORT = _doc(
    "Release report",
    "release",
    """\
## What was released
<!-- Points done against the release plan; iterations run; velocity. -->

## Earned value
<!-- Percent complete = points done / points planned; EV, AC, CPI at the release. -->

## Quality
<!-- Definition of done met; defects open. -->

## Benefits so far

## Handover to operations
""",
)

CLOSURE_REPORT = _doc(
    "Closure report",
    "-",
    """\
## Outcomes against the business case

## Cost and time against the plan

## Lessons

## Follow-on actions
""",
)
